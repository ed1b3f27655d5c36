"""The day report dialog shows its paths from their start (the folder), wide enough to read, whole in a tooltip."""

from __future__ import annotations

import os
from pathlib import Path

from tests.ui.supervisor.test_supervisor_panels import runner  # noqa: F401 - fixture
from ui.supervisor.day_report import DayReportDialog

SHOTS = Path(os.environ["BOXOFFICE_SHOTS"]) if os.environ.get("BOXOFFICE_SHOTS") else None


def test_the_paths_show_their_start(qtbot, app, runner, tmp_path):  # noqa: F811
    folder = Path("/srv/boxoffice/reports/box office/season 2026")  # nothing is written here: no save
    dialog = DayReportDialog(app.desk, runner, app.accounts.get("sam"), folder)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str((SHOTS or tmp_path) / "day-report-paths.png"))
    for edit in (dialog.csv_path, dialog.pdf_path):
        assert edit.cursorPosition() == 0, "the start of the path is in view"
        assert edit.toolTip() == edit.text() and edit.text().startswith(str(folder))
        # the whole path fits in the field (it is not long): nothing of it is hidden
        assert edit.fontMetrics().horizontalAdvance(edit.text()) < edit.width() - 8, (edit.width(), edit.text())
