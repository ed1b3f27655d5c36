"""Issue 13, item 6: the clerk's own holds in the sale window — listed with a countdown, extended, released, resumed
with Enter, asked about when the window closes, and found again (from the seat store) when the session is opened
again. Real servers."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from boxoffice.errors import BadInput, TokenForeign
from boxoffice.services.frontdesk import MAX_HOLD_EXTENSIONS
from ui.holds_panel import countdown
from ui.sale_window import SaleWindow


def hold_seats(qtbot, win: SaleWindow, seats: list[int]):
    win.map.select(seats)
    qtbot.keyClick(win, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: win.held is not None, timeout=5000)
    return win.held


def test_countdown_format():
    assert [countdown(s) for s in (0, 9.9, 65, 600, 3725, -3)] == ["0:00", "0:09", "1:05", "10:00", "1:02:05", "0:00"]


def test_my_holds_lists_own_holds_with_a_countdown_extends_and_releases(qtbot, app, session, open_window):
    sid = session.session_id
    win = open_window()
    panel = win.holds_panel
    assert panel.list.count() == 0 and panel.empty.isVisible() and not panel.release_button.isVisible()
    app.booking.hold(sid, "bob", ["S1-A-9"])  # another clerk's hold is not in this clerk's list
    hold = hold_seats(qtbot, win, [2, 3])  # S1-A-3, S1-A-4
    assert panel.list.count() == 1 and panel.title.text() == "My holds (1)"
    assert re.fullmatch(r"S1-A-3, S1-A-4 — (9:5\d|10:00) left", panel.list.item(0).text())
    panel.refresh()  # read again from the seat store: the same, and bob's hold is not there
    qtbot.waitUntil(lambda: not panel._loading, timeout=5000)
    assert [h.token for h in panel.holds] == [hold.token]
    text_before = panel.list.item(0).text()
    qtbot.waitUntil(lambda: panel.list.item(0).text() != text_before, timeout=3000)  # it counts down

    before = app.store.hold(sid, hold.token).expires_ms
    qtbot.wait(1100)
    qtbot.mouseClick(panel.extend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "extended until" in win.message.text(), timeout=5000)
    assert win.message.text().startswith("Hold of S1-A-3, S1-A-4 extended until")
    after = app.store.hold(sid, hold.token).expires_ms
    assert after >= before + 1000 and panel.holds[0].expires_ms == after and win.held.expires_ms == after
    for _ in range(MAX_HOLD_EXTENSIONS - 1):
        assert panel.extend_button.isEnabled()
        win.message.clear()
        qtbot.mouseClick(panel.extend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "extended until" in win.message.text(), timeout=5000)
    # the last allowed extension is used: Extend is off (the review: it stayed on, and a click was refused)
    assert panel.holds[0].extensions == MAX_HOLD_EXTENSIONS and not panel.extend_button.isEnabled()
    assert panel.release_button.isEnabled() and panel.resume_button.isEnabled()
    assert "sell the seats or give them back" in panel.extend_button.toolTip()
    panel.refresh()  # read again from the seat store (as a window opened again does): still off
    qtbot.waitUntil(lambda: not panel._loading, timeout=5000)
    assert panel.holds[0].extensions == MAX_HOLD_EXTENSIONS and not panel.extend_button.isEnabled()
    win.extend_hold(panel.holds[0])  # asked anyway: the seat store refuses, and says why (by reason: translated)
    qtbot.waitUntil(lambda: "not extended" in win.message.text(), timeout=5000)
    assert f"already extended {MAX_HOLD_EXTENSIONS} times" in win.message.text()
    with pytest.raises(BadInput) as refused:
        app.desk.extend_hold(app.accounts.get("alice"), sid, hold.token)
    assert refused.value.reason == "hold_extend_limit" and refused.value.params == {"times": str(MAX_HOLD_EXTENSIONS)}

    with pytest.raises(TokenForeign):  # nobody gives back another clerk's hold through the desk
        app.desk.release_hold(app.accounts.get("bob"), sid, hold.token)
    qtbot.mouseClick(panel.release_button, Qt.MouseButton.LeftButton)
    assert win.message.text() == "Hold given back: S1-A-3, S1-A-4"
    assert win.held is None and win.seats.count() == 0 and not win.sell_button.isEnabled()
    qtbot.waitUntil(lambda: app.store.hold(sid, hold.token).state == "released", timeout=5000)
    qtbot.waitUntil(lambda: panel.list.count() == 0 and panel.empty.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: win.map.state(2) == win.map.state(3) == "free", timeout=5000)


def test_closing_with_a_live_hold_asks_and_the_session_opened_again_resumes_it(qtbot, app, session, open_window):
    sid = session.session_id
    win = open_window()
    hold = hold_seats(qtbot, win, [5, 6])  # S1-A-6, S1-A-7
    win.close()  # the clerk closes the window: it asks
    box = win.close_prompt
    assert box is not None and win.isVisible() and "S1-A-6, S1-A-7 — until" in box.text()
    assert box.defaultButton() is box.keep_button and box.escapeButton() is box.stay_button
    assert not box.release_button.isDefault() and not box.release_button.autoDefault()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc: stay
    qtbot.waitUntil(lambda: win.close_prompt is None, timeout=2000)
    assert win.isVisible() and win.held is not None
    win.close()
    qtbot.keyClick(win.close_prompt, Qt.Key.Key_Return)  # the default: keep the hold, close
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=2000)
    assert app.store.hold(sid, hold.token).state == "held"

    again = open_window()  # the session opened again: the hold is read from the seat store
    panel = again.holds_panel
    assert [h.token for h in panel.holds] == [hold.token] and panel.list.item(0).text().startswith("S1-A-6, S1-A-7")
    assert again.held is None  # listed, not yet resumed
    qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    assert again.held is not None and again.held.token == hold.token
    assert again.seats.count() == 2 and again.sell_button.isEnabled() and "Enter sells them" in again.message.text()
    qtbot.keyClick(again, Qt.Key.Key_Return)  # Enter sells the resumed hold, under its token
    qtbot.waitUntil(lambda: again.message.text().startswith("Order"), timeout=10_000)
    order = app.orders.get(int(again.message.text().split()[1].rstrip(":")))
    assert order.token == hold.token and order.seats == ("S1-A-6", "S1-A-7")
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=5000)
    again.close()  # no live hold left: it closes without a word
    assert not again.isVisible() and again.close_prompt is None


def test_closing_and_releasing_gives_every_hold_back(qtbot, app, session, open_window):
    sid = session.session_id
    win = open_window()
    first = hold_seats(qtbot, win, [7])  # S1-A-8
    qtbot.keyClick(win, Qt.Key.Key_Escape)  # Esc puts the hold in progress aside (never gives it away) ...
    assert win.held is None and win.message.text() == "Hold of S1-A-8 put aside under My holds: Resume sells it."
    assert app.store.hold(sid, first.token).state == "held"
    second = hold_seats(qtbot, win, [8])  # S1-A-9
    win.map.select([9])  # ... as picking seats for the next customer does: the panel keeps it
    assert win.held is None and win.message.text() == "Hold of S1-A-9 put aside under My holds: Resume sells it."
    assert {h.token for h in win.holds_panel.holds} == {first.token, second.token} and win.seats.count() == 1
    third = hold_seats(qtbot, win, [9])  # S1-A-10
    assert len(win.holds_panel.holds) == 3
    win.close()
    box = win.close_prompt
    assert "S1-A-8" in box.text() and "S1-A-9" in box.text() and "S1-A-10" in box.text()
    box.release_button.click()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=2000)
    for token in (first.token, second.token, third.token):
        qtbot.waitUntil(lambda t=token: app.store.hold(sid, t).state == "released", timeout=5000)


def test_my_holds_leave_out_other_clerks_and_holds_from_before_a_rebuild(app, session):
    sid = session.session_id
    alice, bob = app.accounts.get("alice"), app.accounts.get("bob")
    mine = app.booking.hold(sid, "alice", ["S2-D-1", "S2-D-2"])
    app.booking.hold(sid, "bob", ["S2-D-3"])
    (listed,) = app.desk.my_holds(alice, sid)
    assert (listed.token, listed.labels) == (mine.token, ("S2-D-1", "S2-D-2"))
    with pytest.raises(TokenForeign):
        app.desk.extend_hold(bob, sid, mine.token)
    app.inventory.rebuild(sid)  # a hold from before a rebuild can never sell: not offered to resume
    assert app.desk.my_holds(alice, sid) == []


def test_every_refusal_of_the_seat_store_names_a_reason():
    """The review found the extend-limit refusal (and the other hold/token refusals of the seat store) in English in
    the Chinese window: each is raised by a reason of boxoffice.errors, which the window translates."""
    from boxoffice.adapters.seatstore.scripts import refusal

    replies = [["SOLD_OUT", "0"], ["GATE_FULL", "9"], ["NOT_OPEN", "0"], ["BAD_REQUEST"], ["TOKEN_EXPIRED"],
               ["TOKEN_USED"], ["TOKEN_STALE"], ["WRONG_SESSION"], ["WRONG_COUNT", "3"], ["TOKEN_INVALID"],
               ["HOLD_OVER", "released"], ["HOLD_EXPIRED"], ["HOLD_FOREIGN"], ["HOLD_LIMIT", "3"], ["BAD_SEATS", "7"]]
    for reply in replies:
        exc = refusal("extend", 5, 2, reply)
        assert exc.reason is not None, reply
    assert str(refusal("extend", 5, 0, ["HOLD_LIMIT", "3"])) == ("this hold was already extended 3 times; sell the "
                                                                 "seats or give them back")
    assert str(refusal("claim", 5, 2, ["WRONG_COUNT", "3"])) == "the order token was issued for 3 seats, not 2"


def test_a_hold_of_many_seats_fits_the_panel_without_a_horizontal_scrollbar(qtbot, app, session, open_window):
    """The review: the "My holds" row of a hold needed a horizontal scrollbar in the narrow panel."""
    win = open_window()
    hold_seats(qtbot, win, list(range(10, 18)))  # eight seats: a long row
    panel = win.holds_panel
    qtbot.wait(200)
    text = panel.list.item(0).text()
    assert panel.list.fontMetrics().horizontalAdvance(text) > panel.list.viewport().width()  # it would not fit
    assert panel.list.horizontalScrollBar().maximum() == 0 and not panel.list.horizontalScrollBar().isVisible()
    assert panel.list.visualItemRect(panel.list.item(0)).height() > panel.list.fontMetrics().height() * 1.5
