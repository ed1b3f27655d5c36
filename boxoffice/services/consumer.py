"""The inventory consumer (DESIGN §5): applies order events to the stock ledger and confirms the Redis side.

Exactly-once effect on the ledger: the processed message ids go into ``inbox`` in the same transaction as the ledger
change, so a redelivered message changes nothing. The Redis effects (hold → sold, seats freed on cancel) are
idempotent scripts run after the commit and before the acknowledgement, so a consumer that dies anywhere leaves the
message pending; another consumer claims it after ``consumer_claim_idle_ms`` and finishes the job. A message that
keeps failing is dead-lettered after ``consumer_max_failures`` tries: its outbox row becomes ``dead`` with the error,
and the stream moves on.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import psycopg
import redis
import sqlalchemy.exc
from sqlalchemy import text

from ..adapters import locks
from ..adapters.seatstore import SeatChange, SeatStore
from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.events import InvalidEvent, OrderEvent
from ..errors import BackendUnavailable
from ..failpoints import failpoint
from .outbox import ROWS_IN_ID_ORDER, capacities, check, redeliver, stream_key

log = logging.getLogger(__name__)

GROUP = "inventory"

_INBOX = text(
    "INSERT INTO inbox (consumer, message_id) SELECT :c, unnest(CAST(:ids AS bigint[])) "
    "ON CONFLICT DO NOTHING RETURNING message_id"
)
_LEDGER = text(
    """
    INSERT INTO stock_ledger (session_id, zone, sold, revenue)
    SELECT * FROM unnest(CAST(:sids AS int[]), CAST(:zones AS text[]), CAST(:sold AS int[]),
                         CAST(:revenue AS numeric[]))
    ON CONFLICT (session_id, zone) DO UPDATE
       SET sold = stock_ledger.sold + EXCLUDED.sold, revenue = stock_ledger.revenue + EXCLUDED.revenue,
           updated_at = now()
    """
)
_DEAD = text("UPDATE outbox SET status = 'dead', last_error = :e WHERE id = :id")
_APPLIED = text(f"UPDATE outbox SET applied_at = now() WHERE id IN ({ROWS_IN_ID_ORDER})")


@dataclass(frozen=True)
class Message:
    stream_id: str
    id: int
    event: OrderEvent


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


#: failures that say a server is away, not that a message is bad
_OUTAGES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, BackendUnavailable,
            sqlalchemy.exc.OperationalError, psycopg.OperationalError)


def _missing_group(exc: BaseException) -> bool:
    return isinstance(exc, redis.exceptions.ResponseError) and str(exc).startswith("NOGROUP")


class InventoryConsumer:
    def __init__(self, uow: UowFactory, store: SeatStore, client: redis.Redis, settings: Settings,
                 name: str | None = None) -> None:
        self.uow = uow
        self.store = store
        self.redis = client
        self.settings = settings
        self.stream = stream_key(settings.redis_prefix)
        self.failures_key = f"{settings.redis_prefix}:{{outbox}}:failures:{GROUP}"
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self._group_ready = False
        self._own_pending = False  # a server failed mid-batch: this consumer's unacknowledged messages come first

    def _ensure_group(self) -> None:
        """Create the consumer group if it is missing. A group that had to be made means the stream's history is gone
        (a new installation, or Redis lost its data): every message published before now and not applied is queued
        again, so the ledger and the seat map catch up without anyone doing anything."""
        if self._group_ready:
            return
        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.exceptions.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        else:
            # what the stream holds now is delivered from the start; anything sent before its first entry is gone
            first = self.redis.xrange(self.stream, count=1)
            oldest = (datetime.fromtimestamp(int(_s(first[0][0]).split("-")[0]) / 1000, timezone.utc)
                      if first else None)
            with self.uow() as tx:
                n = redeliver(tx.session, 0, before=oldest)
                tx.commit()
            if n:
                log.warning("consumer group %s was missing (Redis lost the stream): %d published but unapplied "
                            "message(s) queued to be published again", GROUP, n)
        self._group_ready = True

    def _parse(self, entries: list[Any]) -> tuple[list[Message], list[tuple[str, int | None, str]]]:
        """Readable messages, and (stream id, outbox id if known, why) for the rest."""
        good, bad = [], []
        read: list[tuple[str, int | None, Any, Any]] = []
        for stream_id, fields in entries:
            if fields is None:  # trimmed away while pending
                bad.append((_s(stream_id), None, "message vanished from the stream"))
                continue
            f = {_s(k): _s(v) for k, v in fields.items()}
            try:
                message_id = int(f["id"])
            except (KeyError, ValueError) as exc:
                bad.append((_s(stream_id), None, f"unreadable message: {exc!r}"))
                continue
            try:
                read.append((_s(stream_id), message_id, f.get("topic", ""), json.loads(f["payload"])))
            except (KeyError, ValueError) as exc:
                bad.append((_s(stream_id), message_id, f"unreadable message: {exc!r}"))
        if read:
            with self.uow() as tx:
                capacity = capacities(tx.session, (payload for *_, payload in read))
        for stream_id, message_id, topic, payload in read:
            try:
                event = check(topic, payload, capacity)
            except InvalidEvent as exc:
                bad.append((stream_id, message_id, f"invalid message: {exc}"))
                continue
            good.append(Message(stream_id, message_id, event))
        return good, bad

    def consume_once(self, block_ms: int | None = None) -> int:
        """Reclaim stale messages, read new ones, apply them; returns how many were applied. A Redis failure is a
        :class:`BackendUnavailable`; a group Redis lost is made again (see :meth:`_ensure_group`)."""
        try:
            return self._consume_once(block_ms)
        except redis.exceptions.RedisError as exc:
            if _missing_group(exc):
                self._group_ready = False
                try:
                    return self._consume_once(block_ms)
                except redis.exceptions.RedisError as again:
                    exc = again
            raise BackendUnavailable(f"Redis unavailable: {exc.__class__.__name__}: {exc}") from exc

    def _consume_once(self, block_ms: int | None) -> int:
        self._ensure_group()
        batch = self.settings.outbox_batch
        entries: list[Any] = []
        if self._own_pending:
            for _, items in self.redis.xreadgroup(GROUP, self.name, {self.stream: "0"}, count=batch) or []:
                entries.extend(items)
            self._own_pending = False
        if len(entries) < batch:
            claimed = self.redis.xautoclaim(self.stream, GROUP, self.name, self.settings.consumer_claim_idle_ms,
                                            "0-0", count=batch - len(entries))
            entries.extend(claimed[1])
        if len(entries) < batch:
            read = self.redis.xreadgroup(GROUP, self.name, {self.stream: ">"}, count=batch - len(entries),
                                         block=block_ms)
            for _, items in read or []:
                entries.extend(items)
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
            s = tx.session
            # shared: consumers never wait for each other; a ledger repair (exclusive) waits for this batch or
            # this batch for it, so the repair's "ledger + not yet applied = orders" stays true
            locks.shared_many(s, locks.LEDGER, {m.event.session_id for m in messages})
            fresh = set(s.execute(_INBOX, {"c": GROUP, "ids": [m.id for m in messages]}).scalars())
            if fresh:
                s.execute(_APPLIED, {"ids": sorted(fresh)})
            totals: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, Decimal("0")])
            for msg in messages:
                if msg.id in fresh:
                    fresh.discard(msg.id)  # a redelivered copy in the same batch must not count twice
                    for zone, n, revenue in msg.event.ledger_deltas():
                        totals[(msg.event.session_id, zone)][0] += n
                        totals[(msg.event.session_id, zone)][1] += revenue
            if totals:
                keys = sorted(totals)  # one order for every consumer: no deadlock between them
                s.execute(_LEDGER, {"sids": [k[0] for k in keys], "zones": [k[1] for k in keys],
                                    "sold": [totals[k][0] for k in keys], "revenue": [totals[k][1] for k in keys]})
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
        self.redis.xack(self.stream, GROUP, *[m.stream_id for m in messages])


    def _failed(self, msg: Message, exc: BaseException) -> None:
        if isinstance(exc, _OUTAGES):
            self._own_pending = True  # read them again first next time, without waiting for the idle reclaim
            raise exc  # a server is away, not the message at fault: nothing to count against it
        count = int(self.redis.hincrby(self.failures_key, msg.stream_id, 1))
        log.warning("message %s (%s) failed %d time(s): %s", msg.id, msg.event.topic, count, exc)
        if count >= self.settings.consumer_max_failures:
            self._dead_letter(msg.stream_id, msg.id, f"{exc.__class__.__name__}: {exc}")

    def _dead_letter(self, stream_id: str, message_id: int | None, error: str) -> None:
        if message_id is not None:
            with self.uow() as tx:
                tx.session.execute(_DEAD, {"id": message_id, "e": f"consumer {GROUP}: {error}"[:2000]})
                tx.commit()
        log.error("dead-lettered stream entry %s (outbox %s): %s", stream_id, message_id, error)
        self.redis.xack(self.stream, GROUP, stream_id)
        self.redis.hdel(self.failures_key, stream_id)

    def drain(self, max_rounds: int = 1_000_000) -> int:
        total = 0
        for _ in range(max_rounds):
            n = self.consume_once(block_ms=None)
            total += n
            if n == 0:
                break
        return total
