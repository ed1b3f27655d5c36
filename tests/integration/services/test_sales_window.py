"""Sales open and close on time, on the real PostgreSQL and Redis.

A sale after the close is refused by the Redis scripts (``closes_ms`` in the meta against Redis TIME) and by the sale
statement (``sales_close_at`` against the database's ``now()``) independently — before the scheduler has flipped
anything; the ``sales-window`` job then flips the Redis flag and the database status, and reconciliation stays clean.
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from boxoffice.bootstrap import App
from boxoffice.domain.values import SessionInfo
from boxoffice.errors import BadInput, NotOnSale, PermissionDenied, SalesClosed
from boxoffice.scheduler import add_jobs
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_layout, make_session, tiny_doc

TOKEN_MS, HOLD_MS = 30_000, 60_000


def session_closing(app: App, in_s: float, name: str = "Closing soon") -> SessionInfo:
    """A court hour on sale now whose sales close ``in_s`` seconds from now, warmed in Redis."""
    venue, _ = app.catalog.import_venue(make_layout())
    now = datetime.now(timezone.utc)
    info, _ = app.catalog.create_session(venue.venue_id, name, now - timedelta(minutes=30), now + timedelta(minutes=30),
                                         sales_close_at=now + timedelta(seconds=in_s))
    app.inventory.rebuild(info.session_id)
    return info


def wait_past(when: datetime, extra_s: float) -> None:
    time.sleep(max(0.0, (when - datetime.now(timezone.utc)).total_seconds() + extra_s))


def meta_on_sale(app: App, sid: int) -> bytes | None:
    return app.redis.hget(app.store.keys(sid).meta, "onsale")


def db_status(app: App, sid: int) -> str:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT status FROM sessions WHERE id = :s"), {"s": sid}).scalar_one()


def live_lines(app: App, sid: int) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM order_lines WHERE session_id = :s AND active"),
                                  {"s": sid}).scalar_one()


def idx(app: App, info: SessionInfo, label: str) -> int:
    return app.catalog.layout(info.venue_id).by_label[label].index


# -- the refusal itself -------------------------------------------------------------------------------------------
def test_a_sale_one_second_after_the_close_is_refused_by_redis_and_by_sql_alike(app: App) -> None:
    info = session_closing(app, 1.5)
    sid = info.session_id
    assert app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",))).order_id  # on sale before the close
    wait_past(info.sales_close_at, 1.0)
    # nothing has flipped a flag: the scheduler has not acted
    assert meta_on_sale(app, sid) == b"1" and db_status(app, sid) == "onsale"

    # Redis alone: the claim script (named seats) and the token script (best N) both refuse
    with pytest.raises(SalesClosed, match="sales for this session are closed"):
        app.store.issue_and_deduct(sid, "alice", [idx(app, info, "S1-A-3")], TOKEN_MS, HOLD_MS)
    with pytest.raises(SalesClosed):
        app.store.issue_token(sid, "alice", 1, TOKEN_MS)
    assert app.store.snapshot(sid).stock == info.capacity - 1 - app.catalog.layout(info.venue_id).blocked_count

    # the sale statement alone, bypassing Redis entirely
    layout = app.catalog.layout(info.venue_id)
    with pytest.raises(SalesClosed, match="sales for this session are closed"):
        app.booking._commit(SaleRequest(sid, "alice", seats=("S1-A-3",)), app.accounts.get("alice"), layout,
                            f"test-{secrets.token_hex(8)}", [idx(app, info, "S1-A-3")])
    # and the whole path
    with pytest.raises(SalesClosed):
        app.booking.sell(SaleRequest(sid, "bob", best=2))
    assert live_lines(app, sid) == 1


def test_before_the_sales_open_both_refuse_and_then_sell(app: App) -> None:
    venue, _ = app.catalog.import_venue(make_layout())
    now = datetime.now(timezone.utc)
    opens = now + timedelta(seconds=1.5)
    info, _ = app.catalog.create_session(venue.venue_id, "Not yet", now + timedelta(days=1), sales_open_at=opens)
    app.inventory.rebuild(info.session_id)
    sid, layout = info.session_id, app.catalog.layout(info.venue_id)
    with pytest.raises(NotOnSale, match="open at") as redis_refusal:
        app.store.issue_and_deduct(sid, "alice", [idx(app, info, "S1-A-2")], TOKEN_MS, HOLD_MS)
    assert not isinstance(redis_refusal.value, SalesClosed)
    with pytest.raises(NotOnSale, match="not open yet"):
        app.booking._commit(SaleRequest(sid, "alice", seats=("S1-A-2",)), app.accounts.get("alice"), layout,
                            f"test-{secrets.token_hex(8)}", [idx(app, info, "S1-A-2")])
    wait_past(opens, 0.2)
    assert app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",))).order_id


# -- defaults -----------------------------------------------------------------------------------------------------
def test_defaults_a_court_slot_closes_at_its_end_a_match_an_hour_after_kick_off(app: App) -> None:
    starts = datetime(2031, 6, 1, 8, 0, tzinfo=timezone.utc)
    hall, _ = app.catalog.import_venue(make_layout())
    slot, _ = app.catalog.create_session(hall.venue_id, "Court 08:00", starts)
    assert slot.ends_at == starts + timedelta(minutes=hall.session_minutes)
    assert slot.sales_close_at == slot.ends_at and slot.sales_open_at is None

    doc = tiny_doc()
    doc["kind"] = "stadium"
    ground, _ = app.catalog.import_venue(make_layout(doc))
    match, _ = app.catalog.create_session(ground.venue_id, "City v United", starts, starts + timedelta(hours=2))
    assert match.sales_close_at == starts + timedelta(hours=1)

    custom, _ = app.catalog.create_session(hall.venue_id, "Court 09:00", starts + timedelta(hours=1),
                                           sales_close_at=starts + timedelta(minutes=50))
    assert custom.sales_close_at == starts + timedelta(minutes=50)
    with pytest.raises(BadInput, match="open before"):
        app.catalog.create_session(hall.venue_id, "Court 10:00", starts + timedelta(hours=2),
                                   sales_open_at=starts + timedelta(days=1))
    # the Redis meta carries the close time the scripts compare
    app.inventory.rebuild(slot.session_id)
    closes = app.redis.hget(app.store.keys(slot.session_id).meta, "closes_ms")
    assert int(closes) == int(slot.sales_close_at.timestamp() * 1000)


# -- the scheduler ------------------------------------------------------------------------------------------------
def test_the_sales_window_job_flips_the_redis_flag_and_the_database_status(app: App) -> None:
    due = session_closing(app, 0.3, "Due")
    later = session_closing(app, 3600, "Later")
    wait_past(due.sales_close_at, 0.1)
    assert meta_on_sale(app, due.session_id) == b"1" and db_status(app, due.session_id) == "onsale"

    # the real job, in a scheduler running only it
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    add_jobs(scheduler, app)
    for job in scheduler.get_jobs():
        if job.id != "sales-window":
            scheduler.remove_job(job.id)
    assert [j.id for j in scheduler.get_jobs()] == ["sales-window"]
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while db_status(app, due.session_id) != "closed" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert db_status(app, due.session_id) == "closed" and meta_on_sale(app, due.session_id) == b"0"
    assert db_status(app, later.session_id) == "onsale" and meta_on_sale(app, later.session_id) == b"1"
    with app.uow() as tx:
        rows = tx.session.execute(text("SELECT actor_id, reason FROM audit_log WHERE session_id = :s "
                                       "AND action = 'session_close'"), {"s": due.session_id}).all()
    assert [tuple(r) for r in rows] == [(None, "sales window closed")]


def test_close_due_runs_once_per_turn_across_processes(app: App) -> None:
    due = session_closing(app, 0.1, "Due once")
    wait_past(due.sales_close_at, 0.1)
    app.store.unlock_job("sales-window")
    assert app.store.try_job_lock("sales-window", 5000)  # another process has this turn
    try:
        assert app.sales.close_due() == []
        assert db_status(app, due.session_id) == "onsale"
    finally:
        app.store.unlock_job("sales-window")
    assert due.session_id in app.sales.close_due()
    app.store.unlock_job("sales-window")
    assert due.session_id not in app.sales.close_due()  # done once


# -- supervisors open and close -----------------------------------------------------------------------------------
def test_session_close_and_open_by_a_supervisor_refused_for_a_clerk(app: App) -> None:
    info = make_session(app)
    sid = info.session_id
    with pytest.raises(PermissionDenied):
        app.sales.close(app.accounts, "alice", sid)
    assert db_status(app, sid) == "onsale" and meta_on_sale(app, sid) == b"1"

    closed = app.sales.close(app.accounts, "sam", sid, reason="storm")
    assert closed.status == "closed" and meta_on_sale(app, sid) == b"0"
    with pytest.raises(SalesClosed):
        app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    with pytest.raises(PermissionDenied):
        app.sales.open(app.accounts, "bob", sid)
    opened = app.sales.open(app.accounts, "sam", sid)
    assert opened.status == "onsale" and meta_on_sale(app, sid) == b"1"
    assert app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",))).order_id
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT a.action, u.username, a.reason FROM audit_log a JOIN users u ON u.id = a.actor_id "
                 "WHERE a.session_id = :s AND a.action IN ('session_open', 'session_close') ORDER BY a.id"),
            {"s": sid}).all()
    assert [tuple(r) for r in rows] == [("session_close", "sam", "storm"), ("session_open", "sam", None)]


def test_opening_a_passed_window_needs_a_new_close_time(app: App) -> None:
    info = session_closing(app, 0.1)
    sid = info.session_id
    wait_past(info.sales_close_at, 0.1)
    with pytest.raises(BadInput, match="--until"):
        app.sales.open(app.accounts, "sam", sid)
    until = datetime.now(timezone.utc) + timedelta(minutes=10)
    opened = app.sales.open(app.accounts, "sam", sid, until=until)
    assert opened.sales_close_at == until
    assert int(app.redis.hget(app.store.keys(sid).meta, "closes_ms")) == int(until.timestamp() * 1000)
    assert app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",))).order_id


# -- reconciliation -----------------------------------------------------------------------------------------------
def test_reconcile_is_clean_after_a_close(app: App) -> None:
    info = session_closing(app, 1.0)
    sid = info.session_id
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-4")))
    wait_past(info.sales_close_at, 0.1)
    app.store.unlock_job("sales-window")
    assert sid in app.sales.close_due()
    [report] = app.reconciler.report("sam", sid)
    assert report.consistent, report.as_dict()

    other = make_session(app)
    app.sales.close(app.accounts, "sam", other.session_id)
    [report] = app.reconciler.report("sam", other.session_id)
    assert report.consistent, report.as_dict()


def test_reconcile_racing_the_close_reports_no_drift(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job closes the session between the reconciler's list of sessions and its Redis read: the database side
    must be read with the seats (not from the list), so both passes agree with Redis."""
    info = session_closing(app, 0.2, "Closed mid-check")
    sid = info.session_id
    wait_past(info.sales_close_at, 0.1)
    real_inspect = app.store.inspect
    fired: list[int] = []

    def inspect_after_the_job(session_id: int):
        if not fired:
            app.store.unlock_job("sales-window")
            fired.extend(app.sales.close_due())
        return real_inspect(session_id)

    monkeypatch.setattr(app.store, "inspect", inspect_after_the_job)
    [report] = app.reconciler.report("sam", sid, confirm_s=0.1)
    assert sid in fired and db_status(app, sid) == "closed"
    assert report.consistent, report.as_dict()
