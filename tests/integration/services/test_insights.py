"""Supervisor insights on real servers: a seat's history, the chart figures, the outbox monitor and its permissions."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import text

from boxoffice.errors import BadInput, NotFound, PermissionDenied
from boxoffice.services.booking import SaleRequest
from boxoffice.services.insights import bucket_unit
from boxoffice.services.outbox import Relay
from tests.conftest import make_layout, make_session, tiny_doc


def kinds(events, *, skip_rebuilt: bool = False) -> list[tuple[str, str, int | None]]:
    return [(e.kind, e.actor, e.order_id) for e in events if not (skip_rebuilt and e.kind == "rebuilt")]


def sell(app, sid: int, user: str, *labels: str, token: str | None = None):
    return app.booking.sell(SaleRequest(sid, user, seats=labels, token=token))


# -- seat history -----------------------------------------------------------------------------------------------------
def test_history_of_hold_sell_exchange_away_and_back_then_cancel(app, session):
    sid = session.session_id
    hold = app.booking.hold(sid, "alice", ["S1-A-3"])
    order = sell(app, sid, "alice", "S1-A-3", token=hold.token).order_id
    app.aftersale.exchange(order, ["S1-A-4"], "bob", "customer wants the aisle")
    app.aftersale.exchange(order, ["S1-A-3"], "sam", "changed their mind")
    app.aftersale.cancel(order, "sam", "customer ill")

    events = app.insights.seat_history("sam", sid, "S1-A-3")
    assert kinds(events) == [
        ("rebuilt", "system", None),  # the seat map built when the session was created (Redis only)
        ("held", "alice", None),
        ("sold", "alice", order),  # once: the stream's 'sold' is paired with the audited sale
        ("exchanged_out", "bob", order),
        ("held", "sam", None),  # the exchange claims the seat like a sale does
        ("exchanged_in", "sam", order),
        ("cancelled", "sam", order),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert all(e.at.tzinfo is not None for e in events)
    by_kind = {e.kind: e for e in events}
    assert by_kind["sold"].source == "audit" and by_kind["held"].source == "redis"
    assert "S1-A-3" in by_kind["held"].detail and "20.00" in by_kind["sold"].detail
    assert "S1-A-4" in by_kind["exchanged_out"].detail and "customer wants the aisle" in by_kind["exchanged_out"].detail
    assert "customer ill" in by_kind["cancelled"].detail

    # the other seat of the exchanges, seen from its side; a label with spaces around it is the same seat
    assert kinds(app.insights.seat_history("sam", sid, " S1-A-4 "), skip_rebuilt=True) == [
        ("held", "bob", None),
        ("exchanged_in", "bob", order),
        ("exchanged_out", "sam", order),
    ]
    # a seat nothing happened to has only the session-wide rebuild
    assert kinds(app.insights.seat_history("sam", sid, "S2-D-9")) == [("rebuilt", "system", None)]


def test_released_holds_appear_with_their_reason_and_clerk(app, session):
    sid = session.session_id
    idx = app.catalog.layout(session.venue_id).by_label["S2-C-5"].index
    # alice's hold expires (a 50 ms hold) and the sweep releases it
    app.store.issue_and_deduct(sid, "alice", [idx], 30_000, 50)
    time.sleep(0.2)
    released, _ = app.inventory.sweep_expired_holds()
    assert released >= 1
    # bob's sale fails after its deduction: the compensation gives the seat back
    token = app.booking.hold(sid, "bob", ["S2-C-5"]).token
    app.booking.compensate(sid, token)

    events = app.insights.seat_history("sam", sid, "S2-C-5")
    assert kinds(events, skip_rebuilt=True) == [
        ("held", "alice", None),
        ("released", "system", None),  # expiry is the system's doing
        ("held", "bob", None),
        ("released", "bob", None),  # the clerk's own sale gave it back
    ]
    expired, compensated = [e for e in events if e.kind == "released"]
    assert "expired" in expired.detail and "alice" in expired.detail
    assert "compensate" in compensated.detail and "bob" in compensated.detail


def test_a_rebuild_by_a_supervisor_shows_once_with_actor_and_reason(app, session):
    sid = session.session_id
    app.inventory.rebuild_as(app.accounts, "sam", sid, "drift after a Redis restart")
    events = app.insights.seat_history("sam", sid, "S1-B-1")
    assert kinds(events) == [("rebuilt", "system", None), ("rebuilt", "sam", None)]
    assert events[1].source == "audit" and "drift after a Redis restart" in events[1].detail


def test_repair_rows_of_the_reconciler_are_part_of_the_history(app, session):
    """The reconciler audits a repair as action 'repair' with the seat labels in details.seats."""
    sid = session.session_id
    with app.uow() as tx:
        tx.session.execute(
            text("INSERT INTO audit_log (actor_id, action, session_id, reason, details) "
                 "VALUES (NULL, 'repair', :s, 'scheduled reconciliation', CAST(:d AS jsonb))"),
            {"s": sid, "d": json.dumps({"class": "orphan_hold", "seats": ["S1-B-2", "S1-B-3"],
                                        "before": "taken", "after": "free"})},
        )
        tx.commit()
    repaired = [e for e in app.insights.seat_history("sam", sid, "S1-B-3") if e.kind == "repaired"]
    assert [(e.actor, e.source) for e in repaired] == [("system", "audit")]
    assert "orphan_hold" in repaired[0].detail and "free" in repaired[0].detail
    assert [e.kind for e in app.insights.seat_history("sam", sid, "S1-B-4")] == ["rebuilt"]


def test_a_hold_released_by_a_supervisor_shows_once_as_theirs(app, session):
    """A forced release: release.lua with reason 'force', audited by the reconciler as a 'hold_release' repair."""
    sid = session.session_id
    hold = app.booking.hold(sid, "alice", ["S2-D-7"])
    assert app.store.release(sid, hold.token, "force") == 1
    with app.uow() as tx:
        tx.session.execute(
            text("INSERT INTO audit_log (actor_id, action, session_id, reason, details) "
                 "VALUES ((SELECT id FROM users WHERE username = 'sam'), 'repair', :s, 'clerk walked away', "
                 "CAST(:d AS jsonb))"),
            {"s": sid, "d": json.dumps({"class": "hold_release", "seats": ["S2-D-7"],
                                        "before": {"hold": hold.token, "clerk": "alice", "state": "held"},
                                        "after": {"state": "released", "freed": 1}})},
        )
        tx.commit()
    events = app.insights.seat_history("sam", sid, "S2-D-7")
    assert kinds(events, skip_rebuilt=True) == [("held", "alice", None), ("released", "sam", None)]
    assert events[-1].source == "audit" and "alice" in events[-1].detail and "clerk walked away" in events[-1].detail


def test_unknown_label_or_session_is_bad_input_naming_it(app, session):
    with pytest.raises(BadInput, match="Z9-Q-99"):
        app.insights.seat_history("sam", session.session_id, "Z9-Q-99")
    with pytest.raises(NotFound):
        app.insights.seat_history("sam", 987_654_321, "S1-A-3")


# -- permissions ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda a, sid: a.insights.seat_history("alice", sid, "S1-A-3"),
    lambda a, sid: a.insights.seat_history("alice", sid, "no-such-seat"),  # refused before the input is looked at
    lambda a, sid: a.insights.sales_over_time("alice", sid),
    lambda a, sid: a.insights.occupancy_by_stand("alice", sid),
    lambda a, sid: a.insights.revenue_by_zone("alice", sid),
    lambda a, sid: a.insights.outbox_status("alice"),
    lambda a, sid: a.insights.dead_letters("alice"),
    lambda a, sid: a.insights.retry_dead("alice"),
    lambda a, sid: a.insights.retry_dead("bob", 1, "a clerk trying"),
], ids=["history", "history-bad-label", "sales", "occupancy", "revenue", "status", "dead", "retry-all", "retry-one"])
def test_clerks_are_refused_every_insight(app, session, call):
    with pytest.raises(PermissionDenied):
        call(app, session.session_id)


# -- outbox monitor ---------------------------------------------------------------------------------------------------
def poison(app, sid: int, order_id: int) -> int:
    """An OrderPlaced row that lacks most fields: the relay can never publish it."""
    with app.uow() as tx:
        row = tx.session.execute(
            text("INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('OrderPlaced', :o, CAST(:p AS jsonb)) "
                 "RETURNING id"), {"o": order_id, "p": json.dumps({"order_id": order_id, "session_id": sid})},
        ).scalar_one()
        tx.commit()
    return row


def outbox_row(app, message_id: int) -> tuple[str, int]:
    with app.uow() as tx:
        return tuple(tx.session.execute(text("SELECT status, attempts FROM outbox WHERE id = :i"),
                                        {"i": message_id}).one())


def test_dead_letters_are_listed_with_their_error_and_a_retry_requeues_them_audited(app, session):
    sid = session.session_id
    relay = Relay(app.uow, app.events, replace(app.settings, outbox_max_attempts=2, outbox_backoff_s=0.0))
    first, second = poison(app, sid, 424_242), poison(app, sid, 434_343)
    try:
        for _ in range(3):
            relay.drain()
            time.sleep(0.05)
        dead = {d.id: d for d in app.insights.dead_letters("sam")}
        assert {first, second} <= set(dead)
        d = dead[first]
        # an invalid message is dead at its first attempt: it would fail the same way every time
        assert (d.topic, d.aggregate_id, d.attempts, d.session_id) == ("OrderPlaced", 424_242, 1, sid)
        assert "invalid message" in (d.last_error or "") and d.created_at.tzinfo is not None
        listed = [x.id for x in app.insights.dead_letters("sam")]
        assert listed.index(second) < listed.index(first)  # newest first
        assert [x.id for x in app.insights.dead_letters("sam", limit=1)] == listed[:1]
        status = app.insights.outbox_status("sam")
        assert status.dead >= 2

        with app.uow() as tx:  # the audit rows of this test only (another test may have retried all a moment ago)
            since = tx.session.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar_one()
        assert app.insights.retry_dead("sam", first, "fixed the consumer") == 1
        assert outbox_row(app, first) == ("pending", 0)
        assert outbox_row(app, second)[0] == "dead"
        assert first not in {x.id for x in app.insights.dead_letters("sam")}
        with pytest.raises(BadInput, match=str(first)):
            app.insights.retry_dead("sam", first)  # not a dead letter any more
        assert app.insights.retry_dead("sam") >= 1  # all the others
        assert outbox_row(app, second) == ("pending", 0)
        with app.uow() as tx:
            audit = tx.session.execute(text(
                "SELECT u.username, a.reason, a.details FROM audit_log a JOIN users u ON u.id = a.actor_id "
                "WHERE a.action = 'outbox_retry' AND a.id > :since AND ((a.details->>'message_id')::bigint = :i "
                "OR a.details->>'message_id' IS NULL) ORDER BY a.id"),
                {"i": first, "since": since}).all()
        assert audit[0][:2] == ("sam", "fixed the consumer") and audit[0][2]["requeued"] == 1
        assert audit[-1][0] == "sam" and audit[-1][2]["message_id"] is None
    finally:
        with app.uow() as tx:
            tx.session.execute(text("DELETE FROM outbox WHERE id = ANY(:i)"), {"i": [first, second]})
            tx.commit()


def test_dead_letter_limit_must_be_positive(app):
    with pytest.raises(BadInput):
        app.insights.dead_letters("sam", limit=0)


# -- charts -----------------------------------------------------------------------------------------------------------
@pytest.fixture
def two_stands(app):
    """The tiny hall with its second section as a stand of its own: M = S1 (one seat blocked), N = S2."""
    doc = tiny_doc()
    main = doc["stands"][0]
    north = {"code": "N", "name": "North", "sections": main["sections"][1:]}
    main["sections"] = main["sections"][:1]
    doc["stands"] = [main, north]
    return make_session(app, make_layout(doc))


def test_chart_figures_equal_what_was_sold(app, two_stands):
    sid = two_stands.session_id
    a = sell(app, sid, "alice", "S1-A-2", "S1-A-3")  # 2 × 20.00
    b = sell(app, sid, "bob", "S2-C-1", "S2-C-2", "S2-C-3")  # 3 × 12.50
    c = sell(app, sid, "alice", "S1-B-5")  # cancelled: counts nowhere
    app.aftersale.cancel(c.order_id, "alice", "duplicate")
    app.aftersale.exchange(a.order_id, ["S2-D-4", "S2-D-5"], "alice")  # 2 × A → 2 × B (12.50): a refund
    app.booking.hold(sid, "alice", ["S1-B-9"])  # a hold is in Redis only: the database has it free

    assert app.insights.revenue_by_zone("sam", sid) == [
        ("A", "Front", "#aa0000", 0, Decimal("0.00")),
        ("B", "Back", "#0000aa", 5, Decimal("62.50")),
    ]
    occupancy = app.insights.occupancy_by_stand("sam", sid)
    assert occupancy == [("M", 20, 0, 1), ("N", 20, 5, 0)]
    assert [o.free for o in occupancy] == [19, 15]

    buckets = app.insights.sales_over_time("sam", sid)
    assert sum(b.seats for b in buckets) == 5 and sum(b.revenue for b in buckets) == Decimal("62.50")
    assert len(buckets) <= 2  # a few seconds of sales: minute buckets
    assert all(x.start.second == 0 and x.start.microsecond == 0 for x in buckets)

    # spread the orders over two days: hour buckets, the gaps filled with zeros
    with app.uow() as tx:
        tx.session.execute(text("UPDATE orders SET created_at = created_at - interval '2 days' WHERE id = :o"),
                           {"o": b.order_id})
        tx.commit()
    buckets = app.insights.sales_over_time("sam", sid, "Asia/Shanghai")
    assert buckets[0].seats == 3 and buckets[0].revenue == Decimal("37.50")
    assert buckets[-1].seats == 2 and buckets[-1].revenue == Decimal("25.00")
    assert all(x.seats == 0 for x in buckets[1:-1]) and 47 <= len(buckets) <= 50
    assert all(y.start - x.start == timedelta(hours=1) for x, y in pairwise(buckets))
    assert buckets[0].start.utcoffset() == timedelta(hours=8) and buckets[0].start.minute == 0
    with app.uow() as tx:
        placed = tx.session.execute(text("SELECT created_at FROM orders WHERE id = :o"), {"o": b.order_id}).scalar()
    assert buckets[0].start <= placed < buckets[0].start + timedelta(hours=1)
    assert buckets[0].start.astimezone(timezone.utc) <= placed

    with pytest.raises(BadInput, match="Mars/Olympus"):
        app.insights.sales_over_time("sam", sid, "Mars/Olympus")


def test_sales_over_time_runs_on_to_now_after_the_last_live_sale(app, session):
    """Review finding 15: a sale 10 minutes ago, then a sale cancelled now: the buckets reach the present minute
    (the cancelled sale counts nowhere), they do not stop at the first one."""
    sid = session.session_id
    a = sell(app, sid, "alice", "S1-A-2")
    with app.uow() as tx:
        tx.session.execute(text("UPDATE orders SET created_at = created_at - interval '10 minutes' WHERE id = :o"),
                           {"o": a.order_id})
        tx.commit()
    c = sell(app, sid, "bob", "S1-A-3")
    app.aftersale.cancel(c.order_id, "bob", "changed their mind")
    buckets = app.insights.sales_over_time("sam", sid)
    assert buckets[0].seats == 1 and sum(b.seats for b in buckets) == 1
    assert 10 <= len(buckets) <= 12 and all(b.seats == 0 for b in buckets[1:])
    now = datetime.now(timezone.utc)
    assert now - timedelta(minutes=1) < buckets[-1].start.astimezone(timezone.utc) <= now


def test_a_session_without_sales_has_empty_figures(app, session):
    sid = session.session_id
    assert app.insights.sales_over_time("sam", sid) == []
    assert app.insights.revenue_by_zone("sam", sid) == [
        ("A", "Front", "#aa0000", 0, Decimal("0.00")), ("B", "Back", "#0000aa", 0, Decimal("0.00"))]
    assert app.insights.occupancy_by_stand("sam", sid) == [("M", 40, 0, 1)]


def test_bucket_size_follows_the_span():
    assert bucket_unit(timedelta(0)) == "minute" and bucket_unit(timedelta(hours=3)) == "minute"
    assert bucket_unit(timedelta(hours=3, seconds=1)) == "hour" and bucket_unit(timedelta(days=7)) == "hour"
    assert bucket_unit(timedelta(days=8)) == "day"
