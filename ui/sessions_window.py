"""The first screen: every session of the coming week with its live stock, from PostgreSQL and Redis.

The clerk's seat map and sell panel open from here; this window already shows, per session, what the
database has sold and what Redis has left, refreshed every two seconds off the GUI thread.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
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

from .i18n import when, word
from .login_dialog import LoginDialog
from .messages import describe
from .sale_window import SaleWindow
from .seat_map import SeatGeometry
from .server_status import DegradedBanner, ServerStatus
from .supervisor.window import SupervisorWindow
from .tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex


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
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= col <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 5 and st.stock_redis is None:
            return self.tr("This session has no seat map in Redis yet; it is rebuilt on the first sale.")
        return None

    def sale_state(self, st: SessionStats) -> str:
        """"on sale", "closed" (by a supervisor, or its sales window has passed — before the job flips the flag) or
        "on sale from …"."""
        now = datetime.now(timezone.utc)
        if st.status != "onsale" or (st.sales_close_at is not None and now >= st.sales_close_at):
            return self.tr("closed")
        if st.sales_open_at is not None and now < st.sales_open_at:
            return self.tr("on sale from {0}").format(when(st.sales_open_at))
        return self.tr("on sale")

    def replace(self, rows: list[SessionStats]) -> None:
        if [r.session_id for r in rows] == [r.session_id for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


class SessionsWindow(QMainWindow):
    REFRESH_MS = 2000

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Box office — sessions"))
        self.resize(1100, 640)
        self.runner = runner
        #: set once the servers answer (main.py builds the app off the GUI thread and hands over its FrontDesk)
        self.desk: FrontDesk | None = None
        self.user: UserInfo | None = None
        self.login_dialog: LoginDialog | None = None
        self.model = SessionsModel()
        self.table = QTableView()
        self.table.setObjectName("sessions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        self.banner = DegradedBanner()
        self.show_ended = QCheckBox(self.tr("Show ended sessions"))
        self.show_ended.setObjectName("showEnded")
        self.show_ended.setToolTip(self.tr("Sessions that have ended are hidden unless this is ticked."))
        self.show_ended.toggled.connect(self.on_show_ended_toggled)
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 4, 6, 0)
        filters.addWidget(self.show_ended)
        filters.addStretch(1)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.sale_windows: list[SaleWindow] = []
        self.supervisor_window: SupervisorWindow | None = None
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
        self.login_dialog = LoginDialog(self.runner, self.desk.login, demo_accounts,
                                        DEMO_PASSWORD if demo_accounts else None, self)
        self.login_dialog.signed_in.connect(self.on_login_dialog_signed_in)
        self.login_dialog.rejected.connect(self.close)
        self.login_dialog.open()

    @Slot(object)
    def on_login_dialog_signed_in(self, user: UserInfo) -> None:
        self.user = user
        self.user_label.setText(self.tr("{0} ({1})").format(user.display_name, word(user.role)))
        self.supervisor_menu.menuAction().setVisible(user.role in SUPERVISOR_ROLES)
        self.activateWindow()  # back from the sign-in dialog: the keyboard shortcuts work at once
        self.timer.start()
        self.refresh(first=True)

    @Slot(object)
    def on_app_failed(self, exc: BaseException) -> None:
        title, message = describe(exc)
        self.backend_label.setText(self.tr("Offline: {0}").format(message))
        QMessageBox.critical(self, title, message)

    # -- refresh --------------------------------------------------------------------------------------------------
    @Slot()
    def on_timer_timeout(self) -> None:
        self.refresh()

    @Slot(bool)
    def on_show_ended_toggled(self, _checked: bool) -> None:
        self.refresh()

    def refresh(self, first: bool = False) -> None:
        if self.desk is None:
            return
        if self._refreshing:
            self._refresh_again = True  # e.g. the filter changed while a refresh was running: one more after it
            return
        self._refreshing = True
        self._refresh_again = False
        desk, user = self.desk, self.user
        # ended sessions are hidden unless asked for (the CLI's `session list --all`)
        include_ended = self.show_ended.isChecked()
        self.runner.run(lambda: desk.overview(user, include_ended), self.on_overview_loaded, self.on_overview_failed,
                        quiet=not first)

    def on_overview_loaded(self, picture: SessionsPicture) -> None:
        rows, lag, till, degraded = picture.rows, picture.outbox_lag_s, picture.till, picture.degraded
        self._refreshing = False
        self.banner.setVisible(degraded)
        self.model.replace(rows)
        self.lag_label.setText(self.tr("Outbox lag {0}").format("—" if lag is None else f"{lag:.1f} s"))
        if till is not None:
            self.till_label.setText(self.tr("Till today {0}").format(till))
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

    @Slot()
    def on_table_double_clicked(self) -> None:
        """Open the session's seat map for selling (its layout is loaded off the GUI thread)."""
        row = self.table.currentIndex().row()
        if self.desk is None or self.user is None or not 0 <= row < len(self.model.rows):
            return
        desk, session_id = self.desk, self.model.rows[row].session_id

        def load() -> tuple[SessionInfo, Layout]:
            info, layout = desk.open_session(session_id)
            SeatGeometry.of(layout)  # the map's geometry, off the GUI thread
            return info, layout

        self.runner.run(load, self.on_sale_data_loaded, self.on_overview_failed)

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
        self.supervisor_window.show()
        self.supervisor_window.raise_()

    def on_sale_data_loaded(self, loaded: tuple[SessionInfo, Layout]) -> None:
        assert self.desk is not None and self.user is not None
        window = SaleWindow(self.desk, self.runner, loaded[0], loaded[1], self.user)
        self.sale_windows.append(window)
        window.show()

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
