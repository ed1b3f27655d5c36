"""`sell --token` from the command line (issue 11, item 6): another clerk's token, or other seats, is refused with
exit 4 "this token belongs to another sale"; a cancelled order's token exits 4 with its JSON ``status``."""

from __future__ import annotations

from boxoffice.bootstrap import App
from tests.conftest import make_session
from tests.e2e.test_cli import as_user, cli


def test_sell_token_is_bound_to_its_clerk_seats_and_paid_order(app: App, env: dict[str, str]) -> None:
    sid = str(make_session(app).session_id)
    sold = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-5,S2-C-6", "--json")
    token = sold["token"]
    again = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-5,S2-C-6", "--token", token,
                "--json")
    assert again["order_id"] == sold["order_id"]  # the clerk's own retry still returns her order

    stolen = cli(as_user(env, "bob"), "sell", "--session", sid, "--seats", "S2-C-5,S2-C-6", "--token", token,
                 "--json", code=4)
    assert stolen == {"error": "token_foreign", "message": "this token belongs to another sale"}
    other_seats = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-7", "--token", token,
                      code=4)
    assert other_seats == "boxoffice: this token belongs to another sale"

    cli(as_user(env, "alice"), "order", "cancel", str(sold["order_id"]), "--reason", "rain", "--json")
    cancelled = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-5,S2-C-6", "--token", token,
                    "--json", code=4)
    assert (cancelled["error"], cancelled["status"], cancelled["order_id"]) == (
        "order_cancelled", "cancelled", sold["order_id"])
    assert "cancelled" in cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-5,S2-C-6",
                              "--token", token, code=4)
    shown = cli(as_user(env, "alice"), "order", "show", str(sold["order_id"]), "--json")
    assert shown["status"] == "cancelled"  # nothing sold again under the token
