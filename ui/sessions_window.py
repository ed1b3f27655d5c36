"""The first screen: every session not ended yet with its live stock, from PostgreSQL and Redis.

The clerk's seat map and sell panel open from here; this window already shows, per session, what the
database has sold and what Redis has left, refreshed every two seconds off the GUI thread. A search box, venue and
date filters narrow the list (on this side: the figures of every session are read anyway); ended sessions are
hidden unless asked for; the Status column says whether sales are open, closed or not open yet.

It is also the application's shell: the sign-in, sign out / switch user (Ctrl+Shift+L, in the File menu of every
window it opens), and the titles of its windows, which name the session, the venue and the signed-in user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.layout import Layout
from boxoffice.domain.values import SessionInfo, SessionStats
from boxoffice.errors import PermissionDenied
from boxoffice.services.accounts import SUPERVISOR_ROLES, UserInfo
from boxoffice.services.demo import DEMO_PASSWORD
from boxoffice.services.frontdesk import FrontDesk, LoginFacts, SessionsPicture

from .i18n import when
from .login_dialog import LoginDialog
from .messages import describe
from .sale_window import SaleWindow
from .seat_map import SeatGeometry
from .server_status import DegradedBanner, ServerStatus
from .supervisor.window import SupervisorWindow
from .tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

#: sign out / switch user, in the File menu of every window of the application
SIGN_OUT_KEYS = "Ctrl+Shift+L"
ROLES = {"clerk": QT_TRANSLATE_NOOP("SessionsWindow", "clerk"),
         "supervisor": QT_TRANSLATE_NOOP("SessionsWindow", "supervisor")}
#: rows whose sales are closed or whose session has ended are drawn in this grey
GREYED = QColor("#7a7a7a")


def role_name(role: str) -> str:
    """"clerk", "supervisor" in the window's language (another role as it is stored)."""
    return QCoreApplication.translate("SessionsWindow", ROLES[role]) if role in ROLES else role


def user_title(user: UserInfo) -> str:
    """How a window names the signed-in user: "Alice Martin (clerk)"."""
    return QCoreApplication.translate("SessionsWindow", "{0} ({1})").format(user.display_name, role_name(user.role))


def sale_window_title(session: SessionInfo, user: UserInfo) -> str:
    """A sale window's title: the session, the venue, when it starts, and who sells."""
    return QCoreApplication.translate("SessionsWindow", "{0} — {1}, {2} — {3}").format(
        session.name, session.venue, when(session.starts_at), user_title(user))


def supervisor_window_title(user: UserInfo) -> str:
    return QCoreApplication.translate("SessionsWindow", "Box office — supervisor — {0}").format(user_title(user))


class SessionsModel(QAbstractTableModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("SessionsModel", "Starts"),
        QT_TRANSLATE_NOOP("SessionsModel", "Venue"),
        QT_TRANSLATE_NOOP("SessionsModel", "Session"),
        QT_TRANSLATE_NOOP("SessionsModel", "Capacity"),
        QT_TRANSLATE_NOOP("SessionsModel", "Sold"),
        QT_TRANSLATE_NOOP("SessionsModel", "Free now"),
        QT_TRANSLATE_NOOP("SessionsModel", "Live holds"),
        QT_TRANSLATE_NOOP("SessionsModel", "Status"),
    )
    STATUS = 7
    #: the value a column sorts by (a date, a number, a name), not its text
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SessionStats] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("SessionsModel", self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        st = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            free = "—" if st.stock_redis is None else f"{st.stock_redis:,}"
            values = (
                when(st.starts_at),
                st.venue,
                st.name,
                f"{st.capacity:,}",
                f"{st.sold_db:,}",
                free,
                str(st.live_holds),
                self.sale_state(st),
            )
            return values[col]
        if role == self.SORT_ROLE:
            keys = (st.starts_at.timestamp(), st.venue.casefold(), st.name.casefold(), st.capacity, st.sold_db,
                    -1 if st.stock_redis is None else st.stock_redis, st.live_holds, self.sale_state(st))
            return keys[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= col <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.phase(st) in ("closed", "ended"):
            return QBrush(GREYED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 5 and st.stock_redis is None:
                return self.tr("This session has no seat map in Redis yet; it is rebuilt on the first sale.")
            if col == self.STATUS:
                return self.state_detail(st)
        return None

    @staticmethod
    def phase(st: SessionStats, now: datetime | None = None) -> str:
        """"ended", "closed" (by a supervisor, or its sales window has passed — before the job flips the flag),
        "soon" (sales not open yet) or "onsale"."""
        now = now or datetime.now(timezone.utc)
        if st.ends_at is not None and now >= st.ends_at:
            return "ended"
        if st.status != "onsale" or (st.sales_close_at is not None and now >= st.sales_close_at):
            return "closed"
        if st.sales_open_at is not None and now < st.sales_open_at:
            return "soon"
        return "onsale"

    def sale_state(self, st: SessionStats) -> str:
        """"on sale", "sales closed", "ended" or "on sale from …"."""
        phase = self.phase(st)
        if phase == "ended":
            return self.tr("ended")
        if phase == "closed":
            return self.tr("sales closed")
        if phase == "soon":
            assert st.sales_open_at is not None
            return self.tr("on sale from {0}").format(when(st.sales_open_at))
        return self.tr("on sale")

    def state_detail(self, st: SessionStats) -> str:
        phase = self.phase(st)
        if phase == "ended" and st.ends_at is not None:
            return self.tr("Ended {0}").format(when(st.ends_at))
        if phase == "closed":
            if st.status == "onsale" and st.sales_close_at is not None:
                return self.tr("Sales closed {0}").format(when(st.sales_close_at))
            return self.tr("Sales closed by a supervisor")
        if phase == "onsale" and st.sales_close_at is not None:
            return self.tr("On sale until {0}").format(when(st.sales_close_at))
        return ""

    def replace(self, rows: list[SessionStats]) -> None:
        if [r.session_id for r in rows] == [r.session_id for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


class SessionsFilter(QSortFilterProxyModel):
    """Search words, a venue and a span of days, over :class:`SessionsModel` (every word must be in the session's
    name, its venue or its number; the days are local days of its start)."""

    ANY, TODAY, TOMORROW, WEEK, ON = range(5)

    def __init__(self, model: SessionsModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SessionsModel.SORT_ROLE)
        self.words: list[str] = []
        self.venue_id: int | None = None
        self.days = self.ANY
        self.day: date | None = None

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Change the filter's terms inside: the rows are filtered again after."""
        if hasattr(self, "endFilterChange"):  # Qt ≥ 6.10 (invalidateRowsFilter is deprecated there)
            self.beginFilterChange()
            yield
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            yield
            self.invalidateRowsFilter()

    def span(self) -> tuple[datetime, datetime] | None:
        """The chosen days as [start, end) in local time, or None for any date."""
        today = datetime.now().astimezone().date()
        first, count = {self.TODAY: (today, 1), self.TOMORROW: (today + timedelta(days=1), 1),
                        self.WEEK: (today, 7), self.ON: (self.day or today, 1)}.get(self.days, (None, 0))
        if first is None:
            return None
        start = datetime.combine(first, time()).astimezone()
        return start, datetime.combine(first + timedelta(days=count), time()).astimezone()

    def filterAcceptsRow(self, source_row: int, _parent: Index) -> bool:  # noqa: N802 - Qt API
        st = self.sourceModel().rows[source_row]  # type: ignore[attr-defined]
        if self.venue_id is not None and st.venue_id != self.venue_id:
            return False
        span = self.span()
        if span is not None and not span[0] <= st.starts_at < span[1]:
            return False
        text = f"{st.name} {st.venue} {st.session_id}".casefold()
        return all(w in text for w in self.words)


class SessionsWindow(QMainWindow):
    REFRESH_MS = 2000

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.resize(1100, 640)
        self.runner = runner
        #: set once the servers answer (main.py builds the app off the GUI thread and hands over its FrontDesk)
        self.desk: FrontDesk | None = None
        self.user: UserInfo | None = None
        self.login_dialog: LoginDialog | None = None
        self.model = SessionsModel()
        self.proxy = SessionsFilter(self.model)
        self.table = QTableView()
        self.table.setObjectName("sessions")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Enter or a double click opens the session's seat map
        self.table.activated.connect(self.on_table_double_clicked)
        self.banner = DegradedBanner()

        # -- filters: search, venue, date, ended sessions ---------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search sessions and venues (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self.on_search_text_changed)
        self.search.returnPressed.connect(self.on_search_return_pressed)
        self.venue = QComboBox()
        self.venue.setObjectName("venueFilter")
        self.venue.addItem(self.tr("All venues"), None)
        self.venue.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.venue.currentIndexChanged.connect(self.on_venue_current_index_changed)
        self.days = QComboBox()
        self.days.setObjectName("dateFilter")
        for label, value in ((self.tr("Any date"), SessionsFilter.ANY), (self.tr("Today"), SessionsFilter.TODAY),
                             (self.tr("Tomorrow"), SessionsFilter.TOMORROW),
                             (self.tr("Next 7 days"), SessionsFilter.WEEK), (self.tr("On…"), SessionsFilter.ON)):
            self.days.addItem(label, value)
        self.days.currentIndexChanged.connect(self.on_days_current_index_changed)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setVisible(False)
        self.day.dateChanged.connect(self.on_day_date_changed)
        self.show_ended = QCheckBox(self.tr("Show ended sessions"))
        self.show_ended.setObjectName("showEnded")
        self.show_ended.setToolTip(self.tr("Sessions that have ended are hidden unless this is ticked."))
        self.show_ended.toggled.connect(self.on_show_ended_toggled)
        self.clear_filters = QPushButton(self.tr("Clear filters"))
        self.clear_filters.setObjectName("clearFilters")
        self.clear_filters.setAutoDefault(False)
        self.clear_filters.clicked.connect(self.on_clear_filters_clicked)
        self.shown_label = QLabel()
        self.shown_label.setObjectName("shown")
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 4, 6, 0)
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel(self.tr("Venue")))
        filters.addWidget(self.venue)
        filters.addWidget(QLabel(self.tr("Date")))
        filters.addWidget(self.days)
        filters.addWidget(self.day)
        filters.addWidget(self.show_ended)
        filters.addWidget(self.clear_filters)
        filters.addStretch(1)
        filters.addWidget(self.shown_label)
        self.proxy.rowsInserted.connect(self.update_shown)
        self.proxy.rowsRemoved.connect(self.update_shown)
        self.proxy.modelReset.connect(self.update_shown)
        self.proxy.layoutChanged.connect(self.update_shown)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.sale_windows: list[SaleWindow] = []
        self.supervisor_window: SupervisorWindow | None = None

        # -- menus: File for everyone, Supervisor for supervisors -------------------------------------------------
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = self.file_menu.addAction(self.tr("Open the selected session"))
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(self.on_table_double_clicked)
        self.find_action = self.file_menu.addAction(self.tr("Find a session"))
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.on_find_action_triggered)
        self.file_menu.addSeparator()
        self.sign_out_action = self.file_menu.addAction(self.tr("Sign out / switch user…"))
        self.sign_out_action.setObjectName("signOut")
        self.sign_out_action.setShortcut(QKeySequence(SIGN_OUT_KEYS))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction(self.tr("Quit"))
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.on_quit_action_triggered)
        self.supervisor_menu = self.menuBar().addMenu(self.tr("&Supervisor"))
        self.supervisor_action = self.supervisor_menu.addAction(self.tr("Stock reconciliation, outbox and history…"))
        self.supervisor_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.supervisor_action.triggered.connect(self.open_supervisor)
        self.supervisor_menu.menuAction().setVisible(False)  # supervisors only, once signed in
        self.backend_label = QLabel(self.tr("Connecting…"))
        self.connected_text = ""
        self.user_label = QLabel()
        self.user_label.setObjectName("user")
        self.refreshed_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.statusBar().addWidget(self.backend_label, 1)
        self.lag_label = QLabel()
        self.lag_label.setObjectName("outboxLag")
        self.till_label = QLabel()
        self.till_label.setObjectName("till")
        self.server_label = QLabel()  # the embedded servers' supervisor (ServerStatus, once the app is built)
        self.server_label.setObjectName("serverStatus")
        self.server_label.setVisible(False)
        self.server_status: ServerStatus | None = None
        self.statusBar().addPermanentWidget(self.server_label)
        self.statusBar().addPermanentWidget(self.lag_label)
        self.statusBar().addPermanentWidget(self.till_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.refreshed_label)
        self.statusBar().addPermanentWidget(self.progress)
        runner.busy_changed.connect(self.progress.setVisible)
        self.progress.setVisible(runner.busy)
        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(self.on_timer_timeout)
        self._refreshing = False
        self._refresh_again = False
        #: the user a running refresh is for: an answer for someone who signed out since is dropped
        self._refresh_user: UserInfo | None = None
        self.signed_out_name = ""
        self.update_title()
        self.update_shown()
        self.sign_out_action.setEnabled(False)

    # -- startup --------------------------------------------------------------------------------------------------
    def connect_backends(self, build: Any) -> None:
        """Start (or reach) the servers off the GUI thread; the window is usable meanwhile."""
        self.backend_label.setText(self.tr("Starting the database and Redis…"))
        self.runner.run(build, self.on_app_built, self.on_app_failed)

    @Slot(object)
    def on_app_built(self, desk: FrontDesk) -> None:
        self.desk = desk
        where = self.tr("embedded servers") if desk.embedded else self.tr("servers")
        self.connected_text = self.tr("PostgreSQL and Redis connected ({0})").format(where)
        self.backend_label.setText(self.connected_text)
        self.server_status = ServerStatus(desk, self.runner, self.server_label, self)
        self.prepare_login()

    def prepare_login(self) -> None:
        """Off the GUI thread: is there anything to sell yet, and are the demo accounts untouched (demo mode)?"""
        assert self.desk is not None
        self.runner.run(self.desk.login_facts, self.on_login_prepared, self.on_app_failed)

    def on_login_prepared(self, facts: LoginFacts) -> None:
        if facts.sessions == 0 and self.offer_demo():
            return
        assert self.desk is not None
        demo_accounts = facts.demo_accounts
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
        self.login_dialog = LoginDialog(self.runner, self.desk.login, demo_accounts,
                                        DEMO_PASSWORD if demo_accounts else None, self,
                                        signed_out=self.signed_out_name)
        self.login_dialog.signed_in.connect(self.on_login_dialog_signed_in)
        self.login_dialog.rejected.connect(self.close)
        self.login_dialog.open()

    @Slot(object)
    def on_login_dialog_signed_in(self, user: UserInfo) -> None:
        self.user = user
        self.signed_out_name = ""
        self.user_label.setText(user_title(user))
        self.supervisor_menu.menuAction().setVisible(user.role in SUPERVISOR_ROLES)
        self.sign_out_action.setEnabled(True)
        self.update_title()
        self.activateWindow()  # back from the sign-in dialog: the keyboard shortcuts work at once
        self.table.setFocus()
        self.timer.start()
        self.refresh(first=True)

    @Slot(object)
    def on_app_failed(self, exc: BaseException) -> None:
        title, message = describe(exc)
        self.backend_label.setText(self.tr("Offline: {0}").format(message))
        QMessageBox.critical(self, title, message)

    def update_title(self) -> None:
        """"Box office — sessions — Alice Martin (clerk)" (the user once signed in)."""
        if self.user is None:
            self.setWindowTitle(self.tr("Box office — sessions"))
        else:
            self.setWindowTitle(self.tr("Box office — sessions — {0}").format(user_title(self.user)))

    # -- sign out / switch user -----------------------------------------------------------------------------------
    @Slot()
    def sign_out(self) -> bool:
        """Close the user's windows (a window may refuse: a sale window with live holds asks first; then nothing
        happens), forget the user and what was shown for them, and ask for a sign-in again. True once signed out."""
        if self.user is None:
            return False
        windows: list[QMainWindow] = [w for w in self.sale_windows if w.isVisible()]
        if self.supervisor_window is not None and self.supervisor_window.isVisible():
            windows.append(self.supervisor_window)
        for window in windows:
            if not window.close():
                window.raise_()
                window.activateWindow()
                prompt = getattr(window, "close_prompt", None)
                if prompt is not None:
                    # the window asks about its live holds first: once answered (and closed), sign out goes on. The
                    # question stays on top of its window (raising the window used to hide it: Ctrl+Shift+L seemed
                    # to do nothing)
                    window.close_answered.connect(self._on_close_answered_for_sign_out,
                                                  Qt.ConnectionType.SingleShotConnection)
                    prompt.raise_()
                    prompt.activateWindow()
                else:
                    self.statusBar().showMessage(self.tr("Still signed in: a window was not closed."), 8000)
                return False
        self.sale_windows.clear()
        self.supervisor_window = None
        self.signed_out_name = self.user.display_name
        self.user = None
        self.timer.stop()
        self._refresh_again = False
        self.model.replace([])  # nothing of the last user's stays on screen, and the next one starts afresh
        self.on_clear_filters_clicked()
        for label in (self.user_label, self.till_label, self.refreshed_label, self.lag_label):
            label.clear()
        self.supervisor_menu.menuAction().setVisible(False)
        self.sign_out_action.setEnabled(False)
        self.update_title()
        self.activateWindow()
        if self.desk is not None:
            self.prepare_login()
        return True

    @Slot(bool)
    def _on_close_answered_for_sign_out(self, closed: bool) -> None:
        """A sale window asked about its holds during a sign-out: closed, the sign-out goes on (the next window
        may ask in turn); kept open, the user stays signed in."""
        if closed and self.user is not None:
            self.sign_out()

    def add_file_menu(self, window: QMainWindow) -> QMenu:
        """A File menu first in ``window``'s menu bar (clerks get a menu bar too): sign out / switch user, close."""
        menu = QMenu(self.tr("&File"), window)
        menu.setObjectName("fileMenu")
        sign_out = QAction(self.tr("Sign out / switch user…"), menu)
        sign_out.setObjectName("signOut")
        sign_out.setShortcut(QKeySequence(SIGN_OUT_KEYS))
        sign_out.triggered.connect(self.sign_out)
        menu.addAction(sign_out)
        menu.addSeparator()
        close = QAction(self.tr("Close this window"), menu)
        close.setShortcut(QKeySequence("Ctrl+W"))
        close.triggered.connect(window.close)
        menu.addAction(close)
        bar = window.menuBar()
        first = bar.actions()[0] if bar.actions() else None
        if first is None:
            bar.addMenu(menu)
        else:
            bar.insertMenu(first, menu)
        return menu

    @Slot()
    def on_quit_action_triggered(self) -> None:
        """Every window is asked to close (a sale window with live holds may refuse); the app ends with the last."""
        QApplication.closeAllWindows()

    # -- filters --------------------------------------------------------------------------------------------------
    @Slot()
    def on_find_action_triggered(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot(str)
    def on_search_text_changed(self, text: str) -> None:
        with self.proxy.changing():
            self.proxy.words = text.casefold().split()

    @Slot()
    def on_search_return_pressed(self) -> None:
        """Enter in the search box goes to the list, on its first row: Enter again opens it."""
        if self.proxy.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid() or not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    @Slot(int)
    def on_venue_current_index_changed(self, _index: int) -> None:
        with self.proxy.changing():
            self.proxy.venue_id = self.venue.currentData()

    @Slot(int)
    def on_days_current_index_changed(self, _index: int) -> None:
        days = self.days.currentData()
        self.day.setVisible(days == SessionsFilter.ON)
        with self.proxy.changing():
            self.proxy.days = days
            self.proxy.day = self.day.date().toPython()

    @Slot(QDate)
    def on_day_date_changed(self, day: QDate) -> None:
        with self.proxy.changing():
            self.proxy.day = day.toPython()

    @Slot()
    def on_clear_filters_clicked(self) -> None:
        self.search.clear()
        self.venue.setCurrentIndex(0)
        self.days.setCurrentIndex(0)
        self.show_ended.setChecked(False)

    def update_venues(self) -> None:
        """The venue filter lists the venues of the sessions loaded (the choice is kept while its venue is there)."""
        venues = sorted({(r.venue, r.venue_id) for r in self.model.rows}, key=lambda v: v[0].casefold())
        listed = [(self.venue.itemText(i), self.venue.itemData(i)) for i in range(1, self.venue.count())]
        if venues == listed:
            return
        chosen = self.venue.currentData()
        self.venue.blockSignals(True)
        while self.venue.count() > 1:
            self.venue.removeItem(1)
        for name, venue_id in venues:
            self.venue.addItem(name, venue_id)
        at = self.venue.findData(chosen) if chosen is not None else 0
        self.venue.setCurrentIndex(max(at, 0))
        self.venue.blockSignals(False)
        if self.venue.currentData() != chosen:  # its venue went: every venue again
            self.on_venue_current_index_changed(self.venue.currentIndex())

    @Slot()
    def update_shown(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == shown:
            self.shown_label.setText(self.tr("{0} sessions").format(total))
        else:
            self.shown_label.setText(self.tr("{0} of {1} sessions shown").format(shown, total))
        filtered = bool(self.proxy.words) or self.proxy.venue_id is not None or self.proxy.days != SessionsFilter.ANY
        self.clear_filters.setEnabled(filtered or self.show_ended.isChecked())

    # -- refresh --------------------------------------------------------------------------------------------------
    @Slot()
    def on_timer_timeout(self) -> None:
        self.refresh()

    @Slot(bool)
    def on_show_ended_toggled(self, _checked: bool) -> None:
        self.update_shown()
        self.refresh()

    def refresh(self, first: bool = False) -> None:
        if self.desk is None or self.user is None:
            return
        if self._refreshing:
            self._refresh_again = True  # e.g. the filter changed while a refresh was running: one more after it
            return
        self._refreshing = True
        self._refresh_again = False
        desk, user = self.desk, self.user
        self._refresh_user = user
        # ended sessions are hidden unless asked for (the CLI's `session list --all`)
        include_ended = self.show_ended.isChecked()
        self.runner.run(lambda: desk.overview(user, include_ended), self.on_overview_loaded, self.on_overview_failed,
                        quiet=not first)

    def on_overview_loaded(self, picture: SessionsPicture) -> None:
        rows, lag, till, degraded = picture.rows, picture.outbox_lag_s, picture.till, picture.degraded
        self._refreshing = False
        if self._refresh_user is not self.user:  # asked for a user who has signed out since: not shown
            self.refresh(first=True)  # (for the one signed in now, if anyone)
            return
        self.banner.setVisible(degraded)
        self.model.replace(rows)
        self.update_venues()
        self.update_shown()
        self.lag_label.setText(self.tr("Outbox lag {0}").format("—" if lag is None else f"{lag:.1f} s"))
        # None for a clerk while tills are required (their takings would tell the expected cash of the blind close)
        self.till_label.setText("" if till is None else self.tr("Till today {0}").format(till))
        self.refreshed_label.setText(self.tr("Updated {0}").format(datetime.now().strftime("%H:%M:%S")))
        self.backend_label.setText(self.connected_text)  # a connection problem shown earlier is over
        self.backend_label.setToolTip("")
        if self._refresh_again:
            self.refresh()

    def on_overview_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._refresh_again = False
        message = describe(exc)[1]
        # one line in the status bar (a server's own text can run to several); the whole of it in the tooltip
        self.backend_label.setText(self.tr("Connection problem: {0}").format(message.splitlines()[0] if message else ""))
        self.backend_label.setToolTip(message)

    # -- windows --------------------------------------------------------------------------------------------------
    def selected_session(self) -> SessionStats | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.proxy.mapToSource(index).row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    @Slot()
    def on_table_double_clicked(self) -> None:
        """Open the selected session's seat map for selling (its layout is loaded off the GUI thread)."""
        chosen = self.selected_session()
        if self.desk is None or self.user is None or chosen is None:
            return
        desk, session_id, user = self.desk, chosen.session_id, self.user

        def load() -> tuple[SessionInfo, Layout]:
            info, layout = desk.open_session(session_id)
            SeatGeometry.of(layout)  # the map's geometry, off the GUI thread
            return info, layout

        self.runner.run(load, lambda loaded: self.on_sale_data_loaded(loaded, user), self.on_overview_failed)

    @Slot()
    def open_supervisor(self) -> None:
        """The supervisor screen (one per window); the screen itself refuses anyone but a supervisor."""
        if self.desk is None or self.user is None:
            return
        if self.supervisor_window is None or not self.supervisor_window.isVisible():
            try:
                self.supervisor_window = SupervisorWindow(self.desk, self.runner, self.user)
            except PermissionDenied as exc:
                QMessageBox.warning(self, *describe(exc))
                return
            self.supervisor_window.setWindowTitle(supervisor_window_title(self.user))
            self.add_file_menu(self.supervisor_window)
        self.supervisor_window.show()
        self.supervisor_window.raise_()

    def on_sale_data_loaded(self, loaded: tuple[SessionInfo, Layout], user: UserInfo | None = None) -> None:
        """A sale window for the session, titled with the session, the venue and the clerk — unless the clerk who
        asked for it has signed out meanwhile."""
        if self.desk is None or self.user is None or (user is not None and user is not self.user):
            return
        window = SaleWindow(self.desk, self.runner, loaded[0], loaded[1], self.user)
        window.setWindowTitle(sale_window_title(loaded[0], self.user))
        self.add_file_menu(window)
        self.sale_windows = [w for w in self.sale_windows if w.isVisible()]
        self.sale_windows.append(window)
        window.show()
        window.raise_()
        window.activateWindow()  # the keys (digits, Enter, Ctrl+Shift+L) go to the new window

    # -- demo -----------------------------------------------------------------------------------------------------
    def offer_demo(self) -> bool:
        """Ask to load the demo into an empty database; True when it is being loaded (sign-in follows)."""
        answer = QMessageBox.question(
            self,
            self.tr("Empty database"),
            self.tr("There are no sessions yet. Load the demo venues (a 63,000-seat stadium and a sports hall), "
                    "a week of sessions and demo accounts?"),
        )
        if answer != QMessageBox.StandardButton.Yes or self.desk is None:
            return False
        self.backend_label.setText(self.tr("Loading the demo…"))
        self.runner.run(self.desk.load_demo, self.on_demo_loaded, self.on_app_failed)
        return True

    def on_demo_loaded(self, _result: object) -> None:
        self.backend_label.setText(self.tr("Demo loaded"))
        self.prepare_login()
