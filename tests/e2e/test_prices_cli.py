"""Price types from the command line (issue 14, item 3): `prices import` (a supervisor, for a venue or a session),
`prices list --json`, `sell --types` (one per seat, in the order of --seats) and a comp refused (exit 7) unless a
supervisor approves with `--override-user`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from boxoffice.bootstrap import App
from tests.conftest import TEST_PASSWORD, make_session, run_cli
from tests.e2e.test_cli import as_user, cli

PRICE_LIST = {"types": [
    {"code": "child", "name": "Child", "notice": "check proof of age", "prices": {"*": "-40%"}},
    {"code": "member", "name": "Member", "prices": {"A": "-2.00", "B": "10.00"}},
    {"code": "comp", "name": "Complimentary", "prices": {"*": "0"}},
]}


def test_import_list_sell_with_types_and_a_comp_needs_a_supervisor(app: App, env: dict[str, str],
                                                                    tmp_path: Path) -> None:
    session = make_session(app)
    sid, vid = str(session.session_id), str(session.venue_id)
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(PRICE_LIST))

    refused = run_cli(as_user(env, "alice"), "prices", "import", str(path), "--venue", vid, "--json")
    assert refused.returncode == 7 and json.loads(refused.stderr)["error"] == "permission_denied"
    done = cli(as_user(env, "sam"), "prices", "import", str(path), "--venue", vid, "--json")
    assert [t["code"] for t in done["types"]] == ["adult", "child", "member", "comp"]

    listed = cli(env, "prices", "list", "--session", sid, "--json")
    assert listed["zones"] == ["A", "B"]
    table = {t["code"]: t["prices"] for t in listed["types"]}
    assert table == {"adult": {"A": "20.00", "B": "12.50"}, "child": {"A": "12.00", "B": "7.50"},
                     "member": {"A": "18.00", "B": "10.00"}, "comp": {"A": "0.00", "B": "0.00"}}
    assert {t["code"]: t["needs_supervisor"] for t in listed["types"]}["comp"] is True
    human = cli(env, "prices", "list", "--session", sid)
    assert "child" in human and "12.00" in human and "check proof of age" in human

    # types follow --seats: S2-C-1 (zone B) is the child, S1-A-2 (zone A) the member
    sold = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S2-C-1,S1-A-2", "--types",
               "child,member", "--json")
    assert Decimal(sold["total"]) == Decimal("25.50")
    assert {(ln["seat"], ln["price_type"], ln["price"]) for ln in sold["lines"]} == {
        ("S2-C-1", "child", "7.50"), ("S1-A-2", "member", "18.00")}

    comp = ("sell", "--session", sid, "--seats", "S1-A-3,S1-A-4", "--types", "comp,adult", "--json")
    no = run_cli(as_user(env, "alice"), *comp)
    assert no.returncode == 7 and no.stdout == ""
    err = json.loads(no.stderr)
    assert err["error"] == "permission_denied" and "needs a supervisor" in err["message"]
    ok = run_cli(as_user(env, "alice"), *comp, "--override-user", "sam", input=TEST_PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    assert [(ln["price_type"], ln["price"]) for ln in json.loads(ok.stdout)["lines"]] == [("comp", "0.00"),
                                                                                          ("adult", "20.00")]

    unknown = run_cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-5", "--types", "pensioner",
                      "--json")
    assert unknown.returncode == 2 and "unknown price type 'pensioner'" in json.loads(unknown.stderr)["message"]


def test_a_session_list_and_bad_files(app: App, env: dict[str, str], tmp_path: Path) -> None:
    session = make_session(app)
    sid = str(session.session_id)
    path = tmp_path / "session.json"
    path.write_text(json.dumps({"types": [{"code": "student", "name": "Student", "prices": {"B": "-25%"}}]}))
    cli(as_user(env, "sam"), "prices", "import", str(path), "--session", sid, "--json")
    listed = cli(env, "prices", "list", "--session", sid, "--json")
    assert {t["code"]: t["prices"] for t in listed["types"]} == {"adult": {"A": "20.00", "B": "12.50"},
                                                                 "student": {"B": "9.38"}}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"types": [{"code": "x", "name": "X", "prices": {"Q": "-5.00"}}]}))
    err = cli(as_user(env, "sam"), "prices", "import", str(bad), "--session", sid, "--json", code=2)
    assert "unknown zone 'Q'" in err["message"]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    err = cli(as_user(env, "sam"), "prices", "import", str(broken), "--session", sid, "--json", code=2)
    assert "not a JSON price list" in err["message"]
