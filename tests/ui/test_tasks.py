"""The task runner delivers an op's answer on the GUI thread — and not at all once the window that asked is gone."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel
from shiboken6 import delete

from ui.tasks import TaskRunner


class Asker(QLabel):
    def on_done(self, text: str) -> None:
        self.setText(text)  # a deleted label raises here (RuntimeError, caught by pytest-qt as a failure)

    def on_failed(self, exc: BaseException) -> None:
        self.setText(f"failed: {exc}")


def test_an_answer_after_its_window_was_deleted_is_dropped_and_a_live_one_gets_it(qtbot):
    runner = TaskRunner()
    gone, alive, failing = Asker(), Asker(), Asker()
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "late answer"

    runner.run(slow, gone.on_done, gone.on_failed)
    runner.run(slow, alive.on_done, alive.on_failed)
    runner.run(lambda: 1 / 0, lambda _: None, failing.on_failed, owner=failing)
    delete(gone)  # the window closed and was deleted while its op ran
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    qtbot.wait(50)  # anything still queued to the GUI thread is handled
    assert alive.text() == "late answer" and failing.text() == "failed: division by zero"
    runner.shutdown()
