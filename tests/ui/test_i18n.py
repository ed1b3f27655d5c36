"""Simplified Chinese ships compiled and loads; CJK text has a font to render with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from ui.i18n import choose_language, install_translations, uninstall_translations, when
from ui.sessions_window import SessionsModel
from ui.tasks import TaskRunner


@pytest.fixture
def chinese(qapp):
    translators = install_translations(qapp, "zh_CN")
    yield translators
    uninstall_translations(qapp, translators)


def test_chinese_translation_loads_and_translates_the_windows(chinese, qtbot):
    assert chinese, "boxoffice_zh_CN.qm did not load"
    assert QCoreApplication.translate("SessionsModel", "Starts") == "开始时间"
    from PySide6.QtCore import Qt

    assert SessionsModel().headerData(1, Qt.Orientation.Horizontal) == "场馆"
    from ui.sessions_window import SessionsWindow

    win = SessionsWindow(TaskRunner())
    qtbot.addWidget(win)
    assert win.windowTitle() == "票务 — 场次"


def test_language_choice():
    assert choose_language("zh_TW") == "zh_CN" and choose_language("zh") == "zh_CN"
    assert choose_language("en_GB") is None and choose_language("fr_FR") is None


def test_a_cjk_font_has_the_glyphs(qapp):
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if not families:
        pytest.skip("no CJK font on this machine (Debian: apt-get install fonts-noto-cjk; .ci/run installs it)")
    metrics = QFontMetrics(QFont(families[0]))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "票务场次开始时间")


def test_dates_follow_the_language(qapp):
    from datetime import datetime, timezone

    from PySide6.QtCore import QLocale

    moment = datetime(2026, 11, 25, 19, 30, tzinfo=timezone.utc)
    local = moment.astimezone()
    QLocale.setDefault(QLocale("en_US"))
    assert when(moment) == f"{local:%a} {local.day} {local:%b %H:%M}"
    translators = install_translations(qapp, "zh_CN")
    try:
        weekday = "一二三四五六日"[local.weekday()]
        assert when(moment) == f"{local.month}月{local.day}日 周{weekday} {local:%H:%M}"
    finally:
        uninstall_translations(qapp, translators)
