"""Price lists: import one for a venue or a session (docs/price-types.md) and read a session's.

A price list names price types (adult, child, complimentary, …) and each one's price per zone, fixed or as an offset
from the zone's adult price; the import resolves every price to a fixed amount and stores it (``zone_prices``). A
session's list replaces the venue's for that session. Importing again replaces that scope's list in one transaction.

This process reads the new list at once (:meth:`Catalog.forget_prices`); other processes within
:data:`boxoffice.services.catalog.PRICE_LIST_TTL_S` seconds (their cached copy expires).
"""

from __future__ import annotations

from typing import Any

from ..adapters.uow import UowFactory
from ..domain import limits
from ..domain.pricing import PriceList, parse_price_list, resolve
from ..errors import BadInput, NotFound
from .accounts import SUPERVISOR_ROLES, Accounts
from .catalog import Catalog


class Pricing:
    def __init__(self, uow: UowFactory, catalog: Catalog, accounts: Accounts) -> None:
        self.uow = uow
        self.catalog = catalog
        self.accounts = accounts

    def import_list(self, doc: Any, actor: str | None, *, venue_id: int | None = None,
                    session_id: int | None = None) -> PriceList:
        """Store ``doc`` (a decoded price list) as the price list of the venue or of the session (exactly one of
        them); returns the list as it now sells. A supervisor only (``actor`` None: the system, the demo); audited as
        ``prices_imported``. Offsets and
        percentages resolve against the layout's zone prices, or the list's own adult prices where it gives them."""
        user = self.accounts.require(actor, SUPERVISOR_ROLES) if actor is not None else None
        if (venue_id is None) == (session_id is None):
            raise BadInput(reason="prices_scope")
        if session_id is not None:
            limits.check_id("session id", session_id)
            venue_id = self.catalog.venue_of(session_id)
        assert venue_id is not None
        limits.check_id("venue id", venue_id)
        layout = self.catalog.layout(venue_id)  # NotFound for an unknown venue
        specs = parse_price_list(doc, [z.code for z in layout.zones])
        listed, fixed = resolve(specs, {z.code: z.price for z in layout.zones})
        with self.uow() as tx:
            if tx.sessions.venue(venue_id) is None:
                raise NotFound(f"no venue with id {venue_id}")
            tx.pricing.replace(venue_id, session_id, listed, fixed)
            tx.audit.record("prices_imported", user.user_id if user else None, session_id=session_id,
                            details={"venue_id": venue_id, "session_id": session_id,
                                     "types": [t.code for t in listed],
                                     "prices": {f"{z}/{c}": str(p) for (z, c), p in sorted(fixed.items())}})
            tx.commit()
        self.catalog.forget_prices()
        return PriceList.of_layout(layout, listed, fixed)

    def has_types(self, venue_id: int) -> bool:
        """Has the venue a price list of its own (any price type)?"""
        with self.uow() as tx:
            return bool(tx.pricing.types(venue_id))

    def price_list(self, session_id: int) -> PriceList:
        """What the session sells: its types and each (zone, type)'s price."""
        return self.catalog.price_list(session_id)
