"""``boxoffice till``: open, status (blind), drop, payout, close with a supervisor's password on stdin, report as
JSON and PDF; a sale with no till refused (exit 4) when tills are required; bad input is exit 2 and one line."""

from __future__ import annotations

import json
import re
import secrets

from sqlalchemy import text

from tests.conftest import TEST_PASSWORD, cli_login, run_cli, run_cli_as


def _one_line(done) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_till_cli_flow(app, env, session, tmp_path):
    clerk = f"cli{secrets.token_hex(3)}"
    app.accounts.ensure(clerk, "CLI clerk", "clerk", TEST_PASSWORD)
    me = {**cli_login(env, clerk), "BOXOFFICE_WORKSTATION": f"cli-ws-{secrets.token_hex(3)}"}
    strict = {**me, "BOXOFFICE_REQUIRE_TILL": "yes"}
    sid = str(session.session_id)

    done = run_cli(me, "till", "status", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"open": False, "clerk": clerk}

    done = run_cli(strict, "sell", "--session", sid, "--seats", "S1-A-2")
    assert done.returncode == 4 and "no till is open" in _one_line(done)

    for bad in (("--float", "abc"), ("--float", "-3"), ("--float", "1.234")):
        done = run_cli(me, "till", "open", *bad)
        assert done.returncode == 2 and _one_line(done).startswith("boxoffice: ")
    done = run_cli(me, "till", "open", "--float", "100", "--json")
    assert done.returncode == 0, done.stderr
    opened = json.loads(done.stdout)
    shift = opened["shift_id"]
    assert opened["workstation"] == me["BOXOFFICE_WORKSTATION"] and opened["opening_float"] == "100.00"
    done = run_cli(me, "till", "open", "--float", "100")
    assert done.returncode == 2 and "already has till" in _one_line(done)

    assert run_cli(strict, "sell", "--session", sid, "--seats", "S1-A-2").returncode == 0          # 20 cash
    assert run_cli(strict, "sell", "--session", sid, "--seats", "S1-A-3", "--payment", "card").returncode == 0
    done = run_cli(me, "till", "drop", "10", "--reason", "to the safe", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["shift_id"] == shift
    done = run_cli(me, "till", "payout", "5")
    assert done.returncode == 2 and "--reason" in _one_line(done)

    done = run_cli(me, "till", "status", "--json")
    status = json.loads(done.stdout)
    assert status["open"] and status["blind"] and "expected" not in status and "110.00" not in done.stdout
    assert "hidden until the drawer is counted" in run_cli(me, "till", "status").stdout
    # before the count a clerk sees counts only: no float, prices, per-method totals or drop amounts
    assert status["counts"] == {"orders": 2, "seats": 2, "refunds": 0, "drops": 1, "payouts": 0}
    for amount in ("100.00", "20.00", "10.00"):
        assert amount not in done.stdout
    human = run_cli(me, "till", "report", str(shift)).stdout
    assert "2 orders, 2 seats" in human and "100.00" not in human and "20.00" not in human

    done = run_cli(me, "till", "close", "--counted", "110")
    assert done.returncode == 7 and "supervisor" in _one_line(done)
    done = run_cli(me, "till", "close", "--count", "50x2,2x", "--supervisor", "sam", "--supervisor-password-stdin",
                   input=TEST_PASSWORD + "\n")
    assert done.returncode == 2 and "50x3" in _one_line(done)
    done = run_cli(me, "till", "close", "--count", "50x2,5x1", "--supervisor", "sam", "--supervisor-password-stdin",
                   "--json", input=TEST_PASSWORD + "\n")
    assert done.returncode == 2 and "needs a note" in _one_line(done) and "-5.00" in _one_line(done)
    done = run_cli(me, "till", "close", "--count", "50x2,5x1", "--supervisor", "sam", "--supervisor-password-stdin",
                   "--note", "a 5 short", input=TEST_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "variance -5.00 (short 5.00)" in done.stdout and "note: a 5 short" in done.stdout
    done = run_cli(me, "till", "report", str(shift), "--json")
    assert done.returncode == 0, done.stderr
    z = json.loads(done.stdout)
    assert {"shift_id", "expected", "counted", "variance", "by_method", "orders", "candidates"} <= set(z)
    assert (z["shift_id"], z["expected"], z["counted"], z["variance"]) == (shift, "110.00", "105.00", "-5.00")
    assert z["by_method"]["cash"]["net"] == "20.00" and z["by_method"]["card"]["net"] == "20.00"
    assert z["count"] == {"50.00": 2, "5.00": 1} and z["signed_off_by"] == "sam"
    assert sorted(s["label"] for o in z["orders"] for s in o["seats"]) == ["S1-A-2", "S1-A-3"]

    done = run_cli(me, "till", "report", str(shift), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["kind"] == "Z"
    pdf = tmp_path / "z.pdf"
    done = run_cli(me, "till", "report", str(shift), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    done = run_cli_as(env, "bob", "till", "report", str(shift))
    assert done.returncode == 7 and "own tills" in _one_line(done)
    done = run_cli(me, "till", "report", "999999999")
    assert done.returncode != 0 and "no till shift" in _one_line(done)

    done = run_cli_as(env, "sam", "reconcile", "--session", sid, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["tender_mismatches"] == []
    card_order = next(o["order_id"] for o in z["orders"] if o["seats"][0]["label"] == "S1-A-3")
    with app.uow() as tx:  # plant: the card payment recorded 1.00 short
        tx.session.execute(text("UPDATE payments SET amount = amount - 1 WHERE order_id = :o"), {"o": card_order})
        tx.commit()
    try:
        done = run_cli_as(env, "sam", "reconcile", "--session", sid)
        assert done.returncode == 6, done.stdout + done.stderr
        assert f"tender mismatch: order {card_order} (till {shift}) paid 19.00, its seats cost 20.00" in done.stdout
    finally:
        with app.uow() as tx:
            tx.session.execute(text("UPDATE payments SET amount = amount + 1 WHERE order_id = :o"),
                               {"o": card_order})
            tx.commit()
