"""The CLI's answers to the faults issue, run as real subprocesses (the contract of ``tests/e2e/test_cli.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from sqlalchemy.engine import make_url

from boxoffice.bootstrap import App
from boxoffice.config import Settings
from boxoffice.domain.bitmap import bit
from boxoffice.domain.values import SessionInfo
from tests.conftest import ROOT
from tests.e2e.test_cli import as_user, cli
from tests.tcpproxy import TcpProxy


def test_a_hold_from_before_a_rebuild_is_refused_with_exit_4_and_the_newer_hold_sells(
    app: App, env: dict[str, str], session: SessionInfo
) -> None:
    sid = str(session.session_id)
    t4 = app.booking.hold(session.session_id, "alice", ["S1-A-5"]).token  # clerk A holds the seat
    cli(as_user(env, "sam"), "cache", "rebuild", "--session", sid, "--json")
    t5 = app.booking.hold(session.session_id, "bob", ["S1-A-5"]).token  # clerk B holds it in the rebuilt map

    error = cli(as_user(env, "alice"), "sell", "--session", sid, "--token", t4, "--seats", "S1-A-5", "--json",
                code=4)
    assert error == {"error": "token_stale", "message": "the seat map was rebuilt; select the seats again"}
    line = cli(as_user(env, "alice"), "sell", "--session", sid, "--token", t4, "--seats", "S1-A-5", code=4)
    assert line.startswith("boxoffice: ")

    sale = cli(as_user(env, "bob"), "sell", "--session", sid, "--token", t5, "--seats", "S1-A-5", "--json")
    assert sale["seats"] == ["S1-A-5"] and sale["token"] == t5
    shown = cli(env, "session", "show", sid, "--json")
    assert (shown["sold_db"], shown["taken_redis"], shown["stock_redis"]) == (1, 2, 38)  # S1-A-1 is blocked


def test_a_sale_that_cannot_reach_the_database_exits_5_and_gives_the_seats_back(
    app: App, env: dict[str, str], session: SessionInfo, settings: Settings
) -> None:
    """The database goes away after the CLI started and took the seats in Redis (the failpoint holds the sale just
    before its statement): exit 5, one JSON line saying the seats were given back, and the stock is whole again."""
    sid = session.session_id
    url = make_url(settings.database_url)
    if not url.host:
        pytest.skip("the proxy needs a TCP database URL")
    proxy = TcpProxy((url.host, url.port or 5432))
    try:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        before = app.store.snapshot(sid)
        sale = subprocess.Popen(
            [sys.executable, "-m", "boxoffice.cli", "sell", "--session", str(sid), "--seats", "S2-C-9", "--json"],
            env={**as_user(env, "alice"), "BOXOFFICE_DATABASE_URL": proxied,
                 "BOXOFFICE_FAILPOINTS": "sale.before_db=sleep:2"},
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 60
        while not bit(app.store.snapshot(sid).taken, 28):  # the seats are taken in Redis: the sale waits
            assert time.monotonic() < deadline and sale.poll() is None, sale.communicate()
            time.sleep(0.02)
        proxy.down()  # the database goes away before the statement is sent
        stdout, stderr = sale.communicate(timeout=60)
    finally:
        proxy.close()
    assert sale.returncode == 5 and stdout == "", (sale.returncode, stdout, stderr)
    (line,) = stderr.splitlines()
    error = json.loads(line)
    assert error["error"] == "database_unreachable" and "seats were given back" in error["message"]
    assert "Connection refused" in error["message"]
    after = app.store.snapshot(sid)
    assert (after.taken, after.stock) == (before.taken, before.stock)
