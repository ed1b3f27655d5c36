"""Resuming by token is bound to its sale: a token resumes only its own clerk's sale with the same
session and seats; a cancelled order is reported as cancelled — both refusals exit 4."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from boxoffice.domain.bitmap import bit
from boxoffice.errors import TokenForeign, TokenInvalid, TokenOrderCancelled
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_session


def sell(app, sid: int, user: str, *labels: str, token: str | None = None, best: int | None = None):
    return app.booking.sell(SaleRequest(sid, user, seats=labels, token=token, best=best))


def orders_with_token(app, token: str) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM orders WHERE token = :t"), {"t": token}).scalar_one()


def foreign(fn, *args, **kw) -> TokenForeign:
    with pytest.raises(TokenForeign) as err:
        fn(*args, **kw)
    assert isinstance(err.value, TokenInvalid) and err.value.exit_code == 4
    assert str(err.value) == "this token belongs to another sale" and err.value.as_dict()["error"] == "token_foreign"
    return err.value


def test_the_order_of_a_token_is_returned_only_to_its_clerk_for_its_seats(app, session):
    sid = session.session_id
    r = sell(app, sid, "alice", "S1-B-5", "S1-B-6")
    assert sell(app, sid, "alice", "S1-B-5", "S1-B-6", token=r.token) == r  # the clerk's own retry: that order
    foreign(sell, app, sid, "bob", "S1-B-5", "S1-B-6", token=r.token)  # another clerk, same seats
    foreign(sell, app, sid, "bob", "S1-B-9", token=r.token)  # another clerk, other seats
    foreign(sell, app, sid, "alice", "S1-B-7", "S1-B-8", token=r.token)  # her token, other seats
    foreign(sell, app, sid, "alice", token=r.token, best=3)  # her token, another number of seats
    assert sell(app, sid, "alice", token=r.token, best=2) == r
    foreign(sell, app, make_session(app).session_id, "alice", "S1-B-5", "S1-B-6", token=r.token)  # other session
    assert orders_with_token(app, r.token) == 1


def test_a_cancelled_order_is_reported_as_cancelled(app, session):
    sid = session.session_id
    r = sell(app, sid, "alice", "S2-C-4")
    app.aftersale.cancel(r.order_id, "alice", "customer left")
    with pytest.raises(TokenOrderCancelled) as err:
        sell(app, sid, "alice", "S2-C-4", token=r.token)
    assert err.value.exit_code == 4 and isinstance(err.value, TokenInvalid)
    assert err.value.as_dict() == {"error": "order_cancelled", "message": str(err.value), "status": "cancelled",
                                   "order_id": r.order_id}
    foreign(sell, app, sid, "bob", "S2-C-4", token=r.token)  # another clerk learns nothing of it
    assert app.orders.get(r.order_id).status == "cancelled"
    snap = app.store.snapshot(sid)
    assert not bit(snap.taken, r.lines[0].seat_index)  # the seat stays free: nothing was sold again


def test_a_held_sale_is_finished_only_by_its_clerk_with_its_seats(app, session):
    sid = session.session_id
    hold = app.booking.hold(sid, "alice", ["S1-A-7", "S1-A-8"])
    foreign(sell, app, sid, "bob", "S1-A-7", "S1-A-8", token=hold.token)
    foreign(sell, app, sid, "alice", "S1-A-7", token=hold.token)
    foreign(sell, app, sid, "alice", token=hold.token, best=1)
    kept = app.store.hold(sid, hold.token)
    assert (kept.state, kept.clerk, kept.seats) == ("held", "alice", hold.seats)  # the hold is untouched
    r = sell(app, sid, "alice", "S1-A-7", "S1-A-8", token=hold.token)
    assert r.clerk == "alice" and r.seats == ("S1-A-7", "S1-A-8") and r.token == hold.token


def test_an_issued_token_is_used_only_by_its_clerk(app, session):
    sid = session.session_id
    issued = app.store.issue_token(sid, "alice", 1, 30_000)
    foreign(sell, app, sid, "bob", "S2-D-6", token=issued.token)
    assert app.store.hold(sid, issued.token) is None  # nothing deducted under it
    assert sell(app, sid, "alice", "S2-D-6", token=issued.token).clerk == "alice"
