"""The supervisor screen (DESIGN §6): every session's Redis / database / ledger / outbox figures and drift at a glance,
refreshed live; a session's drifted seats on its map; repairs with a reason, a confirmation and progress; the
outbox monitor, seat history and charts.

Only supervisors open it (the constructor refuses anyone else), and every service it calls checks the role again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QElapsedTimer, QItemSelection, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Hold
from boxoffice.errors import PermissionDenied
from boxoffice.services.accounts import SUPERVISOR_ROLES, UserInfo
from boxoffice.services.frontdesk import FrontDesk
from boxoffice.services.reconcile import SAFE, RepairResult, SessionReport

from ..live_feed import LiveFeed
from ..messages import describe
from ..seat_map import SeatGeometry
from ..tasks import TaskRunner
from .charts_panel import ChartsPanel
from .day_report import DayReportDialog
from .drift_map import DriftMap
from .history_panel import SeatHistoryPanel
from .outbox_panel import OutboxPanel
from .report_model import CLASS_NAMES, COLUMNS, SEVERITY_COLORS, ReportModel, description, detail_text
from .tables import WrappingDelegate, read_only_table, read_only_view

__all__ = ["CLASS_NAMES", "DRIFT_OUTLINE", "SEVERITY_COLORS", "SupervisorWindow"]

DRIFT_OUTLINE = {"critical": QColor("#d01010"), "warning": QColor("#e08a00")}


class SupervisorWindow(QMainWindow):
    REFRESH_MS = 5000
    COLUMNS = COLUMNS

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None,
                 refresh_ms: int | None = None) -> None:
        if user.role not in SUPERVISOR_ROLES:
            raise PermissionDenied(reason="supervisor_screen", username=user.username, role=user.role)
        super().__init__(parent)
        self.desk, self.user = desk, user
        #: the application's runner (shared with the other windows): closing never waits for its ops
        self.runner = runner
        self.setWindowTitle(self.tr("Box office — supervisor"))
        self.resize(1400, 900)
        self.reports: list[SessionReport] = []
        self.current: SessionReport | None = None
        self.layout_: Layout | None = None
        self.feed: LiveFeed | None = None
        self._refreshing = False
        self._overdue = False
        self._warmed = False
        self._closed = False
        self._shown_drifts: tuple[Any, ...] | None = None
        self._opened: QElapsedTimer | None = None
        #: how long the last session chosen took from the click to its seats drawn (ms; None while loading)
        self.map_load_ms: int | None = None
        self.progress: QProgressDialog | None = None

        #: one row per session, updated in place every check (only changed cells are redrawn)
        self.model = ReportModel(self)
        self.table = read_only_view("reconcile", self.model, len(self.COLUMNS) - 1)
        self.table.setAlternatingRowColors(False)  # rows are coloured by severity
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)

        self.map = DriftMap(runner=runner)
        self.map.fit_button.hide()  # the map bar above has "Fit whole venue" beside the zoom buttons
        self.map.seat_clicked.connect(self.on_map_seat_clicked)
        self.map.ready.connect(self.on_map_ready)
        self.fit_button = QToolButton()
        self.fit_button.setObjectName("fitVenue")
        self.fit_button.setText(self.tr("Fit whole venue"))
        self.fit_button.setToolTip(self.tr("Show the whole venue (Home on the map)"))
        self.fit_button.clicked.connect(self.on_fit_button_clicked)
        self.zoom_in_button = QToolButton()
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (+ on the map, or the mouse wheel)"))
        self.zoom_in_button.clicked.connect(lambda: self.map.zoom(1.25))
        self.zoom_out_button = QToolButton()
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (- on the map, or the mouse wheel)"))
        self.zoom_out_button.clicked.connect(lambda: self.map.zoom(0.8))
        self.fit_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_0))
        self.drift_tree = QTreeWidget()
        self.drift_tree.setObjectName("drift")
        self.drift_tree.setHeaderLabels([self.tr("Drift"), self.tr("Seats")])
        # a long detail wraps in its column (and shows in full on hover)
        self.drift_tree.setItemDelegate(WrappingDelegate(self.drift_tree))
        self.drift_tree.header().setStretchLastSection(True)
        self.drift_tree.itemDoubleClicked.connect(self.on_drift_item_double_clicked)
        self.drift_tree.itemChanged.connect(self.on_drift_item_changed)
        self._ticked: set[str] | None = None  # None: the safe classes
        self.session_label = QLabel(self.tr("Select a session above."))
        self.session_label.setObjectName("sessionTitle")
        self.session_label.setWordWrap(True)
        self.repair_button = QPushButton(self.tr("Repair selected…"))
        self.repair_button.clicked.connect(lambda: self.repair_selected())
        self.orphans_button = QPushButton(self.tr("Release orphan holds…"))
        self.orphans_button.clicked.connect(lambda: self.release_orphans())
        self.rebuild_button = QPushButton(self.tr("Rebuild Redis from the database…"))
        self.rebuild_button.clicked.connect(lambda: self.rebuild())
        self.holds = read_only_table(
            "holds", [self.tr("Clerk"), self.tr("Seats"), self.tr("Expires"), self.tr("Token")], 3)
        self.force_button = QPushButton(self.tr("Force-release hold…"))
        self.force_button.clicked.connect(lambda: self.force_release())
        # the "select a hold first" hint goes once a hold is selected
        self.holds.itemSelectionChanged.connect(self.on_holds_selection_changed)
        self._hold_hint = False
        self.hold_list: list[Hold] = []

        side = QVBoxLayout()
        side.addWidget(self.session_label)
        side.addWidget(self.drift_tree, 2)
        for b in (self.repair_button, self.orphans_button, self.rebuild_button):
            side.addWidget(b)
        side.addWidget(QLabel(self.tr("Holds")))
        side.addWidget(self.holds, 1)
        side.addWidget(self.force_button)
        side_widget = QWidget()
        side_widget.setLayout(side)
        map_bar = QHBoxLayout()
        map_bar.setContentsMargins(0, 0, 0, 0)
        map_bar.addWidget(self.fit_button)
        map_bar.addWidget(self.zoom_out_button)
        map_bar.addWidget(self.zoom_in_button)
        map_bar.addStretch(1)
        map_box = QVBoxLayout()
        map_box.setContentsMargins(0, 0, 0, 0)
        map_box.addLayout(map_bar)
        map_box.addWidget(self.map, 1)
        map_widget = QWidget()
        map_widget.setLayout(map_box)
        drift_page = QSplitter(Qt.Orientation.Horizontal)
        drift_page.addWidget(map_widget)
        drift_page.addWidget(side_widget)
        drift_page.setStretchFactor(0, 3)
        drift_page.setStretchFactor(1, 2)
        drift_page.setSizes([900, 420])  # the map gets the room (the side's tables would take half)

        self.history = SeatHistoryPanel(desk, runner, user)
        self.charts = ChartsPanel(desk, runner, user)
        self.outbox = OutboxPanel(desk, runner, user)
        self.tabs = QTabWidget()
        self.tabs.addTab(drift_page, self.tr("Drift and repair"))
        self.tabs.addTab(self.history, self.tr("Seat history"))
        self.tabs.addTab(self.charts, self.tr("Charts"))
        self.tabs.addTab(self.outbox, self.tr("Outbox"))
        self.tabs.currentChanged.connect(self.on_tabs_current_changed)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([260, 640])
        self.setCentralWidget(split)

        self.check_button = QPushButton(self.tr("Check now"))
        self.check_button.clicked.connect(self.refresh)
        #: what the last check found (every 5 s); the outcome of the supervisor's own actions is ``status``, which
        #: a check does not overwrite
        self.check_status = QLabel(self.tr("Checking…"))
        self.check_status.setObjectName("reconcileStatus")
        self.status = QLabel()
        self.status.setObjectName("actionStatus")
        self.status.setWordWrap(True)
        bar = self.statusBar()
        bar.addWidget(self.check_status)
        bar.addWidget(self.status, 1)
        bar.addPermanentWidget(QLabel(self.tr("{0} (supervisor)").format(user.display_name)))
        bar.addPermanentWidget(self.check_button)
        self._set_session_actions(False)
        reports_menu = self.menuBar().addMenu(self.tr("&Reports"))
        self.day_report_action = reports_menu.addAction(self.tr("&Day report…"))
        self.day_report_action.setObjectName("dayReportAction")
        self.day_report_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_D))
        self.day_report_action.triggered.connect(self.open_day_report)
        self.day_report_dialog: DayReportDialog | None = None

        #: checks start every ``interval_ms`` (from the start of the last one: its own length does not stretch the
        #: interval; one that takes longer than the interval is followed by the next as soon as it ends)
        self.interval_ms = refresh_ms or self.REFRESH_MS
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        self._since_check = QElapsedTimer()
        #: when each check's answer arrived (monotonic seconds; the tests read the cadence)
        self.checks: list[float] = []
        self._charts_for: int | None = None  # the session the charts show (loaded when their tab is opened)
        self.refresh()

    # -- the table ------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Check every current session off the GUI thread; a check still running is not started twice (the next
        one starts when it ends)."""
        if self._closed:
            return
        if self._refreshing:
            self._overdue = True
            return
        self._overdue = False
        self._refreshing = True
        self._since_check.start()
        self.timer.start(self.interval_ms)
        desk, user = self.desk, self.user
        self.runner.run(lambda: desk.check(user), self.on_reports_loaded, self.on_reports_failed, quiet=True)

    def _check_done(self) -> None:
        self._refreshing = False
        if self._overdue or (self._since_check.isValid() and self._since_check.elapsed() >= self.interval_ms):
            self._overdue = False
            self.refresh()  # the check took longer than the interval: the next one starts now

    @Slot(object)
    def on_reports_loaded(self, reports: list[SessionReport]) -> None:
        self.checks.append(time.monotonic())
        self.reports = reports
        self.model.update(reports)
        selected = self.current.session_id if self.current else None
        drifting = sum(1 for r in reports if not r.consistent)
        self.check_status.setText(
            self.tr("Checked {0} sessions at {1:%H:%M:%S}: {2}").format(
                len(reports), reports[0].checked_at.astimezone() if reports else datetime.now().astimezone(),
                self.tr("all consistent") if not drifting
                else self.tr("{0} with drift").format(drifting))
        )
        if not self._warmed and reports:
            self._warm_maps(reports)
        if selected is not None:
            fresh = self.model.reports.get(selected)
            if fresh is not None:
                self._show_report(fresh)
                self.load_holds()  # the holds follow each check: none listed that the table says are gone
        elif self.model.rows and self.model.rows[0].severity != "ok":
            self.table.selectRow(0)  # nothing chosen yet: open the worst session
        self._check_done()

    def _warm_maps(self, reports: list[SessionReport], venues: int = 12) -> None:
        """After the first check, work out the maps' geometry of the largest venues on the pool, once: the first
        click on a stadium's session then only draws its seats (~0.4 s instead of ~1.5 s)."""
        self._warmed = True
        one_per_venue: dict[str, SessionReport] = {}
        for r in sorted(reports, key=lambda r: -r.capacity):
            one_per_venue.setdefault(r.venue, r)
        sids = [r.session_id for r in list(one_per_venue.values())[:venues]]
        desk = self.desk

        def warm() -> None:
            for sid in sids:
                SeatGeometry.of(desk.session_layout(sid))

        self.runner.run(warm, lambda _: None, lambda exc: None, quiet=True, owner=self)

    @Slot(object)
    def on_reports_failed(self, exc: BaseException) -> None:
        self.check_status.setText(self.tr("Check failed: {0}").format(describe(exc)[1]))
        self._check_done()

    @Slot(QItemSelection, QItemSelection)
    def on_table_selection_changed(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        sid = self.model.session_at(rows[0].row())
        report = self.model.reports.get(sid)
        if report is None:
            return
        if self.current is None or self.current.session_id != sid:
            self._ticked = None
            self.current = report
            self._open_session(report)  # the previous session's map goes at once
        self._show_report(report)

    # -- one session ----------------------------------------------------------------------------------------------
    def _open_session(self, report: SessionReport) -> None:
        """Another session chosen: its map replaces the one shown at once by a "loading" note with progress, the
        layout loads off the GUI thread (the feed follows), and the panels that are on screen follow it."""
        desk, sid = self.desk, report.session_id
        self._stop_feed()
        self.layout_ = None
        self._opened = QElapsedTimer()
        self._opened.start()
        self.map_load_ms = None
        self.map.show_loading(sid, self.tr("Loading the map of {0} ({1})…").format(report.venue, report.name))

        def load() -> Layout:
            layout = desk.session_layout(sid)
            SeatGeometry.of(layout)  # the map's geometry, off the GUI thread
            return layout

        self.runner.run(load, lambda layout: self.on_layout_loaded(sid, layout),
                        lambda exc: self.on_layout_failed(sid, exc), owner=self)
        self.history.set_session(sid)
        if self.tabs.currentWidget() is self.charts:
            self._show_charts()
        self.load_holds()

    def _show_charts(self) -> None:
        """The charts load when their tab is shown (three queries over a stadium's sales are not worth making for
        every session the supervisor clicks through)."""
        if self.current is not None and self._charts_for != self.current.session_id:
            self._charts_for = self.current.session_id
            self.charts.show_session(self.current.session_id)

    def on_layout_loaded(self, session_id: int, layout: Layout) -> None:
        if self._closed or self.current is None or self.current.session_id != session_id:
            return
        self.layout_ = layout
        self.map.set_layout(layout)
        # the supervisor's map does not switch the process to degraded mode (the clerks' windows and sales do)
        self.feed = feed = LiveFeed(self.desk, session_id, note_outage=False)
        feed.resynced.connect(self.map.set_snapshot)  # the map drops a snapshot of another session
        feed.changed.connect(self.on_feed_changed)
        self.map.destroyed.connect(feed.stop, Qt.ConnectionType.DirectConnection)
        feed.failed.connect(self.on_feed_failed)
        feed.recovered.connect(self.on_feed_recovered)
        feed.start()
        self._shown_drifts = None
        self._show_report(self.current)

    def on_layout_failed(self, session_id: int, exc: BaseException) -> None:
        if self.current is not None and self.current.session_id == session_id:
            self.map.show_failed(self.tr("The map could not be loaded: {0}").format(describe(exc)[1]))
        self.on_action_failed(exc)

    @Slot(object)
    def on_feed_changed(self, changes: Any) -> None:
        if self.sender() is self.feed and self.feed is not None and self.layout_ is not None:
            self.map.apply(changes)  # (changes of a feed stopped meanwhile are not this map's)

    @Slot(int)
    def on_map_ready(self, session_id: int) -> None:
        """The chosen session's seats are drawn: how long it took is kept for the tests and the status line."""
        if self.current is not None and self.current.session_id == session_id and self._opened is not None:
            self.map_load_ms = self._opened.elapsed()

    @Slot()
    def on_fit_button_clicked(self) -> None:
        self.map.fit()
        self.map.setFocus()

    def _show_report(self, report: SessionReport) -> None:
        """The chosen session's header, drift list and rings; after a check that found the same drift as the last
        one, only the header (nothing is rebuilt: the supervisor's ticks, scroll and hover stay)."""
        self.current = report
        self._set_session_actions(True)
        self.session_label.setText(self.tr("{0} — {1}: {2}").format(report.name, report.venue, {
            "ok": self.tr("consistent"), "warning": self.tr("drift"), "critical": self.tr("CRITICAL drift")
        }[report.severity]))
        self.repair_button.setEnabled(bool(report.drifts))
        self.orphans_button.setEnabled(report.drift("orphan_hold") is not None)
        key = (report.session_id, report.drifts, self.layout_ is not None)
        if key == self._shown_drifts:
            return
        self._shown_drifts = key
        ticked = SAFE if self._ticked is None else self._ticked  # the supervisor's own ticks survive refreshes
        self.drift_tree.blockSignals(True)
        self.drift_tree.clear()
        flagged: dict[int, QColor] = {}
        for d in report.drifts:
            seats = ", ".join(d.labels[:40]) + (" …" if len(d.labels) > 40 else "")
            detail = detail_text(d)
            item = QTreeWidgetItem([self.tr(CLASS_NAMES[d.kind]), seats or detail])
            item.setData(0, Qt.ItemDataRole.UserRole, d.kind)
            item.setToolTip(0, f"{d.kind}: {description(d.kind)}")
            full = ", ".join(d.labels[:400]) + (" …" if len(d.labels) > 400 else "")
            item.setToolTip(1, "\n".join(p for p in (full, detail) if p))
            item.setCheckState(0, Qt.CheckState.Checked if d.kind in ticked else Qt.CheckState.Unchecked)
            item.setForeground(0, QBrush(DRIFT_OUTLINE[d.severity]))
            self.drift_tree.addTopLevelItem(item)
            for i in d.seats:
                flagged[i] = DRIFT_OUTLINE[d.severity]
        self.drift_tree.blockSignals(False)
        self.drift_tree.resizeColumnToContents(0)
        if self.layout_ is not None:
            self.map.set_flagged({i: c for i, c in flagged.items() if i < self.layout_.capacity})

    def _set_session_actions(self, enabled: bool) -> None:
        for b in (self.repair_button, self.orphans_button, self.rebuild_button, self.force_button):
            b.setEnabled(enabled)

    def load_holds(self) -> None:
        if self.current is None:
            return
        desk, sid, user = self.desk, self.current.session_id, self.user
        self.runner.run(lambda: desk.holds(user, sid), lambda holds: self.on_holds_loaded(sid, holds),
                        self.on_action_failed, quiet=True, owner=self)

    def on_holds_loaded(self, session_id: int, holds: list[Hold]) -> None:
        if self.current is None or self.current.session_id != session_id:
            return  # another session was chosen meanwhile
        self.hold_list = holds
        self.holds.setRowCount(len(holds))
        for row, h in enumerate(holds):
            expires = f"{h.expires_at.astimezone():%H:%M:%S}" + (self.tr(" (expired)") if h.expired(time.time() * 1000) else "")
            for col, value in enumerate((h.clerk, ", ".join(h.labels), expires, h.token)):
                self.holds.setItem(row, col, QTableWidgetItem(value))
        self.force_button.setEnabled(bool(holds))
        if not holds:
            self._clear_hold_hint()

    @Slot()
    def on_holds_selection_changed(self) -> None:
        if self.holds.selectionModel().selectedRows():
            self._clear_hold_hint()

    def _clear_hold_hint(self) -> None:
        if self._hold_hint:
            self._hold_hint = False
            self.status.setText("")

    @Slot(int)
    def on_map_seat_clicked(self, seat: int) -> None:
        if self.current is None or self.layout_ is None:
            return
        self.history.show_seat(self.current.session_id, self.layout_.seats[seat].label)
        self.tabs.setCurrentWidget(self.history)

    def on_drift_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._ticked = set(self.selected_classes()) | ((self._ticked or set(SAFE)) - self._shown_classes())

    def _shown_classes(self) -> set[str]:
        return {self.drift_tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.drift_tree.topLevelItemCount())}

    def on_drift_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, Qt.ItemDataRole.UserRole)
        drift = self.current.drift(kind) if self.current else None
        if drift and drift.seats and self.layout_ is not None:
            self.map.center_on(drift.seats[0])

    @Slot(int)
    def on_tabs_current_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.outbox:
            self.outbox.refresh()
        elif self.tabs.widget(index) is self.charts:
            self._show_charts()

    # -- actions --------------------------------------------------------------------------------------------------
    def selected_classes(self) -> list[str]:
        return [self.drift_tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.drift_tree.topLevelItemCount())
                if self.drift_tree.topLevelItem(i).checkState(0) == Qt.CheckState.Checked]

    def repair_selected(self, reason: str | None = None, confirmed: bool = False) -> None:
        classes = self.selected_classes()
        if self.current is None or not classes:
            self.status.setText(self.tr("Tick the drift classes to repair first."))
            return
        self._repair(classes, self.tr("Repair {0}").format(", ".join(classes)), reason, confirmed)

    def release_orphans(self, reason: str | None = None, confirmed: bool = False) -> None:
        self._repair(["orphan_hold"], self.tr("Release orphan holds"), reason, confirmed)

    def _repair(self, classes: list[str], title: str, reason: str | None, confirmed: bool) -> None:
        report = self.current
        if report is None:
            return
        reason = self._reason(title, reason)
        if reason is None or not self._confirm(title, self.tr(
                "{0} in session {1}? Every change is written to the audit log.").format(title, report.name), confirmed):
            return
        desk, user, sid = self.desk, self.user, report.session_id
        # checked again right now (two passes), then what is still found is repaired
        self._action(title, lambda: desk.repair(user, sid, reason, classes), self.on_repaired)

    def rebuild(self, reason: str | None = None, confirmed: bool = False) -> None:
        report = self.current
        if report is None:
            return
        title = self.tr("Rebuild Redis from the database")
        reason = self._reason(title, reason)
        if reason is None or not self._confirm(title, self.tr(
                "Replace the seat map of {0} in Redis with the database's? Live holds end; clerks' windows "
                "reload the map.").format(report.name), confirmed):
            return
        desk, user, sid = self.desk, self.user, report.session_id
        self._action(title, lambda: desk.rebuild(user, sid, reason),
                     lambda epoch: self._done(self.tr("Session rebuilt from the database (epoch {0}).").format(epoch)))

    def force_release(self, token: str | None = None, reason: str | None = None, confirmed: bool = False) -> None:
        if self.current is None:
            return
        if token is None:
            rows = self.holds.selectionModel().selectedRows()
            if not rows:
                self.status.setText(self.tr("Select a hold first."))
                self._hold_hint = True
                return
            token = self.hold_list[rows[0].row()].token
        self._clear_hold_hint()
        hold = next((h for h in self.hold_list if h.token == token), None)
        clerk = hold.clerk if hold is not None else self.tr("unknown clerk")
        seats = ", ".join(hold.labels) if hold is not None else self.tr("unknown seats")
        title = self.tr("Force-release hold")
        reason = self._reason(title, reason, self.tr(
            "Release {0}'s hold on {1}.\nReason (kept in the audit log)").format(clerk, seats))
        if reason is None or not self._confirm(title, self.tr(
                "Release {0}'s hold on {1} now? Its seats go back on sale. (Hold {2})").format(clerk, seats, token),
                confirmed):
            return
        desk, user, sid = self.desk, self.user, self.current.session_id
        self._action(title, lambda: desk.force_release(user, sid, token, reason),
                     lambda n: self._done(self.tr("Hold released: {0} seat(s) back on sale.").format(n)))

    def _reason(self, title: str, given: str | None, prompt: str | None = None) -> str | None:
        """The reason typed (or ``given``); None if the supervisor cancelled or left it empty, and then the status
        line says that nothing was done."""
        if given is None:
            given, ok = QInputDialog.getText(self, title, prompt or self.tr("Reason (kept in the audit log)"))
            if not ok:
                self.status.setText(self.tr("{0}: cancelled, nothing was done.").format(title))
                return None
        if not given.strip():
            self.status.setText(self.tr("{0}: nothing was done — a reason is needed (it is kept in the audit log).")
                                .format(title))
            return None
        return given.strip()

    def _confirm(self, title: str, question: str, confirmed: bool) -> bool:
        if confirmed:
            return True
        answer = QMessageBox.question(self, title, question, defaultButton=QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _action(self, title: str, work: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Run a repair on the pool with a busy progress dialog (it cannot be cancelled half-way)."""
        self.progress = QProgressDialog(title + "…", "", 0, 0, self)
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()

        progress = self.progress

        def finished(result: Any) -> None:
            progress.close()
            on_done(result)

        def failed(exc: BaseException) -> None:
            progress.close()
            self.on_action_failed(exc)

        self.runner.run(work, finished, failed, owner=self)

    def on_repaired(self, result: RepairResult) -> None:
        parts = [self.tr("{0}: {1}").format(k, ", ".join(v[:10])) for k, v in result.repaired.items()]
        parts += [self.tr("{0} not repaired: {1}").format(k, v) for k, v in result.skipped.items()]
        self._done(self.tr("Repaired — ") + "; ".join(parts) if result.repaired
                   else self.tr("Nothing repaired — ") + "; ".join(parts))

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.load_holds()
        self.refresh()

    @Slot(object)
    def on_action_failed(self, exc: BaseException) -> None:
        title, message = describe(exc)
        self.status.setText(f"{title}: {message}")

    @Slot(str)
    def on_feed_failed(self, reason: str) -> None:
        self.session_label.setToolTip(reason)
        self.status.setText(self.tr("Map not live — reconnecting…"))

    @Slot()
    def on_feed_recovered(self) -> None:
        self.session_label.setToolTip("")
        self.status.setText(self.tr("Map live again."))

    # -- reports --------------------------------------------------------------------------------------------------
    def open_day_report(self) -> DayReportDialog:
        """The "Day report…" dialog (not modal: the screen stays live while it is open)."""
        if self.day_report_dialog is None:
            self.day_report_dialog = DayReportDialog(self.desk, self.runner, self.user, self.desk.reports_dir, self)
            self.day_report_dialog.saved.connect(self.on_day_report_saved)
        self.day_report_dialog.show()
        self.day_report_dialog.raise_()
        return self.day_report_dialog

    def on_day_report_saved(self, paths: list[Any]) -> None:
        self.status.setText(self.tr("Day report saved: {0}").format(", ".join(str(p) for p in paths)))

    # -- lifetime -------------------------------------------------------------------------------------------------
    def _stop_feed(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Never waits: the feed is asked to stop and ends on its own; answers of ops still running find the window
        closed (a layout does not start a feed) or deleted (the runner does not deliver them)."""
        self._closed = True  # a layout arriving later must not start a feed
        self.timer.stop()
        self._stop_feed()
        super().closeEvent(event)



