"""Till shifts (``till_shifts``) and their cash movements (``cash_movements``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import models


def open_shift_id(s: Session, user_id: int) -> int | None:
    """The user's open till shift, if any (at most one: a partial unique index)."""
    t = models.TillShift
    return s.execute(select(t.id).where(t.user_id == user_id, t.status == "open")).scalar_one_or_none()
