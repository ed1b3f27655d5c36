"""The seat map follows other windows' sales live and selects by click, shift-click and box (real Redis)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from boxoffice.services.booking import SaleRequest
from ui.seat_map import HELD, SOLD, SeatMap


def pixel(qtbot, seat_map: SeatMap, seat: int):
    qtbot.waitUntil(lambda: seat_map.base_ready, timeout=5000)  # drawn on a worker thread after each snapshot
    return seat_map.grab().toImage().pixelColor(seat_map.to_widget(seat).toPoint())


def click(qtbot, seat_map: SeatMap, seat: int, shift: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(seat_map, Qt.MouseButton.LeftButton, modifier, seat_map.to_widget(seat).toPoint())


def test_another_windows_sale_appears_without_any_action(qtbot, app, session, live_map):
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-A-2",)))
    qtbot.waitUntil(lambda: live_map.state(1) == "sold", timeout=5000)
    assert pixel(qtbot, live_map, 1) == SOLD
    issued = app.store.issue_token(session.session_id, "bob", 1, 30_000)
    app.store.deduct(session.session_id, issued.token, [3], "bob", 60_000)  # a hold in another window
    qtbot.waitUntil(lambda: live_map.state(3) == "held", timeout=5000)
    assert pixel(qtbot, live_map, 3) == HELD
    app.store.release(session.session_id, issued.token)
    qtbot.waitUntil(lambda: live_map.state(3) == "free", timeout=5000)


def test_click_shift_click_and_a_seat_taken_meanwhile(qtbot, app, session, live_map):
    with qtbot.waitSignal(live_map.selection_changed):
        click(qtbot, live_map, 5)
    assert live_map.selected == {5}
    click(qtbot, live_map, 8, shift=True)  # the run 5..8 in row A
    assert live_map.selected == {5, 6, 7, 8}
    click(qtbot, live_map, 0)  # blocked: not selectable
    assert 0 not in live_map.selected
    app.booking.sell(SaleRequest(session.session_id, "bob", seats=("S1-A-7",)))  # index 6, in another window
    qtbot.waitUntil(lambda: 6 not in live_map.selected, timeout=5000)
    assert live_map.selected == {5, 7, 8}


def test_drag_a_box_selects_the_free_seats_inside(qtbot, live_map):
    a, b = live_map.to_widget(10).toPoint(), live_map.to_widget(13).toPoint()  # row B, seats 1..4
    qtbot.mousePress(live_map, Qt.MouseButton.LeftButton, pos=a - QPoint(3, 3))
    qtbot.mouseMove(live_map, b + QPoint(3, 3))
    qtbot.mouseRelease(live_map, Qt.MouseButton.LeftButton, pos=b + QPoint(3, 3))
    assert live_map.selected == {10, 11, 12, 13}


def test_hovering_a_held_seat_asks_who_holds_it(qtbot, app, session, live_map):
    issued = app.store.issue_token(session.session_id, "bob", 1, 30_000)
    app.store.deduct(session.session_id, issued.token, [14], "bob", 60_000)
    qtbot.waitUntil(lambda: live_map.state(14) == "held", timeout=5000)
    with qtbot.waitSignal(live_map.hold_hovered) as hovered:
        qtbot.mouseMove(live_map, live_map.to_widget(14).toPoint())
    assert hovered.args == [14]
    hold = app.store.hold_of_seat(session.session_id, 14)
    assert (hold.clerk, hold.seats) == ("bob", (14,)) and hold.expires_ms > 0
    assert app.store.hold_of_seat(session.session_id, 15) is None
