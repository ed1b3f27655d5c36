"""The booking path end to end on real PostgreSQL and Redis: sale, refusals, compensation, idempotency, locks."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import text

from boxoffice.bench.common import SaleStatementCounter
from boxoffice.domain.bitmap import bit
from boxoffice.errors import (
    LockTimeout,
    NoAdjacentSeats,
    NotOnSale,
    SeatsUnavailable,
    SoldOut,
    TokenInvalid,
)
from boxoffice.failpoints import FailpointHit, armed
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_session


def taken_indices(app, session_id: int) -> set[int]:
    snap = app.store.snapshot(session_id)
    return {i for i in range(snap.capacity or 0) if bit(snap.taken, i)}


def db_status(app, session_id: int) -> dict[int, str]:
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT seat_idx, status FROM session_seats WHERE session_id = :s"), {"s": session_id}
        ).all()
    return dict(rows)


def assert_redis_matches_db(app, session_id: int) -> None:
    status = db_status(app, session_id)
    not_free = {i for i, s in status.items() if s != "free"}
    snap = app.store.snapshot(session_id)
    assert taken_indices(app, session_id) == not_free
    assert snap.stock == len(status) - len(not_free)


def orders_with_token(app, token: str) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM orders WHERE token = :t"), {"t": token}).scalar_one()


def sell(app, session_id: int, *labels: str, **kw):
    return app.booking.sell(SaleRequest(session_id, kw.pop("user", "alice"), seats=labels, **kw))


def test_sale_writes_order_lines_payment_outbox_audit_and_marks_redis_sold(app, session):
    r = sell(app, session.session_id, "S1-A-2", "S2-C-1", payment="card")
    assert r.seats == ("S1-A-2", "S2-C-1") and str(r.total) == "32.50" and r.payment == "card"
    with app.uow() as tx:
        s = tx.session
        q = lambda sql: s.execute(text(sql), {"o": r.order_id}).all()  # noqa: E731
        assert q("SELECT seat_idx, price FROM order_lines WHERE order_id = :o ORDER BY seat_idx") == [
            (1, pytest.approx(20)),
            (20, pytest.approx(12.5)),
        ]
        assert q("SELECT method, amount FROM payments WHERE order_id = :o")[0][0] == "card"
        (topic, payload), = q("SELECT topic, payload FROM outbox WHERE aggregate_id = :o")
        assert topic == "OrderPlaced" and payload["order_id"] == r.order_id and payload["seats"] == [1, 20]
        assert q("SELECT action, actor_id IS NOT NULL FROM audit_log WHERE order_id = :o") == [("sale", True)]
    assert db_status(app, session.session_id)[1] == "sold"
    snap = app.store.snapshot(session.session_id)
    assert bit(snap.sold, 1) and bit(snap.sold, 20) and not bit(snap.sold, 2)
    assert app.store.hold(session.session_id, r.token).state == "confirmed"
    assert_redis_matches_db(app, session.session_id)
    assert app.orders.get(r.order_id) == r


def test_taken_seat_is_named_and_rest_untouched(app, session):
    sell(app, session.session_id, "S1-A-3")
    before = taken_indices(app, session.session_id)
    with pytest.raises(SeatsUnavailable) as err:
        sell(app, session.session_id, "S1-A-2", "S1-A-3", "S1-A-4")
    assert err.value.seats == ("S1-A-3",)
    assert taken_indices(app, session.session_id) == before
    assert_redis_matches_db(app, session.session_id)


def test_blocked_seat_is_unavailable(app, session):
    with pytest.raises(SeatsUnavailable) as err:
        sell(app, session.session_id, "S1-A-1")
    assert err.value.seats == ("S1-A-1",)


def test_sold_out_is_answered_by_redis_without_a_database_transaction(app):
    info = make_session(app)
    labels = [s.label for s in app.catalog.layout(info.venue_id).seats if not s.blocked]
    for i in range(0, 38, 2):
        sell(app, info.session_id, labels[i], labels[i + 1])
    sell(app, info.session_id, labels[38])
    with SaleStatementCounter(app.booking) as statements:
        with pytest.raises(SoldOut):
            sell(app, info.session_id, labels[0])
        with pytest.raises(SoldOut):
            app.booking.sell(SaleRequest(info.session_id, "alice", best=1))
    assert statements.count == 0
    assert app.store.snapshot(info.session_id).stock == 0


def test_database_failure_after_deduction_releases_exactly_those_seats(app, session):
    sid = session.session_id
    sell(app, sid, "S1-B-5")
    # Drift: the database sold S1-A-9 behind Redis's back, so Redis still shows it free.
    with app.uow() as tx:
        tx.session.execute(text("UPDATE session_seats SET status = 'sold' WHERE session_id = :s AND seat_idx = 8"),
                           {"s": sid})
        tx.commit()
    before = app.store.snapshot(sid)
    with pytest.raises(SeatsUnavailable) as err:
        sell(app, sid, "S1-A-8", "S1-A-9", "S1-A-10")
    assert err.value.seats == ("S1-A-9",)
    after = app.store.snapshot(sid)
    assert after.taken.rstrip(b"\0") == before.taken.rstrip(b"\0") and after.stock == before.stock
    assert after.version == before.version + 2  # the hold and its release were both announced


def test_failure_before_the_database_step_compensates(app, session):
    sid = session.session_id
    before = app.store.snapshot(sid)
    with armed("sale.before_db"), pytest.raises(FailpointHit):
        sell(app, sid, "S2-D-4", "S2-D-5")
    after = app.store.snapshot(sid)
    assert after.taken.rstrip(b"\0") == before.taken.rstrip(b"\0") and after.stock == before.stock
    assert db_status(app, sid)[33] == "free"


def test_a_dropped_sale_connection_is_replaced_before_the_sale_is_sent(app, session):
    """The server drops the idle pooled sale connection (a restart, pg_terminate_backend): the sale sees it before
    sending anything on it and runs on a fresh connection, instead of failing with an outcome to find out."""
    sid = session.session_id
    sell(app, sid, "S1-B-7")  # the pool holds an open sale connection now
    with app.uow() as tx:  # drop every other connection of this test database, the sale pool's included
        pids = tx.session.execute(text(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )).scalars().all()
        tx.session.execute(text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) AS pid"),
                           {"p": pids})
    assert pids
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # until they have told their clients and gone
        with app.uow() as tx:
            if not tx.session.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:p)"),
                                      {"p": pids}).scalar_one():
                break
        time.sleep(0.02)
    with SaleStatementCounter(app.booking) as statements:
        assert sell(app, sid, "S1-B-8", "S1-B-9").seats == ("S1-B-8", "S1-B-9")
    assert statements.count == 1  # one statement, on the fresh connection
    assert_redis_matches_db(app, sid)


def test_the_sale_statement_runs_its_generic_plan(app):
    """Left to choose, PostgreSQL re-plans the sale statement on every call (twice its CPU per sale)."""
    with app.booking.single_statement() as conn:
        assert conn.execute("SHOW plan_cache_mode").fetchone() == ("force_generic_plan",)
        assert conn.autocommit


def test_failure_after_commit_keeps_the_sale(app, session):
    """An error after COMMIT must not give the seats back: the service asks the database by token."""
    sid = session.session_id
    with armed("sale.after_commit"):
        r = sell(app, sid, "S2-D-9")
    assert orders_with_token(app, r.token) == 1
    assert db_status(app, sid)[38] == "sold"
    assert bit(app.store.snapshot(sid).sold, 38)
    assert_redis_matches_db(app, sid)


def test_retry_with_same_token_returns_the_same_order(app, session):
    r = sell(app, session.session_id, "S1-B-1", "S1-B-2")
    again = sell(app, session.session_id, "S1-B-1", "S1-B-2", token=r.token)
    assert again.order_id == r.order_id and orders_with_token(app, r.token) == 1
    assert_redis_matches_db(app, session.session_id)


def test_interrupted_sale_is_finished_with_its_token(app, session):
    """A process died after the Redis deduction: the clerk's retry with the token completes that very sale."""
    sid = session.session_id
    issued = app.store.issue_token(sid, "alice", 2, 30_000)
    app.store.deduct(sid, issued.token, [12, 13], "alice", 600_000)
    r = app.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-3", "S1-B-4"), token=issued.token))
    assert r.token == issued.token and r.seats == ("S1-B-3", "S1-B-4")
    assert app.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-3", "S1-B-4"), token=issued.token)) == r
    assert orders_with_token(app, issued.token) == 1
    assert_redis_matches_db(app, sid)


def test_token_of_another_session_is_refused(app, session):
    other = make_session(app)
    issued = app.store.issue_token(other.session_id, "alice", 1, 30_000)
    with pytest.raises(TokenInvalid):
        sell(app, session.session_id, "S1-A-5", token=issued.token)
    assert taken_indices(app, session.session_id) == {0}


def test_lock_timeout_instead_of_waiting_forever(app, session, settings):
    sid = session.session_id
    blocker = psycopg.connect(settings.database_url)
    try:
        blocker.execute("SELECT 1 FROM session_seats WHERE session_id = %s AND seat_idx = 25 FOR UPDATE", (sid,))
        with pytest.raises(LockTimeout):
            sell(app, sid, "S2-C-6")
    finally:
        blocker.rollback()
        blocker.close()
    assert not bit(app.store.snapshot(sid).taken, 25)  # compensated
    assert sell(app, sid, "S2-C-6").seats == ("S2-C-6",)


def test_redis_flushed_sale_rebuilds_and_sells(app, session):
    sid = session.session_id
    sell(app, sid, "S1-A-4")
    app.store.drop(sid)
    r = sell(app, sid, "S1-A-5")
    assert r.seats == ("S1-A-5",)
    assert_redis_matches_db(app, sid)


def test_closed_session_is_not_on_sale(app):
    info = make_session(app)
    with app.uow() as tx:
        tx.session.execute(text("UPDATE sessions SET status = 'closed' WHERE id = :s"), {"s": info.session_id})
        tx.commit()
    app.inventory.rebuild(info.session_id)
    with pytest.raises(NotOnSale):
        sell(app, info.session_id, "S1-A-5")


def test_best_available_in_zone(app, session):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", best=3, zone="B"))
    assert [line.zone for line in r.lines] == ["B", "B", "B"]
    numbers = [int(label.rsplit("-", 1)[1]) for label in r.seats]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    with pytest.raises(NoAdjacentSeats):
        app.booking.sell(SaleRequest(session.session_id, "alice", best=6))  # rows are split by an aisle after 5


def test_concurrent_best_available_never_shares_a_seat(app):
    info = make_session(app)
    results: list[object] = []

    def worker() -> None:
        for _ in range(3):
            try:
                results.append(app.booking.sell(SaleRequest(info.session_id, "bob", best=2)))
            except (SeatsUnavailable, SoldOut) as exc:
                results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    receipts = [r for r in results if not isinstance(r, Exception)]
    seats = [s for r in receipts for s in r.seats]
    assert len(results) == 24 and len(receipts) >= 8
    assert len(seats) == len(set(seats)) == 2 * len(receipts)
    assert sum(1 for st in db_status(app, info.session_id).values() if st == "sold") == len(seats)
    assert_redis_matches_db(app, info.session_id)


def test_overview_counts_match_the_seat_rows(app, session):
    """The sessions list counts sold seats on the live order lines and blocked ones from the layout; after sales, a
    cancel and an exchange they equal a count of the seat rows themselves."""
    sid = session.session_id
    a = sell(app, sid, "S1-A-2", "S1-A-3")
    b = sell(app, sid, "S2-C-1")
    app.aftersale.cancel(b.order_id, "sam", "test")
    app.aftersale.exchange(a.order_id, ["S2-D-1", "S2-D-2"], "alice")
    (row,) = [s for s in app.inventory.overview() if s.session_id == sid]
    exact = app.inventory.stats(sid)
    assert (row.sold_db, row.blocked_db, row.free_db) == (exact.sold_db, exact.blocked_db, exact.free_db) == (2, 1, 37)
