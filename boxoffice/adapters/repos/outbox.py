"""The outbox and the consumer's inbox (DESIGN §5): every query of the relay and the consumer, and the one outbox
writer for events made in Python (the sale statement writes its ``OrderPlaced`` row itself, in the same round trip).

Rows that several transactions update at once (relay, consumer, repair) are always locked in id order, so they never
deadlock. Everything runs inside the caller's transaction: nothing here commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from ...domain.events import OrderEvent, session_of
from ...errors import BadInput

#: rows are locked in id order by everyone who updates several at once (relay, consumer): no deadlock between them
ROWS_IN_ID_ORDER = "SELECT id FROM outbox WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"

_APPEND = text("INSERT INTO outbox (topic, aggregate_id, payload) VALUES (:t, :a, CAST(:p AS jsonb)) RETURNING id")
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
_STATUS = text(
    """
    SELECT count(*) FILTER (WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())),
           count(*) FILTER (WHERE status = 'pending' AND lease_until >= now()),
           count(*) FILTER (WHERE status = 'dead'),
           count(*) FILTER (WHERE status = 'sent'),
           extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'))
      FROM outbox
    """
)
_LAG = text(
    "SELECT extract(epoch FROM now() - min(o.created_at)) FROM outbox o "
    "WHERE o.status <> 'dead' AND NOT EXISTS "
    "(SELECT 1 FROM inbox i WHERE i.consumer = :g AND i.message_id = o.id)"
)
_PENDING_AGE = text("SELECT extract(epoch FROM now() - min(created_at)) FROM outbox WHERE status = 'pending'")
_DEAD_LETTERS = text(
    "SELECT id, topic, aggregate_id, attempts, last_error, created_at, "
    "CASE WHEN jsonb_typeof(payload->'session_id') = 'number' "
    "THEN (payload->>'session_id')::numeric::bigint END AS session_id "
    "FROM outbox WHERE status = 'dead' ORDER BY id DESC LIMIT :n"
)
_REQUEUE_ALL = text("UPDATE outbox SET status = 'pending', attempts = 0, available_at = now(), lease_until = NULL "
                    "WHERE status = 'dead'")
_REQUEUE_ONE = text("UPDATE outbox SET status = 'pending', attempts = 0, available_at = now(), lease_until = NULL "
                    "WHERE status = 'dead' AND id = :id")
_PURGE = text("DELETE FROM outbox WHERE status = 'sent' AND sent_at < :t AND applied_at IS NOT NULL")
_INBOX = text(
    "INSERT INTO inbox (consumer, message_id) SELECT :c, unnest(CAST(:ids AS bigint[])) "
    "ON CONFLICT DO NOTHING RETURNING message_id"
)
_APPLIED = text(f"UPDATE outbox SET applied_at = now() WHERE id IN ({ROWS_IN_ID_ORDER})")
_DEAD = text("UPDATE outbox SET status = 'dead', last_error = :e WHERE id = :id")
_ADOPT_LOST = text(
    """
    WITH i AS (INSERT INTO inbox (consumer, message_id) SELECT :c, unnest(CAST(:ids AS bigint[]))
               ON CONFLICT DO NOTHING)
    UPDATE outbox SET applied_at = now(), status = 'pending', available_at = now(), lease_until = NULL, attempts = 0
     WHERE id IN (SELECT id FROM outbox WHERE id = ANY(:ids) ORDER BY id FOR UPDATE)
    """
)
#: the order a token committed: a sale's, or an exchange's (its token is in the ``OrderChanged`` row only)
_ORDER_OF_TOKEN = text(
    "SELECT id FROM orders WHERE token = :t UNION ALL SELECT aggregate_id FROM outbox "
    "WHERE topic = 'OrderChanged' AND payload->>'token' = :t LIMIT 1"
)


# -- writing --------------------------------------------------------------------------------------------------------
def append(session: Session, event: OrderEvent) -> int:
    """Queue ``event`` for the relay (one outbox row, aggregate = its order); returns the row id."""
    return append_payload(session, event.topic, event.order_id, event.to_payload())


def append_payload(session: Session, topic: str, aggregate_id: int, payload: Any) -> int:
    """Queue a message as given, unchecked: for :func:`append`, and for fault drills that must write a poison
    message (the relay dead-letters it)."""
    return session.execute(_APPEND, {"t": topic, "a": aggregate_id, "p": json.dumps(payload)}).scalar_one()


# -- the relay ------------------------------------------------------------------------------------------------------
def claim(session: Session, batch: int, lease_s: float) -> Sequence[Row[Any]]:
    """Lease up to ``batch`` due rows (id, topic, payload, attempts, created_at), skipping rows others hold."""
    return session.execute(_CLAIM, {"n": batch, "lease": lease_s}).all()


def capacities(session: Session, payloads: Iterable[object]) -> dict[int, int]:
    """The capacity of every session the payloads name (to check their seat indices); unknown sessions are absent."""
    sids = sorted({sid for p in payloads if (sid := session_of(p)) is not None})
    return {sid: cap for sid, cap in session.execute(_CAPACITIES, {"sids": sids})} if sids else {}


def mark_sent(session: Session, ids: Sequence[int]) -> None:
    session.execute(_SENT, {"ids": list(ids)})


def mark_failed(session: Session, ids: Sequence[int], errors: Sequence[str], delays: Sequence[float],
                dead_now: Sequence[bool], max_attempts: int) -> None:
    """Give rows back with their error, due again after their delay; dead when out of attempts or ``dead_now``."""
    session.execute(_FAILED, {"ids": list(ids), "errors": list(errors), "delays": list(delays),
                              "max": max_attempts, "now_dead": list(dead_now)})


def redeliver(session: Session, older_than_s: float, before: datetime | None = None) -> int:
    """Queue again the messages sent more than ``older_than_s`` ago (and before ``before``) that the consumer never
    applied (the stream lost them); the consumer's inbox makes a copy it did apply harmless."""
    return session.execute(_REDELIVER, {"age": max(0.0, older_than_s), "before": before or "infinity"}).rowcount


def requeue_dead(session: Session, message_id: int | None = None) -> int:
    """Put one dead letter (or all) back to pending with fresh attempts."""
    if message_id is None:
        return session.execute(_REQUEUE_ALL).rowcount
    n = session.execute(_REQUEUE_ONE, {"id": message_id}).rowcount
    if n == 0:
        raise BadInput(f"outbox message {message_id} is not a dead letter")
    return n


def purge_sent(session: Session, older_than: datetime) -> int:
    """Delete rows sent before ``older_than`` that the consumer has applied."""
    return session.execute(_PURGE, {"t": older_than}).rowcount


# -- reading (the monitor) ------------------------------------------------------------------------------------------
def counts(session: Session) -> Row[Any]:
    """(pending, in flight, dead, sent, age in seconds of the oldest pending or None)."""
    return session.execute(_STATUS).one()


def lag_s(session: Session, consumer: str) -> float | None:
    """Age of the oldest message (not dead) that ``consumer`` has not applied."""
    lag = session.execute(_LAG, {"g": consumer}).scalar()
    return float(lag) if lag is not None else None


def pending_age_s(session: Session) -> float | None:
    """Age of the oldest message not yet published (only pending rows, which the partial index holds)."""
    age = session.execute(_PENDING_AGE).scalar()
    return float(age) if age is not None else None


def dead_letters(session: Session, limit: int) -> Sequence[Row[Any]]:
    """Dead rows, newest first: id, topic, aggregate_id, attempts, last_error, created_at, session_id (or None)."""
    return session.execute(_DEAD_LETTERS, {"n": limit}).all()


def order_of_token(session: Session, token: str) -> int | None:
    """The order a token's sale or exchange committed, if any."""
    return session.execute(_ORDER_OF_TOKEN, {"t": token}).scalar()


# -- the consumer ---------------------------------------------------------------------------------------------------
def record_processed(session: Session, consumer: str, ids: Sequence[int]) -> set[int]:
    """Enter the ids in ``consumer``'s inbox; returns those that were not there (the ones to apply) and marks their
    outbox rows applied."""
    fresh = set(session.execute(_INBOX, {"c": consumer, "ids": list(ids)}).scalars())
    if fresh:
        session.execute(_APPLIED, {"ids": sorted(fresh)})
    return fresh


def dead_letter(session: Session, message_id: int, error: str) -> None:
    session.execute(_DEAD, {"id": message_id, "e": error[:2000]})


def adopt_lost(session: Session, consumer: str, ids: Sequence[int]) -> None:
    """Count messages the stream lost as applied (a late delivery changes the ledger no more) and publish them again
    (so the consumer still makes their Redis side; its inbox skips the ledger part)."""
    session.execute(_ADOPT_LOST, {"c": consumer, "ids": list(ids)})
