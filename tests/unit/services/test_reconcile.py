"""The reconciler's orchestration on fakes: the two sides read, drift found, the repair chosen and written, audited.
(The classification itself is tested in tests/unit/domain/test_drift.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.adapters.repos import orders
from boxoffice.domain.pricing import PriceList
from boxoffice.errors import BadInput, NotSignedIn, PermissionDenied
from boxoffice.services.booking import SaleRequest, sale_of
from boxoffice.services.reconcile import Reconciler


@pytest.fixture
def rec(world):
    return Reconciler(world.db.uow, world.store, world.catalog, world.inventory, world.accounts, world.settings)


def check(rec, sid):
    [report] = rec.report("sam", sid, confirm_s=0)
    return report


def kinds(report):
    return {d.kind: list(d.labels) for d in report.drifts}


def test_only_a_supervisor_or_the_job_checks(rec, world):
    sid = world.new_session().session_id
    with pytest.raises(PermissionDenied):
        rec.report("alice", sid, confirm_s=0)
    with pytest.raises(NotSignedIn):
        rec.report(None, sid, confirm_s=0)
    assert rec.report(None, sid, confirm_s=0, system="test")[0].consistent


def test_a_sale_whose_message_is_in_flight_is_no_drift(rec, world):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S2-C-1")))
    report = check(rec, sid)
    assert report.consistent and report.drifts == ()
    assert (report.orders_sold, report.ledger_sold, report.outbox_pending) == (2, 0, 1)


def test_a_seat_sold_in_the_database_and_free_in_redis_is_put_back(rec, world):
    sid = world.new_session().session_id
    order = world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3")))
    line = order.lines[0]
    world.store.free(sid, order.order_id, [line.seat_index], [line.line_id], "lost")  # Redis lost the sale
    epoch = world.store.snapshot(sid).epoch
    report = check(rec, sid)
    assert kinds(report) == {"lost_seat": ["S1-A-2"]}
    result = rec.repair("sam", report, "redis lost a sale")
    assert result.repaired == {"lost_seat": ["S1-A-2"]}
    assert world.taken(sid) == {0, 1, 2} and world.store.snapshot(sid).epoch == epoch  # fixed in place
    [entry] = world.db.audit_rows("repair")
    assert (entry.reason, entry.details["class"], entry.details["actor"]) == ("redis lost a sale", "lost_seat", "sam")
    assert check(rec, sid).consistent
    assert rec.repair("sam", report, "again").repaired == {}  # running it twice changes nothing


def test_a_session_missing_from_redis_is_rebuilt(rec, world):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    world.store.drop(sid)
    report = check(rec, sid)
    assert "redis_missing" in kinds(report)
    result = rec.repair("sam", report, "flushed")
    assert "redis_missing" in result.repaired
    assert world.taken(sid) == {0, 1} and world.store.snapshot(sid).sold
    assert check(rec, sid).consistent


def test_a_message_the_stream_lost_is_counted_by_the_ledger_repair(rec, world):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S2-C-1")))
    world.clock.advance(int(world.settings.outbox_redeliver_s * 1000) + 1000)  # never applied: lost
    report = check(rec, sid)
    assert set(kinds(report)) == {"ledger_behind"} and report.outbox_lost == 1
    rec.repair("sam", report, "stream lost it")
    ledger = {zone: tuple(v) for (s, zone), v in world.db.t.ledger.items() if s == sid}
    assert ledger == {"A": (1, Decimal("20.00")), "B": (1, Decimal("12.50"))}
    [msg] = world.db.outbox_rows()
    assert ("inventory", msg.id) in world.db.t.inbox and msg.status == "pending"  # adopted, published again
    assert check(rec, sid).consistent


def test_the_job_repairs_the_safe_classes_only(rec, world):
    sid = world.new_session().session_id
    sold = world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    lost = world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-5",)))
    line = lost.lines[0]
    world.store.free(sid, lost.order_id, [line.seat_index], [line.line_id], "lost")  # lost_seat: safe
    # cancelled in the database with no message: Redis never told (stale_sale, for a person to decide), and the
    # ledger cannot match the orders (ledger_behind: safe)
    with world.db.uow() as tx:
        tx.sessions.mark(sid, [1], "free")
        tx.orders.end_lines(sold.order_id, "cancelled")
        tx.orders.set_status(sold.order_id, "cancelled")
        tx.commit()
    [report] = rec.run_scheduled()
    assert set(kinds(report)) == {"lost_seat", "stale_sale", "ledger_behind"}
    after = check(rec, sid)
    assert kinds(after) == {"stale_sale": ["S1-A-2"]}
    assert [e.details["class"] for e in world.db.audit_rows("repair")] == ["lost_seat", "ledger_behind"]


def test_a_supervisor_releases_a_hold_by_hand_unless_its_sale_committed(rec, world):
    sid = world.new_session().session_id
    hold = world.booking.hold(sid, "alice", ["S1-A-7", "S1-A-8"])
    [listed] = rec.holds("sam", sid)
    assert (listed.token, listed.clerk, listed.labels) == (hold.token, "alice", ("S1-A-7", "S1-A-8"))
    with pytest.raises(BadInput, match="reason"):
        rec.force_release("sam", sid, hold.token, "  ")
    assert rec.force_release("sam", sid, hold.token, "clerk walked away") == 2
    assert world.taken(sid) == {0} and rec.holds("sam", sid) == []
    [entry] = world.db.audit_rows("repair")
    assert entry.details["class"] == "hold_release" and entry.details["seats"] == ["S1-A-7", "S1-A-8"]
    held = world.booking.hold(sid, "alice", ["S1-A-9"])
    layout = world.catalog.layout(world.catalog.venue_of(sid))
    with world.db.single_statement() as conn:  # its sale committed; Redis was never told (the sweep confirms it)
        alice = world.accounts.get("alice")
        orders.place(conn, sale_of(SaleRequest(sid, "alice"), alice, layout, PriceList.of_layout(layout), held.token,
                                   held.seats))
    with pytest.raises(BadInput, match="committed"):
        rec.force_release("sam", sid, held.token, "clerk walked away")
    assert world.taken(sid) == {0, 8}
