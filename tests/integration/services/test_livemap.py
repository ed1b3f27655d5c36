"""Following a session's seat map live from its change stream."""

from __future__ import annotations

from boxoffice.services.booking import SaleRequest
from boxoffice.services.livemap import LiveMap, MapChange, Resync


def test_follower_sees_every_change_in_order_and_resyncs_on_gaps_and_rebuilds(app, session):
    sid = session.session_id
    live = LiveMap(app.store, sid)
    first = live.poll()
    assert isinstance(first[0], Resync) and first[0].reason == "start"
    start_version = first[0].snapshot.version

    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3")))
    changes = live.poll(block_ms=100)
    assert changes == [MapChange(start_version + 1, "hold", (1, 2)), MapChange(start_version + 2, "sold", (1, 2))]
    assert all(c.taken for c in changes)
    assert live.poll(block_ms=50) == []  # nothing new: waits, then returns empty

    # another window's change while this one is not looking is still seen, in order
    r = app.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-1",)))
    app.aftersale.cancel(r.order_id, "bob", "test")
    ops = [(c.op, c.seats) for c in live.poll(block_ms=100)]
    assert ops == [("hold", (20,)), ("sold", (20,)), ("free", (20,))]

    # a version that jumps (an entry the follower can never see) forces a fresh snapshot
    app.redis.incr(app.store.keys(sid).ver)
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-5",)))
    resync = live.poll(block_ms=100)
    assert len(resync) == 1 and isinstance(resync[0], Resync) and resync[0].reason.startswith("gap")
    assert live.version == resync[0].snapshot.version

    app.inventory.rebuild(sid)
    rebuilt = live.poll(block_ms=100)
    assert isinstance(rebuilt[0], Resync) and rebuilt[0].reason == "rebuild"
    assert live.poll(block_ms=50) == []


def test_entries_already_in_the_snapshot_are_skipped(app, session):
    sid = session.session_id
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-1",)))
    live = LiveMap(app.store, sid)
    snap = live.poll()[0].snapshot
    assert snap.version == live.version
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-2",)))
    assert [c.seats for c in live.poll(block_ms=100)] == [(11,), (11,)]
