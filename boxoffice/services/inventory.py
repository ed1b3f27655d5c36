"""The Redis picture of each session, derived from PostgreSQL: warm, rebuild and compare."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from ..adapters import locks
from ..adapters.seatstore import SeatStore, Snapshot
from ..adapters.uow import UowFactory
from ..domain.bitmap import count, make_bitmap
from ..domain.values import SessionInfo, SessionStats
from ..errors import BackendUnavailable, BadInput, BoxOfficeError
from .accounts import SUPERVISOR_ROLES, Accounts
from .catalog import Catalog
from .health import RedisHealth

log = logging.getLogger(__name__)


def epoch_ms(when: datetime | None) -> int | None:
    """A time as the Redis scripts compare it (milliseconds since the Unix epoch)."""
    return None if when is None else int(when.timestamp() * 1000)


class Inventory:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        #: Redis reachability (degraded mode), set by bootstrap; the overview then shows database figures only
        self.health: RedisHealth | None = None

    def rebuild(self, session_id: int, audit_as: tuple[int, str] | None = None) -> str:
        """Replace the session's Redis inventory with the database's; returns the new epoch. ``audit_as``
        (user id, reason) writes the ``rebuild`` audit entry in the same transaction."""
        info = self.catalog.session(session_id)
        with self.uow() as tx:
            tx.locks.exclusive(locks.INVENTORY, session_id)
            rows = tx.ledger.taken_seats(session_id)
            taken = make_bitmap(info.capacity, (idx for idx, _, _, _ in rows))
            sold = make_bitmap(info.capacity, (idx for idx, status, _, _ in rows if status == "sold"))
            owners = {idx: (order_id, line_id) for idx, status, order_id, line_id in rows
                      if status == "sold" and order_id is not None and line_id is not None}
            ended = tx.ledger.ended_lines(session_id)
            # written while the lock is held: a sale that commits later confirms into the rebuilt picture
            epoch = self.store.rebuild(
                session_id, info.capacity, info.status == "onsale", taken, sold, info.capacity - len(rows), owners,
                ended, closes_ms=epoch_ms(info.sales_close_at), opens_ms=epoch_ms(info.sales_open_at),
            )
            if audit_as is not None:
                tx.audit.record("rebuild", audit_as[0], session_id=session_id, reason=audit_as[1],
                                details={"epoch": epoch})
            tx.commit()
        return epoch

    def rebuild_as(self, accounts: Accounts, username: str, session_id: int, reason: str) -> str:
        """The supervisor's repair (and ``boxoffice cache rebuild --session``): rebuild one session's seat map,
        audited with actor and reason in the rebuild's transaction."""
        user = accounts.require(username, SUPERVISOR_ROLES)
        if not reason.strip():
            raise BadInput(reason="repair_needs_reason")
        return self.rebuild(session_id, audit_as=(user.user_id, reason.strip()))

    def rebuild_all_as(self, accounts: Accounts, username: str, reason: str) -> list[int]:
        """``boxoffice cache rebuild``: every session's seat map, each audited with the supervisor and reason."""
        user = accounts.require(username, SUPERVISOR_ROLES)
        if not reason.strip():
            raise BadInput(reason="rebuild_needs_reason")
        ids = [s.session_id for s in self.catalog.list_sessions()]
        for session_id in ids:
            self.rebuild(session_id, audit_as=(user.user_id, reason.strip()))
        return ids

    def rebuild_all(self) -> list[int]:
        ids = [s.session_id for s in self.catalog.list_sessions()]
        for session_id in ids:
            self.rebuild(session_id)
        return ids

    def sweep_expired_holds(self) -> tuple[int, int]:
        """Release expired holds whose sale never reached the database; confirm those whose sale did.

        Returns (released, confirmed). A hold's token is a sale's order token or an exchange's token (found in the
        ``OrderChanged`` outbox row); either way PostgreSQL decides (:meth:`settle_holds`).
        """
        expired = self.store.expired_holds([s.session_id for s in self.catalog.list_sessions()])
        return self.settle_holds(expired, "expired")

    def settle_unresolved(self) -> tuple[int, int]:
        """The scheduled job for sales whose database outcome was unknown (the connection dropped after the statement
        was sent and the database did not answer the lookup): as soon as the database answers, each is confirmed if
        its order exists and released if not. Returns (released, confirmed); one Redis read when there are none."""
        pending = self.store.unresolved()
        return self.settle_holds(pending, "unresolved") if pending else (0, 0)

    def settle_holds(self, holds: Mapping[int, Sequence[str]], reason: str) -> tuple[int, int]:
        """Let PostgreSQL decide the fate of holds: the hold of a token with a committed order (a sale, or an
        exchange's ``OrderChanged``) is confirmed as that order's seats, any other is released with ``reason``.

        Each session is settled under its inventory advisory lock taken exclusively: sale statements hold it shared
        until they commit, so one still running on the server (its client gone) finishes before the lookup, and none
        commits between the lookup and the Redis write — a sale that commits is never given back.
        Returns (released, confirmed)."""
        released = confirmed = 0
        failed: list[BoxOfficeError] = []
        for session_id, tokens in sorted(holds.items()):
            if not tokens:
                continue
            try:
                r, c = self._settle_session(session_id, tokens, reason)
            except BoxOfficeError as exc:  # one session's trouble (a lock timeout) does not hold up the others
                # DEBUG: the first failure is raised below and logged by the job once per outage (every 2 s, per
                # session, it flooded the log while the database was away)
                log.debug("settling holds of session %s: %s", session_id, exc)
                failed.append(exc)
                continue
            released, confirmed = released + r, confirmed + c
        if failed:
            raise failed[0]
        return released, confirmed

    def _settle_session(self, session_id: int, tokens: Sequence[str], reason: str) -> tuple[int, int]:
        """One session's holds, decided and written while its advisory lock is held exclusively."""
        released = confirmed = 0
        with self.uow() as tx:
            tx.locks.exclusive(locks.INVENTORY, session_id)
            known = tx.ledger.orders_of_tokens(tokens)
            for token in tokens:
                if token in known:
                    order_id, seats, lines = known[token]
                    self.store.confirm(session_id, token, seats, order_id, lines)
                    confirmed += 1
                else:
                    self.store.release(session_id, token, reason)
                    released += 1
            tx.commit()
        self.store.resolved(session_id, tokens)
        return released, confirmed

    def overview(self, since: datetime | None = None) -> list[SessionStats]:
        """Figures for every session ending after ``since``: one small query and one Redis pipeline (the sessions
        window asks every 2 s). A seat is sold exactly when it has a live order line (sale, cancel and exchange change
        both in one transaction), so "sold" is counted on the live-lines index; blocked seats come from the venue
        layout, as the session's seats were made from it — not a scan of every seat row of every session."""
        sessions = self.catalog.list_sessions(since)
        if not sessions:
            return []
        with self.uow() as tx:
            sold = tx.ledger.sold_by_session([info.session_id for info in sessions])
        counts: dict[int, dict[str, int]] = {}
        for info in sessions:
            blocked = self.catalog.layout(info.venue_id).blocked_count
            n = sold.get(info.session_id, 0)
            counts[info.session_id] = {"sold": n, "blocked": blocked, "free": info.capacity - n - blocked}
        ids = [s.session_id for s in sessions]
        try:
            if self.health is not None and self.health.down:
                raise BackendUnavailable(reason="redis_unreachable")
            snaps = self.store.snapshots(ids)
        except BackendUnavailable as exc:
            if self.health is None or not (self.health.down or self.health.failed(exc)):
                raise
            snaps = [Snapshot(sid, 0, b"", b"", None, None, None) for sid in ids]  # no Redis figures meanwhile
        return [self._stats(info, counts.get(info.session_id, {}), snap) for info, snap in zip(sessions, snaps)]

    def stats(self, session_id: int) -> SessionStats:
        info = self.catalog.session(session_id)
        with self.uow() as tx:
            counts = tx.ledger.seat_counts(session_id)
        return self._stats(info, counts, self.store.snapshot(session_id))

    def _stats(self, info: SessionInfo, counts: dict[str, int], snap: Snapshot) -> SessionStats:
        return SessionStats(
            session_id=info.session_id,
            venue_id=info.venue_id,
            venue=info.venue,
            name=info.name,
            starts_at=info.starts_at,
            status=info.status,
            capacity=info.capacity,
            sold_db=counts.get("sold", 0),
            held_db=counts.get("held", 0),
            blocked_db=counts.get("blocked", 0),
            free_db=counts.get("free", 0),
            taken_redis=count(snap.taken, info.capacity) if snap.present else None,
            stock_redis=snap.stock,
            version=snap.version,
            live_holds=snap.live_holds,
            ends_at=info.ends_at,
            sales_close_at=info.sales_close_at,
            sales_open_at=info.sales_open_at,
        )
