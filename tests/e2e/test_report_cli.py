"""`boxoffice report day` from the command line: JSON, CSV and PDF of a day with known sales; a clerk refused (exit
7); a bad date or time zone is one line and exit 2."""

from __future__ import annotations

import csv
import json
import random
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import update

from boxoffice.adapters import models
from boxoffice.bootstrap import App
from tests.conftest import make_session, run_cli
from tests.e2e.test_cli import as_user, cli

TZ = "Asia/Tokyo"


def _move_to(app: App, order_ids: list[int], at: datetime) -> None:
    with app.uow() as tx:
        tx.session.execute(update(models.Order).where(models.Order.id.in_(order_ids)).values(created_at=at))
        tx.session.execute(update(models.Payment).where(models.Payment.order_id.in_(order_ids))
                           .values(created_at=at))
        tx.commit()


def test_report_day_json_csv_pdf(app: App, env: dict[str, str], tmp_path) -> None:
    the_day = date(2045, 1, 1) + timedelta(days=random.randrange(3000))
    sid = str(make_session(app).session_id)
    a = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-2,S1-A-3", "--json")  # 40.00 cash
    b = cli(as_user(env, "bob"), "sell", "--session", sid, "--seats", "S2-C-1", "--payment", "card", "--json")
    _move_to(app, [a["order_id"], b["order_id"]], datetime.combine(the_day, time(23, 59, 59), ZoneInfo(TZ)))
    csv_path, pdf_path = tmp_path / "day.csv", tmp_path / "out" / "day.pdf"
    done = run_cli(as_user(env, "sam"), "report", "day", "--date", the_day.isoformat(), "--tz", TZ,
                   "--csv", str(csv_path), "--pdf", str(pdf_path), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data == json.loads(json.dumps(app.reports.day("sam", the_day, TZ).to_dict(), default=str)) | {
        "generated_at": data["generated_at"]}
    assert [(s["key"], s["seats"], s["gross"]) for s in data["sessions"]] == [(sid, 3, "52.50")]
    assert {c["key"]: c["by_method"] for c in data["clerks"]} == {
        "alice": {"cash": "40.00", "card": "0.00", "voucher": "0.00"},
        "bob": {"cash": "0.00", "card": "12.50", "voucher": "0.00"}}
    assert data["totals"]["methods"]["gross"] == "52.50"
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["section"], r["key"]): r for r in csv.DictReader(f)}
    assert Decimal(rows[("methods", "cash")]["gross"]) == Decimal("40.00")
    assert Decimal(rows[("methods", "TOTAL")]["gross"]) == Decimal("52.50")
    assert rows[("clerks", "alice")]["name"] == "Alice Martin"
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 4  # a page per section

    # the human form names the day and the totals; the next local day in Tokyo is empty
    human = run_cli(as_user(env, "sam"), "report", "day", "--date", the_day.isoformat(), "--tz", TZ)
    assert human.returncode == 0 and "52.50" in human.stdout and the_day.isoformat() in human.stdout
    nxt = run_cli(as_user(env, "sam"), "report", "day", "--date", (the_day + timedelta(days=1)).isoformat(),
                  "--tz", TZ, "--json")
    assert nxt.returncode == 0 and json.loads(nxt.stdout)["sessions"] == []


def test_a_clerk_is_refused(env: dict[str, str]) -> None:
    done = run_cli(as_user(env, "alice"), "report", "day", "--json")
    assert done.returncode == 7
    assert json.loads(done.stderr)["error"] == "permission_denied"


def test_bad_date_and_zone_exit_2_with_one_line(env: dict[str, str]) -> None:
    for args, words in ((("--date", "2026-13-01"), "not a date"), (("--date", "yesterday"), "not a date"),
                        (("--tz", "Mars/Olympus"), "unknown time zone")):
        done = run_cli(as_user(env, "sam"), "report", "day", *args)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in done.stderr
