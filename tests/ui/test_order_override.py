"""The cancel dialog of the order lookup (Ctrl+L): names the order, seats and refund, defaults to keeping the order,
and asks for a supervisor's name and password when the clerk may not cancel alone (pytest-qt, real servers)."""

from __future__ import annotations

import secrets

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import text

from boxoffice.services.booking import SaleRequest
from ui.order_dialog import CancelOrderDialog, OrderDialog
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner

PASSWORD = "supervisor pw 1"


@pytest.fixture
def lookup(qtbot, app, session):
    """Opens a sale window for a user and its order lookup (Ctrl+L) on an order found by its number."""
    runner = TaskRunner()
    windows = []

    def open_(username: str, order_id: int) -> OrderDialog:
        win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get(username))
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        dialog = win.look_up_order()
        dialog.query.setText(str(order_id))
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == order_id, timeout=5000)
        return dialog

    yield open_
    for win in windows:
        win.close()
    runner.shutdown()


def clerk(app) -> str:
    name = f"c{secrets.token_hex(4)}"
    app.accounts.add_user(name, name, "clerk", "clerk password", actor="sam")
    return name


def supervisor(app) -> str:
    name = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(name, name, "supervisor", PASSWORD, actor="sam")
    return name


def status(app, order_id: int) -> str:
    return app.orders.get(order_id).status


def open_cancel(qtbot, dialog: OrderDialog) -> CancelOrderDialog:
    assert dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    confirm = dialog.cancel_dialog
    assert confirm is not None
    qtbot.waitUntil(confirm.isVisible, timeout=5000)
    return confirm


def test_another_clerks_order_is_cancelled_only_with_a_supervisors_name_and_password(qtbot, app, session, lookup):
    seller, me, boss = clerk(app), clerk(app), supervisor(app)
    r = app.booking.sell(SaleRequest(session.session_id, seller, seats=("S2-D-3", "S2-D-4")))
    dialog = lookup(me, r.order_id)
    confirm = open_cancel(qtbot, dialog)
    # the confirmation names the order, its seats and the refund, and asks for a supervisor
    summary = confirm.findChild(type(confirm.error), "cancelSummary").text()
    assert str(r.order_id) in summary and "S2-D-3, S2-D-4" in summary and str(r.total) in summary
    assert confirm.needs_supervisor and confirm.supervisor.isVisibleTo(confirm)
    assert seller in confirm.findChild(type(confirm.error), "overrideNotice").text()
    # no button is a default: Enter in the reason closes nothing (and cancels nothing); Keep closes
    assert not any(b.isDefault() or b.autoDefault() for b in (confirm.keep_button, confirm.confirm_button))
    confirm.reason.setText("customer ill")
    qtbot.keyClick(confirm.reason, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert confirm.isVisible() and confirm.reason.text() == "customer ill" and status(app, r.order_id) == "paid"
    qtbot.mouseClick(confirm.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=5000)
    assert confirm.result() == QDialog.DialogCode.Rejected and status(app, r.order_id) == "paid"

    # without the supervisor's name and password the dialog does not even ask the service
    confirm = open_cancel(qtbot, dialog)
    confirm.reason.setText("customer ill")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert confirm.isVisible() and "supervisor" in confirm.error.text()

    # a wrong password is refused and nothing is cancelled; the dialog stays with what was typed (but the password)
    confirm.supervisor.setText(boss)
    confirm.password.setText("not the password")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not cancelled" in dialog.details.text(), timeout=10_000)
    assert "wrong password" in dialog.details.text() and status(app, r.order_id) == "paid"
    assert dialog.order.status == "paid" and confirm.password.text() == ""
    assert confirm.isVisible() and "wrong password" in confirm.error.text() and confirm.error.isVisible()
    assert confirm.reason.text() == "customer ill" and confirm.supervisor.text() == boss
    assert confirm.confirm_button.isEnabled()

    # the supervisor's password typed again: the old error goes at once; cancelled, recorded beside the clerk
    confirm.password.setText(PASSWORD)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert "wrong password" not in confirm.error.text()
    qtbot.waitUntil(lambda: dialog.order.status == "cancelled", timeout=10_000)
    assert status(app, r.order_id) == "cancelled" and not dialog.cancel_button.isEnabled()
    with app.uow() as tx:
        row = tx.session.execute(text(
            "SELECT u.username, a.reason, a.details FROM audit_log a JOIN users u ON u.id = a.actor_id "
            "WHERE a.order_id = :o AND a.action = 'cancel'"), {"o": r.order_id}).one()
    assert (row.username, row.reason, row.details["approved_by"]) == (me, "customer ill", boss)


def test_a_clerks_own_order_of_today_needs_no_supervisor(qtbot, app, session, lookup):
    me = clerk(app)
    r = app.booking.sell(SaleRequest(session.session_id, me, seats=("S2-D-5",)))
    dialog = lookup(me, r.order_id)
    confirm = open_cancel(qtbot, dialog)
    assert not confirm.needs_supervisor and confirm.findChild(type(confirm.error), "overrideNotice") is None
    assert not confirm.keep_button.isDefault() and not confirm.confirm_button.isDefault()
    confirm.reason.setText("wrong match")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order.status == "cancelled", timeout=10_000)
    assert status(app, r.order_id) == "cancelled"
