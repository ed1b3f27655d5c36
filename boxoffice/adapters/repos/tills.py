"""Till shifts (``till_shifts``) and their cash movements (``cash_movements``); a shift's payments joined to their
orders and order lines (the rows :mod:`boxoffice.domain.till` computes from)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, aliased

from ...domain.till import Movement, OrderRow, PaymentRow, SeatRow
from .. import models


def open_shift_id(s: Session, user_id: int) -> int | None:
    """The user's open till shift that still takes money, if any: not counted yet (a counted shift waits for its
    sign-off and takes nothing more). At most one: a partial unique index."""
    t = models.TillShift
    return s.execute(select(t.id).where(t.user_id == user_id, t.status == "open", t.counted.is_(None))
                     ).scalar_one_or_none()


def current_shift_id(s: Session, user_id: int) -> int | None:
    """The user's open till shift, counted or not (one not signed off yet), if any."""
    t = models.TillShift
    return s.execute(select(t.id).where(t.user_id == user_id, t.status == "open")).scalar_one_or_none()


def open_on_workstation(s: Session, workstation: str) -> tuple[int, str] | None:
    """The open shift on ``workstation`` and its clerk's user name, if any."""
    t, u = models.TillShift, models.User
    row = s.execute(select(t.id, u.username).join(u, u.id == t.user_id)
                    .where(t.workstation == workstation, t.status == "open")).one_or_none()
    return None if row is None else (row[0], row[1])


def open_shift(s: Session, user_id: int, workstation: str, opening_float: Decimal) -> int | None:
    """Insert an open shift; None when a concurrent open won (the partial unique indexes allow one open shift per
    user and per workstation)."""
    t = models.TillShift
    return s.execute(pg_insert(t).values(user_id=user_id, workstation=workstation, opening_float=opening_float)
                     .on_conflict_do_nothing().returning(t.id)).scalar_one_or_none()


def lock_open_shift(s: Session, user_id: int) -> models.TillShift | None:
    """The user's open shift locked FOR UPDATE: a sale into it (which takes it FOR SHARE) waits, or is waited for."""
    t = models.TillShift
    return s.execute(select(t).where(t.user_id == user_id, t.status == "open").with_for_update()).scalar_one_or_none()


def shift(s: Session, shift_id: int) -> Any:
    """The shift with its clerk's and signing supervisor's user names (None: no such shift)."""
    t = models.TillShift
    clerk, sup = aliased(models.User), aliased(models.User)
    return s.execute(
        select(t.id, t.user_id, t.workstation, t.status, t.opening_float, t.opened_at, t.closed_at, t.counted,
               t.counted_detail, t.expected, t.variance, t.note, clerk.username.label("clerk"),
               sup.username.label("signed_off_by"))
        .join(clerk, clerk.id == t.user_id).outerjoin(sup, sup.id == t.signed_off_by).where(t.id == shift_id)
    ).one_or_none()


def record_count(s: Session, shift_id: int, counted: Decimal, detail: dict[str, int] | None) -> None:
    t = models.TillShift
    s.execute(update(t).where(t.id == shift_id).values(counted=counted, counted_detail=detail))


def close_shift(s: Session, shift_id: int, expected: Decimal, variance: Decimal, signed_off_by: int,
                note: str | None) -> datetime:
    t = models.TillShift
    return s.execute(update(t).where(t.id == shift_id)
                     .values(status="closed", closed_at=func.now(), expected=expected, variance=variance,
                             signed_off_by=signed_off_by, note=note)
                     .returning(t.closed_at)).scalar_one()


def add_movement(s: Session, shift_id: int, kind: str, amount: Decimal, reason: str | None, actor_id: int) -> int:
    m = models.CashMovement
    return s.execute(insert(m).values(shift_id=shift_id, kind=kind, amount=amount, reason=reason, actor_id=actor_id)
                     .returning(m.id)).scalar_one()


def movements(s: Session, shift_id: int) -> list[Movement]:
    m, u = models.CashMovement, models.User
    rows = s.execute(select(m.kind, m.amount, m.reason, u.username, m.at).join(u, u.id == m.actor_id)
                     .where(m.shift_id == shift_id).order_by(m.id)).all()
    return [Movement(*r) for r in rows]


def shift_orders(s: Session, shift_id: int) -> tuple[list[OrderRow], list[SeatRow], list[PaymentRow]]:
    """Every order with a payment or refund in the shift: the orders, ALL their lines (live or not) and ALL their
    payment rows (of any till: an order's tender check needs them all)."""
    p, o, u, line = models.Payment, models.Order, models.User, models.OrderLine
    ids = select(p.order_id).where(p.shift_id == shift_id).distinct().scalar_subquery()
    orders = [OrderRow(*r) for r in s.execute(
        select(o.id, o.session_id, o.status, o.total, u.username, o.created_at).join(u, u.id == o.user_id)
        .where(o.id.in_(ids)).order_by(o.id)).all()]
    seats = [SeatRow(*r) for r in s.execute(
        select(line.order_id, line.label, line.zone, line.price_type, line.price, line.active, line.ended)
        .where(line.order_id.in_(ids)).order_by(line.order_id, line.seat_idx, line.id)).all()]
    pays = [PaymentRow(*r) for r in s.execute(
        select(p.order_id, p.kind, p.method, p.amount, p.tendered, p.shift_id)
        .where(p.order_id.in_(ids)).order_by(p.id)).all()]
    return orders, seats, pays


def comp_types(s: Session, session_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(session id, price type) of the types needing a supervisor in those sessions' venues."""
    if not session_ids:
        return []
    pt, se = models.PriceType, models.Session
    return [(r[0], r[1]) for r in s.execute(
        select(se.id, pt.code).join(pt, pt.venue_id == se.venue_id)
        .where(se.id.in_(list(session_ids)), pt.needs_supervisor)).all()]


def tender_mismatches(s: Session, session_ids: Sequence[int] | None = None
                      ) -> list[tuple[int, int | None, Decimal, Decimal]]:
    """Orders taken into a till (of ``session_ids``, or all) whose payments minus refunds differ from their live
    lines' prices: (order id, a till shift it was paid into, paid net, live total)."""
    p, o, line = models.Payment, models.Order, models.OrderLine
    signed = case((p.kind == "refund", -p.amount), else_=p.amount)
    paid = (select(p.order_id, func.sum(signed).label("net"), func.min(p.shift_id).label("shift_id"))
            .group_by(p.order_id).having(func.count(p.shift_id) > 0).subquery())
    live = (select(line.order_id, func.sum(line.price).label("total")).where(line.active)
            .group_by(line.order_id).subquery())
    q = (select(paid.c.order_id, paid.c.shift_id, paid.c.net, func.coalesce(live.c.total, 0))
         .join(o, o.id == paid.c.order_id).outerjoin(live, live.c.order_id == paid.c.order_id)
         .where(or_(live.c.total.is_(None) & (paid.c.net != 0),
                    and_(live.c.total.is_not(None), paid.c.net != live.c.total)))
         .order_by(paid.c.order_id))
    if session_ids is not None:
        q = q.where(o.session_id.in_(list(session_ids)))
    return [(r[0], r[1], Decimal(r[2]), Decimal(r[3])) for r in s.execute(q).all()]


def shifts(s: Session, user_id: int | None = None, limit: int = 50) -> list[Any]:
    """Recent shifts (of one user, or all), newest first."""
    t, u = models.TillShift, models.User
    q = select(t.id, u.username, t.workstation, t.status, t.opened_at, t.closed_at).join(u, u.id == t.user_id)
    if user_id is not None:
        q = q.where(t.user_id == user_id)
    return list(s.execute(q.order_by(t.id.desc()).limit(limit)).all())
