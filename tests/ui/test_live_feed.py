"""The live feed at the window, with Redis taken away for real: a TCP proxy in front of the test Redis refuses
connections (a closed port) or swallows the answers (a read that hangs). The sale window's app is built on the proxy
with degraded mode off, so the outage only shows as "Map not live — reconnecting…" and touches nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import redis
from shiboken6 import delete, isValid

from boxoffice.bootstrap import App, build
from tests.conftest import make_session
from tests.tcpproxy import TcpProxy
from ui.live_feed import running_feeds, wait_for_feeds
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner

NOT_LIVE = "Map not live — reconnecting…"


@pytest.fixture
def proxied(settings) -> Iterator[tuple[App, TcpProxy]]:
    """An app whose Redis client goes through a proxy to the test Redis (same database, same key prefix)."""
    kwargs = redis.Redis.from_url(settings.redis_url).connection_pool.connection_kwargs
    target = kwargs["path"] if "path" in kwargs else (kwargs.get("host", "127.0.0.1"), int(kwargs.get("port", 6379)))
    proxy = TcpProxy(target)
    url = f"redis://127.0.0.1:{proxy.port}/{kwargs.get('db', 0)}"
    app = build(replace(settings, redis_url=url, degraded="off"))
    yield app, proxy
    proxy.close()
    app.close()


@pytest.fixture
def window(qtbot, app, proxied) -> Iterator[tuple[SaleWindow, TcpProxy]]:
    """A clerk's sale window on the proxied app, its map live."""
    papp, proxy = proxied
    session = make_session(app)
    runner = TaskRunner()
    win = SaleWindow(papp.desk, runner, session, papp.desk.session_layout(session.session_id), app.accounts.get("alice"))
    win.show()  # not given to qtbot: one test deletes it, and qtbot would close it again
    qtbot.waitUntil(lambda: win.map.version >= 0, timeout=5000)
    yield win, proxy
    if isValid(win):
        win.close()
        delete(win)
    assert wait_for_feeds(15_000)
    runner.shutdown()


def test_the_clerk_sees_the_map_is_not_live_while_redis_does_not_answer(qtbot, app, window):
    win, proxy = window
    assert win.not_live.isHidden() and win.not_live.text() == NOT_LIVE
    proxy.down()  # connections refused, the open one cut
    qtbot.waitUntil(win.not_live.isVisible, timeout=5000)
    assert win.banner.isHidden()  # not degraded mode: the sales do not switch to the database
    assert "Redis" in win.not_live.toolTip()
    assert win.feed.failures >= 1
    proxy.up()
    qtbot.waitUntil(win.not_live.isHidden, timeout=10_000)
    # live again: another window's sale appears on the map
    app.desk.sell(app.accounts.get("bob"), win.session.session_id, (4,))
    qtbot.waitUntil(lambda: win.map.state(4) == "sold", timeout=5000)


def test_closing_a_window_while_its_feed_waits_for_redis_returns_at_once(qtbot, window):
    win, proxy = window
    feed = win.feed
    proxy.mute()  # the requests reach Redis, the answers never come back: the feed's next read hangs
    qtbot.wait(600)  # longer than one read (250 ms): the read under way now is one whose answer is lost
    reads = feed.reads
    qtbot.wait(300)
    assert feed.reads == reads and feed.is_running()  # mid-read
    started = time.perf_counter()
    win.close()
    assert time.perf_counter() - started < 0.5
    assert feed.stopping and feed.is_running()  # nobody waited for it
    delete(win)  # the window is gone before the read's answer (a timeout) arrives
    proxy.cut()  # the hanging read fails now; the feed ends on its own, and nothing is delivered to the window
    qtbot.waitUntil(lambda: not feed.is_running(), timeout=10_000)
    qtbot.wait(100)  # anything queued to the GUI thread is handled (pytest-qt fails the test on an exception)
    assert running_feeds() == 0 or wait_for_feeds(5_000)


def test_a_map_deleted_without_closing_its_window_stops_its_feed(qtbot, app, session):
    from ui.live_feed import LiveFeed
    from ui.seat_map import SeatMap, connect_feed

    seat_map = SeatMap()
    seat_map.set_layout(app.catalog.layout(session.venue_id))
    feed = LiveFeed(app.desk, session.session_id)
    connect_feed(feed, seat_map)
    feed.start()
    qtbot.waitUntil(lambda: seat_map.version >= 0, timeout=5000)
    delete(seat_map)
    assert feed.stopping
    qtbot.waitUntil(lambda: not feed.is_running(), timeout=5000)


def test_the_indication_is_translated(qapp):
    from ui.i18n import install_translations, uninstall_translations
    from ui.server_status import MapNotLiveBanner

    translators = install_translations(qapp, "zh_CN")
    try:
        assert MapNotLiveBanner().text() == "座位图未实时更新 — 正在重新连接…"
    finally:
        uninstall_translations(qapp, translators)
