"""The supervisor's "Day report…": choose a day and a time zone (this machine's by default), where to save the CSV
and/or the PDF; the report is built and written on the task runner (never on the GUI thread) with a progress dialog
that names each step: reading the day's orders and payments, then writing the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import shiboken6
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.dayreport import DayReport
from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import FrontDesk

from ..messages import describe
from ..tasks import TaskRunner


def write_files(desk: FrontDesk, report: DayReport, csv_path: Path | None, pdf_path: Path | None) -> list[Path]:
    """Write the report's CSV and/or PDF (runs on the task runner); returns the files written."""
    from ..day_report_pdf import write_day_report

    written = []
    if csv_path is not None:
        written.append(desk.save_day_report_csv(report, csv_path))
    if pdf_path is not None:
        write_day_report(pdf_path, report.to_dict())
        written.append(pdf_path)
    return written


class DayReportDialog(QDialog):
    """Asks for the day, the zone and the files; ``save()`` builds and writes them off the GUI thread and emits
    ``saved`` with the paths (or shows the error in the dialog, which stays open)."""

    saved = Signal(list)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayReportDialog")
        self.setWindowTitle(self.tr("Day report"))
        self.desk, self.runner, self.user = desk, runner, user
        self.report: DayReport | None = None
        self.progress: QProgressDialog | None = None
        self.written: list[Path] = []

        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("reportDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(self._suggest_paths)
        self.zone = QComboBox()
        self.zone.setObjectName("reportZone")
        self.zone.setEditable(True)
        local = desk.local_zone()
        self.zone.addItems(sorted(available_timezones() | {local}))
        self.zone.setCurrentText(local)
        self.folder = folder
        self.csv_check = QCheckBox(self.tr("CSV (one file, opens in a spreadsheet)"))
        self.csv_check.setChecked(True)
        self.csv_path = QLineEdit()
        self.csv_path.setObjectName("csvPath")
        self.pdf_check = QCheckBox(self.tr("PDF (A4, a table per section)"))
        self.pdf_check.setChecked(True)
        self.pdf_path = QLineEdit()
        self.pdf_path.setObjectName("pdfPath")
        for edit in (self.csv_path, self.pdf_path):
            # a path is read from its start (the folder): shown from there, as wide as it needs (within reason),
            # and whole in the tooltip — the field used to show only its end
            edit.textChanged.connect(lambda _text, e=edit: self._show_path_start(e))
        self._suggest_paths()

        form = QFormLayout()
        form.addRow(self.tr("Day"), self.date_edit)
        form.addRow(self.tr("Time zone"), self.zone)
        for check, edit, pattern in ((self.csv_check, self.csv_path, "CSV (*.csv)"),
                                     (self.pdf_check, self.pdf_path, "PDF (*.pdf)")):
            browse = QPushButton(self.tr("Browse…"))
            browse.clicked.connect(lambda _=False, e=edit, p=pattern: self._browse(e, p))
            check.toggled.connect(edit.setEnabled)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(browse)
            form.addRow(check, row)
        self.error = QLabel()
        self.error.setObjectName("dayReportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(self.tr("Build and save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveDayReport")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        intro = QLabel(self.tr("The orders and payments made on the day (local midnight to midnight in the time "
                               "zone), per session, clerk, payment method and price type."))
        intro.setWordWrap(True)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.resize(620, 0)

    def _suggest_paths(self, *_: Any) -> None:
        day = self.date_edit.date().toString("yyyy-MM-dd")
        self.csv_path.setText(str(self.folder / f"day-report-{day}.csv"))
        self.pdf_path.setText(str(self.folder / f"day-report-{day}.pdf"))

    @staticmethod
    def _show_path_start(edit: QLineEdit) -> None:
        text = edit.text()
        edit.setMinimumWidth(min(640, max(320, edit.fontMetrics().horizontalAdvance(text) + 24)))
        edit.setToolTip(text)
        if not edit.hasFocus():
            edit.setCursorPosition(0)  # the start of the path in view

    def _browse(self, edit: QLineEdit, pattern: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the day report as"), edit.text(), pattern)
        if path:
            edit.setText(path)

    # -- building and saving, off the GUI thread ------------------------------------------------------------------
    def save(self) -> None:
        csv_path = Path(self.csv_path.text().strip()) if self.csv_check.isChecked() and self.csv_path.text().strip() \
            else None
        pdf_path = Path(self.pdf_path.text().strip()) if self.pdf_check.isChecked() and self.pdf_path.text().strip() \
            else None
        if csv_path is None and pdf_path is None:
            self.error.setText(self.tr("Choose a CSV or a PDF file to save."))
            return
        self.error.clear()
        self.save_button.setEnabled(False)
        day, tz = self.date_edit.date().toString("yyyy-MM-dd"), self.zone.currentText().strip()
        self.progress = QProgressDialog(self.tr("Reading the orders and payments of {0}…").format(day), "", 0, 2, self)
        self.progress.setObjectName("dayReportProgress")
        self.progress.setWindowTitle(self.tr("Day report"))
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setValue(0)
        self.progress.show()
        desk, user = self.desk, self.user
        self.runner.run(lambda: desk.day_report(user, day, tz),
                        lambda report: self.on_built(report, csv_path, pdf_path), self.on_failed, owner=self)

    def on_built(self, report: DayReport, csv_path: Path | None, pdf_path: Path | None) -> None:
        if not shiboken6.isValid(self):
            return
        self.report = report
        if self.progress is not None:
            self.progress.setValue(1)
            self.progress.setLabelText(self.tr("Writing the files…"))
        desk = self.desk
        self.runner.run(lambda: write_files(desk, report, csv_path, pdf_path), self.on_written, self.on_failed,
                        owner=self)

    def on_written(self, paths: list[Path]) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_progress()
        self.written = paths
        self.saved.emit(paths)
        self.accept()

    def on_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_progress()
        self.save_button.setEnabled(True)
        title, message = describe(exc)
        self.error.setText(f"{title}: {message}")

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.setValue(2)
            self.progress.close()
            self.progress = None
