"""Who acts at the command line (issue 11, items 1-3): `boxoffice login` / `logout` / `whoami`, CLI sessions in
PostgreSQL (hashed tokens, expiry, revocation), every order-reading or data-changing command acting as the signed-in
user with its role checked by the services, exit 7 otherwise, and the first account. Real subprocesses, real servers.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from boxoffice.bootstrap import App
from boxoffice.config import sqlalchemy_url
from boxoffice.services.booking import SaleRequest
from tests.conftest import cli_login, make_session, run_cli, signed_in_env, tiny_doc

TOKEN_FILE = "cli-session.json"


def token_file(env: dict[str, str]) -> Path:
    return Path(env["BOXOFFICE_STATE_DIR"]) / TOKEN_FILE


def refused(done, fragment: str) -> None:  # done: a CompletedProcess
    assert done.returncode == 7, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and fragment in done.stderr, done.stderr


def audit_rows(app: App, since_id: int) -> list[tuple[str, str | None, dict]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT a.action, u.username, a.details FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
            "WHERE a.id > :i ORDER BY a.id"), {"i": since_id})]


def last_audit_id(app: App) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar_one()


def parallel(calls: list) -> list:  # (env, args, input) triples
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda c: run_cli(c[0], *c[1], input=c[2] if len(c) > 2 else None), calls))


@pytest.fixture
def layout_path(tmp_path: Path) -> Path:
    path = tmp_path / "hall.json"
    path.write_text(json.dumps({**tiny_doc(), "name": f"Identity Hall {secrets.token_hex(4)}"}))
    return path


# -- sign-in ------------------------------------------------------------------------------------------------------------
def test_login_keeps_a_private_token_file_whoami_and_logout(app: App, env: dict[str, str], tmp_path: Path) -> None:
    state = tmp_path / "not-yet" / "state"  # made by the login
    alice = {**env, "BOXOFFICE_STATE_DIR": str(state)}
    before = last_audit_id(app)
    done = run_cli(alice, "login", "--user", "alice", "--password-stdin", "--json", input="boxoffice\n")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["username"], out["role"]) == ("alice", "clerk")
    path = state / TOKEN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    token = json.loads(path.read_text())["token"]
    with app.uow() as tx:  # the database keeps only the token's hash
        row = tx.session.execute(text("SELECT token_hash, expires_at - created_at AS life FROM cli_sessions "
                                      "WHERE id = :i"), {"i": out["session_id"]}).one()
        plain = tx.session.execute(text("SELECT count(*) FROM cli_sessions WHERE token_hash = :t"),
                                   {"t": token}).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and plain == 0
    assert round(row.life.total_seconds() / 3600) == 8  # BOXOFFICE_CLI_SESSION_HOURS' default
    assert [(a, u) for a, u, _ in audit_rows(app, before)] == [("login", "alice"), ("cli_login", "alice")]

    who = run_cli(alice, "whoami", "--json")
    assert who.returncode == 0 and json.loads(who.stdout)["username"] == "alice", who.stderr
    bye = run_cli(alice, "logout")
    assert bye.returncode == 0 and "signed out alice" in bye.stdout, bye.stderr
    assert not path.exists()
    refused(run_cli(alice, "whoami"), "boxoffice login")


def test_a_wrong_password_signs_no_one_in_and_locks_like_the_window(app: App, env: dict[str, str]) -> None:
    name = f"u{secrets.token_hex(4)}"
    app.accounts.add_user(name, "Locked Out", "clerk", "right password", actor="sam")
    state = {**env, "BOXOFFICE_STATE_DIR": str(Path(env["BOXOFFICE_STATE_DIR"]) / name)}
    for _ in range(5):
        refused(run_cli(state, "login", "--user", name, "--password-stdin", input="wrong password\n"), "")
    assert not token_file(state).exists()
    # locked: even the right password is refused (the window's lockout), and still nothing is saved
    refused(run_cli(state, "login", "--user", name, "--password-stdin", input="right password\n"), "")
    assert not token_file(state).exists()
    user = app.accounts.get(name)
    with app.uow() as tx:
        actions = tx.session.execute(text("SELECT action FROM audit_log WHERE actor_id = :u ORDER BY id"),
                                     {"u": user.user_id}).scalars().all()
    assert actions.count("login_failed") == 4 and "login_locked" in actions and "cli_login" not in actions


def test_no_password_from_an_argument(env: dict[str, str]) -> None:
    done = run_cli(env, "login", "--user", "alice", "--password", "boxoffice")
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr


# -- every command acts as someone ----------------------------------------------------------------------------------
def commands(sid: int, order_id: int, code: str, layout: Path) -> dict[str, list[str]]:
    s, o = str(sid), str(order_id)
    return {
        "sell": ["sell", "--session", s, "--seats", "S1-B-9"],
        "hold": ["hold", "--session", s, "--seats", "S1-B-8"],
        "order show": ["order", "show", o],
        "order cancel": ["order", "cancel", o, "--reason", "x"],
        "order exchange": ["order", "exchange", o, "--seats", "S2-D-1"],
        "ticket verify": ["ticket", "verify", code],
        "session create": ["session", "create", "--venue", "1", "--name", "x", "--starts", "2031-01-01T10:00:00Z"],
        "venue import": ["venue", "import", str(layout)],
        "user add": ["user", "add", f"u{secrets.token_hex(4)}", "--role", "clerk"],
        "user sessions": ["user", "sessions"],
        "user sessions --revoke": ["user", "sessions", "--revoke", "1"],
        "reconcile": ["reconcile", "--session", s],
        "reconcile --repair": ["reconcile", "--session", s, "--repair"],
        "cache rebuild": ["cache", "rebuild"],
        "cache rebuild --session": ["cache", "rebuild", "--session", s],
        "outbox retry-dead": ["outbox", "retry-dead"],
        "whoami": ["whoami"],
    }


SUPERVISOR_ONLY = ("session create", "venue import", "user add", "user sessions", "user sessions --revoke",
                   "reconcile", "reconcile --repair", "cache rebuild", "cache rebuild --session", "outbox retry-dead")


def test_every_command_refuses_without_a_sign_in_and_clerks_where_a_supervisor_is_needed(
    app: App, env: dict[str, str], layout_path: Path
) -> None:
    session = make_session(app)
    order = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-1",)))
    code = app.tickets.codes(order)[0][1]
    cmds = commands(session.session_id, order.order_id, code, layout_path)
    clerk = signed_in_env(env, "alice")  # signed in (and audited) before the count starts
    before, epoch = last_audit_id(app), app.store.snapshot(session.session_id).epoch
    nobody = parallel([(env, args, "long enough password\n") for args in cmds.values()])
    for _name, done in zip(cmds, nobody):
        refused(done, "boxoffice login")
    as_clerk = parallel([(clerk, cmds[name], "long enough password\n") for name in SUPERVISOR_ONLY])
    for name, done in zip(SUPERVISOR_ONLY, as_clerk):
        assert "needs a supervisor" in done.stderr, (name, done.stderr)
        refused(done, "alice")
    # nothing was written: no audit entry, no sale, no new venue or session, the seat map not rebuilt
    assert audit_rows(app, before) == []
    assert app.orders.get(order.order_id).status == "paid"
    assert app.store.snapshot(session.session_id).epoch == epoch
    assert layout_path.read_text() and all(v.name != json.loads(layout_path.read_text())["name"]
                                           for v in app.catalog.list_venues())


def test_operator_commands_need_no_sign_in(app: App, env: dict[str, str]) -> None:
    sid = str(make_session(app).session_id)
    for args in (["venue", "list", "--json"], ["session", "list", "--json"], ["session", "show", sid, "--json"],
                 ["outbox", "status", "--json"]):
        done = run_cli(env, *args)
        assert done.returncode == 0, (args, done.stderr)


def test_each_command_acts_as_the_signed_in_user_and_the_audit_log_names_them(
    app: App, env: dict[str, str], layout_path: Path
) -> None:
    session = make_session(app)
    sid = str(session.session_id)
    clerk, supervisor = signed_in_env(env, "alice"), signed_in_env(env, "sam")
    before = last_audit_id(app)

    def ok(e: dict[str, str], *args: str, input: str | None = None) -> dict:
        done = run_cli(e, *args, "--json", input=input)
        assert done.returncode == 0, (args, done.stderr)
        return json.loads(done.stdout)

    sale = ok(clerk, "sell", "--session", sid, "--seats", "S1-A-2,S1-A-3")
    held = ok(clerk, "hold", "--session", sid, "--seats", "S1-B-5")
    assert app.store.hold(session.session_id, held["token"]).clerk == "alice"
    assert ok(clerk, "order", "show", str(sale["order_id"]))["clerk"] == "alice"
    receipt = app.orders.get(sale["order_id"])
    assert ok(clerk, "ticket", "verify", app.tickets.codes(receipt)[0][1])["valid"] is True
    ok(clerk, "order", "exchange", str(sale["order_id"]), "--seats", "S2-C-1,S2-C-2")
    ok(clerk, "order", "cancel", str(sale["order_id"]), "--reason", "rain")
    venue = ok(supervisor, "venue", "import", str(layout_path))
    ok(supervisor, "session", "create", "--venue", str(venue["venue_id"]), "--name", "Audited",
                 "--starts", "2031-02-01T10:00:00Z")
    ok(supervisor, "cache", "rebuild", "--session", sid, "--reason", "after maintenance")
    name = f"u{secrets.token_hex(4)}"
    ok(supervisor, "user", "add", name, "--role", "clerk", input="long enough password\n")
    with app.uow() as tx:  # a dead letter to queue again
        dead = tx.session.execute(text(
            "UPDATE outbox SET status = 'dead' WHERE id = (SELECT max(id) FROM outbox WHERE aggregate_id = :o) "
            "RETURNING id"), {"o": sale["order_id"]}).scalar_one()
        tx.commit()
    assert ok(supervisor, "outbox", "retry-dead", "--id", str(dead))["retried"] == 1
    checked = run_cli(supervisor, "reconcile", "--session", sid, "--repair", "--reason", "audited", "--json")
    assert checked.returncode in (0, 6), checked.stderr

    actors = {}
    for action, user, _details in audit_rows(app, before):
        actors.setdefault(action, set()).add(user)
    assert actors["sale"] == {"alice"} and actors["exchange"] == {"alice"} and actors["cancel"] == {"alice"}
    assert actors["venue_imported"] == actors["session_created"] == {"sam"}
    assert actors["user_added"] == actors["outbox_retry"] == {"sam"}
    with app.uow() as tx:  # `cache rebuild` is audited too, with its supervisor and reason
        rebuilt = tx.session.execute(text(
            "SELECT u.username FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.id > :i "
            "AND a.action = 'rebuild' AND a.session_id = :s AND a.reason = 'after maintenance'"),
            {"i": before, "s": session.session_id}).scalars().all()
    assert rebuilt == ["sam"]


def test_user_matches_the_sign_in_or_exit_7(app: App, env: dict[str, str]) -> None:
    sid = str(make_session(app).session_id)
    clerk = signed_in_env(env, "alice")
    refused(run_cli(clerk, "sell", "--session", sid, "--seats", "S1-A-2", "--user", "bob"), "not the signed-in user")
    done = run_cli(clerk, "sell", "--session", sid, "--seats", "S1-A-2", "--user", "alice", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["seats"] == ["S1-A-2"], done.stderr


def test_two_operators_on_one_machine_act_as_themselves(app: App, env: dict[str, str]) -> None:
    sid = str(make_session(app).session_id)
    alice, bob = cli_login(env, "alice"), cli_login(env, "bob")
    a, b = parallel([(alice, ["sell", "--session", sid, "--seats", "S1-A-4", "--json"]),
                     (bob, ["sell", "--session", sid, "--seats", "S1-A-5", "--json"])])
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert app.orders.get(json.loads(a.stdout)["order_id"]).clerk == "alice"
    assert app.orders.get(json.loads(b.stdout)["order_id"]).clerk == "bob"


# -- revoked, expired, copied and edited ---------------------------------------------------------------------------------
def test_revoked_expired_and_edited_sign_ins_give_nothing(app: App, env: dict[str, str], tmp_path: Path) -> None:
    sid = str(make_session(app).session_id)
    sell = ["sell", "--session", sid, "--seats", "S2-C-3", "--json"]
    supervisor = signed_in_env(env, "sam")

    # a supervisor revokes bob's session: bob's file and a copy of it are worthless at once
    bob = cli_login(env, "bob")
    mine = json.loads(token_file(bob).read_text())["session_id"]
    copy = {**env, "BOXOFFICE_STATE_DIR": str(tmp_path / "copy")}
    shutil.copytree(bob["BOXOFFICE_STATE_DIR"], copy["BOXOFFICE_STATE_DIR"])
    listed = json.loads(run_cli(supervisor, "user", "sessions", "--json").stdout)
    assert any(s["session_id"] == mine and s["username"] == "bob" and s["state"] == "live" for s in listed)
    refused(run_cli(signed_in_env(env, "alice"), "user", "sessions", "--revoke", str(mine)), "needs a supervisor")
    done = run_cli(supervisor, "user", "sessions", "--revoke", str(mine), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["state"] == "revoked", done.stderr
    refused(run_cli(bob, *sell), "revoked")
    refused(run_cli(copy, *sell), "revoked")
    assert [u for a, u, d in audit_rows(app, 0) if a == "cli_session_revoked" and d["cli_session"] == mine] == ["sam"]

    # an expired session (its row says so, whatever the file says)
    bob = cli_login(env, "bob")
    with app.uow() as tx:
        tx.session.execute(text("UPDATE cli_sessions SET expires_at = now() - interval '1 second' "
                                "WHERE id = :i"), {"i": json.loads(token_file(bob).read_text())["session_id"]})
        tx.commit()
    refused(run_cli(bob, *sell), "expired")

    # an edited token: not one the server issued; naming someone else in the file changes nothing
    bob = cli_login(env, "bob")
    saved = json.loads(token_file(bob).read_text())
    token_file(bob).write_text(json.dumps({**saved, "username": "sam"}))
    who = run_cli(bob, "whoami", "--json")
    assert who.returncode == 0 and json.loads(who.stdout)["username"] == "bob", who.stderr
    refused(run_cli(bob, "cache", "rebuild", "--session", sid), "needs a supervisor")
    flipped = saved["token"][:-1] + ("A" if saved["token"][-1] != "A" else "B")
    token_file(bob).write_text(json.dumps({**saved, "token": flipped}))
    refused(run_cli(bob, *sell), "boxoffice login")
    token_file(bob).write_text("garbage")
    refused(run_cli(bob, *sell), "boxoffice login")
    with app.uow() as tx:
        assert tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :s"),
                                  {"s": int(sid)}).scalar_one() == 0


# -- the first account ------------------------------------------------------------------------------------------------
@pytest.fixture
def fresh_database(env: dict[str, str], settings) -> dict[str, str]:
    name = f"bo_first_{secrets.token_hex(4)}"
    url = make_url(sqlalchemy_url(settings.database_url))
    admin = url.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    fresh = {**env, "BOXOFFICE_DATABASE_URL":
             url.set(database=name).render_as_string(hide_password=False).replace("+psycopg", ""),
             "BOXOFFICE_REDIS_PREFIX": f"{env['BOXOFFICE_REDIS_PREFIX']}f{secrets.token_hex(2)}"}
    try:
        assert run_cli(fresh, "db", "upgrade").returncode == 0
        yield fresh
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_first_supervisor_needs_no_sign_in_and_then_user_add_does(fresh_database: dict[str, str]) -> None:
    env = fresh_database
    refused(run_cli(env, "user", "add", "carol", "--role", "clerk", input="long enough password\n"),
            "no supervisor yet")
    first = run_cli(env, "user", "add", "boss", "--role", "supervisor", "--json", input="long enough password\n")
    assert first.returncode == 0, first.stderr
    refused(run_cli(env, "user", "add", "mallory", "--role", "supervisor", input="long enough password\n"),
            "boxoffice login")
    boss = cli_login(env, "boss", "long enough password")
    added = run_cli(boss, "user", "add", "carol", "--role", "clerk", "--json", input="another password\n")
    assert added.returncode == 0, added.stderr
    clerk = cli_login(env, "carol", "another password")
    refused(run_cli(clerk, "user", "add", "mallory", "--role", "supervisor", input="long enough password\n"),
            "needs a supervisor")
    with psycopg.connect(env["BOXOFFICE_DATABASE_URL"]) as conn:
        rows = conn.execute("SELECT u.username, a.details->>'user', a.details->>'first_account' FROM audit_log a "
                            "JOIN users u ON u.id = a.actor_id WHERE a.action = 'user_added' ORDER BY a.id").fetchall()
        users = [r[0] for r in conn.execute("SELECT username FROM users ORDER BY id")]
    assert rows == [("boss", "boss", "true"), ("boss", "carol", "false")]
    assert users == ["boss", "carol"]


def test_state_dir_default_is_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from boxoffice.config import load_settings

    env = {k: v for k, v in os.environ.items() if k != "BOXOFFICE_STATE_DIR"}
    assert load_settings(env).state_dir == Path(platformdirs.user_state_dir("boxoffice"))
    assert load_settings({**env, "BOXOFFICE_STATE_DIR": "/x/y"}).state_dir == Path("/x/y")
    assert load_settings({**env, "BOXOFFICE_CLI_SESSION_HOURS": "0.5"}).cli_session_hours == 0.5


def test_demo_hands_out_no_supervisor_where_a_real_one_exists(fresh_database: dict[str, str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`boxoffice demo` needs no sign-in, so on a database with its own supervisor it makes no demo accounts (sam
    would be a supervisor with a published password)."""
    from boxoffice.bootstrap import build
    from boxoffice.config import load_settings
    from boxoffice.services import demo

    for name in ("stadium", "courts"):  # tiny layouts: the rule under test is about the accounts
        (tmp_path / f"{name}.json").write_text(json.dumps({**tiny_doc(), "name": f"demo {name}"}))
    monkeypatch.setattr(demo, "layouts_dir", lambda: tmp_path)
    assert run_cli(fresh_database, "user", "add", "boss", "--role", "supervisor",
                   input="long enough password\n").returncode == 0
    app = build(load_settings(fresh_database))
    try:
        assert demo.load_demo(app.catalog, app.inventory, app.accounts).users_created == 0
        with app.uow() as tx:
            assert tx.session.execute(text("SELECT username FROM users")).scalars().all() == ["boss"]
    finally:
        app.close()
