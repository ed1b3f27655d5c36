"""Price types at the clerk's window: T cycles the type of the seats (the rows picked in the selection list, else
all of them), the list shows each seat's type and price and the total follows; a complimentary ticket asks for a
supervisor's name and password in the window, and the sale goes through with them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.conftest import TEST_PASSWORD

PRICE_LIST = {"types": [
    {"code": "adult", "name": "Adult", "prices": {"*": "+0.00"}},
    {"code": "child", "name": "Child", "notice": "check proof of age", "prices": {"*": "-40%"}},
    {"code": "senior", "name": "Senior", "notice": "check ID (65+)", "prices": {"*": "-25%"}},
    {"code": "comp", "name": "Complimentary", "notice": "complimentary — not for resale", "prices": {"*": "0"}},
]}


def opened(qtbot, app, session, open_window, user="alice"):
    app.pricing.import_list(PRICE_LIST, "sam", venue_id=session.venue_id)
    win = open_window(user)
    qtbot.waitUntil(lambda: win.seat_types.price_list is not None
                    and len(win.seat_types.price_list.types) == 4, timeout=5000)
    return win


def rows(win) -> list[str]:
    return [win.seats.item(k).text() for k in range(win.seats.count())]


def lines(app, order_id: int) -> list[tuple[str, str, Decimal]]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT label, price_type, price FROM order_lines WHERE order_id = :o ORDER BY seat_idx"),
            {"o": order_id})]


def test_t_cycles_the_types_and_the_total_follows(qtbot, app, session, open_window):
    win = opened(qtbot, app, session, open_window)
    win.map.select([4, 5, 20])  # S1-A-5, S1-A-6 (zone A, 20.00), S2-C-1 (zone B, 12.50)
    assert win.total.text() == "Total 52.50" and all("Adult" in r for r in rows(win))
    qtbot.keyClick(win, Qt.Key.Key_T)  # no row picked: every seat is a child
    assert all("Child" in r for r in rows(win)) and win.total.text() == "Total 31.50"  # 12 + 12 + 7.50
    assert "check proof of age" in win.message.text()
    assert win.total_due == Decimal("31.50")  # what the payment panel reads
    win.seats.item(0).setSelected(True)  # pick S1-A-5 alone: T changes only it
    qtbot.keyClick(win, Qt.Key.Key_T)
    assert "Senior" in rows(win)[0] and "15.00" in rows(win)[0] and "Child" in rows(win)[1]
    assert win.total.text() == "Total 34.50"  # 15 + 12 + 7.50
    assert win.seats.item(0).isSelected()  # the pick survives the refresh
    win.seats.clearSelection()
    win.seats.item(2).setSelected(True)
    qtbot.keyClick(win, Qt.Key.Key_T)
    qtbot.keyClick(win, Qt.Key.Key_T)  # child → senior → comp for S2-C-1
    assert "Complimentary" in rows(win)[2] and win.total.text() == "Total 27.00"
    assert win.override.isVisibleTo(win)  # a clerk selling a comp: the supervisor box shows
    qtbot.keyClick(win, Qt.Key.Key_T)  # comp → adult (wraps round)
    assert "Adult" in rows(win)[2] and win.total.text() == "Total 39.50"
    assert not win.override.isVisibleTo(win)


def test_a_comp_asks_for_a_supervisor_and_sells_with_one(qtbot, app, session, open_window):
    win = opened(qtbot, app, session, open_window)
    win.map.select([6, 7])  # S1-A-7, S1-A-8
    win.seats.item(0).setSelected(True)
    for _ in range(3):  # adult → child → senior → comp
        qtbot.keyClick(win, Qt.Key.Key_T)
    assert "Complimentary" in rows(win)[0] and win.total.text() == "Total 20.00"
    assert win.override.isVisibleTo(win) and "Complimentary" in win.override.notice.text()
    qtbot.keyClick(win, Qt.Key.Key_Return)  # no name and password: the window asks, nothing is sold
    assert "supervisor" in win.message.text() and win.map.selected == {6, 7}
    win.override.supervisor.setText("sam")
    win.override.password.setText("not the password")
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.sell_button.isEnabled() and win.message.text() != "Selling…", timeout=10_000)
    assert not win.message.text().startswith("Order") and win.override.password.text() == ""
    win.override.password.setText(TEST_PASSWORD)
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    order_id = int(win.message.text().split()[1].rstrip(":"))
    assert lines(app, order_id) == [("S1-A-7", "comp", Decimal("0.00")), ("S1-A-8", "adult", Decimal("20.00"))]
    assert not win.override.isVisibleTo(win) and win.override.supervisor.text() == ""


def test_a_supervisor_sells_a_comp_without_the_box(qtbot, app, session, open_window):
    win = opened(qtbot, app, session, open_window, user="sam")
    win.map.select([8])
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_T)
    assert "Complimentary" in rows(win)[0] and not win.override.isVisibleTo(win)
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    order_id = int(win.message.text().split()[1].rstrip(":"))
    assert lines(app, order_id) == [("S1-A-9", "comp", Decimal("0.00"))]


def test_the_exchange_dialog_prices_new_seats_at_the_moved_seats_type(qtbot, app, session, open_window):
    from boxoffice.services.booking import SaleRequest
    from tests.ui.test_order_walkthrough import click_seat, ctrl_l, index, look_up

    win = opened(qtbot, app, session, open_window)
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-B-5",), price_types=("child",)))
    assert r.total == Decimal("12.00")
    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, "S1-B-5")
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == r.order_id, timeout=5000)
    qtbot.mouseClick(dialog.exchange_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.exchange_dialog is not None and dialog.exchange_dialog.isVisible(), timeout=5000)
    ex = dialog.exchange_dialog
    qtbot.waitUntil(lambda: ex.map.version >= 0 and ex.price_list is not None, timeout=5000)
    qtbot.wait(100)
    click_seat(qtbot, ex.map, index(app, session, "S2-D-9"))  # zone B: a child pays 7.50 there, not 12.50
    assert "7.50" in ex.picked.item(0).text()
    assert "Refund to the customer: 4.50" in ex.difference.text()
    ex.reason.setText("back row")
    qtbot.mouseClick(ex.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order.seats == ("S2-D-9",), timeout=10_000)
    assert lines(app, r.order_id)[-1] == ("S2-D-9", "child", Decimal("7.50"))
    dialog.close()
