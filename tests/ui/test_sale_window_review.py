"""The clerk-window review's fixes in the sale window (pytest-qt, real servers): a sale refused for want of a till
keeps the selection, says so in the window's words and clears the warning once a till is open; a one-method sale's
message names the method; the selected-seats list keeps its price column aligned across price types."""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

from PySide6.QtCore import Qt

from boxoffice.bootstrap import build

SHOTS = Path(os.environ["BOXOFFICE_SHOTS"]) if os.environ.get("BOXOFFICE_SHOTS") else None


def test_a_sale_refused_without_a_till_keeps_the_seats_and_the_warning_goes_once_a_till_opens(
        qtbot, settings, session, clerk, runner, tmp_path):
    from ui.sale_window import SaleWindow
    from ui.till_dialogs import OpenTillDialog

    strict = build(dataclasses.replace(settings, require_till=True, workstation=f"ui-{secrets.token_hex(3)}"))
    try:
        layout = strict.catalog.layout(session.venue_id)
        win = SaleWindow(strict.desk, runner, session, layout, strict.accounts.get(clerk))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: isinstance(win.till.dialog, OpenTillDialog) and win.till.dialog.isVisible(),
                        timeout=5000)
        win.till.dialog.reject()  # the clerk cancelled the offer
        seats = {layout.by_label["S1-B-4"].index, layout.by_label["S1-B-5"].index}
        win.map.select(seats)
        qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.no_till.isVisible(), timeout=5000)
        warning = win.no_till.text()
        assert "Till → Open till" in warning and "still selected" in warning
        assert "boxoffice till open" not in warning and "--float" not in warning
        assert "--float" not in win.till.no_till_box.text() and "no till is open" in win.till.no_till_box.text()
        qtbot.waitUntil(lambda: win.map.selected == seats, timeout=5000)  # the selection is kept
        assert win.sell_button.isEnabled()
        win.grab().save(str((SHOTS or tmp_path) / "sale-no-till.png"))
        win.till.no_till_box.close()
        # the till is opened through the Till menu: the warning goes, the seats are still there
        dialog = win.till.open_till()
        dialog.float_edit.setText("100")
        dialog.on_ok()
        qtbot.waitUntil(lambda: not win.no_till.isVisible(), timeout=5000)
        assert win.map.selected == seats
        qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
        assert not win.no_till.isVisible()
        win.ask_before_closing = False
        win.close()
    finally:
        strict.close()


def test_a_card_sale_names_the_method(qtbot, app, session, open_window, tmp_path):
    win = open_window()
    layout = app.catalog.layout(session.venue_id)
    win.map.select([layout.by_label["S2-C-3"].index])
    win.tender.method.setCurrentIndex(win.tender.method.findData("card"))
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    first = win.message.text().splitlines()[0]
    order = app.orders.get(int(first.split()[1].rstrip(":")))
    assert order.payment == "card"
    assert first.endswith(f"— {order.total} card"), first
    win.grab().save(str((SHOTS or tmp_path) / "sale-card.png"))


def test_the_selected_seats_price_column_lines_up(qtbot, app, session, open_window, tmp_path):
    from tests.ui.test_price_types import PRICE_LIST

    app.pricing.import_list(PRICE_LIST, "sam", venue_id=session.venue_id)
    win = open_window()
    qtbot.waitUntil(lambda: win.seat_types.price_list is not None and len(win.seat_types.price_list.types) == 4,
                    timeout=5000)
    layout = app.catalog.layout(session.venue_id)
    picks = [layout.by_label[lb].index for lb in ("S1-B-2", "S2-D-2", "S2-D-3")]
    win.map.select(picks)
    win.seat_types.cycle([picks[1]])  # child
    for _ in range(3):
        win.seat_types.cycle([picks[2]])  # child, senior, complimentary
    win.on_map_selection_changed(tuple(sorted(win.map.selected)))
    types = {win.seats.item(k).text().split("   ")[2] for k in range(3)}
    assert len(types) == 3, types
    rights = {win.price_rect(k).right() for k in range(win.seats.count())}
    lefts = {win.price_rect(k).left() for k in range(win.seats.count())}
    assert len(rights) == 1 and len(lefts) == 1, (rights, lefts)
    win.grab().save(str((SHOTS or tmp_path) / "sale-seat-list.png"))
