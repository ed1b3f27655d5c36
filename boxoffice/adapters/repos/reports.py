"""What a supervisor reads (the insights): one seat's audited history, sales over time, occupancy and revenue.
Read-only queries, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

_SEAT_AUDIT = text(
    """
    SELECT a.id, a.at, a.action, u.username, a.order_id, a.reason, a.details
      FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
     WHERE a.session_id = :sid
       AND (a.action = 'rebuild'
            OR (a.action IN ('sale', 'cancel', 'repair') AND a.details->'seats' ? :label)
            OR (a.action = 'exchange' AND (a.details->'from' ? :label OR a.details->'to' ? :label)))
     ORDER BY a.at, a.id
    """
)
_LIVE_LINES = "FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.session_id = :sid AND l.active"
_SALES_SPAN = text(f"SELECT min(o.created_at), max(o.created_at) {_LIVE_LINES}")
_SALES_BUCKETS = text(f"SELECT date_trunc(:unit, o.created_at AT TIME ZONE :tz) AS b, count(*), sum(l.price) "
                      f"{_LIVE_LINES} GROUP BY b ORDER BY b")
_TAKEN = text("SELECT seat_idx, status FROM session_seats WHERE session_id = :sid AND status <> 'free'")
_SALES_BY_TYPE = text("SELECT price_type, count(*), sum(price) FROM order_lines WHERE session_id = :sid AND active "
                      "GROUP BY price_type")
_REVENUE_BY_ZONE = text("SELECT zone, count(*), sum(price) FROM order_lines WHERE session_id = :sid AND active "
                        "GROUP BY zone")


def seat_audit(session: Session, session_id: int, label: str) -> Sequence[Row[Any]]:
    """Audit rows about one seat (and the session's rebuilds), oldest first: id, at, action, username, order_id,
    reason, details."""
    return session.execute(_SEAT_AUDIT, {"sid": session_id, "label": label}).all()


def sales_span(session: Session, session_id: int) -> tuple[datetime | None, datetime | None]:
    """When the first and the last order with live lines were made (None, None without sales)."""
    first, last = session.execute(_SALES_SPAN, {"sid": session_id}).one()
    return first, last


def sales_buckets(session: Session, session_id: int, unit: str, tz: str) -> list[tuple[datetime, int, Decimal]]:
    """(bucket start in ``tz``, naive; seats; revenue) of the live order lines per ``unit``, ascending."""
    rows = session.execute(_SALES_BUCKETS, {"sid": session_id, "unit": unit, "tz": tz}).all()
    return [(b, int(n), Decimal(r)) for b, n, r in rows]


def taken_seats(session: Session, session_id: int) -> list[tuple[int, str]]:
    """(seat, status) of every seat of the session that is not free."""
    return [(idx, status) for idx, status in session.execute(_TAKEN, {"sid": session_id})]


def revenue_by_zone(session: Session, session_id: int) -> dict[str, tuple[int, Decimal]]:
    """Seats sold and revenue of the live order lines per zone code."""
    return {z: (int(n), Decimal(r)) for z, n, r in session.execute(_REVENUE_BY_ZONE, {"sid": session_id})}


def sales_by_price_type(session: Session, session_id: int) -> dict[str, tuple[int, Decimal]]:
    """Seats sold and revenue of the live order lines per price type code."""
    return {t: (int(n), Decimal(r)) for t, n, r in session.execute(_SALES_BY_TYPE, {"sid": session_id})}


# -- the end-of-day report (services/reports.py): what happened between two instants, grouped ------------------------
#: live lines of the orders made in [start, end): per session, seller, price type and comp (price 0, or a type that
#: needs a supervisor at the session's venue)
_DAY_LINES = text(
    """
    SELECT l.session_id, u.username, l.price_type,
           (l.price = 0 OR EXISTS (SELECT 1 FROM price_types pt
                                    WHERE pt.venue_id = s.venue_id AND pt.code = l.price_type
                                      AND pt.needs_supervisor)) AS comp,
           count(*) AS seats, sum(l.price) AS face
      FROM order_lines l
      JOIN orders o ON o.id = l.order_id
      JOIN users u ON u.id = o.user_id
      JOIN sessions s ON s.id = l.session_id
     WHERE l.active AND o.created_at >= :start AND o.created_at < :end
     GROUP BY 1, 2, 3, 4
    """
)
_DAY_ORDERS = text(
    """
    SELECT o.session_id, u.username, count(*)
      FROM orders o JOIN users u ON u.id = o.user_id
     WHERE o.created_at >= :start AND o.created_at < :end
     GROUP BY 1, 2
    """
)
#: who handled a payment row: the user of the till it went into / came out of, else the order's seller
_HANDLER = ("JOIN orders o ON o.id = p.order_id LEFT JOIN till_shifts t ON t.id = p.shift_id "
            "JOIN users u ON u.id = COALESCE(t.user_id, o.user_id)")
_DAY_MONEY = text(
    f"""
    SELECT o.session_id, u.username, p.method, p.kind, count(*), sum(p.amount)
      FROM payments p {_HANDLER}
     WHERE p.created_at >= :start AND p.created_at < :end
     GROUP BY 1, 2, 3, 4
    """
)
#: refund operations: one cancel or exchange writes its refund rows (one per tender) in one transaction
_DAY_REFUNDS = text(
    f"""
    SELECT o.session_id, u.username, count(DISTINCT (p.order_id, p.created_at))
      FROM payments p {_HANDLER}
     WHERE p.kind = 'refund' AND p.created_at >= :start AND p.created_at < :end
     GROUP BY 1, 2
    """
)
_SESSION_FACTS = text(
    """
    SELECT s.id, s.name, v.name AS venue, s.starts_at, s.capacity,
           count(*) FILTER (WHERE ss.status = 'sold') AS sold,
           count(*) FILTER (WHERE ss.status = 'held') AS held,
           count(*) FILTER (WHERE ss.status = 'blocked') AS blocked
      FROM sessions s JOIN venues v ON v.id = s.venue_id
      LEFT JOIN session_seats ss ON ss.session_id = s.id
     WHERE s.id = ANY(:sids)
     GROUP BY s.id, v.name
    """
)
_DISPLAY_NAMES = text("SELECT username, display_name FROM users WHERE username = ANY(:names)")
_TYPE_NAMES = text(
    """
    SELECT DISTINCT ON (pt.code) pt.code, pt.name, pt.position
      FROM price_types pt JOIN sessions s ON s.venue_id = pt.venue_id
     WHERE s.id = ANY(:sids)
     ORDER BY pt.code, pt.position
    """
)


def _span(start: datetime, end: datetime) -> dict[str, datetime]:
    return {"start": start, "end": end}


def day_lines(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, str, bool, int, Decimal]]:
    """(session, seller, price type, comp, seats, face value) of the live lines of the orders made in [start, end)."""
    return [(sid, who, ptype, bool(comp), int(n), Decimal(face))
            for sid, who, ptype, comp, n, face in session.execute(_DAY_LINES, _span(start, end))]


def day_orders(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, int]]:
    """(session, seller, orders) of the orders made in [start, end), cancelled ones included."""
    return [(sid, who, int(n)) for sid, who, n in session.execute(_DAY_ORDERS, _span(start, end))]


def day_money(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, str, str, int, Decimal]]:
    """(session, handler, method, kind, rows, amount) of the payment rows made in [start, end); the handler is the
    user of the till shift of the row, or the order's seller when it has none."""
    return [(sid, who, method, kind, int(n), Decimal(amount))
            for sid, who, method, kind, n, amount in session.execute(_DAY_MONEY, _span(start, end))]


def day_refunds(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, int]]:
    """(session, handler, refund operations) in [start, end)."""
    return [(sid, who, int(n)) for sid, who, n in session.execute(_DAY_REFUNDS, _span(start, end))]


def session_facts(session: Session, session_ids: Sequence[int]) -> list[Row[Any]]:
    """id, name, venue, starts_at, capacity and the seats sold, held and blocked now (database) of the sessions."""
    return list(session.execute(_SESSION_FACTS, {"sids": list(session_ids)}).all())


def display_names(session: Session, usernames: Sequence[str]) -> dict[str, str]:
    return {u: d for u, d in session.execute(_DISPLAY_NAMES, {"names": list(usernames)})}


def type_names(session: Session, session_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(code, name) of the price types of the sessions' venues, in the venues' order (the first venue's position
    wins for a code several venues have)."""
    rows = session.execute(_TYPE_NAMES, {"sids": list(session_ids)}).all()
    return [(code, name) for code, name, _pos in sorted(rows, key=lambda r: (r.position, r.code))]
