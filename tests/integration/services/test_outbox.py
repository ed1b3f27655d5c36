"""The outbox (DESIGN §5) on real servers: relay, consumer, crashes, poison, cancels, exchanges, the hold sweep."""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text

from boxoffice.adapters.repos.outbox import _CLAIM
from boxoffice.adapters.stream import EventStream
from boxoffice.domain.bitmap import bit
from boxoffice.errors import BadInput, SeatsUnavailable, SoldOut
from boxoffice.services.booking import SaleRequest
from boxoffice.services.consumer import GROUP, InventoryConsumer
from boxoffice.services.outbox import Relay
from tests.conftest import ROOT, make_session
from tests.integration.services.test_booking import assert_redis_matches_db, db_status


@pytest.fixture
def relay(app) -> Relay:
    return Relay(app.uow, app.events, replace(app.settings, outbox_max_attempts=3, outbox_backoff_s=0.0))


@pytest.fixture
def consumer(app) -> InventoryConsumer:
    fast = replace(app.settings, consumer_claim_idle_ms=100, consumer_max_failures=3)
    return InventoryConsumer(app.uow, app.store, app.events, fast, name="test-consumer")


def drain(relay: Relay, consumer: InventoryConsumer) -> None:
    relay.drain()
    consumer.drain()


def ledger(app, session_id: int) -> dict[str, tuple[int, Decimal]]:
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT zone, sold, revenue FROM stock_ledger WHERE session_id = :s AND sold <> 0"), {"s": session_id}
        ).all()
    return {z: (n, r) for z, n, r in rows}


def db_truth(app, session_id: int) -> dict[str, tuple[int, Decimal]]:
    """What the ledger must say: live order lines per zone."""
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT zone, count(*), sum(price) FROM order_lines WHERE session_id = :s AND active GROUP BY zone"),
            {"s": session_id},
        ).all()
    return {z: (n, r) for z, n, r in rows}


def assert_sold_bits_match_db(app, session_id: int) -> None:
    snap = app.store.snapshot(session_id)
    sold = {i for i, st in db_status(app, session_id).items() if st == "sold"}
    assert {i for i in range(snap.capacity or 0) if bit(snap.sold, i)} == sold


def sell(app, sid: int, *labels: str):
    return app.booking.sell(SaleRequest(sid, "alice", seats=labels))


def outbox_rows(app, order_id: int) -> list[tuple[str, str]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(
            text("SELECT topic, status FROM outbox WHERE aggregate_id = :o ORDER BY id"), {"o": order_id})]


def test_sale_reaches_the_ledger_once(app, relay, consumer, session):
    sid = session.session_id
    r = sell(app, sid, "S1-A-2", "S2-C-3")
    drain(relay, consumer)
    assert ledger(app, sid) == {"A": (1, Decimal("20.00")), "B": (1, Decimal("12.50"))} == db_truth(app, sid)
    assert outbox_rows(app, r.order_id) == [("OrderPlaced", "sent")]
    drain(relay, consumer)
    assert ledger(app, sid) == db_truth(app, sid)
    status = relay.status()
    assert (status.pending, status.in_flight, status.consumer_pending, status.lag_s) == (0, 0, 0, None)


def test_two_relays_claim_disjoint_rows(app, session):
    sid = session.session_id
    for label in ("S1-B-1", "S1-B-2", "S1-B-3", "S1-B-4", "S1-B-5", "S1-B-6"):
        sell(app, sid, label)
    with app.uow() as first, app.uow() as second:
        a = {r.id for r in first.session.execute(_CLAIM, {"n": 3, "lease": 30})}
        b = {r.id for r in second.session.execute(_CLAIM, {"n": 3, "lease": 30})}  # while the first still holds
        assert len(a) == len(b) == 3 and not a & b
        first.commit()
        second.commit()
    with app.uow() as third:
        c = {r.id for r in third.session.execute(_CLAIM, {"n": 1000, "lease": 30})}
        third.commit()
    assert not c & (a | b)  # leased rows are not claimed again
    with app.uow() as tx:  # give the leases back so other tests' drains are not delayed
        tx.session.execute(text("UPDATE outbox SET lease_until = NULL WHERE id = ANY(:i)"), {"i": list(a | b | c)})
        tx.commit()


def test_relay_killed_after_publishing_redelivers_and_the_ledger_counts_once(app, env, relay, consumer, session):
    sid = session.session_id
    r = sell(app, sid, "S2-D-2", "S2-D-3")
    crashed = subprocess.run(
        [sys.executable, "-m", "boxoffice.cli", "outbox", "drain"],
        env={**env, "BOXOFFICE_FAILPOINTS": "relay.after_publish=exit", "BOXOFFICE_OUTBOX_LEASE": "0.3"},
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert crashed.returncode == 86, crashed.stderr
    assert outbox_rows(app, r.order_id) == [("OrderPlaced", "pending")]  # published, never marked
    time.sleep(0.4)  # the dead relay's lease runs out
    drain(relay, consumer)  # published a second time
    assert outbox_rows(app, r.order_id) == [("OrderPlaced", "sent")]
    entries = app.redis.xrange(relay.stream)
    copies = [e for _, e in entries if json.loads(e[b"payload"]).get("order_id") == r.order_id
              and json.loads(e[b"payload"]).get("session_id") == sid]  # other tests' messages share the stream
    assert len(copies) == 2
    assert ledger(app, sid) == {"B": (2, Decimal("25.00"))} == db_truth(app, sid)


def test_consumer_killed_before_acknowledging_is_reclaimed_and_applied_once(app, env, relay, consumer, session):
    sid = session.session_id
    sell(app, sid, "S2-C-9")
    crashed = subprocess.run(
        [sys.executable, "-m", "boxoffice.cli", "outbox", "drain"],
        env={**env, "BOXOFFICE_FAILPOINTS": "consumer.before_ack=exit"},
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert crashed.returncode == 86, crashed.stderr
    assert ledger(app, sid) == {"B": (1, Decimal("12.50"))}  # the effect committed before the crash
    assert app.redis.xpending(relay.stream, GROUP)["pending"] >= 1
    time.sleep(0.2)  # older than the test consumer's claim idle time
    consumer.drain()
    assert app.redis.xpending(relay.stream, GROUP)["pending"] == 0
    assert ledger(app, sid) == {"B": (1, Decimal("12.50"))} == db_truth(app, sid)
    assert_sold_bits_match_db(app, sid)


def _insert_outbox(app, *payloads: dict, topic: str = "OrderPlaced") -> list[int]:
    with app.uow() as tx:
        ids = [tx.session.execute(
            text("INSERT INTO outbox (topic, aggregate_id, payload) VALUES (:t, 0, CAST(:p AS jsonb)) RETURNING id"),
            {"t": topic, "p": json.dumps(p)}).scalar_one() for p in payloads]
        tx.commit()
    return ids


def _dead(app, ids: list[int]) -> dict[int, str]:
    with app.uow() as tx:
        return dict(tx.session.execute(
            text("SELECT id, last_error FROM outbox WHERE id = ANY(:i) AND status = 'dead'"), {"i": ids}).all())


def _delete_outbox(app, ids: list[int]) -> None:
    with app.uow() as tx:
        tx.session.execute(text("DELETE FROM outbox WHERE id = ANY(:i)"), {"i": ids})
        tx.commit()


def test_poison_messages_are_dead_lettered_while_others_flow(app, relay, consumer, session):
    sid = session.session_id
    well_formed = {"order_id": 1, "session_id": sid, "token": "x", "seats": [1], "lines": [1], "zones": ["A"],
                   "prices": ["1.00"]}
    invalid = _insert_outbox(
        app,
        {"order_id": 0},  # lacks fields
        {**well_formed, "prices": ["abc"]},  # not an amount
        {**well_formed, "seats": [999_999]},  # no such seat in this session
        {**well_formed, "session_id": -1},  # no such session
        {**well_formed, "lines": [1, 2]},  # lengths differ
    )
    # valid in form, but the consumer's transaction fails every time (a zone longer than the ledger's column)
    [failing] = _insert_outbox(app, {**well_formed, "zones": ["Z" * 40]})
    good = sell(app, sid, "S1-A-7")
    relay.drain()
    dead = _dead(app, invalid)
    assert set(dead) == set(invalid)  # at the first attempt: an invalid message fails the same way every time
    assert all(e.startswith("invalid message: ") for e in dead.values())
    assert "lacks" not in dead[invalid[0]] and "order_id" in dead[invalid[0]]
    assert "'abc'" in dead[invalid[1]] and "999999 is out of range (0..39)" in dead[invalid[2]]
    assert "session" in dead[invalid[3]] and "differ in length" in dead[invalid[4]]
    for _ in range(4):
        drain(relay, consumer)
        time.sleep(0.15)  # failed deliveries become claimable again
    assert "consumer inventory" in _dead(app, [failing])[failing]
    assert outbox_rows(app, good.order_id) == [("OrderPlaced", "sent")]
    assert ledger(app, sid) == {"A": (1, Decimal("20.00"))}
    assert app.redis.xpending(relay.stream, GROUP)["pending"] == 0
    assert len(app.redis.get(app.store.keys(sid).seats)) <= 5  # 40 seats: the bitmap never grew for seat 999999
    assert relay.retry_dead(invalid[0]) == 1  # an operator can queue it again
    with pytest.raises(BadInput):
        relay.retry_dead(good.order_id * 0 + 999_999_999)
    # reconciliation reads them all without failing; a valid dead letter is drift (the ledger lacks it) ...
    [report] = app.reconciler.report("sam", sid, confirm_s=0.1)
    assert report.drift("dead_letter") is not None and report.outbox_dead == 1
    _delete_outbox(app, [failing])
    # ... an invalid one is not: it never described a sale, and it stays in the dead letters with its reason
    [report] = app.reconciler.report("sam", sid, confirm_s=0.1)
    assert report.consistent, report.drifts
    assert report.outbox_invalid == 3  # the ones naming this session (one was queued again above: still invalid)
    _delete_outbox(app, invalid)


def test_the_consumer_checks_what_it_reads_and_dead_letters_an_invalid_entry(app, relay, consumer, session):
    """A message is checked again before it is applied: an entry put on the stream by anyone but the relay, or
    changed there, is dead-lettered with its reason and changes nothing."""
    sid = session.session_id
    drain(relay, consumer)
    before = ledger(app, sid)
    [row] = _insert_outbox(app, {"order_id": 1, "session_id": sid, "token": "x", "seats": [1], "lines": [1],
                                 "zones": ["A"], "prices": ["1.00"]})
    with app.uow() as tx:  # published as far as the outbox knows: only the forged stream entry can deliver it
        tx.session.execute(text("UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = :i"), {"i": row})
        tx.commit()
    forged = {"order_id": 1, "session_id": sid, "token": "x", "seats": [999_999], "lines": [1], "zones": ["A"],
              "prices": ["1.00"]}
    app.redis.xadd(relay.stream, {"id": row, "topic": "OrderPlaced", "payload": json.dumps(forged), "created_ms": 0})
    consumer.drain()
    assert "invalid message: seat index 999999 is out of range" in _dead(app, [row])[row]
    assert ledger(app, sid) == before
    assert not app.redis.getbit(app.store.keys(sid).seats, 999_999)
    assert app.redis.xpending(relay.stream, GROUP)["pending"] == 0
    _delete_outbox(app, [row])


def test_cancel_frees_seats_refunds_and_reaches_the_ledger(app, relay, consumer, session):
    sid = session.session_id
    r = sell(app, sid, "S1-B-7", "S1-B-8")
    drain(relay, consumer)
    cancelled = app.aftersale.cancel(r.order_id, "alice", "match moved")
    assert cancelled.status == "cancelled" and cancelled.seats == r.seats
    status = db_status(app, sid)
    assert status[16] == status[17] == "free"
    snap = app.store.snapshot(sid)
    assert not bit(snap.taken, 16) and not bit(snap.sold, 16) and snap.stock == 39
    with app.uow() as tx:
        refund = tx.session.execute(text("SELECT kind, amount FROM payments WHERE order_id = :o ORDER BY id"),
                                    {"o": r.order_id}).all()
        audit = tx.session.execute(text("SELECT action, reason FROM audit_log WHERE order_id = :o ORDER BY id"),
                                   {"o": r.order_id}).all()
    assert [(k, a) for k, a in refund] == [("payment", Decimal("40.00")), ("refund", Decimal("40.00"))]
    assert [tuple(a) for a in audit] == [("sale", None), ("cancel", "match moved")]
    drain(relay, consumer)
    assert ledger(app, sid) == {} == db_truth(app, sid)
    assert sell(app, sid, "S1-B-7").seats == ("S1-B-7",)  # on sale again
    with pytest.raises(BadInput):
        app.aftersale.cancel(r.order_id, "bob", "twice")


def test_exchange_swaps_seats_and_settles_the_difference(app, relay, consumer, session):
    sid = session.session_id
    r = sell(app, sid, "S2-C-5", "S2-C-6")
    changed = app.aftersale.exchange(r.order_id, ["S1-A-5", "S1-A-6"], "alice")
    assert changed.seats == ("S1-A-5", "S1-A-6") and changed.total == Decimal("40.00")
    status = db_status(app, sid)
    assert (status[24], status[25], status[4], status[5]) == ("free", "free", "sold", "sold")
    with app.uow() as tx:
        extra = tx.session.execute(text("SELECT kind, amount FROM payments WHERE order_id = :o ORDER BY id"),
                                   {"o": r.order_id}).all()
    assert [tuple(x) for x in extra][-1] == ("payment", Decimal("15.00"))
    assert_redis_matches_db(app, sid)
    drain(relay, consumer)
    assert ledger(app, sid) == {"A": (2, Decimal("40.00"))} == db_truth(app, sid)
    assert_sold_bits_match_db(app, sid)
    other = sell(app, sid, "S1-A-8")
    with pytest.raises(SeatsUnavailable) as err:
        app.aftersale.exchange(r.order_id, ["S1-A-8", "S1-A-9"], "alice")
    assert err.value.seats == ("S1-A-8",)
    assert_redis_matches_db(app, sid)  # the failed exchange held nothing
    assert other.seats == ("S1-A-8",)


def test_sweep_releases_orphan_holds_and_confirms_sold_ones(app, session):
    sid = session.session_id
    orphan = app.store.issue_token(sid, "alice", 2, 30_000).token
    app.store.deduct(sid, orphan, [12, 13], "alice", 50)  # a window died after the deduction
    sold = sell(app, sid, "S1-B-8")
    k = app.store.keys(sid)
    app.redis.hset(k.hold(sold.token), "state", "held")  # as if its confirmation had been lost
    app.redis.zadd(k.holds, {sold.token: 1})
    time.sleep(0.1)
    released, confirmed = app.inventory.sweep_expired_holds()
    assert (released, confirmed) >= (1, 1)
    assert app.store.hold(sid, orphan).state == "released"
    assert app.store.hold(sid, sold.token).state == "confirmed"
    assert_redis_matches_db(app, sid)


def test_random_mix_of_sales_cancels_and_exchanges_converges(app, relay, consumer):
    info = make_session(app)
    sid = info.session_id
    labels = [s.label for s in app.catalog.layout(info.venue_id).seats if not s.blocked]
    orders: list[int] = []
    lock = threading.Lock()
    outcomes: Counter[str] = Counter()
    stop = threading.Event()

    def background_drain() -> None:
        while not stop.is_set():
            drain(relay, consumer)
            time.sleep(0.02)

    def clerk(seed: int) -> None:
        rnd = random.Random(seed)
        for _ in range(25):
            action = rnd.random()
            try:
                if action < 0.6 or not orders:
                    r = sell(app, sid, *rnd.sample(labels, rnd.choice((1, 2))))
                    with lock:
                        orders.append(r.order_id)
                    outcomes["sold"] += 1
                elif action < 0.8:
                    with lock:
                        oid = orders.pop(rnd.randrange(len(orders)))
                    app.aftersale.cancel(oid, "alice", "random")
                    outcomes["cancelled"] += 1
                else:
                    with lock:
                        oid = rnd.choice(orders)
                    n = len(app.orders.get(oid).lines)
                    app.aftersale.exchange(oid, rnd.sample(labels, n), "alice")
                    outcomes["exchanged"] += 1
            except (SeatsUnavailable, SoldOut, BadInput) as exc:
                outcomes[type(exc).__name__] += 1

    drainer = threading.Thread(target=background_drain)
    drainer.start()
    clerks = [threading.Thread(target=clerk, args=(seed,)) for seed in range(6)]
    for t in clerks:
        t.start()
    for t in clerks:
        t.join()
    stop.set()
    drainer.join()
    drain(relay, consumer)
    assert outcomes["sold"] and outcomes["cancelled"] and outcomes["exchanged"], outcomes
    assert ledger(app, sid) == db_truth(app, sid)
    assert_redis_matches_db(app, sid)
    assert_sold_bits_match_db(app, sid)


def test_worker_applies_sales_and_stops_cleanly_on_sigterm(app, env, session):
    worker = subprocess.Popen(
        [sys.executable, "-m", "boxoffice.cli", "worker"],
        env={**env, "BOXOFFICE_RELAY_INTERVAL": "0.1"}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert "worker running" in worker.stdout.readline()
        sid = session.session_id
        sell(app, sid, "S2-D-7")
        deadline = time.monotonic() + 20
        while ledger(app, sid) != {"B": (1, Decimal("12.50"))} and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ledger(app, sid) == {"B": (1, Decimal("12.50"))}
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=20)
    assert worker.returncode == 0, err
    assert "worker stopped" in out


def test_pending_age_is_the_oldest_unpublished_message(app, relay, consumer, session):
    drain(relay, consumer)
    assert relay.pending_age_s() is None
    sell(app, session.session_id, "S1-A-9")
    time.sleep(0.05)
    age = relay.pending_age_s()
    assert age is not None and age >= 0.05
    drain(relay, consumer)
    assert relay.pending_age_s() is None


def test_a_late_free_never_takes_back_a_seat_its_order_got_again(app, relay, consumer, session):
    """An order leaves a seat and comes back to it before the consumer replays the first exchange: the late
    "free" of the first exchange must not free the seat the order now owns again (a lost seat: oversell risk)."""
    sid = session.session_id
    r = sell(app, sid, "S1-A-2")
    app.aftersale.exchange(r.order_id, ["S1-A-3"], "alice")
    app.aftersale.exchange(r.order_id, ["S1-A-2"], "alice")
    assert_redis_matches_db(app, sid)
    drain(relay, consumer)  # replays: placed 2, changed 2→3, changed 3→2
    assert_redis_matches_db(app, sid)
    assert_sold_bits_match_db(app, sid)
    with pytest.raises(SeatsUnavailable):
        sell(app, sid, "S1-A-2")


# -- late confirmations: a seat remembers its latest order line, so an old one never comes back -----------------------
def _failing_confirm(app, monkeypatch):
    """The in-process confirmation after commit fails (Redis hiccup): only the outbox consumer confirms later."""
    def boom(*_a, **_k):
        from boxoffice.errors import BackendUnavailable

        raise BackendUnavailable("redis hiccup")

    monkeypatch.setattr(app.store, "confirm", boom)


def _seat(app, session, label: str) -> int:
    return app.catalog.layout(session.venue_id).by_label[label].index


def test_a_late_confirm_of_a_cancelled_sale_never_overwrites_the_seat_sold_again(app, relay, consumer, session,
                                                                                  monkeypatch):
    sid, a = session.session_id, _seat(app, session, "S1-A-2")
    drain(relay, consumer)
    app.inventory.sweep_expired_holds()  # holds other tests of this run left to expire: not this test's count
    with monkeypatch.context() as m:
        _failing_confirm(app, m)
        first = sell(app, sid, "S1-A-2")  # committed; Redis still shows the hold, no owner
    app.aftersale.cancel(first.order_id, "sam", "customer left")  # its free finds no owner yet
    app.redis.zadd(app.store.keys(sid).holds, {first.token: 0})  # the consumer lags past the hold's expiry
    assert app.inventory.sweep_expired_holds() == (1, 0)  # no live line: released
    second = sell(app, sid, "S1-A-2")
    drain(relay, consumer)  # late: placed(first) confirm, cancelled(first) free, placed(second)
    assert_redis_matches_db(app, sid)
    assert_sold_bits_match_db(app, sid)
    line = app.orders.get(second.order_id).lines[0].line_id
    assert app.redis.hget(app.store.keys(sid).owners, a) == f"{second.order_id}:{line}".encode()


def test_a_late_confirm_after_a_rebuild_never_frees_the_next_sale(app, relay, consumer, session, monkeypatch):
    sid = session.session_id
    drain(relay, consumer)
    with monkeypatch.context() as m:
        _failing_confirm(app, m)
        first = sell(app, sid, "S1-A-4")
    app.aftersale.exchange(first.order_id, ["S1-A-5"], "sam")
    app.inventory.rebuild(sid)  # the old hold record stays "held" from an older epoch
    sell(app, sid, "S1-A-4")
    drain(relay, consumer)
    assert_redis_matches_db(app, sid)
    assert_sold_bits_match_db(app, sid)


def test_replays_in_reverse_order_leave_no_stale_sale(app, relay, consumer, session, monkeypatch):
    from boxoffice.domain.events import parse
    from boxoffice.services.consumer import Message

    sid = session.session_id
    drain(relay, consumer)
    with monkeypatch.context() as m:
        _failing_confirm(app, m)
        first = sell(app, sid, "S1-A-6")
    app.aftersale.cancel(first.order_id, "sam", "changed plans")
    with app.uow() as tx:
        rows = tx.session.execute(text("SELECT id, topic, payload FROM outbox WHERE aggregate_id = :o ORDER BY id DESC"),
                                  {"o": first.order_id}).all()
    for n, row in enumerate(rows):  # the cancel is applied before the sale it cancels
        consumer._apply_batch([Message(f"0-{n + 1}", row.id, parse(row.topic, row.payload))])
    assert_redis_matches_db(app, sid)  # the hold that the ended line still had is given back too
    assert app.store.hold(sid, first.token).state == "confirmed"


def test_purge_keeps_sent_rows_the_consumer_has_not_applied(app, relay, consumer, session):
    from datetime import datetime, timedelta, timezone

    r = sell(app, session.session_id, "S2-D-9")
    relay.drain()  # published, not applied yet
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    relay.purge_sent(later)
    assert outbox_rows(app, r.order_id) == [("OrderPlaced", "sent")]
    consumer.drain()
    relay.purge_sent(later)
    assert outbox_rows(app, r.order_id) == []


def _outbox_rows_walked(plan: dict) -> tuple[int, int]:
    """(rows the outbox scans returned, rows they read and threw away) in an EXPLAIN ANALYZE plan."""
    returned = removed = 0
    stack = [plan["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == "outbox":
            returned += node.get("Actual Rows", 0)
            removed += node.get("Rows Removed by Filter", 0)
        stack.extend(node.get("Plans", []))
    return returned, removed


def test_a_claim_reads_only_pending_rows_however_many_were_just_sent(app):
    """After a drained rush the planner's statistics still count the backlog as pending; ordered by id, a claim must
    not walk the sent rows to find the next pending one (it did through the primary key: ~60 ms a claim)."""
    backlog = 20_000
    with app.uow() as tx:
        ids = tx.session.execute(text(
            "INSERT INTO outbox (topic, aggregate_id, payload) SELECT 'OrderPlaced', -i, '{}' "
            "FROM generate_series(1, :n) AS i RETURNING id"), {"n": backlog}).scalars().all()
        tx.commit()
    try:
        with app.engine.connect() as conn:
            conn.execute(text("ANALYZE outbox"))  # the statistics see the whole backlog pending …
            conn.execute(text("UPDATE outbox SET status = 'sent' WHERE id = ANY(:ids)"), {"ids": ids[:-1]})
            conn.execute(text("UPDATE outbox SET available_at = now() + interval '1 hour' WHERE id = :id"),
                         {"id": ids[-1]})  # … then the relay sends all but one, which waits for a retry
            conn.commit()
            plan = conn.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + _CLAIM.text), {"n": 500, "lease": 30}
                                ).scalar_one()[0]
            conn.rollback()
        returned, removed = _outbox_rows_walked(plan)
        assert returned == 0  # nothing is due
        assert removed < 100, f"the claim read and threw away {removed} outbox rows"
    finally:
        with app.uow() as tx:
            tx.session.execute(text("DELETE FROM outbox WHERE id = ANY(:ids)"), {"ids": ids})
            tx.commit()


def test_a_stream_redis_lost_is_found_and_the_ledger_heals_with_no_manual_step(app, relay, consumer, session):
    """Redis loses the stream (FLUSHALL, a restart without persistence) with messages published but not applied:
    the running consumer makes its group again, and everything published before the new stream began goes out
    again — it had been lost for good (nothing republished a ``sent`` row)."""
    sid = session.session_id
    drain(relay, consumer)  # the consumer knows its group exists
    first = sell(app, sid, "S1-B-1")
    second = sell(app, sid, "S2-D-1", "S2-D-2")
    relay.drain()  # published, not applied
    app.redis.delete(relay.stream)  # the group goes with the stream
    third = sell(app, sid, "S1-A-2")
    relay.drain()  # makes a new stream: only the third sale is on it
    assert consumer.consume_once() == 1  # the group is made again (not NOGROUP forever) and the new stream read
    assert outbox_rows(app, first.order_id) == [("OrderPlaced", "pending")]  # queued again, to be published
    drain(relay, consumer)
    assert ledger(app, sid) == db_truth(app, sid) == {"A": (2, Decimal("40.00")), "B": (2, Decimal("25.00"))}
    for r in (first, second, third):
        assert outbox_rows(app, r.order_id) == [("OrderPlaced", "sent")]
    with app.uow() as tx:
        unapplied = tx.session.execute(text("SELECT count(*) FROM outbox WHERE payload->>'session_id' = :s "
                                            "AND applied_at IS NULL"), {"s": str(sid)}).scalar()
    assert unapplied == 0


def test_a_message_published_and_never_applied_is_published_again(app, consumer, session):
    """Part of a stream lost (a failover that did not replicate the last entries): the group is still there, so
    only the bound finds it — a message sent ``outbox_redeliver_s`` ago and still not applied goes out again."""
    relay = Relay(app.uow, app.events, replace(app.settings, outbox_redeliver_s=0.3))
    sid = session.session_id
    drain(relay, consumer)
    r = sell(app, sid, "S2-D-5")
    relay.drain_once()
    [(entry_id, _)] = app.redis.xrevrange(relay.stream, count=1)
    app.redis.xdel(relay.stream, entry_id)
    consumer.drain()
    assert ledger(app, sid) == {}
    assert relay.redeliver_lost() == 0  # younger than the bound: in flight
    time.sleep(0.35)
    relay.drain()  # the bound has passed: queued again and published
    consumer.drain()
    assert ledger(app, sid) == db_truth(app, sid) == {"B": (1, Decimal("12.50"))}
    assert outbox_rows(app, r.order_id) == [("OrderPlaced", "sent")]
    assert relay.redeliver_lost() == 0  # applied now: never again


def test_a_worker_heals_a_lost_stream_on_its_own_and_logs_the_outage_once(app, env, session):
    """The running worker, not a separate ``outbox drain``, makes the group again after Redis lost the stream."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "boxoffice.cli", "worker"],
        env={**env, "BOXOFFICE_RELAY_INTERVAL": "0.1", "BOXOFFICE_RECONCILE_MODE": "off"}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    sid = session.session_id
    stream = f"{app.settings.redis_prefix}:{{outbox}}:events"

    def wait_for(expected: dict) -> float:
        t0 = time.monotonic()
        while ledger(app, sid) != expected and time.monotonic() - t0 < 30:
            time.sleep(0.05)
        assert ledger(app, sid) == expected
        return time.monotonic() - t0

    try:
        assert "worker running" in worker.stdout.readline()
        sell(app, sid, "S2-D-8")
        wait_for({"B": (1, Decimal("12.50"))})
        with app.uow() as tx:  # a sale the worker published just before Redis lost everything
            tx.session.execute(text("UPDATE outbox SET status = 'sent', sent_at = now() - interval '1 second' "
                                    "WHERE id = (SELECT max(id) FROM outbox)"))
            tx.commit()
        app.redis.delete(stream)
        sell(app, sid, "S2-D-9")
        healed_s = wait_for({"B": (2, Decimal("25.00"))})
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=20)
    assert worker.returncode == 0, err
    assert healed_s < 10
    assert err.count("NOGROUP") <= 1, err


def test_every_producer_writes_payloads_its_event_class_reads_back(app, session):
    """The sale statement builds its OrderPlaced payload in SQL, the cancel and the exchange through the typed events:
    each payload reads back as its class and writes out unchanged (the one definition of a message)."""
    from boxoffice.domain.events import EVENTS

    sid = session.session_id
    sold = sell(app, sid, "S1-A-4", "S1-A-5")
    app.aftersale.exchange(sold.order_id, ["S1-A-6", "S1-A-7"], "sam")
    app.aftersale.cancel(sold.order_id, "sam", "changed plans")
    with app.uow() as tx:
        rows = tx.session.execute(text("SELECT topic, payload FROM outbox WHERE aggregate_id = :o ORDER BY id"),
                                  {"o": sold.order_id}).all()
    assert [r.topic for r in rows] == ["OrderPlaced", "OrderChanged", "OrderCancelled"]
    for row in rows:
        event = EVENTS[row.topic].from_payload(row.payload, session.capacity)
        assert event.session_id == sid and event.order_id == sold.order_id
        assert event.to_payload() == row.payload


def test_a_redis_outage_during_consumer_turns_logs_one_line(app, caplog):
    """The consumer's Redis errors leave the stream adapter typed: the scheduled job logs the outage once, without a
    stack trace, however many turns fail."""
    import logging

    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from boxoffice.errors import BackendUnavailable
    from boxoffice.scheduler import _guarded

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, socket_timeout=0.5,
                       retry=Retry(NoBackoff(), 0))
    consumer = InventoryConsumer(app.uow, app.store, EventStream(dead, app.settings.redis_prefix), app.settings, name="test-outage")
    with pytest.raises(BackendUnavailable):
        consumer.consume_once()
    job = _guarded("inventory consumer", consumer.drain)
    with caplog.at_level(logging.DEBUG, logger="boxoffice.scheduler"):
        for _ in range(5):
            job()
    loud = [r for r in caplog.records if r.name == "boxoffice.scheduler" and r.levelno >= logging.WARNING]
    assert len(loud) == 1, [r.getMessage() for r in loud]
    assert loud[0].exc_info is None and "Redis unavailable" in loud[0].getMessage()
    assert job.failures == 5
