"""Split tender on real servers: one payment row per tender, change only from cash, amounts that must add up to the
total (else nothing is written and the seats go back), refunds back per tender (card, then voucher, then cash), the
clerk's open till on every payment, and a sale refused without a till where one is required."""

from __future__ import annotations

import secrets
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text

from boxoffice.adapters import models
from boxoffice.bootstrap import build
from boxoffice.domain.values import Tender
from boxoffice.errors import BadInput, TillNotOpen
from tests.conftest import make_session
from tests.integration.services.test_booking import assert_redis_matches_db, db_status, sell

D = Decimal


def payment_rows(app, order_id: int) -> list[tuple]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT kind, method, amount, tendered, shift_id FROM payments WHERE order_id = :o ORDER BY id"),
            {"o": order_id})]


def orders_in(app, sid: int) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :s"), {"s": sid}).scalar_one()


def open_till(app, username: str, workstation: str | None = None) -> int:
    """A till shift opened straight in the database (the till service has its own tests)."""
    user = app.accounts.get(username)
    with app.uow() as tx:
        shift = models.TillShift(user_id=user.user_id, workstation=workstation or f"ws-{secrets.token_hex(4)}",
                                 opening_float=D("100.00"))
        tx.session.add(shift)
        tx.session.flush()
        shift_id = shift.id
        tx.commit()
    return shift_id


def close_till(app, shift_id: int) -> None:
    with app.uow() as tx:
        tx.session.execute(text("UPDATE till_shifts SET status = 'closed', closed_at = now() WHERE id = :i"),
                           {"i": shift_id})
        tx.commit()


def test_a_split_sale_writes_one_payment_per_tender_with_change_from_cash_only(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-2", "S1-A-3", "S2-C-4",  # 20 + 20 + 12.50
             tenders=(Tender("card", D("30.00")), Tender("cash", D("22.50"), D("25.00"))))
    assert r.payment == "split" and r.total == D("52.50")
    assert r.tenders == (Tender("card", D("30.00")), Tender("cash", D("22.50"), D("25.00")))
    assert r.change == D("2.50")
    assert payment_rows(app, r.order_id) == [("payment", "card", D("30.00"), None, None),
                                             ("payment", "cash", D("22.50"), D("25.00"), None)]
    shown = app.orders.get(r.order_id)  # read back: the same tenders, the same change
    assert shown.tenders == r.tenders and shown.change == D("2.50") and shown.payment == "split"


@pytest.mark.parametrize(("tenders", "reason"), [
    ((Tender("card", D("30.00")), Tender("cash", D("2.00"))), "tenders_total"),  # 32.00 of 32.50
    ((Tender("card", D("30.00")), Tender("card", D("2.50"))), "tender_method_twice"),
    ((Tender("card", D("32.50"), D("40.00")),), "tendered_not_cash"),  # change only from cash
    ((Tender("cash", D("32.50"), D("30.00")),), "cash_short"),
    ((Tender("cash", D("32.50")), Tender("card", D("0.00"))), "tender_not_positive"),
    ((Tender("cheque", D("32.50")),), "bad_payment"),
])
def test_tenders_that_do_not_pay_the_total_write_nothing_and_give_the_seats_back(app, session, tenders, reason):
    sid = session.session_id
    with pytest.raises(BadInput) as caught:
        sell(app, sid, "S1-A-2", "S2-C-1", tenders=tenders)  # 20 + 12.50
    assert caught.value.reason == reason
    assert orders_in(app, sid) == 0
    assert not {"sold", "held"} & set(db_status(app, sid).values())
    assert_redis_matches_db(app, sid)


def test_a_refund_goes_back_card_first_then_cash(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-2", "S1-A-3", "S2-C-4",
             tenders=(Tender("cash", D("32.50")), Tender("card", D("20.00"))))
    app.aftersale.cancel(r.order_id, "alice", "one friend cannot come", seats=["S2-C-4"])  # 12.50: all card
    app.aftersale.cancel(r.order_id, "alice", "the others cannot either")  # 40.00: 7.50 card left, 32.50 cash
    refunds = [(m, a) for kind, m, a, _t, _s in payment_rows(app, r.order_id) if kind == "refund"]
    assert refunds == [("card", D("12.50")), ("card", D("7.50")), ("cash", D("32.50"))]
    assert_redis_matches_db(app, sid)


@pytest.fixture
def till_app(settings):
    """The application as a box office runs it: no sale without the clerk's open till."""
    application = build(replace(settings, require_till=True), pool_size=4)
    yield application
    application.close()


def test_without_an_open_till_a_sale_is_refused_and_nothing_is_written(till_app):
    session = make_session(till_app, name="till required")
    sid = session.session_id
    with pytest.raises(TillNotOpen) as caught:
        sell(till_app, sid, "S1-A-2", user="bob")
    assert caught.value.exit_code == 4 and "bob" in str(caught.value)
    assert orders_in(till_app, sid) == 0
    assert not {"sold", "held"} & set(db_status(till_app, sid).values())
    assert_redis_matches_db(till_app, sid)  # the Redis deduction was given back


def test_every_payment_and_refund_goes_into_the_open_till_of_whoever_took_it(till_app):
    session = make_session(till_app, name="till payments")
    sid = session.session_id
    bobs, sams = open_till(till_app, "bob"), open_till(till_app, "sam")
    try:
        r = sell(till_app, sid, "S1-A-2", "S2-C-1", user="bob",
                 tenders=(Tender("card", D("10.00")), Tender("cash", D("22.50"), D("50.00"))))
        assert {row[4] for row in payment_rows(till_app, r.order_id)} == {bobs}
        till_app.aftersale.cancel(r.order_id, "sam", "customer changed their mind")  # the supervisor refunds
        refunds = [(m, a, s) for kind, m, a, _t, s in payment_rows(till_app, r.order_id) if kind == "refund"]
        assert refunds == [("card", D("10.00"), sams), ("cash", D("22.50"), sams)]
    finally:
        close_till(till_app, bobs)
        close_till(till_app, sams)


def test_a_cash_refund_without_a_till_is_refused_and_the_order_stays_paid(till_app):
    session = make_session(till_app, name="refund needs till")
    sid = session.session_id
    shift = open_till(till_app, "bob")
    try:
        r = sell(till_app, sid, "S1-A-2", user="bob", payment="cash")
    finally:
        close_till(till_app, shift)
    with pytest.raises(BadInput) as caught:
        till_app.aftersale.cancel(r.order_id, "bob", "changed their mind")
    assert caught.value.reason == "cash_refund_needs_till"
    assert till_app.orders.get(r.order_id).status == "paid"
    assert db_status(till_app, sid)[till_app.catalog.layout(session.venue_id).by_label["S1-A-2"].index] == "sold"


def test_the_seat_history_names_each_tender_the_change_and_each_refund(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-7", "S2-C-7", tenders=(Tender("card", D("20.00")), Tender("cash", D("12.50"),
                                                                                        D("20.00"))))
    app.aftersale.cancel(r.order_id, "alice", "rain", seats=["S1-A-7"])  # 20.00 back: all of it to the card
    sold, cancelled = [e for e in app.insights.seat_history("sam", sid, "S1-A-7") if e.source == "audit"
                       and e.kind in ("sold", "cancelled")]
    assert sold.detail.endswith(", paid card 20.00 + cash 12.50 (given 20.00, change 7.50)"), sold.detail
    assert cancelled.detail == f"order {r.order_id} cancelled, refund 20.00, refunded card 20.00 — rain"
