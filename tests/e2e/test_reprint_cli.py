"""``boxoffice order reprint`` and ``ticket verify`` end to end: a reprinted ticket's old code is refused ("replaced by
reprint 1"), the new one passes; a second reprint needs a supervisor (exit 7 without one); the reprint goes to the
printer named (an ESC/POS device file here) or the PDF."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.metadata import entry_points

import pytest

from boxoffice.adapters import models
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD, run_cli_as

QR_STORE = b"\x1d(k"


def _sold(app, session, seats=("S1-B-1", "S1-B-2"), types=()):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=seats, price_types=types))
    return r, dict(app.tickets.codes(r))


def test_a_reprinted_tickets_old_code_is_refused_and_the_new_one_passes(app, session, env, tmp_path):
    r, old = _sold(app, session)
    device = tmp_path / "lp0"
    done = run_cli_as(env, "alice", "order", "reprint", str(r.order_id), "--printer", f"escpos:file:{device}",
                      "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["reprints"] == {"S1-B-1": {"old": 0, "new": 1}, "S1-B-2": {"old": 0, "new": 1}}
    new = out["codes"]
    printed = device.read_bytes()
    for label in old:
        assert ".ADULT.1." in new[label] and new[label].encode() in printed and QR_STORE in printed
        refused = run_cli_as(env, "alice", "ticket", "verify", old[label])
        assert refused.returncode == 1 and "INVALID: replaced by reprint 1" in refused.stdout
        passed = run_cli_as(env, "alice", "ticket", "verify", new[label])
        assert passed.returncode == 0 and "VALID: valid — ADULT" in passed.stdout
    assert b"\x1bp" not in printed, "a reprint does not open the cash drawer"


def test_a_second_reprint_needs_a_supervisor(app, session, env, tmp_path):
    r, _ = _sold(app, session)
    printer = f"escpos:file:{tmp_path / 'lp0'}"
    reprint = ("order", "reprint", str(r.order_id), "--printer", printer)
    assert run_cli_as(env, "alice", *reprint).returncode == 0
    refused = run_cli_as(env, "alice", *reprint)
    assert refused.returncode == 7
    assert "reprint 2 needs a supervisor" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    wrong = run_cli_as(env, "alice", *reprint, "--supervisor", "sam", "--supervisor-password-stdin",
                       input="not the password\n")
    assert wrong.returncode == 7
    approved = run_cli_as(env, "alice", *reprint, "--seats", "S1-B-2", "--supervisor", "sam",
                          "--supervisor-password-stdin", "--json", input=TEST_PASSWORD + "\n")
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["reprints"] == {"S1-B-2": {"old": 1, "new": 2}}


def test_verify_prints_the_price_type_and_its_notice(app, session, env):
    with app.uow() as tx:
        tx.session.add(models.PriceType(venue_id=session.venue_id, code="child", name="Child", position=1,
                                        notice="check proof of age"))
        for zone in ("A", "B"):
            tx.session.add(models.ZonePrice(venue_id=session.venue_id, zone=zone, price_type="child",
                                            price=Decimal("6.00")))
        tx.commit()
    app.catalog.forget_prices()
    _, codes = _sold(app, session, seats=("S1-B-4",), types=("child",))
    done = run_cli_as(env, "alice", "ticket", "verify", codes["S1-B-4"])
    assert done.returncode == 0 and "VALID: valid — CHILD: check proof of age" in done.stdout
    data = json.loads(run_cli_as(env, "alice", "ticket", "verify", codes["S1-B-4"], "--json").stdout)
    assert (data["price_type"], data["notice"], data["reprint"]) == ("child", "check proof of age", 0)


@pytest.mark.parametrize(("printer", "words"), [
    ("laser", "unknown kind 'laser'"),
    ("escpos:usb:epson", "escpos:usb:VID:PID"),
])
def test_a_bad_printer_is_refused_before_anything_is_reprinted(app, session, env, printer, words):
    r, _ = _sold(app, session, seats=("S1-B-5",))
    done = run_cli_as(env, "alice", "order", "reprint", str(r.order_id), "--printer", printer)
    assert done.returncode == 2 and words in done.stderr
    assert app.orders.get(r.order_id).lines[0].reprint == 0


def _with_tickets_writer(env: dict[str, str], where) -> dict[str, str]:
    """``env`` with the ``tickets`` PDF writer registered: pyproject.toml declares it, but an install made before
    it was added lacks it; a one-entry distribution on the path registers it the same way (entry points)."""
    if [ep for ep in entry_points(group="boxoffice.pdf") if ep.name == "tickets"]:
        return env
    info = where / "boxoffice_tickets_writer-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: boxoffice-tickets-writer\nVersion: 0\n")
    (info / "entry_points.txt").write_text('[boxoffice.pdf]\ntickets = ui.printing:write_tickets_report\n')
    return {**env, "PYTHONPATH": f"{where}:{env.get('PYTHONPATH', '')}".rstrip(":")}


def test_a_reprint_to_the_pdf_says_where(app, session, env, tmp_path):
    r, _ = _sold(app, session, seats=("S1-B-6",))
    done = run_cli_as(_with_tickets_writer(env, tmp_path), "alice", "order", "reprint", str(r.order_id),
                      "--printer", "pdf", "--json")
    assert done.returncode == 0, done.stderr
    path = json.loads(done.stdout)["printed_to"]
    assert path.endswith(f"order-{r.order_id}-reprint-1.pdf")
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
