"""Venues and sessions: import layouts, create and list sessions, and a per-process cache of layouts."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..adapters import models
from ..adapters.uow import UowFactory
from ..domain import limits
from ..domain.best import BestAvailable
from ..domain.layout import Layout, parse_layout
from ..domain.pricing import PriceList, resolve
from ..domain.values import DEFAULT_PRICE_TYPE, SessionInfo, VenueInfo
from ..errors import BadInput, NotFound

if TYPE_CHECKING:
    from .accounts import Accounts

#: how long a process keeps a session's price list before reading it again: a price import reaches every window
#: within this time (each sale would otherwise pay one more query)
PRICE_LIST_TTL_S = 5.0

#: a match (a stadium session) stays on sale until this long after kick-off
MATCH_SALES_AFTER_START = timedelta(hours=1)


def default_sales_close(venue_kind: str, starts_at: datetime, ends_at: datetime) -> datetime:
    """When sales close unless told otherwise: a match one hour after it starts, a time slot (a court or hall rented
    by the hour) at its end. Migration 0008 back-filled existing sessions with the same rule."""
    return starts_at + MATCH_SALES_AFTER_START if venue_kind == "stadium" else ends_at


class Catalog:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow
        self._layouts: dict[int, Layout] = {}
        self._best: dict[int, BestAvailable] = {}
        self._session_venue: dict[int, int] = {}
        self._prices: dict[int, tuple[float, PriceList]] = {}
        self._lock = threading.Lock()
        #: set by bootstrap: checks the role of a named ``actor`` (venue import and session creation: supervisors)
        self.accounts: Accounts | None = None

    def _supervisor(self, actor: str | None):  # noqa: ANN202 - UserInfo | None
        """The acting supervisor (PermissionDenied for a clerk); None when the caller is the system (demo, bench)."""
        if actor is None:
            return None
        from .accounts import SUPERVISOR_ROLES

        assert self.accounts is not None, "Catalog.accounts is set by bootstrap"
        return self.accounts.require(actor, SUPERVISOR_ROLES)

    # -- venues -----------------------------------------------------------------------------------------------------
    def import_venue(self, layout: Layout, actor: str | None = None) -> tuple[VenueInfo, bool]:
        """Store a venue; importing the same layout again returns the existing venue (``created`` False). With
        ``actor`` (``boxoffice venue import``) a supervisor only, audited as ``venue_imported``."""
        user = self._supervisor(actor)
        with self.uow() as tx:
            existing = tx.sessions.venue_named(layout.name)
            if existing is not None:
                if existing.checksum != layout.checksum:
                    raise BadInput(
                        f"a venue named {layout.name!r} already exists with a different layout "
                        f"(id {existing.id}); rename the new layout to import it as another venue"
                    )
                return self._venue_info(existing), False
            venue = tx.sessions.add_venue(layout)
            info = self._venue_info(venue)
            if layout.price_types:  # the layout's own price list (docs/price-types.md): the venue's
                listed, fixed = resolve(layout.price_types, {z.code: z.price for z in layout.zones}, "price_types")
                tx.pricing.replace(venue.id, None, listed, fixed)
            if user is not None:
                tx.audit.record("venue_imported", user.user_id,
                                details={"venue_id": venue.id, "name": layout.name, "seats": layout.capacity})
            tx.commit()
        with self._lock:
            self._layouts[info.venue_id] = layout
        return info, True

    @staticmethod
    def _venue_info(v: models.Venue) -> VenueInfo:
        return VenueInfo(v.id, v.name, v.kind, v.capacity, v.session_minutes)

    def list_venues(self) -> list[VenueInfo]:
        with self.uow() as tx:
            return [self._venue_info(v) for v in tx.sessions.venues()]

    def layout(self, venue_id: int) -> Layout:
        """The venue's layout (immutable once imported), parsed once per process."""
        limits.check_id("venue id", venue_id)
        with self._lock:
            cached = self._layouts.get(venue_id)
        if cached is not None:
            return cached
        with self.uow() as tx:
            doc = tx.sessions.venue_layout(venue_id)
        if doc is None:
            raise NotFound(f"no venue with id {venue_id}")
        layout = parse_layout(doc, origin=f"venue {venue_id}", strict=False)  # imported under the rules of its day
        with self._lock:
            return self._layouts.setdefault(venue_id, layout)

    def best_available(self, venue_id: int) -> BestAvailable:
        with self._lock:
            cached = self._best.get(venue_id)
        if cached is not None:
            return cached
        best = BestAvailable(self.layout(venue_id))
        with self._lock:
            return self._best.setdefault(venue_id, best)

    def price_list(self, session_id: int) -> PriceList:
        """The session's price types and prices — its own list when one was imported for it, else the venue's — kept
        for :data:`PRICE_LIST_TTL_S`. The types on sale are those the list prices (adult always, at the layout's
        zone prices unless the list says otherwise)."""
        now = time.monotonic()
        with self._lock:
            cached = self._prices.get(session_id)
        if cached is not None and now - cached[0] < PRICE_LIST_TTL_S:
            return cached[1]
        venue_id = self.venue_of(session_id)
        with self.uow() as tx:
            types = tx.pricing.types(venue_id)
            prices = tx.pricing.prices(venue_id, session_id)
        priced = {code for _zone, code in prices}
        types = tuple(t for t in types if t.code in priced or t.code == DEFAULT_PRICE_TYPE)
        found = PriceList.of_layout(self.layout(venue_id), types, prices)
        with self._lock:
            self._prices[session_id] = (now, found)
        return found

    def forget_prices(self) -> None:
        """Read price lists afresh (this process changed them)."""
        with self._lock:
            self._prices.clear()

    # -- sessions ---------------------------------------------------------------------------------------------------
    def create_session(
        self, venue_id: int, name: str, starts_at: datetime, ends_at: datetime | None = None,
        sales_close_at: datetime | None = None, sales_open_at: datetime | None = None,
        actor: str | None = None,
    ) -> tuple[SessionInfo, bool]:
        """Create a session and its seat inventory rows; the same venue, name and start return the existing one.
        With ``actor`` (``boxoffice session create``) a supervisor only, audited as ``session_created``.

        The sales window defaults to :func:`default_sales_close` (a match closes an hour after it starts, a time slot
        at its end) and to open from now on."""
        user = self._supervisor(actor)
        limits.check_id("venue id", venue_id)
        name = limits.check_text("the session name", name, limits.MAX_NAME)
        for what, value in (("start", starts_at), ("end", ends_at), ("sales close", sales_close_at),
                            ("sales open", sales_open_at)):
            if value is not None and value.tzinfo is None:
                raise BadInput(f"the {what} time needs a time zone (e.g. 2026-12-01T19:30:00+01:00)")
            if value is not None and not limits.MIN_YEAR <= value.year <= limits.MAX_YEAR:
                raise BadInput(f"the {what} time must be in the years {limits.MIN_YEAR} to {limits.MAX_YEAR}")
        with self.uow() as tx:
            venue = tx.sessions.venue(venue_id)
            if venue is None:
                raise NotFound(f"no venue with id {venue_id}")
            ends_at = ends_at or starts_at + timedelta(minutes=venue.session_minutes)
            if ends_at <= starts_at:
                raise BadInput("a session must end after it starts")
            sales_close_at = sales_close_at or default_sales_close(venue.kind, starts_at, ends_at)
            if sales_open_at is not None and sales_open_at >= sales_close_at:
                raise BadInput("sales must open before they close")
            existing = tx.sessions.session_at(venue_id, name, starts_at)
            if existing is not None:
                return self._session_info(existing, venue.name), False
            session = tx.sessions.add_session(venue, name=name, starts_at=starts_at, ends_at=ends_at,
                                              sales_close_at=sales_close_at, sales_open_at=sales_open_at)
            info = self._session_info(session, venue.name)
            if user is not None:
                tx.audit.record("session_created", user.user_id, session_id=session.id,
                                details={"venue_id": venue_id, "name": name, "starts_at": starts_at.isoformat()})
            tx.commit()
        return info, True

    @staticmethod
    def _session_info(row: models.Session, venue_name: str) -> SessionInfo:
        return SessionInfo(
            row.id, row.venue_id, venue_name, row.name, row.starts_at, row.ends_at, row.status, row.capacity,
            row.sales_close_at, row.sales_open_at,
        )

    def list_sessions(self, since: datetime | None = None) -> list[SessionInfo]:
        """Every session, or (``since`` given) those not ended by then — ``session list`` hides ended ones."""
        with self.uow() as tx:
            return [self._session_info(row, vname) for row, vname in tx.sessions.sessions_with_venue(since)]

    def session(self, session_id: int) -> SessionInfo:
        limits.check_id("session id", session_id)
        with self.uow() as tx:
            found = tx.sessions.session_with_venue(session_id)
            if found is None:
                raise NotFound(f"no session with id {session_id}")
            info = self._session_info(*found)
        with self._lock:
            self._session_venue[session_id] = info.venue_id
        return info

    def venue_of(self, session_id: int) -> int:
        """The venue of a session (never changes), cached."""
        with self._lock:
            venue_id = self._session_venue.get(session_id)
        return venue_id if venue_id is not None else self.session(session_id).venue_id

    def delete_venue(self, venue_id: int) -> None:
        """Remove a venue with its sessions and orders (benchmarks and tests clean up with this)."""
        with self.uow() as tx:
            tx.sessions.delete_venue(venue_id)
            tx.commit()
        with self._lock:
            self._layouts.pop(venue_id, None)
            self._best.pop(venue_id, None)
