"""Issue 13, items 4 and 5: the sale panel after a sale and after Esc, and a seat another window takes out of the
selection. Real servers; the keys go where the keyboard focus is, as a clerk's would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from boxoffice.services.booking import SaleRequest


def type_key(qtbot, key: Qt.Key) -> None:
    """One key where the keyboard focus is (the shortcuts see it first, as they do for a clerk)."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


def orders_of(app, session) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :s"),
                                  {"s": session.session_id}).scalar_one()


def test_after_a_sale_and_after_esc_the_panel_is_clean_and_digits_set_n_again(qtbot, app, session, open_window):
    """The review's sequence: after a sale with cash typed in, 3 then F2 put the 3 into the cash field and picked 4
    seats; Esc cleared the seats but left "3" and "Change 3.00" against a total of 0.00, and the next sale was
    refused "… short"."""
    win = open_window()
    type_key(qtbot, Qt.Key.Key_4)
    assert win.best_n.value() == 4
    win.map.select([2, 3])  # S1-A-3, S1-A-4: 40.00
    win.cash_given.setFocus()
    qtbot.keyClicks(win.cash_given, "50")
    assert win.change.text() == "Change 10.00"
    type_key(qtbot, Qt.Key.Key_Return)  # sold from the cash field
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert win.cash_given.text() == "" and win.change.text() == "" and win.seats.count() == 0
    # the change stays on screen (in the message) while the clerk counts it out — the review found it gone
    order_id = int(win.message.text().split()[1].rstrip(":"))
    assert win.message.text().split("\n")[0] == f"Order {order_id}: S1-A-3, S1-A-4 — 40.00 — cash 50.00, change 10.00"
    assert QApplication.focusWidget() is win.map  # the keyboard is back on the map

    type_key(qtbot, Qt.Key.Key_3)  # a digit sets N again ...
    assert win.best_n.value() == 3 and win.cash_given.text() == ""  # ... and is not cash
    type_key(qtbot, Qt.Key.Key_F2)  # zone B, best 3
    qtbot.waitUntil(lambda: len(win.map.selected) == 3, timeout=5000)
    assert {win.layout_.seats[i].zone for i in win.map.selected} == {"B"}
    win.cash_given.setFocus()
    qtbot.keyClicks(win.cash_given, "3")
    assert win.change.text() == "34.50 short"
    type_key(qtbot, Qt.Key.Key_Escape)  # the customer walks away
    assert win.map.selected == set() and win.seats.count() == 0 and win.total.text() == "Total 0.00"
    assert win.cash_given.text() == "" and win.change.text() == ""
    assert QApplication.focusWidget() is win.map

    type_key(qtbot, Qt.Key.Key_2)
    assert win.best_n.value() == 2 and win.cash_given.text() == ""
    win.map.select([4])  # S1-A-5: 20.00
    type_key(qtbot, Qt.Key.Key_Return)  # exact cash: no old amount makes it "short"
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert app.orders.get(int(win.message.text().split()[1].rstrip(":"))).seats == ("S1-A-5",)


def test_a_seat_sold_at_another_window_is_announced_and_enter_asks_before_selling_the_rest(qtbot, app, session,
                                                                                        open_window):
    """The review: with two seats selected, another terminal's sale of one dropped it from the selection without a
    word, and Enter sold only the other."""
    win = open_window()
    win.map.select([11, 12])  # S1-B-2, S1-B-3
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-2",)))  # another window sells one
    qtbot.waitUntil(lambda: win.map.selected == {12}, timeout=5000)  # the live map drops it ...
    qtbot.waitUntil(lambda: "at another window: S1-B-2." in win.message.text(), timeout=2000)  # ... and says so
    assert win.flash.flashing and win.flash.seats == (11,)  # the seat flashes (rings blink around it)
    first = win.seats.item(0)
    assert first.text().startswith("S1-B-2") and first.font().strikeOut()  # struck out in the panel
    assert win.seats.count() == 2 and win.total.text() == "Total 20.00"  # the total is the rest's
    qtbot.waitUntil(lambda: win.map.state(11) == "sold", timeout=5000)
    qtbot.waitUntil(lambda: win.message.text() == "Sold at another window: S1-B-2. It left your selection: Enter asks "
                                                  "before selling the rest.", timeout=2000)  # held, then sold: said
    before = orders_of(app, session)

    type_key(qtbot, Qt.Key.Key_Return)  # the first Enter asks ...
    assert win.message.text() == "Sold at another window: S1-B-2. Sell S1-B-3 only? Press Enter to confirm."
    qtbot.wait(300)
    assert orders_of(app, session) == before  # ... and sells nothing
    type_key(qtbot, Qt.Key.Key_Return)  # the next one sells the rest
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert app.orders.get(int(win.message.text().split()[1].rstrip(":"))).seats == ("S1-B-3",)
    assert not win.flash.flashing and win.seats.count() == 0

    win.map.select([13])  # S1-B-4, and another window takes the whole selection
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-4",)))
    qtbot.waitUntil(lambda: "Select other seats." in win.message.text(), timeout=5000)
    assert not win.sell_button.isEnabled() and "S1-B-4" in win.message.text()
    win.map.select([14])  # the clerk picks another seat: they have seen it, Enter sells at once
    assert not win.flash.flashing
    type_key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)


def test_own_sales_and_holds_are_not_announced_as_another_windows(qtbot, app, session, open_window):
    """This window's own sale and hold take the seats too (the live map hears of them): no false alarm."""
    win = open_window()
    win.map.select([21, 22])
    type_key(qtbot, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    qtbot.waitUntil(lambda: win.map.state(21) == "own", timeout=5000)
    qtbot.wait(300)
    assert not win.dropped and "another window" not in win.message.text()
    type_key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    win.map.select([23, 24])
    type_key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order") and "S2-C-4" in win.message.text(),
                    timeout=10_000)
    qtbot.waitUntil(lambda: win.map.state(23) == "sold", timeout=5000)
    qtbot.wait(300)
    assert not win.dropped and not win.flash.flashing and "another window" not in win.message.text()
