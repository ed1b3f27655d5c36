"""One session at the window: the live seat map, the selected seats with prices and total, and the sale."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.bootstrap import App
from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import SeatsUnavailable
from boxoffice.services.accounts import UserInfo
from boxoffice.services.booking import SaleRequest

from .messages import describe
from .seat_map import LiveFeed, SeatMap, connect_feed
from .tasks import TaskRunner


class SaleWindow(QMainWindow):
    def __init__(self, app: App, runner: TaskRunner, session: SessionInfo, layout: Layout, user: UserInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.runner, self.session, self.user = app, runner, session, user
        self.setWindowTitle(self.tr("{0} — {1} {2:%a %d %b %H:%M}").format(
            session.name, session.venue, session.starts_at.astimezone()))
        self.resize(1280, 800)
        self.layout_ = layout
        self.map = SeatMap()
        self.map.set_layout(self.layout_)
        self.map.selection_changed.connect(self.on_map_selection_changed)
        self.seats = QListWidget()
        self.seats.setObjectName("selectedSeats")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.payment = QComboBox()
        self.payment.addItem(self.tr("Cash"), "cash")
        self.payment.addItem(self.tr("Card"), "card")
        self.sell_button = QPushButton(self.tr("Sell  (Enter)"))
        self.sell_button.setObjectName("sell")
        self.sell_button.clicked.connect(self.on_sell_button_clicked)
        self.message = QLabel()
        self.message.setObjectName("saleMessage")
        self.message.setWordWrap(True)
        legend = QLabel(" · ".join(f"<span style='color:{z.color}'>■</span> {z.name} {z.price}"
                                   for z in self.layout_.zones))
        legend.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Selected seats")))
        side.addWidget(self.seats, 1)
        side.addWidget(self.total)
        side.addWidget(self.payment)
        side.addWidget(self.sell_button)
        side.addWidget(self.message)
        side.addWidget(legend)
        panel = QWidget()
        panel.setObjectName("sellPanel")
        panel.setLayout(side)
        panel.setFixedWidth(300)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.map, 1)
        row.addWidget(panel)
        self.setCentralWidget(central)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self.on_sell_button_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.map.clear_selection)
        self.feed = LiveFeed(app.store, session.session_id, self)
        connect_feed(self.feed, self.map)
        self.feed.start()
        self.on_map_selection_changed(())

    @Slot(tuple)
    def on_map_selection_changed(self, seats: tuple[int, ...]) -> None:
        self.seats.clear()
        total = Decimal("0.00")
        for i in seats:
            seat = self.layout_.seats[i]
            price = self.layout_.price_of(i)
            total += price
            self.seats.addItem(f"{seat.label}   {self.layout_.zone_by_code[seat.zone].name}   {price}")
        self.total.setText(self.tr("Total {0}").format(total))
        self.sell_button.setEnabled(bool(seats) and not self.runner.busy)

    @Slot()
    def on_sell_button_clicked(self) -> None:
        seats = tuple(self.layout_.seats[i].label for i in sorted(self.map.selected))
        if not seats or not self.sell_button.isEnabled():
            return
        request = SaleRequest(self.session.session_id, self.user.username, seats=seats,
                              payment=self.payment.currentData())
        self.sell_button.setEnabled(False)
        self.message.setText(self.tr("Selling…"))
        self.runner.run(lambda: self.app.booking.sell(request), self.on_sale_done, self.on_sale_failed)

    def on_sale_done(self, receipt: Receipt) -> None:
        self.map.clear_selection()
        self.message.setText(self.tr("Order {0}: {1} — {2}").format(
            receipt.order_id, ", ".join(receipt.seats), receipt.total))

    def on_sale_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SeatsUnavailable) and exc.seats:
            taken = {self.layout_.by_label[s].index for s in exc.seats if s in self.layout_.by_label}
            self.map.select(self.map.selected - taken)  # keep the rest of the selection
            self.message.setText(self.tr("Just taken: {0}. The rest is still selected — press Enter to sell it.")
                                 .format(", ".join(exc.seats)))
        else:
            self.message.setText(describe(exc)[1])
        self.sell_button.setEnabled(bool(self.map.selected))

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        self.feed.stop()
        super().closeEvent(event)
