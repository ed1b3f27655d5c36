"""FrontDesk.refund_plan: how a refund goes back on a split-paid order (card first, then cash), read-only — the same
split the cancel then books."""

from __future__ import annotations

from decimal import Decimal

from boxoffice.domain.values import Tender
from boxoffice.services.booking import SaleRequest


def test_the_plan_is_card_first_then_cash_and_the_cancel_books_it(app, session):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-A-5", "S1-A-6"),
                                     tenders=(Tender("card", Decimal("30.00")), Tender("cash", Decimal("10.00")))))
    assert r.total == Decimal("40.00")
    assert app.desk.refund_plan(r.order_id, Decimal("20.00")) == [("card", Decimal("20.00"))]
    assert app.desk.refund_plan(r.order_id, Decimal("40.00")) == [("card", Decimal("30.00")),
                                                                   ("cash", Decimal("10.00"))]
    assert app.desk.refund_plan(r.order_id, Decimal("0.00")) == []
    # read-only: nothing was refunded
    assert sorted(app.desk.paid_by_method(r.order_id)) == [("card", Decimal("30.00")), ("cash", Decimal("10.00"))]
    app.desk.cancel(app.accounts.get("alice"), r.order_id, "rain")
    assert sorted(app.desk.paid_by_method(r.order_id)) == [("card", Decimal("0.00")), ("cash", Decimal("0.00"))]
