"""The ``boxoffice`` CLI contract, run as a real subprocess against this run's PostgreSQL and Redis.

Success: exit 0 and, with ``--json``, one JSON document on stdout. Failure: exit 2 (bad input), 3 (seats
unavailable), 4 (sold out / refused), 5 (backend unavailable) or 7 (not signed in / not allowed), nothing on stdout and exactly one line on stderr —
a JSON object with ``--json`` — never a traceback.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from boxoffice.bootstrap import App
from boxoffice.domain.bitmap import bit
from boxoffice.domain.values import SessionInfo
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_layout, make_session, run_cli, signed_in_env, tiny_doc

STARTS = "2031-06-01T19:30:00+02:00"
DEAD_DATABASE = "postgresql://postgres@127.0.0.1:1/x"
DEAD_REDIS = "redis://127.0.0.1:1/0"


def as_user(env: dict[str, str], user: str) -> dict[str, str]:
    """``env`` signed in as ``user`` (``boxoffice login``, one CLI session per user for the run)."""
    return signed_in_env(env, user)


def cli(env: dict[str, str], *args: str, code: int = 0) -> Any:
    """Run the CLI; check the exit code and the output contract; return the decoded output."""
    done = run_cli(env, *args)
    as_json = "--json" in args
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, f"exit {done.returncode}, stdout={done.stdout!r}, stderr={done.stderr!r}"
    if code == 0:
        return json.loads(done.stdout) if as_json else done.stdout
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    if not as_json:
        assert lines[0].startswith("boxoffice: "), lines[0]
        return lines[0]
    error = json.loads(lines[0])
    assert isinstance(error.get("error"), str) and isinstance(error.get("message"), str), error
    return error


def write_layout(directory: Path, doc: dict) -> Path:
    """Write ``doc`` under a unique venue name (venue names are unique in the database)."""
    doc = {**doc, "name": f"CLI Hall {secrets.token_hex(4)}"}
    path = directory / f"{secrets.token_hex(4)}.json"
    path.write_text(json.dumps(doc))
    return path


# -- venues and sessions ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def layout_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_layout(tmp_path_factory.mktemp("layouts"), tiny_doc())


@pytest.fixture(scope="module")
def imported(app: App, env: dict[str, str], layout_file: Path) -> dict:
    return cli(as_user(env, "sam"), "venue", "import", str(layout_file), "--json")


@pytest.fixture(scope="module")
def created(env: dict[str, str], imported: dict) -> dict:
    return cli(as_user(env, "sam"), "session", "create", "--venue", str(imported["venue_id"]), "--name", "Cup final",
               "--starts", STARTS, "--json")


def test_venue_import(imported: dict, layout_file: Path) -> None:
    assert isinstance(imported["venue_id"], int)
    assert imported["name"] == json.loads(layout_file.read_text())["name"]
    assert imported["seats"] == 40
    assert imported["created"] is True


def test_venue_import_again_returns_same_venue(env: dict[str, str], imported: dict, layout_file: Path) -> None:
    again = cli(as_user(env, "sam"), "venue", "import", str(layout_file), "--json")
    assert (again["venue_id"], again["seats"], again["created"]) == (imported["venue_id"], 40, False)


def test_venue_list(env: dict[str, str], imported: dict) -> None:
    venues = {v["venue_id"]: v for v in cli(env, "venue", "list", "--json")}
    assert venues[imported["venue_id"]]["name"] == imported["name"]
    assert venues[imported["venue_id"]]["seats"] == 40


def test_session_create(created: dict, imported: dict) -> None:
    assert isinstance(created["session_id"], int)
    assert (created["venue_id"], created["capacity"], created["status"], created["created"]) == (
        imported["venue_id"], 40, "onsale", True,
    )
    assert datetime.fromisoformat(created["starts_at"]) == datetime.fromisoformat(STARTS)


def test_session_list(env: dict[str, str], created: dict) -> None:
    sessions = {s["session_id"]: s for s in cli(env, "session", "list", "--json")}
    assert sessions[created["session_id"]]["name"] == "Cup final"
    assert sessions[created["session_id"]]["capacity"] == 40


# -- selling ------------------------------------------------------------------------------------------------------
def figures(env: dict[str, str], session_id: int) -> dict:
    shown = cli(env, "session", "show", str(session_id), "--json")
    assert shown["session_id"] == session_id
    return {k: shown[k] for k in ("capacity", "sold_db", "taken_redis", "stock_redis")}


def test_sell_show_and_rebuild(env: dict[str, str], session: SessionInfo) -> None:
    sid = session.session_id
    sale = cli(as_user(env, "alice"), "sell", "--session", str(sid), "--seats", "S1-A-2,S1-A-3", "--json")
    assert (sale["session_id"], sale["seats"], sale["total"]) == (sid, ["S1-A-2", "S1-A-3"], "40.00")
    assert isinstance(sale["order_id"], int) and len(sale["token"]) >= 16

    order = cli(as_user(env, "alice"), "order", "show", str(sale["order_id"]), "--json")
    assert (order["order_id"], order["status"], order["seats"], order["total"]) == (
        sale["order_id"], "paid", ["S1-A-2", "S1-A-3"], "40.00",
    )
    assert (order["session_id"], order["clerk"], order["token"]) == (sid, "alice", sale["token"])

    # after a rebuild from the database: the blocked seat S1-A-1 and the two sold seats are taken in Redis
    assert cli(as_user(env, "sam"), "cache", "rebuild", "--session", str(sid), "--json")["sessions"] == [sid]
    assert figures(env, sid) == {"capacity": 40, "sold_db": 2, "taken_redis": 3, "stock_redis": 37}


def test_sell_best_in_zone(env: dict[str, str], session: SessionInfo) -> None:
    sid = str(session.session_id)
    first = cli(as_user(env, "bob"), "sell", "--session", sid, "--best", "2", "--zone", "B", "--json")
    # focus (60, 0): row C seats 6-7 are nearest; seats 4-5 sit left of the aisle
    assert (first["seats"], first["total"]) == (["S2-C-6", "S2-C-7"], "25.00")
    # C-8..10 would strand a seat, so the next pair is C-4, C-5 (plain output this time)
    line = cli(as_user(env, "bob"), "sell", "--session", sid, "--best", "2", "--zone", "B", "--payment", "card")
    assert line.startswith("order ") and "S2-C-4, S2-C-5" in line and "total 25.00 (card)" in line


def test_sold_out(app: App, env: dict[str, str]) -> None:
    doc = tiny_doc()
    doc["stands"][0]["sections"] = [
        {"code": "K", "name": "Box", "zone": "A",
         "rows": [{"label": "A", "seats": [{"n": str(i), "x": 10 * i, "y": 10} for i in (1, 2, 3)]}]}
    ]
    sid = make_session(app, make_layout(doc)).session_id
    app.booking.sell(SaleRequest(sid, "bob", seats=("K-A-1", "K-A-2", "K-A-3")))
    error = cli(as_user(env, "alice"), "sell", "--session", str(sid), "--best", "1", "--json", code=4)
    assert error["error"] == "sold_out"


# -- bad input and conflicts --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sold(app: App) -> str:
    """A tiny session in which S1-A-2 is sold (S1-A-1 is blocked by the layout)."""
    info = make_session(app)
    app.booking.sell(SaleRequest(info.session_id, "alice", seats=("S1-A-2",)))
    return str(info.session_id)


SELL = ["sell", "--session", "{sid}"]
ERRORS = [
    # signed-in user (None: nobody), args ({sid}: the session of the `sold` fixture), exit code, fields of the JSON
    # error, fragment of the message
    pytest.param("alice", [*SELL, "--seats", "S1-A-4,S1-Z-99"], 2, None, "unknown seat label(s)",
                 id="unknown-seat-plain"),
    pytest.param("alice", [*SELL, "--seats", "S1-A-4,S1-A-2", "--json"], 3,
                 {"error": "seats_unavailable", "seats": ["S1-A-2"]}, "S1-A-2", id="already-sold"),
    pytest.param("bob", [*SELL, "--seats", "S1-A-1", "--json"], 3,
                 {"error": "seats_unavailable", "seats": ["S1-A-1"]}, "S1-A-1", id="blocked-seat"),
    pytest.param("alice", [*SELL, "--seats", "S1-A-5", "--user", "mallory", "--json"], 7,
                 {"error": "permission_denied"}, "mallory", id="another-user-named"),
    pytest.param(None, [*SELL, "--seats", "S1-A-5", "--json"], 7, {"error": "not_signed_in"}, "boxoffice login",
                 id="not-signed-in"),
    pytest.param("alice", [*SELL, "--json"], 2, {"error": "bad_input"}, "--seats --best is required",
                 id="missing-seats-or-best"),
    pytest.param(None, ["session", "create", "--venue", "1"], 2, None, "required: --name, --starts",
                 id="missing-name-and-start-plain"),
]


@pytest.mark.parametrize(("user", "args", "code", "fields", "fragment"), ERRORS)
def test_errors(env: dict[str, str], sold: str, user: str | None, args: list[str], code: int, fields: dict | None,
                fragment: str) -> None:
    out = cli(as_user(env, user) if user else env, *(a.format(sid=sold) for a in args), code=code)
    if fields is None:
        assert fragment in out, out
    else:
        assert {k: out.get(k) for k in fields} == fields, out
        assert fragment in out["message"], out


def test_failed_sales_changed_nothing(env: dict[str, str], sold: str) -> None:
    assert figures(env, int(sold)) == {"capacity": 40, "sold_db": 1, "taken_redis": 2, "stock_redis": 38}


def test_bad_layout_file(app: App, env: dict[str, str], tmp_path: Path) -> None:
    path = write_layout(tmp_path, {**tiny_doc(), "zones": tiny_doc()["zones"][:1]})  # zone B is gone
    line = cli(env, "venue", "import", str(path), code=2)  # the file is checked before the sign-in
    assert line == f"boxoffice: {path}: stands[0].sections[1].zone: unknown zone 'B'"


@pytest.mark.parametrize(
    ("variable", "url", "as_json"),
    [
        pytest.param("BOXOFFICE_DATABASE_URL", DEAD_DATABASE, False, id="database-plain"),
        pytest.param("BOXOFFICE_REDIS_URL", DEAD_REDIS, True, id="redis-json"),
    ],
)
def test_backend_unavailable(env: dict[str, str], variable: str, url: str, as_json: bool) -> None:
    # BOXOFFICE_DEGRADED=off: an unreachable Redis refuses as before (by default the database alone goes on)
    out = cli({**env, variable: url, "BOXOFFICE_DEGRADED": "off"}, "venue", "list", *(["--json"] if as_json else []),
              code=5)
    message = out["message"] if as_json else out
    assert ("PostgreSQL" if "DATABASE" in variable else "Redis") in message
    if as_json:
        assert out["error"] == "backend_unavailable"


def test_database_without_schema_asks_for_an_upgrade(env: dict[str, str], settings) -> None:
    """A database nobody migrated is a backend problem with the fix in the message, not an internal error."""
    import psycopg
    from sqlalchemy.engine import make_url

    from boxoffice.config import sqlalchemy_url

    name = f"bo_empty_{secrets.token_hex(4)}"
    url = make_url(sqlalchemy_url(settings.database_url))
    admin = url.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        empty = url.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")
        line = cli({**env, "BOXOFFICE_DATABASE_URL": empty}, "venue", "list", code=5)
        assert "boxoffice db upgrade" in line
        assert cli({**env, "BOXOFFICE_DATABASE_URL": empty}, "db", "upgrade") == "database schema is up to date\n"
        assert cli({**env, "BOXOFFICE_DATABASE_URL": empty}, "venue", "list", "--json") == []
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_order_cancel_exchange_and_outbox_commands(app: App, env: dict[str, str]) -> None:
    info = make_session(app)
    sid = str(info.session_id)
    sold = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-1,S2-C-2", "--json")
    changed = cli(as_user(env, "bob"), "order", "exchange", str(sold["order_id"]), "--seats", "S1-B-1,S1-B-2",
                  "--json")
    assert (changed["status"], changed["seats"], changed["total"]) == ("paid", ["S1-B-1", "S1-B-2"], "40.00")
    assert "S1-B-2" in cli(as_user(env, "bob"), "order", "exchange", str(sold["order_id"]), "--seats",
                           "S1-B-2,S1-B-3", code=2)  # names a seat the order already has
    cancelled = cli(as_user(env, "alice"), "order", "cancel", str(sold["order_id"]), "--reason", "rain", "--json")
    assert (cancelled["status"], cancelled["seats"]) == ("cancelled", ["S1-B-1", "S1-B-2"])
    again = cli(as_user(env, "alice"), "order", "cancel", str(sold["order_id"]), "--reason", "rain", "--json", code=2)
    assert "cancelled" in again["message"]
    drained = cli(env, "outbox", "drain", "--json")
    assert drained["published"] >= 3 and drained["applied"] >= 3
    status = cli(env, "outbox", "status", "--json")
    assert {"pending", "in_flight", "dead", "oldest_pending_age_s", "lag_s"} <= status.keys()
    assert status["pending"] == 0 and status["lag_s"] is None
    assert cli(as_user(env, "sam"), "outbox", "retry-dead", "--json") == {"retried": 0}
    shown = cli(env, "session", "show", sid, "--json")
    assert (shown["sold_db"], shown["stock_redis"]) == (0, 39)


def test_reconcile_reports_drift_with_exit_6_and_repairs_it(app: App, env: dict[str, str]) -> None:
    info = make_session(app)
    sid = str(info.session_id)
    fast = as_user({**env, "BOXOFFICE_RECONCILE_CONFIRM": "0.05"}, "sam")
    clean = run_cli(fast, "reconcile", "--session", sid)
    assert clean.returncode == 0 and "consistent" in clean.stdout, clean.stderr
    app.booking.sell(SaleRequest(info.session_id, "alice", seats=("S1-A-4",)))
    k = app.store.keys(info.session_id)
    i = app.catalog.layout(info.venue_id).by_label["S1-A-4"].index
    for key in (k.seats, k.sold):
        app.redis.setbit(key, i, 0)
    app.redis.incr(k.stock)
    found = run_cli(fast, "reconcile", "--session", sid)
    assert found.returncode == 6, found.stderr
    assert "CRITICAL" in found.stdout and "lost_seat" in found.stdout and "S1-A-4" in found.stdout
    as_json = json.loads(run_cli(fast, "reconcile", "--session", sid, "--json").stdout)
    assert as_json["consistent"] is False
    assert as_json["sessions"][0]["drifts"][0] == {"kind": "lost_seat", "seats": [i], "labels": ["S1-A-4"],
                                                   "detail": as_json["sessions"][0]["drifts"][0]["detail"]}
    refused = run_cli(as_user(fast, "alice"), "reconcile", "--session", sid, "--repair")
    assert refused.returncode == 7 and "needs a supervisor" in refused.stderr
    fixed = run_cli(fast, "reconcile", "--session", sid, "--repair", "--reason", "cli test", "--json")
    assert fixed.returncode == 0, fixed.stderr + fixed.stdout
    out = json.loads(fixed.stdout)
    assert out["consistent"] is True and out["repairs"][0]["repaired"] == {"lost_seat": ["S1-A-4"]}
    again = run_cli(fast, "reconcile", "--session", sid, "--repair")
    assert again.returncode == 0 and "repaired" not in again.stdout
    bad = run_cli(fast, "reconcile", "--session", "999999")
    assert bad.returncode == 2 and "999999" in bad.stderr


# -- degraded mode: Redis unreachable -------------------------------------------------------------------------------
def live_lines_of(app: App, sid: int) -> dict[int, int]:
    from sqlalchemy import text

    with app.uow() as tx:
        return dict(tx.session.execute(
            text("SELECT seat_idx, count(*) FROM order_lines WHERE session_id = :s AND active GROUP BY seat_idx"),
            {"s": sid}).all())


def test_sell_goes_on_from_the_database_while_redis_is_unreachable(env: dict[str, str], app: App) -> None:
    session = make_session(app)
    sid = str(session.session_id)
    down = {**env, "BOXOFFICE_REDIS_URL": DEAD_REDIS}
    try:
        out = cli(as_user(down, "alice"), "sell", "--session", sid, "--seats", "S1-A-2,S1-A-3", "--json")
        assert out["degraded"] is True and out["seats"] == ["S1-A-2", "S1-A-3"]
        done = run_cli(as_user(down, "bob"), "sell", "--session", sid, "--best", "2")
        assert done.returncode == 0, done.stderr
        assert "sold from the database" in done.stderr and "Traceback" not in done.stderr
        refused = cli(as_user(down, "alice"), "sell", "--session", sid, "--seats", "S1-A-3", "--json", code=3)
        assert refused["error"] == "seats_unavailable" and refused["seats"] == ["S1-A-3"]
        off = cli(as_user({**down, "BOXOFFICE_DEGRADED": "off"}, "alice"), "sell", "--session", sid, "--seats",
                  "S1-A-9", "--json", code=5)
        assert off["error"] == "backend_unavailable"
        epoch = app.store.snapshot(session.session_id).epoch
        # Redis was there all along for this run, but the outage recorded by the processes above was never
        # followed by a rebuild: the next process to start does it (every current session, a new epoch)
        live = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-9", "--json")
        assert live["degraded"] is False
        snap = app.store.snapshot(session.session_id)
        assert snap.epoch != epoch
        layout = app.catalog.layout(session.venue_id)
        lines = live_lines_of(app, session.session_id)
        assert all(n == 1 for n in lines.values()) and len(lines) == 5
        assert all(bit(snap.sold, i) for i in lines) and bit(snap.sold, layout.by_label["S1-A-3"].index)
        assert not app.degraded.needs_recovery()
    finally:
        app.degraded.recover()  # what the first process to see Redis again does; no-op when done already


def test_racing_cli_processes_never_sell_a_seat_twice_without_redis(env: dict[str, str], app: App) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    session = make_session(app)
    sid = str(session.session_id)
    down = {**env, "BOXOFFICE_REDIS_URL": DEAD_REDIS}
    wanted = ["S2-C-1,S2-C-2", "S2-C-2,S2-C-3", "S2-C-3,S2-C-4", "S2-C-1,S2-C-4", "S2-C-2,S2-C-5", "S2-C-5,S2-C-1"]
    try:
        procs = [subprocess.Popen([sys.executable, "-m", "boxoffice.cli", "sell", "--session", sid, "--seats", seats,
                                   "--json"], env=as_user(down, "alice"), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for seats in wanted]
        results = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in procs]
        for p in procs:
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        assert {code for code, _ in results} <= {0, 3}, results
        sold = [seat for code, out in results if code == 0 for seat in json.loads(out)["seats"]]
        assert sold and len(sold) == len(set(sold))
        lines = live_lines_of(app, session.session_id)
        assert all(n == 1 for n in lines.values()) and len(lines) == len(sold)
    finally:
        app.degraded.recover()  # the outage those processes recorded: what the next process to start does
