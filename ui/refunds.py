"""How a refund goes back, in words, for the order windows (cancel, exchange)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from .i18n import word


def refund_plan_text(plan: list[tuple[str, Decimal]]) -> str:
    """How a refund goes back, in words: "Give 90.00 in cash; 100.00 back to the card" (cash first: what the clerk
    hands over). ``plan`` is :func:`boxoffice.domain.tenders.refund_split`'s (method, amount) list."""
    words = {"cash": QCoreApplication.translate("OrderDialog", "Give {0} in cash"),
             "card": QCoreApplication.translate("OrderDialog", "{0} back to the card"),
             "voucher": QCoreApplication.translate("OrderDialog", "{0} back as a voucher")}
    ranked = sorted(plan, key=lambda mp: {"cash": 0, "card": 1, "voucher": 2}.get(mp[0], 3))
    return "; ".join(words.get(m, "{0} " + word(m)).format(a) for m, a in ranked if a > 0)
