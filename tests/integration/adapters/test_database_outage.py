"""A database failure gives the seats back as soon as it is safe (faults issue, item 4).

The app under test reaches the real PostgreSQL through a TCP proxy the test can take down (connect refused, open
connections cut) and bring back, so the machine's server is never touched:
- the statement certainly never reached the server → the hold is released at once, ``DatabaseUnreachable`` (exit 5);
- the statement was sent and the connection dropped, the lookup by token refused → the hold is kept and recorded as
  unresolved; the scheduled job settles it within seconds of the database answering again: released when no order
  was committed, confirmed (never given back) when one was — even if the statement is still running on the server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import psycopg
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.engine import make_url

from boxoffice.bootstrap import App, build
from boxoffice.config import Settings
from boxoffice.domain.bitmap import bit
from boxoffice.errors import BackendUnavailable, DatabaseUnreachable
from boxoffice.failpoints import armed
from boxoffice.scheduler import add_jobs
from boxoffice.services.booking import SaleRequest
from tests.integration.services.test_booking import assert_redis_matches_db, orders_with_token
from tests.tcpproxy import TcpProxy

JOB = "unresolved-sales"


def sell(app: App, session_id: int, *labels: str):
    return app.booking.sell(SaleRequest(session_id, "alice", seats=labels))


@pytest.fixture
def outage(settings: Settings) -> Iterator[tuple[TcpProxy, App]]:
    """(the proxy, an app whose database is behind it). Redis is shared with the ``app`` fixture."""
    url = make_url(settings.database_url)
    if url.host:
        proxy = TcpProxy((url.host, url.port or 5432))
    else:  # the embedded server: a Unix socket directory in ?host=
        proxy = TcpProxy(f"{url.query['host']}/.s.PGSQL.{url.port or 5432}")
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={}).render_as_string(hide_password=False)
    # a long lock timeout: the tests keep a sale statement waiting for a row lock while the database is away
    app = build(replace(settings, database_url=proxied, lock_timeout_ms=15_000), pool_size=2)
    try:
        yield proxy, app
    finally:
        if proxy._listener is None:
            proxy.up()
        app.close()
        proxy.close()


@pytest.fixture
def admin(settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    """A direct connection (not through the proxy) to watch and steer the server."""
    conn = psycopg.connect(settings.database_url, autocommit=True)
    yield conn
    conn.close()


def only_the_settling_job(app: App) -> BackgroundScheduler:
    """The app's scheduler as every process builds it, with only the job under test left in it (the relay and the
    consumer would also confirm sales)."""
    scheduler = BackgroundScheduler()
    add_jobs(scheduler, app)
    for job in scheduler.get_jobs():
        if job.id != JOB:
            job.remove()
    assert [j.id for j in scheduler.get_jobs()] == [JOB]
    scheduler.start()
    return scheduler


def waiting_sale(admin: psycopg.Connection[Any], timeout: float = 20) -> int:
    """The pid of the sale statement waiting for a row lock on the server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND wait_event = 'transactionid' AND query LIKE '%pg_advisory_xact_lock_shared%'"
        ).fetchone()
        if row:
            return int(row[0])
        time.sleep(0.02)
    raise AssertionError("the sale statement never waited for its row lock")


def waits_for_the_session_lock(admin: psycopg.Connection[Any], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND wait_event = 'advisory'").fetchone()[0]:
            return True
        time.sleep(0.02)
    return False


def sale_in_thread(app: App, session_id: int, label: str) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["receipt"] = sell(app, session_id, label)
        except Exception as exc:  # noqa: BLE001 — handed to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def lock_row(admin_url: str, session_id: int, seat: int) -> psycopg.Connection[Any]:
    blocker = psycopg.connect(admin_url)
    blocker.execute("SELECT 1 FROM session_seats WHERE session_id = %s AND seat_idx = %s FOR UPDATE",
                    (session_id, seat))
    return blocker


def unresolved(app: App, session_id: int) -> list[str]:
    return app.store.unresolved().get(session_id, [])


def test_database_gone_before_the_statement_gives_the_seats_back_at_once(app, outage, session):
    proxy, away = outage
    sid = session.session_id
    sell(away, sid, "S1-A-2")  # the app's pools hold open connections now
    before = app.store.snapshot(sid)
    proxy.down()
    # first a pooled connection the server dropped (found before anything is sent on it), then a refused connect
    for labels in (("S1-A-3",), ("S1-A-3", "S1-A-4")):
        with pytest.raises(DatabaseUnreachable) as err:
            sell(away, sid, *labels)
        assert err.value.exit_code == 5 and err.value.code == "database_unreachable"
        assert "seats were given back" in str(err.value) and "Connection refused" in str(err.value)
        after = app.store.snapshot(sid)
        assert (after.taken, after.stock) == (before.taken, before.stock)
    assert unresolved(app, sid) == []
    proxy.up()
    assert sell(away, sid, "S1-A-3", "S1-A-4").seats == ("S1-A-3", "S1-A-4")
    assert_redis_matches_db(app, sid)


def test_unknown_outcome_without_an_order_is_released_once_the_database_answers(app, outage, admin, session,
                                                                                 settings):
    proxy, away = outage
    sid = session.session_id
    sell(away, sid, "S1-A-2")
    before = app.store.snapshot(sid)
    blocker = lock_row(settings.database_url, sid, 5)
    try:
        thread, out = sale_in_thread(away, sid, "S1-A-6")
        pid = waiting_sale(admin)  # the statement reached the server
        proxy.down()  # ... and its connection drops; the lookup by token is refused
        thread.join(30)
        error = out["error"]
        assert type(error) is BackendUnavailable and "retry with token" in str(error)
        (token,) = unresolved(app, sid)
        assert token in str(error)
        # the statement never commits: the server ends it
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    finally:
        blocker.rollback()
        blocker.close()
    held = app.store.snapshot(sid)
    assert bit(held.taken, 5) and held.stock == before.stock - 1  # outcome unknown: the hold is kept

    scheduler = only_the_settling_job(away)
    try:
        time.sleep(2.5)  # the job ran while the database was still away: it decided nothing
        assert bit(app.store.snapshot(sid).taken, 5) and unresolved(app, sid) == [token]
        proxy.up()
        back = time.monotonic()
        while bit(app.store.snapshot(sid).taken, 5) and time.monotonic() - back < 15:
            time.sleep(0.05)
        settled_after = time.monotonic() - back
    finally:
        scheduler.shutdown()
    assert settled_after < 6, f"released {settled_after:.1f} s after the database answered"
    after = app.store.snapshot(sid)
    assert (after.taken, after.stock) == (before.taken, before.stock)
    assert app.store.hold(sid, token).state == "released" and unresolved(app, sid) == []
    assert orders_with_token(app, token) == 0
    assert_redis_matches_db(app, sid)


def test_unknown_outcome_that_committed_is_confirmed_never_given_back(app, outage, admin, session, settings):
    """The database comes back while the sale statement is still waiting on the server for a row lock: the job waits
    for it (the session's advisory lock) instead of deciding, and confirms the order it commits."""
    proxy, away = outage
    sid = session.session_id
    sell(away, sid, "S1-A-2")
    before = app.store.snapshot(sid)
    blocker = lock_row(settings.database_url, sid, 7)
    scheduler = None
    try:
        thread, out = sale_in_thread(away, sid, "S1-A-8")
        waiting_sale(admin)
        proxy.down()
        thread.join(30)
        assert type(out["error"]) is BackendUnavailable and "retry with token" in str(out["error"])
        (token,) = unresolved(app, sid)
        proxy.up()
        scheduler = only_the_settling_job(away)
        waits_for_the_session_lock(admin, timeout=8)  # the job waits behind the statement
        blocker.rollback()  # the statement gets its row, commits its order, and its answer goes nowhere
        deadline = time.monotonic() + 15
        while app.store.hold(sid, token).state == "held" and time.monotonic() < deadline:
            assert bit(app.store.snapshot(sid).taken, 7)  # never given back meanwhile
            time.sleep(0.05)
    finally:
        blocker.rollback()
        blocker.close()
        if scheduler is not None:
            scheduler.shutdown()
    assert orders_with_token(app, token) == 1
    assert app.store.hold(sid, token).state == "confirmed" and unresolved(app, sid) == []
    after = app.store.snapshot(sid)
    assert bit(after.taken, 7) and bit(after.sold, 7) and after.stock == before.stock - 1
    # the clerk's retry with the token returns that very order
    again = app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-8",), token=token))
    assert again.seats == ("S1-A-8",) and orders_with_token(app, token) == 1
    assert_redis_matches_db(app, sid)


def test_an_exchange_whose_commit_was_lost_keeps_its_new_seats_until_the_database_answers(app, outage, admin,
                                                                                           session):
    """The connection drops while COMMIT is on its way back: the exchange was saved, so its new seats must not be
    given back (they were, by a blind compensation); the job confirms them once the database answers."""
    proxy, away = outage
    sid = session.session_id
    order = sell(away, sid, "S2-D-1")
    before = app.store.snapshot(sid)
    out: dict[str, Any] = {}

    def exchange() -> None:
        try:
            out["receipt"] = away.aftersale.exchange(order.order_id, ["S2-D-2"], "alice")
        except Exception as exc:  # noqa: BLE001 — handed to the test
            out["error"] = exc

    with armed("exchange.before_commit", "sleep:1"):
        thread = threading.Thread(target=exchange)
        thread.start()
        time.sleep(0.5)
        proxy.mute()  # COMMIT reaches the server, its answer does not come back
        (muted_at,) = admin.execute("SELECT clock_timestamp()").fetchone()
        deadline = time.monotonic() + 10
        while not admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' "
            "AND query = 'COMMIT' AND state_change > %s", (muted_at,)
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the exchange never committed"
            time.sleep(0.02)
        proxy.down()  # the connection drops with the answer to COMMIT still unread
        thread.join(30)
    assert isinstance(out.get("error"), BackendUnavailable), out
    with app.uow() as tx:  # the exchange was saved
        assert tx.session.execute(text("SELECT seat_idx FROM order_lines WHERE order_id = :o AND active"),
                                  {"o": order.order_id}).scalars().all() == [31]
    assert bit(app.store.snapshot(sid).taken, 31)  # the new seat stays held (a blind compensation gave it back)
    (token,) = unresolved(app, sid)

    proxy.up()
    scheduler = only_the_settling_job(away)
    try:
        deadline = time.monotonic() + 15
        while app.store.hold(sid, token).state == "held" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown()
    assert app.store.hold(sid, token).state == "confirmed" and unresolved(app, sid) == []
    snap = app.store.snapshot(sid)
    assert bit(snap.taken, 31) and bit(snap.sold, 31)
    away.relay.drain()  # the OrderChanged message frees the old seat
    away.consumer.drain()
    assert not bit(app.store.snapshot(sid).taken, 30) and app.store.snapshot(sid).stock == before.stock
    assert_redis_matches_db(app, sid)


def test_seats_held_for_a_customer_stay_held_when_the_database_is_away(app, outage, session):
    """The clerk held the seats (H) and the database is away when the customer pays: nothing was sent, and the hold
    stays the customer's (it drains no stock: retries reuse it) until the sale is finished with its token."""
    proxy, away = outage
    sid = session.session_id
    held = away.booking.hold(sid, "alice", ["S1-B-3", "S1-B-4"])
    proxy.down()
    with pytest.raises(BackendUnavailable):  # the lookup of its order, first, finds no database
        away.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-3", "S1-B-4"), token=held.token))
    assert app.store.hold(sid, held.token).state == "held" and unresolved(app, sid) == []
    proxy.up()
    receipt = away.booking.sell(SaleRequest(sid, "alice", seats=("S1-B-3", "S1-B-4"), token=held.token))
    assert receipt.seats == ("S1-B-3", "S1-B-4") and receipt.token == held.token
    assert_redis_matches_db(app, sid)
