"""Venues (with their price zones and seats), sessions, and the per-session seat rows (``session_seats``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from ...domain.layout import Layout
from .. import models

#: seat rows inserted per statement when a venue is imported
_SEAT_BATCH = 10_000


# -- venues -----------------------------------------------------------------------------------------------------------
def venue_named(s: Session, name: str) -> models.Venue | None:
    return s.execute(select(models.Venue).where(models.Venue.name == name)).scalar_one_or_none()


def venue(s: Session, venue_id: int) -> models.Venue | None:
    return s.get(models.Venue, venue_id)


def venues(s: Session) -> list[models.Venue]:
    return list(s.execute(select(models.Venue).order_by(models.Venue.id)).scalars())


def venue_layout(s: Session, venue_id: int) -> dict[str, Any] | None:
    """The layout document a venue was imported from."""
    return s.execute(select(models.Venue.layout).where(models.Venue.id == venue_id)).scalar_one_or_none()


def add_venue(s: Session, layout: Layout) -> models.Venue:
    """The venue, its price zones and its seats."""
    row = models.Venue(name=layout.name, kind=layout.kind, capacity=layout.capacity,
                       session_minutes=layout.session_minutes, checksum=layout.checksum, layout=dict(layout.source))
    s.add(row)
    s.flush()
    s.execute(insert(models.PriceZone),
              [dict(venue_id=row.id, code=z.code, name=z.name, price=z.price, color=z.color) for z in layout.zones])
    seats = [
        dict(venue_id=row.id, idx=seat.index, label=seat.label, stand=seat.stand, section=seat.section,
             row_label=seat.row, number=seat.number, zone=seat.zone, x=seat.x, y=seat.y, accessible=seat.accessible,
             blocked=seat.blocked)
        for seat in layout.seats
    ]
    for start in range(0, len(seats), _SEAT_BATCH):
        s.execute(insert(models.Seat), seats[start : start + _SEAT_BATCH])
    return row


def delete_venue(s: Session, venue_id: int) -> None:
    """The venue with its sessions, their orders (cascade) and the outbox and audit rows that name those sessions."""
    session_ids = s.execute(select(models.Session.id).where(models.Session.venue_id == venue_id)).scalars().all()
    if session_ids:
        s.execute(delete(models.Outbox)
                  .where(models.Outbox.payload["session_id"].as_integer().in_(session_ids)))
        s.execute(delete(models.AuditLog).where(models.AuditLog.session_id.in_(session_ids)))
    s.execute(delete(models.Venue).where(models.Venue.id == venue_id))


# -- sessions ---------------------------------------------------------------------------------------------------------
def session_at(s: Session, venue_id: int, name: str, starts_at: datetime) -> models.Session | None:
    """The session of this venue with this name and start, if any."""
    q = models.Session
    return s.execute(
        select(q).where(q.venue_id == venue_id, q.name == name, q.starts_at == starts_at)
    ).scalar_one_or_none()


def add_session(s: Session, venue_row: models.Venue, **fields: Any) -> models.Session:
    """A session of the venue with one seat row per seat (``blocked`` where the layout blocks it, else ``free``)."""
    row = models.Session(venue_id=venue_row.id, capacity=venue_row.capacity, **fields)
    s.add(row)
    s.flush()
    seat = models.Seat
    s.execute(insert(models.SessionSeat).from_select(
        ["session_id", "seat_idx", "status"],
        select(literal(row.id), seat.idx, case((seat.blocked, literal("blocked")), else_=literal("free")))
        .where(seat.venue_id == venue_row.id),
    ))
    return row


def sessions_with_venue(s: Session, since: datetime | None = None) -> list[tuple[models.Session, str]]:
    """Every session (or those not ended by ``since``) with its venue's name, by start."""
    q = (select(models.Session, models.Venue.name).join(models.Venue)
         .order_by(models.Session.starts_at, models.Session.id))
    if since is not None:
        q = q.where(models.Session.ends_at >= since)
    return [(row, name) for row, name in s.execute(q)]


def session_with_venue(s: Session, session_id: int) -> tuple[models.Session, str] | None:
    found = s.execute(
        select(models.Session, models.Venue.name).join(models.Venue).where(models.Session.id == session_id)
    ).one_or_none()
    return None if found is None else (found[0], found[1])


def lock_session(s: Session, session_id: int) -> models.Session | None:
    """The session row, locked FOR UPDATE until the transaction ends."""
    return s.execute(
        select(models.Session).where(models.Session.id == session_id).with_for_update()
    ).scalar_one_or_none()


def due_to_close(s: Session, limit: int) -> list[Any]:
    """On-sale sessions whose sales window has ended (database clock), the earliest first."""
    q = models.Session
    return list(s.execute(
        select(q.id, q.sales_close_at, q.sales_open_at)
        .where(q.status == "onsale", q.sales_close_at <= func.now()).order_by(q.sales_close_at).limit(limit)
    ).all())


def close_due(s: Session, session_ids: Sequence[int]) -> list[Any]:
    """Close those of the sessions still on sale and due; returns (id, sales_close_at) of the ones closed."""
    q = models.Session
    return list(s.execute(
        update(q).where(q.id.in_(list(session_ids)), q.status == "onsale", q.sales_close_at <= func.now())
        .values(status="closed").returning(q.id, q.sales_close_at)
    ).all())


def now(s: Session) -> datetime:
    """The database clock (the one the sale statement checks sales windows with)."""
    return s.execute(select(func.now())).scalar_one()


# -- seat rows ---------------------------------------------------------------------------------------------------------
def lock_seats(s: Session, session_id: int, seats: Sequence[int]) -> list[models.SessionSeat]:
    """The seat rows, locked FOR UPDATE in ascending order (two transactions never deadlock on them)."""
    q = models.SessionSeat
    return list(s.execute(
        select(q).where(q.session_id == session_id, q.seat_idx.in_(sorted(seats))).order_by(q.seat_idx)
        .with_for_update()
    ).scalars())


def taken_seats(s: Session, session_id: int) -> list[Any]:
    """(seat_idx, status) of every seat row that is not free."""
    q = models.SessionSeat
    return list(s.execute(select(q.seat_idx, q.status).where(q.session_id == session_id, q.status != "free")).all())


def free_among(s: Session, session_id: int, seats: Sequence[int]) -> set[int]:
    """Those of the seats whose rows are free."""
    q = models.SessionSeat
    return set(s.execute(
        select(q.seat_idx).where(q.session_id == session_id, q.seat_idx.in_(list(seats)), q.status == "free")
    ).scalars())


def mark(s: Session, session_id: int, seats: Sequence[int], status: str, order_id: int | None = None, *,
         of_order: int | None = None, was: str | None = None) -> None:
    """Set the seat rows to ``status`` and ``order_id`` — of those rows, only the ones of order ``of_order`` or in
    status ``was`` when given."""
    q = models.SessionSeat
    stmt = update(q).where(q.session_id == session_id, q.seat_idx.in_(list(seats)))
    if of_order is not None:
        stmt = stmt.where(q.order_id == of_order)
    if was is not None:
        stmt = stmt.where(q.status == was)
    s.execute(stmt.values(status=status, order_id=order_id, updated_at=func.now()))
