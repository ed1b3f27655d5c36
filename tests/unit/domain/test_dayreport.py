"""The day report's value object: sections and totals built from grouped rows (no servers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from boxoffice.domain import dayreport as dr

D = Decimal
ZONE = ZoneInfo("Europe/Lisbon")


def sample() -> dr.DayReport:
    start = datetime(2026, 12, 3, tzinfo=ZONE)
    return dr.build(
        date(2026, 12, 3), "Europe/Lisbon", start, start + timedelta(days=1), start + timedelta(hours=23), "EUR",
        sessions=[dr.SessionFacts(7, "Benfica – Porto", "Estádio", start + timedelta(hours=20), 200, 50, 3, 146),
                  dr.SessionFacts(5, "Matinée", "Tiny Hall", start + timedelta(hours=15), 40, 4, 0, 35)],
        lines=[dr.LineGroup(7, "alice", "adult", False, 10, D("200.00")),
               dr.LineGroup(7, "alice", "child", False, 2, D("20.00")),
               dr.LineGroup(7, "bob", "comp", True, 1, D("0.00")),
               dr.LineGroup(5, "bob", "adult", False, 3, D("37.50")),
               dr.LineGroup(5, "bob", "member", False, 1, D("9.00"))],
        orders=[dr.OrderGroup(7, "alice", 4), dr.OrderGroup(7, "bob", 1), dr.OrderGroup(5, "bob", 2)],
        money=[dr.MoneyGroup(7, "alice", "cash", "payment", 3, D("150.00")),
               dr.MoneyGroup(7, "alice", "card", "payment", 2, D("90.00")),
               dr.MoneyGroup(5, "bob", "voucher", "payment", 1, D("46.50")),
               dr.MoneyGroup(7, "sam", "card", "refund", 2, D("20.00")),
               dr.MoneyGroup(7, "sam", "cash", "refund", 1, D("5.00"))],
        refunds=[dr.RefundGroup(7, "sam", 2)],
        clerk_names={"alice": "Alice Martin", "bob": "Bob Chen", "sam": "Sam Okafor"},
        type_names={"adult": "Adult", "child": "Child", "comp": "Complimentary"},
        type_order=["adult", "child", "comp"])


def test_sections_in_order_with_their_figures():
    r = sample()
    assert [s.key for s in r.sessions] == ["5", "7"]  # by start time
    s7 = r.sessions[1]
    assert (s7.seats, s7.comps, s7.refunds, s7.refunded, s7.payments, s7.gross) == (13, 1, 2, D("25.00"),
                                                                                    D("240.00"), D("215.00"))
    assert (s7.held, s7.free, s7.occupancy_pct) == (3, 146, D("25.0"))
    assert s7.name == "Benfica – Porto — Estádio"
    assert [c.key for c in r.clerks] == ["alice", "bob", "sam"]
    alice, bob, sam = r.clerks
    assert (alice.orders, alice.seats, alice.gross, alice.by_method) == (
        4, 12, D("240.00"), {"cash": D("150.00"), "card": D("90.00"), "voucher": D("0.00")})
    assert (bob.orders, bob.seats, bob.gross) == (3, 5, D("46.50"))
    assert (sam.orders, sam.refunds, sam.refunded, sam.gross) == (0, 2, D("25.00"), D("-25.00"))
    assert [(m.key, m.payments, m.refunds, m.refunded, m.gross) for m in r.methods] == [
        ("cash", D("150.00"), 1, D("5.00"), D("145.00")),
        ("card", D("90.00"), 2, D("20.00"), D("70.00")),
        ("voucher", D("46.50"), 0, D("0.00"), D("46.50")),
    ]
    # the venue's types in its order, an unknown code after them under its code
    assert [(t.key, t.name, t.seats, t.comps, t.gross) for t in r.types] == [
        ("adult", "Adult", 13, 0, D("237.50")), ("child", "Child", 2, 0, D("20.00")),
        ("comp", "Complimentary", 1, 1, D("0.00")), ("member", "member", 1, 0, D("9.00"))]


def test_totals_add_up_across_sections():
    r = sample()
    t = r.totals
    assert t["sessions"]["gross"] == t["clerks"]["gross"] == t["methods"]["gross"] == D("261.50")
    assert t["sessions"]["seats"] == t["clerks"]["seats"] == t["types"]["seats"] == 17
    assert t["sessions"]["occupancy_pct"] == D("22.5")  # 54 of 240 seats sold now
    assert t["clerks"]["by_method"] == {"cash": D("145.00"), "card": D("70.00"), "voucher": D("46.50")}
    assert t["methods"]["refunds"] == 3 and t["sessions"]["refunds"] == 2  # rows vs refund operations
    assert all(isinstance(v, Decimal) for v in (t["sessions"]["gross"], t["types"]["gross"]))


def test_occupancy_rounds_half_up_and_survives_no_capacity():
    assert dr.occupancy(1, 3) == D("33.3")
    assert dr.occupancy(1, 8) == D("12.5")
    assert dr.occupancy(1, 16) == D("6.3")
    assert dr.occupancy(0, 0) == D("0.0")


def test_csv_rows_and_json():
    r = sample()
    rows = r.csv_rows()
    assert all(tuple(row) == dr.CSV_COLUMNS for row in rows)
    assert [row["section"] for row in rows].count("methods") == 4  # three methods and the totals
    total = next(row for row in rows if row["section"] == "clerks" and row["key"] == dr.TOTAL)
    assert (total["cash"], total["gross"], total["held"]) == ("145.00", "261.50", "")
    d = r.to_dict()
    assert d["day"] == "2026-12-03" and d["sessions"][0]["gross"] == "46.50"
    assert d["totals"]["methods"]["gross"] == "261.50"
    assert d["clerks"][0]["by_method"]["card"] == "90.00"


def test_an_empty_day():
    start = datetime(2026, 12, 3, tzinfo=ZONE)
    r = dr.build(date(2026, 12, 3), "Europe/Lisbon", start, start + timedelta(days=1), start, "EUR", sessions=[],
                 lines=[], orders=[], money=[], refunds=[], clerk_names={}, type_names={})
    assert r.empty and not r.clerks and not r.types
    assert [m.gross for m in r.methods] == [D("0.00")] * 3
    assert r.totals["sessions"]["occupancy_pct"] == D("0.0")
