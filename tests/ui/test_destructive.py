"""Issue 13 item 10: every destructive confirmation defaults to Cancel/No — a stray Space or Enter never confirms.

Two checks: every ``QMessageBox.question`` in ui/ names its default button, and it is No or Cancel unless the
question is on the short list of harmless ones below; and, on real servers, the supervisor's force-release of a hold
is answered with Space, then Enter, by a supervisor who did not mean it: the hold stays.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import ROOT
from ui.supervisor.window import SupervisorWindow
from ui.tasks import TaskRunner

#: questions whose Yes destroys nothing (a stray Enter may answer them): (file, function)
HARMLESS = {("ui/sessions_window.py", "offer_demo")}  # loads the demo into an empty database


def _questions() -> list[tuple[str, str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            for node in ast.walk(fn):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("question", "warning")
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "QMessageBox"):
                    found.append((str(Path(path).relative_to(ROOT)), fn.name, node))
    return found


def _default(call: ast.Call) -> str | None:
    for kw in call.keywords:
        if kw.arg == "defaultButton":
            return ast.unparse(kw.value)
    if len(call.args) >= 5:
        return ast.unparse(call.args[4])
    return None


def test_every_destructive_question_in_ui_defaults_to_no_or_cancel():
    questions = [q for q in _questions() if q[2].func.attr == "question"]  # type: ignore[union-attr]
    assert len(questions) >= 4  # the supervisor's confirmation, the two outbox retries, the demo offer
    wrong = []
    for file, function, call in questions:
        if (file, function) in HARMLESS:
            continue
        default = _default(call)
        if default is None or not default.endswith((".No", ".Cancel")):
            wrong.append(f"{file}:{call.lineno} ({function}): default button {default}")
    assert not wrong, "destructive confirmations that a stray Enter or Space confirms:\n" + "\n".join(wrong)


@pytest.fixture
def runner():
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def answer_next_question_with(qtbot, key: Qt.Key, seen: list[dict]) -> None:
    """When the next modal question box shows, note its default and focused buttons and press ``key`` on the
    focused widget — as a stray key would."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        focused = box.focusWidget() or box
        seen.append({"default": box.standardButton(box.defaultButton()), "focused": box.standardButton(focused)
                     if focused is not box and focused in box.buttons() else None, "text": box.text()})
        qtbot.keyClick(focused, key)
        if box.isVisible():  # the key did not answer it: close it as No, so the test goes on
            box.done(QMessageBox.StandardButton.No)

    QTimer.singleShot(50, press)


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return])
def test_a_stray_key_does_not_force_release_a_hold(qtbot, app, session, runner, key):
    sid = session.session_id
    hold = app.booking.hold(sid, "bob", ["S2-D-8"])
    window = SupervisorWindow(app.desk, runner, app.accounts.get("sam"), refresh_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.row_of(sid) is not None, timeout=60_000)
    window.table.selectRow(window.model.row_of(sid))
    qtbot.waitUntil(lambda: window.holds.rowCount() == 1, timeout=5_000)
    seen: list[dict] = []
    answer_next_question_with(qtbot, key, seen)
    window.force_release(hold.token, reason="slipped")
    assert len(seen) == 1 and hold.token in seen[0]["text"]
    qtbot.wait(300)
    assert app.store.hold(sid, hold.token).state == "held"  # not released
    assert not window.status.text().startswith("Hold released")
    assert seen[0]["default"] == QMessageBox.StandardButton.No
    assert seen[0]["focused"] in (QMessageBox.StandardButton.No, None)

    # the supervisor who means it still can: Yes, clicked
    def click_yes() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click_yes)
            return
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, click_yes)
    window.force_release(hold.token, reason="customer walked away")
    qtbot.waitUntil(lambda: window.status.text().startswith("Hold released"), timeout=10_000)
    assert app.store.hold(sid, hold.token).state == "released"
    window.close()
