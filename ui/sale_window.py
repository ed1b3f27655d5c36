"""One session at the window: the live seat map, the selected seats with prices and total, and the sale.

The window talks to the :class:`FrontDesk` only, with seat indices (the layout is fetched once, when the window
opens); every call runs on the task runner and its answer comes back on the GUI thread.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import SalesClosed, SeatsUnavailable, TokenInvalid
from boxoffice.services.accounts import UserInfo
from boxoffice.services.booking import MAX_SEATS_PER_ORDER
from boxoffice.services.frontdesk import FrontDesk, Hold, Snapshot

from .i18n import when
from .live_feed import LiveFeed
from .messages import describe
from .order_dialog import OrderDialog
from .seat_map import BLOCKED, HELD, SELECTED, SOLD, SeatMap, connect_feed
from .server_status import DegradedBanner, MapNotLiveBanner, ServerStatus
from .tasks import TaskRunner
from .tickets_pdf import write_tickets


class SaleWindow(QMainWindow):
    # while Redis is unreachable the map is refreshed from the database this often (the live feed has nothing)
    DEGRADED_REFRESH_MS = 2000

    def __init__(self, desk: FrontDesk, runner: TaskRunner, session: SessionInfo, layout: Layout, user: UserInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.session, self.user = desk, runner, session, user
        self.setWindowTitle(self.tr("{0} — {1} {2}").format(session.name, session.venue, when(session.starts_at)))
        self.resize(1280, 800)
        self.layout_ = layout
        self.map = SeatMap(runner=runner)
        self.map.set_layout(self.layout_)
        self.map.selection_changed.connect(self.on_map_selection_changed)
        self.map.hold_hovered.connect(self.on_map_hold_hovered)
        self.seats = QListWidget()
        self.seats.setObjectName("selectedSeats")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.payment = QComboBox()
        self.payment.addItem(self.tr("Cash"), "cash")
        self.payment.addItem(self.tr("Card"), "card")
        self.hold_button = QPushButton(self.tr("Hold  (H)"))
        self.hold_button.setObjectName("hold")
        self.hold_button.clicked.connect(self.on_hold_button_clicked)
        self.held: Hold | None = None
        self.sales_closed = False  # the session's sales window has shut: nothing is sold or held here any more
        self.sell_button = QPushButton(self.tr("Sell  (Enter)"))
        self.sell_button.setObjectName("sell")
        self.sell_button.clicked.connect(self.on_sell_button_clicked)
        self.best_n = QSpinBox()
        self.best_n.setRange(1, MAX_SEATS_PER_ORDER)
        self.best_n.setValue(2)
        self.best_n.setObjectName("bestN")
        self.best_zone = QComboBox()
        self.best_zone.setObjectName("bestZone")
        self.best_zone.addItem(self.tr("any zone"), None)
        for k, z in enumerate(self.layout_.zones, start=1):
            self.best_zone.addItem(self.tr("F{0}  {1} {2}").format(k, z.name, z.price), z.code)
        self.best_button = QPushButton(self.tr("Best available  (B)"))
        self.best_button.setObjectName("best")
        self.best_button.clicked.connect(self.on_best_button_clicked)
        self.cash_given = QLineEdit()
        self.cash_given.setObjectName("cashGiven")
        self.cash_given.setPlaceholderText(self.tr("cash given (empty: exact)"))
        self.cash_given.textChanged.connect(self.update_change)
        self.change = QLabel()
        self.change.setObjectName("change")
        self.message = QLabel()
        self.message.setObjectName("saleMessage")
        self.message.setWordWrap(True)
        states = ((SELECTED, self.tr("selected")), (HELD, self.tr("held")), (SOLD, self.tr("sold")),
                  (BLOCKED, self.tr("blocked")))
        self.legend = legend = QLabel("<br>".join(
            [f"<span style='color:{z.color}'>■</span> {z.name} {z.price}" for z in self.layout_.zones]
            + ["&nbsp; ".join(f"<span style='color:{c.name()}'>■</span>&nbsp;{name}" for c, name in states)]))
        legend.setWordWrap(True)
        side = QVBoxLayout()
        best_row = QHBoxLayout()
        best_row.addWidget(self.best_n)
        best_row.addWidget(self.best_zone, 1)
        side.addLayout(best_row)
        side.addWidget(self.best_button)
        side.addWidget(QLabel(self.tr("Selected seats")))
        side.addWidget(self.seats, 1)
        side.addWidget(self.total)
        side.addWidget(self.payment)
        side.addWidget(self.cash_given)
        side.addWidget(self.change)
        side.addWidget(self.hold_button)
        side.addWidget(self.sell_button)
        side.addWidget(self.message)
        side.addWidget(legend)
        panel = QWidget()
        panel.setObjectName("sellPanel")
        panel.setLayout(side)
        panel.setFixedWidth(300)
        self.banner = DegradedBanner()
        #: the live feed's reads fail (Redis does not answer): the map shows what it last heard
        self.not_live = MapNotLiveBanner()
        self._feed_failing = False
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.not_live)
        self.closed_banner = QLabel(self.tr("Sales for this session are closed"))
        self.closed_banner.setObjectName("closedBanner")
        self.closed_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.closed_banner.setVisible(False)
        column.addWidget(self.closed_banner)
        row = QHBoxLayout()
        row.addWidget(self.map, 1)
        row.addWidget(panel)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self.server_label = QLabel()  # "Embedded PostgreSQL restarted at …" (the embedded servers' supervisor)
        self.statusBar().addPermanentWidget(self.server_label)
        self.server_status = ServerStatus(desk, runner, self.server_label, self)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self.on_sell_button_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.on_escape_pressed)
        QShortcut(QKeySequence(Qt.Key.Key_B), self, self.on_best_button_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_H), self, self.on_hold_button_clicked)
        QShortcut(QKeySequence("Ctrl+F"), self, self.find_seat)
        QShortcut(QKeySequence("Ctrl+L"), self, self.look_up_order)
        for digit in range(1, 10):
            QShortcut(QKeySequence(str(digit)), self, lambda d=digit: self.best_n.setValue(d))
        for k in range(1, len(self.layout_.zones) + 1):
            QShortcut(QKeySequence(f"F{k}"), self, lambda k=k: self.pick_zone(k))
        session_menu = self.menuBar().addMenu(self.tr("Session"))
        self.rebuild_action = session_menu.addAction(self.tr("Rebuild the seat map…"))
        self.rebuild_action.triggered.connect(self.on_rebuild_action_triggered)
        # supervisors only; the service refuses clerks anyway
        self.rebuild_action.setVisible(user.role == "supervisor")
        session_menu.menuAction().setVisible(user.role == "supervisor")
        self.tickets_dir = desk.tickets_dir
        self.last_tickets: Path | None = None
        self.feed = LiveFeed(desk, session.session_id)
        connect_feed(self.feed, self.map)
        self.feed.failed.connect(self.on_feed_failed)
        self.feed.recovered.connect(self.on_feed_recovered)
        self.feed.start()
        self.degraded_timer = QTimer(self)
        self.degraded_timer.setInterval(self.DEGRADED_REFRESH_MS)
        self.degraded_timer.timeout.connect(self.on_degraded_timer_timeout)
        self.degraded_timer.start()
        self._checking_degraded = False
        self.on_degraded_timer_timeout()
        now = datetime.now(timezone.utc)
        if not session.sales_open(now):
            self.on_sales_closed()
        elif session.sales_close_at is not None:  # the window shuts itself at the close, as the servers do
            QTimer.singleShot(min(int((session.sales_close_at - now).total_seconds() * 1000) + 500, 2**31 - 1),
                              self.on_sales_closed)
        self.on_map_selection_changed(())

    @Slot()
    def on_degraded_timer_timeout(self) -> None:
        """Degraded mode (Redis unreachable): show the banner and the database's picture of the session, off the GUI
        thread; once Redis answers again the live feed resynchronises the map on its own."""
        if self._checking_degraded:
            return
        self._checking_degraded = True
        desk, sid = self.desk, self.session.session_id
        self.runner.run(lambda: desk.degraded_picture(sid), self.on_degraded_checked, self.on_degraded_check_failed,
                        quiet=True)

    def on_degraded_checked(self, picture: Snapshot | None) -> None:
        self._checking_degraded = False
        self.banner.setVisible(picture is not None)
        self._show_liveness()
        if picture is not None and (picture.taken, picture.sold) != (self.map.taken, self.map.sold):
            self.map.set_snapshot(picture)  # only when the database changed: each one redraws the base image

    def on_degraded_check_failed(self, exc: BaseException) -> None:
        self._checking_degraded = False
        self.message.setText(describe(exc)[1])

    @Slot(str)
    def on_feed_failed(self, reason: str) -> None:
        """The live feed's read failed: the map is not live (the feed retries every second)."""
        self._feed_failing = True
        self.not_live.setToolTip(reason)
        self._show_liveness()

    @Slot()
    def on_feed_recovered(self) -> None:
        self._feed_failing = False
        self.not_live.setToolTip("")
        self._show_liveness()

    def _show_liveness(self) -> None:
        """"Map not live — reconnecting…" while the feed's reads fail, unless the degraded banner (Redis down, the
        map follows the database) already says the map is not live."""
        self.not_live.setVisible(self._feed_failing and self.banner.isHidden())

    @Slot(tuple)
    def on_map_selection_changed(self, seats: tuple[int, ...]) -> None:
        if self.held is not None:
            seats = self.held.seats  # a hold is being paid for: the panel shows (and Enter sells) exactly that
        self.seats.clear()
        total = Decimal("0.00")
        for i in seats:
            seat = self.layout_.seats[i]
            price = self.layout_.price_of(i)
            total += price
            self.seats.addItem(f"{seat.label}   {self.layout_.zone_by_code[seat.zone].name}   {price}")
        self.total.setText(self.tr("Total {0}").format(total))
        self.total_due = total
        self.update_change()
        self.sell_button.setEnabled(bool(seats) and not self.runner.busy and not self.sales_closed)
        self.hold_button.setEnabled(bool(seats) and self.held is None and not self.sales_closed)

    @Slot()
    def on_escape_pressed(self) -> None:
        """Esc: the clerk is done with this customer — the selection goes, and a hold of theirs is given back (off
        the GUI thread; if the seat map is not live, the hold expires there on its own)."""
        held, self.held = self.held, None
        self.map.clear_selection()
        self.on_map_selection_changed(())
        if held is None:
            return
        desk, sid = self.desk, self.session.session_id
        labels = ", ".join(self.layout_.seats[i].label for i in held.seats)
        self.message.setText(self.tr("Hold given back: {0}").format(labels))
        self.runner.run(lambda: desk.release(sid, held.token), self.on_hold_released, self.on_sale_failed,
                        quiet=True)

    def on_hold_released(self, _result: None) -> None:
        """The hold is given back: the live map shows its seats free (nothing else to do)."""

    @Slot()
    def on_hold_button_clicked(self) -> None:
        """Keep the selected seats for this customer while they decide or pay; Enter then sells exactly those."""
        seats = tuple(sorted(self.map.selected))
        if not seats or self.held is not None:
            return
        desk, sid, user = self.desk, self.session.session_id, self.user
        self.runner.run(lambda: desk.hold(user, sid, seats), self.on_hold_done, self.on_sale_failed)

    def on_hold_done(self, hold: Hold) -> None:
        self.held = hold
        self.on_map_selection_changed(hold.seats)
        until = datetime.fromtimestamp(hold.expires_ms / 1000).strftime("%H:%M")
        self.message.setText(self.tr("Held until {0}: {1}. Enter sells them.").format(
            until, ", ".join(self.layout_.seats[i].label for i in hold.seats)))

    @Slot(int)
    def on_map_hold_hovered(self, seat: int) -> None:
        desk, sid = self.desk, self.session.session_id
        self.runner.run(lambda: desk.hold_of_seat(sid, seat), self.on_hold_looked_up, self.on_hold_lookup_failed,
                        quiet=True)

    def on_hold_looked_up(self, hold: Hold | None) -> None:
        if hold is not None:
            for seat in hold.seats:
                self.map.show_hold(seat, hold.clerk, hold.expires_ms)  # the tooltip of the seat under the mouse

    def on_hold_lookup_failed(self, exc: BaseException) -> None:
        """Who holds the seat is not known now: say so in the status bar for a few seconds."""
        self.statusBar().showMessage(self.tr("Could not look up the hold: {0}").format(describe(exc)[1]), 5000)

    def update_change(self) -> None:
        given = self.cash_given.text().strip().replace(",", ".")
        if not given:
            self.change.setText("")
            return
        try:
            change = Decimal(given) - self.total_due
        except InvalidOperation:
            self.change.setText(self.tr("Not an amount"))
            return
        self.change.setText(self.tr("Change {0}").format(change) if change >= 0 else
                            self.tr("{0} short").format(-change))

    def pick_zone(self, k: int) -> None:
        """F-key k: zone k, then best available there."""
        self.best_zone.setCurrentIndex(k)
        self.on_best_button_clicked()

    @Slot()
    def on_best_button_clicked(self) -> None:
        """Select the best N adjacent free seats (computed off the GUI thread from the map's live picture)."""
        n, zone, taken = self.best_n.value(), self.best_zone.currentData(), self.map.taken
        desk, sid = self.desk, self.session.session_id
        self.runner.run(lambda: desk.best_seats(sid, n, zone, taken), self.on_best_found, self.on_sale_failed)

    def on_best_found(self, seats: tuple[int, ...] | None) -> None:
        if seats is None:
            self.message.setText(self.tr("No {0} adjacent free seats{1}.").format(
                self.best_n.value(), "" if self.best_zone.currentData() is None else
                self.tr(" in {0}").format(self.best_zone.currentText().split("  ", 1)[-1])))
            return
        self.map.select(seats)
        self.map.center_on(seats[0])
        self.message.setText("")

    @Slot()
    def on_rebuild_action_triggered(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("Rebuild the seat map"), self.tr("Reason (kept in the audit log)"))
        if ok:
            self.rebuild(reason)

    def rebuild(self, reason: str) -> None:
        desk, user, sid = self.desk, self.user, self.session.session_id
        self.runner.run(lambda: desk.rebuild(user, sid, reason), self.on_rebuilt, self.on_sale_failed)

    def on_rebuilt(self, _epoch: str) -> None:
        self.message.setText(self.tr("Seat map rebuilt from the database."))

    def look_up_order(self) -> OrderDialog:
        dialog = OrderDialog(self.desk, self.runner, self.session, self.user, self.tickets_dir, self)
        dialog.open()
        return dialog

    def find_seat(self) -> None:
        label, ok = QInputDialog.getText(self, self.tr("Find a seat"), self.tr("Seat label (e.g. N3-A-12)"))
        seat = self.layout_.by_label.get(label.strip()) if ok else None
        if ok and seat is None:
            self.message.setText(self.tr("No seat {0} here.").format(label.strip()))
        elif seat is not None:
            self.map.select([seat.index], add=True)
            self.map.center_on(seat.index)

    @Slot()
    def on_sell_button_clicked(self) -> None:
        seats = tuple(sorted(self.map.selected))
        if (not seats and self.held is None) or not self.sell_button.isEnabled():
            return
        given = self.cash_given.text().strip().replace(",", ".")
        tendered = None
        if self.payment.currentData() == "cash" and given:
            try:
                tendered = Decimal(given)
                if tendered < self.total_due:
                    self.message.setText(self.tr("The cash given does not cover {0}.").format(self.total_due))
                    return
            except InvalidOperation:
                self.message.setText(self.tr("The cash given is not an amount."))
                return
        token = None
        if self.held is not None:  # finish the held sale: exactly its seats, under its token
            seats, token = self.held.seats, self.held.token
        desk, user, sid, payment = self.desk, self.user, self.session.session_id, self.payment.currentData()
        self.sell_button.setEnabled(False)
        self.message.setText(self.tr("Selling…"))
        self.runner.run(lambda: desk.sell(user, sid, seats, payment, token, tendered), self.on_sale_done, self.on_sale_failed)

    def on_sale_done(self, receipt: Receipt) -> None:
        self.held = None
        self.map.clear_selection()
        self.on_map_selection_changed(())
        self.cash_given.clear()
        self.message.setText(self.tr("Order {0}: {1} — {2}").format(
            receipt.order_id, ", ".join(receipt.seats), receipt.total))
        desk, session = self.desk, self.session
        path = self.tickets_dir / f"order-{receipt.order_id}.pdf"
        self.runner.run(lambda: write_tickets(path, receipt, session, desk.ticket_sheet(receipt)),
                        self.on_tickets_written, self.on_sale_failed)

    def on_tickets_written(self, path: Path) -> None:
        self.last_tickets = path
        self.message.setText(self.message.text() + "\n" + self.tr("Tickets: {0}").format(path))

    @Slot()
    def on_sales_closed(self) -> None:
        """The session's sales window has shut (or a sale was refused for it): say so, and sell or hold nothing."""
        self.sales_closed = True
        self.closed_banner.setVisible(True)
        self.on_map_selection_changed(tuple(sorted(self.map.selected)))

    def on_sale_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SalesClosed):
            self.on_sales_closed()
        if isinstance(exc, TokenInvalid) and self.held is not None:
            # the hold is over without a sale (the seat map was rebuilt, it expired or was released): its token
            # can never sell, so the panel lets go of it and the clerk selects again
            self.held = None
            self.map.clear_selection()
            self.on_map_selection_changed(())
            self.message.setText(describe(exc)[1])
            return
        if isinstance(exc, SeatsUnavailable) and exc.seats:
            taken = set(getattr(exc, "indices", ()))  # the desk names the taken seats by index too
            self.map.select(self.map.selected - taken)  # keep the rest of the selection
            self.message.setText(self.tr("Just taken: {0}. The rest is still selected — press Enter to sell it.")
                                 .format(", ".join(exc.seats)))
        else:
            self.message.setText(describe(exc)[1])
        self.sell_button.setEnabled((bool(self.map.selected) or self.held is not None) and not self.sales_closed)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """Never waits: the feed is asked to stop after its current read and ends on its own; answers of ops still
        running are not delivered once the window is deleted (the runner checks)."""
        self.degraded_timer.stop()
        self.feed.stop()
        super().closeEvent(event)
