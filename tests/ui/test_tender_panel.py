"""The tender entry at the clerk's window: one method as before, or split — card and voucher typed, the rest in
cash shown live, change from the cash handed over — and the order is written with exactly those tenders."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from sqlalchemy import text

D = Decimal


def payments(app, order_id: int) -> list[tuple]:
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(text(
            "SELECT method, amount, tendered FROM payments WHERE order_id = :o AND kind = 'payment' ORDER BY id"),
            {"o": order_id})]


def test_a_split_payment_shows_the_rest_live_and_sells_with_those_tenders(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([4, 5, 6])  # S1-A-5..7: 60.00
    assert not win.tender.split_box.isVisibleTo(win)
    win.tender.split.setChecked(True)
    assert win.tender.split_box.isVisibleTo(win) and not win.payment.isEnabled()
    qtbot.keyClicks(win.tender.card, "35")
    assert win.tender.rest.text() == "Rest in cash 25.00"
    qtbot.keyClicks(win.tender.voucher, "5")
    assert win.tender.rest.text() == "Rest in cash 20.00"
    qtbot.keyClicks(win.cash_given, "50")
    assert win.change.text() == "Change 30.00"
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert "Card 35.00 + Voucher 5.00 + Cash 20.00" in win.message.text()
    assert "cash 50.00, change 30.00" in win.message.text()
    order_id = int(win.message.text().split()[1].rstrip(":"))
    assert payments(app, order_id) == [("card", D("35.00"), None), ("voucher", D("5.00"), None),
                                       ("cash", D("20.00"), D("50.00"))]
    # the panel is clean for the next customer: one method, nothing typed
    assert not win.tender.split.isChecked() and win.tender.card.text() == "" and win.cash_given.text() == ""


def test_card_and_voucher_above_the_total_are_refused_in_the_window(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([7])  # S1-A-8: 20.00
    win.tender.split.setChecked(True)
    qtbot.keyClicks(win.tender.card, "25")
    assert win.tender.rest.text() == "5.00 too much on card and voucher"
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    assert win.message.text() == "Card and voucher come to 5.00 more than the total 20.00."
    with app.uow() as tx:
        sold = tx.session.execute(text("SELECT count(*) FROM order_lines WHERE session_id = :s AND seat_idx = 7"),
                                  {"s": session.session_id}).scalar_one()
    assert sold == 0 and win.map.selected == {7}


def test_a_voucher_pays_the_whole_amount_and_takes_no_cash(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([8])  # S1-A-9: 20.00
    win.payment.setCurrentIndex(win.payment.findData("voucher"))
    assert not win.cash_given.isEnabled()
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    order_id = int(win.message.text().split()[1].rstrip(":"))
    assert payments(app, order_id) == [("voucher", D("20.00"), None)]
