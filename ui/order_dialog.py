"""Order lookup: by number, token or seat; shows the order and offers cancel / refund and reprint.

Cancelling asks in :class:`CancelOrderDialog`: it names the order, its seats and the refund, defaults to keeping the
order, and — when the clerk may not cancel alone (another clerk's order, or one of an earlier day) — asks for a
supervisor's name and password ("supervisor override"), which the service checks like a sign-in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.services.accounts import UserInfo
from boxoffice.services.aftersale import may_cancel_alone
from boxoffice.services.frontdesk import FrontDesk

from .i18n import word
from .messages import describe
from .tasks import TaskRunner
from .tickets_pdf import paint_tickets, write_tickets


class CancelOrderDialog(QDialog):
    """Confirm a cancellation: what it does (order, seats, refund), a reason, and the supervisor's name and password
    when the clerk may not cancel this order alone. "Keep the order" is the default button, never the destructive one:
    Enter in any field keeps the order."""

    def __init__(self, order: Receipt, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelOrderDialog")
        self.setWindowTitle(self.tr("Cancel order {0}").format(order.order_id))
        self.setMinimumWidth(420)
        self.order = order
        self.needs_supervisor = not may_cancel_alone(user, order.clerk, order.created_at)
        summary = QLabel(self.tr("Cancel order {0} and refund {1} ({2})?\nSeats: {3}").format(
            order.order_id, order.total, word(order.payment), ", ".join(order.seats)))
        summary.setObjectName("cancelSummary")
        summary.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("Reason (kept in the audit log)"))
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.reason)
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if self.needs_supervisor:
            notice = QLabel(self.tr(
                "This order was sold by {0} on {1}. A clerk cancels alone only their own orders of today: a "
                "supervisor must approve with their name and password.").format(
                    order.clerk, f"{order.created_at.astimezone():%Y-%m-%d}"))
            notice.setObjectName("overrideNotice")
            notice.setWordWrap(True)
            group = QGroupBox(self.tr("Supervisor override"))
            group.setObjectName("supervisorOverride")
            form = QFormLayout(group)
            form.addRow(self.tr("Supervisor"), self.supervisor)
            form.addRow(self.tr("Password"), self.password)
            layout.addWidget(notice)
            layout.addWidget(group)
        self.error = QLabel()
        self.error.setObjectName("cancelError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(self.tr("Keep the order"), QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepOrder")
        self.confirm_button = self.buttons.addButton(self.tr("Cancel order and refund"),
                                                     QDialogButtonBox.ButtonRole.DestructiveRole)
        self.confirm_button.setObjectName("confirmCancel")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setDefault(False)
        self.keep_button.setAutoDefault(True)
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.on_confirm_button_clicked)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    @Slot()
    def on_confirm_button_clicked(self) -> None:
        if not self.reason.text().strip():
            self.show_error(self.tr("Give a reason: it is kept in the audit log."))
            self.reason.setFocus()
            return
        if self.needs_supervisor and not (self.supervisor.text().strip() and self.password.text()):
            self.show_error(self.tr("A supervisor must type their name and password."))
            self.supervisor.setFocus()
            return
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def override(self) -> tuple[str | None, str | None]:
        """(supervisor name, password) when an override is asked for, else (None, None)."""
        if not self.needs_supervisor:
            return None, None
        return self.supervisor.text().strip(), self.password.text()


class OrderDialog(QDialog):
    def __init__(self, desk: FrontDesk, runner: TaskRunner, session: SessionInfo, user: UserInfo, tickets_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderLookup")
        self.setWindowTitle(self.tr("Look up an order"))
        self.setMinimumWidth(460)
        self.desk, self.runner, self.session, self.user = desk, runner, session, user
        self.tickets_dir = tickets_dir
        self.order: Receipt | None = None
        self.cancel_dialog: CancelOrderDialog | None = None
        self.query = QLineEdit()
        self.query.setObjectName("orderQuery")
        self.query.setPlaceholderText(self.tr("order number, token or seat label"))
        self.query.returnPressed.connect(self.on_query_return_pressed)
        self.query.textEdited.connect(self.on_query_text_edited)
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
        for button in (self.cancel_button, self.reprint_button, self.print_button):
            # Enter in the search field only searches: no button of this dialog is pressed by Enter (a default
            # button used to be, and Enter after a second look-up cancelled the order shown before it)
            button.setAutoDefault(False)
            button.setDefault(False)
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
            order.order_id, word(order.status), f"{order.created_at.astimezone():%Y-%m-%d %H:%M}", seats, order.total,
            word(order.payment), order.clerk))

    @Slot(str)
    def on_query_text_edited(self, _text: str) -> None:
        """Typing another number lets go of the order shown: no button acts on it while the text says otherwise."""
        if self.order is not None:
            self.show_order(None)
            self.details.setText("")

    @Slot()
    def on_query_return_pressed(self) -> None:
        query, desk, sid = self.query.text(), self.desk, self.session.session_id
        self.show_order(None)  # nothing of the previous order can be acted on while the next one is looked up
        self.details.setText(self.tr("Looking up {0}…").format(query.strip()))
        self.runner.run(lambda: desk.find_order(query, sid), self.show_order, self.on_lookup_failed)

    def on_lookup_failed(self, exc: BaseException) -> None:
        self.show_order(None)
        self.details.setText(describe(exc)[1])

    @Slot()
    def on_cancel_button_clicked(self) -> CancelOrderDialog | None:
        if self.order is None:
            return None
        dialog = CancelOrderDialog(self.order, self.user, self)
        self.cancel_dialog = dialog
        dialog.accepted.connect(self.on_cancel_dialog_accepted)
        dialog.finished.connect(lambda _result: self.query.setFocus())  # the clerk types the next look-up
        dialog.open()
        return dialog

    @Slot()
    def on_cancel_dialog_accepted(self) -> None:
        dialog = self.cancel_dialog
        assert dialog is not None
        supervisor, password = dialog.override()
        dialog.password.clear()  # the password lives only in the call that checks it
        self.cancel(dialog.reason.text(), supervisor, password)

    def cancel(self, reason: str, supervisor: str | None = None, password: str | None = None) -> None:
        assert self.order is not None
        order_id, desk, user = self.order.order_id, self.desk, self.user
        self.runner.run(
            lambda: desk.cancel(user, order_id, reason, supervisor=supervisor, supervisor_password=password),
            self.show_order, self.on_cancel_failed)

    def on_cancel_failed(self, exc: BaseException) -> None:
        self.details.setText(self.details.text() + "\n" + self.tr("Not cancelled: {0}").format(describe(exc)[1]))

    @Slot()
    def on_reprint_button_clicked(self) -> None:
        if self.order is None:
            return
        order, desk, session = self.order, self.desk, self.session
        path = self.tickets_dir / f"order-{order.order_id}-reprint.pdf"
        self.runner.run(lambda: write_tickets(path, order, session, desk.ticket_sheet(order)), self.on_reprinted,
                        self.on_failed)

    def on_reprinted(self, path: Path) -> None:
        self.details.setText(self.details.text() + "\n" + self.tr("Tickets: {0}").format(path))

    @Slot()
    def on_print_button_clicked(self) -> None:
        """Tickets and receipt to a printer chosen in the system dialog (codes are fetched off the GUI thread)."""
        if self.order is None:
            return
        order, desk = self.order, self.desk
        self.runner.run(lambda: desk.ticket_sheet(order), lambda codes: self.print_tickets(order, codes),
                        self.on_failed, owner=self)

    def print_tickets(self, order: Receipt, codes: list[tuple[str, str]], printer: QPrinter | None = None) -> bool:
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        if printer.outputFileName() == "" and QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return False
        paint_tickets(printer, order, self.session, codes)
        return True

    def on_failed(self, exc: BaseException) -> None:
        self.details.setText(describe(exc)[1])
