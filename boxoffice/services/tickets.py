"""Tickets: signed codes for each seat of an order, and checking a scanned code against the database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ..adapters.repos import accounts
from ..adapters.uow import UowFactory
from ..domain.tickets import TicketCode, is_code, parse, sign
from ..domain.values import Receipt
from ..errors import BadInput
from .orders import Orders


@dataclass(frozen=True)
class TicketCheck:
    valid: bool
    reason: str
    order_id: int | None = None
    seat: str | None = None


class Tickets:
    def __init__(self, uow: UowFactory, orders: Orders, configured_secret: str | None = None) -> None:
        self.uow = uow
        self.orders = orders
        self._secret = configured_secret.encode() if configured_secret else None

    def secret(self) -> bytes:
        """BOXOFFICE_TICKET_SECRET if set, else the installation's key (made once, shared through PostgreSQL)."""
        if self._secret is None:
            with self.uow() as tx:
                self._secret = accounts.app_secret(tx.session, "ticket", secrets.token_bytes(32))
                tx.commit()
        return self._secret

    def codes(self, receipt: Receipt) -> list[tuple[str, str]]:
        """(seat label, signed code) for every seat of the order."""
        key = self.secret()
        return [(ln.label, sign(key, TicketCode(receipt.order_id, receipt.session_id, ln.seat_index)))
                for ln in receipt.lines]

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
            raise BadInput(f"not a ticket code: {shown!r} (a ticket code looks like BO1.<order>.<session>.<seat>.<sig>)")
        ticket = parse(self.secret(), code)
        if ticket is None:
            return TicketCheck(False, "forged or damaged: the signature does not match")
        receipt = self.orders.get(ticket.order_id)
        line = next((ln for ln in receipt.lines if ln.seat_index == ticket.seat_index), None)
        if receipt.session_id != ticket.session_id or line is None:
            return TicketCheck(False, "this seat is no longer on the order (exchanged)", receipt.order_id)
        if receipt.status != "paid":
            return TicketCheck(False, f"the order is {receipt.status}", receipt.order_id, line.label)
        return TicketCheck(True, "valid", receipt.order_id, line.label)
