"""Tickets: signed codes for each seat of an order, checking a scanned code against the database, and reprints.

A code carries the seat's price type (the gate sees "CHILD: check proof of age") and its print number: a reprint
bumps the number of the order's lines (``order_lines.reprint``), so the codes of the older print stop verifying
("replaced by reprint 2"). The first reprint is a clerk's own call; a second or later one needs a supervisor.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..adapters.printers.escpos_out import OrderPrint
from ..adapters.repos import accounts
from ..adapters.uow import UowFactory
from ..domain import limits
from ..domain.pricing import PriceTypeInfo
from ..domain.tickets import TicketCode, is_code, parse, sign, type_in_code
from ..domain.values import Receipt
from ..errors import BadInput, BoxOfficeError, PermissionDenied
from .orders import Orders, lock_paid_order

if TYPE_CHECKING:
    from .catalog import Catalog

#: who may reprint an order's tickets (a second reprint of a seat needs a supervisor: :meth:`Tickets.reprint`)
REPRINT_ROLES = ("clerk", "supervisor")
#: a reprint number from which on a supervisor must act or approve
SUPERVISED_REPRINT = 2


@dataclass(frozen=True)
class TicketCheck:
    valid: bool
    reason: str
    order_id: int | None = None
    seat: str | None = None
    #: the price type the code carries (its code, e.g. "child"), its name, and what the gate checks for it
    price_type: str | None = None
    type_name: str | None = None
    notice: str | None = None
    #: the print number the code carries (0: the first print)
    reprint: int | None = None


@dataclass(frozen=True)
class Reprinted:
    """A reprint's outcome: the order as it is now, and per seat label its old and new print numbers."""

    receipt: Receipt
    numbers: dict[str, tuple[int, int]]

    def as_dict(self) -> dict[str, object]:
        return {"order_id": self.receipt.order_id,
                "reprints": {label: {"old": old, "new": new} for label, (old, new) in self.numbers.items()}}


class Tickets:
    def __init__(self, uow: UowFactory, orders: Orders, configured_secret: str | None = None,
                 catalog: Catalog | None = None) -> None:
        self.uow = uow
        self.orders = orders
        self.catalog = catalog
        self._secret = configured_secret.encode() if configured_secret else None

    def secret(self) -> bytes:
        """BOXOFFICE_TICKET_SECRET if set, else the installation's key (made once, shared through PostgreSQL)."""
        if self._secret is None:
            with self.uow() as tx:
                self._secret = accounts.app_secret(tx.session, "ticket", secrets.token_bytes(32))
                tx.commit()
        return self._secret

    def codes(self, receipt: Receipt) -> list[tuple[str, str]]:
        """(seat label, signed code) for every seat of the order, with its price type and print number."""
        key = self.secret()
        return [(ln.label, sign(key, TicketCode(receipt.order_id, receipt.session_id, ln.seat_index,
                                                ln.price_type, ln.reprint)))
                for ln in receipt.lines]

    def price_type(self, session_id: int, code: str) -> PriceTypeInfo:
        """The price type ``code`` of the session's price list (its name and notice); a type the list no longer
        has is shown by its code, without a notice."""
        if self.catalog is not None:
            try:
                return self.catalog.price_list(session_id).type(code)
            except BoxOfficeError:
                pass
        return PriceTypeInfo(code, code.capitalize())

    def verify_as(self, username: str, code: str) -> TicketCheck:
        """:meth:`verify` for a signed-in clerk or supervisor (it reads the order)."""
        from .orders import READER_ROLES

        assert self.orders.accounts is not None, "Orders.accounts is set by bootstrap"
        self.orders.accounts.require(username, READER_ROLES)
        return self.verify(code)

    def verify(self, code: str) -> TicketCheck:
        """A scanned code checked; text that is not shaped like a ticket code at all is a :class:`BadInput`."""
        if not is_code(code):
            shown = code.strip()[:40] if code.isprintable() else "this text"
            raise BadInput(f"not a ticket code: {shown!r} (a ticket code looks like "
                           "BO2.<order>.<session>.<seat>.<TYPE>.<reprint>.<sig>)")
        ticket = parse(self.secret(), code)
        if ticket is None:
            return TicketCheck(False, "forged or damaged: the signature does not match")
        receipt = self.orders.get(ticket.order_id)
        line = next((ln for ln in receipt.lines if ln.seat_index == ticket.seat_index), None)
        if receipt.session_id != ticket.session_id or line is None:
            return TicketCheck(False, "this seat is no longer on the order (exchanged)", receipt.order_id)
        kind = self.price_type(receipt.session_id, line.price_type)
        found = dict(order_id=receipt.order_id, seat=line.label, price_type=line.price_type, type_name=kind.name,
                     notice=kind.notice, reprint=ticket.reprint)
        if receipt.status != "paid":
            return TicketCheck(False, f"the order is {receipt.status}", **found)
        if ticket.reprint < line.reprint:
            return TicketCheck(False, f"replaced by reprint {line.reprint}", **found)
        if ticket.reprint > line.reprint or type_in_code(ticket.price_type) != type_in_code(line.price_type):
            # signed with the installation's key, yet not what the order says: never issued for this order
            return TicketCheck(False, "does not match the order (price type or print number)", **found)
        shown = type_in_code(line.price_type)
        return TicketCheck(True, f"valid — {shown}" + (f": {kind.notice}" if kind.notice else ""), **found)

    def reprint(self, order_id: int, username: str, seats: Sequence[str] | None = None, *,
                supervisor: str | None = None, supervisor_password: str | None = None) -> Reprinted:
        """Print the order's tickets again — all its live seats, or the ``seats`` named (labels): each one's print
        number goes up by one in one transaction (audited as ``reprint`` with the old and new numbers), so the codes
        printed before stop verifying. A seat's first reprint is the clerk's own call; a second or later one needs
        a supervisor acting, or approving by name and password (checked like a sign-in, audited as ``override``):
        :class:`PermissionDenied` (``reprint_needs_supervisor``) otherwise."""
        assert self.orders.accounts is not None, "Orders.accounts is set by bootstrap"
        acc = self.orders.accounts
        user = acc.require(username, REPRINT_ROLES)
        limits.check_id("order number", order_id, limits.MAX_INT8)
        wanted = None
        if seats is not None:
            wanted = {limits.check_label("seat", label) for label in seats}
            if not wanted:
                raise BadInput(reason="name_a_seat_to_reprint")
        approver = None
        if supervisor:  # checked (and audited) before the order is locked
            approver = acc.verify_supervisor(supervisor, supervisor_password or "", for_user=user,
                                             order_id=order_id)
        with self.uow() as tx:
            order = lock_paid_order(tx, order_id)
            lines = tx.orders.live_lines(order_id)
            if wanted is not None:
                missing = sorted(wanted - {ln.label for ln in lines})
                if missing:
                    raise BadInput(reason="order_has_no_seat", order_id=order_id, seats=", ".join(missing))
                lines = [ln for ln in lines if ln.label in wanted]
            highest = max((ln.reprint + 1 for ln in lines), default=0)
            if highest >= SUPERVISED_REPRINT and user.role != "supervisor" and approver is None:
                raise PermissionDenied(reason="reprint_needs_supervisor", order_id=order_id, reprint=highest)
            bumped = tx.orders.bump_reprints(order_id, [ln.seat_idx for ln in lines])
            details: dict[str, object] = {
                "seats": [label for _, label, _, _ in bumped],
                "old": {label: old for _, label, old, _ in bumped},
                "new": {label: new for _, label, _, new in bumped},
            }
            if approver is not None:
                details["approved_by"] = approver.username
                details["approved_by_id"] = approver.user_id
            tx.audit.record("reprint", user.user_id, session_id=order.session_id, order_id=order_id,
                            details=details)
            tx.commit()
        return Reprinted(self.orders.get(order_id), {label: (old, new) for _, label, old, new in bumped})

    def order_print(self, receipt: Receipt, currency: str, labels: Sequence[str] | None = None) -> OrderPrint:
        """What a printer prints for the order: its tickets (all, or those of ``labels``) with their signed codes,
        the event, the zones' and price types' names, and the receipt."""
        assert self.catalog is not None, "Tickets.catalog is set by bootstrap"
        session = self.catalog.session(receipt.session_id)
        layout = self.catalog.layout(session.venue_id)
        codes = tuple((label, code) for label, code in self.codes(receipt) if labels is None or label in labels)
        types = {t.code: t.name for t in self.catalog.price_list(receipt.session_id).types}
        return OrderPrint(receipt, session.name, session.venue, session.starts_at, codes, currency,
                          {z.code: z.name for z in layout.zones}, types)

    def reprint_count(self, receipt: Receipt) -> int:
        """The highest print number among the order's seats (0: never reprinted)."""
        return max((ln.reprint for ln in receipt.lines), default=0)
