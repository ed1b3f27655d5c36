"""Cancel some seats of an order (a partial refund) and exchange some of its seats, on real servers: the order keeps
its other seats, the refund is the cancelled seats' prices, the outbox event names exactly those seats, the seat map
and the stock ledger follow, and reconciliation stays clean. An exchange that refunds money follows the cancel's
rights (a clerk alone only on their own order of today; else a supervisor acting or approving)."""

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest
from sqlalchemy import text

from boxoffice.errors import BadInput, PermissionDenied
from tests.integration.services.test_booking import assert_redis_matches_db, db_status, sell
from tests.integration.services.test_outbox import db_truth, ledger

FAST = 0.05
PASSWORD = "supervisor pw 1"


def check(app, sid: int):
    (report,) = app.reconciler.report("sam", sid, confirm_s=FAST)
    return report


def drain(app) -> None:
    app.relay.drain()
    app.consumer.drain()


def idx(app, session, *labels: str) -> list[int]:
    layout = app.catalog.layout(session.venue_id)
    return [layout.by_label[label].index for label in labels]


def payments(app, order_id: int) -> list[tuple[str, Decimal]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(
            text("SELECT kind, amount FROM payments WHERE order_id = :o ORDER BY id"), {"o": order_id})]


def last_event(app, order_id: int) -> tuple[str, dict]:
    with app.uow() as tx:
        row = tx.session.execute(text("SELECT topic, payload FROM outbox WHERE aggregate_id = :o ORDER BY id DESC "
                                      "LIMIT 1"), {"o": order_id}).one()
    return row.topic, row.payload


def test_cancelling_some_seats_refunds_them_and_keeps_the_rest(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-2", "S1-A-3", "S2-C-4")  # 20 + 20 + 12.50
    after = app.aftersale.cancel(r.order_id, "alice", "one friend cannot come", seats=["S1-A-3"])
    assert after.status == "paid" and after.seats == ("S1-A-2", "S2-C-4")
    assert after.total == Decimal("32.50")
    assert payments(app, r.order_id) == [("payment", Decimal("52.50")), ("refund", Decimal("20.00"))]
    topic, payload = last_event(app, r.order_id)
    assert topic == "OrderCancelled" and payload["seats"] == idx(app, session, "S1-A-3")
    assert payload["prices"] == ["20.00"]
    status = db_status(app, sid)
    a2, a3, c4 = idx(app, session, "S1-A-2", "S1-A-3", "S2-C-4")
    assert (status[a2], status[a3], status[c4]) == ("sold", "free", "sold")
    assert_redis_matches_db(app, sid)  # freed at once after commit
    report = check(app, sid)  # before the consumer: the ledger is behind only by the backlog
    assert report.consistent, report.drifts
    drain(app)
    assert ledger(app, sid) == db_truth(app, sid) == {"A": (1, Decimal("20.00")), "B": (1, Decimal("12.50"))}
    report = check(app, sid)
    assert report.consistent and report.outbox_pending == 0, report.drifts
    with app.uow() as tx:
        details = tx.session.execute(text("SELECT details FROM audit_log WHERE order_id = :o AND action = 'cancel'"),
                                     {"o": r.order_id}).scalar_one()
    assert details["seats"] == ["S1-A-3"] and details["kept"] == ["S1-A-2", "S2-C-4"] and details["refund"] == "20.00"
    # the seat is for sale again; the rest of the order can still be cancelled, refunding what is left
    sell(app, sid, "S1-A-3", user="bob")
    final = app.aftersale.cancel(r.order_id, "alice", "the others cannot come either")
    assert final.status == "cancelled"
    assert final.seats == ("S1-A-2", "S2-C-4") and final.total == Decimal("32.50")  # what was cancelled at the end
    assert payments(app, r.order_id)[-1] == ("refund", Decimal("32.50"))
    drain(app)
    assert check(app, sid).consistent and ledger(app, sid) == db_truth(app, sid)


def test_ticking_every_seat_is_the_whole_cancel(app, session):
    r = sell(app, session.session_id, "S1-B-2", "S1-B-3")
    after = app.aftersale.cancel(r.order_id, "alice", "all", seats=["S1-B-3", "S1-B-2"])
    assert after.status == "cancelled" and payments(app, r.order_id)[-1] == ("refund", Decimal("40.00"))


def test_a_partial_cancel_names_only_seats_of_the_order_and_follows_the_rights(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-B-5", "S1-B-6")
    with pytest.raises(BadInput, match="has no seat S1-B-7"):
        app.aftersale.cancel(r.order_id, "alice", "typo", seats=["S1-B-7"])
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        app.aftersale.cancel(r.order_id, "bob", "not bob's", seats=["S1-B-5"])
    boss = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(boss, boss, "supervisor", PASSWORD, actor="sam")
    after = app.aftersale.cancel(r.order_id, "bob", "approved", seats=["S1-B-5"], supervisor=boss,
                                 supervisor_password=PASSWORD)
    assert after.seats == ("S1-B-6",) and app.orders.get(r.order_id).status == "paid"


def test_exchanging_some_seats_moves_only_those(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-6", "S1-A-7")
    after = app.aftersale.exchange(r.order_id, ["S1-A-9"], "alice", "closer to the aisle", replacing=["S1-A-7"])
    assert after.seats == ("S1-A-6", "S1-A-9") and after.total == Decimal("40.00")
    topic, payload = last_event(app, r.order_id)
    assert topic == "OrderChanged"
    assert payload["removed"]["seats"] == idx(app, session, "S1-A-7")
    assert payload["added"]["seats"] == idx(app, session, "S1-A-9")
    assert_redis_matches_db(app, sid)
    drain(app)
    assert check(app, sid).consistent and ledger(app, sid) == db_truth(app, sid)


def test_an_exchange_that_refunds_needs_the_cancel_rights(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-8", "S1-A-10")  # 2 × 20.00, sold by alice
    # bob moving one seat to the same zone: no refund, no supervisor needed
    moved = app.aftersale.exchange(r.order_id, ["S1-B-8"], "bob", replacing=["S1-A-10"])
    assert moved.total == Decimal("40.00")
    # to the cheaper zone B: a refund of 7.50 on alice's order — bob alone may not
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        app.aftersale.exchange(r.order_id, ["S2-D-8"], "bob", replacing=["S1-A-8"])
    assert app.orders.get(r.order_id).seats == ("S1-A-8", "S1-B-8")  # nothing changed
    assert_redis_matches_db(app, sid)  # the claimed seat was given back
    boss = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(boss, boss, "supervisor", PASSWORD, actor="sam")
    after = app.aftersale.exchange(r.order_id, ["S2-D-8"], "bob", "cheaper", replacing=["S1-A-8"],
                                   supervisor=boss, supervisor_password=PASSWORD)
    assert after.total == Decimal("32.50") and payments(app, r.order_id)[-1] == ("refund", Decimal("7.50"))
    # alice refunds her own order of today alone
    again = app.aftersale.exchange(r.order_id, ["S2-D-9"], "alice", replacing=["S1-B-8"])
    assert again.total == Decimal("25.00")
    drain(app)
    assert check(app, sid).consistent and ledger(app, sid) == db_truth(app, sid)
