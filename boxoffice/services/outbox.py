"""The outbox relay (DESIGN §5): claim → publish to a Redis Stream → mark sent, safe with many relays at once.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease, so two relays never take the same row and a relay that
dies mid-batch gives its rows back when the lease runs out (they are then published again: consumers dedupe by
message id). A row that cannot be published is retried with exponential backoff and jitter and dead-lettered, with
its last error, after ``outbox_max_attempts`` attempts.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import redis
from sqlalchemy import text
from sqlalchemy.orm import Session

from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.events import InvalidEvent, OrderEvent, parse, session_of
from ..domain.values import AsDict
from ..errors import BackendUnavailable, BadInput
from ..failpoints import failpoint

log = logging.getLogger(__name__)
_CLAIM = text(
    """
    WITH c AS (
        SELECT id FROM outbox
         WHERE status = 'pending' AND available_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY id
         LIMIT :n
           FOR UPDATE SKIP LOCKED
    )
    UPDATE outbox o SET lease_until = now() + make_interval(secs => :lease), attempts = o.attempts + 1
      FROM c WHERE o.id = c.id
    RETURNING o.id, o.topic, o.payload, o.attempts, o.created_at
    """
)
#: rows are locked in id order by everyone who updates several at once (relay, consumer): no deadlock between them
ROWS_IN_ID_ORDER = "SELECT id FROM outbox WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"
_SENT = text(
    "UPDATE outbox SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL "
    f"WHERE id IN ({ROWS_IN_ID_ORDER})"
)
_CAPACITIES = text("SELECT id, capacity FROM sessions WHERE id = ANY(:sids)")
_REDELIVER = text(
    """
    UPDATE outbox SET status = 'pending', available_at = now(), lease_until = NULL, attempts = 0,
           last_error = 'published ' || to_char(sent_at, 'YYYY-MM-DD HH24:MI:SS') || ' and never applied'
     WHERE id IN (SELECT id FROM outbox WHERE status = 'sent' AND applied_at IS NULL
                     AND sent_at < least(now() - make_interval(secs => :age), CAST(:before AS timestamptz))
                   ORDER BY id FOR UPDATE SKIP LOCKED)
    """
)
_FAILED = text(
    """
    UPDATE outbox o SET lease_until = NULL, last_error = f.error,
           available_at = now() + make_interval(secs => f.delay),
           status = CASE WHEN o.attempts >= :max OR f.dead THEN 'dead' ELSE 'pending' END
      FROM unnest(CAST(:ids AS bigint[]), CAST(:errors AS text[]), CAST(:delays AS float8[]),
                  CAST(:now_dead AS boolean[])) AS f(id, error, delay, dead)
     WHERE o.id = f.id AND o.id IN (SELECT id FROM outbox WHERE id = ANY(:ids) ORDER BY id FOR UPDATE)
    """
)


def stream_key(prefix: str) -> str:
    """One stream for all outbox messages; its own hash tag keeps it a single cluster slot."""
    return f"{prefix}:{{outbox}}:events"


@dataclass(frozen=True)
class OutboxStatus(AsDict):
    pending: int
    in_flight: int
    dead: int
    sent: int
    oldest_pending_age_s: float | None
    lag_s: float | None
    stream_length: int
    consumer_pending: int


@dataclass(frozen=True)
class DeadLetter(AsDict):
    """An outbox message the relay or the consumer gave up on, with the error that stopped it."""

    id: int
    topic: str
    aggregate_id: int  # the order
    attempts: int
    last_error: str | None
    created_at: datetime
    session_id: int | None  # from the payload (None when the payload has none, e.g. a malformed message)


def capacities(session: Session, payloads: Iterable[object]) -> dict[int, int]:
    """The capacity of every session the payloads name (to check their seat indices); unknown sessions are absent."""
    sids = sorted({sid for p in payloads if (sid := session_of(p)) is not None})
    return {sid: cap for sid, cap in session.execute(_CAPACITIES, {"sids": sids})} if sids else {}


def check(topic: str, payload: object, capacity: Mapping[int, int]) -> OrderEvent:
    """The typed event of a message, its seats checked against its session's capacity; :class:`InvalidEvent`
    says why a message can never be applied (it is dead-lettered with that reason)."""
    sid = session_of(payload)
    if sid is not None and sid not in capacity:
        raise InvalidEvent(f"session {sid} does not exist")
    return parse(topic, payload, capacity.get(sid) if sid is not None else None)


def redeliver(session: Session, older_than_s: float, before: datetime | None = None) -> int:
    """Publish again the messages sent more than ``older_than_s`` ago (and before ``before``) that the consumer never
    applied (the stream lost them); the consumer's inbox makes a copy it did apply harmless. Inside the caller's
    transaction."""
    return session.execute(_REDELIVER, {"age": max(0.0, older_than_s), "before": before or "infinity"}).rowcount


def requeue_dead(session: Session, message_id: int | None = None) -> int:
    """Put one dead letter (or all) back to pending with fresh attempts, inside the caller's transaction."""
    q = ("UPDATE outbox SET status = 'pending', attempts = 0, available_at = now(), lease_until = NULL "
         "WHERE status = 'dead'")
    params: dict[str, object] = {}
    if message_id is not None:
        q += " AND id = :id"
        params["id"] = message_id
    n = session.execute(text(q), params).rowcount
    if message_id is not None and n == 0:
        raise BadInput(f"outbox message {message_id} is not a dead letter")
    return n


class Relay:
    def __init__(self, uow: UowFactory, client: redis.Redis, settings: Settings) -> None:
        self.uow = uow
        self.redis = client
        self.settings = settings
        self.stream = stream_key(settings.redis_prefix)
        self._redelivered_at = float("-inf")

    def _delay(self, attempts: int) -> float:
        base = min(self.settings.outbox_backoff_max_s, self.settings.outbox_backoff_s * 2 ** max(0, attempts - 1))
        return base * random.uniform(0.5, 1.5)  # jitter: relays retrying together spread out

    def drain_once(self) -> tuple[int, int]:
        """Claim, publish and mark one batch; returns (published, failed)."""
        with self.uow() as tx:
            rows = tx.session.execute(
                _CLAIM, {"n": self.settings.outbox_batch, "lease": self.settings.outbox_lease_s}
            ).all()
            capacity = capacities(tx.session, (r.payload for r in rows)) if rows else {}
            tx.commit()
        if not rows:
            return 0, 0
        good, bad = [], []
        for row in rows:
            try:
                check(row.topic, row.payload, capacity)
                good.append(row)
            except InvalidEvent as exc:
                bad.append((row, f"invalid message: {exc}"))
        if good:
            try:
                pipe = self.redis.pipeline(transaction=False)
                for row in good:
                    pipe.xadd(
                        self.stream,
                        {
                            "id": row.id,
                            "topic": row.topic,
                            "payload": json.dumps(row.payload),
                            "created_ms": int(row.created_at.timestamp() * 1000),
                        },
                        maxlen=1_000_000,
                        approximate=True,
                    )
                pipe.execute()
            except redis.exceptions.RedisError as exc:
                bad.extend((row, f"publish failed: {exc}") for row in good)
                good = []
        failpoint("relay.after_publish")
        with self.uow() as tx:
            if good:
                tx.session.execute(_SENT, {"ids": [r.id for r in good]})
            if bad:
                # an invalid message fails the same way every time: straight to the dead letters
                tx.session.execute(
                    _FAILED,
                    {
                        "ids": [r.id for r, _ in bad],
                        "errors": [e for _, e in bad],
                        "delays": [self._delay(r.attempts) for r, _ in bad],
                        "max": self.settings.outbox_max_attempts,
                        "now_dead": [e.startswith("invalid message") for _, e in bad],
                    },
                )
            tx.commit()
        return len(good), len(bad)

    def redeliver_lost(self, older_than_s: float | None = None) -> int:
        """Queue again what was published but not applied within ``outbox_redeliver_s`` (see :func:`redeliver`)."""
        age = self.settings.outbox_redeliver_s if older_than_s is None else older_than_s
        with self.uow() as tx:
            n = redeliver(tx.session, age)
            tx.commit()
        if n:
            log.warning("outbox: %d message(s) published over %.0f s ago were never applied (the stream lost them): "
                        "publishing them again", n, age)
        return n

    def drain(self, max_batches: int = 1_000_000) -> int:
        """Publish until nothing is due (first queueing again what the stream lost, every few seconds); returns how
        many rows were published."""
        now = time.monotonic()
        if now - self._redelivered_at >= min(5.0, self.settings.outbox_redeliver_s / 3):
            self._redelivered_at = now
            self.redeliver_lost()
        total = 0
        for _ in range(max_batches):
            published, failed = self.drain_once()
            total += published
            if published + failed == 0:
                break
        return total

    def status(self, group: str = "inventory") -> OutboxStatus:
        with self.uow() as tx:
            row = tx.session.execute(
                text(
                    """
                    SELECT count(*) FILTER (WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())),
                           count(*) FILTER (WHERE status = 'pending' AND lease_until >= now()),
                           count(*) FILTER (WHERE status = 'dead'),
                           count(*) FILTER (WHERE status = 'sent'),
                           extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'))
                      FROM outbox
                    """
                )
            ).one()
            lag = tx.session.execute(
                text(
                    "SELECT extract(epoch FROM now() - min(o.created_at)) FROM outbox o "
                    "WHERE o.status <> 'dead' AND NOT EXISTS "
                    "(SELECT 1 FROM inbox i WHERE i.consumer = :g AND i.message_id = o.id)"
                ),
                {"g": group},
            ).scalar()
        try:
            length = int(self.redis.xlen(self.stream))
            groups = {g["name"].decode() if isinstance(g["name"], bytes) else g["name"]: g
                      for g in self.redis.xinfo_groups(self.stream)} if length else {}
        except redis.exceptions.ResponseError:
            length, groups = 0, {}
        except redis.exceptions.RedisError as exc:
            raise BackendUnavailable(f"Redis unavailable: {exc}") from exc
        return OutboxStatus(
            pending=row[0],
            in_flight=row[1],
            dead=row[2],
            sent=row[3],
            oldest_pending_age_s=float(row[4]) if row[4] is not None else None,
            lag_s=float(lag) if lag is not None else None,
            stream_length=length,
            consumer_pending=int(groups.get(group, {}).get("pending", 0)),
        )

    def pending_age_s(self) -> float | None:
        """Age of the oldest message not yet published (cheap: only pending rows, which the partial index holds);
        what every window's status bar shows every few seconds."""
        with self.uow() as tx:
            age = tx.session.execute(
                text("SELECT extract(epoch FROM now() - min(created_at)) FROM outbox WHERE status = 'pending'")
            ).scalar()
        return float(age) if age is not None else None

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """The dead letters, newest first (at most ``limit``)."""
        if limit < 1:
            raise BadInput(f"limit must be at least 1, not {limit}")
        with self.uow() as tx:
            rows = tx.session.execute(
                text(
                    "SELECT id, topic, aggregate_id, attempts, last_error, created_at, "
                    "CASE WHEN jsonb_typeof(payload->'session_id') = 'number' "
                    "THEN (payload->>'session_id')::numeric::bigint END AS session_id "
                    "FROM outbox WHERE status = 'dead' ORDER BY id DESC LIMIT :n"
                ),
                {"n": limit},
            ).all()
        return [DeadLetter(r.id, r.topic, r.aggregate_id, r.attempts, r.last_error, r.created_at, r.session_id)
                for r in rows]

    def retry_dead(self, message_id: int | None = None) -> int:
        """Give dead letters another round of attempts."""
        with self.uow() as tx:
            n = requeue_dead(tx.session, message_id)
            tx.commit()
        return n

    def purge_sent(self, older_than: datetime) -> int:
        """Delete rows sent before ``older_than`` that the inventory consumer has applied (one it never applied stays:
        the reconciler counts it as backlog, and a late delivery must still find it)."""
        with self.uow() as tx:
            n = tx.session.execute(
                text("DELETE FROM outbox WHERE status = 'sent' AND sent_at < :t AND applied_at IS NOT NULL"),
                {"t": older_than},
            ).rowcount
            tx.commit()
        return n
