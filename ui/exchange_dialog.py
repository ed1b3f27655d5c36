"""Exchange seats of an order by picking the new ones on the live map of its session.

The order's seats are listed ticked (all of them move; untick the ones the customer keeps); the clerk picks as many
new free seats on the map (click, shift-click a run, drag a rectangle, as in the sale window). The dialog shows the
price difference — to pay, or to refund — and, when the exchange refunds money on an order the clerk may not refund
alone (another clerk's, or one of an earlier day), asks for a supervisor's name and password, as a cancel does.
"Keep the seats" is the default button, never "Exchange". The exchange runs on the task runner; its answer comes back
by signal (``exchanged(before, after)``) and the dialog closes.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain import tenders
from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import SeatsUnavailable
from boxoffice.services.accounts import UserInfo
from boxoffice.services.aftersale import may_cancel_alone
from boxoffice.services.frontdesk import FrontDesk

from .i18n import word
from .live_feed import LiveFeed
from .messages import describe
from .refunds import refund_plan_text
from .seat_map import SeatMap, connect_feed
from .tasks import TaskRunner


class ExchangeDialog(QDialog):
    """See the module docstring. ``exchanged`` carries the order before and after the exchange."""

    exchanged = Signal(object, object)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, session: SessionInfo, layout: Layout, order: Receipt,
                 user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeDialog")
        self.setWindowTitle(self.tr("Exchange seats of order {0}").format(order.order_id))
        self.resize(1100, 720)
        self.desk, self.runner, self.session, self.layout_, self.order, self.user = (
            desk, runner, session, layout, order, user)
        self.may_refund_alone = may_cancel_alone(user, order.clerk, order.created_at)
        self.busy = False
        #: what the order still has paid per method (read off the GUI thread): how a refund goes back
        self.paid: list[tuple[str, Decimal]] | None = None
        self.map = SeatMap(runner=runner)
        self.map.set_layout(layout)
        self.map.selection_changed.connect(self.on_map_selection_changed)
        self.feed = LiveFeed(desk, session.session_id)
        connect_feed(self.feed, self.map)
        self.feed.start()
        #: the session's price list: a new seat costs its zone's price for the type of the seat it replaces
        self.price_list = None
        sid = session.session_id
        runner.run(lambda: desk.price_list(sid), self.on_price_list_loaded, lambda _exc: None, quiet=True)

        intro = QLabel(self.tr("Order {0} — {1}, sold by {2}. Tick the seats that move, then pick as many new "
                               "seats on the map.").format(order.order_id, order.total, order.clerk))
        intro.setWordWrap(True)
        self.moving = QListWidget()
        self.moving.setObjectName("moveSeats")
        for line in order.lines:
            zone = layout.zone_by_code.get(line.zone)
            item = QListWidgetItem(f"{line.label}   {zone.name if zone else line.zone}   {line.price}")
            item.setData(Qt.ItemDataRole.UserRole, line.seat_index)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.moving.addItem(item)
        self.moving.itemChanged.connect(self.on_moving_item_changed)
        self.picked = QListWidget()
        self.picked.setObjectName("newSeats")
        self.count = QLabel()
        self.count.setObjectName("exchangeCount")
        self.count.setWordWrap(True)
        self.difference = QLabel()
        self.difference.setObjectName("exchangeDifference")
        self.difference.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("exchangeReason")
        self.reason.setPlaceholderText(self.tr("Reason (kept in the audit log)"))
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.override_group = QGroupBox(self.tr("Supervisor override"))
        self.override_group.setObjectName("supervisorOverride")
        form = QFormLayout(self.override_group)
        notice = QLabel(self.tr(
            "This exchange refunds money on an order sold by {0} on {1}. A clerk refunds alone only their own "
            "orders of today: a supervisor must approve with their name and password.").format(
                order.clerk, f"{order.created_at.astimezone():%Y-%m-%d}"))
        notice.setObjectName("overrideNotice")
        notice.setWordWrap(True)
        form.addRow(notice)
        form.addRow(self.tr("Supervisor"), self.supervisor)
        form.addRow(self.tr("Password"), self.password)
        self.override_group.hide()
        self.error = QLabel()
        self.error.setObjectName("exchangeError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(self.tr("Keep the seats"), QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepSeats")
        self.confirm_button = self.buttons.addButton(self.tr("Exchange"), QDialogButtonBox.ButtonRole.YesRole)
        self.confirm_button.setObjectName("confirmExchange")
        # YesRole, not AcceptRole: a button box makes its first AcceptRole button the default when it is shown
        for button in (self.keep_button, self.confirm_button):
            # no default button (QDialog would make the first auto-default one the default): Enter in the reason
            # or the supervisor's fields closes nothing, and nothing typed or picked is lost
            button.setAutoDefault(False)
            button.setDefault(False)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.on_confirm_button_clicked)

        side = QVBoxLayout()
        side.addWidget(intro)
        side.addWidget(QLabel(self.tr("Seats that move")))
        side.addWidget(self.moving)
        side.addWidget(QLabel(self.tr("New seats (picked on the map)")))
        side.addWidget(self.picked)
        side.addWidget(self.count)
        side.addWidget(self.difference)
        side.addWidget(self.reason)
        side.addWidget(self.override_group)
        side.addWidget(self.error)
        side.addStretch(1)
        side.addWidget(self.buttons)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(340)
        row = QHBoxLayout(self)
        row.addWidget(self.map, 1)
        row.addWidget(panel)
        self._centred = False
        self.update_state()

    def set_paid(self, paid: list[tuple[str, Decimal]]) -> None:
        self.paid = list(paid)
        self.update_state()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """Once laid out, the map shows the order's seats (a stadium fitted whole is too small to pick a seat in)."""
        super().showEvent(event)
        if not self._centred and self.order.lines:
            self._centred = True
            QTimer.singleShot(0, lambda: self.map.center_on(self.order.lines[0].seat_index))

    # -- what moves where -------------------------------------------------------------------------------------------
    def old_seats(self) -> list[int]:
        items = (self.moving.item(k) for k in range(self.moving.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def new_seats(self) -> list[int]:
        return sorted(self.map.selected)

    def on_price_list_loaded(self, price_list) -> None:  # noqa: ANN001 - a PriceList
        self.price_list = price_list
        self.update_state()

    def new_prices(self) -> list[Decimal]:
        """The new seats' prices, as the exchange will charge them: each (in seat order) at its zone's price for the
        price type of the moving seat it replaces (in seat order); the zone's price until the list is known."""
        old = set(self.old_seats())
        types = [ln.price_type for ln in sorted(self.order.lines, key=lambda ln: ln.seat_index)
                 if ln.seat_index in old]
        out = []
        for k, i in enumerate(self.new_seats()):
            zone = self.layout_.seats[i].zone
            found = None
            if self.price_list is not None and k < len(types):
                found = self.price_list.prices.get((zone, types[k]))
            out.append(found if found is not None else self.layout_.price_of(i))
        return out

    def price_difference(self) -> Decimal:
        """New seats' prices minus the moving seats' prices (negative: a refund)."""
        old = set(self.old_seats())
        before = sum((ln.price for ln in self.order.lines if ln.seat_index in old), Decimal("0.00"))
        return sum(self.new_prices(), Decimal("0.00")) - before

    def needs_supervisor(self) -> bool:
        return not self.may_refund_alone and self.price_difference() < 0

    @Slot(tuple)
    def on_map_selection_changed(self, _seats: tuple[int, ...]) -> None:
        self.update_state()

    @Slot(QListWidgetItem)
    def on_moving_item_changed(self, _item: QListWidgetItem) -> None:
        self.update_state()

    def update_state(self) -> None:
        old, new = self.old_seats(), self.new_seats()
        self.picked.clear()
        for i, price in zip(new, self.new_prices(), strict=True):
            seat = self.layout_.seats[i]
            self.picked.addItem(f"{seat.label}   {self.layout_.zone_by_code[seat.zone].name}   {price}")
        self.count.setText(self.tr("{0} of {1} new seats picked.").format(len(new), len(old)))
        ready = bool(old) and len(new) == len(old)
        diff = self.price_difference()
        if not ready:
            self.difference.setText("")
        elif diff > 0:
            self.difference.setText(self.tr("The customer pays {0} more ({1}).").format(diff, word(self.order.payment)))
        elif diff < 0:
            how = (refund_plan_text(tenders.refund_split(self.paid, -diff)) if self.paid is not None
                   else word(self.order.payment))
            self.difference.setText(self.tr("Refund to the customer: {0}: {1}.").format(-diff, how))
        else:
            self.difference.setText(self.tr("Same price: nothing to pay or refund."))
        self.override_group.setVisible(ready and self.needs_supervisor())
        self.confirm_button.setEnabled(ready and not self.busy)

    # -- the exchange -----------------------------------------------------------------------------------------------
    @Slot()
    def on_confirm_button_clicked(self) -> None:
        old, new = self.old_seats(), self.new_seats()
        if not old or len(new) != len(old):
            self.show_error(self.tr("Pick exactly {0} new seats on the map.").format(len(old)))
            return
        if not self.reason.text().strip():
            self.show_error(self.tr("Give a reason: it is kept in the audit log."))
            self.reason.setFocus()
            return
        supervisor = password = None
        if self.needs_supervisor():
            if not (self.supervisor.text().strip() and self.password.text()):
                self.show_error(self.tr("A supervisor must type their name and password."))
                self.supervisor.setFocus()
                return
            supervisor, password = self.supervisor.text().strip(), self.password.text()
        self.password.clear()  # the password lives only in the call that checks it
        desk, user, order, reason = self.desk, self.user, self.order, self.reason.text()
        replacing = None if len(old) == len(order.lines) else old
        self.busy = True
        self.update_state()
        self.error.setText(self.tr("Exchanging…"))
        self.error.show()
        self.runner.run(
            lambda: desk.exchange(user, order.order_id, new, reason, replacing=replacing, supervisor=supervisor,
                                  supervisor_password=password),
            self.on_exchange_done, self.on_exchange_failed)

    def on_exchange_done(self, after: Receipt) -> None:
        self.busy = False
        self.exchanged.emit(self.order, after)
        self.accept()

    def on_exchange_failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, SeatsUnavailable) and exc.seats:
            taken = set(getattr(exc, "indices", ()))
            self.map.select(self.map.selected - taken)
            self.show_error(self.tr("Just taken: {0}. Pick other seats.").format(", ".join(exc.seats)))
        else:
            self.show_error(self.tr("Not exchanged: {0}").format(describe(exc)[1]))
        self.update_state()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def done(self, result: int) -> None:
        """Closing (any way) stops the map's feed; it never waits for it."""
        self.feed.stop()
        super().done(result)
