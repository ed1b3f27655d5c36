"""`order cancel` from the command line (issue 11, item 4): a clerk cancels alone only their own order of today; a
supervisor's approval (`--override-user NAME`, the password on standard input) lets another clerk cancel."""

from __future__ import annotations

import json
import secrets

from boxoffice.bootstrap import App
from tests.conftest import make_session, run_cli
from tests.e2e.test_cli import as_user, cli


def test_cancel_another_clerks_order_needs_a_supervisor(app: App, env: dict[str, str]) -> None:
    boss = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(boss, boss, "supervisor", "boss password", actor="sam")
    sid = str(make_session(app).session_id)
    sold = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-D-7", "--json")
    oid = str(sold["order_id"])
    refused = run_cli(as_user(env, "bob"), "order", "cancel", oid, "--reason", "rain", "--json")
    assert refused.returncode != 0 and "needs a supervisor" in json.loads(refused.stderr)["message"]
    wrong = run_cli(as_user(env, "bob"), "order", "cancel", oid, "--reason", "rain", "--override-user", boss,
                    "--json", input="not it\n")
    assert wrong.returncode == 7 and json.loads(wrong.stderr)["error"] == "authentication_failed"
    assert app.orders.get(sold["order_id"]).status == "paid"
    done = run_cli(as_user(env, "bob"), "order", "cancel", oid, "--reason", "rain", "--override-user", boss,
                   "--json", input="boss password\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "cancelled"
