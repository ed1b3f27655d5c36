"""A rebuild of the seat map ends the holds made before it (faults issue, item 3).

A rebuild rewrites the bitmap from PostgreSQL and bumps the epoch; a hold from before it is not in the new map, so
another clerk can hold its seats again. The older hold must then never finish a sale (it would beat the newer one),
and giving it back must never clear a bit of the new epoch.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from boxoffice.domain.bitmap import bit
from boxoffice.errors import TokenInvalid, TokenStale
from boxoffice.services.booking import SaleRequest
from tests.integration.services.test_booking import assert_redis_matches_db, orders_with_token


def sell_held(app, session_id: int, labels: tuple[str, ...], token: str, user: str = "alice"):
    return app.booking.sell(SaleRequest(session_id, user, seats=labels, token=token))


def test_a_hold_from_before_a_rebuild_cannot_beat_a_hold_made_after_it(app, session):
    sid = session.session_id
    t4 = app.booking.hold(sid, "alice", ["S1-A-5"])  # clerk A
    app.inventory.rebuild(sid)  # `boxoffice cache rebuild`: the epoch moves on
    t5 = app.booking.hold(sid, "bob", ["S1-A-5"])  # clerk B holds the same seat in the rebuilt map

    with pytest.raises(TokenStale) as err:
        sell_held(app, sid, ("S1-A-5",), t4.token)
    assert isinstance(err.value, TokenInvalid) and err.value.exit_code == 4 and err.value.code == "token_stale"
    assert str(err.value) == "the seat map was rebuilt; select the seats again"
    assert orders_with_token(app, t4.token) == 0
    assert app.store.hold(sid, t4.token).state == "released"  # ended, without touching the new map
    assert bit(app.store.snapshot(sid).taken, 4)  # still B's

    receipt = sell_held(app, sid, ("S1-A-5",), t5.token, user="bob")
    assert receipt.seats == ("S1-A-5",) and receipt.clerk == "bob"
    with pytest.raises(TokenInvalid):  # asking again changes nothing
        sell_held(app, sid, ("S1-A-5",), t4.token)
    assert_redis_matches_db(app, sid)


def test_a_stale_token_without_a_hold_is_refused_as_stale(app, session):
    """A token issued before the rebuild and never used: the deduction refuses it with the same typed error."""
    sid = session.session_id
    issued = app.store.issue_token(sid, "alice", 1, 30_000)
    app.inventory.rebuild(sid)
    with pytest.raises(TokenStale):
        sell_held(app, sid, ("S1-A-6",), issued.token)
    assert not bit(app.store.snapshot(sid).taken, 5)
    assert_redis_matches_db(app, sid)


def test_a_committed_sale_is_returned_by_its_token_after_a_rebuild(app, session):
    """The order was made before the rebuild: the token still returns it (the database is asked first)."""
    sid = session.session_id
    held = app.booking.hold(sid, "alice", ["S1-A-7"])
    receipt = sell_held(app, sid, ("S1-A-7",), held.token)
    app.inventory.rebuild(sid)
    assert sell_held(app, sid, ("S1-A-7",), held.token) == receipt
    assert orders_with_token(app, held.token) == 1
    assert_redis_matches_db(app, sid)


def test_giving_back_a_stale_hold_never_clears_the_new_epochs_bits(app, session):
    """Compensation, expiry and a forced release of a hold from before the rebuild free nothing of the new map:
    release.lua frees bits only for a hold of the current epoch."""
    sid = session.session_id
    old = app.booking.hold(sid, "alice", ["S2-C-2", "S2-C-3"])
    app.inventory.rebuild(sid)
    new = app.booking.hold(sid, "bob", ["S2-C-2", "S2-C-3"])
    before = app.store.snapshot(sid)
    for reason in ("compensate", "expired", "force"):
        assert app.store.release(sid, old.token, reason) == 0
    after = app.store.snapshot(sid)
    assert after.taken == before.taken and after.stock == before.stock and after.version == before.version
    assert app.store.hold(sid, new.token).state == "held"
    # and the newer hold still sells
    assert sell_held(app, sid, ("S2-C-2", "S2-C-3"), new.token, user="bob").seats == ("S2-C-2", "S2-C-3")
    with app.uow() as tx:
        assert tx.session.execute(text("SELECT count(*) FROM session_seats WHERE session_id = :s AND "
                                       "status = 'sold'"), {"s": sid}).scalar_one() == 2
    assert_redis_matches_db(app, sid)


def test_settling_an_unresolved_stale_hold_frees_nothing_of_the_new_map(app, session):
    """A sale's outcome was unknown, then the seat map was rebuilt and another clerk held the seat: when the
    database answers, the unresolved-sales job releases the old hold (no order) without touching the new one."""
    sid = session.session_id
    old = app.booking.hold(sid, "alice", ["S2-D-7"])
    app.store.mark_unresolved(sid, old.token)
    app.inventory.rebuild(sid)
    new = app.booking.hold(sid, "bob", ["S2-D-7"])
    before = app.store.snapshot(sid)
    assert app.inventory.settle_unresolved() == (1, 0)
    after = app.store.snapshot(sid)
    assert after.taken == before.taken and after.stock == before.stock
    assert app.store.hold(sid, old.token).state == "released" and app.store.hold(sid, new.token).state == "held"
    assert app.store.unresolved().get(sid) is None
