"""Price types on real servers: a price list imported with offsets and percentages resolves to exact fixed prices; a
session's list replaces the venue's for that session; a sale prices each seat at its zone's price for its type and
its order lines carry the type; a complimentary ticket needs a supervisor; an exchange keeps each seat's type."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from boxoffice.domain.layout import parse_layout
from boxoffice.errors import BadInput, BoxOfficeError, LayoutError, PermissionDenied
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD, make_layout, make_session, tiny_doc
from tests.integration.services.test_booking import assert_redis_matches_db, db_status, sell

D = Decimal
# tiny.json: zone A 20.00 (S1-…), zone B 12.50 (S2-…)
VENUE_LIST = {"types": [
    {"code": "adult", "name": "Adult", "prices": {"B": "13.00"}},  # adult B moves to 13.00; A stays the layout's
    {"code": "child", "name": "Child", "notice": "check proof of age", "prices": {"*": "-40%"}},
    {"code": "senior", "name": "Senior", "prices": {"A": "-2.50", "B": "-33.33%"}},
    {"code": "vip", "name": "VIP", "prices": {"A": "+7.25"}},  # not sold in B
    {"code": "comp", "name": "Complimentary", "notice": "complimentary — not for resale", "prices": {"*": "0"}},
]}


def lines(app, order_id: int) -> list[tuple[str, str, Decimal, bool]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT label, price_type, price, active FROM order_lines WHERE order_id = :o ORDER BY id"),
            {"o": order_id})]


def orders_of(app, sid: int) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :s"), {"s": sid}).scalar_one()


@pytest.fixture
def priced(app, session):
    app.pricing.import_list(VENUE_LIST, "sam", venue_id=session.venue_id)
    return session


def test_import_resolves_offsets_and_percentages_exactly(app, priced):
    listed = app.pricing.price_list(priced.session_id)
    assert [t.code for t in listed.types] == ["adult", "child", "senior", "vip", "comp"]
    assert listed.prices == {
        ("A", "adult"): D("20.00"), ("B", "adult"): D("13.00"),
        ("A", "child"): D("12.00"), ("B", "child"): D("7.80"),  # 40 % off the list's adult price 13.00
        ("A", "senior"): D("17.50"), ("B", "senior"): D("8.67"),  # 13.00 × 0.6667 = 8.6671 → 8.67
        ("A", "vip"): D("27.25"),
        ("A", "comp"): D("0.00"), ("B", "comp"): D("0.00"),
    }
    assert listed.type("comp").needs_supervisor and not listed.type("child").needs_supervisor
    assert listed.type("child").notice == "check proof of age"
    with pytest.raises(BadInput) as no_vip:
        listed.price("B", "vip")
    assert no_vip.value.reason == "no_price_for_type"
    with app.uow() as tx:
        audit = tx.session.execute(text("SELECT details FROM audit_log WHERE action = 'prices_imported' "
                                        "ORDER BY id DESC LIMIT 1")).scalar_one()
    assert audit["venue_id"] == priced.venue_id and audit["prices"]["B/senior"] == "8.67"


def test_session_list_replaces_the_venue_list_for_that_session_only(app, priced):
    other, _ = app.catalog.create_session(priced.venue_id, "Other night", priced.starts_at + timedelta(days=2))
    app.pricing.import_list({"types": [{"code": "child", "name": "Kid", "prices": {"A": "5.00"}}]}, "sam",
                            session_id=priced.session_id)
    mine = app.pricing.price_list(priced.session_id)
    assert [t.code for t in mine.types] == ["adult", "child"]  # senior, vip, comp: not on sale at this session
    assert mine.prices == {("A", "adult"): D("20.00"), ("B", "adult"): D("12.50"), ("A", "child"): D("5.00")}
    theirs = app.pricing.price_list(other.session_id)
    assert theirs.price("B", "child") == D("7.80") and theirs.price("A", "vip") == D("27.25")
    # importing the session's list again replaces it whole
    app.pricing.import_list({"types": [{"code": "senior", "name": "Senior", "prices": {"B": "-1.00"}}]}, "sam",
                            session_id=priced.session_id)
    mine = app.pricing.price_list(priced.session_id)
    assert [t.code for t in mine.types] == ["adult", "senior"] and mine.price("B", "senior") == D("11.50")


def test_bad_lists_are_refused_with_a_reason_and_nothing_changes(app, priced):
    cases = {
        "price_list_unknown_zone": {"types": [{"code": "x", "name": "X", "prices": {"Q": "1.00"}}]},
        "price_list_negative": {"types": [{"code": "x", "name": "X", "prices": {"B": "-13.00"}}]},
        "price_list_bad_percent": {"types": [{"code": "x", "name": "X", "prices": {"A": "-120%"}}]},
        "price_list_bad_price": {"types": [{"code": "x", "name": "X", "prices": {"A": "12,50"}}]},
        "price_type_twice": {"types": [{"code": "x", "name": "X", "prices": {"A": "1"}},
                                       {"code": "x", "name": "Y", "prices": {"A": "2"}}]},
        "price_type_bad_code": {"types": [{"code": "Child", "name": "X", "prices": {"A": "1"}}]},
        "price_list_not_object": [1, 2],
    }
    for reason, doc in cases.items():
        with pytest.raises(BadInput) as refused:
            app.pricing.import_list(doc, "sam", venue_id=priced.venue_id)
        assert refused.value.reason == reason, (reason, str(refused.value))
    with pytest.raises(PermissionDenied):
        app.pricing.import_list(VENUE_LIST, "alice", venue_id=priced.venue_id)
    assert app.pricing.price_list(priced.session_id).price("B", "child") == D("7.80")


def test_sale_with_types_prices_each_seat_and_lines_carry_the_type(app, priced):
    sid = priced.session_id
    # types in the order of the seats named (not in seat order): S2-C-1 is the child, S1-A-3 the adult
    r = sell(app, sid, "S2-C-1", "S1-A-3", "S1-A-2", price_types=("child", "adult", "senior"))
    assert r.total == D("7.80") + D("20.00") + D("17.50")
    assert {(ln.label, ln.price_type, ln.price) for ln in r.lines} == {
        ("S2-C-1", "child", D("7.80")), ("S1-A-3", "adult", D("20.00")), ("S1-A-2", "senior", D("17.50"))}
    assert sorted(lines(app, r.order_id)) == sorted([("S2-C-1", "child", D("7.80"), True),
                                                     ("S1-A-3", "adult", D("20.00"), True),
                                                     ("S1-A-2", "senior", D("17.50"), True)])
    best = app.booking.sell(SaleRequest(sid, "alice", best=2, zone="B", price_types=("child", "child")))
    assert best.total == D("15.60") and {ln.price_type for ln in best.lines} == {"child"}


def test_unknown_type_and_a_type_with_no_price_in_the_zone_are_refused(app, priced):
    sid = priced.session_id
    before = orders_of(app, sid)
    with pytest.raises(BadInput) as unknown:
        sell(app, sid, "S1-A-2", price_types=("pensioner",))
    assert unknown.value.reason == "unknown_price_type"
    assert "'pensioner'" in str(unknown.value) and "adult, child, senior, vip, comp" in str(unknown.value)
    with pytest.raises(BadInput) as nowhere:
        sell(app, sid, "S2-C-2", price_types=("vip",))
    assert nowhere.value.reason == "no_price_for_type"
    with pytest.raises(BadInput) as count:
        sell(app, sid, "S1-A-2", "S1-A-3", price_types=("child",))
    assert count.value.reason == "price_types_count"
    assert orders_of(app, sid) == before
    assert set(db_status(app, sid).values()) <= {"free", "blocked"}
    assert_redis_matches_db(app, sid)


def test_comp_by_a_clerk_needs_a_supervisor(app, priced):
    sid = priced.session_id
    before = orders_of(app, sid)
    with pytest.raises(PermissionDenied) as refused:
        sell(app, sid, "S1-A-4", "S1-A-5", price_types=("comp", "adult"))
    assert refused.value.reason == "price_type_needs_supervisor"
    assert orders_of(app, sid) == before  # nothing written
    assert "free" == db_status(app, sid)[app.catalog.layout(priced.venue_id).by_label["S1-A-4"].index]
    assert_redis_matches_db(app, sid)  # no seat kept in Redis
    with pytest.raises(BoxOfficeError):  # a wrong password approves nothing
        sell(app, sid, "S1-A-4", price_types=("comp",), supervisor="sam", supervisor_password="wrong")
    assert orders_of(app, sid) == before
    r = sell(app, sid, "S1-A-4", "S1-A-5", price_types=("comp", "adult"), supervisor="sam",
             supervisor_password=TEST_PASSWORD)
    assert r.total == D("20.00")
    assert sorted(lines(app, r.order_id)) == [("S1-A-4", "comp", D("0.00"), True),
                                              ("S1-A-5", "adult", D("20.00"), True)]
    alone = sell(app, sid, "S1-A-6", price_types=("comp",), user="sam")  # a supervisor sells a comp alone
    assert alone.total == D("0.00") and alone.lines[0].price_type == "comp"
    assert_redis_matches_db(app, sid)


def test_exchange_keeps_each_seats_type(app, priced):
    sid = priced.session_id
    r = sell(app, sid, "S1-A-2", "S1-A-3", price_types=("child", "adult"))
    assert r.total == D("32.00")
    after = app.aftersale.exchange(r.order_id, ["S2-C-3", "S2-C-4"], "alice", "move to the back")
    moved = {ln.label: (ln.price_type, ln.price) for ln in after.lines}
    # S1-A-2 (child) → S2-C-3 at B's child price; S1-A-3 (adult) → S2-C-4 at B's adult price
    assert moved == {"S2-C-3": ("child", D("7.80")), "S2-C-4": ("adult", D("13.00"))}
    assert after.total == D("20.80")
    live = [row for row in lines(app, r.order_id) if row[3]]
    assert sorted(live) == [("S2-C-3", "child", D("7.80"), True), ("S2-C-4", "adult", D("13.00"), True)]
    assert_redis_matches_db(app, sid)


def test_a_layout_carries_its_price_list(app):
    doc = copy.deepcopy(tiny_doc())
    doc["price_types"] = [{"code": "child", "name": "Child", "prices": {"*": "-50%"}},
                          {"code": "comp", "name": "Comp", "prices": {"*": "0"}}]
    session = make_session(app, make_layout(doc))
    listed = app.pricing.price_list(session.session_id)
    assert [t.code for t in listed.types] == ["adult", "child", "comp"]
    assert listed.price("B", "child") == D("6.25") and listed.type("comp").needs_supervisor
    bad = copy.deepcopy(doc)
    bad["price_types"][0]["prices"] = {"Z": "1.00"}
    with pytest.raises(LayoutError, match="unknown zone 'Z'"):
        parse_layout(bad)
