"""Refunds need the right person: a clerk cancels alone only an order they sold themselves today;
anything else needs a supervisor — acting, or approving with their name and password (a "supervisor override",
checked like a sign-in and recorded in the audit log beside the clerk)."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import text

from boxoffice.domain.bitmap import bit
from boxoffice.errors import AuthenticationFailed, PermissionDenied
from boxoffice.services.accounts import MAX_FAILURES
from boxoffice.services.booking import SaleRequest

PASSWORD = "supervisor pw 1"


def person(app, role: str, password: str = PASSWORD) -> str:
    name = f"{role[0]}{secrets.token_hex(4)}"
    app.accounts.add_user(name, name, role, password, actor="sam")
    return name


def sell(app, sid: int, user: str, *labels: str):
    return app.booking.sell(SaleRequest(sid, user, seats=labels))


def status(app, order_id: int) -> str:
    return app.orders.get(order_id).status


def cancel_audit(app, order_id: int):
    with app.uow() as tx:
        return tx.session.execute(text(
            "SELECT u.username AS actor, a.details FROM audit_log a JOIN users u ON u.id = a.actor_id "
            "WHERE a.order_id = :o AND a.action = 'cancel'"), {"o": order_id}).one()


def actions_of(app, username: str) -> list[tuple[str, str | None]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT a.action, a.details->>'reason' FROM audit_log a JOIN users u ON u.id = a.actor_id "
            "WHERE u.username = :u ORDER BY a.id"), {"u": username})]


def test_a_clerk_cancels_their_own_order_of_today_alone(app, session):
    clerk = person(app, "clerk")
    r = sell(app, session.session_id, clerk, "S1-A-2", "S1-A-3")
    assert app.aftersale.cancel(r.order_id, clerk, "customer changed plans").status == "cancelled"
    row = cancel_audit(app, r.order_id)
    assert row.actor == clerk and row.details["clerk"] == clerk and "approved_by" not in row.details


def test_another_clerks_order_needs_a_supervisor(app, session):
    seller, other = person(app, "clerk"), person(app, "clerk")
    r = sell(app, session.session_id, seller, "S1-A-4")
    with pytest.raises(PermissionDenied, match="needs a supervisor") as err:
        app.aftersale.cancel(r.order_id, other, "not mine")
    assert err.value.exit_code == 7 and err.value.code == "permission_denied"
    assert status(app, r.order_id) == "paid"
    assert bit(app.store.snapshot(session.session_id).taken, r.lines[0].seat_index)  # still sold in Redis


def test_an_own_order_of_an_earlier_day_needs_a_supervisor(app, session):
    clerk = person(app, "clerk")
    r = sell(app, session.session_id, clerk, "S1-A-5")
    with app.uow() as tx:
        tx.session.execute(text("UPDATE orders SET created_at = created_at - interval '2 days' WHERE id = :o"),
                           {"o": r.order_id})
        tx.commit()
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        app.aftersale.cancel(r.order_id, clerk, "last week's")
    assert status(app, r.order_id) == "paid"


def test_a_supervisor_cancels_any_order_alone(app, session):
    seller, boss = person(app, "clerk"), person(app, "supervisor")
    r = sell(app, session.session_id, seller, "S1-A-6")
    assert app.aftersale.cancel(r.order_id, boss, "supervisor refund").status == "cancelled"
    assert cancel_audit(app, r.order_id).actor == boss


def test_supervisor_override_is_recorded_beside_the_clerk(app, session):
    seller, clerk, boss = person(app, "clerk"), person(app, "clerk"), person(app, "supervisor")
    r = sell(app, session.session_id, seller, "S1-A-7", "S1-A-8")
    done = app.aftersale.cancel(r.order_id, clerk, "rain", supervisor=boss, supervisor_password=PASSWORD)
    assert done.status == "cancelled"
    row = cancel_audit(app, r.order_id)
    assert row.actor == clerk and row.details["clerk"] == clerk and row.details["approved_by"] == boss
    assert ("override", None) in actions_of(app, boss)  # audited like a sign-in


def test_wrong_supervisor_password_cancels_nothing_and_counts_towards_the_lockout(app, session):
    seller, clerk, boss = person(app, "clerk"), person(app, "clerk"), person(app, "supervisor")
    r = sell(app, session.session_id, seller, "S2-C-1")
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            app.aftersale.cancel(r.order_id, clerk, "rain", supervisor=boss, supervisor_password="guess")
    with pytest.raises(AuthenticationFailed):  # locked now: even the right password is refused
        app.aftersale.cancel(r.order_id, clerk, "rain", supervisor=boss, supervisor_password=PASSWORD)
    assert status(app, r.order_id) == "paid"
    assert actions_of(app, boss)[-3:] == [("login_failed", "wrong_password"), ("login_locked", "wrong_password"),
                                          ("login_refused", "locked")]


def test_a_clerks_password_is_no_override(app, session):
    seller, clerk, friend = person(app, "clerk"), person(app, "clerk"), person(app, "clerk")
    r = sell(app, session.session_id, seller, "S2-C-2")
    with pytest.raises(PermissionDenied, match="not a supervisor"):
        app.aftersale.cancel(r.order_id, clerk, "rain", supervisor=friend, supervisor_password=PASSWORD)
    assert status(app, r.order_id) == "paid"
