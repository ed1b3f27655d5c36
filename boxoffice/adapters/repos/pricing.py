"""Price types (``price_types``) and zone prices (``zone_prices``, venue-wide or per session)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ...domain.pricing import PriceTypeInfo
from .. import models


def types(s: Session, venue_id: int) -> tuple[PriceTypeInfo, ...]:
    t = models.PriceType
    rows = s.execute(select(t).where(t.venue_id == venue_id).order_by(t.position, t.id)).scalars()
    return tuple(PriceTypeInfo(r.code, r.name, r.needs_supervisor, r.notice) for r in rows)


def _scope(p: type[models.ZonePrice], session_id: int | None):  # noqa: ANN202 - a SQL condition
    return p.session_id.is_(None) if session_id is None else p.session_id == session_id


def prices(s: Session, venue_id: int, session_id: int | None) -> dict[tuple[str, str], Decimal]:
    """(zone, type) → price: the session's own list when it has one (it replaces the venue's for that session), else
    the venue's."""
    p = models.ZonePrice
    own = session_id is not None and s.execute(
        select(exists().where(p.venue_id == venue_id, p.session_id == session_id))).scalar()
    rows = s.execute(select(p.zone, p.price_type, p.price)
                     .where(p.venue_id == venue_id, _scope(p, session_id if own else None))).all()
    return {(zone, code): price for zone, code, price in rows}


def replace(s: Session, venue_id: int, session_id: int | None, listed: Sequence[PriceTypeInfo],
            fixed: Mapping[tuple[str, str], Decimal]) -> None:
    """The scope's price list (the venue's, or one session's) becomes ``fixed``; the types it lists are the venue's
    definitions from now on (name, supervisor, notice; a venue list also sets their display order). A venue list
    drops the types no list of the venue uses any more. The venue row is locked: imports of one venue queue."""
    s.execute(select(models.Venue.id).where(models.Venue.id == venue_id).with_for_update())
    t, p = models.PriceType, models.ZonePrice
    start = 0
    if session_id is not None:
        start = (s.execute(select(func.max(t.position)).where(t.venue_id == venue_id)).scalar() or 0) + 1
    for k, info in enumerate(listed):
        row = dict(venue_id=venue_id, code=info.code, name=info.name, needs_supervisor=info.needs_supervisor,
                   notice=info.notice, position=start + k)
        update = {key: row[key] for key in ("name", "needs_supervisor", "notice")}
        if session_id is None:
            update["position"] = row["position"]
        s.execute(pg_insert(t).values(**row).on_conflict_do_update(index_elements=[t.venue_id, t.code], set_=update))
    s.execute(delete(p).where(p.venue_id == venue_id, _scope(p, session_id)))
    if fixed:
        s.execute(insert(p), [dict(venue_id=venue_id, session_id=session_id, zone=zone, price_type=code, price=price)
                              for (zone, code), price in sorted(fixed.items())])
    if session_id is None:
        used = select(p.price_type).where(p.venue_id == venue_id)
        s.execute(delete(t).where(t.venue_id == venue_id, t.code.not_in([i.code for i in listed]),
                                  t.code.not_in(used)))
