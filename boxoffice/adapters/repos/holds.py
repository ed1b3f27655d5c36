"""Seats held in the database while Redis is unreachable (degraded mode): the ``seat_holds`` table.

A hold's seat rows are ``held`` in ``session_seats`` (see :mod:`.sessions`) while its row here is ``held``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from .. import models


def add(s: Session, token: str, session_id: int, user_id: int, seats: Sequence[int], ttl_s: float) -> datetime:
    """A live hold of the seats for ``ttl_s`` seconds (database clock); returns when it expires."""
    h = models.SeatHold
    return s.execute(
        insert(h).values(token=token, session_id=session_id, user_id=user_id, seats=list(seats),
                         expires_at=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, ttl_s))
        .returning(h.expires_at)
    ).scalar_one()


def exists(s: Session, token: str) -> bool:
    return s.execute(select(models.SeatHold.token).where(models.SeatHold.token == token)).first() is not None


def lock(s: Session, token: str) -> Any:
    """The hold locked FOR UPDATE (session_id, user_id, seats, state, expired), or None."""
    h = models.SeatHold
    return s.execute(
        select(h.session_id, h.user_id, h.seats, h.state, (h.expires_at <= func.now()).label("expired"))
        .where(h.token == token).with_for_update()
    ).one_or_none()


def set_state(s: Session, token: str, state: str) -> None:
    s.execute(update(models.SeatHold).where(models.SeatHold.token == token).values(state=state))


_SWEEP = text(
    """
    WITH gone AS (
        UPDATE seat_holds SET state = 'released'
         WHERE state = 'held' AND expires_at <= now()
        RETURNING token, session_id, seats
    ), freed AS (
        UPDATE session_seats ss SET status = 'free', updated_at = now()
          FROM gone
         WHERE ss.session_id = gone.session_id AND ss.seat_idx = ANY(gone.seats) AND ss.status = 'held'
        RETURNING ss.session_id, ss.seat_idx
    )
    SELECT gone.token, gone.session_id, gone.seats, (SELECT count(*) FROM freed) AS freed FROM gone
    """
)


def release_expired(s: Session) -> list[Any]:
    """Release every hold past its expiry and free its seat rows, in one statement (safe in many processes at once:
    each hold is released by one). Returns (token, session_id, seats) of the holds released."""
    return list(s.execute(_SWEEP).all())
