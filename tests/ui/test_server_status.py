"""The embedded servers' supervisor shows in the status bar of the sessions window and of the sale window.

The events are fed through the App's event log (``app.server_events``, which its FrontDesk reads) — what the supervisor thread does when it finds a
server dead and restarts it (killing real servers is tests/integration/test_embedded_supervisor.py).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from boxoffice.embedded import POSTGRESQL, VALKEY, ServerEvent, ServerEvents
from boxoffice.services.frontdesk import SessionsPicture
from tests.conftest import make_session
from ui.sale_window import SaleWindow
from ui.sessions_window import SessionsWindow
from ui.tasks import TaskRunner


@pytest.fixture
def own_app(app):
    """The test app with an event log of its own (the real one belongs to this process's supervisor); its ``desk``
    reads that log."""
    return dataclasses.replace(app, server_events=ServerEvents())


@pytest.fixture
def runner():
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def restarted_at(server: str) -> tuple[ServerEvent, str]:
    at = datetime.now(timezone.utc).replace(microsecond=0)
    return ServerEvent(at, server, "restarted", server_pid=4242, by_pid=4343), at.astimezone().strftime("%H:%M:%S")


def test_the_sessions_window_says_the_database_is_restarting_then_restarted(qtbot, own_app, runner):
    make_session(own_app)  # something to sell: the window asks for a sign-in, not for the demo
    win = SessionsWindow(runner)
    qtbot.addWidget(win)
    win.show()
    win.on_app_built(own_app.desk)
    label = win.server_label
    qtbot.wait(300)
    assert not label.isVisible() and label.text() == ""  # nothing happened: nothing said

    own_app.server_events.record(ServerEvent(datetime.now(timezone.utc), POSTGRESQL, "down", server_pid=4141))
    qtbot.waitUntil(lambda: label.text() == "Embedded PostgreSQL stopped — restarting…", timeout=5000)
    assert label.isVisible() and label.property("kind") == "down"

    event, clock = restarted_at(POSTGRESQL)
    own_app.server_events.record(event)
    qtbot.waitUntil(lambda: label.text() == f"Embedded PostgreSQL restarted at {clock}", timeout=5000)
    assert label.isVisible() and label.property("kind") == "restarted"
    win.timer.stop()
    if win.login_dialog is not None:
        win.login_dialog.reject()


def test_the_sale_window_says_valkey_was_restarted(qtbot, own_app, runner):
    session = make_session(own_app)
    win = SaleWindow(own_app.desk, runner, session, own_app.catalog.layout(session.venue_id), own_app.accounts.get("alice"))
    qtbot.addWidget(win)
    win.show()
    event, clock = restarted_at(VALKEY)
    own_app.server_events.record(event)
    qtbot.waitUntil(lambda: win.server_label.text() == f"Embedded Valkey restarted at {clock}", timeout=5000)
    assert win.server_label.isVisible()
    win.close()


def test_a_connection_problem_is_one_line_and_goes_when_the_servers_answer(qtbot, own_app, runner):
    """The sessions window's status bar showed a raw two-line server error for minutes after the server was back."""
    from boxoffice.errors import BackendUnavailable

    make_session(own_app)
    win = SessionsWindow(runner)
    qtbot.addWidget(win)
    win.show()
    win.on_app_built(own_app.desk)
    connected = win.backend_label.text()
    win.on_overview_failed(BackendUnavailable("database unavailable\nDETAIL: Consistent recovery state has not been "
                                              "yet reached."))
    assert win.backend_label.text() == "Connection problem: database unavailable"
    assert "Consistent recovery" in win.backend_label.toolTip()
    win.on_overview_loaded(SessionsPicture([], None, None, False))
    assert win.backend_label.text() == connected and win.backend_label.toolTip() == ""
    win.timer.stop()
    if win.login_dialog is not None:
        win.login_dialog.reject()


def test_a_poll_answered_after_its_window_closed_touches_nothing(qtbot, own_app, runner):
    """The read runs on the pool: a window closed meanwhile used to get a RuntimeError (deleted QLabel/QTimer) in the
    event loop — caught by a later test as an error."""
    from PySide6.QtWidgets import QLabel, QWidget
    from shiboken6 import delete

    from ui.server_status import ServerStatus

    parent = QWidget()
    label = QLabel(parent)
    status = ServerStatus(own_app.desk, runner, label, parent)
    event, _ = restarted_at(POSTGRESQL)
    delete(parent)  # the window is gone (its label, its poller and its timer with it)
    status.on_latest_loaded(event)  # the answer of a read that was in flight arrives now: nothing happens
