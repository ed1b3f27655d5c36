"""Degraded mode: selling from PostgreSQL alone while Redis is unreachable (DESIGN §6).

The database can sell safely without Redis: the sale statement (``SALE_SQL`` in ``adapters/repos/orders.py``) locks
the requested seat rows FOR UPDATE in ascending order, checks they are free and the session on sale before writing
anything, and the partial unique index on live order lines forbids a second live sale of a seat whatever happens. So,
while :class:`~boxoffice.services.health.RedisHealth` says Redis is down:

- named seats: ``SALE_SQL`` with a fresh token (prefixed ``db.``, so receipts and the audit show the path);
- best N: the database's taken seats (``session_seats``) → the usual best-available chooser → ``SALE_SQL``, again from
  the start when another sale took a chosen seat first;
- holds: the seat rows are marked ``held`` and a ``seat_holds`` row keeps the token, seats, clerk and expiry, in one
  transaction; finishing the sale under the token frees them and runs ``SALE_SQL`` in the same transaction; the
  sweep releases expired ones. A rebuild shows them taken;
- cancels and exchanges are database transactions already; their Redis effects are skipped (the outbox and the
  rebuild bring Redis up to date).

Every process that finds Redis unreachable records it in the audit log (``redis_down``). When Redis answers again,
:meth:`DegradedSales.recover` rebuilds every current session from the database — once across processes: one Redis
turn at a time, and only if an outage was recorded after the last recovery (``redis_recovered``, dated when its
rebuild began) — which bumps each session's epoch, so no token from before the outage is accepted. A process that
starts while Redis is back but not yet rebuilt (a CLI run) does the same at start. The outbox relay and consumer then
catch up on their own.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..adapters import locks
from ..adapters.repos import audit, holds, orders, sessions, tills
from ..adapters.seatstore import Hold, SeatFix, SeatStore, Snapshot
from ..adapters.uow import UowFactory
from ..domain.bitmap import bit, make_bitmap
from ..domain.layout import Layout
from ..domain.values import Receipt
from ..errors import (
    BackendUnavailable,
    BoxOfficeError,
    NoAdjacentSeats,
    SeatsUnavailable,
    TokenExpired,
    TokenForeign,
    TokenInvalid,
)
from .accounts import UserInfo
from .catalog import Catalog
from .inventory import Inventory

if TYPE_CHECKING:
    from .booking import Booking, SaleRequest

log = logging.getLogger(__name__)

#: tokens of sales and holds made from the database alone start with this
DEGRADED_PREFIX = "db."


def degraded_token() -> str:
    return DEGRADED_PREFIX + secrets.token_urlsafe(18)


def sold_degraded(receipt: Receipt) -> bool:
    """Whether this order was sold from the database alone (Redis unreachable)."""
    return receipt.token.startswith(DEGRADED_PREFIX)


class DegradedSales:
    """The database-only path of every sale, hold, exchange and the recovery after an outage."""

    #: how long the process that rebuilds after an outage keeps the turn (others wait for its marker meanwhile)
    RECOVERY_TURN_MS = 120_000

    def __init__(self, booking: Booking, inventory: Inventory) -> None:
        self.booking = booking
        self.uow: UowFactory = booking.uow
        self.catalog: Catalog = booking.catalog
        self.store: SeatStore = booking.store
        self.inventory = inventory

    # -- selling ----------------------------------------------------------------------------------------------------
    def sell(self, req: SaleRequest, user: UserInfo, layout: Layout, indices: tuple[int, ...]) -> Receipt:
        """The sale of ``req`` from the database alone (its request already checked by :meth:`Booking.sell`)."""
        if req.token:
            return self.resume(req, user, layout, indices)
        if indices:
            return self.booking._commit(req, user, layout, degraded_token(), indices)
        wanted = int(req.best or 0)
        best = self.catalog.best_available(self.catalog.venue_of(req.session_id))
        for _attempt in range(self.booking.MAX_ATTEMPTS):
            taken = self.picture(req.session_id).taken
            chosen = best.find(wanted, lambda i: bit(taken, i), req.zone)
            if chosen is None:
                raise NoAdjacentSeats([], reason="no_adjacent_in_zone" if req.zone else "no_adjacent", count=wanted,
                                     zone=req.zone)
            try:
                return self.booking._commit(req, user, layout, degraded_token(), chosen)
            except SeatsUnavailable:
                continue  # another window sold one of them first: choose again from the database
        raise NoAdjacentSeats([], reason="best_kept_taken", count=wanted)

    def resume(self, req: SaleRequest, user: UserInfo, layout: Layout, indices: tuple[int, ...]) -> Receipt:
        """A sale under a token: the order it already made, or the database hold it names."""
        assert req.token
        existing = self.booking.orders.by_token(req.token)
        if existing is not None:
            self.booking.check_resumed(req, user, indices, existing)
            return existing
        if not req.token.startswith(DEGRADED_PREFIX):
            raise BackendUnavailable(reason="map_not_live_held")
        return self.finish_hold(req, user, layout, indices)

    def picture(self, session_id: int) -> Snapshot:
        """The session's taken and sold seats as the database has them (held and blocked count as taken)."""
        capacity = self.catalog.session(session_id).capacity
        with self.uow() as tx:
            rows = sessions.taken_seats(tx.session, session_id)
        taken = make_bitmap(capacity, (r.seat_idx for r in rows))
        sold = make_bitmap(capacity, (r.seat_idx for r in rows if r.status == "sold"))
        return Snapshot(session_id=session_id, version=-1, taken=taken, sold=sold, stock=capacity - len(rows),
                        capacity=capacity, epoch=None)

    # -- holds ------------------------------------------------------------------------------------------------------
    def hold(self, session_id: int, user: UserInfo, indices: Sequence[int]) -> Hold:
        """Hold the seats in the database: rows ``held``, a ``seat_holds`` row with the token, one transaction."""
        layout = self.catalog.layout(self.catalog.venue_of(session_id))
        idx = sorted(indices)
        token = degraded_token()
        ttl = float(self.booking.settings.hold_ttl_s)
        with self.uow() as tx:
            s = tx.session
            locks.shared(s, locks.INVENTORY, session_id)
            from .booking import not_on_sale

            status = orders.sale_status(s, session_id)
            if status != "onsale":  # closed, or outside its sales window (as the sale statement checks it)
                raise not_on_sale(session_id, status)
            rows = sessions.lock_seats(s, session_id, idx)
            taken = [layout.seats[r.seat_idx].label for r in rows if r.status != "free"]
            if taken:
                raise SeatsUnavailable(taken)
            sessions.mark(s, session_id, idx, "held")
            expires = holds.add(s, token, session_id, user.user_id, idx, ttl)
            audit.record(s, "hold", user.user_id, session_id=session_id,
                         reason="Redis unreachable: held in the database",
                         details={"token": token, "seats": [layout.seats[i].label for i in idx], "degraded": True})
            tx.commit()
        return Hold(token, "held", tuple(idx), int(expires.timestamp() * 1000), user.username)

    def has_hold(self, token: str) -> bool:
        if not token.startswith(DEGRADED_PREFIX):
            return False
        with self.uow() as tx:
            return holds.exists(tx.session, token)

    def finish_hold(self, req: SaleRequest, user: UserInfo, layout: Layout, indices: tuple[int, ...]) -> Receipt:
        """Sell a database hold's seats under its token: in ONE transaction the hold is checked and locked, its seats
        made free and sold by the sale statement — no other sale can take them in between."""
        from .booking import (  # booking imports this module at call time only
            not_on_sale,
            sale_of,
            sold_receipt,
            till_refusal,
        )

        token = req.token
        assert token
        with self.uow() as tx:
            s = tx.session
            hold = holds.lock(s, token)
            if hold is None:
                raise TokenInvalid(reason="token_unknown")
            if hold.session_id != req.session_id or hold.user_id != user.user_id:
                raise TokenForeign()  # another clerk's hold, or another session's: this token is another sale's
            if hold.state != "held" or hold.expired:
                raise TokenExpired(reason="token_hold_ended", state="released" if hold.expired else hold.state)
            seats = sorted(hold.seats)
            if indices and set(indices) != set(seats) or req.best is not None and req.best != len(seats):
                raise TokenForeign()  # other seats than the ones held
            sessions.lock_seats(s, req.session_id, seats)
            sessions.mark(s, req.session_id, seats, "free", was="held")
            sale = sale_of(req, user, layout, self.catalog.price_list(req.session_id), token, seats, degraded=True,
                           need_till=self.booking.settings.require_till)
            row = orders.place_in(s, sale)
            if row.order_id is None:  # rolled back with the transaction: the hold stays as it was
                if row.session_status != "onsale":
                    raise not_on_sale(req.session_id, row.session_status)
                if sale.need_till and row.till_id is None and not row.taken:
                    raise till_refusal(user, tills.current_shift_id(s, user.user_id))
                raise SeatsUnavailable([layout.seats[i].label for i in row.taken or seats])
            holds.set_state(s, token, "sold")
            tx.commit()
        assert row.created_at is not None and row.lines is not None
        return sold_receipt(sale, user, row.order_id, row.created_at, row.lines)

    def sweep_holds(self) -> int:
        """Release the database holds past their expiry (seats free again); returns how many. Safe in many processes
        at once (each row is updated by one). If Redis is back meanwhile, a rebuild showed those seats taken: they
        are freed there too (what the reconciler would do with the orphan bits)."""
        with self.uow() as tx:
            gone = holds.release_expired(tx.session)
            for g in gone:
                audit.record(tx.session, "release", None, session_id=g.session_id, reason="hold expired",
                             details={"token": g.token, "seats": list(g.seats), "degraded": True})
            tx.commit()
        if gone and not self.booking.health.down:
            seats: dict[int, set[int]] = {}
            for g in gone:
                seats.setdefault(g.session_id, set()).update(g.seats)
            for sid, idx in seats.items():
                try:
                    self._free_in_redis(sid, sorted(idx))
                except BoxOfficeError as exc:  # the reconcile job frees them (orphan_hold)
                    self.booking.health.failed(exc)
                    log.warning("freeing swept database holds of session %s in Redis failed: %s", sid, exc)
        return len(gone)

    def _free_in_redis(self, session_id: int, idx: list[int]) -> None:
        """Clear the taken bits of seats free in the database, held by no Redis hold and not sold in Redis — under
        the session's exclusive lock, so no sale commits between the check and the write; each bit only if still
        as seen (``repair.lua``)."""
        with self.uow() as tx:
            s = tx.session
            locks.exclusive(s, locks.INVENTORY, session_id)
            free = sessions.free_among(s, session_id, idx)
            insp = self.store.inspect(session_id)
            held = {i for h in insp.holds if h.state == "held" and h.expires_ms > insp.now_ms for i in h.seats}
            fixes = [SeatFix(i, True, False, insp.owners.get(i, ""), False, False, insp.owners.get(i, ""))
                     for i in sorted(free - held)
                     if bit(insp.snapshot.taken, i) and not bit(insp.snapshot.sold, i)]
            if fixes:
                self.store.repair(session_id, "hold sweep", "orphan_hold", fixes, recount=False)
            tx.commit()

    # -- recovery ---------------------------------------------------------------------------------------------------
    def note_outage(self, why: str) -> bool:
        """Record in the database that this process found Redis unreachable (audit ``redis_down``): whichever
        process sees Redis again first rebuilds from it, even one started after the outage (a CLI run)."""
        try:
            with self.uow() as tx:
                audit.record(tx.session, "redis_down", None, reason="Redis unreachable: selling from the database",
                             details={"error": why[:500]})
                tx.commit()
            return True
        except BoxOfficeError as exc:
            log.warning("could not record the Redis outage in the database: %s", exc)
            return False

    def needs_recovery(self) -> bool:
        """An outage was recorded after the last rebuild that followed one (database clock on both sides)."""
        with self.uow() as tx:
            down, recovered = audit.last_outage(tx.session)
        return down is not None and (recovered is None or recovered < down)

    def recover(self, force: bool = False, wait_s: float | None = None) -> list[int]:
        """Redis answers again: rebuild every current session from the database, unless no outage was recorded
        since the last such rebuild (another process did it). One process at a time (a Redis turn); the others wait
        for it. Returns the sessions this call rebuilt; raises while Redis still fails (the caller stays degraded
        and tries again). ``force``: this process could not record its outage, rebuild anyway; ``wait_s``: how long
        to wait for another process's rebuild (default: as long as its turn lasts)."""
        deadline = time.monotonic() + (self.RECOVERY_TURN_MS / 1000 if wait_s is None else wait_s)
        while True:
            if not force and not self.needs_recovery():
                return []
            if self.store.try_job_lock("recover", self.RECOVERY_TURN_MS):
                break
            if time.monotonic() > deadline:
                raise BackendUnavailable(reason="rebuild_in_progress")
            time.sleep(0.1)
        try:
            if not force and not self.needs_recovery():  # done by the process that had the turn just before
                return []
            with self.uow() as tx:
                started = sessions.now(tx.session)
            current = self.catalog.list_sessions(datetime.now(timezone.utc))
            for info in current:
                epoch = self.inventory.rebuild(info.session_id)
                with self.uow() as tx:
                    audit.record(tx.session, "rebuild", None, session_id=info.session_id,
                                 reason="Redis answered again after an outage: rebuilt from the database",
                                 details={"epoch": epoch})
                    tx.commit()
            with self.uow() as tx:  # dated when the rebuild began: an outage seen during it triggers another
                audit.record(tx.session, "redis_recovered", None, at=started,
                             reason="every current session rebuilt from the database",
                             details={"sessions": [i.session_id for i in current]})
                tx.commit()
        finally:
            self.store.unlock_job("recover")
        log.warning("rebuilt %d session(s) from the database after the Redis outage", len(current))
        return [info.session_id for info in current]

