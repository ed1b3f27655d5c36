"""Reconciliation (DESIGN §6) on real servers: every drift class injected by changing Redis or the database directly,
detected with the right class and seats, repaired, audited, and clean afterwards; a second repair changes nothing."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text

from boxoffice.errors import BadInput, NotFound, PermissionDenied
from boxoffice.services.reconcile import SAFE, Reconciler
from tests.integration.services.test_booking import assert_redis_matches_db, sell
from tests.integration.services.test_outbox import db_truth, ledger

FAST = 0.05  # the confirmation wait between the two passes


def check(app, sid: int, user: str = "sam"):
    (report,) = app.reconciler.report(user, sid, confirm_s=FAST)
    return report


def index(app, session, label: str) -> int:
    return app.catalog.layout(session.venue_id).by_label[label].index


def audits(app, sid: int) -> list[dict]:
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT a.actor_id, u.username, a.reason, a.details FROM audit_log a LEFT JOIN users u "
                 "ON u.id = a.actor_id WHERE a.session_id = :s AND a.action = 'repair' ORDER BY a.id"),
            {"s": sid}).all()
    return [{"user": r.username, "reason": r.reason, **r.details} for r in rows]


def drain(app) -> None:
    app.relay.drain()
    app.consumer.drain()


def repair_and_expect_clean(app, sid: int, report, kinds: set[str]):
    """Repair as the supervisor, check that it is clean, and that a second repair of the same report does nothing."""
    assert {d.kind for d in report.drifts} == kinds
    version = app.store.snapshot(sid).version
    result = app.reconciler.repair("sam", report, "test repair")
    assert set(result.repaired) == kinds, result
    after = check(app, sid)
    assert after.consistent, after.drifts
    written = audits(app, sid)
    assert {a["class"] for a in written} >= kinds - {"stale_stock"} and all(a["user"] == "sam" for a in written)
    version_after = app.store.snapshot(sid).version
    again = app.reconciler.repair("sam", report, "test repair twice")
    assert not again.changed and audits(app, sid) == written
    assert app.store.snapshot(sid).version == version_after >= version
    return result


def test_a_busy_but_healthy_session_is_consistent(app, session):
    sid = session.session_id
    sold = sell(app, sid, "S1-A-9", "S1-A-2")
    app.booking.hold(sid, "bob", ["S1-A-5"])  # a live hold: a sale in progress, not drift
    app.aftersale.exchange(sold.order_id, ["S1-A-3", "S1-A-4"], "alice")
    report = check(app, sid)  # the outbox has not been drained: the ledger is behind only by the backlog
    assert report.consistent, report.drifts
    assert (report.db_sold, report.orders_sold, report.ledger_sold, report.live_holds) == (2, 2, 0, 1)
    assert report.outbox_pending == 2 and report.severity == "ok"
    drain(app)
    report = check(app, sid)
    assert report.consistent and report.ledger_sold == 2 and report.outbox_pending == 0


def test_lost_seat_is_critical_and_restored(app, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-2", "S1-A-3")
    i = index(app, session, "S1-A-2")
    k = app.store.keys(sid)
    app.redis.setbit(k.seats, i, 0)  # as if a wrong free had reached Redis
    app.redis.setbit(k.sold, i, 0)
    app.redis.hdel(k.owners, i)
    app.redis.incr(k.stock)
    report = check(app, sid)
    assert report.severity == "critical"
    assert report.drift("lost_seat").labels == ("S1-A-2",)
    repair_and_expect_clean(app, sid, report, {"lost_seat"})
    assert_redis_matches_db(app, sid)
    line = next(ln for ln in app.orders.get(r.order_id).lines if ln.label == "S1-A-2")
    assert app.redis.hget(k.owners, i) == f"{r.order_id}:{line.line_id}".encode()
    (entry,) = audits(app, sid)
    assert entry["reason"] == "test repair" and entry["seats"] == ["S1-A-2"]
    assert entry["before"]["redis"][0]["taken"] is False and entry["after"]["redis"][0]["sold"] is True


def test_unconfirmed_sale_gets_its_sold_bit_and_owner(app, session):
    sid = session.session_id
    sell(app, sid, "S1-B-1")
    i = index(app, session, "S1-B-1")
    k = app.store.keys(sid)
    app.redis.setbit(k.sold, i, 0)
    app.redis.hdel(k.owners, i)
    report = check(app, sid)
    assert report.drift("unconfirmed_sale").labels == ("S1-B-1",)
    repair_and_expect_clean(app, sid, report, {"unconfirmed_sale"})


def test_orphan_bits_and_an_expired_hold_are_released(app, session):
    sid = session.session_id
    k = app.store.keys(sid)
    i = index(app, session, "S1-A-6")
    app.redis.setbit(k.seats, i, 1)  # a bit nobody holds
    app.redis.decr(k.stock)
    token = app.store.issue_token(sid, "bob", 2, 30_000).token
    held = [index(app, session, "S1-A-8"), index(app, session, "S1-A-9")]
    app.store.deduct(sid, token, held, "bob", 30)  # a window died after the deduction; the hold expires
    time.sleep(0.1)
    report = check(app, sid)
    assert report.drift("orphan_hold").labels == ("S1-A-6", "S1-A-8", "S1-A-9")
    repair_and_expect_clean(app, sid, report, {"orphan_hold"})
    assert app.store.hold(sid, token).state == "released"  # the sweep has nothing left to free later
    assert_redis_matches_db(app, sid)


def test_stale_sale_is_reported_and_freed_only_on_request(app, session):
    sid = session.session_id
    k = app.store.keys(sid)
    i = index(app, session, "S2-C-4")
    for key in (k.seats, k.sold):
        app.redis.setbit(key, i, 1)  # as if a cancel had never reached Redis
    app.redis.hset(k.owners, i, "999999:999999")
    app.redis.decr(k.stock)
    report = check(app, sid)
    assert report.drift("stale_sale").labels == ("S2-C-4",) and "stale_sale" not in SAFE
    app.reconciler.repair("sam", report, "safe only", SAFE)
    assert check(app, sid).drift("stale_sale") is not None  # the automatic classes leave it alone
    repair_and_expect_clean(app, sid, report, {"stale_sale"})
    assert_redis_matches_db(app, sid)


def test_stale_stock_counter_is_recounted(app, session):
    sid = session.session_id
    sell(app, sid, "S1-A-10")
    app.redis.incrby(app.store.keys(sid).stock, 5)
    report = check(app, sid)
    assert [d.kind for d in report.drifts] == ["stale_stock"] and "stock counter" in report.drifts[0].detail
    repair_and_expect_clean(app, sid, report, {"stale_stock"})
    assert_redis_matches_db(app, sid)
    assert audits(app, sid)[-1]["before"]["stock"] == audits(app, sid)[-1]["after"]["stock"] + 5


def test_ledger_behind_is_recomputed_with_the_backlog_in_mind(app, session):
    sid = session.session_id
    sell(app, sid, "S1-A-10", "S2-C-1")
    drain(app)
    with app.uow() as tx:
        tx.session.execute(text("UPDATE stock_ledger SET sold = sold + 3, revenue = revenue + 1 "
                                "WHERE session_id = :s AND zone = 'A'"), {"s": sid})
        tx.commit()
    sell(app, sid, "S1-A-4")  # in the backlog while the ledger is repaired: it must still count once afterwards
    report = check(app, sid)
    assert report.drift("ledger_behind") is not None and "zone A: ledger 4 seats" in report.drift("ledger_behind").detail
    repair_and_expect_clean(app, sid, report, {"ledger_behind"})
    drain(app)
    assert ledger(app, sid) == db_truth(app, sid) == {"A": (2, Decimal("40.00")), "B": (1, Decimal("12.50"))}
    assert check(app, sid).consistent


def test_missing_redis_keys_are_rebuilt(app, session):
    sid = session.session_id
    sell(app, sid, "S1-A-3")
    app.store.drop(sid)
    report = check(app, sid)
    assert report.severity == "critical" and [d.kind for d in report.drifts] == ["redis_missing"]
    assert report.redis_present is False
    repair_and_expect_clean(app, sid, report, {"redis_missing"})
    assert_redis_matches_db(app, sid)


def test_unknown_drift_is_repaired_by_a_rebuild(app, session):
    sid = session.session_id
    i = index(app, session, "S1-B-2")
    app.redis.setbit(app.store.keys(sid).sold, i, 1)  # sold but not taken: no class explains it
    report = check(app, sid)
    assert report.drift("unknown").labels == ("S1-B-2",)
    result = repair_and_expect_clean(app, sid, report, {"unknown"})
    assert result.repaired["unknown"] == ["S1-B-2"]
    assert audits(app, sid)[-1]["after"]["rebuilt"] is True


def test_clerks_can_neither_check_nor_repair(app, session):
    sid = session.session_id
    report = check(app, sid)
    for call in (
        lambda: app.reconciler.report("alice", sid),
        lambda: app.reconciler.repair("alice", report, "no"),
        lambda: app.reconciler.holds("bob", sid),
        lambda: app.reconciler.force_release("bob", sid, "x", "no"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(BadInput):
        app.reconciler.repair("sam", report, "  ")
    with pytest.raises(BadInput):
        app.reconciler.repair("sam", report, "why", ["no_such_class"])


def test_force_release_one_hold_is_audited_and_refused_for_a_committed_sale(app, session):
    sid = session.session_id
    hold = app.booking.hold(sid, "bob", ["S1-A-7", "S1-A-8"])
    (listed,) = app.reconciler.holds("sam", sid)
    assert listed.token == hold.token and listed.labels == ("S1-A-7", "S1-A-8") and listed.clerk == "bob"
    assert app.reconciler.force_release("sam", sid, hold.token, "customer left") == 2
    assert app.reconciler.holds("sam", sid) == [] and check(app, sid).consistent
    with pytest.raises(NotFound):
        app.reconciler.force_release("sam", sid, hold.token, "again")
    with app.uow() as tx:
        details = tx.session.execute(text("SELECT details FROM audit_log WHERE session_id = :s AND "
                                          "details->>'class' = 'hold_release'"), {"s": sid}).scalar_one()
    assert details["seats"] == ["S1-A-7", "S1-A-8"] and details["before"]["clerk"] == "bob"
    sold = sell(app, sid, "S1-B-5")
    k = app.store.keys(sid)
    app.redis.hset(k.hold(sold.token), "state", "held")  # as if the confirmation had not run yet
    with pytest.raises(BadInput, match="committed"):
        app.reconciler.force_release("sam", sid, sold.token, "wrong")


def test_scheduled_job_repairs_only_the_safe_classes_once_per_turn(app, session):
    sid = session.session_id
    sell(app, sid, "S1-A-2")
    k = app.store.keys(sid)
    i, j = index(app, session, "S1-A-2"), index(app, session, "S2-C-5")
    app.redis.setbit(k.seats, i, 0)  # lost seat (safe to repair)
    app.redis.setbit(k.sold, i, 0)
    app.redis.incr(k.stock)
    for key in (k.seats, k.sold):  # stale sale (left for a supervisor)
        app.redis.setbit(key, j, 1)
    app.redis.decr(k.stock)
    job = Reconciler(app.uow, app.store, app.catalog, app.inventory, app.accounts,
                     replace(app.settings, reconcile_confirm_s=FAST, reconcile_mode="repair"))
    app.redis.delete(f"{app.store.prefix}:turn:reconcile")
    reports = {r.session_id: r for r in job.run_scheduled()}
    assert {d.kind for d in reports[sid].drifts} >= {"lost_seat", "stale_sale"}
    assert job.run_scheduled() == []  # another process's turn until the interval passes
    after = check(app, sid)
    assert [d.kind for d in after.drifts] == ["stale_sale"]
    entry = next(a for a in audits(app, sid) if a["class"] == "lost_seat")
    assert entry["user"] is None and entry["actor"] == "reconcile job" and entry["reason"] == "automatic reconciliation"
    app.redis.delete(f"{app.store.prefix}:turn:reconcile")


def test_report_is_json_ready(app, session):
    report = check(app, session.session_id)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["consistent"] is True and data["severity"] == "ok" and data["capacity"] == session.capacity


def test_dead_letters_of_a_session_are_reported_and_queued_again(app, session):
    sid = session.session_id
    sell(app, sid, "S2-D-3")
    with app.uow() as tx:
        (dead,) = tx.session.execute(text("UPDATE outbox SET status = 'dead', last_error = 'test' "
                                          "WHERE payload->>'session_id' = :s RETURNING id"), {"s": str(sid)}).scalars()
        tx.commit()
    report = check(app, sid)
    assert [d.kind for d in report.drifts] == ["dead_letter"] and str(dead) in report.drifts[0].detail
    assert report.outbox_dead == 1 and "dead_letter" not in SAFE
    repair_and_expect_clean(app, sid, report, {"dead_letter"})
    drain(app)
    assert ledger(app, sid) == db_truth(app, sid) == {"B": (1, Decimal("12.50"))}


def test_messages_published_long_ago_and_never_applied_are_drift_not_backlog(app, session):
    """A message the stream lost is not 'in flight' for ever: past ``outbox_redeliver_s`` it is ledger drift (the
    old check counted it as backlog and said "consistent" while the ledger and the orders disagreed). The repair
    counts it into the ledger once: its late delivery changes the ledger no more, but still confirms Redis."""
    fast = replace(app.settings, outbox_redeliver_s=0.3)
    reconciler = Reconciler(app.uow, app.store, app.catalog, app.inventory, app.accounts, fast)
    sid = session.session_id
    drain(app)
    r = sell(app, sid, "S1-B-3", "S1-B-4")
    app.relay.drain()  # published; the stream then loses it (the consumer never sees it)
    app.redis.delete(app.relay.stream)
    assert reconciler.report("sam", sid, confirm_s=FAST)[0].consistent  # young: in flight
    time.sleep(0.35)
    [report] = reconciler.report("sam", sid, confirm_s=FAST)
    drift = report.drift("ledger_behind")
    assert drift is not None and "never applied" in drift.detail and report.outbox_lost == 1
    assert report.ledger_sold == 0 and report.orders_sold == 2
    result = reconciler.repair("sam", report, "stream lost")
    assert "ledger_behind" in result.repaired
    assert ledger(app, sid) == db_truth(app, sid) == {"A": (2, Decimal("40.00"))}
    assert reconciler.report("sam", sid, confirm_s=FAST)[0].consistent
    assert audits(app, sid)[-1]["after"]["lost_messages"]
    drain(app)  # the message goes out again (for its Redis side): the ledger counts it once
    assert ledger(app, sid) == db_truth(app, sid) == {"A": (2, Decimal("40.00"))}
    assert app.store.hold(sid, r.token).state == "confirmed"
    assert check(app, sid).consistent


def test_bits_past_the_last_seat_are_found_and_the_recount_ignores_them(app, session):
    """A seat index past the session's capacity (a message with seat 999999, from before messages were checked)
    grew the bitmap and took one from the stock: the recount counted the stray bit and the check did not, so
    ``reconcile --repair`` exited 6 for ever. Now both count the seats' bits only, and the stray bits are drift
    that a rebuild clears."""
    sid = session.session_id
    keys = app.store.keys(sid)
    app.redis.setbit(keys.seats, 999_999, 1)
    reply = app.store.repair(sid, "test", "stale_stock", [], recount=True)
    assert reply.stock_after == session.capacity - 1  # the blocked seat S1-A-1 only, not the stray bit
    app.redis.decr(keys.stock)
    report = check(app, sid)
    assert {d.kind for d in report.drifts} == {"stale_stock", "unknown"}
    assert "past the session's 40 seats" in report.drift("unknown").detail
    repair_and_expect_clean(app, sid, report, {"stale_stock", "unknown"})
    assert len(app.redis.get(keys.seats)) <= 5
    assert_redis_matches_db(app, sid)


def test_one_session_that_cannot_be_checked_does_not_stop_the_others(app, session, monkeypatch):
    from boxoffice.services import reconcile as module
    from tests.conftest import make_session

    other = make_session(app)
    real = module.classify

    def broken(db, insp):
        if insp.snapshot.session_id == session.session_id:
            raise ArithmeticError("a number no one can read")
        return real(db, insp)

    monkeypatch.setattr(module, "classify", broken)
    reports = {r.session_id: r for r in app.reconciler.report("sam", confirm_s=FAST)}
    assert reports[session.session_id].drift("check_failed") is not None
    assert "a number no one can read" in reports[session.session_id].drift("check_failed").detail
    assert reports[other.session_id].consistent
