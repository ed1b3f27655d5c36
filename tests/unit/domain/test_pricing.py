"""A session's price list (domain/pricing.py): the layout's zone prices are the adult prices; types priced per
zone; an unknown type or a zone without a price for a type is refused; the window's type key cycles in order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.domain.pricing import PriceList, PriceTypeInfo
from boxoffice.errors import BadInput
from tests.conftest import make_layout

D = Decimal


def test_a_venue_without_types_sells_adult_at_its_zone_prices():
    layout = make_layout()
    prices = PriceList.of_layout(layout)
    assert [t.code for t in prices.types] == ["adult"]
    for zone in layout.zones:
        assert prices.price(zone.code, "adult") == zone.price


def test_types_are_priced_per_zone_and_cycle_in_their_order():
    layout = make_layout()
    zone = layout.zones[0].code
    child = PriceTypeInfo("child", "Child", notice="check proof of age")
    comp = PriceTypeInfo("comp", "Complimentary", needs_supervisor=True)
    prices = PriceList.of_layout(layout, (child, comp), {(zone, "child"): D("7.00"), (zone, "comp"): D("0.00")})
    assert [t.code for t in prices.types] == ["adult", "child", "comp"]
    assert prices.price(zone, "child") == D("7.00") and prices.type("comp").needs_supervisor
    assert [prices.next_type(c) for c in ("adult", "child", "comp")] == ["child", "comp", "adult"]
    with pytest.raises(BadInput) as caught:
        prices.price(zone, "senior")
    assert caught.value.reason == "unknown_price_type"
    other = layout.zones[1].code
    with pytest.raises(BadInput) as caught:
        prices.price(other, "child")
    assert caught.value.reason == "no_price_for_type"
