"""Select on the live map → sell → the order is in the database and the map shows the seats sold."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from boxoffice.services.booking import SaleRequest
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner


def test_the_legend_names_every_zone_and_seat_state(open_window, app, session):
    win = open_window()
    entries = dict(win.legend.entries)
    for zone in app.catalog.layout(session.venue_id).zones:
        assert entries[f"zone:{zone.code}"] == f"{zone.name} {zone.price}"
    for key, state in (("selected", "selected"), ("held", "held by another clerk"), ("own", "held by you"),
                       ("sold", "sold"), ("blocked", "blocked")):
        assert entries[key] == state


def test_select_sell_and_the_conflict_flow(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([4, 5, 6])  # S1-A-5..7
    assert win.seats.count() == 3 and win.total.text().endswith("60.00")
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    qtbot.waitUntil(lambda: all(win.map.state(i) == "sold" for i in (4, 5, 6)), timeout=5000)
    with app.uow() as tx:
        sold = tx.session.execute(text("SELECT count(*) FROM order_lines WHERE session_id = :s AND active "
                                       "AND seat_idx IN (4, 5, 6)"), {"s": session.session_id}).scalar_one()
    assert sold == 3 and win.map.selected == set()
    qtbot.waitUntil(lambda: win.last_tickets is not None, timeout=10_000)
    pdf = win.last_tickets.read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 4  # 3 tickets + receipt

    # another window takes one of the selected seats before this map hears of it (its feed is paused)
    win.feed.stop()
    win.map.select([11, 12])
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-2",)))  # index 11
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "at another window: S1-B-2." in win.message.text(), timeout=10_000)
    assert "Sell S1-B-3 only? Press Enter to confirm." in win.message.text()
    assert win.map.selected == {12}  # the rest of the selection is kept
    qtbot.keyClick(win, Qt.Key.Key_Return)  # one key retries
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert "S1-B-3" in win.message.text()


def test_keyboard_best_available_in_a_zone_with_cash_change(qtbot, app, session, open_window):
    win = open_window()
    qtbot.keyClick(win, Qt.Key.Key_3)  # N = 3
    qtbot.keyClick(win, Qt.Key.Key_F2)  # zone B, best available
    qtbot.waitUntil(lambda: len(win.map.selected) == 3, timeout=5000)
    chosen = sorted(win.map.selected)
    layout = win.layout_
    assert {layout.seats[i].zone for i in chosen} == {"B"}
    assert chosen == list(range(chosen[0], chosen[0] + 3))  # adjacent
    win.cash_given.setText("100")
    assert win.change.text() == "Change 62.50"
    win.cash_given.setText("20")
    assert win.change.text() == "17.50 short"
    win.on_sell_button_clicked()
    assert "does not cover" in win.message.text()  # nothing sold
    win.cash_given.setText("")
    qtbot.keyClick(win, Qt.Key.Key_Return)  # exact cash
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert app.orders.get(int(win.message.text().split()[1].rstrip(":"))).total == 37.5


def test_order_lookup_by_seat_and_cancel(qtbot, app, session, open_window):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-D-1", "S2-D-2")))  # her own, today
    dialog = open_window().look_up_order()
    dialog.query.setText("S2-D-2")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    assert dialog.order.order_id == r.order_id and "S2-D-1, S2-D-2" in dialog.details.text()
    dialog.cancel("customer changed plans")
    qtbot.waitUntil(lambda: dialog.order.status == "cancelled", timeout=5000)
    assert not dialog.cancel_button.isEnabled()
    dialog.query.setText("no-such-token")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "no order" in dialog.details.text(), timeout=5000)


def test_only_supervisors_rebuild_and_the_service_refuses_clerks(qtbot, app, session, open_window):
    from boxoffice.errors import PermissionDenied

    clerk, supervisor = open_window("alice"), open_window("sam")
    assert not clerk.rebuild_action.isVisible() and supervisor.rebuild_action.isVisible()
    clerk.rebuild("trying anyway")  # the button is hidden, but the service is the gate
    qtbot.waitUntil(lambda: "may not" in clerk.message.text(), timeout=5000)
    with pytest.raises(PermissionDenied):
        app.inventory.rebuild_as(app.accounts, "alice", session.session_id, "x")
    supervisor.rebuild("drift after a Redis restart")
    qtbot.waitUntil(lambda: "rebuilt" in supervisor.message.text(), timeout=5000)
    with app.uow() as tx:
        audit = tx.session.execute(text("SELECT a.reason, u.username FROM audit_log a JOIN users u ON u.id = a.actor_id "
                                        "WHERE a.action = 'rebuild' AND a.session_id = :s"),
                                   {"s": session.session_id}).all()
    assert [tuple(a) for a in audit] == [("drift after a Redis restart", "sam")]


def test_printing_tickets_paints_every_page(qtbot, app, session, tmp_path, open_window):
    from PySide6.QtPrintSupport import QPrinter

    r = app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S2-C-8", "S2-C-9")))
    dialog = open_window().look_up_order()
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a real printer is not on this machine
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_tickets(r, app.tickets.codes(r), printer)
    pdf = (tmp_path / "printed.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 3  # two tickets + the receipt


def test_a_hold_ended_by_a_rebuild_is_let_go_and_the_clerk_selects_again(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([33, 34])  # S2-D-4, S2-D-5
    qtbot.keyClick(win, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    app.inventory.rebuild(session.session_id)  # a supervisor rebuilds the seat map meanwhile
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.held is None, timeout=10_000)
    assert win.message.text() == "the seat map was rebuilt; select the seats again"
    assert win.map.selected == set() and win.seats.count() == 0 and not win.sell_button.isEnabled()
    win.map.select([33, 34])  # selecting again sells under a new token
    assert win.hold_button.isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert app.orders.get(int(win.message.text().split()[1].rstrip(":"))).seats == ("S2-D-4", "S2-D-5")


def test_hold_then_sell_the_held_seats_and_zoom_keys(qtbot, app, session, open_window):
    win = open_window()
    win.map.select([31, 32])  # S2-D-2, S2-D-3
    qtbot.keyClick(win, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    assert win.held.seats == (31, 32) and "Held until" in win.message.text()
    qtbot.waitUntil(lambda: win.map.state(31) == "own", timeout=5000)  # this window sees its own hold
    assert win.seats.count() == 2 and win.sell_button.isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    order_id = int(win.message.text().split()[1].rstrip(":"))
    order = app.orders.get(order_id)
    assert order.seats == ("S2-D-2", "S2-D-3") and win.held is None
    assert app.store.hold(session.session_id, order.token).state == "confirmed"  # sold under the hold's token
    scale = win.map.scale
    qtbot.keyClick(win.map, Qt.Key.Key_Plus)
    assert win.map.scale > scale
    qtbot.keyClick(win.map, Qt.Key.Key_Home)
    assert win.map.scale == pytest.approx(scale)


def test_esc_puts_a_hold_aside_and_cleans_the_panel(qtbot, app, session, open_window):
    """Esc with a live hold: the clerk is done with this customer at the counter — the panel is clean, but the hold
    is never given away by a key (the review: H, Extend ×3, Esc released it at once). It waits under My holds, where
    Resume sells it and Release gives it back."""
    win = open_window()
    win.map.select([35, 36])  # S2-D-6, S2-D-7
    qtbot.keyClick(win, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    token = win.held.token
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.held is None and win.seats.count() == 0 and not win.sell_button.isEnabled()
    assert win.map.selected == set()
    assert win.message.text() == "Hold of S2-D-6, S2-D-7 put aside under My holds: Resume sells it."
    qtbot.wait(300)
    assert app.store.hold(session.session_id, token).state == "held"  # still the customer's
    panel = win.holds_panel
    assert [h.token for h in panel.holds] == [token]
    qtbot.keyClick(win, Qt.Key.Key_Escape)  # a second Esc has nothing to put aside: it only clears the message
    assert win.message.text() == "" and app.store.hold(session.session_id, token).state == "held"
    panel.select_token(token)
    qtbot.mouseClick(panel.release_button, Qt.MouseButton.LeftButton)  # Release gives it back, on purpose
    assert win.message.text() == "Hold given back: S2-D-6, S2-D-7"
    qtbot.waitUntil(lambda: app.store.hold(session.session_id, token).state == "released", timeout=5000)
    qtbot.waitUntil(lambda: win.map.state(35) == win.map.state(36) == "free", timeout=5000)


def test_the_rebuild_asks_first_and_no_is_the_default(qtbot, app, session, open_window, monkeypatch):
    """The review: the sale window's Rebuild ran at once on Enter and ended a live hold; the supervisor screen
    asks. Now both ask, No is the default, and an empty reason says why nothing happened."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    sid = session.session_id
    clerk = open_window("alice")
    supervisor = open_window("sam")
    label = app.catalog.layout(session.venue_id).seats[38].label
    hold = app.booking.hold(sid, "alice", [label])
    epoch = app.store.hold(sid, hold.token).epoch
    answers = iter([("", True), ("drift after a Redis restart", True), ("drift after a Redis restart", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: next(answers)))
    supervisor.rebuild_action.trigger()  # an empty reason: nothing happens, and the window says why
    assert supervisor.rebuild_prompt is None and supervisor.message.text() == "Not rebuilt: a rebuild needs a reason."
    supervisor.rebuild_action.trigger()
    box = supervisor.rebuild_prompt
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert "Live holds end" in box.text() and session.name in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # a stray Enter: No
    qtbot.waitUntil(lambda: supervisor.rebuild_prompt is None, timeout=2000)
    qtbot.wait(300)
    assert supervisor.message.text() == "Not rebuilt."
    assert app.store.hold(sid, hold.token).state == "held" and not app.store.hold(sid, hold.token).stale
    supervisor.rebuild_action.trigger()
    supervisor.rebuild_prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: supervisor.message.text() == "Seat map rebuilt from the database.", timeout=10_000)
    after = app.store.hold(sid, hold.token)
    assert after is None or after.stale or after.state != "held" or after.epoch != epoch
    assert clerk.isVisible()


def test_a_held_sale_that_failed_can_be_pressed_again(qtbot, app, session, open_window, monkeypatch):
    """A held sale refused by a backend error leaves Enter working (the Sell button used to stay disabled, because
    the selection of a held sale is the hold, not the map's)."""
    from boxoffice.errors import BackendUnavailable

    win = open_window()
    win.map.select([37])  # S2-D-8
    qtbot.keyClick(win, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    win.map.clear_selection()  # the panel keeps showing (and Enter keeps selling) the hold
    real = app.booking.sell
    calls = []

    def flaky(request):
        calls.append(request.token)
        if len(calls) == 1:
            raise BackendUnavailable("the seat map is not live and these seats are held in it")
        return real(request)

    monkeypatch.setattr(app.booking, "sell", flaky)
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not live" in win.message.text(), timeout=5000)
    assert win.sell_button.isEnabled() and win.held is not None
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert len(calls) == 2 and calls[0] == calls[1] is not None  # both under the hold's token


def test_a_resize_keeps_the_clerks_zoom(qtbot, open_window):
    """A banner or status line appearing resizes the map: a zoomed-in view stays where the clerk put it (it used to
    jump back to the whole stadium)."""
    win = open_window()
    win.map.center_on(12)
    win.map.zoom(2.0)
    scale, middle = win.map.scale, win.map.to_layout(win.map.rect().center().toPointF())
    height = win.map.height()
    win.banner.setVisible(True)
    qtbot.waitUntil(lambda: win.map.height() < height, timeout=2000)
    after = win.map.to_layout(win.map.rect().center().toPointF())
    assert win.map.scale == scale
    assert abs(after.x() - middle.x()) < 1 and abs(after.y() - middle.y()) < 1
    qtbot.keyClick(win.map, Qt.Key.Key_Home)  # the whole layout again: a resize now fits it to the new size
    win.banner.setVisible(False)
    qtbot.waitUntil(lambda: win.map.height() == height, timeout=2000)
    centre = win.map.to_layout(win.map.rect().center().toPointF())
    lay = win.map.layout_
    assert abs(centre.x() - lay.width / 2) < 1 and abs(centre.y() - lay.height / 2) < 1


def test_enter_in_the_order_search_only_searches_and_a_failed_lookup_disables_the_buttons(qtbot, app, session,
                                                                                          open_window):
    """The review that found it: Ctrl+L, 4, Enter (order 4 shows); 5, Enter opened 'Cancel order 4' over order 5,
    because Enter also pressed the default 'Cancel and refund…'; 99999 + Enter after a found order did the same while
    the text said 'no order'; a failed lookup left the previous order's buttons enabled."""
    first = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-9",)))
    second = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-10",)))
    dialog = open_window().look_up_order()
    dialog.show()
    assert not any(b.isDefault() or b.autoDefault()
                   for b in (dialog.cancel_button, dialog.reprint_button, dialog.print_button))
    for order in (first, second):
        dialog.query.setFocus()
        dialog.query.setText(str(order.order_id))
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda o=order: dialog.order is not None and dialog.order.order_id == o.order_id,
                        timeout=5000)
        qtbot.wait(100)
        assert dialog.cancel_dialog is None  # Enter searched; it never opened a cancel dialog
    assert dialog.cancel_button.isEnabled()
    dialog.query.setText("99999999")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "no order" in dialog.details.text(), timeout=5000)
    assert dialog.cancel_dialog is None and dialog.order is None
    assert not (dialog.cancel_button.isEnabled() or dialog.reprint_button.isEnabled() or dialog.print_button.isEnabled())
    assert app.orders.get(first.order_id).status == app.orders.get(second.order_id).status == "paid"
    dialog.query.setText(str(first.order_id))
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.order is not None, timeout=5000)
    qtbot.keyClick(dialog.query, Qt.Key.Key_9)  # typing another number lets go of the order shown
    assert dialog.order is None and not dialog.cancel_button.isEnabled()


def test_a_session_whose_sales_closed_says_so_and_sells_nothing(qtbot, app):
    """A closed session looked like any other in the sale window; Sell and Hold were enabled until a sale was
    refused. Now the window says so at once — opened after the close, or left open across it."""
    from datetime import datetime, timedelta, timezone

    from tests.conftest import make_session

    runner = TaskRunner()
    closed = make_session(app)
    app.sales.close(app.accounts, "sam", closed.session_id, "pitch frozen")
    closing = make_session(app)
    venue = app.catalog.session(closing.session_id).venue_id
    soon, _ = app.catalog.create_session(venue, "Closing in a moment", closing.starts_at + timedelta(hours=2),
                                         sales_close_at=datetime.now(timezone.utc) + timedelta(seconds=2))
    app.inventory.rebuild(soon.session_id)
    windows = []
    try:
        for info in (app.catalog.session(closed.session_id), app.catalog.session(soon.session_id)):
            win = SaleWindow(app.desk, runner, info, app.catalog.layout(info.venue_id), app.accounts.get("alice"))
            qtbot.addWidget(win)
            win.show()
            windows.append(win)
        shut, open_ = windows
        assert shut.closed_banner.isVisible() and shut.closed_banner.text() == "Sales for this session are closed"
        shut.map.select([4, 5])
        assert shut.seats.count() == 2 and not shut.sell_button.isEnabled() and not shut.hold_button.isEnabled()
        open_.map.select([4, 5])
        assert not open_.closed_banner.isVisible() and open_.sell_button.isEnabled()
        qtbot.waitUntil(open_.closed_banner.isVisible, timeout=10_000)  # its sales window shut while it was open
        assert not open_.sell_button.isEnabled() and not open_.hold_button.isEnabled()
    finally:
        for win in windows:
            win.close()
        runner.shutdown()
