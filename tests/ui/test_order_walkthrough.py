"""Walkthroughs of issue 13, items 16 and 17 (pytest-qt, real servers): a clerk at the window

- notes a customer's name and phone on a sale (optional; typing them triggers no shortcut), finds the order again by
  name or phone with Ctrl+L, picks it from the list of matches;
- cancels some seats of an order (a partial refund) — the confirmation names the order, the seats that go and the
  refund, and keeps the order by default;
- exchanges a seat by picking the new one on the map; an exchange that refunds on another clerk's order asks for a
  supervisor's name and password, as a cancel does.
"""

from __future__ import annotations

import os
import secrets
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from boxoffice.services.booking import SaleRequest
from ui.exchange_dialog import ExchangeDialog
from ui.order_dialog import OrderDialog
from ui.sale_window import SaleWindow

PASSWORD = "supervisor pw 1"




def ctrl_l(qtbot, win: SaleWindow) -> OrderDialog:
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.findChild(OrderDialog) is not None, timeout=5000)
    dialog = win.findChild(OrderDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def look_up(qtbot, dialog: OrderDialog, query: str) -> None:
    dialog.query.setFocus()
    dialog.query.clear()
    qtbot.keyClicks(dialog.query, query)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)


def index(app, session, label: str) -> int:
    return app.catalog.layout(session.venue_id).by_label[label].index


def click_seat(qtbot, seat_map, seat: int) -> None:
    qtbot.mouseClick(seat_map, Qt.MouseButton.LeftButton, pos=seat_map.to_widget(seat).toPoint())


def test_a_named_sale_is_found_again_by_name_or_phone(qtbot, app, session, open_window):
    win = open_window()
    tag = secrets.token_hex(3)
    # a phone of this test alone (other tests of the run note phones too; a search matches a phone's last digits)
    digits = f"{secrets.randbelow(10**6):06d}"
    phone, typed = f"07700 9{digits}", f"077009{digits}"
    # typing letters and digits in the customer fields types them: no shortcut (B, H, digits) fires
    win.customer_name.setFocus()
    qtbot.keyClicks(win.customer_name, f"Hana Bell {tag}")
    qtbot.keyClicks(win.customer_phone, phone)
    assert win.customer_name.text() == f"Hana Bell {tag}" and win.customer_phone.text() == phone
    assert win.held is None and win.best_n.value() == 2 and not win.map.selected
    click_seat(qtbot, win.map, index(app, session, "S1-B-6"))
    assert win.map.selected == {index(app, session, "S1-B-6")}
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    first = int(win.message.text().split()[1].rstrip(":"))
    assert win.customer_name.text() == "" and win.customer_phone.text() == ""  # the next customer starts clean
    # a second order of the same family, and a walk-up sale: no name, as fast as ever
    second = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-7",),
                                          customer_name=f"Tom Bell {tag}"))
    walk_up = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-8",)))
    assert walk_up.customer_name is None

    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, f"bell {tag}")
    qtbot.waitUntil(lambda: len(dialog.found) == 2, timeout=5000)
    assert dialog.results.isVisible() and dialog.order is None  # several: listed, none acted on yet
    assert not dialog.cancel_button.isEnabled()
    assert [r.order_id for r in dialog.found] == [second.order_id, first]
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # Down goes to the list: the newest match is shown
    assert dialog.order.order_id == second.order_id
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    assert dialog.order.order_id == first and f"Hana Bell {tag}" in dialog.details.text()
    assert typed in dialog.details.text() and dialog.cancel_button.isEnabled()
    look_up(qtbot, dialog, phone)
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == first, timeout=5000)
    assert not dialog.results.isVisible()
    look_up(qtbot, dialog, "S1-B-8")  # a seat label of this session: the walk-up sale
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == walk_up.order_id, timeout=5000)
    # cancelled from the list of matches: the list shows the order as it is now
    look_up(qtbot, dialog, f"bell {tag}")
    qtbot.waitUntil(lambda: len(dialog.found) == 2, timeout=5000)
    dialog.results.setCurrentRow(1)
    dialog.cancel("changed plans")
    qtbot.waitUntil(lambda: "(cancelled)" in dialog.results.item(1).text(), timeout=5000)
    assert dialog.order.status == "cancelled" and not dialog.cancel_button.isEnabled()
    dialog.close()


def test_cancel_some_seats_of_an_order_with_a_partial_refund(qtbot, app, session, open_window):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-A-2", "S1-A-3", "S2-C-2")))
    win = open_window()
    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    confirm = dialog.cancel_dialog
    qtbot.waitUntil(confirm.isVisible, timeout=5000)
    assert not confirm.keep_button.isDefault() and not confirm.confirm_button.isDefault()
    summary = confirm.findChild(QLabel, "cancelSummary")
    assert "S1-A-2, S1-A-3, S2-C-2" in summary.text() and "52.50" in summary.text()  # the whole order at first
    # the customer keeps S1-A-2 and S2-C-2: untick them
    for row in (0, 2):
        confirm.seat_list.item(row).setCheckState(Qt.CheckState.Unchecked)
    text = summary.text()
    assert f"order {r.order_id}" in text and "Seats cancelled: S1-A-3" in text and "refund 20.00" in text
    assert "Seats kept: S1-A-2, S2-C-2" in text
    assert confirm.confirm_button.text() == "Cancel these seats and refund"
    qtbot.keyClicks(confirm.reason, "one friend is ill")
    qtbot.keyClick(confirm.reason, Qt.Key.Key_Return)  # Enter closes nothing: nothing cancelled, nothing lost
    qtbot.wait(100)
    assert confirm.isVisible() and confirm.chosen() == [index(app, session, "S1-A-3")]
    assert app.orders.get(r.order_id).seats == ("S1-A-2", "S1-A-3", "S2-C-2")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.seats == ("S1-A-2", "S2-C-2"), timeout=5000)
    assert dialog.order.status == "paid" and dialog.order.total == Decimal("32.50")
    assert not dialog.results.isVisible()  # one match: shown, no list
    assert "Refunded 20.00" in dialog.details.text() and dialog.cancel_button.isEnabled()
    a3 = index(app, session, "S1-A-3")
    qtbot.waitUntil(lambda: win.map.state(a3) == "free", timeout=5000)  # the sale window's map follows
    dialog.close()


def test_exchange_a_seat_by_picking_the_new_one_on_the_map(qtbot, app, session, open_window):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-A-6", "S1-A-7")))
    win = open_window()
    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, "S1-A-7")
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.order_id == r.order_id, timeout=5000)
    qtbot.mouseClick(dialog.exchange_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.exchange_dialog is not None and dialog.exchange_dialog.isVisible(), timeout=5000)
    ex: ExchangeDialog = dialog.exchange_dialog
    qtbot.waitUntil(lambda: ex.map.version >= 0, timeout=5000)
    qtbot.wait(100)  # the map centres on the order once shown
    assert not ex.keep_button.isDefault() and not ex.confirm_button.isDefault()
    assert not ex.confirm_button.isEnabled()  # nothing picked yet
    ex.moving.item(0).setCheckState(Qt.CheckState.Unchecked)  # S1-A-6 stays
    assert ex.count.text() == "0 of 1 new seats picked."
    click_seat(qtbot, ex.map, index(app, session, "S1-A-9"))
    assert ex.count.text() == "1 of 1 new seats picked." and ex.confirm_button.isEnabled()
    assert "Same price" in ex.difference.text() and not ex.override_group.isVisible()
    qtbot.keyClicks(ex.reason, "closer to the aisle")
    qtbot.keyClick(ex.reason, Qt.Key.Key_Return)  # Enter in the reason closes nothing: the seat picked stays
    qtbot.wait(100)
    assert ex.isVisible() and ex.count.text() == "1 of 1 new seats picked."
    qtbot.mouseClick(ex.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order.seats == ("S1-A-6", "S1-A-9"), timeout=10_000)
    assert not ex.isVisible() and "Exchanged: S1-A-7 → S1-A-9" in dialog.details.text()
    # new tickets are written at once, and the dialog says where (review finding: an exchange printed nothing)
    qtbot.waitUntil(lambda: "Tickets: " in dialog.details.text(), timeout=10_000)
    written = Path(dialog.details.text().split("Tickets: ")[-1].strip())
    assert written.exists() and f"order-{dialog.order.order_id}-exchange-" in written.name
    qtbot.waitUntil(lambda: win.map.state(index(app, session, "S1-A-7")) == "free", timeout=5000)
    dialog.close()


def test_an_exchange_that_refunds_on_another_clerks_order_asks_for_a_supervisor(qtbot, app, session, open_window, tmp_path):
    boss = f"s{secrets.token_hex(4)}"
    app.accounts.add_user(boss, boss, "supervisor", PASSWORD, actor="sam")
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-B-2",)))  # zone A, 20.00
    win = open_window("bob")
    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    qtbot.mouseClick(dialog.exchange_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.exchange_dialog is not None and dialog.exchange_dialog.isVisible(), timeout=5000)
    ex = dialog.exchange_dialog
    qtbot.waitUntil(lambda: ex.map.version >= 0, timeout=5000)
    qtbot.wait(100)  # the map centres on the order once shown
    click_seat(qtbot, ex.map, index(app, session, "S2-D-6"))  # zone B, 12.50: a refund of 7.50
    assert "Refund to the customer: 7.50" in ex.difference.text()
    # how it goes back: paid in cash, so all of it in cash
    qtbot.waitUntil(lambda: "Give 7.50 in cash" in ex.difference.text(), timeout=5000)
    ex.grab().save(str(Path(os.environ.get("BOXOFFICE_SHOTS") or tmp_path) / "exchange-refund.png"))
    assert ex.override_group.isVisible() and "alice" in ex.findChild(QLabel, "overrideNotice").text()
    qtbot.keyClicks(ex.reason, "cheaper seat")
    qtbot.mouseClick(ex.confirm_button, Qt.MouseButton.LeftButton)
    assert "supervisor must type" in ex.error.text() and ex.isVisible()  # nothing sent without them
    qtbot.keyClicks(ex.supervisor, boss)
    qtbot.keyClicks(ex.password, PASSWORD)
    qtbot.mouseClick(ex.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order.seats == ("S2-D-6",), timeout=10_000)
    assert dialog.order.total == Decimal("12.50") and "Refunded 7.50: Give 7.50 in cash." in dialog.details.text()
    dialog.close()


def test_cancelling_a_split_paid_order_says_how_the_money_goes_back(qtbot, app, session, open_window, tmp_path):
    """Card 100 + cash 90: the confirmation and the result name the split (card first, the rest in cash)."""
    from boxoffice.domain.values import Tender

    layout = app.catalog.layout(session.venue_id)
    labels = ("S2-D-7", "S2-D-8")
    total = sum((app.catalog.price_list(session.session_id).price(layout.by_label[lb].zone, "adult")
                 for lb in labels), Decimal("0.00"))
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=labels,
                                     tenders=(Tender("card", total - Decimal("5.00")),
                                              Tender("cash", Decimal("5.00")))))
    assert r.payment == "split"
    win = open_window()
    dialog = ctrl_l(qtbot, win)
    look_up(qtbot, dialog, str(r.order_id))
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    confirm = dialog.cancel_dialog
    qtbot.waitUntil(lambda: confirm.paid is not None, timeout=5000)
    card = total - Decimal("5.00")
    assert f"Give 5.00 in cash; {card} back to the card" in confirm.summary.text()
    assert "(split)" not in confirm.summary.text()
    # the customer keeps the dearer seat: the refund of the other comes back to the card first
    line = min(r.lines, key=lambda ln: ln.price)
    for k in range(confirm.seat_list.count()):
        if confirm.seat_list.item(k).data(Qt.ItemDataRole.UserRole) != line.seat_index:
            confirm.seat_list.item(k).setCheckState(Qt.CheckState.Unchecked)
    assert f"{line.price} back to the card" in confirm.summary.text() and "in cash" not in confirm.summary.text()
    qtbot.wait(50)
    confirm.grab().save(str(tmp_path / "cancel-split.png"))
    for k in range(confirm.seat_list.count()):
        confirm.seat_list.item(k).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(confirm.reason, "match moved")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.status == "cancelled", timeout=5000)
    qtbot.waitUntil(lambda: "in cash" in dialog.details.text(), timeout=5000)
    assert f"Refunded {total}: Give 5.00 in cash; {card} back to the card." in dialog.details.text()
    assert "(split)." not in dialog.details.text()
    dialog.grab().save(str(tmp_path / "cancelled-split.png"))
    dialog.close()
