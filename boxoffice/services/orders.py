"""Reading orders back: by id, by token, by a seat label, or by the customer's name or phone when the clerk noted
them on the sale (optional, never required) — as the same immutable receipt a sale returns."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from ..adapters.uow import UnitOfWork, UowFactory
from ..domain import limits
from ..domain.values import Receipt, ReceiptLine
from ..errors import BadInput, NotFound
from .accounts import Accounts

#: who may read orders back (``boxoffice order show``, ``ticket verify``)
READER_ROLES = ("clerk", "supervisor")

MAX_CUSTOMER_NAME = 100
MAX_CUSTOMER_PHONE = 32  #: as stored: "+" and digits
#: the most orders a name or phone search returns (newest first)
MAX_FOUND = 50
_PHONE_CHARS = re.compile(r"[+0-9 ()./-]*")


def customer_name(value: str | None) -> str | None:
    """The customer's name as stored: trimmed, at most 100 characters; empty or None: no name (anonymous)."""
    if value is None:
        return None
    name = limits.check_text("the customer's name", value, MAX_CUSTOMER_NAME, invisible=True, empty=True)
    return name or None


def customer_phone(value: str | None) -> str | None:
    """The customer's phone as stored: its digits, with a leading "+" if typed (spaces, dashes, dots and brackets
    dropped); empty or None: no phone. At least 4 and at most 20 digits."""
    if value is None or not value.strip():
        return None
    text = limits.check_text("the customer's phone", value, 64, invisible=True)
    if not _PHONE_CHARS.fullmatch(text) or "+" in text[1:]:
        raise BadInput(reason="phone_chars")
    digits = re.sub(r"\D", "", text)
    if not 4 <= len(digits) <= 20:
        raise BadInput(reason="phone_digits")
    return ("+" if text.startswith("+") else "") + digits


def lock_paid_order(tx: UnitOfWork, order_id: int):  # noqa: ANN201 - the repository's order row
    """The order locked for change in ``tx``: NotFound when there is none, BadInput when it is not paid (cancelled)."""
    order = tx.orders.lock_order(order_id)
    if order is None:
        raise NotFound(reason="order_not_found", order_id=order_id)
    if order.status != "paid":
        raise BadInput(reason="order_status", order_id=order_id, status=order.status)
    return order


class Orders:
    def __init__(self, uow: UowFactory, accounts: Accounts | None = None) -> None:
        self.uow = uow
        self.accounts = accounts

    def show(self, username: str, order_id: int) -> Receipt:
        """One order, for a clerk or supervisor (the role checked here, not by the caller)."""
        assert self.accounts is not None, "Orders.accounts is set by bootstrap"
        self.accounts.require(username, READER_ROLES)
        return self.get(order_id)

    def _load(self, *, order_id: int | None = None, token: str | None = None) -> Receipt | None:
        with self.uow() as tx:
            found = tx.orders.order_with_clerk(order_id=order_id, token=token)
            if found is None:
                return None
            order, clerk = found
            lines = tx.orders.shown_lines(order)
            return Receipt(
                order_id=order.id,
                session_id=order.session_id,
                token=order.token,
                status=order.status,
                clerk=clerk,
                payment=order.payment_method,
                total=order.total,
                created_at=order.created_at,
                lines=tuple(ReceiptLine(ln.seat_idx, ln.label, ln.zone, ln.price, ln.id, ln.price_type, ln.reprint)
                            for ln in lines),
                customer_name=order.customer_name,
                customer_phone=order.customer_phone,
                tendered=tx.orders.tendered(order.id),
                tenders=tx.orders.tenders(order.id),
            )

    def get(self, order_id: int) -> Receipt:
        limits.check_id("order number", order_id, limits.MAX_INT8)
        receipt = self._load(order_id=order_id)
        if receipt is None:
            raise NotFound(reason="order_not_found", order_id=order_id)
        return receipt

    def by_token(self, token: str) -> Receipt | None:
        if len(token) > limits.MAX_TOKEN or limits.bad_char(token):
            return None  # no order has such a token (and it must not reach the database)
        return self._load(token=token)

    def find(self, query: str, session_id: int | None = None, labels: dict[str, int] | None = None) -> Receipt:
        """An order by its id, its token, or (with ``session_id`` and the venue's label → index map) a seat label."""
        q = query.strip()
        if not q:
            raise BadInput(reason="order_query_empty")
        if limits.bad_char(q) or len(q) > 200:
            raise BadInput(reason="order_query_too_long")
        if q.isascii() and q.isdigit():
            if int(q) > limits.MAX_INT8:
                raise NotFound(reason="order_number_not_found", number=q)
            return self.get(int(q))
        if session_id is not None and labels and q not in labels and q.upper() in labels:
            q = q.upper()  # "n3-a-17" typed in a hurry is the seat N3-A-17
        if session_id is not None and labels and q in labels:
            with self.uow() as tx:
                order_id = tx.orders.last_order_of_seat(session_id, labels[q])
            if order_id is None:
                raise NotFound(reason="seat_never_sold", seat=q)
            return self.get(order_id)
        found = self.by_token(q)
        if found is None:
            raise NotFound(reason="order_query_not_found", query=q)
        return found

    def search(self, query: str, session_id: int | None = None, labels: dict[str, int] | None = None
               ) -> list[Receipt]:
        """Every order the clerk may mean: by number, token or seat label (as :meth:`find`), and by the customer's
        name (case-insensitive, any part of it) or phone (its digits: the whole number or its last digits) — newest
        first, at most :data:`MAX_FOUND`. A number is an order number first; from 4 digits on it is also looked up
        as a phone number. Raises :class:`NotFound` when nothing matches."""
        q = query.strip()
        if not q:
            raise BadInput(reason="order_query_empty")
        if limits.bad_char(q) or len(q) > 200:
            raise BadInput(reason="order_query_too_long")
        found: list[Receipt] = []
        try:
            found.append(self.find(q, session_id, labels))
        except NotFound:
            pass
        digits = re.sub(r"\D", "", q)
        phone_like = bool(_PHONE_CHARS.fullmatch(q)) and len(digits) >= 4
        name_like = not phone_like and any(ch.isalpha() for ch in q)
        if phone_like or name_like:
            with self.uow() as tx:
                ids = tx.orders.orders_of_customer(name=q if name_like else None,
                                                   phone=digits if phone_like else None, limit=MAX_FOUND)
            seen = {r.order_id for r in found}
            found += [self.get(i) for i in ids if i not in seen]
        if not found:
            raise NotFound(reason="order_search_not_found", query=q)
        return found[:MAX_FOUND]

    def till_total(self, user_id: int, since: datetime) -> Decimal:
        """What this clerk took in since ``since``: payments minus refunds on the orders they sold."""
        with self.uow() as tx:
            total = tx.orders.taken_in_by(user_id, since)
        return total.quantize(Decimal("0.01"))
