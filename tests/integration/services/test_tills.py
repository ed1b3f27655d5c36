"""Till shifts on real servers: a shift with cash, card and split sales, a partial refund, a drop and a payout closes
with the exact expected cash and per-method totals; a planted shortage is traced to the order that explains it; two
clerks' tills never mix; one open till per clerk and per workstation; no sale without a till when one is required
(nothing written); a close needs a supervisor; the count is blind; every cash movement is audited; reconcile's tender
check finds an order whose tenders do not add up."""

from __future__ import annotations

import dataclasses
import json
import secrets
from decimal import Decimal as Dec

import pytest
from sqlalchemy import text

from boxoffice.bootstrap import build
from boxoffice.domain.values import Tender
from boxoffice.errors import AuthenticationFailed, BadInput, PermissionDenied, TillCounted, TillNotOpen
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD

SUP = "sam"


@pytest.fixture
def clerk(app) -> str:
    name = f"till{secrets.token_hex(3)}"
    app.accounts.ensure(name, f"Clerk {name}", "clerk", TEST_PASSWORD)
    return name


def _ws() -> str:
    return f"ws-{secrets.token_hex(3)}"


def sell(app, session, user: str, *labels: str, **kw):
    return app.booking.sell(SaleRequest(session.session_id, user, seats=labels, **kw))


def audit(app, shift_id: int) -> list[tuple[str, dict]]:
    with app.uow() as tx:
        return [(a, d) for a, d in tx.session.execute(text(
            "SELECT action, details FROM audit_log WHERE action LIKE 'till_%' AND details->>'shift_id' = :s "
            "ORDER BY id"), {"s": str(shift_id)})]


def test_a_shift_closes_with_the_exact_expected_cash_and_method_totals(app, session, clerk):
    opened = app.tills.open(clerk, Dec("100.00"), _ws())
    sid = opened["shift_id"]
    sell(app, session, clerk, "S1-A-2", payment="cash", tendered=Dec("50.00"))                    # 20, change 30
    sell(app, session, clerk, "S1-A-3", "S1-A-4", payment="card")                                # 40 card
    split = sell(app, session, clerk, "S1-A-5", "S1-A-6",
                 tenders=(Tender("cash", Dec("15.00")), Tender("card", Dec("25.00"))))              # split 15 + 25
    exact = sell(app, session, clerk, "S1-A-7", "S1-A-8", payment="cash")                       # 40 exact cash
    app.aftersale.cancel(exact.order_id, clerk, "customer left", seats=["S1-A-8"])             # 20 cash back
    app.aftersale.cancel(split.order_id, clerk, "one seat less", seats=["S1-A-6"])             # 20 to the card
    app.tills.drop(clerk, Dec("30.00"))
    app.tills.payout(clerk, Dec("5.00"), "stamps")
    with pytest.raises(BadInput):
        app.tills.payout(clerk, Dec("5.00"), "")  # a payout needs a reason
    with pytest.raises(BadInput):
        app.tills.drop(clerk, Dec("0"))

    # blind: the clerk's own status has no expected figure (100 + 50 + 15 + 40 - 30 - 20 - 30 - 5 = 120)
    status = app.tills.status(clerk)
    assert status["open"] and status["blind"] and "expected" not in status and "cash" not in status
    assert "120.00" not in json.dumps(status)
    with pytest.raises(PermissionDenied):  # a clerk sees only their own tills
        app.tills.report("alice", sid)
    x = app.tills.report(SUP, sid)  # the supervisor's X report shows it
    assert x["kind"] == "X" and x["expected"] == "120.00" and x["variance"] is None

    z = app.tills.close(clerk, Dec("120.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    assert z["kind"] == "Z" and z["status"] == "closed" and z["signed_off_by"] == SUP
    assert (z["expected"], z["counted"], z["variance"]) == ("120.00", "120.00", "0.00")
    assert z["cash"] == {"opening_float": "100.00", "cash_taken": "105.00", "change": "30.00",
                         "cash_refunds": "20.00", "payouts": "5.00", "drops": "30.00", "expected": "120.00"}
    assert z["by_method"]["cash"] == {"payments": "75.00", "refunds": "20.00", "net": "55.00"}
    assert z["by_method"]["card"] == {"payments": "65.00", "refunds": "20.00", "net": "45.00"}
    assert z["candidates"] == [] and z["mismatches"] == []
    assert len(z["orders"]) == 4
    by_id = {o["order_id"]: o for o in z["orders"]}
    assert "split" in by_id[split.order_id]["flags"]
    assert {"cash_no_change", "cash_refund"} <= set(by_id[exact.order_id]["flags"])
    assert [s["label"] for s in by_id[exact.order_id]["seats"]] == ["S1-A-7", "S1-A-8"]
    assert app.tills.open_shift_id(clerk) is None
    with app.uow() as tx:
        row = tx.session.execute(text("SELECT status, expected, variance, counted FROM till_shifts WHERE id = :s"),
                                 {"s": sid}).one()
    assert tuple(row) == ("closed", Dec("120.00"), Dec("0.00"), Dec("120.00"))

    actions = audit(app, sid)
    assert [a for a, _d in actions] == ["till_open", "till_drop", "till_payout", "till_count", "till_close"]
    assert actions[0][1]["float"] == "100.00" and actions[1][1]["amount"] == "30.00"
    assert actions[3][1]["counted"] == "120.00"
    assert actions[4][1]["signed_off_by"] == SUP and actions[4][1]["expected"] == "120.00"


def test_a_planted_shortage_is_traced_to_the_order_that_explains_it(app, session, clerk):
    sid = app.tills.open(clerk, Dec("0.00"), _ws())["shift_id"]
    changed = sell(app, session, clerk, "S1-B-2", payment="cash", tendered=Dec("30.00"))   # 20, change 10
    sell(app, session, clerk, "S2-C-1", payment="card")                                   # 12.50
    sell(app, session, clerk, "S1-B-3", "S1-B-4", payment="cash")                         # 40 exact
    # expected 30 + 40 - 10 = 60; the clerk counts 10 less: the change of 10 was given twice
    z = app.tills.close(clerk, detail={"20": 2, "10": 1}, supervisor=SUP, supervisor_password=TEST_PASSWORD,
                        note="change given twice")
    assert (z["expected"], z["counted"], z["variance"]) == ("60.00", "50.00", "-10.00")
    assert z["count"] == {"20.00": 2, "10.00": 1}
    first = z["candidates"][0]
    assert first["order_id"] == changed.order_id and first["rank"] == 0 and first["matches"] == ["change 10.00"]
    assert first["seats"] == ["S1-B-2"]
    assert app.tills.report(clerk, sid)["variance"] == "-10.00"  # the clerk's own Z report, not blind


def test_two_clerks_on_two_tills_never_mix(app, session, clerk):
    other = f"till{secrets.token_hex(3)}"
    app.accounts.ensure(other, "Other", "clerk", TEST_PASSWORD)
    a = app.tills.open(clerk, Dec("10.00"), _ws())["shift_id"]
    b = app.tills.open(other, Dec("20.00"), _ws())["shift_id"]
    assert a != b
    oa = sell(app, session, clerk, "S1-A-2", payment="cash")
    ob = sell(app, session, other, "S1-A-3", payment="cash", tendered=Dec("50.00"))
    ra, rb = app.tills.report(SUP, a), app.tills.report(SUP, b)
    assert [o["order_id"] for o in ra["orders"]] == [oa.order_id]
    assert [o["order_id"] for o in rb["orders"]] == [ob.order_id]
    assert (ra["expected"], rb["expected"]) == ("30.00", "40.00")
    for who in (clerk, other):
        app.tills.close(who, Dec("0"), supervisor=SUP, supervisor_password=TEST_PASSWORD, note="test")


def test_one_open_till_per_clerk_and_per_workstation(app, clerk):
    ws = _ws()
    sid = app.tills.open(clerk, Dec("50"), ws)["shift_id"]
    with pytest.raises(BadInput) as again:
        app.tills.open(clerk, Dec("50"), _ws())
    assert again.value.reason == "till_already_open"
    other = f"till{secrets.token_hex(3)}"
    app.accounts.ensure(other, "Other", "clerk", TEST_PASSWORD)
    with pytest.raises(BadInput) as busy:
        app.tills.open(other, Dec("50"), ws)
    assert busy.value.reason == "workstation_in_use" and clerk in str(busy.value)
    for bad in ("", " ", "a\tb", "x" * 101):
        with pytest.raises(BadInput):
            app.tills.open(other, Dec("1"), bad)
    with pytest.raises(BadInput):
        app.tills.open(other, Dec("-1"), _ws())
    app.tills.close(clerk, Dec("50"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    assert app.tills.open(other, Dec("5"), ws)["shift_id"] > sid  # the workstation is free again
    app.tills.close(other, Dec("5"), supervisor=SUP, supervisor_password=TEST_PASSWORD)


def test_a_sale_without_an_open_till_is_refused_and_writes_nothing(settings, app, session, clerk):
    strict = build(dataclasses.replace(settings, require_till=True))
    try:
        with app.uow() as tx:
            before = tx.session.execute(text("SELECT count(*) FROM orders")).scalar()
        with pytest.raises(TillNotOpen):
            strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S2-D-2",), payment="cash"))
        with app.uow() as tx:
            assert tx.session.execute(text("SELECT count(*) FROM orders")).scalar() == before
            seat = tx.session.execute(text(
                "SELECT ss.status FROM session_seats ss WHERE ss.session_id = :s AND ss.seat_idx = :i"),
                {"s": session.session_id, "i": app.catalog.layout(session.venue_id).by_label["S2-D-2"].index}
            ).scalar()
        assert seat == "free"
        strict.tills.open(clerk, Dec("0"), _ws())
        r = strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S2-D-2",), payment="cash"))
        assert r.order_id
        strict.tills.close(clerk, Dec("12.50"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    finally:
        strict.close()


def test_closing_needs_a_supervisor_and_the_count_is_blind_and_once(app, clerk):
    sid = app.tills.open(clerk, Dec("40"), _ws())["shift_id"]
    with pytest.raises(PermissionDenied):
        app.tills.close(clerk, Dec("40"))
    with pytest.raises(PermissionDenied):  # a clerk is no supervisor
        app.tills.close(clerk, Dec("40"), supervisor="alice", supervisor_password=TEST_PASSWORD)
    boss = f"boss{secrets.token_hex(3)}"
    app.accounts.ensure(boss, "Boss", "supervisor", "boss password 1")
    with pytest.raises(AuthenticationFailed):
        app.tills.close(clerk, Dec("40"), supervisor=boss, supervisor_password="wrong")
    assert app.tills.status(clerk)["open"] and app.tills.status(clerk).get("counted") is None
    with pytest.raises(BadInput):
        app.tills.count(clerk, Dec("40"), {"10": 4})  # a total or a count by denomination, not both
    counted = app.tills.count(clerk, detail={"10": 3, "5": 1})  # 35: the expected figure shows after the count
    assert (counted["expected"], counted["variance"]) == ("40.00", "-5.00")
    assert app.tills.status(clerk)["expected"] == "40.00"
    with pytest.raises(BadInput) as twice:
        app.tills.count(clerk, Dec("40"))
    assert twice.value.reason == "till_already_counted"
    with pytest.raises(BadInput) as unexplained:  # a variance is signed off only with a reason
        app.tills.close(clerk, supervisor=boss, supervisor_password="boss password 1")
    assert unexplained.value.reason == "till_variance_needs_note"
    z = app.tills.close(clerk, supervisor=boss, supervisor_password="boss password 1", note="a 5 note missing")
    assert z["variance"] == "-5.00" and z["signed_off_by"] == boss and z["note"] == "a 5 note missing"
    with pytest.raises(BadInput):
        app.tills.close(clerk, Dec("0"), supervisor=boss, supervisor_password="boss password 1")  # none open
    # a supervisor closes their own till without anyone else
    app.tills.open(boss, Dec("0"), _ws())
    assert app.tills.close(boss, Dec("0"))["signed_off_by"] == boss
    assert sid


def test_reconcile_tender_check_finds_an_order_whose_tenders_do_not_add_up(app, session, clerk):
    app.tills.open(clerk, Dec("0"), _ws())
    r = sell(app, session, clerk, "S1-B-5", payment="cash")
    assert all(m["order_id"] != r.order_id for m in app.tills.tender_mismatches(SUP, [session.session_id]))
    with app.uow() as tx:  # plant: a payment row lost
        tx.session.execute(text("UPDATE payments SET amount = amount - 5 WHERE order_id = :o"), {"o": r.order_id})
        tx.commit()
    try:
        found = app.tills.tender_mismatches(SUP, [session.session_id])
        assert [(m["order_id"], m["difference"]) for m in found] == [(r.order_id, "-5.00")]
        with pytest.raises(PermissionDenied):
            app.tills.tender_mismatches(clerk)
        report = app.tills.report(SUP, app.tills.open_shift_id(clerk))
        assert [m["order_id"] for m in report["mismatches"]] == [r.order_id]
    finally:
        with app.uow() as tx:
            tx.session.execute(text("UPDATE payments SET amount = amount + 5 WHERE order_id = :o"),
                               {"o": r.order_id})
            tx.commit()
    app.tills.close(clerk, Dec("20.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)


def test_a_close_waits_for_a_sale_in_flight_and_counts_it(app, session, clerk):
    """A sale holds the till FOR SHARE (SALE_SQL); the close locks it FOR UPDATE, so it waits and then counts it."""
    import threading
    import time

    sid = app.tills.open(clerk, Dec("0"), _ws())["shift_id"]
    order = sell(app, session, clerk, "S1-A-9", payment="cash")  # 20
    results: list = []
    with app.uow() as tx:  # a sale in flight: the till FOR SHARE, a cash payment not committed yet
        tx.session.execute(text("SELECT id FROM till_shifts WHERE id = :s FOR SHARE"), {"s": sid})
        tx.session.execute(text("INSERT INTO payments (order_id, method, amount, shift_id) "
                                "VALUES (:o, 'cash', 5, :s)"), {"o": order.order_id, "s": sid})
        closer = threading.Thread(target=lambda: results.append(app.tills.close(
            clerk, Dec("25.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)))
        closer.start()
        time.sleep(0.6)
        assert not results  # still waiting for the sale
        tx.commit()
    closer.join(10)
    z = results[0]
    assert (z["expected"], z["variance"]) == ("25.00", "0.00")
    assert [m["order_id"] for m in z["mismatches"]] == [order.order_id]  # the planted extra 5


def test_a_counted_till_takes_nothing_more_until_it_is_signed_off(settings, app, session, clerk):
    """Once the blind count is recorded a clerk who learns she is short cannot add a sale, a cash refund, a drop or a
    payout to the till: it waits for the supervisor's sign-off; the close needs a note for the variance."""
    strict = build(dataclasses.replace(settings, require_till=True))
    try:
        sid = strict.tills.open(clerk, Dec("50.00"), _ws())["shift_id"]
        sold = strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S1-A-2", "S1-A-3"),
                                               payment="cash"))                                    # 40 cash
        cheap = strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S2-C-1",), payment="cash"))  # 12.50
        strict.tills.count(clerk, Dec("99.50"))  # 3 short of 102.50
        with pytest.raises(TillCounted) as refused:
            strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S1-A-4",), payment="cash"))
        assert refused.value.reason == "till_counted" and refused.value.params["shift_id"] == sid
        assert refused.value.exit_code == 4
        for move in (lambda: strict.tills.drop(clerk, Dec("3.00")),
                     lambda: strict.tills.payout(clerk, Dec("3.00"), "stamps")):
            with pytest.raises(BadInput) as no_move:
                move()
            assert no_move.value.reason == "till_counted"
        with pytest.raises(BadInput) as no_refund:
            strict.aftersale.cancel(sold.order_id, clerk, "customer left", seats=["S1-A-3"])
        assert no_refund.value.reason == "cash_refund_till_counted"
        with pytest.raises(BadInput) as no_exchange:  # 7.50 more in cash for a dearer seat: not into a counted till
            strict.aftersale.exchange(cheap.order_id, ["S1-A-5"], clerk)
        assert no_exchange.value.reason == "till_counted"
        with strict.uow() as tx:
            assert tx.tills.open_shift_id(strict.accounts.get(clerk).user_id) is None  # refunds and exchanges
            rows = tx.session.execute(text("SELECT count(*) FROM payments WHERE shift_id = :s"), {"s": sid}).scalar()
            moves = tx.session.execute(text("SELECT count(*) FROM cash_movements WHERE shift_id = :s"),
                                       {"s": sid}).scalar()
        assert (rows, moves) == (2, 0)
        status = strict.tills.status(clerk)
        assert status["open"] and status["counted"] == "99.50" and status["variance"] == "-3.00"
        with pytest.raises(BadInput) as unexplained:
            strict.tills.close(clerk, supervisor=SUP, supervisor_password=TEST_PASSWORD)
        assert unexplained.value.reason == "till_variance_needs_note" and "-3.00" in str(unexplained.value)
        z = strict.tills.close(clerk, supervisor=SUP, supervisor_password=TEST_PASSWORD, note="coin jar short")
        assert (z["variance"], z["note"]) == ("-3.00", "coin jar short")
        with strict.uow() as tx:
            reason = tx.session.execute(text(
                "SELECT reason FROM audit_log WHERE action = 'till_close' AND details->>'shift_id' = :s"),
                {"s": str(sid)}).scalar()
        assert reason == "coin jar short"
        strict.tills.open(clerk, Dec("0"), _ws())  # closed: a new till takes sales again
        assert strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S1-A-4",), payment="card")).order_id
        strict.tills.close(clerk, Dec("0"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    finally:
        strict.close()


def test_a_close_given_the_count_and_refused_for_want_of_a_note_keeps_the_count(app, clerk):
    app.tills.open(clerk, Dec("10.00"), _ws())
    with pytest.raises(BadInput):
        app.tills.close(clerk, Dec("7.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    with pytest.raises(BadInput) as again:  # no second blind count after learning the variance
        app.tills.close(clerk, Dec("10.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD, note="recount")
    assert again.value.reason == "till_already_counted"
    z = app.tills.close(clerk, supervisor=SUP, supervisor_password=TEST_PASSWORD, note="3 missing")
    assert z["variance"] == "-3.00"


def test_a_clerks_report_before_the_count_has_counts_and_no_amount(app, session, clerk):
    sid = app.tills.open(clerk, Dec("100.00"), _ws())["shift_id"]
    sell(app, session, clerk, "S1-A-2", payment="cash", tendered=Dec("50.00"))
    sell(app, session, clerk, "S1-A-3", "S1-A-4", payment="card")
    app.tills.drop(clerk, Dec("30.00"))
    app.tills.payout(clerk, Dec("5.00"), "stamps")
    for seen in (app.tills.status(clerk), app.tills.report(clerk, sid)):
        assert seen["blind"] and seen["counts"] == {"orders": 2, "seats": 3, "refunds": 0, "drops": 1, "payouts": 1}
        dumped = json.dumps(seen)
        for amount in ("100.00", "20.00", "40.00", "30.00", "5.00", "50.00"):
            assert amount not in dumped, amount
    full = app.tills.report(SUP, sid)  # a supervisor sees everything
    assert full["opening_float"] == "100.00" and full["by_method"]["card"]["net"] == "40.00"
    assert [m["amount"] for m in full["movements"]] == ["30.00", "5.00"]
    app.tills.close(clerk, Dec("85.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)


def test_a_clerks_takings_of_today_are_hidden_while_tills_are_required(settings, app, session, clerk):
    strict = build(dataclasses.replace(settings, require_till=True))
    try:
        strict.tills.open(clerk, Dec("0"), _ws())
        strict.booking.sell(SaleRequest(session.session_id, clerk, seats=("S1-A-5",), payment="cash"))
        assert strict.desk.overview(strict.accounts.get(clerk), False).till is None
        assert strict.desk.overview(strict.accounts.get(SUP), False).till is not None
        assert app.desk.overview(app.accounts.get(clerk), False).till == Dec("20.00")  # tills not required
        strict.tills.close(clerk, Dec("20.00"), supervisor=SUP, supervisor_password=TEST_PASSWORD)
    finally:
        strict.close()
