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
from decimal import Decimal
from typing import Any

import redis
from sqlalchemy import text

from ..adapters.seatstore import Effect, SeatStore
from ..config import Settings
from ..failpoints import failpoint
from .catalog import UowFactory
from .inventory import LEDGER_NAMESPACE
from .outbox import check_message, stream_key

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
_LEDGER_LOCK = text("SELECT pg_advisory_xact_lock_shared(:ns, sid) FROM unnest(CAST(:sids AS int[])) AS sid")
_DEAD = text("UPDATE outbox SET status = 'dead', last_error = :e WHERE id = :id")


@dataclass(frozen=True)
class Message:
    stream_id: str
    id: int
    topic: str
    payload: dict[str, Any]


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def sections(msg: Message) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The (added, ended) parts of an event, each with seats, lines, zones and prices: a sale adds, a cancel ends,
    an exchange does both."""
    p = msg.payload
    if msg.topic == "OrderPlaced":
        return p, None
    if msg.topic == "OrderCancelled":
        return None, p
    return p["added"], p["removed"]


def ledger_deltas(msg: Message) -> list[tuple[int, str, int, Decimal]]:
    """(session, zone, seats, revenue) changes of one event."""
    sid = int(msg.payload["session_id"])
    added, ended = sections(msg)
    return [(sid, z, sign, sign * Decimal(pr))
            for section, sign in ((ended, -1), (added, 1)) if section
            for z, pr in zip(section["zones"], section["prices"], strict=True)]


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

    def _ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.exceptions.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    def _parse(self, entries: list[Any]) -> tuple[list[Message], list[tuple[str, str]]]:
        good, bad = [], []
        for stream_id, fields in entries:
            if fields is None:  # trimmed away while pending
                bad.append((_s(stream_id), "message vanished from the stream"))
                continue
            f = {_s(k): _s(v) for k, v in fields.items()}
            try:
                msg = Message(_s(stream_id), int(f["id"]), f["topic"], json.loads(f["payload"]))
                check_message(msg.topic, msg.payload)
                good.append(msg)
            except Exception as exc:  # noqa: BLE001 - whatever is wrong, it is a poison message
                bad.append((_s(stream_id), f"unreadable message: {exc}"))
        return good, bad

    def consume_once(self, block_ms: int | None = None) -> int:
        """Reclaim stale messages, read new ones, apply them; returns how many were applied."""
        self._ensure_group()
        batch = self.settings.outbox_batch
        claimed = self.redis.xautoclaim(self.stream, GROUP, self.name, self.settings.consumer_claim_idle_ms,
                                        "0-0", count=batch)
        entries = list(claimed[1])
        if len(entries) < batch:
            read = self.redis.xreadgroup(GROUP, self.name, {self.stream: ">"}, count=batch - len(entries),
                                         block=block_ms)
            for _, items in read or []:
                entries.extend(items)
        if not entries:
            return 0
        messages, unreadable = self._parse(entries)
        applied = self._apply(messages) if messages else []
        for stream_id, error in unreadable:
            self._dead_letter(stream_id, None, error)
        return len(applied)

    def _apply(self, messages: list[Message]) -> list[Message]:
        try:
            self._apply_batch(messages)
            return messages
        except Exception as exc:  # noqa: BLE001 - find the culprit one message at a time
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
        effects: list[Effect] = []
        with self.uow() as tx:
            s = tx.session
            # shared: consumers never wait for each other; a ledger repair (exclusive) waits for this batch or
            # this batch for it, so the repair's "ledger + not yet applied = orders" stays true
            s.execute(_LEDGER_LOCK, {"ns": LEDGER_NAMESPACE,
                                     "sids": sorted({int(m.payload["session_id"]) for m in messages})})
            fresh = set(s.execute(_INBOX, {"c": GROUP, "ids": [m.id for m in messages]}).scalars())
            totals: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, Decimal("0")])
            for msg in messages:
                if msg.id in fresh:
                    fresh.discard(msg.id)  # a redelivered copy in the same batch must not count twice
                    for sid, zone, n, revenue in ledger_deltas(msg):
                        totals[(sid, zone)][0] += n
                        totals[(sid, zone)][1] += revenue
            if totals:
                keys = sorted(totals)  # one order for every consumer: no deadlock between them
                s.execute(_LEDGER, {"sids": [k[0] for k in keys], "zones": [k[1] for k in keys],
                                    "sold": [totals[k][0] for k in keys], "revenue": [totals[k][1] for k in keys]})
            tx.commit()
        for msg in messages:
            p = msg.payload
            sid, order_id = int(p["session_id"]), int(p["order_id"])
            added, ended = sections(msg)
            if added and added["seats"]:
                effects.append(Effect("confirm", sid, order_id, list(added["seats"]), list(added["lines"]),
                                      token=p["token"]))
            if ended and ended["seats"]:  # only seats the ended lines still hold in Redis are freed (free.lua checks)
                effects.append(Effect("free", sid, order_id, list(ended["seats"]), list(ended["lines"])))
        self.store.apply_effects(effects)
        failpoint("consumer.before_ack")
        self.redis.xack(self.stream, GROUP, *[m.stream_id for m in messages])


    def _failed(self, msg: Message, exc: BaseException) -> None:
        count = int(self.redis.hincrby(self.failures_key, msg.stream_id, 1))
        log.warning("message %s (%s) failed %d time(s): %s", msg.id, msg.topic, count, exc)
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
