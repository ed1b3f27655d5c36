"""The end-of-day report (the settlement a venue sends to the club or promoter), built from grouped rows.

Pure: no database, no Qt. :func:`build` takes what the queries return (adapters/repos/reports.py) and makes the four
sections and their totals:

- **sessions**: per session, the seats sold on the day that are still sold (live order lines of the day's orders),
  the comps among them (price 0, or a type that needs a supervisor), the day's refunds (operations and amount), the
  seats held and free *right now*, the payments taken and the gross (payments − refunds), and the occupancy now
  (seats sold now / capacity, in %);
- **clerks**: per clerk, the orders they sold on the day, the seats of those orders, and the money they handled
  (payments, refunds, gross, net per payment method);
- **methods**: per payment method (always cash, card and voucher): payments, refund rows and amount, net;
- **types**: per price type: seats sold on the day (still sold) and their face value.

Money is :class:`~decimal.Decimal` throughout, rounded to cents only where it is a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .values import PAYMENT_METHODS, AsDict

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PCT = Decimal("0.1")
#: the key of a section's totals row (in the CSV and the JSON)
TOTAL = "TOTAL"
SECTIONS = ("sessions", "clerks", "methods", "types")
#: the CSV's columns: one header for every section (a section uses the columns it has, the others stay empty)
CSV_COLUMNS = ("section", "key", "name", "starts_at", "orders", "seats", "comps", "refunds", "refunded", "held", "free",
               "capacity", "sold_now", "occupancy_pct", "payments", "cash", "card", "voucher", "gross")


# -- the rows the queries give ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionFacts:
    """A session with activity on the day, and its seats right now."""

    session_id: int
    name: str
    venue: str
    starts_at: datetime
    capacity: int
    sold_now: int
    held_now: int
    free_now: int


@dataclass(frozen=True)
class LineGroup:
    """Live order lines of the day's orders, grouped: ``seats`` lines, ``face`` the sum of their prices."""

    session_id: int
    clerk: str  # the seller (orders.user_id)
    price_type: str
    comp: bool
    seats: int
    face: Decimal


@dataclass(frozen=True)
class OrderGroup:
    session_id: int
    clerk: str
    orders: int


@dataclass(frozen=True)
class MoneyGroup:
    """Payment rows of the day, grouped: ``rows`` rows of ``kind`` (payment|refund) summing to ``amount``.
    ``clerk`` handled the money: the user of the till shift it went into or came out of (the order's seller when
    no till was open)."""

    session_id: int
    clerk: str
    method: str
    kind: str
    rows: int
    amount: Decimal


@dataclass(frozen=True)
class RefundGroup:
    """Refund operations of the day (one cancel or exchange refund, however many tenders it went back to)."""

    session_id: int
    clerk: str
    refunds: int


# -- the sections ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionLine(AsDict):
    key: str
    name: str
    starts_at: datetime | None
    seats: int
    comps: int
    refunds: int
    refunded: Decimal
    held: int
    free: int
    capacity: int
    sold_now: int
    occupancy_pct: Decimal
    payments: Decimal
    gross: Decimal


@dataclass(frozen=True)
class ClerkLine(AsDict):
    key: str
    name: str
    orders: int
    seats: int
    refunds: int
    refunded: Decimal
    payments: Decimal
    gross: Decimal
    by_method: dict[str, Decimal]


@dataclass(frozen=True)
class MethodLine(AsDict):
    key: str
    name: str
    payments: Decimal
    refunds: int
    refunded: Decimal
    gross: Decimal


@dataclass(frozen=True)
class TypeLine(AsDict):
    key: str
    name: str
    seats: int
    comps: int
    gross: Decimal


def occupancy(sold: int, capacity: int) -> Decimal:
    """Seats sold as a percentage of the capacity, to one decimal (0 for no capacity)."""
    if capacity <= 0:
        return Decimal("0.0")
    return (Decimal(sold) * 100 / Decimal(capacity)).quantize(PCT, rounding=ROUND_HALF_UP)


def _money(v: Decimal | int) -> Decimal:
    return Decimal(v).quantize(CENT)


@dataclass(frozen=True)
class DayReport(AsDict):
    day: date
    tz: str
    start: datetime  # aware: local midnight starting the day
    end: datetime  # aware: the next local midnight (excluded)
    generated_at: datetime
    currency: str
    sessions: tuple[SessionLine, ...]
    clerks: tuple[ClerkLine, ...]
    methods: tuple[MethodLine, ...]
    types: tuple[TypeLine, ...]
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.sessions

    def to_dict(self) -> dict[str, Any]:
        """The JSON the CLI prints and the PDF writer draws: money as strings, each section a list of rows and its
        totals under ``totals[section]``."""
        d = self.as_dict()
        d["day"] = self.day.isoformat()
        return d

    def csv_rows(self) -> list[dict[str, str]]:
        """One row per line of every section and a ``TOTAL`` row after each, keyed by :data:`CSV_COLUMNS`."""
        out: list[dict[str, str]] = []
        for section in SECTIONS:
            lines = [line.as_dict() for line in getattr(self, section)]
            for d in [*lines, self.totals[section]]:
                row = dict.fromkeys(CSV_COLUMNS, "")
                row["section"] = section
                for k, v in d.items():
                    if k == "by_method":
                        for m, amount in v.items():
                            row[m] = str(amount)
                    elif k in row and k != "section":
                        row[k] = "" if v is None else str(v)
                out.append(row)
        return out


def build(day: date, tz: str, start: datetime, end: datetime, generated_at: datetime, currency: str, *,
          sessions: Iterable[SessionFacts], lines: Iterable[LineGroup], orders: Iterable[OrderGroup],
          money: Iterable[MoneyGroup], refunds: Iterable[RefundGroup], clerk_names: Mapping[str, str],
          type_names: Mapping[str, str], type_order: Iterable[str] = ()) -> DayReport:
    """The report from the grouped rows: sections in a stable order (sessions by start then id, clerks and types by
    name/position, methods as :data:`PAYMENT_METHODS`), each with its totals."""
    facts = {f.session_id: f for f in sessions}
    lines, orders, money, refunds = list(lines), list(orders), list(money), list(refunds)
    sids = set(facts) | {x.session_id for x in (*lines, *orders, *money, *refunds)}
    for sid in sids - set(facts):  # a session with activity but no facts (should not happen): still counted
        facts[sid] = SessionFacts(sid, f"session {sid}", "", datetime.min, 0, 0, 0, 0)

    def money_sum(pred: Any) -> Decimal:
        return _money(sum((m.amount for m in money if pred(m)), ZERO))

    # sessions
    session_lines = []
    for f in sorted(facts.values(), key=lambda f: (f.starts_at.replace(tzinfo=None), f.session_id)):
        sid = f.session_id
        paid = money_sum(lambda m, sid=sid: m.session_id == sid and m.kind == "payment")
        back = money_sum(lambda m, sid=sid: m.session_id == sid and m.kind == "refund")
        session_lines.append(SessionLine(
            key=str(sid), name=f"{f.name} — {f.venue}" if f.venue else f.name,
            starts_at=None if f.starts_at == datetime.min else f.starts_at,
            seats=sum(g.seats for g in lines if g.session_id == sid),
            comps=sum(g.seats for g in lines if g.session_id == sid and g.comp),
            refunds=sum(r.refunds for r in refunds if r.session_id == sid), refunded=back,
            held=f.held_now, free=f.free_now, capacity=f.capacity, sold_now=f.sold_now,
            occupancy_pct=occupancy(f.sold_now, f.capacity), payments=paid, gross=paid - back))

    # clerks
    clerks = {x.clerk for x in (*lines, *orders, *money, *refunds)}
    clerk_lines = []
    for c in sorted(clerks):
        paid = money_sum(lambda m, c=c: m.clerk == c and m.kind == "payment")
        back = money_sum(lambda m, c=c: m.clerk == c and m.kind == "refund")
        by_method = {meth: money_sum(lambda m, c=c, meth=meth: m.clerk == c and m.method == meth
                                     and m.kind == "payment")
                     - money_sum(lambda m, c=c, meth=meth: m.clerk == c and m.method == meth and m.kind == "refund")
                     for meth in PAYMENT_METHODS}
        clerk_lines.append(ClerkLine(
            key=c, name=clerk_names.get(c, c), orders=sum(o.orders for o in orders if o.clerk == c),
            seats=sum(g.seats for g in lines if g.clerk == c), refunds=sum(r.refunds for r in refunds if r.clerk == c),
            refunded=back, payments=paid, gross=paid - back, by_method=by_method))

    # methods (every known one, and any other found)
    methods = list(PAYMENT_METHODS) + sorted({m.method for m in money} - set(PAYMENT_METHODS))
    method_lines = []
    for meth in methods:
        paid = money_sum(lambda m, meth=meth: m.method == meth and m.kind == "payment")
        back = money_sum(lambda m, meth=meth: m.method == meth and m.kind == "refund")
        method_lines.append(MethodLine(
            key=meth, name=meth, payments=paid,
            refunds=sum(m.rows for m in money if m.method == meth and m.kind == "refund"), refunded=back,
            gross=paid - back))

    # price types: in the venue's order, then any other code
    order = {code: i for i, code in enumerate(type_order)}
    codes = sorted({g.price_type for g in lines}, key=lambda c: (order.get(c, len(order)), c))
    type_lines = [TypeLine(key=code, name=type_names.get(code, code),
                           seats=sum(g.seats for g in lines if g.price_type == code),
                           comps=sum(g.seats for g in lines if g.price_type == code and g.comp),
                           gross=_money(sum((g.face for g in lines if g.price_type == code), ZERO)))
                  for code in codes]

    capacity = sum(s.capacity for s in session_lines)
    sold_now = sum(s.sold_now for s in session_lines)
    totals: dict[str, Any] = {
        "sessions": {
            "key": TOTAL, "name": "", "seats": sum(s.seats for s in session_lines),
            "comps": sum(s.comps for s in session_lines), "refunds": sum(s.refunds for s in session_lines),
            "refunded": _money(sum((s.refunded for s in session_lines), ZERO)),
            "held": sum(s.held for s in session_lines), "free": sum(s.free for s in session_lines),
            "capacity": capacity, "sold_now": sold_now, "occupancy_pct": occupancy(sold_now, capacity),
            "payments": _money(sum((s.payments for s in session_lines), ZERO)),
            "gross": _money(sum((s.gross for s in session_lines), ZERO)),
        },
        "clerks": {
            "key": TOTAL, "name": "", "orders": sum(c.orders for c in clerk_lines),
            "seats": sum(c.seats for c in clerk_lines), "refunds": sum(c.refunds for c in clerk_lines),
            "refunded": _money(sum((c.refunded for c in clerk_lines), ZERO)),
            "payments": _money(sum((c.payments for c in clerk_lines), ZERO)),
            "gross": _money(sum((c.gross for c in clerk_lines), ZERO)),
            "by_method": {meth: _money(sum((c.by_method[meth] for c in clerk_lines), ZERO))
                          for meth in PAYMENT_METHODS},
        },
        "methods": {
            "key": TOTAL, "name": "", "payments": _money(sum((m.payments for m in method_lines), ZERO)),
            "refunds": sum(m.refunds for m in method_lines),
            "refunded": _money(sum((m.refunded for m in method_lines), ZERO)),
            "gross": _money(sum((m.gross for m in method_lines), ZERO)),
        },
        "types": {
            "key": TOTAL, "name": "", "seats": sum(t.seats for t in type_lines),
            "comps": sum(t.comps for t in type_lines),
            "gross": _money(sum((t.gross for t in type_lines), ZERO)),
        },
    }
    return DayReport(day, tz, start, end, generated_at, currency, tuple(session_lines), tuple(clerk_lines),
                     tuple(method_lines), tuple(type_lines), totals)
