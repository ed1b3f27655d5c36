"""The FrontDesk the windows talk to (real PostgreSQL and Redis): seats go in as indices, a conflict names the taken
seats by index, a hold is sold under its token, an exchange takes indices, a seat label finds its order, and the
live map reads a snapshot then the changes."""

from __future__ import annotations

import pytest

from boxoffice.errors import BadInput, SeatsUnavailable
from boxoffice.services.livemap import MapChange, Resync


def test_sell_hold_and_a_conflict_by_index(app, session):
    desk, sid = app.desk, session.session_id
    alice, bob = app.accounts.get("alice"), app.accounts.get("bob")
    receipt = desk.sell(alice, sid, (4, 5), "card")  # S1-A-5, S1-A-6
    assert receipt.seats == ("S1-A-5", "S1-A-6") and receipt.payment == "card"
    with pytest.raises(SeatsUnavailable) as taken:
        desk.sell(bob, sid, (5, 6))
    assert taken.value.seats == ("S1-A-6",) and taken.value.indices == (5,)
    hold = desk.hold(bob, sid, (6, 7))
    assert hold.seats == (6, 7) and desk.hold_of_seat(sid, 7).clerk == "bob"
    sold = desk.sell(bob, sid, hold.seats, token=hold.token)
    assert sold.token == hold.token and sold.seats == ("S1-A-7", "S1-A-8")
    with pytest.raises(BadInput):
        desk.sell(alice, sid, (10_000,))


def test_release_exchange_and_look_up_by_seat(app, session):
    desk, sid, alice = app.desk, session.session_id, app.accounts.get("alice")
    hold = desk.hold(alice, sid, (12,))
    desk.release(sid, hold.token)
    assert desk.hold_of_seat(sid, 12) is None
    order = desk.sell(alice, sid, (12, 13))
    moved = desk.exchange(alice, order.order_id, (14, 15), "closer to the aisle")
    assert moved.seats == ("S1-B-5", "S1-B-6")
    assert desk.find_order("S1-B-6", sid).order_id == order.order_id
    assert desk.find_order(str(order.order_id), sid).order_id == order.order_id


def test_best_seats_and_the_live_map(app, session):
    desk, sid = app.desk, session.session_id
    follower = desk.follow(sid)
    (first,) = desk.read_map(follower, 10)
    assert isinstance(first, Resync) and first.snapshot.capacity == session.capacity
    seats = desk.best_seats(sid, 3, "B", first.snapshot.taken)
    assert seats is not None and len(seats) == 3
    desk.sell(app.accounts.get("bob"), sid, seats)
    changes = [e for e in desk.read_map(follower, 1000) if isinstance(e, MapChange)]
    assert {i for c in changes if c.op == "sold" for i in c.seats} == set(seats)
    assert desk.degraded_picture(sid) is None  # Redis answers: the live map has the picture
