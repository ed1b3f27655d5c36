"""``boxoffice session create --ends/--sales-close``, ``session open/close`` and ``session list [--all]``, and the
refusal of a sale after the close (exit 4, "sales for this session are closed") from Redis and from the database
alone — real subprocesses on this run's PostgreSQL and Redis (issue 11, item 7)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from boxoffice.bootstrap import App
from tests.conftest import run_cli, tiny_doc
from tests.e2e.test_cli import DEAD_REDIS, as_user, cli, write_layout


@pytest.fixture(scope="module")
def venue_id(app: App, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> int:
    path: Path = write_layout(tmp_path_factory.mktemp("sales-window"), tiny_doc())
    return cli(as_user(env, "sam"), "venue", "import", str(path), "--json")["venue_id"]


def create(env: dict[str, str], venue: int, name: str, starts: datetime, *extra: str) -> dict:
    return cli(as_user(env, "sam"), "session", "create", "--venue", str(venue), "--name", name, "--starts", starts.isoformat(),
               *extra, "--json")


def test_create_takes_ends_and_sales_close_and_defaults_a_slot_to_its_end(env, venue_id) -> None:
    starts = datetime(2031, 7, 1, 8, 0, tzinfo=timezone.utc)
    slot = create(env, venue_id, "Court 08:00", starts, "--ends", (starts + timedelta(minutes=45)).isoformat())
    assert datetime.fromisoformat(slot["ends_at"]) == starts + timedelta(minutes=45)
    assert datetime.fromisoformat(slot["sales_close_at"]) == starts + timedelta(minutes=45)
    custom = create(env, venue_id, "Court 09:00", starts + timedelta(hours=1),
                    "--sales-close", (starts + timedelta(minutes=30)).isoformat())
    assert datetime.fromisoformat(custom["sales_close_at"]) == starts + timedelta(minutes=30)


def test_a_sale_one_second_after_the_close_exits_4_from_redis_and_from_the_database(env, app, venue_id) -> None:
    now = datetime.now(timezone.utc)
    closes = now + timedelta(seconds=2)
    s = create(env, venue_id, "Closing now", now - timedelta(minutes=30), "--ends", (now + timedelta(minutes=30)).isoformat(),
               "--sales-close", closes.isoformat())
    sid = str(s["session_id"])
    time.sleep(max(0.0, (closes - datetime.now(timezone.utc)).total_seconds() + 1.0))
    assert app.redis.hget(app.store.keys(int(sid)).meta, "onsale") == b"1"  # no job has flipped it
    err = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-2", "--json", code=4)
    assert err == {"error": "sales_closed", "message": "sales for this session are closed"}
    line = cli(as_user(env, "alice"), "sell", "--session", sid, "--best", "2", code=4)
    assert line == "boxoffice: sales for this session are closed"
    # the database alone (Redis unreachable: the degraded path runs the same sale statement)
    down = {**env, "BOXOFFICE_REDIS_URL": DEAD_REDIS}
    try:
        err = cli(as_user(down, "alice"), "sell", "--session", sid, "--seats", "S1-A-2", "--json", code=4)
        assert err["error"] == "sales_closed"
    finally:
        app.degraded.recover()


def test_session_close_and_open_need_a_supervisor(env, app, venue_id) -> None:
    s = create(env, venue_id, "Open and close", datetime.now(timezone.utc) + timedelta(days=2))
    sid = str(s["session_id"])
    done = run_cli(as_user(env, "bob"), "session", "close", sid, "--json")
    assert done.returncode == 7 and json.loads(done.stderr)["error"] == "permission_denied"
    closed = cli(as_user(env, "sam"), "session", "close", sid, "--reason", "pitch frozen", "--json")
    assert closed["status"] == "closed"
    cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-2", code=4)
    done = run_cli(as_user(env, "alice"), "session", "open", sid, "--json")
    assert done.returncode == 7 and json.loads(done.stderr)["error"] == "permission_denied"
    assert cli(as_user(env, "sam"), "session", "open", sid, "--json")["status"] == "onsale"
    assert cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-2", "--json")["order_id"]


def test_session_list_hides_ended_sessions_unless_all(env, venue_id) -> None:
    ended = create(env, venue_id, "Last year", datetime(2020, 3, 1, 10, 0, tzinfo=timezone.utc))
    coming = create(env, venue_id, "Next year", datetime.now(timezone.utc) + timedelta(days=365))
    listed = {s["session_id"] for s in cli(env, "session", "list", "--json")}
    assert coming["session_id"] in listed and ended["session_id"] not in listed
    everything = {s["session_id"] for s in cli(env, "session", "list", "--all", "--json")}
    assert {coming["session_id"], ended["session_id"]} <= everything
    human = cli(env, "session", "list", "--all")
    assert any("Last year" in line and line.rstrip().endswith("closed") for line in human.splitlines())
