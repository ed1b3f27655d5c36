"""The inventory consumer (DESIGN §5): applies order events to the stock ledger and confirms the Redis side.

Exactly-once effect on the ledger: the processed message ids go into ``inbox`` in the same transaction as the ledger
change, so a redelivered message changes nothing. The Redis effects (hold → sold, seats freed on cancel) are
idempotent scripts run after the commit and before the acknowledgement, so a consumer that dies anywhere leaves the
message pending; another consumer claims it after ``consumer_claim_idle_ms`` and finishes the job. A message that
keeps failing is dead-lettered after ``consumer_max_failures`` tries: its outbox row becomes ``dead`` with the error,
and the stream moves on.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..adapters import locks
from ..adapters.seatstore import SeatChange, SeatStore
from ..adapters.stream import Entry, EventStream
from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.events import InvalidEvent, OrderEvent
from ..errors import BackendUnavailable, GroupMissing
from ..failpoints import failpoint
from .outbox import check

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

GROUP = "inventory"


@dataclass(frozen=True)
class Message:
    stream_id: str
    id: int
    event: OrderEvent


#: failures that say a server is away, not that a message is bad (the adapters raise them typed)
_OUTAGES = (BackendUnavailable,)


class InventoryConsumer:
    def __init__(self, uow: UowFactory, store: SeatStore, client: Redis | None, settings: Settings,
                 name: str | None = None, events: EventStream | None = None) -> None:
        """``events``: the stream adapter to read (unit tests give an in-memory one); by default the installation's
        stream on ``client``."""
        self.uow = uow
        self.store = store
        self.settings = settings
        if events is None:
            assert client is not None, "the consumer reads the installation's stream on a Redis client"
            events = EventStream(client, settings.redis_prefix)
        self.events = events
        self.stream = self.events.key  # the stream's key (tests and drills read it)
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self._group_ready = False
        self._own_pending = False  # a server failed mid-batch: this consumer's unacknowledged messages come first

    def _ensure_group(self) -> None:
        """Create the consumer group if it is missing. A group that had to be made means the stream's history is gone
        (a new installation, or Redis lost its data): every message published before now and not applied is queued
        again, so the ledger and the seat map catch up without anyone doing anything."""
        if self._group_ready:
            return
        made = self.events.create_group(GROUP)
        if made is not False:
            # what the stream holds now is delivered from the start; anything sent before its first entry is gone
            with self.uow() as tx:
                n = tx.outbox.redeliver(0, before=made)
                tx.commit()
            if n:
                log.warning("consumer group %s was missing (Redis lost the stream): %d published but unapplied "
                            "message(s) queued to be published again", GROUP, n)
        self._group_ready = True

    def _parse(self, entries: list[Entry]) -> tuple[list[Message], list[tuple[str, int | None, str]]]:
        """Readable messages, and (stream id, outbox id if known, why) for the rest."""
        good, bad = [], []
        read: list[tuple[str, int, Any, Any]] = []
        for entry in entries:
            if entry.fields is None:  # trimmed away while pending
                bad.append((entry.stream_id, None, "message vanished from the stream"))
                continue
            try:
                message_id = entry.message_id()
            except (KeyError, ValueError) as exc:
                bad.append((entry.stream_id, None, f"unreadable message: {exc!r}"))
                continue
            try:
                read.append((entry.stream_id, message_id, entry.fields.get("topic", ""), entry.payload()))
            except (KeyError, ValueError) as exc:
                bad.append((entry.stream_id, message_id, f"unreadable message: {exc!r}"))
        if read:
            with self.uow() as tx:
                capacity = tx.outbox.capacities((payload for *_, payload in read))
        for stream_id, message_id, topic, payload in read:
            try:
                event = check(topic, payload, capacity)
            except InvalidEvent as exc:
                bad.append((stream_id, message_id, f"invalid message: {exc}"))
                continue
            good.append(Message(stream_id, message_id, event))
        return good, bad

    def consume_once(self, block_ms: int | None = None) -> int:
        """Reclaim stale messages, read new ones, apply them; returns how many were applied. An outage is a
        :class:`BackendUnavailable` (the stream adapter and the unit of work type them); a group Redis lost is made
        again (see :meth:`_ensure_group`)."""
        try:
            return self._consume_once(block_ms)
        except GroupMissing:
            self._group_ready = False
            return self._consume_once(block_ms)

    def _consume_once(self, block_ms: int | None) -> int:
        self._ensure_group()
        batch = self.settings.outbox_batch
        entries: list[Entry] = []
        if self._own_pending:
            entries += self.events.read_pending(GROUP, self.name, batch)
            self._own_pending = False
        if len(entries) < batch:
            entries += self.events.claim(GROUP, self.name, self.settings.consumer_claim_idle_ms, batch - len(entries))
        if len(entries) < batch:
            entries += self.events.read_new(GROUP, self.name, batch - len(entries), block_ms)
        if not entries:
            return 0
        messages, unreadable = self._parse(entries)
        applied = self._apply(messages) if messages else []
        for stream_id, message_id, error in unreadable:
            self._dead_letter(stream_id, message_id, error)
        return len(applied)

    def _apply(self, messages: list[Message]) -> list[Message]:
        try:
            self._apply_batch(messages)
            return messages
        except Exception as exc:  # find the culprit one message at a time
            if isinstance(exc, _OUTAGES):
                self._own_pending = True
                raise
            if len(messages) == 1:
                self._failed(messages[0], exc)
                return []
            log.warning("batch of %d failed (%s); applying one by one", len(messages), exc)
        done = []
        for msg in messages:
            try:
                self._apply_batch([msg])
                done.append(msg)
            except Exception as exc:  # noqa: BLE001
                self._failed(msg, exc)
        return done

    def _apply_batch(self, messages: list[Message]) -> None:
        effects: list[SeatChange] = []
        with self.uow() as tx:
            # shared: consumers never wait for each other; a ledger repair (exclusive) waits for this batch or
            # this batch for it, so the repair's "ledger + not yet applied = orders" stays true
            tx.locks.shared_many(locks.LEDGER, {msg.event.session_id for msg in messages})
            fresh = tx.outbox.record_processed(GROUP, [msg.id for msg in messages])
            totals: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, Decimal("0")])
            for msg in messages:
                if msg.id in fresh:
                    fresh.discard(msg.id)  # a redelivered copy in the same batch must not count twice
                    for zone, n, revenue in msg.event.ledger_deltas():
                        totals[(msg.event.session_id, zone)][0] += n
                        totals[(msg.event.session_id, zone)][1] += revenue
            if totals:
                tx.ledger.add({key: (n, revenue) for key, (n, revenue) in totals.items()})
            tx.commit()
        for msg in messages:
            ev = msg.event
            if ev.added and ev.added.seats:
                effects.append(SeatChange("confirm", ev.session_id, ev.order_id, list(ev.added.seats),
                                          list(ev.added.lines), token=ev.token))
            if ev.ended and ev.ended.seats:  # only seats the ended lines still hold in Redis are freed (free.lua)
                effects.append(SeatChange("free", ev.session_id, ev.order_id, list(ev.ended.seats),
                                          list(ev.ended.lines)))
        self.store.apply_changes(effects)
        failpoint("consumer.before_ack")
        self.events.ack(GROUP, [msg.stream_id for msg in messages])

    def _failed(self, msg: Message, exc: BaseException) -> None:
        if isinstance(exc, _OUTAGES):
            self._own_pending = True  # read them again first next time, without waiting for the idle reclaim
            raise exc  # a server is away, not the message at fault: nothing to count against it
        count = self.events.count_failure(GROUP, msg.stream_id)
        log.warning("message %s (%s) failed %d time(s): %s", msg.id, msg.event.topic, count, exc)
        if count >= self.settings.consumer_max_failures:
            self._dead_letter(msg.stream_id, msg.id, f"{exc.__class__.__name__}: {exc}")

    def _dead_letter(self, stream_id: str, message_id: int | None, error: str) -> None:
        if message_id is not None:
            with self.uow() as tx:
                tx.outbox.dead_letter(message_id, f"consumer {GROUP}: {error}")
                tx.commit()
        log.error("dead-lettered stream entry %s (outbox %s): %s", stream_id, message_id, error)
        self.events.give_up(GROUP, stream_id)

    def drain(self, max_rounds: int = 1_000_000) -> int:
        total = 0
        for _ in range(max_rounds):
            n = self.consume_once(block_ms=None)
            total += n
            if n == 0:
                break
        return total
