"""Price types (``price_types``) and zone prices (``zone_prices``, venue-wide or per session)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...domain.pricing import PriceTypeInfo
from .. import models


def types(s: Session, venue_id: int) -> tuple[PriceTypeInfo, ...]:
    t = models.PriceType
    rows = s.execute(select(t).where(t.venue_id == venue_id).order_by(t.position, t.id)).scalars()
    return tuple(PriceTypeInfo(r.code, r.name, r.needs_supervisor, r.notice) for r in rows)


def prices(s: Session, venue_id: int, session_id: int | None) -> dict[tuple[str, str], Decimal]:
    """(zone, type) → price: the venue's, overlaid with the session's own where it has one."""
    p = models.ZonePrice
    where = p.session_id.is_(None) if session_id is None else or_(p.session_id.is_(None), p.session_id == session_id)
    rows = s.execute(select(p.zone, p.price_type, p.price, p.session_id).where(p.venue_id == venue_id, where)
                     .order_by(p.session_id.nulls_first())).all()
    return {(zone, code): price for zone, code, price, _sid in rows}  # the session's rows come last and win
