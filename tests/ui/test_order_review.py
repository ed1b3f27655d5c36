"""The order lookup after a fresh-eyes review (pytest-qt, real servers): an order of another match is named and
marked as such, the partial-refund list never moves under the mouse, Enter in the cancel dialog's fields closes
nothing, a refused approval keeps what was typed and a new attempt clears the old error, and a cancelled order looked
up later says what was refunded."""

from __future__ import annotations

import secrets

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from boxoffice.services.booking import SaleRequest
from tests.conftest import make_session
from ui.i18n import when
from ui.order_dialog import CancelOrderDialog, OrderDialog
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner

PASSWORD = "supervisor pw 1"


@pytest.fixture
def window(qtbot, app):
    runner = TaskRunner()
    windows = []

    def open_(session, username: str = "alice") -> SaleWindow:
        win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get(username))
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        return win

    yield open_
    for win in windows:
        win.close()
    runner.shutdown()


def look_up(qtbot, dialog: OrderDialog, query: str) -> None:
    dialog.query.setFocus()
    dialog.query.clear()
    qtbot.keyClicks(dialog.query, query)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)


def open_cancel(qtbot, dialog: OrderDialog) -> CancelOrderDialog:
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    confirm = dialog.cancel_dialog
    assert confirm is not None
    qtbot.waitUntil(confirm.isVisible, timeout=5000)
    return confirm


def test_an_order_of_another_match_names_that_match_and_is_marked(qtbot, app, window):
    tag = secrets.token_hex(3)
    tonight = make_session(app, name=f"Tonight {tag}")
    tomorrow = make_session(app, name=f"Tomorrow {tag}")
    mine = app.booking.sell(SaleRequest(tonight.session_id, "bob", seats=("S1-A-5",), customer_name=f"Li Na {tag}"))
    other = app.booking.sell(SaleRequest(tomorrow.session_id, "bob", seats=("S1-A-5",),
                                         customer_name=f"Li Na {tag}"))
    win = window(tonight, "bob")
    dialog = win.look_up_order()
    look_up(qtbot, dialog, f"li na {tag}")
    qtbot.waitUntil(lambda: len(dialog.found) == 2, timeout=5000)
    assert [r.order_id for r in dialog.found] == [other.order_id, mine.order_id]
    other_line, mine_line = dialog.results.item(0).text(), dialog.results.item(1).text()
    # each line names its match and its start; the other match's line is marked
    assert f"Tomorrow {tag}" in other_line and when(tomorrow.starts_at) in other_line
    assert other_line.startswith("⚠ Another match")
    assert f"Tonight {tag}" in mine_line and when(tonight.starts_at) in mine_line and "Another match" not in mine_line

    dialog.results.setCurrentRow(1)  # this window's match: no warning
    assert not dialog.other_match.isVisible() and f"Tonight {tag}" in dialog.details.text()
    dialog.results.setCurrentRow(0)  # the other match's order: a visible warning names it and its date
    warning = dialog.other_match
    assert warning.isVisible() and f"Tomorrow {tag}" in warning.text() and when(tomorrow.starts_at) in warning.text()
    assert "not this window's match" in warning.text() and not dialog.exchange_button.isEnabled()

    # the cancel confirmation names the match and its date, and warns too
    confirm = open_cancel(qtbot, dialog)
    match_line = confirm.findChild(QLabel, "cancelMatch").text()
    assert f"Tomorrow {tag}" in match_line and when(tomorrow.starts_at) in match_line
    assert confirm.other_match is not None and confirm.other_match.isVisible()
    assert f"Tomorrow {tag}" in confirm.other_match.text()
    qtbot.mouseClick(confirm.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=5000)

    # this window's own order: the confirmation names the match, with no warning
    dialog.results.setCurrentRow(1)
    confirm = open_cancel(qtbot, dialog)
    assert f"Tonight {tag}" in confirm.findChild(QLabel, "cancelMatch").text() and confirm.other_match is None
    confirm.reject()
    dialog.close()


def test_unticking_seats_never_moves_the_seat_list(qtbot, app, session, window):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-2", "S2-C-3", "S2-C-4", "S2-C-5")))
    win = window(session)
    dialog = win.look_up_order()
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    confirm = open_cancel(qtbot, dialog)
    qtbot.wait(50)
    where = confirm.seat_list.mapTo(confirm, QPoint(0, 0)), confirm.seat_list.size()
    for row in (0, 1, 3):  # each untick adds "Seats kept" or lengthens it: the list stays where it is
        rect = confirm.seat_list.visualItemRect(confirm.seat_list.item(row))
        item_at = confirm.seat_list.itemAt(rect.center())
        assert item_at is confirm.seat_list.item(row)
        item_at.setCheckState(Qt.CheckState.Unchecked)
        qtbot.wait(50)
        assert (confirm.seat_list.mapTo(confirm, QPoint(0, 0)), confirm.seat_list.size()) == where
        assert "Seats kept" in confirm.summary.text()
    confirm.seat_list.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.wait(50)
    assert (confirm.seat_list.mapTo(confirm, QPoint(0, 0)), confirm.seat_list.size()) == where
    confirm.reject()
    dialog.close()


def test_a_refused_approval_keeps_the_dialog_and_enter_closes_nothing(qtbot, app, session, window):
    boss = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(boss, boss, "supervisor", PASSWORD, actor="sam")
    r = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S2-D-7", "S2-D-8")))
    win = window(session, "alice")
    dialog = win.look_up_order()
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    confirm = open_cancel(qtbot, dialog)
    assert confirm.needs_supervisor
    confirm.seat_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.keyClicks(confirm.reason, "double booking")
    qtbot.keyClick(confirm.reason, Qt.Key.Key_Return)  # Enter in a field: nothing closes, nothing is lost
    qtbot.keyClicks(confirm.supervisor, boss)
    qtbot.keyClick(confirm.supervisor, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert confirm.isVisible() and confirm.reason.text() == "double booking" and confirm.supervisor.text() == boss
    qtbot.keyClicks(confirm.password, "wrong one")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "wrong password" in confirm.error.text(), timeout=10_000)
    # refused: the dialog stays with the ticks, the reason and the name; only the password is typed again
    assert confirm.isVisible() and confirm.error.isVisible() and confirm.password.text() == ""
    assert confirm.reason.text() == "double booking" and confirm.supervisor.text() == boss
    assert confirm.seats() == [app.catalog.layout(session.venue_id).by_label["S2-D-8"].index]
    assert app.orders.get(r.order_id).status == "paid" and confirm.password.hasFocus()
    # the lookup's own line of the refusal is read whole (wraps, never cut off)
    qtbot.wait(50)
    label = dialog.details
    assert "Not cancelled" in label.text()
    assert label.width() <= dialog.details_area.viewport().width()
    assert label.height() >= label.heightForWidth(label.width())
    # a new attempt clears the old error at once
    qtbot.keyClicks(confirm.password, PASSWORD)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert "wrong password" not in confirm.error.text()
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=10_000)
    assert app.orders.get(r.order_id).seats == ("S2-D-7",)
    dialog.close()


def test_a_cancelled_order_looked_up_later_says_what_was_refunded(qtbot, app, session, window):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-D-2", "S2-D-3")))
    app.desk.cancel(app.accounts.get("alice"), r.order_id, "rain")
    win = window(session)
    dialog = win.look_up_order()
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    assert dialog.order.status == "cancelled"
    assert f"Refunded {r.total} (cash)" in dialog.details.text()
    dialog.close()
