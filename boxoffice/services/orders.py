"""Reading orders back: by id or by token, as the same immutable receipt a sale returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..adapters.repos import orders
from ..adapters.uow import UowFactory
from ..domain import limits
from ..domain.values import Receipt, ReceiptLine
from ..errors import BadInput, NotFound
from .accounts import Accounts

#: who may read orders back (``boxoffice order show``, ``ticket verify``)
READER_ROLES = ("clerk", "supervisor")


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
            found = orders.order_with_clerk(tx.session, order_id=order_id, token=token)
            if found is None:
                return None
            order, clerk = found
            lines = orders.shown_lines(tx.session, order)
            return Receipt(
                order_id=order.id,
                session_id=order.session_id,
                token=order.token,
                status=order.status,
                clerk=clerk,
                payment=order.payment_method,
                total=order.total,
                created_at=order.created_at,
                lines=tuple(ReceiptLine(ln.seat_idx, ln.label, ln.zone, ln.price, ln.id) for ln in lines),
                tendered=orders.tendered(tx.session, order.id),
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
        if session_id is not None and labels and q in labels:
            with self.uow() as tx:
                order_id = orders.last_order_of_seat(tx.session, session_id, labels[q])
            if order_id is None:
                raise NotFound(reason="seat_never_sold", seat=q)
            return self.get(order_id)
        found = self.by_token(q)
        if found is None:
            raise NotFound(reason="order_query_not_found", query=q)
        return found

    def till_total(self, user_id: int, since: datetime) -> Decimal:
        """What this clerk took in since ``since``: payments minus refunds on the orders they sold."""
        with self.uow() as tx:
            total = orders.taken_in_by(tx.session, user_id, since)
        return total.quantize(Decimal("0.01"))
