"""Sign in: user name and password, checked off the GUI thread; demo accounts listed only in demo mode. After a sign
out the dialog says who signed out, and the next person signs in without restarting the application."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boxoffice.services.accounts import UserInfo

from .messages import describe
from .tasks import TaskRunner


class LoginDialog(QDialog):
    """``signed_in`` carries the :class:`UserInfo` once the password is accepted."""

    signed_in = Signal(object)

    def __init__(self, runner: TaskRunner, login: Callable[[str, str], UserInfo], demo_accounts: list[str],
                 demo_password: str | None, parent: QWidget | None = None, signed_out: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("login")
        self.setWindowTitle(self.tr("Box office — sign in"))
        self.setMinimumWidth(380)
        self.runner = runner
        self.login = login
        self.user: UserInfo | None = None
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # never smaller than its contents
        if signed_out:
            note = QLabel(self.tr("{0} signed out. Sign in to go on selling.").format(signed_out))
            note.setObjectName("signedOut")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        if demo_accounts and demo_password:
            hint = QLabel(self.tr("Demo mode — accounts {0}, password “{1}”").format(
                ", ".join(demo_accounts), demo_password))
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.username.setFocus()

    @Slot()
    def on_buttons_accepted(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error(self.tr("Enter your user name and password."))
            return
        self.setEnabled(False)
        self.runner.run(lambda: self.login(name, password), self.on_login_succeeded, self.on_login_failed)

    def on_login_succeeded(self, user: UserInfo) -> None:
        self.user = user
        self.setEnabled(True)
        self.signed_in.emit(user)
        self.accept()

    def on_login_failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.show_error(describe(exc)[1])

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.adjustSize()  # the dialog grows for the message; the fields keep their height
