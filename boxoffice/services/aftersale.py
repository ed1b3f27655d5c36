"""Cancel / refund and exchange, through the same consistent path as a sale.

Cancel (the whole order, or some of its seats: a partial cancel): one transaction frees the seats in the database,
deactivates their order lines, records the refund, the audit entry and an ``OrderCancelled`` outbox row naming exactly
those seats; after commit the seats are freed in Redis (the consumer does it again,
idempotently, if this process dies first).

Exchange: the new seats are claimed first through token + Redis deduction, exactly like a sale; then one transaction
locks old and new seat rows in ascending order, checks the new ones are free, swaps them, settles the price
difference (payment or refund) and writes ``OrderChanged``; after commit the new hold is confirmed and the old seats
freed. If the transaction fails, the new hold is compensated.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from ..adapters.seatstore import SeatChange
from ..adapters.uow import UnitOfWork, UowFactory
from ..domain import limits, tenders
from ..domain.events import parse
from ..domain.layout import Layout
from ..domain.values import PAYMENT_METHODS, Receipt
from ..errors import (
    BackendUnavailable,
    BadInput,
    BoxOfficeError,
    NotOnSale,
    PermissionDenied,
    SeatsUnavailable,
)
from ..failpoints import failpoint
from .accounts import Accounts, UserInfo
from .booking import Booking
from .degraded import degraded_token
from .orders import Orders, lock_paid_order

log = logging.getLogger(__name__)

AFTERSALE_ROLES = ("clerk", "supervisor")


def may_cancel_alone(user: UserInfo, sold_by: str, sold_at: datetime, now: datetime | None = None) -> bool:
    """A supervisor cancels any order; a clerk, without a supervisor, only an order they sold themselves on the same
    day — the same calendar day in this machine's local time zone (the box office's), not UTC."""
    if user.role == "supervisor":
        return True
    today = (now or datetime.now().astimezone()).astimezone().date()
    return sold_by == user.username and sold_at.astimezone().date() == today

def _section(seats: Sequence[int], lines: Sequence[int], zones: Sequence[str], prices: Sequence[Decimal]
             ) -> dict[str, list]:
    return {"seats": list(seats), "lines": list(lines), "zones": list(zones), "prices": [str(p) for p in prices]}


class AfterSale:
    def __init__(self, uow: UowFactory, booking: Booking, accounts: Accounts, orders: Orders) -> None:
        self.uow = uow
        self.booking = booking
        self.accounts = accounts
        self.orders = orders
        self.store = booking.store
        self.catalog = booking.catalog

    def _refund(self, tx: UnitOfWork, order_id: int, amount: Decimal, user: UserInfo) -> list[dict[str, str]]:
        """Pay ``amount`` back the way the order was paid (:func:`boxoffice.domain.tenders.refund_split`: card,
        then voucher, then cash); cash comes out of the acting user's open till — without one, while tills are
        required, the refund is refused (nothing is written). Returns the refunds, for the audit entry."""
        shift_id = tx.tills.open_shift_id(user.user_id)
        split = tenders.refund_split(tx.orders.net_paid_by_method(order_id), amount) if amount > 0 else []
        for method, share in split:
            if method == "cash" and shift_id is None and self.booking.settings.require_till:
                counted = tx.tills.current_shift_id(user.user_id)  # open but counted: waits for its sign-off
                if counted is not None:
                    raise BadInput(reason="cash_refund_till_counted", amount=share, username=user.username,
                                   shift_id=counted)
                raise BadInput(reason="cash_refund_needs_till", amount=share, username=user.username)
            tx.orders.add_payment(order_id, "refund", method, share, shift_id)
        return [{"method": method, "amount": str(share)} for method, share in split]

    def paid_by_method(self, order_id: int) -> list[tuple[str, Decimal]]:
        """What the order still has paid per method (payments minus refunds); read-only."""
        limits.check_id("order number", order_id, limits.MAX_INT8)
        with self.uow() as tx:
            return tx.orders.net_paid_by_method(order_id)

    def refund_plan(self, order_id: int, amount: Decimal) -> list[tuple[str, Decimal]]:
        """How a refund of ``amount`` on the order would go back (card, then voucher, then cash — what
        :meth:`_refund` books), without booking anything."""
        if amount <= 0:
            return []
        return tenders.refund_split(self.paid_by_method(order_id), amount)

    def cancel(self, order_id: int, username: str, reason: str, *, seats: Sequence[str] | None = None,
               supervisor: str | None = None, supervisor_password: str | None = None) -> Receipt:
        """Cancel a paid order and refund it — in full, or with ``seats`` (labels of the order's seats) only those
        seats, refunding their prices (a partial cancel: the order stays paid with the other seats). Returns the
        order as it is after the cancel.

        A clerk may cancel alone only an order they sold today (:func:`may_cancel_alone`); anything else needs a
        supervisor: either the acting user is one, or ``supervisor`` / ``supervisor_password`` are a supervisor's
        name and password (checked like a sign-in: same lockout, audited as ``override``). The audit entry names the
        clerk (its actor) and the approving supervisor (``details.approved_by``).

        The outbox gets an ``OrderCancelled`` naming exactly the seats given back (their lines, zones and prices):
        the consumer takes them off the stock ledger and frees them on the seat map, whether they are the whole
        order or some of its seats."""
        user = self.accounts.require(username, AFTERSALE_ROLES)
        limits.check_id("order number", order_id, limits.MAX_INT8)
        reason = limits.check_text("the reason", reason, limits.MAX_REASON, empty=True)
        if not reason:
            raise BadInput(reason="cancel_needs_reason")
        wanted = None
        if seats is not None:
            wanted = {limits.check_label("seat", label) for label in seats}
            if not wanted:
                raise BadInput(reason="name_a_seat_to_cancel")
        approver = None
        if supervisor:  # checked (and audited) before anything is locked; the password check takes ~50 ms
            approver = self.accounts.verify_supervisor(supervisor, supervisor_password or "", for_user=user,
                                                       order_id=order_id)
        with self.uow() as tx:
            order = lock_paid_order(tx, order_id)
            sold_by = user.username if order.user_id == user.user_id else ""
            if approver is None and not may_cancel_alone(user, sold_by, order.created_at):
                raise PermissionDenied(reason="cancel_needs_supervisor", order_id=order_id)
            every = tx.orders.live_lines(order_id)
            lines = every
            if wanted is not None:
                missing = sorted(wanted - {ln.label for ln in every})
                if missing:
                    raise BadInput(reason="order_has_no_seat", order_id=order_id, seats=", ".join(missing))
                lines = [ln for ln in every if ln.label in wanted]
            whole = len(lines) == len(every)
            idx = [ln.seat_idx for ln in lines]
            tx.sessions.lock_seats(order.session_id, idx)
            refund = sum((ln.price for ln in lines), Decimal("0.00"))
            tx.sessions.mark(order.session_id, idx, "free", of_order=order_id)
            if whole:
                tx.orders.end_lines(order_id, "cancelled")
                tx.orders.set_status(order_id, "cancelled")
            else:
                # 'returned', not 'cancelled': a cancelled order's receipt lists the seats it had when it was
                # cancelled (its total), not the ones returned before
                tx.orders.end_lines(order_id, "returned", idx)
                tx.orders.set_total(order_id, sum((ln.price for ln in every), Decimal("0.00")) - refund)
            refunds = self._refund(tx, order_id, refund, user)
            line_ids = [ln.id for ln in lines]
            payload = {"order_id": order_id, "session_id": order.session_id, "token": order.token,
                       **_section(idx, line_ids, [ln.zone for ln in lines], [ln.price for ln in lines])}
            details = {"seats": [ln.label for ln in lines], "refund": str(refund), "clerk": user.username,
                       "refunds": refunds}
            if not whole:
                details["kept"] = [ln.label for ln in every if ln not in lines]
            if approver is not None:
                details["approved_by"] = approver.username
                details["approved_by_id"] = approver.user_id
            self._outbox_and_audit(tx, "OrderCancelled", "cancel", user, order.session_id, order_id, reason,
                                   payload, details)
            tx.commit()
        self._after_commit(order.session_id, order_id, free=(idx, line_ids))
        return self.orders.get(order_id)

    def exchange(self, order_id: int, labels: Sequence[str], username: str, reason: str = "exchange", *,
                 replacing: Sequence[str] | None = None, supervisor: str | None = None,
                 supervisor_password: str | None = None) -> Receipt:
        """Move an order to other seats of its session; returns the changed order. ``labels`` are the new seats: as
        many as the order has, or with ``replacing`` (labels of some of the order's seats) as many as those, which
        are the only ones moved.

        An exchange to cheaper seats refunds the difference: that refund follows the cancel's rights — a clerk alone
        only on an order they sold today, else a supervisor acting or approving (``supervisor`` and
        ``supervisor_password``, checked like a sign-in). An exchange that costs the same or more needs no one."""
        reason = limits.check_text("the reason", reason, limits.MAX_REASON)
        user = self.accounts.require(username, AFTERSALE_ROLES)
        current = self.orders.get(order_id)
        if current.status != "paid":
            raise BadInput(reason="order_status", order_id=order_id, status=current.status)
        layout = self.catalog.layout(self.catalog.venue_of(current.session_id))
        new = self.booking.resolve(layout, labels)
        every = [ln.seat_index for ln in current.lines]
        old = every
        if replacing is not None:
            moving = set(self.booking.resolve(layout, replacing))
            missing = sorted(layout.seats[i].label for i in moving - set(every))
            if missing:
                raise BadInput(reason="order_has_no_seat", order_id=order_id, seats=", ".join(missing))
            if not moving:
                raise BadInput(reason="name_a_seat_to_move")
            old = [i for i in every if i in moving]
        if len(new) != len(old):
            raise BadInput(reason="exchange_moves", old=len(old), new=len(new))
        kept = sorted(set(new) & set(every))
        if kept:
            raise BadInput(reason="exchange_kept", order_id=order_id,
                           seats=", ".join(layout.seats[i].label for i in kept))
        approver = None
        if supervisor:  # checked (and audited) before any seat is claimed
            approver = self.accounts.verify_supervisor(supervisor, supervisor_password or "", for_user=user,
                                                       order_id=order_id)
        token = self._claim(current.session_id, user, new)  # steps 1 and 2, as for a sale
        committing: list[bool] = []
        try:
            removed, added = self._swap(order_id, current.session_id, layout, every, old, list(new), token, user,
                                        reason, committing, approver)
        except BackendUnavailable:
            if committing:
                # the connection failed during COMMIT: the exchange may have been saved. Keep the new seats held and
                # let the database decide (its OrderChanged row names this token) as soon as it answers.
                self.booking.settle_later(current.session_id, token)
            else:
                self.booking.compensate(current.session_id, token)  # before COMMIT: nothing can have been saved
            raise
        except Exception:
            self.booking.compensate(current.session_id, token)
            raise
        self._after_commit(current.session_id, order_id, free=removed, confirm=(token, *added))
        return self.orders.get(order_id)

    def _claim(self, sid: int, user: UserInfo, new: Sequence[int]) -> str:
        """Steps 1 and 2, as for a sale; while Redis is unreachable (degraded mode) only a fresh token: the swap's
        transaction locks the new seat rows and checks they are free, which is all a database-only sale needs."""
        health = self.booking.health
        if health.down and self.booking.degraded is not None:
            return degraded_token()
        try:
            return self.booking.claim(sid, user, new)
        except BackendUnavailable as exc:
            if self.booking.degraded is None or not health.failed(exc):
                raise
            return degraded_token()

    def _swap(self, order_id: int, sid: int, layout: Layout, every: list[int], old: list[int], new: list[int],
              token: str, user: UserInfo, reason: str, committing: list[bool], approver: UserInfo | None = None
              ) -> tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]]:
        """Moves the order's seats ``old`` (of all its seats ``every``) to ``new``. Returns the (seats, order lines)
        removed and added. ``committing`` gets an entry once COMMIT is sent: a failure before it left nothing in the
        database, one after it has an unknown outcome."""
        seats_new = [layout.seats[i] for i in new]
        price_list = self.catalog.price_list(sid)
        with self.uow() as tx:
            order = tx.orders.lock_order(order_id)
            assert order is not None  # read before the claim; an order is never deleted
            if order.status != "paid":
                raise BadInput(reason="order_status", order_id=order_id, status=order.status)
            if order.session_status != "onsale":
                raise NotOnSale(reason="session_status", session_id=sid, status=order.session_status)
            live = tx.orders.live_lines(order_id)
            if sorted(ln.seat_idx for ln in live) != sorted(every):
                raise BadInput(reason="order_changed", order_id=order_id)
            lines = [ln for ln in live if ln.seat_idx in set(old)]
            # each new seat keeps the price type of the seat it replaces (both in ascending seat order), at its
            # zone's price for that type
            types_new = [ln.price_type for ln in sorted(lines, key=lambda ln: ln.seat_idx)]
            prices_new = [price_list.price(st.zone, t) for st, t in zip(seats_new, types_new, strict=True)]
            old_total = sum((ln.price for ln in lines), Decimal("0.00"))
            new_total = sum(prices_new, Decimal("0.00"))
            diff = new_total - old_total
            sold_by = user.username if order.user_id == user.user_id else ""
            if diff < 0 and approver is None and not may_cancel_alone(user, sold_by, order.created_at):
                raise PermissionDenied(reason="exchange_refund_needs_supervisor", amount=-diff, order_id=order_id)
            rows = tx.sessions.lock_seats(sid, old + new)
            taken = [layout.seats[r.seat_idx].label for r in rows if r.seat_idx in new and r.status != "free"]
            if taken:
                raise SeatsUnavailable(taken)
            tx.sessions.mark(sid, old, "free")
            tx.sessions.mark(sid, new, "sold", order_id)
            tx.orders.end_lines(order_id, "exchanged", old)
            added_lines = tx.orders.add_lines(order_id, sid, seats_new, prices_new, types_new)
            new_lines = [added_lines[i] for i in new]
            removed = ([ln.seat_idx for ln in lines], [ln.id for ln in lines])
            tx.orders.set_total(order_id, sum((ln.price for ln in live), Decimal("0.00")) + diff)
            moved: list[dict[str, str]] = []  # the money the difference moved, for the audit entry
            if diff > 0:  # taken the way the order was paid, or in cash when it was split
                method = order.payment_method if order.payment_method in PAYMENT_METHODS else "cash"
                till = tx.tills.open_shift_id(user.user_id)
                if till is None and method == "cash" and self.booking.settings.require_till:
                    counted = tx.tills.current_shift_id(user.user_id)
                    if counted is not None:  # counted: waits for its sign-off and takes no more cash
                        raise BadInput(reason="till_counted", username=user.username, shift_id=counted)
                tx.orders.add_payment(order_id, "payment", method, diff, till)
                moved = [{"method": method, "amount": str(diff)}]
            elif diff < 0:
                moved = self._refund(tx, order_id, -diff, user)
            payload = {"order_id": order_id, "session_id": sid, "token": token,
                       "added": _section(new, new_lines, [st.zone for st in seats_new], prices_new),
                       "removed": _section(*removed, [ln.zone for ln in lines], [ln.price for ln in lines])}
            self._outbox_and_audit(
                tx, "OrderChanged", "exchange", user, sid, order_id, reason, payload,
                {"from": [ln.label for ln in lines], "to": [st.label for st in seats_new], "difference": str(diff),
                 "tenders" if diff > 0 else "refunds": moved,
                 **({"approved_by": approver.username, "approved_by_id": approver.user_id} if approver else {})},
            )
            failpoint("exchange.before_commit")
            committing.append(True)
            tx.commit()
        return removed, (new, new_lines)

    @staticmethod
    def _outbox_and_audit(tx, topic: str, action: str, user: UserInfo, sid: int, order_id: int,  # noqa: ANN001
                          reason: str, payload: dict, details: dict) -> None:
        tx.outbox.append(parse(topic, payload))  # checked: a malformed event is refused before commit
        tx.audit.record(action, user.user_id, session_id=sid, order_id=order_id, reason=reason, details=details)

    def _after_commit(self, sid: int, order_id: int, free: tuple[Sequence[int], Sequence[int]],
                      confirm: tuple[str, Sequence[int], Sequence[int]] | None = None) -> None:
        """The live map learns at once; if Redis fails here, the outbox consumer applies the same effects.
        ``free`` and ``confirm`` carry (seats, order lines), ``confirm`` the hold's token first."""
        if self.booking.health.down:
            return  # Redis unreachable: the outbox consumer applies the effects, the rebuild after the outage too
        effects = [SeatChange("confirm", sid, order_id, confirm[1], confirm[2], token=confirm[0])] if confirm else []
        effects.append(SeatChange("free", sid, order_id, *free, reason="exchange" if confirm else "cancel"))
        try:
            self.store.apply_changes(effects)
        except BoxOfficeError as exc:
            self.booking.health.failed(exc)
            log.exception("Redis update after order change failed; the outbox consumer will apply it")
