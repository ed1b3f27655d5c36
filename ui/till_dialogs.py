"""The clerk's till in the sale window: open a till (the float), drop or pay out cash, the BLIND close, the X report.

The close is blind: the dialog asks for the count (by denomination, or a total) and shows no expected figure until
the count is entered, confirmed and recorded (the FrontDesk's ``till_count``, whose answer is the first thing that
carries the expected cash); then it shows expected, variance and the per-method totals and asks for a supervisor's
name and password to sign the close off. Every service call runs on the task runner.

:class:`TillMenu` is what the sale window adds (a "Till" menu; the offer to open a till when one is required and
the clerk has none; the message for a sale refused for want of a till).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import FrontDesk

from .i18n import money
from .messages import describe
from .tasks import TaskRunner
from .till_pdf import candidate_why, report_html, variance_words

#: the notes and coins of the count grid (euro and most decimal currencies)
DENOMINATIONS = ("500", "200", "100", "50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05", "0.02",
                 "0.01")


def parse_amount(text: str) -> Decimal | None:
    """An amount typed by the clerk ("12.50" or "12,50"); None when it is not one (at most two decimals, >= 0)."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return value


class _TillDialog(QDialog):
    """A dialog that runs one service call and shows its error in a line of its own."""

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.user = desk, runner, user
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setMinimumWidth(360)  # a refusal wraps onto lines of its own, never clipped over a field
        self.error.setStyleSheet("color: #b00020")

    def on_failed(self, exc: BaseException) -> None:
        self.error.setText(describe(exc)[1])
        for box in self.findChildren(QDialogButtonBox):
            box.setEnabled(True)


class OpenTillDialog(_TillDialog):
    """Open the clerk's till on this workstation with an opening float."""

    opened = Signal(dict)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None,
                 note: str = "") -> None:
        super().__init__(desk, runner, user, parent)
        self.setWindowTitle(self.tr("Open till"))
        form = QFormLayout(self)
        if note:
            intro = QLabel(note)
            intro.setWordWrap(True)
            form.addRow(intro)
        form.addRow(self.tr("Workstation"), QLabel(desk.workstation))
        self.float_edit = QLineEdit("0.00")
        form.addRow(self.tr("Opening float"), self.float_edit)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open till"))
        self.buttons.accepted.connect(self.on_ok)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def on_ok(self) -> None:
        amount = parse_amount(self.float_edit.text())
        if amount is None:
            self.error.setText(self.tr("Type the float as an amount, e.g. 150.00"))
            return
        self.buttons.setEnabled(False)
        desk, user = self.desk, self.user
        self.runner.run(lambda: desk.open_till(user, amount), self.on_opened, self.on_failed)

    def on_opened(self, status: dict) -> None:
        self.opened.emit(status)
        self.accept()


class MovementDialog(_TillDialog):
    """A cash drop (to the safe) or a payout (a reason is required) from the clerk's till."""

    done = Signal(dict)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(desk, runner, user, parent)
        self.kind = kind
        self.setWindowTitle(self.tr("Cash drop") if kind == "drop" else self.tr("Payout"))
        form = QFormLayout(self)
        self.amount = QLineEdit()
        self.reason = QLineEdit()
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Reason") if kind == "payout" else self.tr("Reason (optional)"), self.reason)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.on_ok)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def on_ok(self) -> None:
        amount = parse_amount(self.amount.text())
        if amount is None or amount == 0:
            self.error.setText(self.tr("Type an amount more than 0"))
            return
        reason = self.reason.text().strip()
        if self.kind == "payout" and not reason:
            self.error.setText(self.tr("A payout needs a reason"))
            return
        if not self.confirm(amount, reason):
            return
        self.buttons.setEnabled(False)
        desk, user = self.desk, self.user
        call = desk.till_drop if self.kind == "drop" else desk.till_payout
        self.runner.run(lambda: call(user, amount, reason), self.on_done, self.on_failed)

    def confirm(self, amount: Decimal, reason: str) -> bool:
        """Ask before the cash moves, naming the amount (No is the default: a slip of 5000 for 50 stops here)."""
        cur = self.desk.currency
        text = (self.tr("Take {0} out of the drawer to the safe?") if self.kind == "drop"
                else self.tr("Pay {0} out of the drawer?")).format(money(amount, cur))
        if reason:
            text += "\n" + self.tr("Reason: {0}").format(reason)
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm_box = box
        return box.exec() == QMessageBox.StandardButton.Yes

    def on_done(self, status: dict) -> None:
        self.done.emit(status)
        self.accept()


class CloseTillDialog(_TillDialog):
    """The blind close: count (page 0), confirm the count (page 1), then figures and sign-off (page 2), closed (3)."""

    closed = Signal(dict)
    COUNT, CONFIRM, SIGN_OFF, CLOSED = range(4)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(desk, runner, user, parent)
        self.setWindowTitle(self.tr("Close till — blind count"))
        self.setMinimumWidth(560)
        self.currency = desk.currency
        self.report: dict[str, Any] | None = None
        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        outer.addWidget(self.error)
        self.pages.addWidget(self._count_page())
        self.pages.addWidget(self._confirm_page())
        self.pages.addWidget(self._sign_off_page())
        self.pages.addWidget(self._closed_page())
        self.update_total()
        desk_, user_ = desk, user
        # only whether a count is recorded already (a close interrupted before the sign-off): the status of a clerk
        # is blind, and nothing of it but the count is shown here
        self.runner.run(lambda: desk_.till_status(user_), self.on_status, self.on_failed)

    # -- page 0: the count --------------------------------------------------------------------------------------------
    def _count_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        intro = QLabel(self.tr("Count the cash in the drawer. The expected amount is shown only after the count is "
                               "recorded."))
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.by_denomination = QRadioButton(self.tr("By denomination"))
        self.by_total = QRadioButton(self.tr("A total"))
        self.by_denomination.setChecked(True)
        group = QButtonGroup(page)
        group.addButton(self.by_denomination)
        group.addButton(self.by_total)
        box.addWidget(self.by_denomination)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.pieces: dict[str, QSpinBox] = {}
        for n, denom in enumerate(DENOMINATIONS):
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.valueChanged.connect(self.update_total)
            self.pieces[denom] = spin
            grid.addWidget(QLabel(money(Decimal(denom), self.currency) + " ×"), n % 8, (n // 8) * 2,
                           Qt.AlignmentFlag.AlignRight)
            grid.addWidget(spin, n % 8, (n // 8) * 2 + 1)
        box.addWidget(grid_host)
        box.addWidget(self.by_total)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText(self.tr("counted total"))
        self.total_edit.textChanged.connect(self.update_total)
        box.addWidget(self.total_edit)
        self.by_denomination.toggled.connect(self.update_total)
        self.counted_label = QLabel()
        box.addWidget(self.counted_label)
        self.next_button = QPushButton(self.tr("Next: confirm the count"))
        self.next_button.clicked.connect(self.on_next)
        box.addWidget(self.next_button)
        return page

    def counted(self) -> tuple[Decimal | None, dict[str, int] | None]:
        """(total, by denomination) as entered; (None, None) when the total typed is not an amount."""
        if self.by_denomination.isChecked():
            detail = {d: s.value() for d, s in self.pieces.items() if s.value()}
            return sum((Decimal(d) * n for d, n in detail.items()), Decimal("0.00")), detail
        return parse_amount(self.total_edit.text()), None

    def update_total(self) -> None:
        by_denomination = self.by_denomination.isChecked()
        for spin in self.pieces.values():
            spin.setEnabled(by_denomination)
        self.total_edit.setEnabled(not by_denomination)
        total, _detail = self.counted()
        self.counted_label.setText(self.tr("Counted: {0}").format(money(total, self.currency))
                                   if total is not None else self.tr("Type the counted total"))

    def on_next(self) -> None:
        total, _detail = self.counted()
        if total is None:
            self.error.setText(self.tr("Type the counted total as an amount, e.g. 245.50"))
            return
        self.error.setText("")
        self.confirm_label.setText(self.tr("You counted {0}. Once recorded, the count cannot be changed; the "
                                           "expected amount is shown next.").format(money(total, self.currency)))
        self.pages.setCurrentIndex(self.CONFIRM)

    # -- page 1: confirm ------------------------------------------------------------------------------------------
    def _confirm_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.confirm_label = QLabel()
        self.confirm_label.setWordWrap(True)
        box.addWidget(self.confirm_label)
        self.back_button = QPushButton(self.tr("Back: count again"))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(self.COUNT))
        self.confirm_button = QPushButton(self.tr("Record the count"))
        self.confirm_button.clicked.connect(self.on_confirm)
        box.addWidget(self.back_button)
        box.addWidget(self.confirm_button)
        return page

    def on_confirm(self) -> None:
        total, detail = self.counted()
        self.confirm_button.setEnabled(False)
        desk, user = self.desk, self.user
        if detail is not None:
            self.runner.run(lambda: desk.till_count(user, detail=detail), self.on_counted, self.on_count_failed)
        else:
            self.runner.run(lambda: desk.till_count(user, total), self.on_counted, self.on_count_failed)

    def on_count_failed(self, exc: BaseException) -> None:
        self.confirm_button.setEnabled(True)
        self.on_failed(exc)

    def on_status(self, status: dict) -> None:
        if status.get("open") and status.get("counted") is not None:  # counted before: straight to the sign-off
            self.runner.run(lambda: self.desk.till_report(self.user, status["shift_id"]), self.on_counted,
                            self.on_failed)
        elif not status.get("open"):
            self.error.setText(self.tr("You have no open till."))
            self.next_button.setEnabled(False)

    # -- page 2: figures and sign-off -------------------------------------------------------------------------------
    def _sign_off_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.figures = QLabel()
        self.figures.setObjectName("figures")
        self.figures.setStyleSheet("font-size: 13pt; font-weight: bold")
        box.addWidget(self.figures)
        self.methods = QTableWidget(0, 4)
        self.methods.setHorizontalHeaderLabels([self.tr("Method"), self.tr("Payments"), self.tr("Refunds"),
                                                self.tr("Net")])
        self.methods.verticalHeader().setVisible(False)
        self.methods.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.methods.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.methods.setMaximumHeight(140)
        box.addWidget(self.methods)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        box.addWidget(self.explain)
        form = QFormLayout()
        self.supervisor = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("why the drawer does not balance"))
        form.addRow(self.tr("Note (needed for a variance)"), self.note)
        form.addRow(self.tr("Supervisor"), self.supervisor)
        form.addRow(self.tr("Password"), self.password)
        box.addLayout(form)
        self.sign_button = QPushButton(self.tr("Sign off and close the till"))
        self.sign_button.clicked.connect(self.on_sign_off)
        box.addWidget(self.sign_button)
        return page

    def on_counted(self, report: dict) -> None:
        self.report = report
        cur = self.currency
        variance = Decimal(report["variance"])
        words = variance_words(report["variance"])
        self.figures.setText(self.tr("Expected: {0}\nCounted: {1}\nVariance: {2}").format(
            money(Decimal(report["expected"]), cur), money(Decimal(report["counted"]), cur), money(variance, cur))
            + (f" ({words})" if words else ""))
        self.methods.setRowCount(0)
        for method, v in report["by_method"].items():
            row = self.methods.rowCount()
            self.methods.insertRow(row)
            for col, text in enumerate((method, v["payments"], v["refunds"], v["net"])):
                self.methods.setItem(row, col, QTableWidgetItem(text))
        hints = [self.tr("order {0}: {1}").format(c["order_id"], candidate_why(c))
                 for c in report.get("candidates", [])[:3]]
        self.explain.setText(self.tr("Could explain the variance: {0}").format(" · ".join(hints)) if hints else "")
        if self.user.role == "supervisor":
            self.supervisor.setText(self.user.username)
        self.error.setText("")
        self.pages.setCurrentIndex(self.SIGN_OFF)

    def on_sign_off(self) -> None:
        name, password = self.supervisor.text().strip(), self.password.text()
        note = self.note.text().strip()
        if not name:
            self.error.setText(self.tr("A supervisor signs the close off: their name and password"))
            return
        if self.report is not None and Decimal(self.report["variance"]) != 0 and not note:
            self.error.setText(self.tr("The drawer is {0}: write in the note why before signing off").format(
                variance_words(self.report["variance"])))
            self.note.setFocus()
            return
        self.sign_button.setEnabled(False)
        desk, user = self.desk, self.user
        own = user.role == "supervisor" and name == user.username
        self.runner.run(lambda: desk.till_close(user, None if own else name, None if own else password, note or None),
                        self.on_closed, self.on_sign_off_failed)

    def on_sign_off_failed(self, exc: BaseException) -> None:
        self.sign_button.setEnabled(True)
        self.password.clear()
        self.on_failed(exc)

    # -- page 3: closed -------------------------------------------------------------------------------------------
    def _closed_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.closed_label = QLabel()
        self.closed_label.setWordWrap(True)
        box.addWidget(self.closed_label)
        done = QPushButton(self.tr("Done"))
        done.clicked.connect(self.accept)
        box.addWidget(done)
        return page

    def on_closed(self, report: dict) -> None:
        self.report = report
        words = variance_words(report["variance"])
        self.closed_label.setText(self.tr("Till {0} closed, signed off by {1}. Variance {2}.").format(
            report["shift_id"], report["signed_off_by"], money(Decimal(report["variance"]), self.currency))
            + (f" ({words})" if words else ""))
        self.error.setText("")
        self.pages.setCurrentIndex(self.CLOSED)
        self.closed.emit(report)


class ReportDialog(_TillDialog):
    """The X report of the clerk's open till (blind for a clerk until counted), or a given shift's report."""

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, shift_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(desk, runner, user, parent)
        self.setWindowTitle(self.tr("Till report"))
        self.resize(720, 640)
        box = QVBoxLayout(self)
        self.view = QTextBrowser()
        box.addWidget(self.view)
        box.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.view.setPlainText(self.tr("Loading…"))
        if shift_id is None:
            self.runner.run(lambda: desk.till_status(user), self.on_report, self.on_failed)
        else:
            self.runner.run(lambda: desk.till_report(user, shift_id), self.on_report, self.on_failed)

    def on_report(self, report: dict) -> None:
        if "shift_id" not in report:
            self.view.setPlainText(self.tr("You have no open till."))
            return
        self.view.setHtml(report_html(report))


class TillMenu(QObject):
    """The sale window's till: a "Till" menu, the offer to open one, the message for a sale refused without one."""

    def __init__(self, window: QMainWindow, desk: FrontDesk, runner: TaskRunner, user: UserInfo) -> None:
        super().__init__(window)
        self.window, self.desk, self.runner, self.user = window, desk, runner, user
        self.dialog: QDialog | None = None
        self.no_till_box: QMessageBox | None = None
        menu = window.menuBar().addMenu(self.tr("Till"))
        self.menu = menu
        self.open_action = menu.addAction(self.tr("Open till…"), lambda: self.open_till())
        self.drop_action = menu.addAction(self.tr("Cash drop…"), lambda: self._movement("drop"))
        self.payout_action = menu.addAction(self.tr("Payout…"), lambda: self._movement("payout"))
        self.close_action = menu.addAction(self.tr("Close till (blind count)…"), lambda: self.close_till())
        menu.addAction(self.tr("X report"), lambda: self._show(ReportDialog(desk, runner, user, parent=window)))
        menu.aboutToShow.connect(self.refresh)
        self.offer_open = desk.require_till
        self.refresh()

    def refresh(self) -> None:
        """Ask whether a till is open, and enable the actions that fit (Open without one; the others with one)."""
        desk, user = self.desk, self.user
        self.runner.run(lambda: desk.till_status(user), self.on_status, lambda _exc: None, owner=self)

    def set_open(self, status: dict) -> None:
        is_open = bool(status.get("open"))
        counted = is_open and status.get("counted") is not None
        self.open_action.setEnabled(not is_open)
        self.drop_action.setEnabled(is_open and not counted)  # a counted till takes nothing more
        self.payout_action.setEnabled(is_open and not counted)
        self.close_action.setEnabled(is_open)

    def _movement(self, kind: str) -> QDialog:
        dialog = MovementDialog(self.desk, self.runner, self.user, kind, self.window)
        dialog.done.connect(self.set_open)
        return self._show(dialog)

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_till(self, note: str = "") -> QDialog:
        dialog = OpenTillDialog(self.desk, self.runner, self.user, self.window, note)
        dialog.opened.connect(self.set_open)
        return self._show(dialog)

    def close_till(self) -> QDialog:
        dialog = CloseTillDialog(self.desk, self.runner, self.user, self.window)
        dialog.finished.connect(lambda _r: self.refresh())
        return self._show(dialog)

    def on_status(self, status: dict) -> None:
        self.set_open(status)
        if self.offer_open and not status.get("open"):
            self.open_till(self.tr("No till is open for you: open one to sell."))
        self.offer_open = False  # offered once, at the start

    def refused(self, message: str) -> QMessageBox:
        """A sale refused for want of a till: say so and offer to open one."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("No till open"), message,
                          QMessageBox.StandardButton.Cancel, self.window)
        opener = box.addButton(self.tr("Open a till…"), QMessageBox.ButtonRole.AcceptRole)
        opener.clicked.connect(lambda: self.open_till())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.no_till_box = box
        box.open()
        return box
