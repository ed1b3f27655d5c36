"""Booking's logic on fakes: the Redis deduction, the sale statement's verdicts and every compensation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.domain.events import parse
from boxoffice.errors import (
    BackendUnavailable,
    DatabaseUnreachable,
    SalesClosed,
    SeatsUnavailable,
    TokenForeign,
)
from boxoffice.services.booking import SaleRequest


def sell(world, sid, *labels, user="alice", **kw):
    return world.booking.sell(SaleRequest(sid, user, seats=labels, **kw))


def test_a_sale_deducts_in_the_store_and_writes_the_order(world):
    sid = world.new_session().session_id
    receipt = sell(world, sid, "S1-A-3", "S2-C-1")
    assert receipt.status == "paid" and receipt.clerk == "alice"
    assert receipt.seats == ("S1-A-3", "S2-C-1")
    assert receipt.total == Decimal("32.50")  # zone A 20.00 + zone B 12.50
    assert world.taken(sid) == {0, 2, 20}  # seat 0 is blocked by the layout
    assert world.store.snapshot(sid).sold and world.store.hold(sid, receipt.token).state == "confirmed"
    assert [world.db.seat_status(sid, i) for i in (2, 20)] == ["sold", "sold"]
    [row] = world.db.outbox_rows("OrderPlaced")
    event = parse(row.topic, row.payload, 40)
    assert (event.order_id, list(event.seats())) == (receipt.order_id, [2, 20])
    assert [a.details["seats"] for a in world.db.audit_rows("sale")] == [["S1-A-3", "S2-C-1"]]
    assert world.orders.get(receipt.order_id) == receipt


def test_seats_taken_in_the_store_are_named_and_nothing_is_written(world):
    sid = world.new_session().session_id
    world.booking.hold(sid, "bob", ["S1-A-4"])
    with pytest.raises(SeatsUnavailable) as caught:
        sell(world, sid, "S1-A-3", "S1-A-4")
    assert caught.value.seats == ("S1-A-4",)
    assert world.taken(sid) == {0, 3}  # bob's seat only: S1-A-3 was not deducted
    assert world.db.t.orders == {} and world.db.outbox_rows() == []


def test_a_seat_sold_in_the_database_only_gives_the_deduction_back(world):
    sid = world.new_session().session_id
    world.db.t.seats[(sid, 4)].status = "sold"  # drift: the store still has it free
    with pytest.raises(SeatsUnavailable) as caught:
        sell(world, sid, "S1-A-4", "S1-A-5")
    assert caught.value.seats == ("S1-A-5",)
    assert world.taken(sid) == {0}  # both seats given back by the compensation
    assert world.db.t.orders == {}


def test_an_unreachable_database_gives_the_seats_back(world):
    sid = world.new_session().session_id
    world.db.sale_fault = DatabaseUnreachable("connection refused")
    with pytest.raises(DatabaseUnreachable, match="given back"):
        sell(world, sid, "S1-A-2")
    assert world.taken(sid) == {0}
    assert world.db.t.orders == {}
    assert sell(world, sid, "S1-A-2").seats == ("S1-A-2",)  # sellable again at once


def test_an_answer_lost_after_commit_returns_the_saved_order(world):
    sid = world.new_session().session_id
    world.db.sale_fault, world.db.sale_fault_after = BackendUnavailable("connection lost"), True
    receipt = sell(world, sid, "S1-A-2")
    [order] = world.db.t.orders.values()
    assert receipt.order_id == order.id
    assert world.store.hold(sid, receipt.token).state == "confirmed"


def test_a_failure_before_commit_is_looked_up_then_given_back(world):
    sid = world.new_session().session_id
    world.db.sale_fault = RuntimeError("crash")
    with pytest.raises(RuntimeError):
        sell(world, sid, "S1-A-2")
    assert world.taken(sid) == {0} and world.db.t.orders == {}


def test_a_token_used_again_returns_the_same_order(world):
    sid = world.new_session().session_id
    first = sell(world, sid, "S1-A-2", "S1-A-3")
    again = sell(world, sid, "S1-A-2", "S1-A-3", token=first.token)
    assert again == first
    assert len(world.db.t.orders) == 1 and len(world.db.outbox_rows()) == 1
    with pytest.raises(TokenForeign):
        sell(world, sid, "S1-A-2", "S1-A-3", token=first.token, user="bob")


def test_a_held_sale_is_finished_with_its_token(world):
    sid = world.new_session().session_id
    hold = world.booking.hold(sid, "alice", ["S2-D-1", "S2-D-2"])
    receipt = sell(world, sid, "S2-D-1", "S2-D-2", token=hold.token)
    assert receipt.token == hold.token and receipt.total == Decimal("25.00")


def test_sales_closed_in_the_database_are_refused_and_given_back(world):
    sid = world.new_session().session_id
    world.db.t.sessions[sid].status = "closed"  # the store has not heard yet
    with pytest.raises(SalesClosed):
        sell(world, sid, "S1-A-2")
    assert world.taken(sid) == {0} and world.db.t.orders == {}


def test_best_available_sells_adjacent_free_seats(world):
    sid = world.new_session().session_id
    receipt = world.booking.sell(SaleRequest(sid, "alice", best=3, zone="B"))
    idx = [ln.seat_index for ln in receipt.lines]
    assert len(idx) == 3 and idx == list(range(idx[0], idx[0] + 3))
    assert {ln.zone for ln in receipt.lines} == {"B"} and receipt.total == Decimal("37.50")


def test_a_session_lost_by_redis_is_rebuilt_from_the_database_and_sold(world):
    sid = world.new_session().session_id
    sold = sell(world, sid, "S1-A-2")
    world.store.drop(sid)  # a flush: the seat map is gone
    receipt = sell(world, sid, "S1-A-3")
    assert world.taken(sid) == {0, 1, 2}  # rebuilt with the earlier sale, then sold
    with pytest.raises(SeatsUnavailable):
        sell(world, sid, "S1-A-2")
    assert {sold.order_id, receipt.order_id} == set(world.db.t.orders)
