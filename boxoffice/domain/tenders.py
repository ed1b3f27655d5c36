"""Split tender: how an order's total is paid — by one method, or by several (cash, card, voucher).

Rules: each method at most once, each amount more than 0, the amounts add up to the total exactly; only cash gives
change (its ``tendered``, the money handed over, may exceed its amount). Pure: the sale statement writes one payment
row per tender.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from ..errors import BadInput
from . import limits
from .values import PAYMENT_METHODS, Tender

CENT = Decimal("0.01")


def parse(text: str) -> tuple[Tender, ...]:
    """``cash:50,card:90`` (the command line's ``--pay``) → tenders; ``cash:50/60`` says 60 was handed over for a
    cash share of 50. Amounts are checked as prices (two decimals at most, within the price limit)."""
    tenders: list[Tender] = []
    for part in (p.strip() for p in text.split(",")):
        method, sep, amount = part.partition(":")
        method = method.strip().lower()
        if not sep or method not in PAYMENT_METHODS or not amount.strip():
            raise BadInput(reason="bad_tender", methods=", ".join(PAYMENT_METHODS), tender=part)
        share, _slash, given = amount.partition("/")
        tenders.append(Tender(method, _amount(share, part), _amount(given, part) if given.strip() else None))
    return tuple(tenders)


def _amount(raw: str, part: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise BadInput(reason="bad_tender", methods=", ".join(PAYMENT_METHODS), tender=part) from None
    if not value.is_finite():
        raise BadInput(reason="bad_tender", methods=", ".join(PAYMENT_METHODS), tender=part)
    if value <= 0:
        raise BadInput(reason="tender_not_positive", amount=value)
    return limits.check_price("a tender", value).quantize(CENT)


def check(tenders: Sequence[Tender], total: Decimal) -> tuple[Tender, ...]:
    """The tenders of a sale of ``total``, checked: BadInput when a method is unknown or named twice, an amount is
    not positive, cash handed over is short, change is asked of a method other than cash, or the sum is not the
    total."""
    seen: set[str] = set()
    for t in tenders:
        if t.method not in PAYMENT_METHODS:
            raise BadInput(reason="bad_payment", methods=", ".join(PAYMENT_METHODS), payment=t.method)
        if t.method in seen:
            raise BadInput(reason="tender_method_twice", method=t.method)
        seen.add(t.method)
        if t.amount <= 0 and not (t.amount == 0 and total == 0):
            raise BadInput(reason="tender_not_positive", amount=t.amount)
        if t.tendered is not None:
            if t.method != "cash":
                raise BadInput(reason="tendered_not_cash")
            if t.tendered < t.amount:
                raise BadInput(reason="cash_short", tendered=t.tendered, total=t.amount)
    paid = sum((t.amount for t in tenders), Decimal("0.00"))
    if paid != total:
        raise BadInput(reason="tenders_total", paid=paid, total=total)
    return tuple(tenders)


def method_of(tenders: Sequence[Tender]) -> str:
    """What ``orders.payment_method`` says: the one method, or ``split``."""
    return tenders[0].method if len(tenders) == 1 else "split"


def refund_split(paid: Sequence[tuple[str, Decimal]], amount: Decimal) -> list[tuple[str, Decimal]]:
    """How a refund of ``amount`` goes back, given what is still paid per method (net of earlier refunds): card
    first, then voucher, then cash — a card payment returns to the card, and the drawer gives out cash only for the
    rest. Returns (method, amount) with amounts > 0 summing to ``amount`` (any excess over what was paid, which
    cannot happen for a consistent order, goes back in cash)."""
    order = {"card": 0, "voucher": 1, "cash": 2}
    left = amount
    out: list[tuple[str, Decimal]] = []
    for method, net in sorted(paid, key=lambda mp: order.get(mp[0], 3)):
        if left <= 0:
            break
        share = min(left, net)
        if share > 0:
            out.append((method, share))
            left -= share
    if left > 0:
        cash = next((i for i, (m, _a) in enumerate(out) if m == "cash"), None)
        if cash is None:
            out.append(("cash", left))
        else:
            out[cash] = ("cash", out[cash][1] + left)
    return out
