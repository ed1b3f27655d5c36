"""The sessions window hides ended sessions unless "Show ended sessions" is ticked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from tests.conftest import make_layout
from ui.sessions_window import SessionsWindow
from ui.tasks import TaskRunner

STATUS = 7  # the Status column


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
    runner.shutdown()


def test_ended_sessions_are_hidden_until_the_filter_shows_them(qtbot, app, window) -> None:
    venue, _ = app.catalog.import_venue(make_layout())
    now = datetime.now(timezone.utc)
    ended, _ = app.catalog.create_session(venue.venue_id, "Ended an hour ago", now - timedelta(hours=2),
                                          now - timedelta(hours=1))
    coming, _ = app.catalog.create_session(venue.venue_id, "Tomorrow", now + timedelta(days=1))
    closing, _ = app.catalog.create_session(venue.venue_id, "Playing now, sales closed", now - timedelta(minutes=30),
                                            now + timedelta(minutes=30), sales_close_at=now - timedelta(minutes=5))

    def shown() -> set[int]:
        return {r.session_id for r in window.model.rows}

    box = window.show_ended
    assert not box.isChecked() and box.text() == "Show ended sessions"
    window.refresh(first=True)
    qtbot.waitUntil(lambda: coming.session_id in shown(), timeout=10_000)
    assert ended.session_id not in shown() and closing.session_id in shown()
    row = next(i for i, r in enumerate(window.model.rows) if r.session_id == closing.session_id)
    assert window.model.index(row, STATUS).data(Qt.ItemDataRole.DisplayRole) == "closed"  # its window has passed

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    qtbot.waitUntil(lambda: ended.session_id in shown(), timeout=10_000)
    assert coming.session_id in shown()

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ended.session_id not in shown(), timeout=10_000)
