"""Simplified Chinese ships compiled, loads, translates every message of its source and formats dates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

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


def test_every_message_of_the_translation_source_is_translated_by_the_compiled_file(chinese):
    """The shipped .qm answers every message of the .ts with its translation: a string added to the .ts without a
    translation, or a .ts edited without compiling the .qm again, fails here."""
    from xml.etree import ElementTree

    from ui.i18n import TRANSLATIONS

    root = ElementTree.parse(TRANSLATIONS / "boxoffice_zh_CN.ts").getroot()
    messages = [(ctx.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
                for ctx in root.iter("context") for m in ctx.iter("message")]
    assert len(messages) > 100
    untranslated = [src for _, src, tr in messages if tr is None or tr.get("type") or not tr.text]
    assert not untranslated, f"untranslated in the .ts: {untranslated[:5]}"
    stale = [(ctx, src) for ctx, src, tr in messages if QCoreApplication.translate(ctx, src) != tr.text]
    assert not stale, f"the .qm does not answer these as the .ts says (compile it again): {stale[:5]}"


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
