"""Outbox monitor: backlog figures every two seconds, the dead letters, and an audited retry."""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import FrontDesk
from boxoffice.services.outbox import DeadLetter, OutboxStatus

from ..i18n import TIMESTAMP, when
from ..messages import describe
from ..tasks import TaskRunner
from .tables import read_only_table

# the audit log's reason for a retry made here
RETRY_REASON = "retried from the outbox monitor"
# the application's colours (resources/styles/app.qss)
INK, MUTED, ALERT = "#27364a", "#5b6778", "#b3261e"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return QCoreApplication.translate("OutboxPanel", "{0} s").format(QLocale().toString(seconds, "f", 1))
    if seconds < 3600:
        return QCoreApplication.translate("OutboxPanel", "{0} min").format(QLocale().toString(seconds / 60, "f", 0))
    return QCoreApplication.translate("OutboxPanel", "{0} h").format(QLocale().toString(seconds / 3600, "f", 1))


def _colour(label: QLabel, colour: str) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)


class _Figure(QFrame):
    """One number with its caption."""

    def __init__(self, caption: str, name: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—")
        self.value.setObjectName(name)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label = QLabel(caption)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _colour(label, MUTED)
        box = QVBoxLayout(self)
        box.addWidget(self.value)
        box.addWidget(label)

    def set(self, text: str, alert: bool = False) -> None:
        self.value.setText(text)
        self.value.setProperty("alert", alert)
        _colour(self.value, ALERT if alert else INK)


class OutboxPanel(QWidget):
    """Pending, in flight, dead, age and lag of the outbox, refreshed every ``REFRESH_MS`` while shown."""

    REFRESH_MS = 2000
    # after each refresh that reached the servers: the status and the dead letters shown
    refreshed = Signal(object, list)
    # after a retry: how many messages went back to pending
    retried = Signal(int)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxPanel")
        self.desk, self.runner, self.user = desk, runner, user
        self.status: OutboxStatus | None = None
        self.letters: list[DeadLetter] = []
        self._refreshing = False
        self._retrying = False

        self.pending = _Figure(self.tr("Pending"), "outboxPending")
        self.in_flight = _Figure(self.tr("In flight"), "outboxInFlight")
        self.dead = _Figure(self.tr("Dead letters"), "outboxDead")
        self.age = _Figure(self.tr("Oldest unpublished"), "outboxAge")
        self.lag = _Figure(self.tr("Lag to the ledger"), "outboxLag")
        self.consumer = _Figure(self.tr("Consumer pending"), "outboxConsumerPending")
        self.age.setToolTip(self.tr("Age of the oldest message the relay has not published yet"))
        self.lag.setToolTip(self.tr("Age of the oldest message the inventory consumer has not applied yet"))
        self.consumer.setToolTip(self.tr("Messages delivered to the inventory consumer and not acknowledged yet"))
        figures = QHBoxLayout()
        for figure in (self.pending, self.in_flight, self.dead, self.age, self.lag, self.consumer):
            figures.addWidget(figure)

        self.table = read_only_table("deadLetters", [
            self.tr("Id"), self.tr("Topic"), self.tr("Order"), self.tr("Attempts"), self.tr("Last error"),
            self.tr("Created"),
        ], 4, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self.update_buttons)

        self.retry_selected_button = QPushButton(self.tr("Retry selected…"))
        self.retry_selected_button.setObjectName("retrySelected")
        self.retry_selected_button.clicked.connect(self.on_retry_selected_button_clicked)
        self.retry_all_button = QPushButton(self.tr("Retry all…"))
        self.retry_all_button.setObjectName("retryAll")
        self.retry_all_button.clicked.connect(self.on_retry_all_button_clicked)
        self.progress = QProgressBar()
        self.progress.setObjectName("outboxBusy")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("outboxMessage")
        self.message.setWordWrap(True)
        self.updated = QLabel()
        self.updated.setObjectName("outboxUpdated")
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_selected_button)
        buttons.addWidget(self.retry_all_button)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.updated)

        title = QLabel(self.tr("Dead letters (newest first)"))
        title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.update_buttons()

    # -- refresh --------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Load the figures and the dead letters off the GUI thread (quiet: it does not count as busy)."""
        if self._refreshing:
            return
        self._refreshing = True
        desk, user = self.desk, self.user
        self.runner.run(lambda: desk.outbox(user), self.on_loaded, self.on_load_failed, quiet=True)

    def on_loaded(self, loaded: tuple[OutboxStatus, list[DeadLetter]]) -> None:
        if not shiboken6.isValid(self):
            return
        self._refreshing = False
        self.show_status(*loaded)

    def on_load_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._refreshing = False
        self.message.setText(describe(exc)[1])

    def show_status(self, status: OutboxStatus, letters: list[DeadLetter]) -> None:
        self.status = status
        self.pending.set(f"{status.pending:,}")
        self.in_flight.set(f"{status.in_flight:,}")
        self.dead.set(f"{status.dead:,}", alert=status.dead > 0)
        self.age.set(_age(status.oldest_pending_age_s), alert=(status.oldest_pending_age_s or 0) > 30)
        self.lag.set(_age(status.lag_s), alert=(status.lag_s or 0) > 30)
        self.consumer.set(f"{status.consumer_pending:,}")
        if letters != self.letters:
            self.fill_table(letters)
        self.updated.setText(self.tr("Updated {0}").format(datetime.now().strftime("%H:%M:%S")))
        self.update_buttons()
        self.refreshed.emit(status, letters)

    def fill_table(self, letters: list[DeadLetter]) -> None:
        selected = set(self.selected_ids())
        self.letters = letters
        self.table.setRowCount(len(letters))
        for row, d in enumerate(letters):
            values = (str(d.id), d.topic, str(d.aggregate_id), str(d.attempts), d.last_error or "",
                      when(d.created_at, TIMESTAMP))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col in (0, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 4:
                    item.setToolTip(value)
                if col == 2 and d.session_id is not None:
                    item.setToolTip(self.tr("Session {0}").format(d.session_id))
                self.table.setItem(row, col, item)
        self.table.clearSelection()
        for row, d in enumerate(letters):
            if d.id in selected:
                self.table.selectRow(row)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.letters[r].id for r in rows if r < len(self.letters)]

    @Slot()
    def update_buttons(self) -> None:
        idle = not self._retrying
        self.retry_selected_button.setEnabled(idle and bool(self.selected_ids()))
        self.retry_all_button.setEnabled(idle and bool(self.letters))

    # -- retry ----------------------------------------------------------------------------------------------------
    @Slot()
    def on_retry_selected_button_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids or self._retrying:
            return
        answer = QMessageBox.question(
            self, self.tr("Retry dead letters"),
            self.tr("Put {0} dead letter(s) back in the queue? The relay publishes them again at once; the retry is "
                    "kept in the audit log.").format(len(ids)), defaultButton=QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.retry(ids)

    @Slot()
    def on_retry_all_button_clicked(self) -> None:
        if not self.letters or self._retrying:
            return
        answer = QMessageBox.question(
            self, self.tr("Retry dead letters"),
            self.tr("Put every dead letter back in the queue? The relay publishes them again at once; the retry is "
                    "kept in the audit log."), defaultButton=QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.retry(None)

    def retry(self, ids: list[int] | None) -> None:
        """Requeue these dead letters (``None``: all of them) on the runner, showing progress meanwhile."""
        desk, user = self.desk, self.user
        self._retrying = True
        self.progress.show()
        self.message.setText(self.tr("Requeueing…"))
        self.update_buttons()
        self.runner.run(lambda: desk.retry_dead(user, ids, RETRY_REASON), self.on_retried, self.on_retry_failed)

    def on_retried(self, count: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._retry_finished()
        self.message.setText(self.tr("{0} message(s) back in the queue.").format(count))
        self.retried.emit(count)
        self.refresh()

    def on_retry_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._retry_finished()
        self.message.setText(describe(exc)[1])

    def _retry_finished(self) -> None:
        self._retrying = False
        self.progress.hide()
        self.update_buttons()

    # -- visibility -----------------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().showEvent(event)
        if not self.timer.isActive():
            self.timer.start()
            self.refresh()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        self.timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        self.timer.stop()
        super().closeEvent(event)
