"""Printing from the window (pytest-qt, real servers): the order dialog's Reprint goes through the reprint service
(the old codes stop verifying; a second reprint asks for a supervisor in the override box), the printer settings
dialog keeps this workstation's printer in QSettings and test-prints, and a sale's tickets go to that printer (an
ESC/POS device file here: the drawer kick comes before the first ticket)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from boxoffice.errors import BadInput
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD
from ui import printer_settings
from ui.printer_settings import KEY, PrinterSettingsDialog, workstation_printer
from ui.printing import print_order
from ui.reprint_dialog import ReprintOverrideDialog
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner

#: where the dialogs' pictures go (BOXOFFICE_SHOTS; a look at them, not an assertion), else the test's own folder
SHOTS = Path(os.environ.get("BOXOFFICE_SHOTS", "")) if os.environ.get("BOXOFFICE_SHOTS") else None


@pytest.fixture
def prefs(tmp_path, monkeypatch):
    """This workstation's settings in a file of the test's own (never the machine's)."""
    store = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(printer_settings, "settings_store", lambda: store)
    return store


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def lookup(qtbot, app, session, runner, prefs, tmp_path):
    """A sale window of ``username`` and its order lookup showing ``order_id``; tickets written under tmp_path."""
    windows = []

    def open_(username: str, order_id: int):
        win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get(username))
        win.tickets_dir = tmp_path
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        dialog = win.look_up_order()
        dialog.tickets_dir = tmp_path
        dialog.query.setText(str(order_id))
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == order_id, timeout=5000)
        return dialog

    yield open_
    for win in windows:
        win.ask_before_closing = False
        win.close()


def test_reprint_then_a_second_one_with_a_supervisor(qtbot, app, session, lookup, tmp_path):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-1", "S2-C-2")))
    old = dict(app.tickets.codes(r))
    dialog = lookup("alice", r.order_id)

    ask = dialog.on_reprint_button_clicked()  # the first reprint is the clerk's own call, after a question
    assert isinstance(ask, QMessageBox) and ask.defaultButton() is ask.button(QMessageBox.StandardButton.No)
    text = ask.text()
    assert f"order {r.order_id}" in text and "2 ticket" in text and "stop working" in text
    ask.grab().save(str((SHOTS or tmp_path) / "reprint-confirm.png"))
    qtbot.mouseClick(ask.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert all(ln.reprint == 0 for ln in app.orders.get(r.order_id).lines), "No reprints nothing"
    assert app.tickets.verify(old["S2-C-1"]).valid, "the printed tickets still work"
    ask = dialog.on_reprint_button_clicked()
    qtbot.mouseClick(ask.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reprint 1:" in dialog.details.text(), timeout=10_000)
    assert (tmp_path / f"order-{r.order_id}-reprint-1.pdf").exists()
    assert all(ln.reprint == 1 for ln in dialog.order.lines)
    assert app.tickets.verify(old["S2-C-1"]).reason == "replaced by reprint 1"

    override = dialog.on_reprint_button_clicked()
    assert isinstance(override, ReprintOverrideDialog), "a second reprint asks for a supervisor first"
    qtbot.waitUntil(override.isVisible, timeout=3000)
    assert "Reprint 2" in override.findChild(type(override.error), "overrideNotice").text()
    override.supervisor.setText("sam")
    override.password.setText("wrong password")
    qtbot.mouseClick(override.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: override.error.text().startswith("Not reprinted"), timeout=10_000)
    assert override.isVisible() and override.supervisor.text() == "sam" and override.password.text() == ""
    assert all(ln.reprint == 1 for ln in app.orders.get(r.order_id).lines), "nothing reprinted"
    override.grab().save(str((SHOTS or tmp_path) / "reprint-override.png"))

    override.password.setText(TEST_PASSWORD)
    qtbot.mouseClick(override.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reprint 2:" in dialog.details.text(), timeout=10_000)
    assert not override.isVisible()
    assert (tmp_path / f"order-{r.order_id}-reprint-2.pdf").exists()
    assert all(ln.reprint == 2 for ln in app.orders.get(r.order_id).lines)


def test_a_supervisor_reprints_again_without_the_box(qtbot, app, session, lookup):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-3",)))
    app.tickets.reprint(r.order_id, "alice")
    dialog = lookup("sam", r.order_id)
    ask = dialog.on_reprint_button_clicked()
    assert isinstance(ask, QMessageBox)
    qtbot.mouseClick(ask.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reprint 2:" in dialog.details.text(), timeout=10_000)


def test_printer_settings_save_test_print_and_default(qtbot, app, runner, prefs, tmp_path):
    dialog = PrinterSettingsDialog(app.desk, runner, store=prefs, tickets_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pdf.isChecked() and "BOXOFFICE_PRINTER" in dialog.default_line.text()

    dialog.network.setChecked(True)
    dialog.host.setText("bad host")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not a host name" in dialog.status.text() and dialog.isVisible()
    assert prefs.value(KEY) is None

    device = tmp_path / "lp0"
    dialog.device.setChecked(True)
    assert dialog.path.isEnabled() and not dialog.host.isEnabled()
    dialog.path.setText(str(device))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Test page printed"), timeout=10_000)
    printed = device.read_bytes()
    assert b"BOX OFFICE TEST PRINT" in printed and b"\x1d(k" in printed and b"\x1dV" in printed
    dialog.grab().save(str((SHOTS or tmp_path) / "printer-settings.png"))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert prefs.value(KEY) == f"escpos:file:{device}"
    assert workstation_printer(app.desk, prefs) == f"escpos:file:{device}"

    again = PrinterSettingsDialog(app.desk, runner, store=prefs, tickets_dir=tmp_path)
    qtbot.addWidget(again)
    assert again.device.isChecked() and again.path.text() == str(device), "the saved choice is shown"
    qtbot.mouseClick(again.default_button, Qt.MouseButton.LeftButton)
    assert prefs.value(KEY) is None and workstation_printer(app.desk, prefs) == "pdf"


def test_a_test_print_to_a_pdf(qtbot, app, runner, prefs, tmp_path):
    dialog = PrinterSettingsDialog(app.desk, runner, store=prefs, tickets_dir=tmp_path)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Test page printed"), timeout=10_000)
    assert (tmp_path / "test-print.pdf").read_bytes()[:5] == b"%PDF-"


def test_an_unknown_system_printer_names_the_ones_there_are(app, session):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-4",)))
    with pytest.raises(BadInput, match="no system printer named 'No Such Printer'; this computer has: "):
        print_order(r, session, app.desk.ticket_sheet(r), "system:No Such Printer")


def test_a_sale_prints_on_the_workstations_escpos_printer(qtbot, app, session, prefs, tmp_path, open_window):
    device = tmp_path / "till-printer"
    prefs.setValue(KEY, f"escpos:file:{device}")
    window = open_window("alice")
    window.map.select([26, 27])
    window.cash_given.setText("100")
    qtbot.mouseClick(window.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_tickets is not None, timeout=10_000)
    assert window.last_tickets == f"escpos:file:{device}"
    printed = device.read_bytes()
    assert b"\x1bp" in printed and printed.index(b"\x1bp") < printed.index(b"SEAT ") < printed.index(b"\x1d(k")
    assert printed.count(b"\x1dV") == 3  # two tickets and the receipt
    window.printer_action.trigger()
    settings = window.findChild(PrinterSettingsDialog)
    qtbot.waitUntil(lambda: settings is not None and settings.isVisible(), timeout=3000)
    assert settings.device.isChecked()
    settings.reject()
