"""Order lookup (Ctrl+L): by number, token, seat label, or the customer's name or phone; shows the order and offers
cancel / refund (the whole order or some of its seats), exchange (new seats picked on a map) and reprint.

Every order found names its match (session name and start); an order of another match than the window's is marked
with a warning, in the list, the order shown and the cancel confirmation.

Cancelling asks in :class:`CancelOrderDialog`: the seats to cancel are ticked (all of them at first), it names the
order, its match, those seats and the refund, has no default button (Enter in a field closes nothing), stays open
until the service has answered (a refused approval keeps what was typed), and — when the clerk may not cancel alone (another
clerk's order, or one of an earlier day) — asks for a supervisor's name and password ("supervisor override"), which
the service checks like a sign-in. Exchanging opens :class:`ui.exchange_dialog.ExchangeDialog`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain import tenders
from boxoffice.domain.layout import Layout
from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import PermissionDenied
from boxoffice.services.accounts import UserInfo
from boxoffice.services.aftersale import may_cancel_alone
from boxoffice.services.frontdesk import FrontDesk

from .exchange_dialog import ExchangeDialog
from .i18n import when, word
from .messages import describe
from .printer_settings import workstation_printer
from .printing import print_order
from .refunds import refund_plan_text
from .reprint_dialog import ReprintOverrideDialog
from .reprint_dialog import needs_supervisor as needs_reprint_supervisor
from .tasks import TaskRunner
from .tickets_pdf import paint_tickets, write_tickets


def match_name(match: SessionInfo | None, session_id: int) -> str:
    """ "<name>, <start>" for an order's session (its number when it could not be read)."""
    if match is None:
        return QCoreApplication.translate("OrderDialog", "session {0}").format(session_id)
    return f"{match.name}, {when(match.starts_at)}"


def match_text(match: SessionInfo | None, session_id: int) -> str:
    return QCoreApplication.translate("OrderDialog", "Match: {0}").format(match_name(match, session_id))


def other_match_label(match: SessionInfo | None, session_id: int) -> QLabel:
    """The warning that an order is not of the window's match."""
    label = QLabel(QCoreApplication.translate("OrderDialog", "⚠ This order is for {0}, not this window's match.")
                   .format(match_name(match, session_id)))
    label.setObjectName("otherMatchWarning")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    return label


class CancelOrderDialog(QDialog):
    """Confirm a cancellation: what it does (order, match, seats, refund), a reason, and the supervisor's name and
    password when the clerk may not cancel this order alone. No button is a default button: Enter in a field closes
    nothing (it used to keep the order silently, losing the ticks and the reason). "Cancel" emits :attr:`submitted`;
    the dialog stays open until the caller reports the outcome (:meth:`succeeded` / :meth:`failed`)."""

    # the clerk confirmed, with everything needed filled in: the caller runs the cancel
    submitted = Signal()

    def __init__(self, order: Receipt, user: UserInfo, parent: QWidget | None = None,
                 match: SessionInfo | None = None, window_session_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelOrderDialog")
        self.setWindowTitle(self.tr("Cancel order {0}").format(order.order_id))
        self.setMinimumWidth(420)
        self.order = order
        #: what the order still has paid per method (None until the caller has read it: see :meth:`set_paid`)
        self.paid: list[tuple[str, Decimal]] | None = None
        self.needs_supervisor = not may_cancel_alone(user, order.clerk, order.created_at)
        self.summary = summary = QLabel()
        summary.setObjectName("cancelSummary")
        summary.setWordWrap(True)
        # room for the question, how the money goes back, the seats cancelled and the seats kept from the start:
        # the plan arriving (read off the GUI thread) squeezes nothing
        summary.setMinimumHeight(4 * summary.fontMetrics().lineSpacing() + 4)
        summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        #: the order's seats, ticked: the ones to cancel (all at first; untick some for a partial cancel)
        self.seat_list = QListWidget()
        self.seat_list.setObjectName("cancelSeats")
        for line in order.lines:
            item = QListWidgetItem(f"{line.label}   {line.price}")
            item.setData(Qt.ItemDataRole.UserRole, line.seat_index)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.seat_list.addItem(item)
        # a fixed height, and the summary (which grows a "Seats kept" line) below it: the list never moves while
        # the clerk ticks (it used to shift a row down under the mouse, and the next click hit the wrong seat)
        self.seat_list.setFixedHeight(min(160, 24 * max(1, len(order.lines)) + 8))
        self.seat_list.itemChanged.connect(self.on_seat_list_item_changed)
        self.reason = QLineEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("Reason (kept in the audit log)"))
        layout = QVBoxLayout(self)
        self.match_line = QLabel(match_text(match, order.session_id))
        self.match_line.setObjectName("cancelMatch")
        self.match_line.setWordWrap(True)
        layout.addWidget(self.match_line)
        self.other_match: QLabel | None = None
        if window_session_id is not None and order.session_id != window_session_id:
            self.other_match = other_match_label(match, order.session_id)
            layout.addWidget(self.other_match)
        if len(order.lines) > 1:
            hint = QLabel(self.tr("Untick the seats the customer keeps (a partial refund):"))
            hint.setObjectName("cancelSeatsHint")
            layout.addWidget(hint)
            layout.addWidget(self.seat_list)
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
        # room for two lines from the start: an error appearing squeezes nothing (the supervisor's fields were
        # crushed when a refusal's line came)
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing() + 4)
        self.error.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(self.tr("Keep the order"), QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepOrder")
        self.confirm_button = self.buttons.addButton(self.tr("Cancel order and refund"),
                                                     QDialogButtonBox.ButtonRole.DestructiveRole)
        self.confirm_button.setObjectName("confirmCancel")
        for button in (self.keep_button, self.confirm_button):
            # no default button (QDialog would make the first auto-default one the default): Enter does nothing
            button.setAutoDefault(False)
            button.setDefault(False)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.on_confirm_button_clicked)
        layout.addWidget(self.buttons)
        self.update_summary()
        self.reason.setFocus()

    def chosen(self) -> list[int]:
        """The seats (indices) ticked for cancelling."""
        items = (self.seat_list.item(k) for k in range(self.seat_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def seats(self) -> list[int] | None:
        """The seats to cancel, or None for the whole order."""
        chosen = self.chosen()
        return None if len(chosen) == len(self.order.lines) else chosen

    def refund(self) -> Decimal:
        chosen = set(self.chosen())
        return sum((ln.price for ln in self.order.lines if ln.seat_index in chosen), Decimal("0.00"))

    def set_paid(self, paid: list[tuple[str, Decimal]]) -> None:
        """The order's net payments per method arrived: the summary says how the money goes back."""
        self.paid = list(paid)
        self.update_summary()

    def plan_text(self) -> str:
        """How the refund goes back ("Give 90.00 in cash; 100.00 back to the card"), as the cancel books it."""
        if self.paid is None:
            return self.tr("working out how the money goes back…")
        return refund_plan_text(tenders.refund_split(self.paid, self.refund())) or "—"

    @Slot(QListWidgetItem)
    def on_seat_list_item_changed(self, _item: QListWidgetItem) -> None:
        self.update_summary()

    def update_summary(self) -> None:
        """Names the order, the seats that go and the refund; the button says whether the whole order goes."""
        order, chosen = self.order, set(self.chosen())
        labels = ", ".join(ln.label for ln in order.lines if ln.seat_index in chosen)
        if len(chosen) == len(order.lines):
            self.summary.setText(self.tr("Cancel order {0} and refund {1}?\n{2}.\nSeats: {3}").format(
                order.order_id, order.total, self.plan_text(), ", ".join(order.seats)))
            self.confirm_button.setText(self.tr("Cancel order and refund"))
        else:
            kept = ", ".join(ln.label for ln in order.lines if ln.seat_index not in chosen)
            self.summary.setText(self.tr(
                "Cancel {0} of the {1} seats of order {2} and refund {3}?\n{4}.\nSeats cancelled: {5}\n"
                "Seats kept: {6}").format(len(chosen), len(order.lines), order.order_id, self.refund(),
                                          self.plan_text(), labels or "—", kept))
            self.confirm_button.setText(self.tr("Cancel these seats and refund"))
        self.confirm_button.setEnabled(bool(chosen))

    @Slot()
    def on_confirm_button_clicked(self) -> None:
        self.error.clear()  # a new attempt: the previous error goes
        if not self.chosen():
            self.show_error(self.tr("Tick at least one seat to cancel."))
            return
        if not self.reason.text().strip():
            self.show_error(self.tr("Give a reason: it is kept in the audit log."))
            self.reason.setFocus()
            return
        if self.needs_supervisor and not (self.supervisor.text().strip() and self.password.text()):
            self.show_error(self.tr("A supervisor must type their name and password."))
            self.supervisor.setFocus()
            return
        self.confirm_button.setEnabled(False)  # one attempt at a time
        self.error.setText(self.tr("Cancelling…"))
        self.error.show()
        self.submitted.emit()

    def succeeded(self) -> None:
        self.password.clear()
        self.accept()

    def failed(self, text: str) -> None:
        """The service refused (e.g. a wrong supervisor password): the dialog stays, with the ticks, the reason and
        the supervisor's name; only the password is typed again."""
        self.password.clear()
        self.confirm_button.setEnabled(bool(self.chosen()))
        self.show_error(self.tr("Not cancelled: {0}").format(text))
        (self.password if self.needs_supervisor else self.reason).setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def override(self) -> tuple[str | None, str | None]:
        """(supervisor name, password) when an override is asked for, else (None, None)."""
        if not self.needs_supervisor:
            return None, None
        return self.supervisor.text().strip(), self.password.text()


class OrderDialog(QDialog):
    """Look an order up and act on it. Enter in the search field only searches; no button here is a default button.
    When a name or phone matches several orders they are listed: pick one (click, or arrows) to show it."""

    def __init__(self, desk: FrontDesk, runner: TaskRunner, session: SessionInfo, user: UserInfo, tickets_dir: Path,
                 parent: QWidget | None = None, layout: Layout | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderLookup")
        self.setWindowTitle(self.tr("Look up an order"))
        self.setMinimumWidth(640)
        self.desk, self.runner, self.session, self.user = desk, runner, session, user
        self.tickets_dir = tickets_dir
        self.layout_ = layout  # the session's venue (the sale window's; fetched on the first exchange otherwise)
        self.order: Receipt | None = None
        self.found: list[Receipt] = []
        # each order's match (session), by id: the window's own, and those of the orders found
        self.sessions: dict[int, SessionInfo] = {session.session_id: session}
        self.cancel_dialog: CancelOrderDialog | None = None
        self.exchange_dialog: ExchangeDialog | None = None
        self.reprint_dialog: ReprintOverrideDialog | None = None
        self.reprint_confirm: QMessageBox | None = None
        self.query = QLineEdit()
        self.query.setObjectName("orderQuery")
        self.query.setPlaceholderText(self.tr("order number, token, seat label, customer name or phone"))
        self.query.returnPressed.connect(self.on_query_return_pressed)
        self.query.textEdited.connect(self.on_query_text_edited)
        self.results = QListWidget()
        self.results.setObjectName("orderResults")
        self.results.currentRowChanged.connect(self.on_results_current_row_changed)
        self.results.setMaximumHeight(140)
        self.results.hide()
        self.query.installEventFilter(self)  # Down in the search field goes to the list of matches
        self.details = QLabel()
        self.details.setObjectName("orderDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # in a scroll area: a long line (a refused approval's error) wraps and is read whole, never cut off
        self.details_area = QScrollArea()
        self.details_area.setObjectName("orderDetailsArea")
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.setMinimumHeight(130)
        self.details_area.setWidget(self.details)
        # shown when the order is not of the window's match
        self.other_match = QLabel()
        self.other_match.setObjectName("otherMatchWarning")
        self.other_match.setWordWrap(True)
        self.other_match.setStyleSheet("color: #b00020; font-weight: bold;")
        self.other_match.hide()
        self.cancel_button = QPushButton(self.tr("Cancel / refund…"))
        self.cancel_button.setObjectName("cancelOrder")
        self.cancel_button.setToolTip(self.tr("Cancel the whole order or some of its seats, with a refund"))
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.exchange_button = QPushButton(self.tr("Exchange seats…"))
        self.exchange_button.setObjectName("exchangeOrder")
        self.exchange_button.setToolTip(self.tr("Move seats of this order to others picked on the map"))
        self.exchange_button.clicked.connect(self.on_exchange_button_clicked)
        self.reprint_button = QPushButton(self.tr("Reprint tickets"))
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.clicked.connect(self.on_reprint_button_clicked)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self.on_print_button_clicked)
        for button in (self.cancel_button, self.exchange_button, self.reprint_button, self.print_button):
            # Enter in the search field only searches: no button of this dialog is pressed by Enter (a default
            # button used to be, and Enter after a second look-up cancelled the order shown before it)
            button.setAutoDefault(False)
            button.setDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.exchange_button)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.print_button)
        layout_ = QVBoxLayout(self)
        layout_.addWidget(self.query)
        layout_.addWidget(self.results)
        layout_.addWidget(self.other_match)
        layout_.addWidget(self.details_area, 1)
        layout_.addLayout(buttons)
        self.show_order(None)

    def show_order(self, order: Receipt | None) -> None:
        self.order = order
        paid = order is not None and order.status == "paid"
        self.cancel_button.setEnabled(paid)
        self.exchange_button.setEnabled(paid and order is not None and order.session_id == self.session.session_id)
        self.reprint_button.setEnabled(paid)
        self.print_button.setEnabled(paid)
        other = order is not None and order.session_id != self.session.session_id
        self.other_match.setVisible(other)
        if order is None:
            return
        match = self.sessions.get(order.session_id)
        if other:
            self.other_match.setText(self.tr(
                "⚠ This order is for {0}, not this window's match: exchange it at that match's window.").format(
                    match_name(match, order.session_id)))
        seats = ", ".join(order.seats)
        text = self.tr("Order {0} ({1}) — {2}\nseats {3}\ntotal {4} ({5}), sold by {6}").format(
            order.order_id, word(order.status), when(order.created_at), seats, order.total,
            word(order.payment), order.clerk)
        text += "\n" + match_text(match, order.session_id)
        if order.customer_name or order.customer_phone:
            text += "\n" + self.tr("customer {0}").format(
                " · ".join(x for x in (order.customer_name, order.customer_phone) if x))
        if order.status == "cancelled":
            # a cancelled order's total is what it had when cancelled: what was refunded then
            text += "\n" + self.tr("Refunded {0} ({1}).").format(order.total, word(order.payment))
        self.details.setText(text)

    @Slot(str)
    def on_query_text_edited(self, _text: str) -> None:
        """Typing another number lets go of the order shown: no button acts on it while the text says otherwise."""
        if self.order is not None or self.found:
            self.show_found([])
            self.details.setText("")

    @Slot()
    def on_query_return_pressed(self) -> None:
        query, desk, sid = self.query.text(), self.desk, self.session.session_id
        self.show_found([])  # nothing of the previous order can be acted on while the next one is looked up
        self.details.setText(self.tr("Looking up {0}…").format(query.strip()))

        def look_up() -> tuple[list[Receipt], dict[int, SessionInfo]]:
            found = desk.find_orders(query, sid)
            return found, desk.sessions_of(found)

        self.runner.run(look_up, self.on_looked_up, self.on_lookup_failed)

    def on_looked_up(self, result: tuple[list[Receipt], dict[int, SessionInfo]]) -> None:
        found, sessions = result
        self.sessions.update(sessions)
        self.on_found(found)

    def on_found(self, found: list[Receipt]) -> None:
        self.show_found(found)
        if len(found) > 1:
            self.details.setText(self.tr("{0} orders match: pick one.").format(len(found)))

    def show_found(self, found: list[Receipt]) -> None:
        """One order: shown. Several: listed, none chosen yet (no button acts until the clerk picks one)."""
        self.found = list(found)
        self.results.blockSignals(True)
        self.results.clear()
        for r in found:
            self.results.addItem(self.result_text(r))
        self.results.setCurrentRow(-1)
        self.results.blockSignals(False)
        self.results.setVisible(len(found) > 1)
        self.show_order(found[0] if len(found) == 1 else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (watched is self.query and event.type() == QEvent.Type.KeyPress and self.results.isVisible()
                and event.key() == Qt.Key.Key_Down):  # type: ignore[attr-defined]
            self.results.setFocus()
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    def result_text(self, r: Receipt) -> str:
        who = " · ".join(x for x in (r.customer_name, r.customer_phone) if x)
        text = self.tr("Order {0} ({1}) — {2} — {3} — {4}").format(
            r.order_id, word(r.status), match_name(self.sessions.get(r.session_id), r.session_id),
            ", ".join(r.seats) or "—", who or self.tr("no customer noted"))
        if r.session_id != self.session.session_id:  # marked first: a long line is cut at its end
            text = self.tr("⚠ Another match — {0}").format(text)
        return text

    def replace_found(self, after: Receipt) -> None:
        """The order changed (cancelled, exchanged): the list of matches shows it as it is now."""
        for k, r in enumerate(self.found):
            if r.order_id == after.order_id:
                self.found[k] = after
                item = self.results.item(k)
                if item is not None:
                    item.setText(self.result_text(after))

    @Slot(int)
    def on_results_current_row_changed(self, row: int) -> None:
        self.show_order(self.found[row] if 0 <= row < len(self.found) else None)

    def on_lookup_failed(self, exc: BaseException) -> None:
        self.show_found([])
        self.details.setText(describe(exc)[1])

    @Slot()
    def on_cancel_button_clicked(self) -> CancelOrderDialog | None:
        if self.order is None:
            return None
        dialog = CancelOrderDialog(self.order, self.user, self, self.sessions.get(self.order.session_id),
                                   self.session.session_id)
        self.cancel_dialog = dialog
        dialog.submitted.connect(self.on_cancel_dialog_submitted)
        dialog.finished.connect(lambda _result: self.query.setFocus())  # the clerk types the next look-up
        dialog.open()
        desk, order_id = self.desk, self.order.order_id
        # how the money goes back (card first, then cash) is read off the GUI thread; the summary fills it in
        self.runner.run(lambda: desk.paid_by_method(order_id), dialog.set_paid, self.on_failed, owner=dialog)
        return dialog

    @Slot()
    def on_cancel_dialog_submitted(self) -> None:
        dialog = self.cancel_dialog
        assert dialog is not None
        supervisor, password = dialog.override()
        dialog.password.clear()  # the password lives only in the call that checks it
        self.cancel(dialog.reason.text(), supervisor, password, seats=dialog.seats(), dialog=dialog)

    def cancel(self, reason: str, supervisor: str | None = None, password: str | None = None,
               seats: list[int] | None = None, dialog: CancelOrderDialog | None = None) -> None:
        """Cancel the order shown — whole, or only ``seats`` (indices) — off the GUI thread; ``dialog`` (the
        confirmation) closes when it is done, or stays with the error when it is refused."""
        assert self.order is not None
        order_id, desk, user, before = self.order.order_id, self.desk, self.user, self.order

        def run() -> tuple[Receipt, list[tuple[str, Decimal]]]:
            paid_before = dict(desk.paid_by_method(order_id))
            after = desk.cancel(user, order_id, reason, seats=seats, supervisor=supervisor,
                                supervisor_password=password)
            paid_after = dict(desk.paid_by_method(order_id))
            # what went back, per method: what the cancel's refund rows took off each method
            back = [(m, paid_before[m] - paid_after.get(m, Decimal("0.00"))) for m in paid_before]
            return after, [(m, a) for m, a in back if a > 0]

        self.runner.run(run, lambda result: self.on_cancelled(before, *result, dialog=dialog),
                        lambda exc: self.on_cancel_failed(exc, dialog))

    def on_cancelled(self, before: Receipt, after: Receipt, refunds: list[tuple[str, Decimal]] | None = None,
                     dialog: CancelOrderDialog | None = None) -> None:
        if dialog is not None:
            dialog.succeeded()
        self.replace_found(after)
        self.show_order(after)
        how = refund_plan_text(refunds) if refunds else word(after.payment)
        if after.status != "cancelled":
            self.details.setText(self.details.text() + "\n" + self.tr("Refunded {0}: {1}.").format(
                before.total - after.total, how))
        elif refunds:  # the whole order: its details' "Refunded 190.00 (split)." says how it went back instead
            said = self.tr("Refunded {0} ({1}).").format(after.total, word(after.payment))
            how_text = self.tr("Refunded {0}: {1}.").format(after.total, how)
            text = self.details.text()
            self.details.setText(text.replace(said, how_text) if said in text else text + "\n" + how_text)

    def on_cancel_failed(self, exc: BaseException, dialog: CancelOrderDialog | None = None) -> None:
        message = describe(exc)[1]
        if dialog is not None and dialog.isVisible():
            dialog.failed(message)
        self.details.setText(self.details.text() + "\n" + self.tr("Not cancelled: {0}").format(message))

    @Slot()
    def on_exchange_button_clicked(self) -> None:
        """Pick the new seats on a map of the session (the venue is fetched once, off the GUI thread)."""
        if self.order is None:
            return
        if self.layout_ is None:
            desk, sid = self.desk, self.session.session_id
            self.runner.run(lambda: desk.session_layout(sid), self.on_layout_loaded, self.on_failed)
            return
        self.open_exchange()

    def on_layout_loaded(self, layout: Layout) -> None:
        self.layout_ = layout
        if self.order is not None:
            self.open_exchange()

    def open_exchange(self) -> ExchangeDialog:
        assert self.order is not None and self.layout_ is not None
        dialog = ExchangeDialog(self.desk, self.runner, self.session, self.layout_, self.order, self.user, self)
        self.exchange_dialog = dialog
        dialog.exchanged.connect(self.on_exchanged)
        dialog.finished.connect(lambda _result: self.query.setFocus())
        dialog.open()
        desk, order_id = self.desk, self.order.order_id
        # a refund's way back (card first, then cash) is read off the GUI thread; the dialog's line fills it in
        self.runner.run(lambda: desk.paid_by_method(order_id), dialog.set_paid, self.on_failed, owner=dialog)
        return dialog

    def on_exchanged(self, before: Receipt, after: Receipt) -> None:
        self.replace_found(after)
        self.show_order(after)
        diff = after.total - before.total
        moved = self.tr("Exchanged: {0} → {1}.").format(
            ", ".join(s for s in before.seats if s not in after.seats),
            ", ".join(s for s in after.seats if s not in before.seats))
        if diff > 0:
            moved += " " + self.tr("To pay: {0}.").format(diff)
        elif diff < 0:
            paid = self.exchange_dialog.paid if self.exchange_dialog is not None else None
            how = refund_plan_text(tenders.refund_split(paid, -diff)) if paid is not None else word(after.payment)
            moved += " " + self.tr("Refunded {0}: {1}.").format(-diff, how)
        self.details.setText(self.details.text() + "\n" + moved)
        # the customer leaves with tickets for the new seats (the old ones' codes no longer match the order)
        desk, session = self.desk, self.session
        path = self.tickets_dir / f"order-{after.order_id}-exchange-{datetime.now():%H%M%S}.pdf"
        self.runner.run(lambda: write_tickets(path, after, session, desk.ticket_sheet(after)), self.on_reprinted,
                        self.on_failed)

    @Slot()
    def on_reprint_button_clicked(self) -> ReprintOverrideDialog | QMessageBox | None:
        """Reprint the order's tickets through the reprint service (the earlier print stops passing the gate), on
        the workstation's printer. It asks first — the customer's printed tickets stop working — with No as the
        default (returns that question); a second reprint asks for a supervisor instead (returns that dialog)."""
        if self.order is None:
            return None
        if needs_reprint_supervisor(self.order, self.user):
            return self.open_reprint_override(self.order)
        return self.confirm_reprint(self.order)

    def confirm_reprint(self, order: Receipt) -> QMessageBox:
        """Ask before reprinting: names the order and its tickets and says the printed ones stop working."""
        n = len(order.lines)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Reprint tickets"), self.tr(
            "Reprint the {0} ticket(s) of order {1}?\nThe tickets the customer already has will stop working at "
            "the gate.").format(n, order.order_id), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self)
        box.setObjectName("confirmReprint")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Reprint"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Do not reprint"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        self.reprint_confirm = box
        order_id = order.order_id

        def answered(button: QAbstractButton) -> None:
            # the order shown must still be the one asked about (a look-up may have changed it meanwhile)
            if (box.standardButton(button) == QMessageBox.StandardButton.Yes and self.order is not None
                    and self.order.order_id == order_id):
                self.reprint()

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def open_reprint_override(self, order: Receipt) -> ReprintOverrideDialog:
        dialog = ReprintOverrideDialog(order, self)
        self.reprint_dialog = dialog
        dialog.submitted.connect(lambda: self.reprint(*dialog.override(), dialog=dialog))
        dialog.open()
        return dialog

    def reprint(self, supervisor: str | None = None, password: str | None = None,
                dialog: ReprintOverrideDialog | None = None) -> None:
        assert self.order is not None
        order, desk, user = self.order, self.desk, self.user
        session = self.sessions.get(order.session_id, self.session)
        spec = workstation_printer(desk)
        if dialog is not None:
            dialog.password.clear()  # the password lives only in the call that checks it

        def run() -> tuple[Receipt, int, str]:
            done = desk.reprint(user, order.order_id, supervisor=supervisor, supervisor_password=password)
            number = max(new for _, new in done.numbers.values())
            path = self.tickets_dir / f"order-{order.order_id}-reprint-{number}.pdf"
            try:
                where = str(print_order(done.receipt, session, desk.ticket_sheet(done.receipt), spec, desk=desk,
                                        pdf_path=path, kick_drawer=False))
            except Exception as exc:  # noqa: BLE001 - reprinted (the numbers moved): say the print failed
                where = QCoreApplication.translate("OrderDialog", "not printed ({0}): use Print…").format(
                    describe(exc)[1])
            return done.receipt, number, where

        self.runner.run(run, lambda result: self.on_reprinted(result, dialog),
                        lambda exc: self.on_reprint_failed(order, exc, dialog))

    def on_reprinted(self, result: tuple[Receipt, int, str] | Path, dialog: ReprintOverrideDialog | None = None
                     ) -> None:
        if isinstance(result, Path):  # an exchange's new tickets
            self.details.setText(self.details.text() + "\n" + self.tr("Tickets: {0}").format(result))
            return
        after, number, where = result
        if dialog is not None:
            dialog.succeeded()
        self.replace_found(after)
        self.show_order(after)
        self.details.setText(self.details.text() + "\n" + self.tr("Reprint {0}: {1}").format(number, where))

    def on_reprint_failed(self, order: Receipt, exc: BaseException,
                          dialog: ReprintOverrideDialog | None = None) -> None:
        if dialog is not None and dialog.isVisible():
            dialog.failed(describe(exc)[1])
            return
        if isinstance(exc, PermissionDenied) and exc.reason == "reprint_needs_supervisor":
            self.open_reprint_override(order)  # reprinted meanwhile at another window: ask now
            return
        self.on_failed(exc)

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
