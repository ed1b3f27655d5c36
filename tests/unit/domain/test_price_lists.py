"""Price list documents (docs/price-types.md), pure: fixed prices and offsets resolve exactly, the complimentary
default, and each bad input refused with its reason; the demo's list against the shipped stadium's zones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.domain.layout import load_layout
from boxoffice.domain.pricing import parse_price_list, resolve
from boxoffice.errors import BadInput
from boxoffice.services.demo import DEMO_PRICE_LIST, layouts_dir

D = Decimal
ZONES = {"A": D("20.00"), "B": D("12.50")}


def resolved(types: list[dict]) -> tuple:
    return resolve(parse_price_list({"types": types}, ZONES), ZONES)


def test_fixed_offsets_and_percentages_from_the_adult_price():
    infos, prices = resolved([
        {"code": "child", "name": "Child", "prices": {"*": "-40%", "B": "5.00"}},
        {"code": "adult", "name": "Adult", "prices": {"A": "+2.50"}},  # listed after child: child still follows it
        {"code": "senior", "name": "Senior", "prices": {"*": "-3.33%"}},
        {"code": "member", "name": "Member", "prices": {"A": "-1.25", "B": "+0.00"}},
    ])
    assert prices == {("A", "adult"): D("22.50"), ("A", "child"): D("13.50"), ("B", "child"): D("5.00"),
                      ("A", "senior"): D("21.75"), ("B", "senior"): D("12.08"),  # 12.50 × 0.9667 = 12.08375
                      ("A", "member"): D("21.25"), ("B", "member"): D("12.50")}
    assert [i.code for i in infos] == ["child", "adult", "senior", "member"]
    assert not any(i.needs_supervisor for i in infos)


def test_half_cents_round_up_and_comp_needs_a_supervisor_by_default():
    infos, prices = resolved([{"code": "student", "name": "S", "prices": {"B": "-25%"}},
                              {"code": "comp", "name": "Comp", "prices": {"*": "0"}},
                              {"code": "free", "name": "Free", "prices": {"A": "-100%"}},
                              {"code": "staff", "name": "Staff", "needs_supervisor": False, "prices": {"*": "0"}}])
    assert prices[("B", "student")] == D("9.38")  # 9.375
    assert {i.code: i.needs_supervisor for i in infos} == {"student": False, "comp": True, "free": True,
                                                           "staff": False}


@pytest.mark.parametrize(("types", "reason"), [
    ([], "price_list_empty"),
    ([{"code": "a-b", "name": "X", "prices": {"A": "1"}}], "price_type_bad_code"),
    ([{"code": "x" * 17, "name": "X", "prices": {"A": "1"}}], "price_type_bad_code"),
    ([{"code": "x", "prices": {"A": "1"}}], "price_list_field"),
    ([{"code": "x", "name": "X", "needs_supervisor": "yes", "prices": {"A": "1"}}], "price_list_field"),
    ([{"code": "x", "name": "X", "prices": {}}], "price_type_no_prices"),
    ([{"code": "x", "name": "X", "prices": {"Q": "1"}}], "price_list_unknown_zone"),
    ([{"code": "x", "name": "X", "prices": {"A": "50%"}}], "price_list_bad_percent"),
    ([{"code": "x", "name": "X", "prices": {"A": "+1001%"}}], "price_list_bad_percent"),
    ([{"code": "x", "name": "X", "prices": {"A": "1.005"}}], "price_list_bad_price"),
    ([{"code": "x", "name": "X", "prices": {"A": 12}}], "price_list_bad_price"),
    ([{"code": "x", "name": "X", "prices": {"B": "-12.51"}}], "price_list_negative"),
    ([{"code": "x", "name": "X", "prices": {"A": "2000000.00"}}], "price_list_too_high"),
    ([{"code": "x", "name": "X", "prices": {"A": "1"}}, {"code": "x", "name": "Y", "prices": {"A": "2"}}],
     "price_type_twice"),
])
def test_bad_lists_are_refused_with_their_reason(types, reason):
    with pytest.raises(BadInput) as refused:
        resolved(types)
    assert refused.value.reason == reason


def test_the_demo_list_on_the_stadium():
    layout = load_layout(layouts_dir() / "stadium.json")
    zones = {z.code: z.price for z in layout.zones}
    infos, prices = resolve(parse_price_list(DEMO_PRICE_LIST, zones), zones)
    assert [i.code for i in infos] == ["adult", "child", "senior", "student", "member", "comp"]
    for code, price in zones.items():
        assert prices[(code, "adult")] == price
        assert prices[(code, "child")] == (price * D("0.6")).quantize(D("0.01"))
        assert prices[(code, "comp")] == 0
    by_code = {i.code: i for i in infos}
    assert by_code["comp"].needs_supervisor and by_code["comp"].notice == "complimentary — not for resale"
    assert by_code["child"].notice == "check proof of age" and by_code["senior"].notice == "check ID (65+)"
    assert by_code["student"].notice == "check student card" and not by_code["member"].needs_supervisor
