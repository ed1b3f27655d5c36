"""Price types and a session's price list: what each zone costs for each type (adult, child, complimentary, …).

A venue with no price types of its own sells one type, ``adult``, at its zones' prices (the layout's). A price is
venue-wide or for one session (the session's wins). Pure: the database picture comes from
``adapters/repos/pricing.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import BadInput
from .layout import Layout
from .values import DEFAULT_PRICE_TYPE, AsDict


@dataclass(frozen=True)
class PriceTypeInfo(AsDict):
    code: str
    name: str
    #: a sale of this type needs a supervisor (a complimentary ticket)
    needs_supervisor: bool = False
    #: what the gate checks ("check proof of age"); shown by ``ticket verify``
    notice: str | None = None


ADULT = PriceTypeInfo(DEFAULT_PRICE_TYPE, "Adult")


@dataclass(frozen=True)
class PriceList:
    """The types on sale (display order; the default first) and the price of each (zone, type)."""

    types: tuple[PriceTypeInfo, ...]
    prices: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)

    @classmethod
    def of_layout(cls, layout: Layout, types: tuple[PriceTypeInfo, ...] = (),
                  prices: Mapping[tuple[str, str], Decimal] | None = None) -> PriceList:
        """The layout's zone prices as the ``adult`` price of each zone, overlaid with ``prices``; ``types`` in their
        order (``adult`` first when not among them)."""
        merged = {(z.code, DEFAULT_PRICE_TYPE): z.price for z in layout.zones}
        merged.update(prices or {})
        listed = tuple(types)
        if not any(t.code == DEFAULT_PRICE_TYPE for t in listed):
            listed = (ADULT, *listed)
        return cls(listed, merged)

    def type(self, code: str) -> PriceTypeInfo:
        for t in self.types:
            if t.code == code:
                return t
        raise BadInput(reason="unknown_price_type", price_type=code,
                       known=", ".join(t.code for t in self.types))

    def price(self, zone: str, code: str) -> Decimal:
        """The price of one seat of ``zone`` sold as ``code``: BadInput when the type is unknown or has no price in
        that zone."""
        self.type(code)
        found = self.prices.get((zone, code))
        if found is None:
            raise BadInput(reason="no_price_for_type", price_type=code, zone=zone)
        return found

    def next_type(self, code: str) -> str:
        """The type after ``code`` in display order (wrapping round): what the window's type key cycles through."""
        codes = [t.code for t in self.types]
        return codes[(codes.index(code) + 1) % len(codes)] if code in codes else codes[0]
