"""ESC/POS tickets and receipts, on python-escpos's Dummy and File printers: the bytes that reach the printer (the
drawer kick first on a cash order, the QR code's payload in GS ( k, the words, a cut after each ticket); and the
printer settings (BOXOFFICE_PRINTER)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from escpos.printer import Dummy

from boxoffice.adapters.printers.escpos_out import OrderPrint, print_order, render
from boxoffice.adapters.printers.spec import PrinterSpec, parse_printer
from boxoffice.config import load_settings
from boxoffice.domain.tickets import TicketCode, sign
from boxoffice.domain.values import Receipt, ReceiptLine, Tender
from boxoffice.errors import BadInput, BoxOfficeError

KEY = b"k" * 32
KICK = b"\x1bp"  # ESC p: the cash drawer pulse
CUT = b"\x1dV"  # GS V
QR_STORE = b"\x1d(k"  # GS ( k: the native QR code commands


def _job(tenders: tuple[Tender, ...], reprint: int = 0) -> OrderPrint:
    lines = (ReceiptLine(10, "S1-B-1", "B", Decimal("12.50"), 1, "adult", reprint),
             ReceiptLine(11, "S1-B-2", "B", Decimal("8.00"), 2, "child", reprint))
    receipt = Receipt(41, 7, "tok", "paid", "alice", tenders[0].method if len(tenders) == 1 else "split",
                      Decimal("20.50"), datetime(2026, 12, 3, 18, 0, tzinfo=timezone.utc), lines, tenders=tenders)
    codes = tuple((ln.label, sign(KEY, TicketCode(41, 7, ln.seat_index, ln.price_type, ln.reprint)))
                  for ln in lines)
    return OrderPrint(receipt, "Derby Day", "Tiny Hall", datetime(2026, 12, 4, 19, 30, tzinfo=timezone.utc),
                      codes, "EUR", {"B": "Back"}, {"adult": "Adult", "child": "Child"})


def _bytes(job: OrderPrint, **kw) -> bytes:
    d = Dummy()
    render(d, job, **kw)
    return d.output


def _qr_store(payload: str) -> bytes:
    """GS ( k pL pH 49 80 48 data: store the QR symbol's data (fn 180)."""
    n = len(payload) + 3
    return QR_STORE + bytes([n % 256, n // 256]) + b"1P0" + payload.encode()


def test_a_cash_order_kicks_the_drawer_before_the_first_ticket():
    job = _job((Tender("cash", Decimal("20.50"), Decimal("50.00")),))
    out = _bytes(job)
    assert out.count(KICK) == 1
    assert out.index(KICK) < out.index(b"Derby Day") < out.index(QR_STORE)


def test_a_split_order_with_cash_kicks_too():
    out = _bytes(_job((Tender("cash", Decimal("10.50")), Tender("card", Decimal("10.00")))))
    assert out.count(KICK) == 1 and out.index(KICK) < out.index(b"Derby Day")


def test_a_card_order_does_not_kick_the_drawer():
    assert KICK not in _bytes(_job((Tender("card", Decimal("20.50")),)))


def test_a_reprint_does_not_kick_the_drawer():
    assert KICK not in _bytes(_job((Tender("cash", Decimal("20.50")),)), kick_drawer=False)


def test_each_ticket_carries_its_qr_payload_text_and_a_cut():
    job = _job((Tender("card", Decimal("20.50")),))
    out = _bytes(job)
    for label, code in job.codes:
        assert _qr_store(code) in out, f"the QR code of {label} stores the signed code"
    adult, child = (c for _, c in job.codes)
    assert ".ADULT.0." in adult and ".CHILD.0." in child
    for text in (b"SEAT S1-B-1", b"SEAT S1-B-2", b"Zone: Back", b"Type: Adult", b"Type: Child",
                 b"Price: 12.50 EUR", b"Price: 8.00 EUR", b"Tiny Hall", b"2026-12-0"):
        assert text in out, text
    # a cut after each ticket: the first ticket's cut comes before the second ticket's seat, then the receipt's
    assert out.count(CUT) == 3
    assert out.index(b"SEAT S1-B-1") < out.index(CUT) < out.index(b"SEAT S1-B-2")
    assert b"REPRINT" not in out


def test_the_receipt_has_the_lines_tenders_cash_given_and_change():
    out = _bytes(_job((Tender("cash", Decimal("10.50"), Decimal("20.00")), Tender("card", Decimal("10.00")))))
    receipt = out[out.index(b"RECEIPT - ORDER 41"):]
    for text in (b"S1-B-1 Back Adult", b"12.50 EUR", b"Total", b"20.50 EUR", b"Paid cash", b"10.50 EUR",
                 b"Paid card", b"Cash given", b"20.00 EUR", b"Change", b"9.50 EUR", b"Clerk alice"):
        assert text in receipt, text
    assert receipt.count(CUT) == 1, "the receipt ends with its own cut"


def test_a_reprinted_ticket_is_marked():
    out = _bytes(_job((Tender("card", Decimal("20.50")),), reprint=2))
    assert out.count(b"REPRINT 2") == 3  # both tickets and the receipt


def test_a_file_printer_gets_the_same_bytes(tmp_path):
    job = _job((Tender("cash", Decimal("20.50")),))
    target = tmp_path / "lp0"
    print_order(parse_printer(f"escpos:file:{target}"), job)
    written = target.read_bytes()
    assert written.index(KICK) < written.index(_qr_store(job.codes[0][1])) and written.count(CUT) == 3


def test_an_unreachable_network_printer_is_said():
    with pytest.raises(BoxOfficeError, match=re.escape("printing on escpos:tcp://127.0.0.1:9 failed")):
        print_order(parse_printer("escpos:tcp://127.0.0.1:9"), _job((Tender("card", Decimal("20.50")),)))


@pytest.mark.parametrize(("raw", "spec"), [
    (None, PrinterSpec("pdf")),
    ("", PrinterSpec("pdf")),
    ("PDF", PrinterSpec("pdf")),
    ("system:Office Laser", PrinterSpec("system", name="Office Laser")),
    ("escpos:tcp://10.0.0.7:9100", PrinterSpec("escpos", transport="tcp", host="10.0.0.7", port=9100)),
    ("escpos:tcp://till-printer", PrinterSpec("escpos", transport="tcp", host="till-printer", port=9100)),
    ("escpos:file:/dev/usb/lp0", PrinterSpec("escpos", transport="file", path="/dev/usb/lp0")),
    ("escpos:usb:04b8:0202", PrinterSpec("escpos", transport="usb", vendor=0x04B8, product=0x0202)),
    ("escpos:serial:/dev/ttyUSB0", PrinterSpec("escpos", transport="serial", path="/dev/ttyUSB0")),
])
def test_printer_specs(raw, spec):
    assert parse_printer(raw) == spec
    assert parse_printer(str(spec)) == spec


@pytest.mark.parametrize(("raw", "words"), [
    ("laser", "unknown kind 'laser'"),
    ("system:", "needs the printer's name"),
    ("escpos:tcp:host", "escpos:tcp://HOST:PORT"),
    ("escpos:tcp://host:99999", "port 99999"),
    ("escpos:tcp://bad host:9100", "not a host name"),
    ("escpos:usb:epson", "VID:PID"),
    ("escpos:file:", "needs a path"),
    ("escpos:bluetooth:x", "unknown ESC/POS connection 'bluetooth'"),
])
def test_bad_printer_specs_are_refused_clearly(raw, words):
    with pytest.raises(BadInput) as refused:
        parse_printer(raw)
    assert words in str(refused.value) and "use pdf, system:NAME" in str(refused.value)
    assert refused.value.reason == "bad_printer"


def test_settings_read_boxoffice_printer():
    assert load_settings({}).printer == "pdf"
    assert load_settings({"BOXOFFICE_PRINTER": "escpos:tcp://10.0.0.7"}).printer == "escpos:tcp://10.0.0.7:9100"
    with pytest.raises(BadInput, match="BOXOFFICE_PRINTER"):
        load_settings({"BOXOFFICE_PRINTER": "lpt1"})
