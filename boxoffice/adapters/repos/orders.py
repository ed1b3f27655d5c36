"""Orders, order lines and payments; and the sale statement, the one query on the driver (its speed is measured).

The sale statement (:data:`SALE_SQL`) writes an ``OrderPlaced`` outbox message whose payload it builds in SQL, from
:data:`ORDER_PLACED_FIELDS` — the only definition of that payload (``tests/integration/adapters/test_sale_payload.py`` checks
it against :func:`boxoffice.domain.events.parse`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import case, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from ...domain.layout import Seat
from ...domain.values import DEFAULT_PRICE_TYPE, Tender
from .. import locks, models

#: a session's sale status, as the sale statement's verdict computes it: ``onsale``, ``closed``, or, while its status
#: is ``onsale``, ``sales_closed`` after its sales window and ``not_open`` before it (database clock)
_SALE_STATUS = (
    "CASE WHEN status <> 'onsale' THEN status WHEN now() >= sales_close_at THEN 'sales_closed' "
    "WHEN now() < sales_open_at THEN 'not_open' ELSE status END"
)

#: The ``OrderPlaced`` payload, field by field, as SQL over the sale statement's parameters and its CTEs (``o``: the
#: new order, ``l``: its lines). Seats, lines, zones and prices are in ascending seat order.
ORDER_PLACED_FIELDS: dict[str, str] = {
    "order_id": "o.id",
    "session_id": "CAST(%(sid)s AS int)",
    "token": "CAST(%(token)s AS text)",
    "seats": "to_jsonb(CAST(%(idx)s AS int[]))",
    "lines": "(SELECT jsonb_agg(l.id ORDER BY l.seat_idx) FROM l)",
    "zones": "to_jsonb(CAST(%(zones)s AS text[]))",
    "prices": "to_jsonb(CAST(CAST(%(prices)s AS numeric(12, 2)[]) AS text[]))",
    "total": "CAST(CAST(%(total)s AS numeric(12, 2)) AS text)",
}


def jsonb_object_sql(fields: dict[str, str]) -> str:
    """``jsonb_build_object('field', expression, ...)`` for a mapping of field → SQL expression."""
    return "jsonb_build_object(" + ", ".join(f"'{name}', {expr}" for name, expr in fields.items()) + ")"


#: The whole database step of a sale as ONE statement, run as its own transaction (autocommit): lock the requested
#: seat rows in ascending order (FOR UPDATE, bounded by lock_timeout), find the clerk's open till shift (FOR SHARE:
#: a close, which locks it FOR UPDATE, waits for the sale and then counts it), check that all seats are free, the
#: session on sale (``session_status``: see :data:`_SALE_STATUS`) and a till open where one is needed, and only then
#: insert the order, its lines (with their price types), one payment row per tender (into the till), the outbox row
#: and the audit entry and mark the seats sold. The shared advisory lock keeps a rebuild (which takes it
#: exclusively) from reading the database mid-sale. One round trip instead of five keeps the row locks short under a
#: rush. It runs on the driver (psycopg placeholders); its parameters are :meth:`Sale.params` (the optional customer
#: name and phone are two of them: a named sale is the same single statement).
SALE_SQL = f"""
    WITH gate AS (
        SELECT {locks.SHARED_FRAGMENT}(%(ns)s, %(sid)s)
    ), locked AS (
        SELECT ss.seat_idx, ss.status
          FROM gate, session_seats ss
         WHERE ss.session_id = %(sid)s AND ss.seat_idx = ANY(%(idx)s)
         ORDER BY ss.seat_idx
           FOR UPDATE OF ss
    ), till AS (
        SELECT id FROM till_shifts WHERE user_id = %(uid)s AND status = 'open' AND counted IS NULL FOR SHARE
    ), verdict AS (
        SELECT (SELECT {_SALE_STATUS} FROM sessions WHERE id = %(sid)s) AS session_status,
               (SELECT count(*) FROM locked WHERE status = 'free') AS free,
               (SELECT array_agg(seat_idx ORDER BY seat_idx) FROM locked WHERE status <> 'free') AS taken,
               (SELECT id FROM till) AS till_id
    ), o AS (
        INSERT INTO orders (token, session_id, user_id, total, payment_method, customer_name, customer_phone)
        SELECT %(token)s, %(sid)s, %(uid)s, %(total)s, %(method)s, CAST(%(cname)s AS text), CAST(%(cphone)s AS text)
          FROM verdict
         WHERE verdict.session_status = 'onsale' AND verdict.free = %(n)s
           AND (verdict.till_id IS NOT NULL OR NOT %(need_till)s)
        RETURNING id, created_at
    ), l AS (
        INSERT INTO order_lines (order_id, session_id, seat_idx, label, zone, price, price_type)
        SELECT o.id, %(sid)s, x.idx, x.label, x.zone, x.price, x.ptype
          FROM o, unnest(CAST(%(idx)s AS int[]), CAST(%(labels)s AS text[]), CAST(%(zones)s AS text[]),
                         CAST(%(prices)s AS numeric[]), CAST(%(types)s AS text[])) AS x(idx, label, zone, price, ptype)
        RETURNING id, seat_idx
    ), u AS (
        UPDATE session_seats ss SET status = 'sold', order_id = o.id, updated_at = now()
          FROM o WHERE ss.session_id = %(sid)s AND ss.seat_idx = ANY(%(idx)s)
    ), p AS (
        INSERT INTO payments (order_id, method, amount, tendered, shift_id)
        SELECT o.id, t.method, t.amount, t.tendered, v.till_id
          FROM o, verdict v, unnest(CAST(%(t_methods)s AS text[]), CAST(%(t_amounts)s AS numeric(12, 2)[]),
                                    CAST(%(t_tendered)s AS numeric(12, 2)[])) AS t(method, amount, tendered)
    ), ob AS (
        INSERT INTO outbox (topic, aggregate_id, payload)
        SELECT 'OrderPlaced', o.id, {jsonb_object_sql(ORDER_PLACED_FIELDS)}
          FROM o
    ), a AS (
        INSERT INTO audit_log (actor_id, action, session_id, order_id, details)
        SELECT %(uid)s, 'sale', %(sid)s, o.id, CAST(%(audit)s AS jsonb) FROM o
    )
    SELECT o.id AS order_id, o.created_at, v.session_status, v.taken, v.till_id,
           (SELECT array_agg(id ORDER BY seat_idx) FROM l) AS lines
      FROM verdict v LEFT JOIN o ON true
    """

#: the unique indexes whose violation by the sale statement means something to the caller
SEAT_SOLD = "uq_order_lines_live_seat"
TOKEN_USED = "uq_orders_token"


@dataclass(frozen=True)
class Sale:
    """What the sale statement writes: the seats (ascending) with their prices and price types, for one clerk and
    token, paid by ``tenders`` (none for an order that costs nothing) into the clerk's open till."""

    session_id: int
    user_id: int
    token: str
    payment: str  # orders.payment_method: the one method, or "split"
    seats: tuple[Seat, ...]
    prices: tuple[Decimal, ...]
    degraded: bool = False  # sold from the database alone (Redis unreachable): said in the audit entry
    #: who bought it, when the clerk noted it (optional; two more parameters of the same one statement)
    customer_name: str | None = None
    customer_phone: str | None = None
    tenders: tuple[Tender, ...] = ()
    types: tuple[str, ...] = ()  # per seat; empty: all the default type
    need_till: bool = False  # refuse (write nothing) when the clerk has no open till shift

    @property
    def total(self) -> Decimal:
        return sum(self.prices, Decimal("0.00"))

    @property
    def tendered(self) -> Decimal | None:
        """The cash handed over (None: exact money, or no cash tender)."""
        return next((t.tendered for t in self.tenders if t.method == "cash"), None)

    @property
    def seat_types(self) -> tuple[str, ...]:
        return self.types or (DEFAULT_PRICE_TYPE,) * len(self.seats)

    def params(self) -> dict[str, Any]:
        labels = [s.label for s in self.seats]
        audit: dict[str, Any] = {"seats": labels, "total": str(self.total), "payment": self.payment,
                                 "tenders": [t.as_dict() for t in self.tenders]}
        if any(t != DEFAULT_PRICE_TYPE for t in self.seat_types):
            audit["price_types"] = list(self.seat_types)
        if self.degraded:
            audit["degraded"] = True
        if self.tendered is not None:
            audit["tendered"] = str(self.tendered)
        return {
            "ns": locks.INVENTORY, "token": self.token, "sid": self.session_id, "uid": self.user_id,
            "total": self.total, "method": self.payment, "n": len(self.seats), "idx": [s.index for s in self.seats],
            "labels": labels, "zones": [s.zone for s in self.seats], "prices": list(self.prices),
            "types": list(self.seat_types), "audit": json.dumps(audit), "cname": self.customer_name,
            "cphone": self.customer_phone, "need_till": self.need_till,
            "t_methods": [t.method for t in self.tenders], "t_amounts": [t.amount for t in self.tenders],
            "t_tendered": [t.tendered for t in self.tenders],
        }


@dataclass(frozen=True)
class SaleResult:
    """The statement's verdict: ``order_id`` None when it wrote nothing (``session_status`` not ``onsale``, or the
    ``taken`` seats); ``violated`` names the unique index a concurrent write made it break (nothing written)."""

    order_id: int | None
    created_at: datetime | None
    session_status: str | None
    taken: list[int] | None
    lines: list[int] | None
    violated: str | None = None
    till_id: int | None = None  # the clerk's open till shift the tenders went into (None: none open)


def place(conn: psycopg.Connection[Any], sale: Sale) -> SaleResult:
    """Run the sale statement on an autocommit driver connection (its own transaction, one round trip)."""
    try:
        row = conn.cursor(row_factory=namedtuple_row).execute(SALE_SQL, sale.params(), prepare=True).fetchone()
    except psycopg.errors.UniqueViolation as exc:
        constraint = exc.diag.constraint_name or ""
        if constraint in (SEAT_SOLD, TOKEN_USED):
            return SaleResult(None, None, None, None, None, violated=constraint)
        raise
    assert row is not None  # the statement always returns its verdict row
    return SaleResult(row.order_id, row.created_at, row.session_status, row.taken, row.lines, till_id=row.till_id)


def place_in(s: Session, sale: Sale) -> SaleResult:
    """The sale statement inside the caller's transaction (a database hold finished in the same transaction)."""
    row = s.connection().exec_driver_sql(SALE_SQL, sale.params()).one()
    return SaleResult(row.order_id, row.created_at, row.session_status, row.taken, row.lines, till_id=row.till_id)


def sale_status(s: Session, session_id: int) -> str | None:
    """The session's sale status as the sale statement sees it (None: no such session)."""
    return s.execute(_SESSION_SALE_STATUS, {"sid": session_id}).scalar()


_SESSION_SALE_STATUS = text(f"SELECT {_SALE_STATUS} FROM sessions WHERE id = :sid")


# -- reading orders ---------------------------------------------------------------------------------------------------
def order_with_clerk(s: Session, *, order_id: int | None = None, token: str | None = None
                     ) -> tuple[models.Order, str] | None:
    """The order by id or by token, with its clerk's user name."""
    where = models.Order.id == order_id if order_id is not None else models.Order.token == token
    row = s.execute(
        select(models.Order, models.User.username).join(models.User, models.User.id == models.Order.user_id)
        .where(where)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def shown_lines(s: Session, order: models.Order) -> list[models.OrderLine]:
    """A paid order's live lines; a cancelled order's lines as they were when it was cancelled; by seat."""
    line = models.OrderLine
    shown = line.active if order.status == "paid" else line.ended == "cancelled"
    return list(s.execute(select(line).where(line.order_id == order.id, shown).order_by(line.seat_idx)).scalars())


def last_order_of_seat(s: Session, session_id: int, seat_idx: int) -> int | None:
    """The order that holds the seat now, else the last one that had it."""
    line = models.OrderLine
    return s.execute(
        select(line.order_id).where(line.session_id == session_id, line.seat_idx == seat_idx)
        .order_by(line.active.desc(), line.id.desc()).limit(1)
    ).scalar()


def orders_of_customer(s: Session, *, name: str | None = None, phone: str | None = None, limit: int = 50
                       ) -> list[int]:
    """Orders whose customer name contains ``name`` (case-insensitive) or whose phone is ``phone`` (digits only) or
    ends with it; newest first. Only named orders are read (the partial indexes of migration 0009 hold just those)."""
    o = models.Order
    where = []
    if name:
        pattern = "%" + name.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(func.lower(o.customer_name).like(pattern, escape="\\"))
    if phone:
        where.append(o.customer_phone.like("%" + phone))  # stored as digits (and a leading "+")
    if not where:
        return []
    return list(s.execute(select(o.id).where(or_(*where)).order_by(o.id.desc()).limit(limit)).scalars())


def taken_in_by(s: Session, user_id: int, since: datetime) -> Decimal:
    """Payments minus refunds since ``since`` on the orders this user sold."""
    p = models.Payment
    signed = case((p.kind == "payment", p.amount), else_=-p.amount)
    total = s.execute(
        select(func.coalesce(func.sum(signed), 0)).select_from(p).join(models.Order, models.Order.id == p.order_id)
        .where(models.Order.user_id == user_id, p.created_at >= since)
    ).scalar_one()
    return Decimal(total)


# -- cancel and exchange ----------------------------------------------------------------------------------------------
_LOCK_ORDER = text(
    f"""
    SELECT o.id, o.session_id, o.status, o.token, o.payment_method, o.user_id, o.created_at,
           s.status AS session_status,
           {locks.SHARED_FRAGMENT}(:ns, o.session_id)
      FROM orders o JOIN sessions s ON s.id = o.session_id
     WHERE o.id = :oid
       FOR UPDATE OF o
    """
)


def lock_order(s: Session, order_id: int) -> Any:
    """The order row locked FOR UPDATE with its session's status, taking the session's inventory lock shared in the
    same statement (a rebuild never reads the session mid-change). None: no such order."""
    return s.execute(_LOCK_ORDER, {"ns": locks.INVENTORY, "oid": order_id}).one_or_none()


def live_lines(s: Session, order_id: int) -> list[models.OrderLine]:
    line = models.OrderLine
    return list(s.execute(select(line).where(line.order_id == order_id, line.active).order_by(line.seat_idx))
                .scalars())


def end_lines(s: Session, order_id: int, why: str, seats: Sequence[int] | None = None) -> None:
    """Lines stop being live (``why``: 'cancelled', 'exchanged', or 'returned' by a partial cancel): all of the
    order's, or those of ``seats``."""
    line = models.OrderLine
    q = update(line).where(line.order_id == order_id, line.active)
    if seats is not None:
        q = q.where(line.seat_idx.in_(list(seats)))
    s.execute(q.values(active=False, ended=why))


def add_lines(s: Session, order_id: int, session_id: int, seats: Sequence[Seat], prices: Sequence[Decimal],
              types: Sequence[str] | None = None) -> dict[int, int]:
    """New live lines (``types``: each one's price type; None: all adult); returns seat index → order line id."""
    line = models.OrderLine
    kinds = list(types) if types is not None else [DEFAULT_PRICE_TYPE] * len(seats)
    rows = s.execute(
        insert(line).returning(line.seat_idx, line.id),
        [dict(order_id=order_id, session_id=session_id, seat_idx=st.index, label=st.label, zone=st.zone, price=p,
              price_type=t)
         for st, p, t in zip(seats, prices, kinds, strict=True)],
    ).all()
    return {r.seat_idx: r.id for r in rows}


def set_status(s: Session, order_id: int, status: str) -> None:
    s.execute(update(models.Order).where(models.Order.id == order_id).values(status=status))


def set_total(s: Session, order_id: int, total: Decimal) -> None:
    s.execute(update(models.Order).where(models.Order.id == order_id).values(total=total))


def tendered(s: Session, order_id: int) -> Decimal | None:
    """The cash handed over for the order's sale (its cash payment), None when it was exact or had no cash."""
    p = models.Payment
    return s.execute(select(p.tendered).where(p.order_id == order_id, p.kind == "payment", p.method == "cash")
                     .order_by(p.id).limit(1)).scalar()


def tenders(s: Session, order_id: int) -> tuple[Tender, ...]:
    """The order's payments (not refunds), in the order they were taken."""
    p = models.Payment
    rows = s.execute(select(p.method, p.amount, p.tendered).where(p.order_id == order_id, p.kind == "payment")
                     .order_by(p.id)).all()
    return tuple(Tender(m, a, t) for m, a, t in rows)


def net_paid_by_method(s: Session, order_id: int) -> list[tuple[str, Decimal]]:
    """Per method, what the order's payments minus its refunds leave paid."""
    p = models.Payment
    signed = case((p.kind == "refund", -p.amount), else_=p.amount)
    rows = s.execute(select(p.method, func.sum(signed)).where(p.order_id == order_id).group_by(p.method)).all()
    return [(m, Decimal(v)) for m, v in rows]


def add_payment(s: Session, order_id: int, kind: str, method: str, amount: Decimal,
                shift_id: int | None = None) -> None:
    """A payment or a refund (``kind``) of ``amount`` (positive) on the order, into or out of till ``shift_id``."""
    s.add(models.Payment(order_id=order_id, kind=kind, method=method, amount=amount, shift_id=shift_id))
    s.flush()


# -- reprints ---------------------------------------------------------------------------------------------------------
def bump_reprints(s: Session, order_id: int, seat_indices: Sequence[int]) -> list[tuple[int, str, int, int]]:
    """The print number of the order's live lines of ``seat_indices`` goes up by one (their tickets are printed
    again; the codes of the older print stop verifying). Returns (seat index, label, old, new) by seat. The caller
    holds the order row locked."""
    line = models.OrderLine
    rows = s.execute(
        update(line).where(line.order_id == order_id, line.active, line.seat_idx.in_(list(seat_indices)))
        .values(reprint=line.reprint + 1).returning(line.seat_idx, line.label, line.reprint)
    ).all()
    return sorted((r.seat_idx, r.label, r.reprint - 1, r.reprint) for r in rows)


def current_reprint(s: Session, order_id: int, seat_idx: int) -> int | None:
    """The print number of the order's live line of the seat (None: no such live line)."""
    line = models.OrderLine
    return s.execute(select(line.reprint).where(line.order_id == order_id, line.seat_idx == seat_idx, line.active)
                     ).scalar()
