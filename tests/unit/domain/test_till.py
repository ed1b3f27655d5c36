"""The till's figures from its rows (pure): expected cash, by method, the count, the trace and its candidates."""

from __future__ import annotations

from decimal import Decimal as Dec

import pytest

from boxoffice.domain import till
from boxoffice.domain.till import Movement, OrderRow, PaymentRow, SeatRow
from boxoffice.errors import BadInput

SHIFT = 7
OTHER = 8


def _rows():
    orders = [OrderRow(1, 100, "paid", Dec("40.00"), "alice"), OrderRow(2, 100, "paid", Dec("60.00"), "alice"),
              OrderRow(3, 100, "paid", Dec("20.00"), "alice"), OrderRow(4, 100, "paid", Dec("0.00"), "alice"),
              OrderRow(5, 100, "paid", Dec("25.00"), "bob")]
    seats = [SeatRow(1, "A-1", "A", "adult", Dec("20.00")), SeatRow(1, "A-2", "A", "adult", Dec("20.00")),
             SeatRow(2, "A-3", "A", "adult", Dec("20.00")), SeatRow(2, "A-4", "A", "adult", Dec("20.00")),
             SeatRow(2, "A-5", "A", "adult", Dec("20.00")),
             SeatRow(3, "B-1", "A", "adult", Dec("20.00")), SeatRow(3, "B-2", "A", "adult", Dec("20.00"), False,
                                                                   "returned"),
             SeatRow(4, "C-1", "B", "comp", Dec("0.00")),
             SeatRow(5, "D-1", "B", "adult", Dec("25.00"))]
    pays = [
        PaymentRow(1, "payment", "cash", Dec("40.00"), Dec("50.00"), SHIFT),      # change 10
        PaymentRow(2, "payment", "cash", Dec("20.00"), None, SHIFT),            # exact money claimed
        PaymentRow(2, "payment", "card", Dec("40.00"), None, SHIFT),            # split
        PaymentRow(3, "payment", "cash", Dec("40.00"), None, SHIFT),
        PaymentRow(3, "refund", "cash", Dec("20.00"), None, SHIFT),             # partial refund, cash
        PaymentRow(5, "payment", "cash", Dec("25.00"), Dec("30.00"), OTHER),      # another till
    ]
    moves = [Movement("drop", Dec("30.00")), Movement("payout", Dec("5.50"), "milk")]
    return orders, seats, pays, moves


def test_expected_cash_is_float_plus_taken_minus_change_refunds_payouts_drops():
    _o, _s, pays, moves = _rows()
    f = till.cash_figures(SHIFT, Dec("100"), pays, moves)
    assert f.cash_taken == Dec("110.00")  # 50 handed over + 20 + 40
    assert f.change == Dec("10.00")
    assert f.cash_refunds == Dec("20.00")
    assert (f.payouts, f.drops) == (Dec("5.50"), Dec("30.00"))
    assert f.expected == Dec("144.50")  # 100 + 110 - 10 - 20 - 5.50 - 30


def test_by_method_counts_only_this_till():
    _o, _s, pays, _m = _rows()
    bm = till.by_method(SHIFT, pays)
    assert bm["cash"] == {"payments": "100.00", "refunds": "20.00", "net": "80.00"}
    assert bm["card"] == {"payments": "40.00", "refunds": "0.00", "net": "40.00"}
    assert bm["voucher"]["net"] == "0.00"


def test_count_by_denomination():
    detail = till.parse_count("50x3, 20x5,0.5x4,50x1")
    assert detail == {"50.00": 4, "20.00": 5, "0.50": 4}
    assert till.count_total(detail) == Dec("302.00")
    assert till.normalise_count({"10": 0, "5.00": 2}) == {"5.00": 2}
    for bad in ("50", "50x", "x3", "fiftyx3", "50x-1", "50.001x1", "0x3"):
        with pytest.raises(BadInput):
            till.parse_count(bad)
    with pytest.raises(BadInput):
        till.normalise_count({"10": 1.5})


def test_trace_flags_and_mismatch():
    orders, seats, pays, _m = _rows()
    traced = {o.order_id: o for o in till.trace(SHIFT, orders, seats, pays, [(100, "comp")])}
    assert set(traced) == {1, 2, 3}  # order 4 has no tender in this till, 5 is another till's
    assert traced[1].flags == ()
    assert set(traced[2].flags) == {"cash_no_change", "split"}
    assert set(traced[3].flags) == {"cash_no_change", "cash_refund"}
    assert not traced[3].mismatch  # 40 - 20 == the one live seat
    d = traced[3].as_dict(SHIFT)
    assert [s["label"] for s in d["seats"]] == ["B-1", "B-2"] and d["seats"][1]["live"] is False
    # a comp sold with a zero tender into this till
    pays2 = [*pays, PaymentRow(4, "payment", "cash", Dec("0.00"), None, SHIFT)]
    t4 = next(o for o in till.trace(SHIFT, orders, seats, pays2, [(100, "comp")]) if o.order_id == 4)
    assert "comp" in t4.flags
    # a mismatch: order 1 has a seat more than it paid for
    seats2 = [*seats, SeatRow(1, "A-9", "A", "adult", Dec("20.00"))]
    t1 = next(o for o in till.trace(SHIFT, orders, seats2, pays) if o.order_id == 1)
    assert "tender_mismatch" in t1.flags
    assert till.mismatches([t1]) == [{"order_id": 1, "paid_net": "40.00", "live_total": "60.00",
                                      "difference": "-20.00"}]


def test_candidates_rank_the_order_that_explains_the_variance_first():
    orders, seats, pays, _m = _rows()
    traced = till.trace(SHIFT, orders, seats, pays)
    assert till.candidates(SHIFT, traced, Dec("0")) == []
    ranked = till.candidates(SHIFT, traced, Dec("-10.00"))  # 10 short: order 1's change was 10
    assert ranked[0]["order_id"] == 1 and ranked[0]["rank"] == 0 and "change 10.00" in ranked[0]["matches"]
    ranked = till.candidates(SHIFT, traced, Dec("20.00"))  # 20 over: order 2's exact cash, order 3's refund
    assert [c["order_id"] for c in ranked[:2]] == [2, 3] and all(c["rank"] == 0 for c in ranked[:2])
    ranked = till.candidates(SHIFT, traced, Dec("3.00"))  # nothing equal: suspects before the clean order 1
    assert [c["rank"] for c in ranked] == [1, 1, 2] and ranked[-1]["order_id"] == 1
