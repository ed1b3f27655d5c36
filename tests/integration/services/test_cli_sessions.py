"""CLI sessions and the role checks the commands rely on, in the services themselves (real PostgreSQL and Redis)."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import text

from boxoffice.errors import AuthenticationFailed, NotSignedIn, PermissionDenied
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD, make_layout, make_session


def test_exit_codes_of_identity_errors():
    assert NotSignedIn.exit_code == PermissionDenied.exit_code == AuthenticationFailed.exit_code == 7
    assert "boxoffice login" in str(NotSignedIn())


def test_a_token_signs_in_until_revoked_or_expired(app):
    signed = app.cli_sessions.sign_in("bob", TEST_PASSWORD, "test@host")
    caller = app.cli_sessions.authenticate(signed.token)
    assert (caller.username, caller.user.role, caller.session_id) == ("bob", "clerk", signed.session_id)
    with app.uow() as tx:
        stored = tx.session.execute(text("SELECT token_hash, last_used_at FROM cli_sessions WHERE id = :i"),
                                    {"i": signed.session_id}).one()
    assert stored.token_hash != signed.token and stored.last_used_at is not None
    for token in (None, "", signed.token + "x", secrets.token_urlsafe(32)):
        with pytest.raises(NotSignedIn):
            app.cli_sessions.authenticate(token)
    with app.uow() as tx:
        tx.session.execute(text("UPDATE cli_sessions SET expires_at = now() WHERE id = :i"), {"i": signed.session_id})
        tx.commit()
    with pytest.raises(NotSignedIn, match="expired"):
        app.cli_sessions.authenticate(signed.token)
    other = app.cli_sessions.sign_in("bob", TEST_PASSWORD)
    with pytest.raises(PermissionDenied):
        app.cli_sessions.revoke("alice", other.session_id)
    assert app.cli_sessions.revoke("sam", other.session_id).state == "revoked"
    with pytest.raises(NotSignedIn, match="revoked"):
        app.cli_sessions.authenticate(other.token)
    third = app.cli_sessions.sign_in("bob", TEST_PASSWORD)
    assert app.cli_sessions.sign_out(third.token) is True and app.cli_sessions.sign_out(third.token) is False
    with pytest.raises(NotSignedIn):
        app.cli_sessions.authenticate(third.token)
    with pytest.raises(AuthenticationFailed):
        app.cli_sessions.sign_in("bob", "not the password")


def test_a_deactivated_user_is_signed_out(app):
    name = f"u{secrets.token_hex(4)}"
    app.accounts.add_user(name, "Leaving", "clerk", "long enough password", actor="sam")
    signed = app.cli_sessions.sign_in(name, "long enough password")
    with app.uow() as tx:
        tx.session.execute(text("UPDATE users SET active = false WHERE username = :u"), {"u": name})
        tx.commit()
    with pytest.raises(NotSignedIn, match="deactivated"):
        app.cli_sessions.authenticate(signed.token)


def test_the_services_check_the_role_of_the_named_actor(app):
    session = make_session(app)
    order = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-A-2",)))
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        app.catalog.import_venue(make_layout(), actor="alice")
    with pytest.raises(PermissionDenied):
        app.catalog.create_session(session.venue_id, "x", session.starts_at, actor="alice")
    with pytest.raises(PermissionDenied):
        app.inventory.rebuild_all_as(app.accounts, "alice", "x")
    with pytest.raises(PermissionDenied):
        app.cli_sessions.list("bob")
    with pytest.raises(PermissionDenied):
        app.accounts.add_user(f"u{secrets.token_hex(4)}", "x", "clerk", "long enough password", actor="alice")
    with pytest.raises(NotSignedIn):  # a supervisor exists: nobody adds accounts unsigned any more
        app.accounts.add_user(f"u{secrets.token_hex(4)}", "x", "supervisor", "long enough password")
    with pytest.raises(NotSignedIn):  # no more "cli (root)": an unnamed caller must be the named system job
        app.reconciler.report(None, session.session_id)
    assert app.reconciler.report(None, session.session_id, confirm_s=0, system="reconcile job")
    assert app.orders.show("alice", order.order_id).clerk == "bob"
    assert app.tickets.verify_as("alice", app.tickets.codes(order)[0][1]).valid
    venue, created = app.catalog.import_venue(make_layout(), actor="sam")
    info, _ = app.catalog.create_session(venue.venue_id, "by sam", session.starts_at, actor="sam")
    with app.uow() as tx:
        rows = tx.session.execute(text(
            "SELECT a.action, u.username FROM audit_log a JOIN users u ON u.id = a.actor_id "
            "WHERE (a.action = 'venue_imported' AND (a.details->>'venue_id')::int = :v) "
            "OR (a.action = 'session_created' AND a.session_id = :s) ORDER BY a.id"),
            {"v": venue.venue_id, "s": info.session_id}).all()
    assert created and [tuple(r) for r in rows] == [("venue_imported", "sam"), ("session_created", "sam")]
