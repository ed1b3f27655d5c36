"""The clerk's own holds of one session, in the sale window: each with a countdown, and Resume, Extend and Release.

The list comes from the seat store (``FrontDesk.my_holds``), so a window opened again — after a close, a crash or on
another day's login — finds the holds the clerk left; it is refreshed after each hold, sale and release, and every
few seconds (a hold that expired, or was sold in the clerk's other window, goes away). The countdown ticks locally
from each hold's expiry. The panel only asks: the window does what Resume means (the hold becomes the sale in
progress), and runs Extend and Release through the desk on the task runner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import MAX_HOLD_EXTENSIONS, FrontDesk, Hold

from .messages import describe
from .tasks import TaskRunner

#: under this many seconds left, a hold's countdown turns red
SOON_S = 60


def remaining(hold: Hold, now_ms: float | None = None) -> float:
    """Seconds the hold has left (negative: expired, waiting for the sweep)."""
    now_ms = time.time() * 1000 if now_ms is None else now_ms
    return (hold.expires_ms - now_ms) / 1000


def countdown(seconds: float) -> str:
    """m:ss (h:mm:ss past an hour) of a positive number of seconds."""
    s = max(0, int(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class HoldsPanel(QWidget):
    """"My holds": the signed-in clerk's live holds of one session."""

    #: Resume pressed (or a hold double-clicked): the window makes this hold the sale in progress
    resume_requested = Signal(object)
    #: Release pressed: the window gives this hold back
    release_requested = Signal(object)
    #: Extend pressed: the window asks the desk for more time
    extend_requested = Signal(object)
    #: the list was read again (the window and the map may show the own holds)
    holds_changed = Signal(list)

    REFRESH_MS = 5000

    def __init__(self, desk: FrontDesk, runner: TaskRunner, session_id: int, user: UserInfo,
                 seat_label: Callable[[int], str] = str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holdsPanel")
        self.desk, self.runner, self.session_id, self.user = desk, runner, session_id, user
        self.seat_label = seat_label
        self.holds: list[Hold] = []
        self._loading = False
        self._loaded = False
        self.title = QLabel(self.tr("My holds"))
        self.title.setObjectName("holdsTitle")
        self.list = QListWidget()
        self.list.setObjectName("myHolds")
        self.list.setMaximumHeight(96)
        # a long row (many seats) wraps inside the narrow panel instead of needing a horizontal scrollbar
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _item: self.on_resume_clicked())
        self.empty = QLabel(self.tr("No holds of yours in this session."))
        self.empty.setObjectName("holdsEmpty")
        self.empty.setWordWrap(True)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setObjectName("resumeHold")
        self.resume_button.setToolTip(self.tr("Make this hold the sale in progress: Enter then sells its seats"))
        self.resume_button.clicked.connect(self.on_resume_clicked)
        self.extend_button = QPushButton(self.tr("Extend"))
        self.extend_button.setObjectName("extendHold")
        self.extend_button.setToolTip(self.tr("Give the customer more time: the hold lasts a full hold time from now"))
        self.extend_button.clicked.connect(self.on_extend_clicked)
        self.release_button = QPushButton(self.tr("Release"))
        self.release_button.setObjectName("releaseHold")
        self.release_button.setToolTip(self.tr("Give the seats back: other windows can sell them at once"))
        self.release_button.clicked.connect(self.on_release_clicked)
        for b in (self.resume_button, self.extend_button, self.release_button):
            b.setAutoDefault(False)  # Enter sells; it never presses one of these
            b.setDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keyboard focus where it was
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.extend_button)
        buttons.addWidget(self.release_button)
        self.error = QLabel()
        self.error.setObjectName("holdsError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.list)
        column.addWidget(self.empty)
        column.addLayout(buttons)
        column.addWidget(self.error)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self.show_countdowns)
        self.tick.start()
        self.poll = QTimer(self)
        self.poll.setInterval(self.REFRESH_MS)
        self.poll.timeout.connect(self.refresh)
        self.poll.start()
        self._show()

    # -- data -----------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Read the clerk's holds again from the seat store (off the GUI thread)."""
        if self._loading:
            return
        self._loading = True
        desk, user, sid = self.desk, self.user, self.session_id
        self.runner.run(lambda: desk.my_holds(user, sid), self.on_loaded, self.on_load_failed, quiet=True)

    def on_loaded(self, holds: list[Hold]) -> None:
        self._loading, self._loaded = False, True
        self.error.setVisible(False)
        self.set_holds(holds)

    def on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.error.setText(self.tr("Holds not known now: {0}").format(describe(exc)[1]))
        self.error.setVisible(True)

    @property
    def loaded(self) -> bool:
        """The list was read from the seat store at least once."""
        return self._loaded

    def set_holds(self, holds: list[Hold]) -> None:
        """Show these holds (soonest expiry first); the selected one stays selected."""
        current = self.current()
        self.holds = sorted(holds, key=lambda h: h.expires_ms)
        self._show(current.token if current is not None else None)
        self.holds_changed.emit(list(self.holds))

    def put(self, hold: Hold) -> None:
        """One hold made or extended here: shown at once, before the next read."""
        self.set_holds([h for h in self.holds if h.token != hold.token] + [hold])

    def drop(self, token: str) -> None:
        """One hold sold or given back here: gone at once, before the next read."""
        if any(h.token == token for h in self.holds):
            self.set_holds([h for h in self.holds if h.token != token])

    def live(self) -> list[Hold]:
        """The holds not yet past their expiry."""
        return [h for h in self.holds if remaining(h) > 0]

    def current(self) -> Hold | None:
        row = self.list.currentRow()
        return self.holds[row] if 0 <= row < len(self.holds) and self.list.count() == len(self.holds) else None

    # -- view -----------------------------------------------------------------------------------------------------
    def _show(self, keep: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        row = 0
        for k, hold in enumerate(self.holds):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, hold.token)
            self.list.addItem(item)
            if hold.token == keep:
                row = k
        if self.holds:
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.list.setVisible(bool(self.holds))
        self.empty.setVisible(not self.holds)
        self.title.setText(self.tr("My holds ({0})").format(len(self.holds)) if self.holds else self.tr("My holds"))
        self.show_countdowns()
        self._update_buttons()

    def label_of(self, hold: Hold) -> str:
        return ", ".join(hold.labels) if hold.labels else ", ".join(self.seat_label(i) for i in hold.seats)

    @Slot()
    def show_countdowns(self) -> None:
        now_ms = time.time() * 1000
        for k, hold in enumerate(self.holds):
            item = self.list.item(k)
            if item is None:
                continue
            left = remaining(hold, now_ms)
            until = datetime.fromtimestamp(hold.expires_ms / 1000).strftime("%H:%M:%S")
            if left > 0:
                item.setText(self.tr("{0} — {1} left").format(self.label_of(hold), countdown(left)))
                item.setToolTip(self.tr("Held until {0}").format(until))
            else:
                item.setText(self.tr("{0} — expired").format(self.label_of(hold)))
                item.setToolTip(self.tr("Expired at {0}: the seats are being given back").format(until))
            item.setForeground(QBrush(QColor("#c62828")) if left < SOON_S else QBrush())
        self._update_buttons()

    def _update_buttons(self) -> None:
        hold = self.current()
        alive = hold is not None and remaining(hold) > 0
        for b in (self.resume_button, self.extend_button, self.release_button):
            b.setEnabled(alive)
            b.setVisible(bool(self.holds))
        if alive and hold.extensions >= MAX_HOLD_EXTENSIONS:  # the seat store would refuse: sell or give back
            self.extend_button.setEnabled(False)
            self.extend_button.setToolTip(self.tr("Extended {0} times already: sell the seats or give them back")
                                          .format(hold.extensions))
        else:
            self.extend_button.setToolTip(self.tr("Give the customer more time: the hold lasts a full hold time "
                                                  "from now"))

    # -- buttons --------------------------------------------------------------------------------------------------
    def select_token(self, token: str) -> None:
        for k, hold in enumerate(self.holds):
            if hold.token == token:
                self.list.setCurrentRow(k)

    @Slot()
    def on_resume_clicked(self) -> None:
        hold = self.current()
        if hold is not None and remaining(hold) > 0:
            self.resume_requested.emit(hold)

    @Slot()
    def on_extend_clicked(self) -> None:
        hold = self.current()
        if hold is not None and remaining(hold) > 0:
            self.extend_requested.emit(hold)

    @Slot()
    def on_release_clicked(self) -> None:
        hold = self.current()
        if hold is not None:
            self.release_requested.emit(hold)
