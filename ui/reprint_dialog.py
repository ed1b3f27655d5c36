"""A second reprint of an order's tickets needs a supervisor: :class:`ReprintOverrideDialog` asks for their name and
password, as the cancel dialog's "Supervisor override" box does (ui/order_dialog.py), and stays open until the
service has answered (a wrong password keeps the name; only the password is typed again)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.values import Receipt
from boxoffice.services.accounts import UserInfo

#: from this print number on, a reprint needs a supervisor (boxoffice/services/tickets.py SUPERVISED_REPRINT)
SUPERVISED_REPRINT = 2


def next_reprint(order: Receipt) -> int:
    """The print number a reprint of the whole order gives its tickets."""
    return max((ln.reprint for ln in order.lines), default=0) + 1


def needs_supervisor(order: Receipt, user: UserInfo) -> bool:
    """Whether reprinting ``order`` needs a supervisor's approval (the service decides; this only asks first)."""
    return user.role != "supervisor" and next_reprint(order) >= SUPERVISED_REPRINT


class ReprintOverrideDialog(QDialog):
    """Reprint N of an order: a supervisor approves with their name and password. "Reprint" emits
    :attr:`submitted`; the caller reports the outcome (:meth:`succeeded` / :meth:`failed`)."""

    submitted = Signal()

    def __init__(self, order: Receipt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reprintOverride")
        self.setWindowTitle(self.tr("Reprint order {0}").format(order.order_id))
        self.setMinimumWidth(420)
        number = next_reprint(order)
        notice = QLabel(self.tr(
            "The tickets of order {0} were reprinted already. Reprint {1} makes every earlier print invalid at the "
            "gate: a supervisor must approve with their name and password.").format(order.order_id, number))
        notice.setObjectName("overrideNotice")
        notice.setWordWrap(True)
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        group = QGroupBox(self.tr("Supervisor override"))
        group.setObjectName("supervisorOverride")
        form = QFormLayout(group)
        form.addRow(self.tr("Supervisor"), self.supervisor)
        form.addRow(self.tr("Password"), self.password)
        self.error = QLabel()
        self.error.setObjectName("reprintError")
        self.error.setWordWrap(True)
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing() + 4)
        self.error.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(self.tr("Do not reprint"), QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepTickets")
        self.confirm_button = self.buttons.addButton(self.tr("Reprint"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("confirmReprint")
        for button in (self.keep_button, self.confirm_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.on_confirm_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(group)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.supervisor.setFocus()

    @Slot()
    def on_confirm_button_clicked(self) -> None:
        if not (self.supervisor.text().strip() and self.password.text()):
            self.error.setText(self.tr("A supervisor must type their name and password."))
            self.supervisor.setFocus()
            return
        self.confirm_button.setEnabled(False)
        self.error.setText(self.tr("Reprinting…"))
        self.submitted.emit()

    def override(self) -> tuple[str, str]:
        return self.supervisor.text().strip(), self.password.text()

    def succeeded(self) -> None:
        self.password.clear()
        self.accept()

    def failed(self, text: str) -> None:
        self.password.clear()
        self.confirm_button.setEnabled(True)
        self.error.setText(self.tr("Not reprinted: {0}").format(text))
        self.password.setFocus()
