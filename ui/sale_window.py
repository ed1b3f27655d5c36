"""One session at the window: the live seat map, the selected seats with prices and total, and the sale.

The window talks to the :class:`FrontDesk` only, with seat indices (the layout is fetched once, when the window
opens); every call runs on the task runner and its answer comes back on the GUI thread.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import SalesClosed, SeatsUnavailable, TillNotOpen, TokenInvalid
from boxoffice.services.accounts import UserInfo
from boxoffice.services.booking import MAX_SEATS_PER_ORDER
from boxoffice.services.frontdesk import FrontDesk, Hold, Snapshot

from .holds_panel import HoldsPanel
from .i18n import when, word
from .live_feed import LiveFeed
from .messages import describe
from .order_dialog import OrderDialog
from .price_types import SeatTypes, SupervisorBox
from .printer_settings import PrinterSettingsDialog, workstation_printer
from .printing import print_order
from .seat_map import MapLegend, SeatMap, connect_feed
from .server_status import DegradedBanner, MapNotLiveBanner, ServerStatus
from .tasks import TaskRunner
from .tender_panel import TenderError, TenderPanel
from .till_dialogs import TillMenu

#: the colour of the rings that flash around a seat another window took out of the selection
FLASH = QColor("#d50000")
#: a seat this window claimed (a sale or hold in flight, or one that just failed) leaving the selection is this
#: window's own doing for this long after the answer (the live map may hear of the claim after the answer)
OWN_GRACE_S = 2.0
#: how long the seats of a sale refused for want of a till wait to be selected again (their release's echo on the
#: live map can come late under load)
RESELECT_S = 10.0


class SeatFlash(QWidget):
    """Rings blinking around some seats of the map for a few seconds, drawn over it (it takes no mouse input): a
    seat another window sold or held while it was selected here."""

    BLINKS = 8
    PERIOD_MS = 300

    def __init__(self, seat_map: SeatMap) -> None:
        super().__init__(seat_map)
        self.setObjectName("seatFlash")
        self.map = seat_map
        self.seats: tuple[int, ...] = ()
        self._left = 0
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.timer = QTimer(self)
        self.timer.setInterval(self.PERIOD_MS)
        self.timer.timeout.connect(self._blink)
        seat_map.installEventFilter(self)
        self.hide()

    def flash(self, seats: tuple[int, ...]) -> None:
        """Blink rings around these seats (and keep them drawn once the blinking is over, until :meth:`stop`)."""
        self.seats = tuple(seats)
        self._left = self.BLINKS
        self.setGeometry(self.map.rect())
        self.raise_()
        self.show()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.seats = ()
        self.hide()

    @property
    def flashing(self) -> bool:
        return bool(self.seats)

    def _blink(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.timer.stop()
            self.show()  # the blinking is over: the rings stay until the clerk answers
            return
        self.setVisible(not self.isVisible())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.map and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.map.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if not self.seats or self.map.layout_ is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(FLASH, 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for i in self.seats:
            seat = self.map.layout_.seats[i]
            centre = self.map.to_widget(i)
            radius = max(9.0, math.hypot(seat.w, seat.h) * self.map.scale * 0.8)
            p.drawEllipse(centre, radius, radius)
            p.drawEllipse(centre, radius + 5, radius + 5)
        p.end()


#: the item data role holding a selected-seat row's columns (label, zone, price type, price)
COLUMNS_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMN_GAP = 12


class SeatRowsDelegate(QStyledItemDelegate):
    """Paints the selected-seats rows in columns — label, zone, price type, then the price right-aligned — every
    column as wide as its widest text in the list, so the prices line up whatever the type's name (Child / Senior /
    Complimentary) in a proportional font. Rows without columns (a seat taken at another window) paint as usual."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def widths(self, fm: QFontMetrics) -> list[int]:
        """Each column's width: its widest text in the list."""
        out: list[int] = []
        for k in range(self.view.count()):
            cols = self.view.item(k).data(COLUMNS_ROLE) or ()
            for c, text in enumerate(cols):
                w = fm.horizontalAdvance(text)
                if c < len(out):
                    out[c] = max(out[c], w)
                else:
                    out.append(w)
        return out

    def column_rects(self, index: QModelIndex, rect: QRect, fm: QFontMetrics) -> list[QRect]:
        """Where each column of the row goes (the price's rect ends where every row's price ends)."""
        cols = index.data(COLUMNS_ROLE) or ()
        widths = self.widths(fm)
        x, out = rect.left() + 4, []
        for c in range(len(cols)):
            out.append(QRect(x, rect.top(), widths[c], rect.height()))
            x += widths[c] + COLUMN_GAP
        return out

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        cols = index.data(COLUMNS_ROLE)
        if not cols:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        painter.setFont(opt.font)
        fm = QFontMetrics(opt.font)
        for c, (text, r) in enumerate(zip(cols, self.column_rects(index, opt.rect, fm), strict=True)):
            align = Qt.AlignmentFlag.AlignRight if c == len(cols) - 1 else Qt.AlignmentFlag.AlignLeft
            painter.drawText(r, int(align | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt API
        size = super().sizeHint(option, index)
        cols = index.data(COLUMNS_ROLE)
        if cols:
            fm = QFontMetrics(option.font)
            size.setWidth(sum(self.widths(fm)) + COLUMN_GAP * (len(cols) - 1) + 8)
        return size


class SaleWindow(QMainWindow):
    # while Redis is unreachable the map is refreshed from the database this often (the live feed has nothing)
    DEGRADED_REFRESH_MS = 2000
    #: the question about live holds on closing was answered: True when the window closes, False when it stays
    close_answered = Signal(bool)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, session: SessionInfo, layout: Layout, user: UserInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.session, self.user = desk, runner, session, user
        self.setWindowTitle(self.tr("{0} — {1} {2}").format(session.name, session.venue, when(session.starts_at)))
        self.resize(1280, 800)
        self.layout_ = layout
        self.map = SeatMap(runner=runner)
        self.map.set_layout(self.layout_)
        self.map.selection_changed.connect(self.on_map_selection_signal)
        self.map.hold_hovered.connect(self.on_map_hold_hovered)
        self.flash = SeatFlash(self.map)
        #: the map's selection as last announced (to find seats that left it because another window took them)
        self._map_selection: frozenset[int] = frozenset()
        #: seats this window claimed (sale or hold in flight: until +inf; answered: until a moment after)
        self._ours: dict[int, float] = {}
        #: seats of a sale refused for want of a till, to select again as they come free (the sale claimed them on
        #: the map for a moment, which took them out of the selection), until this monotonic deadline
        self._reselect: set[int] = set()
        self._reselect_until = 0.0
        #: seats another window took out of the selection, not yet acknowledged by the clerk (Enter asks first)
        self.dropped: tuple[int, ...] = ()
        self._drop_asked = False
        self.seats = QListWidget()
        self.seats.setObjectName("selectedSeats")
        self.seats.setItemDelegate(SeatRowsDelegate(self.seats))  # the prices line up across price types
        # rows picked here are the seats T gives the next price type (none picked: every selected seat)
        self.seats.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.seat_types = SeatTypes(layout)
        self.override = SupervisorBox()
        self.total = QLabel()
        self.total.setObjectName("total")
        #: how the customer pays: one method, or split tender (ui/tender_panel.py); its fields keep their names here
        self.tender = TenderPanel()
        self.payment, self.cash_given, self.change = self.tender.method, self.tender.cash_given, self.tender.change
        self.hold_button = QPushButton(self.tr("Hold  (H)"))
        self.hold_button.setObjectName("hold")
        self.hold_button.clicked.connect(self.on_hold_button_clicked)
        self.held: Hold | None = None
        #: a sale or hold of this window is in flight
        self._claiming = False
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
        self.total_due = Decimal("0.00")
        # who buys (optional, never required: a walk-up sale leaves both empty) — to find the order again (Ctrl+L)
        self.customer_name = QLineEdit()
        self.customer_name.setObjectName("customerName")
        self.customer_name.setPlaceholderText(self.tr("customer name (optional)"))
        self.customer_phone = QLineEdit()
        self.customer_phone.setObjectName("customerPhone")
        self.customer_phone.setPlaceholderText(self.tr("customer phone (optional)"))
        self.message = QLabel()
        self.message.setObjectName("saleMessage")
        self.message.setWordWrap(True)
        # a sale refused for want of a till: this red line stays until a till is opened or a sale goes through
        self.no_till = QLabel()
        self.no_till.setObjectName("noTillWarning")
        self.no_till.setWordWrap(True)
        self.no_till.setStyleSheet("color: #b00020; font-weight: bold;")
        self.no_till.hide()
        self.legend = legend = MapLegend(self.layout_)
        side = QVBoxLayout()
        best_row = QHBoxLayout()
        best_row.addWidget(self.best_n)
        best_row.addWidget(self.best_zone, 1)
        side.addLayout(best_row)
        side.addWidget(self.best_button)
        side.addWidget(QLabel(self.tr("Selected seats")))
        side.addWidget(self.seats, 1)
        side.addWidget(self.total)
        side.addWidget(self.tender)
        side.addWidget(self.customer_name)
        side.addWidget(self.customer_phone)
        side.addWidget(self.override)
        side.addWidget(self.hold_button)
        side.addWidget(self.sell_button)
        side.addWidget(self.no_till)
        side.addWidget(self.message)
        self.holds_panel = HoldsPanel(desk, runner, session.session_id, user, lambda i: layout.seats[i].label)
        self.holds_panel.resume_requested.connect(self.resume_hold)
        self.holds_panel.release_requested.connect(self.release_hold)
        self.holds_panel.extend_requested.connect(self.extend_hold)
        # every live hold of this clerk in this session (reopened, resumed, put aside) in the own-hold colour
        self.holds_panel.holds_changed.connect(
            lambda holds: self.map.set_own_holds(i for h in holds for i in h.seats))
        side.addWidget(self.holds_panel)
        side.addWidget(legend)
        panel = QWidget()
        panel.setObjectName("sellPanel")
        panel.setLayout(side)
        panel.setFixedWidth(300)
        self.seats.setMinimumHeight(90)
        # the panel scrolls when a window is too short for all of it (split payment, a supervisor box and the
        # message together): Qt would otherwise squeeze the message under the buttons, unreadable
        scroller = QScrollArea()
        scroller.setObjectName("sellPanelScroller")
        scroller.setWidget(panel)
        scroller.setWidgetResizable(True)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setFixedWidth(300 + scroller.verticalScrollBar().sizeHint().width())
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
        row.addWidget(scroller)
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
        QShortcut(QKeySequence(Qt.Key.Key_T), self, self.cycle_price_type)
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
        self.printer_action = self.menuBar().addMenu(self.tr("Workstation")).addAction(self.tr("Printer settings…"))
        self.printer_action.triggered.connect(lambda: PrinterSettingsDialog(desk, runner, self).open())
        self.till = TillMenu(self, desk, runner, user)  # the Till menu; offers to open one when required
        # every way the Till menu opens a till (its menu, its offer at start, the refused sale's box) goes through
        # its open_till: the dialog it makes tells this window when the till is open (the red line goes)
        menu_open_till = self.till.open_till

        def open_till(note: str = "") -> QDialog:
            dialog = menu_open_till(note)
            opened = getattr(dialog, "opened", None)
            if opened is not None:
                opened.connect(self.on_till_opened)
            return dialog

        self.till.open_till = open_till  # type: ignore[method-assign]
        self.tickets_dir = desk.tickets_dir
        self.last_tickets: Path | None = None
        self.feed = LiveFeed(desk, session.session_id)
        connect_feed(self.feed, self.map)
        self.feed.changed.connect(self.on_feed_changed)
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
        self.load_price_list()
        #: closing with live holds asks first (see closeEvent); tests and the app's own quit may skip the question
        self.ask_before_closing = True
        self._closing_decided = False
        self.close_prompt: QMessageBox | None = None
        self.rebuild_prompt: QMessageBox | None = None
        self.holds_panel.refresh()
        self.map.setFocus()

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
    def on_map_selection_signal(self, seats: tuple[int, ...]) -> None:
        """The map's selection changed: by the clerk, by this window — or because another window sold or held a
        selected seat (the map drops it). That last one is announced, never silent: the seat flashes, the message
        and the panel name it, and Enter asks before selling the rest (see :meth:`on_seats_dropped`)."""
        before, after = self._map_selection, frozenset(seats)
        self._map_selection = after
        now = time.monotonic()
        held = set(self.held.seats) if self.held is not None else set()
        if self.held is not None and after - before - held:
            self.put_hold_aside()  # the clerk picks seats for the next customer: the hold waits under My holds
            held = set()
        lost = tuple(sorted(i for i in before - after
                            if self.map.state(i) in ("held", "sold") and i not in held and self._ours.get(i, 0) < now))
        if lost:
            self.on_seats_dropped(lost)
        elif self.dropped and after - before:
            self._forget_drop()  # the clerk picked other seats: they have seen it
        self.on_map_selection_changed(seats)

    @Slot(object)
    def _select_again(self) -> None:
        """Select again the seats of a sale refused for want of a till that are free on the map by now."""
        if not self._reselect:
            return
        if time.monotonic() > self._reselect_until:
            self._reselect = set()
            return
        free = {i for i in self._reselect if self.map.state(i) == "free"}
        if free:
            self._reselect -= free
            self.map.select(free, add=True)

    def on_feed_changed(self, _changes: object) -> None:
        """A seat announced as taken may be sold a moment later (a hold, then its sale): the words follow."""
        self._select_again()
        if self.dropped and not self._drop_asked and self.held is None:
            self.message.setText(self._dropped_text(ask=False))

    def on_seats_dropped(self, lost: tuple[int, ...]) -> None:
        self.dropped = tuple(sorted(set(self.dropped) | set(lost)))
        self._drop_asked = False
        self.flash.flash(self.dropped)
        self.message.setText(self._dropped_text(ask=False))

    def _dropped_text(self, ask: bool) -> str:
        """"Sold at another window: N3-A-17." and, when asking, "Sell N3-A-18 only? Press Enter to confirm." """
        sold = [self.layout_.seats[i].label for i in self.dropped if self.map.state(i) == "sold"]
        held = [self.layout_.seats[i].label for i in self.dropped if self.map.state(i) != "sold"]
        parts = []
        if sold:
            parts.append(self.tr("Sold at another window: {0}.").format(", ".join(sold)))
        if held:
            parts.append(self.tr("Taken at another window: {0}.").format(", ".join(held)))
        rest = ", ".join(self.layout_.seats[i].label for i in sorted(self.map.selected))
        if not rest:
            parts.append(self.tr("Select other seats."))
        elif ask:
            parts.append(self.tr("Sell {0} only? Press Enter to confirm.").format(rest))
        else:
            parts.append(self.tr("It left your selection: Enter asks before selling the rest."))
        return " ".join(parts)

    def _forget_drop(self) -> None:
        self.dropped, self._drop_asked = (), False
        self.flash.stop()

    def _claim(self, seats: tuple[int, ...]) -> None:
        """These seats are being sold or held by this window: their leaving the selection is no news."""
        for i in seats:
            self._ours[i] = math.inf

    def _claim_answered(self, seats: tuple[int, ...], ok: bool) -> None:
        """The claim's answer is in: sold/held seats are done with; after a failure a late echo of the claim on the
        live map (a hold then its release) is still this window's own for a moment."""
        until = time.monotonic() + OWN_GRACE_S
        for i in seats:
            if ok:
                self._ours.pop(i, None)
            else:
                self._ours[i] = until
        now = time.monotonic()
        self._ours = {i: t for i, t in self._ours.items() if t > now}

    @Slot(tuple)
    def on_map_selection_changed(self, seats: tuple[int, ...]) -> None:
        if self.held is not None:
            seats = self.held.seats  # a hold is being paid for: the panel shows (and Enter sells) exactly that
        picked = self.picked_seats()  # rows picked in the list stay picked (T works on them)
        self.seats.clear()
        total = Decimal("0.00")
        if self.held is None:
            for i in self.dropped:  # struck out, in red: another window took it
                item = QListWidgetItem(self.tr("{0}   taken at another window").format(self.layout_.seats[i].label))
                font = QFont(item.font())
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QBrush(FLASH))
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.seats.addItem(item)
        self.seat_types.keep_only(seats)
        for i in seats:
            seat = self.layout_.seats[i]
            price = self.seat_types.price_of(i)
            total += price
            info = self.seat_types.info(i)
            cols = (seat.label, self.layout_.zone_by_code[seat.zone].name,
                    info.name if info else self.tr("Adult"), str(price))
            item = QListWidgetItem("   ".join(cols))  # the text read aloud and copied; painted in columns
            item.setData(COLUMNS_ROLE, cols)
            item.setData(Qt.ItemDataRole.UserRole, i)
            if info is not None and info.notice:
                item.setToolTip(info.notice)
            self.seats.addItem(item)
            item.setSelected(i in picked)
        self.override.ask_for([] if self.user.role == "supervisor" else self.seat_types.needing_supervisor(seats))
        self.total.setText(self.tr("Total {0}").format(total))
        self.total_due = total
        self.tender.set_total(total)
        # Off while this window's own sale or hold is in flight (no double sale) — not while any op of the shared
        # runner is: the last sale's tickets being written, or another window's op, used to leave Enter doing
        # nothing for the next customer
        self.sell_button.setEnabled(bool(seats) and not self._claiming and not self.sales_closed)
        self.hold_button.setEnabled(bool(seats) and self.held is None and not self.sales_closed)

    # -- price types ------------------------------------------------------------------------------------------------
    def load_price_list(self) -> None:
        """Read the session's price list (at opening and after each sale: an import reaches the window then)."""
        desk, sid = self.desk, self.session.session_id
        self.runner.run(lambda: desk.price_list(sid), self.on_price_list_loaded, self.on_sale_failed, quiet=True)

    def on_price_list_loaded(self, price_list) -> None:  # noqa: ANN001 - a PriceList
        self.seat_types.set_price_list(price_list)
        self.on_map_selection_changed(tuple(sorted(self.map.selected)))

    def price_rect(self, row: int) -> QRect:
        """Where row ``row``'s price is painted in the selected-seats list (its columns line up)."""
        item = self.seats.item(row)
        index = self.seats.indexFromItem(item)
        delegate = self.seats.itemDelegate()
        assert isinstance(delegate, SeatRowsDelegate)
        return delegate.column_rects(index, self.seats.visualItemRect(item), self.seats.fontMetrics())[-1]

    def sale_seats(self) -> tuple[int, ...]:
        """The seats the panel lists (and Enter sells): the hold in progress, else the map's selection."""
        return self.held.seats if self.held is not None else tuple(sorted(self.map.selected))

    def picked_seats(self) -> set[int]:
        """The seats whose rows are picked in the selection list."""
        return {item.data(Qt.ItemDataRole.UserRole) for item in self.seats.selectedItems()
                if item.data(Qt.ItemDataRole.UserRole) is not None}

    @Slot()
    def cycle_price_type(self) -> None:
        """T: the next price type (adult, child, …) for the seats picked in the selection list — or, when no row is
        picked, for every seat of the sale; the list and the total follow at once."""
        seats = self.sale_seats()
        picked = [i for i in seats if i in self.picked_seats()]
        code = self.seat_types.cycle(picked or seats)
        if code is None:
            return
        self.on_map_selection_changed(tuple(sorted(self.map.selected)))
        info = self.seat_types.info((picked or seats)[0])
        if info is not None:
            self.message.setText(self.tr("{0}: {1}").format(info.name, info.notice) if info.notice else info.name)

    def clean_panel(self) -> None:
        """After a sale and after Esc: no selection, no cash given, no change, no drop pending — and the keyboard
        back on the map, so digits set N again and F-keys pick seats (the cash field kept the focus and took them)."""
        self.held = None
        self._reselect = set()
        self.seat_types.clear()
        self.override.ask_for([])
        self._forget_drop()
        self._clear_map_selection()
        self.tender.clear()
        self.customer_name.clear()
        self.customer_phone.clear()
        self.on_map_selection_changed(())
        self.map.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_map_selection(self) -> None:
        """This window empties the map's selection: nothing left it because of another window."""
        self._map_selection = frozenset()
        self.map.clear_selection()

    @Slot()
    def on_escape_pressed(self) -> None:
        """Esc: the clerk is done with this customer — the selection goes. A hold in progress is never given away
        by a key: it is put aside under My holds (Resume sells it, Release gives it back, or it ends at its time)."""
        if self.held is None:
            self.clean_panel()
            self.message.setText("")
            return
        self.put_hold_aside()  # says so in the message
        self.clean_panel()

    def _give_back(self, hold: Hold) -> None:
        desk, user, sid = self.desk, self.user, self.session.session_id
        labels = ", ".join(self.layout_.seats[i].label for i in hold.seats)
        self.message.setText(self.tr("Hold given back: {0}").format(labels))
        self.holds_panel.drop(hold.token)
        self.runner.run(lambda: desk.release_hold(user, sid, hold.token), self.on_hold_released,
                        self.on_release_failed, quiet=True)

    def on_hold_released(self, _freed: int) -> None:
        """The hold is given back: the live map shows its seats free; the holds panel reads the store again."""
        self.holds_panel.refresh()

    def on_release_failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The hold was not given back: {0}").format(describe(exc)[1]))
        self.holds_panel.refresh()

    # -- the holds panel ------------------------------------------------------------------------------------------
    def put_hold_aside(self) -> None:
        """The hold in progress stays held (listed under My holds, Resume brings it back) and the panel is free for
        the next customer."""
        hold, self.held = self.held, None
        if hold is None:
            return
        self.holds_panel.put(hold)
        self.message.setText(self.tr("Hold of {0} put aside under My holds: Resume sells it.").format(
            ", ".join(self.layout_.seats[i].label for i in hold.seats)))

    @Slot(object)
    def resume_hold(self, hold: Hold) -> None:
        """Resume (holds panel): this hold becomes the sale in progress — the panel lists its seats, Enter sells
        them under its token. A hold in progress before stays held (it is in the list)."""
        if self.sales_closed:
            return
        self._forget_drop()
        self._clear_map_selection()
        self.tender.clear()
        self.held = hold
        self.on_map_selection_changed(hold.seats)
        self.map.center_on(hold.seats[0])
        self.map.setFocus(Qt.FocusReason.OtherFocusReason)
        until = datetime.fromtimestamp(hold.expires_ms / 1000).strftime("%H:%M")
        self.message.setText(self.tr("Held until {0}: {1}. Enter sells them.").format(
            until, ", ".join(self.layout_.seats[i].label for i in hold.seats)))

    @Slot(object)
    def release_hold(self, hold: Hold) -> None:
        """Release (holds panel): give the hold back at once."""
        if self.held is not None and self.held.token == hold.token:
            self.clean_panel()
        self._give_back(hold)

    @Slot(object)
    def extend_hold(self, hold: Hold) -> None:
        desk, user, sid = self.desk, self.user, self.session.session_id
        self.runner.run(lambda: desk.extend_hold(user, sid, hold.token), self.on_hold_extended,
                        self.on_extend_failed, quiet=True)

    def on_hold_extended(self, hold: Hold) -> None:
        self.holds_panel.put(hold)
        if self.held is not None and self.held.token == hold.token:
            self.held = hold
        until = datetime.fromtimestamp(hold.expires_ms / 1000).strftime("%H:%M")
        self.message.setText(self.tr("Hold of {0} extended until {1}.").format(
            ", ".join(self.layout_.seats[i].label for i in hold.seats), until))

    def on_extend_failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The hold was not extended: {0}").format(describe(exc)[1]))
        self.holds_panel.refresh()

    @Slot()
    def on_hold_button_clicked(self) -> None:
        """Keep the selected seats for this customer while they decide or pay; Enter then sells exactly those."""
        seats = tuple(sorted(self.map.selected))
        if not seats or self.held is not None or self._claiming:
            return
        desk, sid, user = self.desk, self.session.session_id, self.user
        self._claim(seats)
        self._claiming = True
        self.runner.run(lambda: desk.hold(user, sid, seats), self.on_hold_done,
                        lambda exc: self.on_claim_failed(seats, exc))

    def on_hold_done(self, hold: Hold) -> None:
        self._claiming = False
        self._claim_answered(hold.seats, ok=False)  # the map may hear of the hold after this answer
        self._forget_drop()
        self.held = hold
        self.holds_panel.put(hold)
        self.map.add_own_holds(hold.seats)  # the clerk's own hold: its own colour on the map
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
        had_hold = self.held is not None
        self.map.select(seats)  # a hold in progress is put aside (and says so)
        self.map.center_on(seats[0])
        if not had_hold:
            self.message.setText("")

    @Slot()
    def on_rebuild_action_triggered(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("Rebuild the seat map"), self.tr("Reason (kept in the audit log)"))
        if not ok:
            return
        if not reason.strip():
            self.message.setText(self.tr("Not rebuilt: a rebuild needs a reason."))
            return
        self.confirm_rebuild(reason.strip())

    def confirm_rebuild(self, reason: str) -> QMessageBox:
        """Ask before a rebuild, as the supervisor screen does: every live hold of the session ends. No is the
        default (a stray Enter rebuilds nothing); the question is window-modal and answered without waiting."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Rebuild the seat map"))
        box.setText(self.tr("Replace the seat map of {0} in Redis with the database's? Live holds end; clerks' "
                            "windows reload the map.").format(self.session.name))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setAutoDefault(False)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _result: self.on_rebuild_answered(box, reason))
        self.rebuild_prompt = box
        box.open()
        return box

    def on_rebuild_answered(self, box: QMessageBox, reason: str) -> None:
        self.rebuild_prompt = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.rebuild(reason)
        else:
            self.message.setText(self.tr("Not rebuilt."))

    def rebuild(self, reason: str) -> None:
        desk, user, sid = self.desk, self.user, self.session.session_id
        self.runner.run(lambda: desk.rebuild(user, sid, reason), self.on_rebuilt, self.on_sale_failed)

    def on_rebuilt(self, _epoch: str) -> None:
        self.message.setText(self.tr("Seat map rebuilt from the database."))

    def look_up_order(self) -> OrderDialog:
        dialog = OrderDialog(self.desk, self.runner, self.session, self.user, self.tickets_dir, self, self.layout_)
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
        if self.dropped and self.held is None and not self._drop_asked:
            # another window took a seat of this selection: the first Enter asks, the next one sells the rest
            self._drop_asked = True
            self.flash.flash(self.dropped)
            self.message.setText(self._dropped_text(ask=True))
            return
        try:
            tenders = self.tender.tenders()
        except TenderError as exc:
            self.message.setText(str(exc))
            return
        token = None
        if self.held is not None:  # finish the held sale: exactly its seats, under its token
            seats, token = self.held.seats, self.held.token
        types = self.seat_types.types_for(seats)
        supervisor, password = self.override.override()
        if supervisor is not None and not self.override.filled():
            self.message.setText(self.tr("A supervisor must type their name and password."))
            self.override.supervisor.setFocus()
            return
        desk, user, sid = self.desk, self.user, self.session.session_id
        self._forget_drop()  # the clerk confirmed what is left
        self.sell_button.setEnabled(False)
        self.message.setText(self.tr("Selling…"))
        self._claim(seats)
        self._claiming = True
        name, phone = self.customer_name.text(), self.customer_phone.text()
        self.runner.run(lambda: desk.sell(user, sid, seats, token=token, tenders=tenders,
                                          customer_name=name, customer_phone=phone, price_types=types,
                                          supervisor=supervisor, supervisor_password=password),
                        self.on_sale_done,
                        lambda exc: self.on_claim_failed(seats, exc))

    def on_claim_failed(self, seats: tuple[int, ...], exc: BaseException) -> None:
        self._claiming = False
        self._claim_answered(seats, ok=False)
        if isinstance(exc, TillNotOpen) and self.held is None:
            # nothing was sold: the seats stay the clerk's selection (those the claim took off it come back as the
            # map hears they are free again)
            self._reselect, self._reselect_until = set(seats), time.monotonic() + RESELECT_S
            self._select_again()
        self.on_sale_failed(exc)

    @Slot(dict)
    def on_till_opened(self, _status: dict) -> None:
        """A till is open now: the warning of a sale refused without one goes; the kept selection sells."""
        if self.no_till.isVisible():
            self.no_till.hide()
            self.message.setText(self.tr("Till open: Enter sells the selected seats."))

    def on_sale_done(self, receipt: Receipt) -> None:
        self.no_till.hide()
        self._claiming = False
        self._claim_answered(tuple(line.seat_index for line in receipt.lines), ok=True)
        if self.held is not None:
            self.holds_panel.drop(self.held.token)
        self.clean_panel()
        self.holds_panel.refresh()
        self.load_price_list()
        text = self.tr("Order {0}: {1} — {2}").format(receipt.order_id, ", ".join(receipt.seats), receipt.total)
        if len(receipt.tenders) == 1 and receipt.tenders[0].tendered is None:  # one method, no change: name it
            text = self.tr("{0} {1}").format(text, word(receipt.tenders[0].method))  # "— 95.00 card"
        if len(receipt.tenders) > 1:  # split: what went where
            text = self.tr("{0} — {1}").format(text, " + ".join(
                f"{self.tender.method_name(t.method)} {t.amount}" for t in receipt.tenders))
        cash = next((t for t in receipt.tenders if t.tendered is not None), None)
        if cash is not None:  # the change stays on screen while the clerk counts it out
            text = self.tr("{0} — cash {1}, change {2}").format(text, cash.tendered, cash.change)
        self.message.setText(text)
        desk, session = self.desk, self.session
        path, spec = self.tickets_dir / f"order-{receipt.order_id}.pdf", workstation_printer(desk)
        self.runner.run(lambda: print_order(receipt, session, desk.ticket_sheet(receipt), spec, desk=desk,
                                            pdf_path=path), self.on_tickets_written, self.on_sale_failed)

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
        self.override.password.clear()  # a refused override is typed again
        if isinstance(exc, TillNotOpen):
            # the window's wording (the error's own text names the CLI command); the seats stay selected
            text = self.tr("Not sold: no till is open for you. Till → Open till… first; your seats are still "
                           "selected.")
            self.no_till.setText(text)
            self.no_till.show()
            self.message.clear()
            self.till.refused(text)
            self.sell_button.setEnabled((bool(self.map.selected) or self.held is not None) and not self.sales_closed)
            return
        if isinstance(exc, SalesClosed):
            self.on_sales_closed()
        if isinstance(exc, TokenInvalid) and self.held is not None:
            # the hold is over without a sale (the seat map was rebuilt, it expired or was released): its token
            # can never sell, so the panel lets go of it and the clerk selects again
            self.holds_panel.drop(self.held.token)
            self.clean_panel()
            self.holds_panel.refresh()
            self.message.setText(describe(exc)[1])
            return
        if isinstance(exc, SeatsUnavailable) and getattr(exc, "indices", ()) and self.held is None:
            taken = set(getattr(exc, "indices", ()))  # the desk names the taken seats by index too
            kept = self.map.selected - taken
            self._map_selection = frozenset(kept)  # announced here, not by the selection signal
            self.map.select(kept)  # keep the rest of the selection
            self.dropped = tuple(sorted(taken))
            self._drop_asked = True  # this message asks already: the next Enter sells the rest
            self.flash.flash(self.dropped)
            self.on_map_selection_changed(tuple(sorted(kept)))
            self.message.setText(self._dropped_text(ask=True))
        else:
            self.message.setText(describe(exc)[1])
        self.sell_button.setEnabled((bool(self.map.selected) or self.held is not None) and not self.sales_closed)

    def live_holds(self) -> list[Hold]:
        """The clerk's holds in this session not yet past their expiry, as this window last heard of them (the
        holds panel's list, and the hold in progress)."""
        holds = {h.token: h for h in self.holds_panel.live()}
        if self.held is not None and self.held.expires_ms > time.time() * 1000:
            holds.setdefault(self.held.token, self.held)
        return sorted(holds.values(), key=lambda h: h.expires_ms)

    def ask_about_holds(self, holds: list[Hold]) -> QMessageBox:
        """Closing with live holds: keep them (the default), give them back, or stay.

        Keep is the default because it is the one that can be undone: a customer who stepped away to fetch cash
        still has their seats, the session opened again lists the holds under "My holds" to resume, and a hold
        nobody comes back for ends by itself at its time. Giving the seats back cannot be undone once another
        window sells them, so it is never what a stray Enter does; Esc stays in the window."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Live holds"))
        lines = [self.tr("{0} — until {1}").format(
            ", ".join(self.layout_.seats[i].label for i in h.seats),
            datetime.fromtimestamp(h.expires_ms / 1000).strftime("%H:%M")) for h in holds]
        box.setText(self.tr("You hold seats in this session:\n{0}\n\nKeep them for your customers? Open the "
                            "session again to resume them; a hold ends by itself at its time.").format("\n".join(lines)))
        box.keep_button = box.addButton(self.tr("Keep holds and close"), QMessageBox.ButtonRole.AcceptRole)
        box.release_button = box.addButton(self.tr("Release and close"), QMessageBox.ButtonRole.DestructiveRole)
        box.stay_button = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(box.keep_button)
        box.setEscapeButton(box.stay_button)
        box.release_button.setAutoDefault(False)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _result: self.on_close_answered(box, holds))
        return box

    def on_close_answered(self, box: QMessageBox, holds: list[Hold]) -> None:
        self.close_prompt = None
        clicked = box.clickedButton()
        if clicked is box.release_button:
            desk, user, sid = self.desk, self.user, self.session.session_id
            for h in holds:  # the window closes now; the releases finish on the runner's pool
                self.runner.run(lambda t=h.token: desk.release_hold(user, sid, t), lambda _freed: None,
                                lambda _exc: None, quiet=True)
        elif clicked is not box.keep_button:
            self.close_answered.emit(False)
            return  # Cancel or Esc: stay
        self._closing_decided = True
        self.close()
        self.close_answered.emit(True)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """With live holds of the clerk's, asks first (without waiting: the question is window-modal and the window
        closes when it is answered). Never waits: the feed is asked to stop after its current read and ends on its
        own; answers of ops still running are not delivered once the window is deleted (the runner checks)."""
        holds = self.live_holds() if self.ask_before_closing and not self._closing_decided else []
        if holds:
            event.ignore()
            if self.close_prompt is None:
                self.close_prompt = self.ask_about_holds(holds)
                self.close_prompt.open()
            return
        self._closing_decided = False  # a window shown again asks again
        self.holds_panel.tick.stop()
        self.holds_panel.poll.stop()
        self.degraded_timer.stop()
        self.feed.stop()
        super().closeEvent(event)
