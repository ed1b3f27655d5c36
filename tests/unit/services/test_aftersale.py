"""After-sale logic on fakes: cancel and refund, exchange and its price difference, who may cancel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from boxoffice.errors import AuthenticationFailed, BadInput, PermissionDenied, SeatsUnavailable
from boxoffice.services.booking import SaleRequest
from tests.unit.services.conftest import PASSWORD


def sell(world, sid, *labels, user="alice"):
    return world.booking.sell(SaleRequest(sid, user, seats=labels))


def payments(world, order_id):
    return [(p.kind, p.amount) for p in world.db.t.payments if p.order_id == order_id]


def test_a_cancel_refunds_the_order_and_frees_exactly_its_seats(world):
    sid = world.new_session().session_id
    kept = sell(world, sid, "S1-A-2", user="bob")
    order = sell(world, sid, "S1-A-3", "S2-C-1")
    cancelled = world.aftersale.cancel(order.order_id, "alice", "customer changed plans")
    assert cancelled.status == "cancelled" and cancelled.seats == ("S1-A-3", "S2-C-1")
    assert payments(world, order.order_id) == [("payment", Decimal("32.50")), ("refund", Decimal("32.50"))]
    assert [world.db.seat_status(sid, i) for i in (1, 2, 20)] == ["sold", "free", "free"]
    assert world.taken(sid) == {0, 1}  # bob's seat stays taken in the store
    assert world.store.hold(sid, kept.token).state == "confirmed"
    [msg] = world.db.outbox_rows("OrderCancelled")
    assert (msg.payload["seats"], msg.payload["prices"]) == ([2, 20], ["20.00", "12.50"])
    [entry] = world.db.audit_rows("cancel")
    assert entry.details == {"seats": ["S1-A-3", "S2-C-1"], "refund": "32.50", "clerk": "alice",
                             "refunds": [{"method": "cash", "amount": "32.50"}]}
    with pytest.raises(BadInput, match="cancelled"):
        world.aftersale.cancel(order.order_id, "alice", "again")


def test_an_exchange_to_cheaper_seats_refunds_the_difference(world):
    sid = world.new_session().session_id
    order = sell(world, sid, "S1-A-2", "S1-A-3")  # zone A: 2 × 20.00
    changed = world.aftersale.exchange(order.order_id, ["S2-D-5", "S2-D-6"], "alice")  # zone B: 2 × 12.50
    assert changed.seats == ("S2-D-5", "S2-D-6") and changed.total == Decimal("25.00")
    assert payments(world, order.order_id)[-1] == ("refund", Decimal("15.00"))
    assert world.taken(sid) == {0, 34, 35}
    assert [world.db.seat_status(sid, i) for i in (1, 2, 34, 35)] == ["free", "free", "sold", "sold"]
    [msg] = world.db.outbox_rows("OrderChanged")
    assert msg.payload["removed"]["seats"] == [1, 2] and msg.payload["added"]["seats"] == [34, 35]
    assert world.db.audit_rows("exchange")[0].details["difference"] == "-15.00"


def test_an_exchange_to_dearer_seats_takes_a_payment(world):
    sid = world.new_session().session_id
    order = sell(world, sid, "S2-D-1")
    world.aftersale.exchange(order.order_id, ["S1-B-1"], "alice")
    assert payments(world, order.order_id) == [("payment", Decimal("12.50")), ("payment", Decimal("7.50"))]


def test_an_exchange_to_a_taken_seat_changes_nothing(world):
    sid = world.new_session().session_id
    order = sell(world, sid, "S1-A-2")
    world.db.t.seats[(sid, 5)].status = "held"  # held in the database only: the swap's check refuses it
    with pytest.raises(SeatsUnavailable) as caught:
        world.aftersale.exchange(order.order_id, ["S1-A-6"], "alice")
    assert caught.value.seats == ("S1-A-6",)
    assert world.taken(sid) == {0, 1}  # the new seat's hold was given back
    assert world.orders.get(order.order_id).seats == ("S1-A-2",)
    assert world.db.outbox_rows("OrderChanged") == [] and len(payments(world, order.order_id)) == 1


def test_a_clerk_cancels_alone_only_their_own_sale_of_today(world):
    sid = world.new_session().session_id
    alices = sell(world, sid, "S1-A-2")
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        world.aftersale.cancel(alices.order_id, "bob", "not mine")
    old = sell(world, sid, "S1-A-3")
    world.db.t.orders[old.order_id].created_at -= timedelta(days=1)
    with pytest.raises(PermissionDenied):
        world.aftersale.cancel(old.order_id, "alice", "sold yesterday")
    assert world.orders.get(old.order_id).status == "paid"
    assert world.aftersale.cancel(alices.order_id, "alice", "mine").status == "cancelled"


def test_a_supervisor_approves_what_a_clerk_may_not_do_alone(world):
    sid = world.new_session().session_id
    order = sell(world, sid, "S1-A-2")
    world.db.t.orders[order.order_id].created_at -= timedelta(days=2)
    with pytest.raises(AuthenticationFailed):
        world.aftersale.cancel(order.order_id, "bob", "refund", supervisor="sam", supervisor_password="wrong")
    with pytest.raises(PermissionDenied, match="not a supervisor"):
        world.aftersale.cancel(order.order_id, "bob", "refund", supervisor="alice", supervisor_password=PASSWORD)
    assert world.orders.get(order.order_id).status == "paid"
    world.aftersale.cancel(order.order_id, "bob", "refund", supervisor="sam", supervisor_password=PASSWORD)
    [entry] = world.db.audit_rows("cancel")
    assert entry.actor_id == world.accounts.get("bob").user_id
    assert entry.details["approved_by"] == "sam"
    # a supervisor cancels any order alone
    other = sell(world, sid, "S1-A-3", user="bob")
    world.db.t.orders[other.order_id].created_at -= timedelta(days=2)
    assert world.aftersale.cancel(other.order_id, "sam", "late refund").status == "cancelled"
