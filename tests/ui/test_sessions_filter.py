"""The sessions list: ended sessions hidden unless "Show ended sessions" is ticked; a search box, venue and date filters;
"sales closed" per row; Enter from the search box to the list and on into the session (pytest-qt, real servers)."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, Qt

from tests.conftest import make_layout
from ui.sessions_window import GREYED, SessionsFilter, SessionsModel, SessionsWindow
from ui.tasks import TaskRunner

STATUS = SessionsModel.STATUS


@pytest.fixture
def window(qtbot, app):
    runner = TaskRunner()
    win = SessionsWindow(runner)
    qtbot.addWidget(win)
    win.show()
    win.desk = app.desk  # as on_app_built does, without the sign-in dialog
    win.user = app.accounts.get("alice")
    yield win
    win.timer.stop()
    for sale in win.sale_windows:
        sale.close()
    runner.shutdown()


def shown(window: SessionsWindow) -> set[int]:
    """The sessions the table shows (through the filter)."""
    proxy = window.proxy
    return {window.model.rows[proxy.mapToSource(proxy.index(r, 0)).row()].session_id for r in range(proxy.rowCount())}


def status_of(window: SessionsWindow, session_id: int, role: int = Qt.ItemDataRole.DisplayRole):
    row = next(i for i, r in enumerate(window.model.rows) if r.session_id == session_id)
    return window.model.index(row, STATUS).data(role)


def test_ended_sessions_are_hidden_until_the_filter_shows_them(qtbot, app, window) -> None:
    venue, _ = app.catalog.import_venue(make_layout())
    now = datetime.now(timezone.utc)
    ended, _ = app.catalog.create_session(venue.venue_id, "Ended an hour ago", now - timedelta(hours=2),
                                          now - timedelta(hours=1))
    coming, _ = app.catalog.create_session(venue.venue_id, "Tomorrow", now + timedelta(days=1))
    closing, _ = app.catalog.create_session(venue.venue_id, "Playing now, sales closed", now - timedelta(minutes=30),
                                            now + timedelta(minutes=30), sales_close_at=now - timedelta(minutes=5))

    def loaded() -> set[int]:
        return {r.session_id for r in window.model.rows}

    box = window.show_ended
    assert not box.isChecked() and box.text() == "Show ended sessions"
    window.refresh(first=True)
    qtbot.waitUntil(lambda: coming.session_id in loaded(), timeout=10_000)
    assert ended.session_id not in loaded() and closing.session_id in loaded()
    assert status_of(window, closing.session_id) == "sales closed"  # its sales window has passed
    assert status_of(window, closing.session_id, Qt.ItemDataRole.ForegroundRole).color() == GREYED
    assert status_of(window, closing.session_id, Qt.ItemDataRole.ToolTipRole).startswith("Sales closed ")
    assert status_of(window, coming.session_id) == "on sale"

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    qtbot.waitUntil(lambda: ended.session_id in loaded(), timeout=10_000)
    assert coming.session_id in loaded() and ended.session_id in shown(window)
    assert status_of(window, ended.session_id) == "ended"

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ended.session_id not in loaded(), timeout=10_000)


def test_search_venue_and_date_filters_narrow_the_list(qtbot, app, window) -> None:
    tag = secrets.token_hex(3)
    north, _ = app.catalog.import_venue(make_layout(name=f"North Hall {tag}"))
    south, _ = app.catalog.import_venue(make_layout(name=f"South Arena {tag}"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = datetime.now().astimezone().date()

    def local(days: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour)).astimezone()

    playing, _ = app.catalog.create_session(south.venue_id, f"Sold-out derby {tag}", now, now + timedelta(hours=2),
                                            sales_close_at=now - timedelta(seconds=1))
    tomorrow, _ = app.catalog.create_session(north.venue_id, f"League match {tag}", local(1, 19))
    later, _ = app.catalog.create_session(south.venue_id, f"Cup final {tag}", local(3, 19))
    far, _ = app.catalog.create_session(north.venue_id, f"Training {tag}", local(10, 10))
    ours = {playing.session_id, tomorrow.session_id, later.session_id, far.session_id}

    window.refresh(first=True)
    qtbot.waitUntil(lambda: ours <= {r.session_id for r in window.model.rows}, timeout=10_000)
    assert window.proxy.rowCount() == window.model.rowCount()  # no filter yet: every session
    assert window.shown_label.text() == f"{window.model.rowCount()} sessions"
    assert not window.clear_filters.isEnabled()

    # the search: every word, in the session's name or its venue's, any case
    qtbot.keyClicks(window.search, tag)
    assert shown(window) == ours
    assert window.shown_label.text() == f"4 of {window.model.rowCount()} sessions shown"
    window.search.setText(f"CUP {tag}")
    assert shown(window) == {later.session_id}
    window.search.setText(f"north {tag}")
    assert shown(window) == {tomorrow.session_id, far.session_id}
    window.search.setText(f"nothing like this {tag}")
    assert shown(window) == set() and window.shown_label.text().startswith("0 of ")

    # the venue filter lists the venues of the sessions loaded
    window.search.setText(tag)
    venues = [window.venue.itemText(i) for i in range(window.venue.count())]
    assert venues[0] == "All venues" and f"North Hall {tag}" in venues and f"South Arena {tag}" in venues
    window.venue.setCurrentIndex(window.venue.findData(south.venue_id))
    assert shown(window) == {playing.session_id, later.session_id}
    window.refresh()  # a refresh keeps the choice
    qtbot.waitUntil(lambda: not window._refreshing, timeout=10_000)
    assert window.venue.currentData() == south.venue_id and shown(window) == {playing.session_id, later.session_id}
    window.venue.setCurrentIndex(0)

    # the date filter: local days of the start
    def on(days: int) -> set[int]:
        window.days.setCurrentIndex(window.days.findData(days))
        return shown(window)

    assert not window.day.isVisibleTo(window)
    assert on(SessionsFilter.TODAY) == {playing.session_id}
    assert on(SessionsFilter.TOMORROW) == {tomorrow.session_id}
    assert on(SessionsFilter.WEEK) == {playing.session_id, tomorrow.session_id, later.session_id}
    on(SessionsFilter.ON)
    assert window.day.isVisibleTo(window)
    target = today + timedelta(days=10)
    window.day.setDate(QDate(target.year, target.month, target.day))
    assert shown(window) == {far.session_id}
    assert on(SessionsFilter.ANY) == ours

    # "sales closed" per row, greyed; the others on sale
    assert status_of(window, playing.session_id) == "sales closed"
    assert status_of(window, tomorrow.session_id) == "on sale"

    # one click clears every filter
    window.venue.setCurrentIndex(window.venue.findData(north.venue_id))
    assert window.clear_filters.isEnabled()
    qtbot.mouseClick(window.clear_filters, Qt.MouseButton.LeftButton)
    assert window.search.text() == "" and window.venue.currentIndex() == 0 and window.days.currentIndex() == 0
    assert window.proxy.rowCount() == window.model.rowCount()

    # Ctrl+F: to the search box; Enter: to the list, on the first match; Enter again: the session opens
    window.activateWindow()
    window.find_action.trigger()
    assert window.search.hasFocus() or window.focusWidget() is window.search
    qtbot.keyClicks(window.search, f"final {tag}")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    chosen = window.selected_session()
    assert chosen is not None and chosen.session_id == later.session_id
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.sale_windows), timeout=15_000)
    sale = window.sale_windows[-1]
    assert sale.session.session_id == later.session_id
    assert f"Cup final {tag}" in sale.windowTitle() and f"South Arena {tag}" in sale.windowTitle()


def test_sorting_by_a_column_sorts_by_its_value(qtbot, app, window) -> None:
    tag = secrets.token_hex(3)
    venue, _ = app.catalog.import_venue(make_layout(name=f"Sort Hall {tag}"))
    today = datetime.now().astimezone().date()
    made = [app.catalog.create_session(venue.venue_id, f"{name} {tag}",
                                       datetime.combine(today + timedelta(days=d), time(12)).astimezone())[0]
            for name, d in (("B second", 2), ("A third", 3), ("C first", 1))]
    window.refresh(first=True)
    qtbot.waitUntil(lambda: {s.session_id for s in made} <= {r.session_id for r in window.model.rows}, timeout=10_000)
    window.search.setText(tag)

    def order() -> list[str]:
        proxy = window.proxy
        return [window.model.rows[proxy.mapToSource(proxy.index(r, 0)).row()].name.split()[0]
                for r in range(proxy.rowCount())]

    assert order() == ["C", "B", "A"]  # by start, the default
    window.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by name
    assert order() == ["A", "B", "C"]
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert order() == ["A", "B", "C"]  # latest start first
