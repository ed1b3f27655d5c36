"""Order lookup: by number, token or seat; shows the order and offers cancel / refund and reprint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.bootstrap import App
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.services.accounts import UserInfo

from .messages import describe
from .tasks import TaskRunner
from .tickets_pdf import paint_tickets, write_tickets


class OrderDialog(QDialog):
    def __init__(self, app: App, runner: TaskRunner, session: SessionInfo, labels: dict[str, int], user: UserInfo,
                 tickets_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderLookup")
        self.setWindowTitle(self.tr("Look up an order"))
        self.setMinimumWidth(460)
        self.app, self.runner, self.session, self.labels, self.user = app, runner, session, labels, user
        self.tickets_dir = tickets_dir
        self.order: Receipt | None = None
        self.query = QLineEdit()
        self.query.setObjectName("orderQuery")
        self.query.setPlaceholderText(self.tr("order number, token or seat label"))
        self.query.returnPressed.connect(self.on_query_return_pressed)
        self.details = QLabel()
        self.details.setObjectName("orderDetails")
        self.details.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel and refund…"))
        self.cancel_button.setObjectName("cancelOrder")
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.reprint_button = QPushButton(self.tr("Reprint tickets"))
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.clicked.connect(self.on_reprint_button_clicked)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self.on_print_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.show_order(None)

    def show_order(self, order: Receipt | None) -> None:
        self.order = order
        paid = order is not None and order.status == "paid"
        self.cancel_button.setEnabled(paid)
        self.reprint_button.setEnabled(paid)
        self.print_button.setEnabled(paid)
        if order is None:
            return
        seats = ", ".join(order.seats)
        self.details.setText(self.tr("Order {0} ({1}) — {2}\nseats {3}\ntotal {4} ({5}), sold by {6}").format(
            order.order_id, order.status, f"{order.created_at.astimezone():%Y-%m-%d %H:%M}", seats, order.total,
            order.payment, order.clerk))

    @Slot()
    def on_query_return_pressed(self) -> None:
        query, app, sid, labels = self.query.text(), self.app, self.session.session_id, self.labels
        self.runner.run(lambda: app.orders.find(query, sid, labels), self.show_order, self.on_failed)

    @Slot()
    def on_cancel_button_clicked(self) -> None:
        if self.order is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel order {0}").format(self.order.order_id),
                                          self.tr("Reason (kept in the audit log)"))
        if ok:
            self.cancel(reason)

    def cancel(self, reason: str) -> None:
        assert self.order is not None
        order_id, app, user = self.order.order_id, self.app, self.user.username
        self.runner.run(lambda: app.aftersale.cancel(order_id, user, reason), self.show_order, self.on_failed)

    @Slot()
    def on_reprint_button_clicked(self) -> None:
        if self.order is None:
            return
        order, app, session = self.order, self.app, self.session
        path = self.tickets_dir / f"order-{order.order_id}-reprint.pdf"
        self.runner.run(lambda: write_tickets(path, order, session, app.tickets.codes(order)),
                        lambda p: self.details.setText(self.details.text() + "\n" + self.tr("Tickets: {0}").format(p)),
                        self.on_failed)

    @Slot()
    def on_print_button_clicked(self) -> None:
        """Tickets and receipt to a printer chosen in the system dialog (codes are fetched off the GUI thread)."""
        if self.order is None:
            return
        order, app = self.order, self.app
        self.runner.run(lambda: app.tickets.codes(order), lambda codes: self.print_tickets(order, codes),
                        self.on_failed)

    def print_tickets(self, order: Receipt, codes: list[tuple[str, str]], printer: QPrinter | None = None) -> bool:
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        if printer.outputFileName() == "" and QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return False
        paint_tickets(printer, order, self.session, codes)
        return True

    def on_failed(self, exc: BaseException) -> None:
        self.details.setText(describe(exc)[1])
