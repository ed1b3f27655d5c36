"""Window tests: feeds that are still finishing their last read when the run ends are waited for once, as main.py does
at exit (a QThread destroyed while it runs aborts the process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _feeds_finish_before_exit() -> Iterator[None]:
    yield
    from ui.live_feed import wait_for_feeds

    assert wait_for_feeds(15_000), "a live feed's thread did not finish"


@pytest.fixture
def open_window(qtbot, app, session):
    """Opens sale windows on the test session (alice by default): shown, active, following the session live and with
    the clerk's holds read. Closes them after, without asking about holds a test left."""
    from ui.sale_window import SaleWindow
    from ui.tasks import TaskRunner

    runner = TaskRunner()
    windows: list[SaleWindow] = []

    def open_(username: str = "alice") -> SaleWindow:
        win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get(username))
        qtbot.addWidget(win)
        win.show()
        win.activateWindow()
        qtbot.waitUntil(lambda: win.map.version >= 0 and win.holds_panel.loaded and win.isActiveWindow(),
                        timeout=5000)
        windows.append(win)
        return win

    yield open_
    for win in windows:
        win.ask_before_closing = False
        win.close()
    runner.shutdown()


@pytest.fixture
def live_map(qtbot, app, session):
    """A seat map of the test session following it live through the FrontDesk's feed (stopped after)."""
    from ui.live_feed import LiveFeed
    from ui.seat_map import SeatMap, connect_feed

    seat_map = SeatMap()
    qtbot.addWidget(seat_map)
    seat_map.resize(800, 600)
    seat_map.show()
    seat_map.set_layout(app.catalog.layout(session.venue_id))
    feed = LiveFeed(app.desk, session.session_id)
    connect_feed(feed, seat_map)
    feed.start()
    qtbot.waitUntil(lambda: seat_map.version >= 0, timeout=5000)
    yield seat_map
    feed.stop()


@pytest.fixture
def clerk(app) -> str:
    """A clerk of this test alone (a till, a sign-in or a lockout of theirs touches no other test)."""
    import secrets

    from tests.conftest import TEST_PASSWORD

    name = f"uiclerk{secrets.token_hex(3)}"
    app.accounts.ensure(name, "UI clerk", "clerk", TEST_PASSWORD)
    return name


@pytest.fixture
def runner():
    """A task runner of this test, shut down after."""
    from ui.tasks import TaskRunner

    r = TaskRunner()
    yield r
    r.shutdown()
