"""Select on the live map → sell → the order is in the database and the map shows the seats sold."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import text

from boxoffice.services.booking import SaleRequest
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner


def test_select_sell_and_the_conflict_flow(qtbot, app, session):
    runner = TaskRunner()
    user = app.accounts.get("alice")
    win = SaleWindow(app, runner, session, app.catalog.layout(session.venue_id), user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.version >= 0, timeout=5000)
    win.map.select([4, 5, 6])  # S1-A-5..7
    assert win.seats.count() == 3 and win.total.text().endswith("60.00")
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    qtbot.waitUntil(lambda: all(win.map.state(i) == "sold" for i in (4, 5, 6)), timeout=5000)
    with app.uow() as tx:
        sold = tx.session.execute(text("SELECT count(*) FROM order_lines WHERE session_id = :s AND active "
                                       "AND seat_idx IN (4, 5, 6)"), {"s": session.session_id}).scalar_one()
    assert sold == 3 and win.map.selected == set()

    # another window takes one of the selected seats before this map hears of it (its feed is paused)
    win.feed.stop()
    win.map.select([11, 12])
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-B-2",)))  # index 11
    qtbot.mouseClick(win.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Just taken: S1-B-2" in win.message.text(), timeout=10_000)
    assert win.map.selected == {12}  # the rest of the selection is kept
    qtbot.keyClick(win, Qt.Key.Key_Return)  # one key retries
    qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
    assert "S1-B-3" in win.message.text()
    win.close()
    runner.shutdown()
