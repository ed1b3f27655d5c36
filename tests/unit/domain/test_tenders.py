"""Split tender rules (domain/tenders.py): parsing ``--pay``, the checks, and how a refund goes back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boxoffice.domain import tenders
from boxoffice.domain.values import Tender
from boxoffice.errors import BadInput

D = Decimal


def test_pay_text_parses_into_tenders_with_the_cash_handed_over():
    assert tenders.parse("cash:50/60, card:90") == (Tender("cash", D("50"), D("60")), Tender("card", D("90")))
    assert tenders.parse("VOUCHER:12.50") == (Tender("voucher", D("12.50")),)


@pytest.mark.parametrize(("text", "reason"), [
    ("cash50", "bad_tender"), ("cheque:10", "bad_tender"), ("cash:", "bad_tender"), ("cash:ten", "bad_tender"),
    ("cash:0", "tender_not_positive"), ("cash:-5", "tender_not_positive"), ("cash:nan", "bad_tender"),
])
def test_bad_pay_text_is_refused_with_its_reason(text, reason):
    with pytest.raises(BadInput) as caught:
        tenders.parse(text)
    assert caught.value.reason == reason


def test_an_amount_with_more_than_two_decimals_is_refused():
    with pytest.raises(BadInput, match="two decimals"):
        tenders.parse("cash:1.005")


def test_the_checks_name_what_is_wrong():
    total = D("140.00")
    assert tenders.check([Tender("cash", D("50"), D("60")), Tender("card", D("90"))], total)
    for bad, reason in [
        ([Tender("cash", D("50")), Tender("card", D("80"))], "tenders_total"),
        ([Tender("card", D("70")), Tender("card", D("70"))], "tender_method_twice"),
        ([Tender("card", D("140"), D("150"))], "tendered_not_cash"),
        ([Tender("cash", D("140"), D("100"))], "cash_short"),
    ]:
        with pytest.raises(BadInput) as caught:
            tenders.check(bad, total)
        assert caught.value.reason == reason, bad
    assert tenders.check([], D("0.00")) == ()  # a complimentary order is paid by nobody


def test_a_refund_returns_to_the_card_before_the_drawer_pays_out_cash():
    paid = [("cash", D("50.00")), ("card", D("90.00")), ("voucher", D("10.00"))]
    assert tenders.refund_split(paid, D("95.00")) == [("card", D("90.00")), ("voucher", D("5.00"))]
    assert tenders.refund_split(paid, D("150.00")) == [("card", D("90.00")), ("voucher", D("10.00")),
                                                       ("cash", D("50.00"))]


@given(st.lists(st.tuples(st.sampled_from(["cash", "card", "voucher"]), st.integers(0, 10_000)), max_size=3,
                unique_by=lambda t: t[0]),
       st.integers(1, 30_000))
def test_a_refund_split_always_sums_to_the_refund(paid_cents, refund_cents):
    paid = [(m, D(c) / 100) for m, c in paid_cents]
    refund = D(refund_cents) / 100
    split = tenders.refund_split(paid, refund)
    assert sum((a for _m, a in split), D("0")) == refund and all(a > 0 for _m, a in split)
    assert len({m for m, _a in split}) == len(split)
    for method, amount in split:  # never more back to a card or voucher than it paid
        if method != "cash":
            assert amount <= dict(paid)[method]


def test_method_of_an_order_is_its_one_method_or_split():
    assert tenders.method_of([Tender("card", D("1"))]) == "card"
    assert tenders.method_of([Tender("card", D("1")), Tender("cash", D("1"))]) == "split"
