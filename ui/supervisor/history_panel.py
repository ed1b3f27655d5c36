"""A seat's history: who held, sold, exchanged, cancelled or repaired it, and when (audit log + change stream)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import FrontDesk
from boxoffice.services.insights import DETAILS, SYSTEM, Detail, SeatEvent

from ..i18n import TIMESTAMP, when, word
from ..messages import describe
from ..tasks import TaskRunner
from .tables import read_only_table

# the event kinds of boxoffice.services.insights.KINDS, as the supervisor reads them
KIND_NAMES = {
    "held": QT_TRANSLATE_NOOP("SeatHistoryPanel", "held"),
    "released": QT_TRANSLATE_NOOP("SeatHistoryPanel", "hold released"),
    "sold": QT_TRANSLATE_NOOP("SeatHistoryPanel", "sold"),
    "cancelled": QT_TRANSLATE_NOOP("SeatHistoryPanel", "cancelled"),
    "exchanged_in": QT_TRANSLATE_NOOP("SeatHistoryPanel", "exchanged in"),
    "exchanged_out": QT_TRANSLATE_NOOP("SeatHistoryPanel", "exchanged out"),
    "repaired": QT_TRANSLATE_NOOP("SeatHistoryPanel", "repaired"),
    "rebuilt": QT_TRANSLATE_NOOP("SeatHistoryPanel", "seat map rebuilt"),
    "freed": QT_TRANSLATE_NOOP("SeatHistoryPanel", "freed"),
}


def detail_text(detail: str) -> str:
    """A seat event's detail in the supervisor's language: each part from its template (a param that is a Detail
    itself, such as a payment method or why a hold ended, translated too); a plain text as it is."""
    if not isinstance(detail, Detail):
        return detail
    return "".join(
        QCoreApplication.translate("insights", DETAILS[key]).format(
            **{name: detail_text(value) for name, value in params.items()})
        for key, params in detail.parts)


class SeatHistoryPanel(QWidget):
    """Type a seat label and press Enter, or let the supervisor window call :meth:`show_seat`."""

    # a history was shown: the seat label and its events (oldest first)
    loaded = Signal(str, list)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatHistoryPanel")
        self.desk, self.runner, self.user = desk, runner, user
        self.session_id: int | None = None
        self.label = ""
        self.events: list[SeatEvent] = []
        self._request = 0

        self.query = QLineEdit()
        self.query.setObjectName("seatLabel")
        self.query.setPlaceholderText(self.tr("seat label, e.g. N3-A-12 — Enter shows its history"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.on_query_return_pressed)
        self.show_button = QPushButton(self.tr("Show history"))
        self.show_button.setObjectName("showHistory")
        self.show_button.clicked.connect(self.on_query_return_pressed)
        self.heading = QLabel()
        self.heading.setObjectName("historyHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.message = QLabel()
        self.message.setObjectName("historyMessage")
        self.message.setWordWrap(True)

        self.table = read_only_table(
            "seatHistory", [self.tr("Time"), self.tr("Event"), self.tr("By"), self.tr("Order"), self.tr("Detail")], 4)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Seat")))
        row.addWidget(self.query, 1)
        row.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.set_session(None)

    # -- public ---------------------------------------------------------------------------------------------------
    def set_session(self, session_id: int | None) -> None:
        """Follow another session: the table empties until a seat is asked for."""
        if session_id != self.session_id or session_id is None:
            self.session_id = session_id
            self._request += 1  # an answer still on its way is for the old session
            self.label, self.events = "", []
            self.table.setRowCount(0)
            self.heading.setText("")
            self.message.setText("" if session_id is not None else self.tr("Choose a session first."))
        self.query.setEnabled(session_id is not None)
        self.show_button.setEnabled(session_id is not None)

    def show_seat(self, session_id: int, label: str) -> None:
        """Load and show one seat's history (the supervisor clicked it on a map)."""
        self.set_session(session_id)
        self.query.setText(label)
        self.load(label)

    # -- loading --------------------------------------------------------------------------------------------------
    @Slot()
    def on_query_return_pressed(self) -> None:
        self.load(self.query.text())

    def load(self, label: str) -> None:
        label = label.strip()
        if self.session_id is None:
            self.message.setText(self.tr("Choose a session first."))
            return
        if not label:
            self.message.setText(self.tr("Type a seat label."))
            return
        self._request += 1
        request, desk, user, sid = self._request, self.desk, self.user, self.session_id
        self.message.setText(self.tr("Loading the history of {0}…").format(label))
        self.runner.run(lambda: desk.seat_history(user, sid, label),
                        lambda events: self.on_loaded(request, label, events),
                        lambda exc: self.on_failed(request, label, exc), owner=self)

    def on_loaded(self, request: int, label: str, events: list[SeatEvent]) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return  # the panel is gone, or another seat was asked for since
        self.label, self.events = label, events
        self.heading.setText(self.tr("Seat {0} — session {1}").format(label, self.session_id))
        self.table.setRowCount(len(events))
        for row, e in enumerate(events):
            kind = KIND_NAMES.get(e.kind)
            values = (
                when(e.at, TIMESTAMP),
                QCoreApplication.translate("SeatHistoryPanel", kind) if kind else e.kind,
                word(e.actor) if e.actor == SYSTEM else e.actor,
                "" if e.order_id is None else str(e.order_id),
                detail_text(e.detail),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 4:
                    item.setToolTip(value)
                if col == 1:
                    item.setToolTip(self.tr("from the audit log") if e.source == "audit"
                                    else self.tr("from the live change stream (Redis)"))
                self.table.setItem(row, col, item)
        self.table.scrollToBottom()
        self.message.setText(self.tr("{0} event(s).").format(len(events)) if events
                             else self.tr("Nothing has happened to this seat yet."))
        self.loaded.emit(label, events)

    def on_failed(self, request: int, label: str, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return
        self.label, self.events = label, []
        self.table.setRowCount(0)
        self.heading.setText("")
        self.message.setText(describe(exc)[1])
