"""The outbox relay (DESIGN §5): claim → publish to a Redis Stream → mark sent, safe with many relays at once.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease, so two relays never take the same row and a relay that
dies mid-batch gives its rows back when the lease runs out (they are then published again: consumers dedupe by
message id). A row that cannot be published is retried with exponential backoff and jitter and dead-lettered, with
its last error, after ``outbox_max_attempts`` attempts.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..adapters.repos import outbox as rows
from ..adapters.repos.outbox import capacities, redeliver, requeue_dead
from ..adapters.stream import EventStream, Outgoing, stream_key
from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.events import InvalidEvent, OrderEvent, parse, session_of
from ..domain.values import AsDict
from ..errors import BackendUnavailable, BadInput
from ..failpoints import failpoint

__all__ = ["DeadLetter", "OutboxStatus", "Relay", "capacities", "check", "redeliver", "requeue_dead", "stream_key"]

log = logging.getLogger(__name__)


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


def check(topic: str, payload: object, capacity: Mapping[int, int]) -> OrderEvent:
    """The typed event of a message, its seats checked against its session's capacity; :class:`InvalidEvent`
    says why a message can never be applied (it is dead-lettered with that reason)."""
    sid = session_of(payload)
    if sid is not None and sid not in capacity:
        raise InvalidEvent(f"session {sid} does not exist")
    return parse(topic, payload, capacity.get(sid) if sid is not None else None)


class Relay:
    def __init__(self, uow: UowFactory, events: EventStream, settings: Settings) -> None:
        self.uow = uow
        self.settings = settings
        self.events = events
        self.stream = self.events.key  # the stream's key (tests and drills read it)
        self._redelivered_at = float("-inf")

    def _delay(self, attempts: int) -> float:
        base = min(self.settings.outbox_backoff_max_s, self.settings.outbox_backoff_s * 2 ** max(0, attempts - 1))
        return base * random.uniform(0.5, 1.5)  # jitter: relays retrying together spread out

    def drain_once(self) -> tuple[int, int]:
        """Claim, publish and mark one batch; returns (published, failed)."""
        with self.uow() as tx:
            claimed = rows.claim(tx.session, self.settings.outbox_batch, self.settings.outbox_lease_s)
            capacity = capacities(tx.session, (r.payload for r in claimed)) if claimed else {}
            tx.commit()
        if not claimed:
            return 0, 0
        good, bad = [], []
        for row in claimed:
            try:
                check(row.topic, row.payload, capacity)
                good.append(row)
            except InvalidEvent as exc:
                bad.append((row, f"invalid message: {exc}"))
        if good:
            try:
                self.events.publish([Outgoing(r.id, r.topic, r.payload, r.created_at) for r in good])
            except BackendUnavailable as exc:
                cause = exc.__cause__ or exc
                bad.extend((row, f"publish failed: {cause}") for row in good)
                good = []
        failpoint("relay.after_publish")
        with self.uow() as tx:
            if good:
                rows.mark_sent(tx.session, [r.id for r in good])
            if bad:
                # an invalid message fails the same way every time: straight to the dead letters
                rows.mark_failed(
                    tx.session, [r.id for r, _ in bad], [e for _, e in bad], [self._delay(r.attempts) for r, _ in bad],
                    [e.startswith("invalid message") for _, e in bad], self.settings.outbox_max_attempts,
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
            row = rows.counts(tx.session)
            lag = rows.lag_s(tx.session, group)
        length, consumer_pending = self.events.length_and_pending(group)
        return OutboxStatus(
            pending=row[0],
            in_flight=row[1],
            dead=row[2],
            sent=row[3],
            oldest_pending_age_s=float(row[4]) if row[4] is not None else None,
            lag_s=lag,
            stream_length=length,
            consumer_pending=consumer_pending,
        )

    def pending_age_s(self) -> float | None:
        """Age of the oldest message not yet published (cheap: only pending rows, which the partial index holds);
        what every window's status bar shows every few seconds."""
        with self.uow() as tx:
            return rows.pending_age_s(tx.session)

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """The dead letters, newest first (at most ``limit``)."""
        if limit < 1:
            raise BadInput(f"limit must be at least 1, not {limit}")
        with self.uow() as tx:
            found = rows.dead_letters(tx.session, limit)
        return [DeadLetter(r.id, r.topic, r.aggregate_id, r.attempts, r.last_error, r.created_at, r.session_id)
                for r in found]

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
            n = rows.purge_sent(tx.session, older_than)
            tx.commit()
        return n
