"""Degraded mode on real servers: a private Valkey is stopped or paused under a running App, which keeps selling from
PostgreSQL alone (named seats, best N, holds, cancels, exchanges) without ever selling a seat twice, and when the
Valkey comes back every session is rebuilt from the database — once across processes — with a new epoch."""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import redis
from sqlalchemy import text

from boxoffice.adapters.redis_errors import backend_error
from boxoffice.domain.bitmap import bit
from boxoffice.errors import BackendUnavailable, SeatsTaken, SeatsUnavailable, TokenInvalid
from boxoffice.services.booking import SaleRequest
from boxoffice.services.degraded import sold_degraded
from boxoffice.services.health import RedisHealth
from tests.conftest import make_session
from tests.integration.degraded_helpers import PrivateValkey, build_on, drop_database, own_database, unique
from tests.integration.services.test_booking import db_status

RECOVERY_S = 30


@pytest.fixture(scope="module")
def valkey():
    server = PrivateValkey(Path(tempfile.mkdtemp(prefix="bo-valkey-")))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dsettings(settings, valkey):
    name = unique("bo_degraded")
    yield replace(settings, database_url=own_database(settings, name), redis_url=valkey.url)
    drop_database(settings, name)


@pytest.fixture(scope="module")
def dapp(dsettings, valkey):
    app = build_on(dsettings, valkey.url, migrate=True)
    yield app
    app.close()


@pytest.fixture(autouse=True)
def redis_back(dapp, valkey):
    """Every test starts and ends with the private Valkey running and the App healthy."""
    yield
    if valkey.proc is None:
        valkey.start()
    valkey.resume()
    assert dapp.health.wait_healthy(RECOVERY_S)


def idx(app, session, *labels: str) -> list[int]:
    layout = app.catalog.layout(session.venue_id)
    return [layout.by_label[label].index for label in labels]


def live_lines(app, sid: int) -> Counter:
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT seat_idx FROM order_lines WHERE session_id = :s AND active"), {"s": sid}).scalars().all()
    return Counter(rows)


def sell(app, sid: int, *labels: str, user: str = "alice", **kw):
    return app.booking.sell(SaleRequest(sid, user, seats=labels, **kw))


def rebuild_audits(app, sid: int) -> int:
    with app.uow() as tx:
        return tx.session.execute(
            text("SELECT count(*) FROM audit_log WHERE session_id = :s AND action = 'rebuild'"), {"s": sid}
        ).scalar_one()


def test_everything_sells_from_the_database_while_redis_is_down(dapp, valkey):
    session = make_session(dapp)
    sid = session.session_id
    valkey.stop()
    assert not dapp.is_degraded()  # nobody asked Redis yet: no ping before a sale

    r = sell(dapp, sid, "S1-A-2", "S1-A-3")
    assert dapp.is_degraded() and sold_degraded(r) and r.seats == ("S1-A-2", "S1-A-3")
    best = dapp.booking.sell(SaleRequest(sid, "bob", best=2, zone="B"))
    assert sold_degraded(best) and len(best.seats) == 2
    status = db_status(dapp, sid)
    assert all(status[i] == "sold" for i in idx(dapp, session, *r.seats, *best.seats))

    hold = dapp.booking.hold(sid, "bob", ["S1-B-5", "S1-B-6"])
    assert hold.state == "held" and hold.expires_ms > time.time() * 1000
    assert [db_status(dapp, sid)[i] for i in idx(dapp, session, "S1-B-5", "S1-B-6")] == ["held", "held"]
    with pytest.raises(SeatsUnavailable) as held:
        sell(dapp, sid, "S1-B-6", "S1-B-7")
    assert held.value.seats == ("S1-B-6",)
    with pytest.raises(SeatsUnavailable):
        sell(dapp, sid, "S1-A-3")
    paid = sell(dapp, sid, "S1-B-5", "S1-B-6", user="bob", token=hold.token)
    assert paid.token == hold.token and paid.seats == ("S1-B-5", "S1-B-6")
    assert sell(dapp, sid, "S1-B-5", "S1-B-6", user="bob", token=hold.token).order_id == paid.order_id  # idempotent

    cancelled = dapp.aftersale.cancel(r.order_id, "alice", "customer changed their mind")
    assert cancelled.status == "cancelled"
    assert [db_status(dapp, sid)[i] for i in idx(dapp, session, "S1-A-2", "S1-A-3")] == ["free", "free"]
    moved = dapp.aftersale.exchange(best.order_id, ["S1-A-2", "S1-A-3"], "bob")
    assert moved.seats == ("S1-A-2", "S1-A-3")
    lines = live_lines(dapp, sid)
    assert max(lines.values()) == 1
    assert set(lines) == set(idx(dapp, session, "S1-A-2", "S1-A-3", "S1-B-5", "S1-B-6"))
    assert dapp.is_degraded()


def test_racing_threads_never_sell_a_seat_twice_in_degraded_mode(dapp, valkey):
    session = make_session(dapp)
    sid = session.session_id
    valkey.stop()
    labels = [f"S2-{row}-{n}" for row in "CD" for n in range(1, 11)]
    wins, losses, errors = [], [], []
    start = threading.Barrier(8)

    def clerk(k: int) -> None:
        start.wait()
        for j in range(10):
            a = labels[(k + j) % len(labels)]
            b = labels[(k * 3 + j + 1) % len(labels)]
            try:
                wins.append(sell(dapp, sid, *sorted({a, b}), user="alice" if k % 2 else "bob"))
            except SeatsUnavailable:
                losses.append(k)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert wins and losses
    lines = live_lines(dapp, sid)
    assert max(lines.values()) == 1  # never two live order lines on one seat
    sold = {i for i, s in db_status(dapp, sid).items() if s == "sold"}
    assert sold == set(lines) and sum(len(w.lines) for w in wins) == len(sold)


def test_redis_back_rebuilds_every_session_once_and_refuses_old_tokens(dapp, dsettings, valkey):
    session = make_session(dapp)
    sid = session.session_id
    other = build_on(dsettings, valkey.url)  # a second process of the installation
    try:
        before = dapp.store.snapshot(sid).epoch
        old = dapp.store.issue_token(sid, "alice", 2, 60_000)  # a sale that had started before the outage
        live = sell(dapp, sid, "S1-A-9", "S1-A-10")
        valkey.pause()  # unresponsive: calls time out
        a = sell(dapp, sid, "S1-A-2", "S1-A-3")
        b = other.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-5",)))
        held = other.booking.hold(sid, "bob", ["S2-D-1"])
        dapp.aftersale.cancel(live.order_id, "alice", "refund")
        assert sold_degraded(a) and sold_degraded(b) and dapp.is_degraded() and other.is_degraded()
        valkey.resume()
        assert dapp.health.wait_healthy(RECOVERY_S) and other.health.wait_healthy(RECOVERY_S)

        snap = dapp.store.snapshot(sid)
        assert snap.epoch != before
        assert rebuild_audits(dapp, sid) == 1  # exactly one process rebuilt it
        with pytest.raises(TokenInvalid):
            dapp.store.deduct(sid, old.token, idx(dapp, session, "S1-B-1", "S1-B-2"), "alice", 60_000)
        taken = {i for i in range(session.capacity) if bit(snap.taken, i)}
        sold = {i for i in range(session.capacity) if bit(snap.sold, i)}
        assert sold == set(idx(dapp, session, "S1-A-2", "S1-A-3", "S2-C-5"))
        assert taken == sold | set(idx(dapp, session, "S1-A-1", "S2-D-1"))  # + the blocked seat and the db hold
        with pytest.raises(SeatsUnavailable):  # the live path now knows what the database sold meanwhile
            sell(dapp, sid, "S2-C-5")
        assert not sold_degraded(sell(dapp, sid, "S1-A-9", "S1-A-10"))  # the cancel freed them: a live sale
        done = sell(other, sid, "S2-D-1", user="bob", token=held.token)  # the database hold, finished live
        assert done.token == held.token

        dapp.relay.drain()
        dapp.consumer.drain()  # the outbox catches up on what was sold meanwhile
        (report,) = dapp.reconciler.report("sam", sid, confirm_s=0.05)
        assert report.consistent, report.drifts
    finally:
        other.close()


def test_a_fresh_redis_after_the_outage_is_filled_from_the_database(dapp, valkey):
    session = make_session(dapp)
    sid = session.session_id
    valkey.stop()
    r = sell(dapp, sid, "S2-C-2", "S2-C-3")
    for f in valkey.dir.glob("**/*"):  # Redis lost everything
        if f.is_file():
            f.unlink()
    valkey.start()
    assert dapp.health.wait_healthy(RECOVERY_S)
    snap = dapp.store.snapshot(sid)
    assert snap.present and all(bit(snap.sold, i) for i in idx(dapp, session, *r.seats))
    with pytest.raises(SeatsUnavailable):
        sell(dapp, sid, "S2-C-3")
    # the sale's OrderPlaced is still in the outbox (nothing was relayed meanwhile): the ledger counts it as backlog
    (report,) = dapp.reconciler.report("sam", sid, confirm_s=0.05)
    assert report.consistent and report.outbox_pending >= 1, report.drifts


def test_with_degraded_off_a_redis_outage_still_refuses(dsettings, valkey, dapp):
    session = make_session(dapp)
    strict = build_on(dsettings, valkey.url, degraded="off")
    try:
        valkey.stop()
        with pytest.raises(BackendUnavailable):
            sell(strict, session.session_id, "S1-A-5")
        with pytest.raises(BackendUnavailable):
            strict.booking.hold(session.session_id, "alice", ["S1-A-5"])
        assert not strict.is_degraded()
        assert db_status(strict, session.session_id)[idx(strict, session, "S1-A-5")[0]] == "free"
        with pytest.raises(BackendUnavailable):
            build_on(dsettings, valkey.url, degraded="off")  # and it does not start without Redis
    finally:
        strict.close()


def test_only_an_unreachable_redis_counts_as_an_outage(dapp):
    session = make_session(dapp)
    with pytest.raises(SeatsTaken):  # a script refusal (the blocked seat): an answer, not an outage
        dapp.store.issue_and_deduct(session.session_id, "alice", [0], 1000, 1000)
    refused = backend_error(redis.exceptions.ResponseError("ERR unknown command"))
    database = BackendUnavailable("database unavailable")
    database.__cause__ = OSError("connection refused")
    assert not dapp.health.failed(refused) and not dapp.health.failed(database)
    assert not dapp.health.failed(SeatsUnavailable(["S1-A-2"]))
    assert not dapp.is_degraded()
    unreachable = backend_error(redis.exceptions.ConnectionError("Connection refused"))
    assert backend_error(redis.exceptions.TimeoutError("Timeout reading from socket")).code == "redis_unreachable"
    assert RedisHealth("off").failed(unreachable) is False
    probe_free = RedisHealth("auto")
    assert probe_free.failed(unreachable) and probe_free.down and probe_free.down_since is not None


def test_expired_database_holds_are_swept(dapp, dsettings, valkey):
    session = make_session(dapp)
    sid = session.session_id
    quick = build_on(dsettings, valkey.url, hold_ttl_s=0.2)
    try:
        valkey.stop()
        hold = quick.booking.hold(sid, "alice", ["S1-B-9"])
        time.sleep(0.3)
        with pytest.raises(TokenInvalid):
            sell(quick, sid, "S1-B-9", token=hold.token)
        assert quick.degraded.sweep_holds() >= 1
        assert db_status(quick, sid)[idx(quick, session, "S1-B-9")[0]] == "free"
        assert sold_degraded(sell(quick, sid, "S1-B-9"))
    finally:
        quick.close()


def test_the_relay_waits_for_redis_instead_of_spending_attempts(dapp, valkey):
    """While degraded the scheduled relay does not try (8 failed attempts would dead-letter a sale's message), and the
    database hold sweep runs; once Redis is back the relay publishes what was sold meanwhile."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from boxoffice.scheduler import add_jobs

    session = make_session(dapp)
    jobs = {j.id: j.func for j in add_jobs(BackgroundScheduler(), dapp).get_jobs()}
    assert "db-hold-sweep" in jobs
    valkey.stop()
    r = sell(dapp, session.session_id, "S2-D-7")
    assert sold_degraded(r)
    for _ in range(3):
        jobs["outbox-relay"]()
        jobs["db-hold-sweep"]()
    with dapp.uow() as tx:
        attempts, status = tx.session.execute(
            text("SELECT attempts, status FROM outbox WHERE aggregate_id = :o AND topic = 'OrderPlaced'"),
            {"o": r.order_id}).one()
    assert (attempts, status) == (0, "pending")
    valkey.start()
    assert dapp.health.wait_healthy(RECOVERY_S)
    jobs["outbox-relay"]()
    with dapp.uow() as tx:
        status = tx.session.execute(
            text("SELECT status FROM outbox WHERE aggregate_id = :o AND topic = 'OrderPlaced'"),
            {"o": r.order_id}).scalar_one()
    assert status == "sent"


def test_a_process_started_after_the_outage_rebuilds_at_start(dapp, dsettings, valkey):
    session = make_session(dapp)
    sid = session.session_id
    gone = build_on(dsettings, valkey.url)
    valkey.stop()
    r = sell(gone, sid, "S2-D-9")
    assert sold_degraded(r)
    gone.close()  # every process that saw the outage has exited before Redis came back
    valkey.start()
    assert dapp.degraded.needs_recovery()
    stale = dapp.store.snapshot(sid)
    seat = idx(dapp, session, "S2-D-9")[0]
    assert not bit(stale.taken, seat)  # Redis does not know the sale yet
    rebuilt = rebuild_audits(dapp, sid)
    late = build_on(dsettings, valkey.url)  # e.g. a CLI run
    try:
        snap = late.store.snapshot(sid)
        assert snap.epoch != stale.epoch and bit(snap.sold, seat) and not late.is_degraded()
        assert rebuild_audits(dapp, sid) == rebuilt + 1 and not dapp.degraded.needs_recovery()
        build_on(dsettings, valkey.url).close()  # the next one has nothing to do
        assert rebuild_audits(dapp, sid) == rebuilt + 1 and late.store.snapshot(sid).epoch == snap.epoch
    finally:
        late.close()


def test_an_idle_process_notices_an_outage_with_its_health_check(dapp, valkey):
    with dapp.uow() as tx:
        before = tx.session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'redis_down'")).scalar_one()
    dapp.health.check()
    assert not dapp.is_degraded()
    valkey.stop()
    dapp.health.check()
    assert not dapp.is_degraded()  # one failed probe is not an outage yet
    dapp.health.check()
    assert dapp.is_degraded() and dapp.health.down_since is not None
    with dapp.uow() as tx:
        after = tx.session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'redis_down'")).scalar_one()
    assert after == before + 1  # recorded once for the outage, for whoever sees Redis again first


def test_a_database_hold_that_expires_after_the_recovery_is_freed_in_redis_too(dapp, valkey):
    session = make_session(dapp)
    sid = session.session_id
    valkey.stop()
    hold = dapp.booking.hold(sid, "alice", ["S1-B-3", "S1-B-4"])
    valkey.start()
    assert dapp.health.wait_healthy(RECOVERY_S)
    seats = idx(dapp, session, "S1-B-3", "S1-B-4")
    snap = dapp.store.snapshot(sid)
    assert all(bit(snap.taken, i) for i in seats)  # the rebuild shows the database hold taken
    with pytest.raises(SeatsUnavailable):
        sell(dapp, sid, "S1-B-4")
    with dapp.uow() as tx:  # its time runs out
        tx.session.execute(text("UPDATE seat_holds SET expires_at = now() WHERE token = :t"), {"t": hold.token})
        tx.commit()
    assert dapp.degraded.sweep_holds() == 1
    snap = dapp.store.snapshot(sid)
    assert not any(bit(snap.taken, i) for i in seats)
    (report,) = dapp.reconciler.report("sam", sid, confirm_s=0.05)
    assert report.consistent, report.drifts
    assert not sold_degraded(sell(dapp, sid, "S1-B-3", "S1-B-4"))


def test_a_database_hold_and_its_order_resume_only_for_their_clerk_and_seats(dapp, valkey):
    """Resuming by token on the degraded path: a hold made while Redis is down, and the order it becomes, are bound
    to their clerk and seats like a live token; the order's token reports it cancelled once it is."""
    from boxoffice.errors import TokenForeign, TokenOrderCancelled

    session = make_session(dapp)
    sid = session.session_id
    valkey.stop()
    hold = dapp.booking.hold(sid, "bob", ["S1-B-8", "S1-B-9"])
    assert dapp.degraded.has_hold(hold.token)
    for user, labels in (("alice", ("S1-B-8", "S1-B-9")), ("bob", ("S1-B-8",)), ("bob", ("S1-B-8", "S1-B-10"))):
        with pytest.raises(TokenForeign):
            sell(dapp, sid, *labels, user=user, token=hold.token)
    assert [db_status(dapp, sid)[i] for i in idx(dapp, session, "S1-B-8", "S1-B-9")] == ["held", "held"]
    paid = sell(dapp, sid, "S1-B-8", "S1-B-9", user="bob", token=hold.token)
    assert paid.clerk == "bob" and sold_degraded(paid)
    with pytest.raises(TokenForeign):  # the order it made: not for another clerk either
        sell(dapp, sid, "S1-B-8", "S1-B-9", user="alice", token=hold.token)
    dapp.aftersale.cancel(paid.order_id, "bob", "customer left")
    with pytest.raises(TokenOrderCancelled) as err:
        sell(dapp, sid, "S1-B-8", "S1-B-9", user="bob", token=hold.token)
    assert err.value.as_dict()["status"] == "cancelled" and err.value.exit_code == 4
