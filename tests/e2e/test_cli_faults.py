"""The CLI's answers to the faults issue, run as real subprocesses (the contract of ``tests/e2e/test_cli.py``)."""

from __future__ import annotations

from boxoffice.bootstrap import App
from boxoffice.domain.values import SessionInfo
from tests.e2e.test_cli import cli


def test_a_hold_from_before_a_rebuild_is_refused_with_exit_4_and_the_newer_hold_sells(
    app: App, env: dict[str, str], session: SessionInfo
) -> None:
    sid = str(session.session_id)
    t4 = app.booking.hold(session.session_id, "alice", ["S1-A-5"]).token  # clerk A holds the seat
    cli(env, "cache", "rebuild", "--session", sid, "--json")
    t5 = app.booking.hold(session.session_id, "bob", ["S1-A-5"]).token  # clerk B holds it in the rebuilt map

    error = cli(env, "sell", "--session", sid, "--token", t4, "--seats", "S1-A-5", "--user", "alice", "--json",
                code=4)
    assert error == {"error": "token_stale", "message": "the seat map was rebuilt; select the seats again"}
    line = cli(env, "sell", "--session", sid, "--token", t4, "--seats", "S1-A-5", "--user", "alice", code=4)
    assert line.startswith("boxoffice: ")

    sale = cli(env, "sell", "--session", sid, "--token", t5, "--seats", "S1-A-5", "--user", "bob", "--json")
    assert sale["seats"] == ["S1-A-5"] and sale["token"] == t5
    shown = cli(env, "session", "show", sid, "--json")
    assert (shown["sold_db"], shown["taken_redis"], shown["stock_redis"]) == (1, 2, 38)  # S1-A-1 is blocked
