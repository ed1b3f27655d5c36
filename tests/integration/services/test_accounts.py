"""Accounts: argon2 passwords, login, lockout, audit."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import text

from boxoffice.errors import AuthenticationFailed, BadInput
from boxoffice.services.accounts import MAX_FAILURES
from tests.conftest import run_cli_as


def new_name() -> str:
    return f"u{secrets.token_hex(4)}"


def audit_actions(app, user_id: int) -> list[str]:
    with app.uow() as tx:
        return list(tx.session.execute(
            text("SELECT action FROM audit_log WHERE actor_id = :u ORDER BY id"), {"u": user_id}).scalars())


def test_password_is_hashed_with_argon2_and_login_works(app):
    name = new_name()
    added = app.accounts.add_user(name, "New Clerk", "clerk", "correct horse", actor="sam")
    with app.uow() as tx:
        stored = tx.session.execute(text("SELECT password_hash FROM users WHERE id = :u"),
                                    {"u": added.user_id}).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert app.accounts.login(name, "correct horse") == added
    assert audit_actions(app, added.user_id) == ["login"]  # "user_added" is sam's


@pytest.mark.parametrize(("name", "role", "password", "fragment"), [
    ("Bad Name", "clerk", "long enough", "user name"),
    ("okname", "admin", "long enough", "role"),
    ("okname", "clerk", "short", "at least 8"),
])
def test_bad_accounts_are_refused(app, name, role, password, fragment):
    with pytest.raises(BadInput, match=fragment):
        app.accounts.add_user(name, "x", role, password, actor="sam")


def test_wrong_password_and_unknown_user_look_the_same(app):
    name = new_name()
    app.accounts.add_user(name, "x", "clerk", "right password", actor="sam")
    with pytest.raises(AuthenticationFailed) as wrong:
        app.accounts.login(name, "wrong password")
    with pytest.raises(AuthenticationFailed) as unknown:
        app.accounts.login(new_name(), "whatever")
    assert str(wrong.value) == str(unknown.value)


def test_lockout_after_repeated_failures(app):
    name = new_name()
    user = app.accounts.add_user(name, "x", "supervisor", "right password", actor="sam")
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            app.accounts.login(name, "nope")
    with pytest.raises(AuthenticationFailed):  # even the right password waits for the lockout to end
        app.accounts.login(name, "right password")
    assert audit_actions(app, user.user_id)[-3:] == ["login_failed", "login_locked", "login_refused"]
    with app.uow() as tx:  # the lockout has passed
        tx.session.execute(text("UPDATE users SET locked_until = now() - interval '1 second' WHERE id = :u"),
                           {"u": user.user_id})
        tx.commit()
    assert app.accounts.login(name, "right password").username == name


def test_unknown_user_wrong_password_and_locked_account_answer_the_same_words(app, env):
    """Nothing in the answer confirms that an account exists or is locked; the audit log keeps the real reason."""
    name, ghost = new_name(), new_name()
    user = app.accounts.add_user(name, "x", "clerk", "right password", actor="sam")
    answers = []
    for who, password in [(ghost, "whatever"), (name, "wrong")] + [(name, "wrong")] * MAX_FAILURES \
            + [(name, "right password")]:
        with pytest.raises(AuthenticationFailed) as err:
            app.accounts.login(who, password)
        answers.append((type(err.value), str(err.value), err.value.as_dict()))
    assert len(set(map(repr, answers))) == 1, answers  # unknown, wrong, locking, locked: one class, one message
    assert answers[0][0] is AuthenticationFailed and answers[0][2]["error"] == "authentication_failed"
    assert name not in answers[0][1] and "locked for 5" not in answers[0][1]
    with app.uow() as tx:
        rows = tx.session.execute(text(
            "SELECT actor_id, action, details->>'reason' AS reason, details->>'username' AS username "
            "FROM audit_log WHERE actor_id = :u OR details->>'username' = :g ORDER BY id"),
            {"u": user.user_id, "g": ghost}).all()
    logins = [r for r in rows if r.action != "user_added"]
    reasons = [(r.action, r.reason) for r in logins]
    assert reasons[0] == ("login_failed", "unknown_user") and logins[0].actor_id is None
    assert logins[0].username == ghost
    assert reasons[1:] == [("login_failed", "wrong_password")] * (MAX_FAILURES - 1) + [
        ("login_locked", "wrong_password"), ("login_refused", "locked"), ("login_refused", "locked")]


def test_cli_user_add_reads_the_password_from_stdin_never_an_argument(app, env):
    name = new_name()
    done = run_cli_as(env, "sam", "user", "add", name, "--role", "clerk", "--json", input="from stdin 123\n")
    assert done.returncode == 0, done.stderr
    assert app.accounts.login(name, "from stdin 123").role == "clerk"
    refused = run_cli_as(env, "sam", "user", "add", new_name(), "--role", "clerk", "--password", "x")
    assert refused.returncode == 2 and "unrecognized arguments: --password" in refused.stderr
    short = run_cli_as(env, "sam", "user", "add", new_name(), "--role", "clerk", input="short\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
