"""Till shifts: open a till with a float, drops and payouts, the BLIND count, the supervisor's sign-off, X and Z
reports, and the tender check.

A clerk has at most one open till, a workstation at most one (the database's partial unique indexes; a clear
BadInput here). Every sale and refund of the clerk goes into the open till (the sale statement finds it). The close
is blind: the clerk counts the drawer (a total, or by denomination) without seeing what is expected — a clerk's own
status and X report show counts only, no amount, until the count is recorded; once counted, the till takes
nothing more (no sale, refund, drop or payout) until it is signed off. Then a supervisor signs the close off (the
acting user is one, or a supervisor's name and password are checked like a sign-in, as for a refund), the shift is
locked FOR UPDATE (a sale into it holds it FOR SHARE, so a close waits for a sale in flight and counts it), and the
expected cash and variance are stored. Every cash movement is audited: ``till_open``, ``till_drop``,
``till_payout``, ``till_count``, ``till_close`` (naming the supervisor).

Reports are dicts that are their JSON: ``X`` while the shift is open, ``Z`` once closed (see :meth:`Tills.report`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..adapters.uow import UnitOfWork, UowFactory
from ..domain import limits
from ..domain import till as figures
from ..errors import BadInput, NotFound, PermissionDenied
from .accounts import SUPERVISOR_ROLES, Accounts, UserInfo

TILL_ROLES = ("clerk", "supervisor")
MAX_WORKSTATION = 100


def _workstation(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_WORKSTATION or limits.bad_char(name, invisible=True):
        raise BadInput(reason="bad_workstation")
    return name


def _positive(kind: str, amount: Decimal) -> Decimal:
    amount = Decimal(amount)
    if amount.is_finite() and amount <= 0:
        raise BadInput(reason="till_amount_not_positive", kind=kind, amount=amount)
    return limits.check_price(f"the {kind}", amount).quantize(figures.CENT)


class Tills:
    def __init__(self, uow: UowFactory, accounts: Accounts, currency: str = "EUR") -> None:
        self.uow = uow
        self.accounts = accounts
        self.currency = currency

    # -- opening, drops, payouts ------------------------------------------------------------------------------------
    def open(self, username: str, opening_float: Decimal, workstation: str) -> dict[str, Any]:
        """Open ``username``'s till on ``workstation`` with ``opening_float`` in the drawer; returns the status (and
        the float just given, also to a clerk whose status is blind)."""
        user = self.accounts.require(username, TILL_ROLES)
        amount = limits.check_price("the opening float", Decimal(opening_float)).quantize(figures.CENT)
        workstation = _workstation(workstation)
        with self.uow() as tx:
            self._refuse_second(tx, user, workstation)
            shift_id = tx.tills.open_shift(user.user_id, workstation, amount)
            if shift_id is None:  # a concurrent open won between the check and the insert
                self._refuse_second(tx, user, workstation)
                raise BadInput(reason="workstation_in_use", workstation=workstation, username="?", shift_id="?")
            tx.audit.record("till_open", user.user_id, details={"shift_id": shift_id, "workstation": workstation,
                                                                "float": str(amount)})
            tx.commit()
        return {**self.status(username), "opening_float": str(amount)}  # the float just typed, even when blind

    @staticmethod
    def _refuse_second(tx: UnitOfWork, user: UserInfo, workstation: str) -> None:
        mine = tx.tills.current_shift_id(user.user_id)
        if mine is not None:
            row = tx.tills.shift(mine)
            raise BadInput(reason="till_already_open", username=user.username, shift_id=mine,
                           workstation=row.workstation)
        there = tx.tills.open_on_workstation(workstation)
        if there is not None:
            raise BadInput(reason="workstation_in_use", workstation=workstation, username=there[1],
                           shift_id=there[0])

    def open_shift_id(self, username: str) -> int | None:
        """The user's open till shift (counted or not: one not signed off yet), if any."""
        user = self.accounts.get(username)
        with self.uow() as tx:
            return tx.tills.current_shift_id(user.user_id)

    def drop(self, username: str, amount: Decimal, reason: str | None = None) -> dict[str, Any]:
        """Cash taken from the drawer to the safe."""
        return self._movement(username, "drop", amount, reason)

    def payout(self, username: str, amount: Decimal, reason: str) -> dict[str, Any]:
        """Cash paid out of the drawer for something (a reason is required)."""
        return self._movement(username, "payout", amount, reason)

    def _movement(self, username: str, kind: str, amount: Decimal, reason: str | None) -> dict[str, Any]:
        user = self.accounts.require(username, TILL_ROLES)
        amount = _positive(kind, amount)
        reason = limits.check_text("the reason", reason or "", limits.MAX_REASON, empty=True) or None
        if kind == "payout" and not reason:
            raise BadInput(reason="payout_needs_reason")
        with self.uow() as tx:
            shift = tx.tills.lock_open_shift(user.user_id)
            if shift is None:
                raise BadInput(reason="till_not_open", username=user.username)
            if shift.counted is not None:  # counted: waits for its sign-off and takes nothing more
                raise BadInput(reason="till_counted", username=user.username, shift_id=shift.id)
            tx.tills.add_movement(shift.id, kind, amount, reason, user.user_id)
            tx.audit.record(f"till_{kind}", user.user_id, reason=reason,
                            details={"shift_id": shift.id, "amount": str(amount)})
            tx.commit()
        return self.status(username)

    # -- status and reports -----------------------------------------------------------------------------------------
    def status(self, username: str) -> dict[str, Any]:
        """The user's own open till as they may see it: blind (no expected cash) until the count is recorded —
        except for a supervisor. ``{"open": False}`` without one."""
        user = self.accounts.require(username, TILL_ROLES)
        with self.uow() as tx:
            shift_id = tx.tills.current_shift_id(user.user_id)
            if shift_id is None:
                return {"open": False, "clerk": user.username}
            report = self._report(tx, shift_id)
        return {"open": True, **self._as_seen_by(user, report)}

    def report(self, username: str, shift_id: int) -> dict[str, Any]:
        """The X (open shift) or Z (closed) report of ``shift_id``. A clerk sees only their own tills, and their
        open till blind until counted; a supervisor sees every till with its expected cash."""
        user = self.accounts.require(username, TILL_ROLES)
        limits.check_id("till shift", shift_id)
        with self.uow() as tx:
            report = self._report(tx, shift_id)
        if user.role not in SUPERVISOR_ROLES and report["clerk"] != user.username:
            raise PermissionDenied(reason="till_not_yours", shift_id=shift_id, owner=report["clerk"])
        return self._as_seen_by(user, report)

    @staticmethod
    def _as_seen_by(user: UserInfo, report: dict[str, Any]) -> dict[str, Any]:
        if user.role in SUPERVISOR_ROLES or report["counted"] is not None:
            return report
        return blind(report)

    def _report(self, tx: UnitOfWork, shift_id: int) -> dict[str, Any]:
        row = tx.tills.shift(shift_id)
        if row is None:
            raise NotFound(reason="till_shift_not_found", shift_id=shift_id)
        orders, seats, pays = tx.tills.shift_orders(shift_id)
        moves = tx.tills.movements(shift_id)
        comps = tx.tills.comp_types(sorted({o.session_id for o in orders}))
        cash = figures.cash_figures(shift_id, row.opening_float, pays, moves)
        traced = figures.trace(shift_id, orders, seats, pays, comps)
        closed = row.status == "closed"
        expected = row.expected if closed else cash.expected
        variance = (row.variance if closed else None if row.counted is None else row.counted - expected)
        return {
            "kind": "Z" if closed else "X",
            "shift_id": row.id, "clerk": row.clerk, "workstation": row.workstation, "status": row.status,
            "currency": self.currency,
            "opened_at": row.opened_at.isoformat(), "closed_at": row.closed_at.isoformat() if row.closed_at else None,
            "opening_float": str(row.opening_float),
            "cash": cash.as_dict(),
            "expected": str(expected),
            "counted": None if row.counted is None else str(row.counted),
            "count": row.counted_detail,
            "variance": None if variance is None else str(variance),
            "signed_off_by": row.signed_off_by, "note": row.note,
            "by_method": figures.by_method(shift_id, pays),
            "movements": [{"kind": m.kind, "amount": str(m.amount), "reason": m.reason, "actor": m.actor,
                           "at": m.at.isoformat() if m.at else None} for m in moves],
            "orders": [o.as_dict(shift_id) for o in traced],
            "candidates": figures.candidates(shift_id, traced, variance or Decimal(0)),
            "mismatches": figures.mismatches(traced),
            "blind": False,
        }

    # -- the count and the close ------------------------------------------------------------------------------------
    def count(self, username: str, counted: Decimal | None = None,
              detail: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Record the clerk's blind count of their open till (a total, or by denomination — one of the two) and
        return the report, which now shows the expected cash and the variance. A count is recorded once."""
        user = self.accounts.require(username, TILL_ROLES)
        total, det = self._counted(counted, detail)
        with self.uow() as tx:
            shift = tx.tills.lock_open_shift(user.user_id)
            if shift is None:
                raise BadInput(reason="till_not_open", username=user.username)
            self._record_count(tx, user, shift, total, det)
            tx.commit()
            shift_id = shift.id
        with self.uow() as tx:
            return self._report(tx, shift_id)

    @staticmethod
    def _counted(counted: Decimal | None, detail: Mapping[str, int] | None
                 ) -> tuple[Decimal, dict[str, int] | None]:
        if (counted is None) == (detail is None):
            raise BadInput(reason="count_total_or_detail")
        if detail is not None:
            det = figures.normalise_count(detail)
            return figures.count_total(det), det
        assert counted is not None
        return figures.check_counted(Decimal(counted)), None

    @staticmethod
    def _record_count(tx: UnitOfWork, user: UserInfo, shift: Any, total: Decimal, det: dict[str, int] | None
                      ) -> None:
        if shift.counted is not None:
            if shift.counted == total and (det is None or det == shift.counted_detail):
                return  # the same count again (a retried close): nothing new
            raise BadInput(reason="till_already_counted", shift_id=shift.id, counted=shift.counted)
        tx.tills.record_count(shift.id, total, det)
        tx.audit.record("till_count", user.user_id, details={"shift_id": shift.id, "counted": str(total),
                                                             "by_denomination": det})
        shift.counted, shift.counted_detail = total, det

    def close(self, username: str, counted: Decimal | None = None, detail: Mapping[str, int] | None = None, *,
              supervisor: str | None = None, supervisor_password: str | None = None,
              note: str | None = None) -> dict[str, Any]:
        """Close ``username``'s open till: the count (given here, or recorded before by :meth:`count`), a
        supervisor's sign-off (the acting user is one, or ``supervisor``/``supervisor_password`` are checked like a
        sign-in), then under FOR UPDATE on the shift the expected cash and the variance are computed and stored.
        A variance other than zero needs ``note`` (why), kept with the shift and in the audit entry. Returns the Z
        report."""
        user = self.accounts.require(username, TILL_ROLES)
        given = None if counted is None and detail is None else self._counted(counted, detail)
        note = limits.check_text("the note", note or "", limits.MAX_REASON, empty=True) or None
        approver = user if user.role in SUPERVISOR_ROLES and not supervisor else None
        if approver is None:
            if not supervisor:
                raise PermissionDenied(reason="till_close_needs_supervisor")
            approver = self.accounts.verify_supervisor(supervisor, supervisor_password or "", for_user=user)
        with self.uow() as tx:
            shift = tx.tills.lock_open_shift(user.user_id)
            if shift is None:
                raise BadInput(reason="till_not_open", username=user.username)
            if given is not None:
                self._record_count(tx, user, shift, *given)
            if shift.counted is None:
                raise BadInput(reason="till_not_counted", shift_id=shift.id)
            _orders, _seats, pays = tx.tills.shift_orders(shift.id)
            cash = figures.cash_figures(shift.id, shift.opening_float, pays, tx.tills.movements(shift.id))
            expected = cash.expected
            variance = shift.counted - expected
            if variance != 0 and not note:
                tx.commit()  # a count given here stays recorded: a refused close is no second blind count
                raise BadInput(reason="till_variance_needs_note", shift_id=shift.id, variance=variance)
            tx.tills.close_shift(shift.id, expected, variance, approver.user_id, note)
            tx.audit.record("till_close", user.user_id, reason=note, details={
                "shift_id": shift.id, "counted": str(shift.counted), "expected": str(expected),
                "variance": str(variance), "signed_off_by": approver.username,
                "signed_off_by_id": approver.user_id, **cash.as_dict()})
            tx.commit()
            shift_id = shift.id
        with self.uow() as tx:
            return self._report(tx, shift_id)

    # -- the tender check -------------------------------------------------------------------------------------------
    def tender_mismatches(self, username: str, session_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Orders paid into a till (in ``session_ids``, or any) whose payments minus refunds do not add up to their
        live seats' prices (a supervisor's check, part of ``boxoffice reconcile``)."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        if session_ids is not None:
            session_ids = [limits.check_id("session", i) for i in session_ids]
        with self.uow() as tx:
            rows = tx.tills.tender_mismatches(session_ids)
        return [{"order_id": oid, "shift_id": sid, "paid_net": str(net), "live_total": str(total),
                 "difference": str(net - total)} for oid, sid, net, total in rows]


#: what a blind report keeps: who, where, when — no amount at all (every amount helps work the expected cash out)
BLIND_KEPT = ("kind", "shift_id", "clerk", "workstation", "status", "currency", "opened_at", "closed_at", "counted",
              "count", "signed_off_by", "note")


def blind(report: dict[str, Any]) -> dict[str, Any]:
    """The report as a clerk sees it before their count: only counts (orders, seats, drops, payouts, refunds) and
    no amount at all — no float, prices, per-method totals, movements' amounts or tender mismatches, from which the
    expected cash could be worked out. A supervisor, and the clerk once counted, see the whole report."""
    out = {k: report[k] for k in BLIND_KEPT}
    moves = report["movements"]
    out["counts"] = {
        "orders": len(report["orders"]),
        "seats": sum(1 for o in report["orders"] for s in o["seats"] if s.get("live", True)),
        "refunds": sum(1 for o in report["orders"] for t in o["tenders"] if t["kind"] == "refund" and t["this_till"]),
        "drops": sum(1 for m in moves if m["kind"] == "drop"),
        "payouts": sum(1 for m in moves if m["kind"] == "payout"),
    }
    out.update(blind=True, by_method={}, movements=[], orders=[], mismatches=[])
    return out
