"""Degraded mode at the window: Redis (a private Valkey) goes away under an open sale window and sessions window —
both show the banner, the seat map follows the database every 2 s and sells from it; Redis back → the banner goes and
the map is live again."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from boxoffice.services.booking import SaleRequest
from boxoffice.services.degraded import sold_degraded
from tests.conftest import make_session
from tests.integration.degraded_helpers import PrivateValkey, build_on, drop_database, own_database, unique
from ui.sale_window import SaleWindow
from ui.sessions_window import SessionsWindow
from ui.tasks import TaskRunner

BANNER = "Seat map not live — selling from the database"


@pytest.fixture
def outage(settings):
    valkey = PrivateValkey(Path(tempfile.mkdtemp(prefix="bo-valkey-ui-")))
    valkey.start()
    name = unique("bo_degraded_ui")
    dsettings = replace(settings, database_url=own_database(settings, name), redis_url=valkey.url)
    app = build_on(dsettings, valkey.url, migrate=True)
    yield app, valkey
    app.close()
    valkey.stop()
    drop_database(settings, name)


def test_banner_and_database_map_while_redis_is_down(qtbot, outage):
    app, valkey = outage
    session = make_session(app)
    sid = session.session_id
    layout = app.catalog.layout(session.venue_id)
    runner = TaskRunner()
    win = SaleWindow(app.desk, runner, session, layout, app.accounts.get("alice"))
    qtbot.addWidget(win)
    win.show()
    sessions = SessionsWindow(runner)
    qtbot.addWidget(sessions)
    sessions.show()
    sessions.on_app_built(app.desk)  # as main.py does once the servers answer (the sign-in dialog is not needed here)
    sessions.user = app.accounts.get("alice")
    try:
        qtbot.waitUntil(lambda: win.map.version >= 0, timeout=5000)
        assert win.banner.isHidden() and win.banner.text() == BANNER
        sessions.refresh(first=True)
        qtbot.waitUntil(lambda: len(sessions.model.rows) >= 1, timeout=5000)
        assert sessions.banner.isHidden()

        valkey.stop()
        qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=10_000)  # the feed found Redis gone
        sessions.refresh()
        qtbot.waitUntil(lambda: sessions.banner.isVisible(), timeout=5000)
        assert sessions.banner.text() == BANNER

        other = app.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-7",)))  # another window sells meanwhile
        seat = layout.by_label["S2-C-7"].index
        assert sold_degraded(other)
        qtbot.waitUntil(lambda: win.map.state(seat) == "sold", timeout=5000)  # from the database, within ~2 s

        win.map.select([layout.by_label["S2-C-8"].index])
        win.on_sell_button_clicked()
        qtbot.waitUntil(lambda: win.message.text().startswith("Order"), timeout=10_000)
        qtbot.waitUntil(lambda: win.map.state(layout.by_label["S2-C-8"].index) == "sold", timeout=5000)

        valkey.start()
        qtbot.waitUntil(lambda: win.banner.isHidden(), timeout=15_000)
        sessions.refresh()
        qtbot.waitUntil(lambda: sessions.banner.isHidden(), timeout=5000)
        live = app.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-9",)))
        assert not sold_degraded(live)
        qtbot.waitUntil(lambda: win.map.state(layout.by_label["S2-C-9"].index) == "sold", timeout=5000)
    finally:
        sessions.timer.stop()
        win.close()
        runner.shutdown()


def test_the_banner_is_translated(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import install_translations, uninstall_translations

    translators = install_translations(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("DegradedBanner", BANNER) == "座位图未实时更新 — 正在从数据库售票"
    finally:
        uninstall_translations(qapp, translators)
