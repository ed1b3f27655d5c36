"""Simplified Chinese ships compiled, loads, translates every message of its source and formats dates."""

from __future__ import annotations

from pathlib import Path

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


# -- issue 13 item 8: every message a person reads goes through translation -----------------------------------------
ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ts_is_complete_current_and_compiled():
    """The .ts has every source text of the windows and the errors (lupdate finds nothing new), no unfinished,
    vanished or context-less entry, keeps every {field}, and the committed .qm is what lrelease makes of it."""
    assert _tool("translations").check() == []


#: calls that put text in front of a person, and the literals they must not be given untranslated
SINKS = {"setText", "setWindowTitle", "setToolTip", "showMessage", "setPlaceholderText", "addAction", "addMenu",
         "setStatusTip", "setTitle", "addItem", "addItems", "addTab", "setTabText", "setHeaderLabels",
         "setHorizontalHeaderLabels", "setLabelText", "setItemText", "insertItem", "addRow", "setWhatsThis",
         "setAccessibleName", "showText", "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox",
         "QAction", "QMenu", "QToolButton", "warning", "information", "critical", "question", "about", "setSuffix",
         "setPrefix", "setSpecialValueText", "setInformativeText", "setDetailedText", "addButton", "setTitleText",
         "setName", "setLabel", "QBarSet", "QPieSlice", "QTableWidgetItem", "QStandardItem", "QListWidgetItem",
         "QTreeWidgetItem"}


def _wordy(node) -> bool:
    """A literal a person would read: a string (or an f-string's literal part) with a letter in it, also inside
    ``"...".format()``, a concatenation, a conditional or a list."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_wordy(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _wordy(node.func.value)
    if isinstance(node, ast.BinOp):
        return _wordy(node.left) or _wordy(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_wordy(e) for e in node.elts)
    if isinstance(node, ast.IfExp):
        return _wordy(node.body) or _wordy(node.orelse)
    return False


def untranslated_literals(root) -> list[str]:
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name not in SINKS:
                continue
            args = [*node.args, *(k.value for k in node.keywords)]
            if name in ("addItem", "insertItem"):  # (text, data) / (index, text, data): the data is a code
                args = node.args[:1] if name == "addItem" else node.args[1:2]
            found += [f"{path.relative_to(root)}:{node.lineno}: {name}({ast.unparse(a)[:60]})" for a in args
                      if _wordy(a)]
    return found


def test_no_user_visible_literal_bypasses_translation(tmp_path):
    assert untranslated_literals(ROOT / "ui") == []
    # the scan itself sees a bypass
    (tmp_path / "bad.py").write_text('label.setText("free")\nbox.addItem(f"F{k} {name}", code)\n'
                                     'QMessageBox.warning(self, self.tr("Title"), "Oops: {0}".format(x))\n'
                                     'ok.setText(self.tr("Fine"))\nlabel.setText(f"{a} — {b}")\n')
    assert [line.split(": ", 1)[1] for line in untranslated_literals(tmp_path)] == [
        "setText('free')", "addItem(f'F{k} {name}')", "warning('Oops: {0}'.format(x))"]


def test_errors_are_shown_in_the_windows_language_and_stay_english_for_the_cli(chinese):
    from boxoffice.errors import AuthenticationFailed, NotFound, SeatsUnavailable, TokenOrderCancelled
    from ui.messages import describe

    missing = NotFound(reason="order_not_found", order_id=99)
    assert str(missing) == "no order with id 99" and missing.code == "not_found"
    assert describe(missing) == ("请检查输入", "没有编号为 99 的订单")
    refused = AuthenticationFailed()
    assert str(refused) == "unknown user or wrong password, or the account is locked for a while"
    assert describe(refused) == ("登录失败", "用户名或密码错误，或账号已被暂时锁定")
    assert describe(SeatsUnavailable(["S1-A-1"], reason="seat_blocked"))[1] == "S1-A-1 已封锁（不出售）"
    assert describe(TokenOrderCancelled(7))[1] == "此令牌下的销售是订单 7，其状态为“已取消”；请开始新的销售"


def test_sign_in_refusal_role_and_seat_states_in_chinese(qtbot, app, session, chinese):
    """The sign-in dialog's refusal, the clerk's role next to their name and the seat tooltip's state word."""
    from ui.login_dialog import LoginDialog
    from ui.sale_window import SaleWindow
    from ui.sessions_window import SessionsWindow

    runner = TaskRunner()
    try:
        dialog = LoginDialog(runner, app.desk.login, [], None)
        qtbot.addWidget(dialog)
        dialog.username.setText("nobody-here")
        dialog.password.setText("wrong password")
        dialog.on_buttons_accepted()
        dialog.show()
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
        assert dialog.error.text() == "用户名或密码错误，或账号已被暂时锁定"

        with pytest.raises(Exception) as lookup:
            app.desk.find_order("99999999", session.session_id)
        from ui.messages import describe

        assert describe(lookup.value)[1] == "没有编号为 99999999 的订单"

        sessions = SessionsWindow(runner)
        qtbot.addWidget(sessions)
        sessions.desk = app.desk
        sessions.on_login_dialog_signed_in(app.accounts.get("alice"))
        assert sessions.user_label.text() == "Alice Martin（售票员）"
        sessions.timer.stop()

        win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get("alice"))
        qtbot.addWidget(win)
        qtbot.waitUntil(lambda: win.map.version >= 0, timeout=5000)
        assert win.map.describe(0).endswith("不可售") and win.map.describe(1).endswith("空座")  # S1-A-1 is blocked
        win.close()
    finally:
        runner.shutdown()


# -- user review: in Chinese, a supervisor signing in (after a clerk, or first) got English windows ---------------------
CHINESE_DATE = r"^\d{1,2}月\d{1,2}日 周[一二三四五六日] \d\d:\d\d$"  # "12月3日 周四 19:30", not "周四 3 12月 19:30"


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _sessions_window_is_chinese(sessions) -> None:
    import re

    from PySide6.QtCore import Qt

    model = sessions.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[:2] == ["开始时间", "场馆"], headers
    assert model.rowCount() > 0
    assert re.match(CHINESE_DATE, model.data(model.index(0, 0))), model.data(model.index(0, 0))
    assert _has_han(model.data(model.index(0, model.columnCount() - 1)))  # "在售" / "已停售", not "on sale"
    assert sessions.lag_label.text().startswith("消息延迟"), sessions.lag_label.text()  # not "Outbox lag"
    assert sessions.till_label.text().startswith("今日收款"), sessions.till_label.text()  # not "Till today"
    assert sessions.supervisor_menu.title() == "主管(&S)"


def test_a_supervisor_signing_in_gets_chinese_windows(qtbot, qapp, app, session, chinese, tmp_path):
    """A clerk signs in, signs out; the supervisor signs in: the sessions window (headers, state words, dates, status
    bar) and the supervisor screen (tabs, buttons, charts) stay Chinese — also after the day report's PDF is written
    in the same process (the PDF writers make a Qt application only when there is none)."""
    import re

    from PySide6.QtCore import QLocale

    from ui.day_report_pdf import write_day_report
    from ui.sessions_window import SessionsWindow

    runner = TaskRunner()
    sessions = SessionsWindow(runner)
    qtbot.addWidget(sessions)
    try:
        sessions.desk = app.desk
        sessions.on_login_dialog_signed_in(app.accounts.get("bob"))
        qtbot.waitUntil(lambda: sessions.model.rowCount() > 0 and bool(sessions.till_label.text()), timeout=10_000)
        assert sessions.user_label.text() == "Bob Chen（售票员）"
        _sessions_window_is_chinese(sessions)
        sessions.desk = None  # sign out without a new sign-in dialog (the test signs the supervisor in itself)
        assert sessions.sign_out()
        sessions.desk = app.desk
        assert sessions.model.rowCount() == 0 and sessions.till_label.text() == ""

        sessions.on_login_dialog_signed_in(app.accounts.get("sam"))
        qtbot.waitUntil(lambda: sessions.model.rowCount() > 0 and bool(sessions.till_label.text()), timeout=10_000)
        assert sessions.user_label.text() == "Sam Okafor（主管）"
        assert sessions.windowTitle() == "票务 — 场次 — Sam Okafor（主管）"
        _sessions_window_is_chinese(sessions)

        sessions.open_supervisor()
        sup = sessions.supervisor_window
        assert sup is not None and sup.isVisible()
        assert [sup.tabs.tabText(i) for i in range(sup.tabs.count())] == ["偏差与修复", "座位历史", "图表", "发件箱"]
        assert sup.check_button.text() == "立即检查" and _has_han(sup.repair_button.text())
        assert _has_han(sup.charts.message.text())
        assert sup.windowTitle() == "票务 — 主管 — Sam Okafor（主管）"

        write_day_report(tmp_path / "day.pdf", app.desk.day_report(app.accounts.get("sam"), None, None).to_dict())
        assert QLocale().name() == "zh_CN"
        sessions.refresh(first=True)
        qtbot.waitUntil(lambda: not sessions._refreshing, timeout=10_000)
        _sessions_window_is_chinese(sessions)
        assert re.match(CHINESE_DATE, sessions.model.data(sessions.model.index(0, 0)))
        sup.close()
    finally:
        sessions.timer.stop()
        runner.shutdown()


def test_the_clerks_till_workstation_and_tender_are_chinese(open_window, chinese, qtbot):
    """The sale window's Till and Workstation menus, the open-till dialog, the X report and "Cash given"."""
    from ui.till_dialogs import ReportDialog

    win = open_window("bob")
    menus = [a.text() for a in win.menuBar().actions()]
    assert "收银机" in menus and "工作站" in menus, menus
    till_items = [a.text() for a in win.till.menu.actions()]
    assert till_items[0] == "开启收银机…" and "X 报表" in till_items, till_items
    assert all(_has_han(t) for t in till_items), till_items
    dialog = win.till.open_till()
    assert dialog.windowTitle() == "开启收银机"
    dialog.reject()
    report = ReportDialog(win.desk, win.runner, win.user, parent=win)
    qtbot.addWidget(report)
    assert _has_han(report.windowTitle()), report.windowTitle()
    report.close()
    assert win.tender.cash_given_label.text() == "收到现金"
