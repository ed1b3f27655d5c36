"""A till shift's figures, from its rows (pure): expected cash, variance, totals per payment method, the count by
denomination, and the trace of a variance to the orders and seats that could explain it.

Expected cash = opening float + cash taken − change − cash refunds − payouts − drops, where cash taken is what the
customers handed over for cash payments (``tendered``, or the amount when no tendered was recorded) and change is
``tendered − amount``. Variance = counted − expected (negative: a shortage).

The trace lists every order with a payment or refund in the shift, with its seats and its tenders, flagged:

- ``cash_no_change``: a cash payment with no cash handed over recorded (exact money claimed: a favourite hiding place
  of a change error);
- ``cash_refund``: cash paid back out of this till;
- ``comp``: a seat priced 0, or of a price type that needs a supervisor;
- ``split``: paid by more than one method;
- ``tender_mismatch``: its payments minus refunds (all tills) do not add up to its live seats' prices.

With a variance, :func:`candidates` ranks the orders by how well they explain it: an order whose cash amount, change
or cash refund equals the variance's size first, then the flagged ones, then any other cash order by how close its
cash amounts come.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import BadInput
from . import limits
from .values import PAYMENT_METHODS

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: how many kinds of note or coin a count may list, and how many of one kind
MAX_DENOMINATIONS = 40
MAX_PIECES = 100_000


@dataclass(frozen=True)
class PaymentRow:
    """One payment or refund row of an order (``shift_id``: the till it went into or came out of)."""

    order_id: int
    kind: str  # payment | refund
    method: str
    amount: Decimal
    tendered: Decimal | None = None
    shift_id: int | None = None

    @property
    def change(self) -> Decimal:
        if self.kind != "payment" or self.method != "cash" or self.tendered is None:
            return ZERO
        return self.tendered - self.amount

    @property
    def cash_in(self) -> Decimal:
        """Cash that went into the drawer for this row (payments only)."""
        if self.kind != "payment" or self.method != "cash":
            return ZERO
        return self.amount if self.tendered is None else self.tendered


@dataclass(frozen=True)
class SeatRow:
    order_id: int
    label: str
    zone: str
    price_type: str
    price: Decimal
    active: bool = True
    ended: str | None = None


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    session_id: int
    status: str
    total: Decimal
    clerk: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class Movement:
    kind: str  # drop | payout
    amount: Decimal
    reason: str | None = None
    actor: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class CashFigures:
    opening_float: Decimal
    cash_taken: Decimal
    change: Decimal
    cash_refunds: Decimal
    payouts: Decimal
    drops: Decimal

    @property
    def expected(self) -> Decimal:
        return (self.opening_float + self.cash_taken - self.change - self.cash_refunds - self.payouts
                - self.drops)

    def as_dict(self) -> dict[str, str]:
        return {"opening_float": str(self.opening_float), "cash_taken": str(self.cash_taken),
                "change": str(self.change), "cash_refunds": str(self.cash_refunds), "payouts": str(self.payouts),
                "drops": str(self.drops), "expected": str(self.expected)}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def cash_figures(shift_id: int, opening_float: Decimal, payments: Iterable[PaymentRow],
                 movements: Iterable[Movement]) -> CashFigures:
    """The drawer's figures from the shift's rows (rows of other tills, in ``payments``, are left out)."""
    own = [p for p in payments if p.shift_id == shift_id]
    moves = list(movements)
    return CashFigures(
        opening_float=_money(opening_float),
        cash_taken=_money(sum((p.cash_in for p in own), ZERO)),
        change=_money(sum((p.change for p in own), ZERO)),
        cash_refunds=_money(sum((p.amount for p in own if p.kind == "refund" and p.method == "cash"), ZERO)),
        payouts=_money(sum((m.amount for m in moves if m.kind == "payout"), ZERO)),
        drops=_money(sum((m.amount for m in moves if m.kind == "drop"), ZERO)),
    )


def by_method(shift_id: int, payments: Iterable[PaymentRow]) -> dict[str, dict[str, str]]:
    """Per payment method (every known one, then any other seen): payments, refunds and net, of this shift."""
    out: dict[str, dict[str, Decimal]] = {m: {"payments": ZERO, "refunds": ZERO} for m in PAYMENT_METHODS}
    for p in payments:
        if p.shift_id != shift_id:
            continue
        row = out.setdefault(p.method, {"payments": ZERO, "refunds": ZERO})
        row["payments" if p.kind == "payment" else "refunds"] += p.amount
    return {m: {"payments": str(_money(v["payments"])), "refunds": str(_money(v["refunds"])),
                "net": str(_money(v["payments"] - v["refunds"]))} for m, v in out.items()}


# -- the count --------------------------------------------------------------------------------------------------------
def _amount(raw: object, what: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise BadInput(reason="bad_count", part=limits.short(raw)) from None
    if not value.is_finite():
        raise BadInput(reason="bad_count", part=limits.short(raw))
    return limits.check_price(what, value)


def parse_count(text: str) -> dict[str, int]:
    """``50x3,20x5,0.5x4`` (the command line's ``--count``) → {"50.00": 3, "20.00": 5, "0.50": 4}."""
    detail: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        value, sep, pieces = part.lower().partition("x")
        if not sep or not pieces.strip().isdigit():
            raise BadInput(reason="bad_count", part=limits.short(part))
        key = str(_amount(value, "a denomination").quantize(CENT))
        detail[key] = detail.get(key, 0) + int(pieces.strip())
    return normalise_count(detail)


def normalise_count(detail: Mapping[str, object]) -> dict[str, int]:
    """A count by denomination checked: each denomination a positive amount, each number of pieces a whole number
    from 0; keys as two-decimal text, highest first; denominations counted 0 times dropped."""
    if len(detail) > MAX_DENOMINATIONS:
        raise BadInput(reason="count_too_long", maximum=MAX_DENOMINATIONS)
    out: dict[Decimal, int] = {}
    for raw, pieces in detail.items():
        value = _amount(raw, "a denomination").quantize(CENT)
        if value <= 0:
            raise BadInput(reason="bad_count", part=limits.short(raw))
        if isinstance(pieces, bool) or not isinstance(pieces, int) or not 0 <= pieces <= MAX_PIECES:
            raise BadInput(reason="bad_count_pieces", denomination=str(value), pieces=limits.short(pieces),
                           maximum=MAX_PIECES)
        out[value] = out.get(value, 0) + pieces
    return {str(v): n for v, n in sorted(out.items(), reverse=True) if n}


def count_total(detail: Mapping[str, int]) -> Decimal:
    return _money(sum((Decimal(k) * n for k, n in detail.items()), ZERO))


def check_counted(value: Decimal) -> Decimal:
    """A counted total: an amount from 0 with at most two decimals."""
    return _money(limits.check_price("the counted cash", value))


# -- the trace ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderTrace:
    order_id: int
    session_id: int
    status: str
    clerk: str
    total: Decimal
    created_at: datetime | None
    seats: tuple[SeatRow, ...]
    payments: tuple[PaymentRow, ...]  # all the order's rows (any till)
    flags: tuple[str, ...]
    paid_net: Decimal
    live_total: Decimal
    explains: tuple[str, ...] = field(default=())

    @property
    def mismatch(self) -> bool:
        return self.paid_net != self.live_total

    def as_dict(self, shift_id: int) -> dict[str, Any]:
        return {
            "order_id": self.order_id, "session_id": self.session_id, "status": self.status, "clerk": self.clerk,
            "total": str(self.total), "created_at": self.created_at.isoformat() if self.created_at else None,
            "seats": [{"label": s.label, "zone": s.zone, "price_type": s.price_type, "price": str(s.price),
                       "live": s.active, **({"ended": s.ended} if s.ended else {})} for s in self.seats],
            "tenders": [{"kind": p.kind, "method": p.method, "amount": str(p.amount),
                         "tendered": None if p.tendered is None else str(p.tendered),
                         "change": str(p.change), "this_till": p.shift_id == shift_id} for p in self.payments],
            "paid_net": str(self.paid_net), "live_total": str(self.live_total), "flags": list(self.flags),
        }


def trace(shift_id: int, orders: Sequence[OrderRow], seats: Sequence[SeatRow], payments: Sequence[PaymentRow],
          comp_types: Iterable[tuple[int, str]] = ()) -> list[OrderTrace]:
    """Every order with a row in the shift, with its seats and tenders, flagged (see the module's text).
    ``comp_types``: (session id, price type) pairs whose type needs a supervisor."""
    comps = set(comp_types)
    seats_of: dict[int, list[SeatRow]] = {}
    for s in seats:
        seats_of.setdefault(s.order_id, []).append(s)
    pays_of: dict[int, list[PaymentRow]] = {}
    for p in payments:
        pays_of.setdefault(p.order_id, []).append(p)
    out = []
    for o in sorted(orders, key=lambda o: o.order_id):
        pays = pays_of.get(o.order_id, [])
        mine = [p for p in pays if p.shift_id == shift_id]
        if not mine:
            continue
        own_seats = seats_of.get(o.order_id, [])
        live = [s for s in own_seats if s.active]
        flags = []
        if any(p.kind == "payment" and p.method == "cash" and p.tendered is None for p in mine):
            flags.append("cash_no_change")
        if any(p.kind == "refund" and p.method == "cash" for p in mine):
            flags.append("cash_refund")
        if any(s.price == 0 or (o.session_id, s.price_type) in comps for s in own_seats):
            flags.append("comp")
        if len({p.method for p in pays if p.kind == "payment"}) > 1:
            flags.append("split")
        paid = sum((p.amount if p.kind == "payment" else -p.amount for p in pays), ZERO)
        live_total = sum((s.price for s in live), ZERO)
        if paid != live_total:
            flags.append("tender_mismatch")
        out.append(OrderTrace(o.order_id, o.session_id, o.status, o.clerk, o.total, o.created_at,
                              tuple(own_seats), tuple(pays), tuple(flags), _money(paid), _money(live_total)))
    return out


_SUSPECT = ("cash_no_change", "cash_refund", "comp", "tender_mismatch")


def candidates(shift_id: int, orders: Sequence[OrderTrace], variance: Decimal) -> list[dict[str, Any]]:
    """The orders that could explain ``variance``, best first: rank 0 when one of its cash figures in this till (a
    cash amount, the change given, a cash refund) equals |variance|; rank 1 when flagged suspect; rank 2 for any
    other order with cash in this till, closest first. Empty when the drawer balances."""
    if variance == 0:
        return []
    size = abs(variance)
    ranked = []
    for o in orders:
        cash = [p for p in o.payments if p.shift_id == shift_id and p.method == "cash"]
        suspect = [f for f in o.flags if f in _SUSPECT]
        if not cash and not suspect:
            continue
        why = []
        for p in cash:
            if p.kind == "payment" and p.amount == size:
                why.append(f"cash amount {p.amount}")
            if p.change and p.change == size:
                why.append(f"change {p.change}")
            if p.kind == "refund" and p.amount == size:
                why.append(f"cash refund {p.amount}")
        figures = [p.amount for p in cash] + [p.change for p in cash if p.change]
        distance = min((abs(f - size) for f in figures), default=size)
        rank = 0 if why else 1 if suspect else 2
        ranked.append((rank, distance, o.order_id, {
            "order_id": o.order_id, "rank": rank, "matches": why, "flags": list(o.flags),
            "seats": [s.label for s in o.seats], "distance": str(_money(distance)),
            "cash": [f"{'-' if p.kind == 'refund' else ''}{p.amount}" for p in cash],
        }))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in ranked]


def mismatches(orders: Sequence[OrderTrace]) -> list[dict[str, Any]]:
    """The orders whose tenders (payments − refunds) do not add up to their live seats' prices."""
    return [{"order_id": o.order_id, "paid_net": str(o.paid_net), "live_total": str(o.live_total),
             "difference": str(o.paid_net - o.live_total)} for o in orders if o.mismatch]
