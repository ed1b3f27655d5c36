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
