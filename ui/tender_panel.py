"""How the customer pays, at the clerk's window: one method for the whole amount, or split tender.

One method (the usual case): Cash, Card or Voucher, and for cash the money handed over (empty: exact) with the change
shown live. Split (the "Split payment" box): the clerk types what goes on the card and on a voucher; cash pays the
rest — shown live as "Rest in cash" — and the cash handed over gives the change on that rest. So the amounts always
add up to the total, and change comes only from cash (domain/tenders.py checks the same rules again).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from boxoffice.domain.values import Tender

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class TenderError(ValueError):
    """What the clerk typed does not pay the total (said in the window's words)."""


def _amount(text: str) -> Decimal | None:
    """A typed amount (comma or point), None when empty; InvalidOperation when it is not an amount."""
    raw = text.strip().replace(",", ".")
    if not raw:
        return None
    value = Decimal(raw)
    if not value.is_finite() or value < 0 or value != value.quantize(CENT):
        raise InvalidOperation(raw)
    return value.quantize(CENT)


class TenderPanel(QWidget):
    #: the tenders or the change changed (the window re-checks what Enter may do)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.total = ZERO
        self.method = QComboBox()
        self.method.setObjectName("payment")
        self.method.addItem(self.tr("Cash"), "cash")
        self.method.addItem(self.tr("Card"), "card")
        self.method.addItem(self.tr("Voucher"), "voucher")
        self.split = QCheckBox(self.tr("Split payment"))
        self.split.setObjectName("splitPayment")
        self.split.setToolTip(self.tr("Part by card or voucher, the rest in cash"))
        self.card = QLineEdit()
        self.card.setObjectName("splitCard")
        self.card.setPlaceholderText("0.00")
        self.voucher = QLineEdit()
        self.voucher.setObjectName("splitVoucher")
        self.voucher.setPlaceholderText("0.00")
        self.rest = QLabel()
        self.rest.setObjectName("restDue")
        self.cash_given = QLineEdit()
        self.cash_given.setObjectName("cashGiven")
        self.cash_given.setPlaceholderText(self.tr("cash given (empty: exact)"))
        self.change = QLabel()
        self.change.setObjectName("change")
        self.split_box = QWidget()
        form = QFormLayout(self.split_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Card"), self.card)
        form.addRow(self.tr("Voucher"), self.voucher)
        form.addRow(self.rest)
        self.split_box.setVisible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.method)
        box.addWidget(self.split)
        box.addWidget(self.split_box)
        given = QFormLayout()
        given.setContentsMargins(0, 0, 0, 0)
        self.cash_given_label = QLabel(self.tr("Cash given"))
        given.addRow(self.cash_given_label, self.cash_given)
        box.addLayout(given)
        box.addWidget(self.change)
        self.split.toggled.connect(self.on_split_toggled)
        for field in (self.card, self.voucher, self.cash_given):
            field.textChanged.connect(self.refresh)
        self.method.currentIndexChanged.connect(self.refresh)

    # -- what the window asks ------------------------------------------------------------------------------------------
    def set_total(self, total: Decimal) -> None:
        self.total = total
        self.refresh()

    def clear(self) -> None:
        """After a sale and after Esc: one method again, nothing typed."""
        for field in (self.card, self.voucher, self.cash_given):
            field.clear()
        self.split.setChecked(False)
        self.method.setCurrentIndex(0)
        self.refresh()

    def cash_share(self) -> Decimal:
        """What is paid in cash: the whole total (one method, cash), the rest after card and voucher (split), else 0."""
        if not self.split.isChecked():
            return self.total if self.method.currentData() == "cash" else ZERO
        card, voucher = _amount(self.card.text()) or ZERO, _amount(self.voucher.text()) or ZERO
        return self.total - card - voucher

    def tenders(self) -> tuple[Tender, ...]:
        """The tenders for the current total; :class:`TenderError` (a message for the clerk) when they cannot pay
        it. One method: ``((method, total, given),)``; split: card and voucher as typed, cash the rest."""
        try:
            given = _amount(self.cash_given.text())
            if not self.split.isChecked():
                method = self.method.currentData()
                if self.total == 0:
                    return ()
                if method != "cash":
                    return (Tender(method, self.total),)
                if given is not None and given < self.total:
                    raise TenderError(self.tr("The cash given does not cover {0}.").format(self.total))
                return (Tender("cash", self.total, given),)
            card, voucher = _amount(self.card.text()) or ZERO, _amount(self.voucher.text()) or ZERO
        except InvalidOperation:
            raise TenderError(self.tr("Not an amount: type it like 12.50.")) from None
        rest = self.total - card - voucher
        if rest < 0:
            raise TenderError(self.tr("Card and voucher come to {0} more than the total {1}.").format(
                -rest, self.total))
        if given is not None and given < rest:
            raise TenderError(self.tr("The cash given does not cover the rest, {0}.").format(rest))
        out = [Tender(m, a) for m, a in (("card", card), ("voucher", voucher)) if a > 0]
        if rest > 0:
            out.append(Tender("cash", rest, given))
        return tuple(out)

    def method_name(self, method: str) -> str:
        """The method as the window names it (translated)."""
        index = self.method.findData(method)
        return self.method.itemText(index) if index >= 0 else method

    # -- live figures -------------------------------------------------------------------------------------------------
    def on_split_toggled(self, on: bool) -> None:
        self.split_box.setVisible(on)
        self.method.setEnabled(not on)
        if on:
            self.card.setFocus()
        self.refresh()

    def refresh(self) -> None:
        splitting = self.split.isChecked()
        cash = splitting or self.method.currentData() == "cash"
        self.cash_given.setEnabled(cash)
        self.cash_given_label.setEnabled(cash)
        if not cash:
            self.cash_given.clear()
        try:
            share = self.cash_share()
            given = _amount(self.cash_given.text())
        except InvalidOperation:
            self.rest.setText("")
            self.change.setText(self.tr("Not an amount"))
            self.changed.emit()
            return
        if splitting:
            self.rest.setText(self.tr("Rest in cash {0}").format(share) if share >= 0 else
                              self.tr("{0} too much on card and voucher").format(-share))
        if given is None or not self.total or share <= 0:
            self.change.setText("")
        else:
            change = given - share
            self.change.setText(self.tr("Change {0}").format(change) if change >= 0 else
                                self.tr("{0} short").format(-change))
        self.changed.emit()
