"""What a supervisor looks at: one seat's history, the figures behind the charts, and the outbox monitor.

Every method checks first that the caller is a supervisor (a clerk gets :class:`PermissionDenied`). All of it reads,
except the dead-letter retry, which requeues and writes its audit entry in one transaction.

A seat's history merges two sources by time:

- the durable ``audit_log``: sales, cancellations, exchanges (both directions), the reconciler's repairs and seat-map
  rebuilds, each with its actor and order;
- the session's Redis change stream (``SeatStore.keys(sid).changes``): holds and released holds, which exist only
  there (``deduct.lua`` and ``release.lua`` write the clerk as ``by``, ``release.lua`` the ``reason``).

The stream also announces what the audit log already has (``sold`` after a sale or an exchange, ``free`` after a
cancellation or an exchange, ``repair``, ``rebuild``, and a ``release`` by a supervisor or the reconciler); each such
entry is paired with the nearest audit row of the same kind (within ``PAIR_WINDOW``) and dropped, so a sale shows
once, with its actor and order. An entry with no audit row to pair with (a hold confirmed late by the sweep, the seat
map built when the session was created) is kept as a ``system`` event. The stream is capped (about 10,000 entries
per session), so holds older than that are no longer shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..adapters.repos import reports
from ..adapters.repos.audit import record as audit
from ..adapters.repos.outbox import requeue_dead
from ..adapters.seatstore import SeatStore
from ..adapters.uow import UowFactory
from ..domain.layout import Layout
from ..domain.values import AsDict
from ..errors import BadInput
from .accounts import SUPERVISOR_ROLES, Accounts
from .catalog import Catalog
from .outbox import DeadLetter, OutboxStatus, Relay

#: event kinds of a seat's history, in the words the UI translates
KINDS = ("held", "released", "sold", "cancelled", "exchanged_in", "exchanged_out", "repaired", "rebuilt", "freed")
SYSTEM = "system"
#: stream ops that repeat an audited change → the audit kinds they repeat
_TWINS: dict[str, tuple[str, ...]] = {
    "sold": ("sold", "exchanged_in"),
    "free": ("cancelled", "exchanged_out"),
    "repair": ("repaired",),
    "rebuild": ("rebuilt",),
    "release": ("released", "repaired"),  # only a hold released by a supervisor or the reconciler
}
#: release reasons that the reconciler audits (a forced release, an orphan hold); the others are Redis-only
_AUDITED_RELEASES = ("force", "reconcile")
#: kind of a stream entry that has no audit row to pair with
_UNPAIRED = {"sold": "sold", "free": "freed", "repair": "repaired", "rebuild": "rebuilt"}
#: how far apart (either way) a stream entry and its audit row may be: the audit time is the transaction's start,
#: the stream's the Redis clock after commit (or before, for a rebuild)
PAIR_WINDOW = timedelta(seconds=60)



def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate collects
    return text


#: the templates of a seat event's detail (English; the window says them in the supervisor's language)
DETAILS: dict[str, str] = {
    "sale": QT_TRANSLATE_NOOP("insights", "order {order}: {seats}, total {total}"),
    "payment": QT_TRANSLATE_NOOP("insights", " ({payment})"),
    "paid_with": QT_TRANSLATE_NOOP("insights", ", paid "),
    "refunded_as": QT_TRANSLATE_NOOP("insights", ", refunded "),
    "tender": QT_TRANSLATE_NOOP("insights", "{method} {amount}"),
    "tender_given": QT_TRANSLATE_NOOP("insights", "{method} {amount} (given {given}, change {change})"),
    "plus": QT_TRANSLATE_NOOP("insights", " + "),
    "seat_type": QT_TRANSLATE_NOOP("insights", "; this seat {price_type}"),
    "cancel": QT_TRANSLATE_NOOP("insights", "order {order} cancelled, refund {refund}"),
    "exchange_in": QT_TRANSLATE_NOOP("insights", "order {order} moved here from {seats}"),
    "exchange_out": QT_TRANSLATE_NOOP("insights", "order {order} moved to {seats}"),
    "difference": QT_TRANSLATE_NOOP("insights", ", difference {difference}"),
    "because": QT_TRANSLATE_NOOP("insights", " — {reason}"),
    "force_released_by": QT_TRANSLATE_NOOP("insights", "{clerk}'s hold force-released"),
    "force_released": QT_TRANSLATE_NOOP("insights", "hold force-released"),
    "repair": QT_TRANSLATE_NOOP("insights", "{kind}: {before} → {after}"),
    "actor": QT_TRANSLATE_NOOP("insights", " ({actor})"),
    "rebuilt": QT_TRANSLATE_NOOP("insights", "seat map rebuilt from the database"),
    "built": QT_TRANSLATE_NOOP("insights", "seat map built from the database"),
    "held": QT_TRANSLATE_NOOP("insights", "held: {seats}"),
    "released_by": QT_TRANSLATE_NOOP("insights", "{clerk}'s hold released ({reason}): {seats}"),
    "released": QT_TRANSLATE_NOOP("insights", "hold released ({reason}): {seats}"),
    "unaudited": QT_TRANSLATE_NOOP("insights", "{op} in Redis, no audit entry: {seats}"),
    "redis_reason": QT_TRANSLATE_NOOP("insights", " ({reason})"),
    # the codes a detail names (in English as the backend writes them): payment methods, why a hold ended or a seat
    # was freed, stream operations
    "cash": QT_TRANSLATE_NOOP("insights", "cash"),
    "card": QT_TRANSLATE_NOOP("insights", "card"),
    "voucher": QT_TRANSLATE_NOOP("insights", "voucher"),
    "split": QT_TRANSLATE_NOOP("insights", "split"),
    "compensate": QT_TRANSLATE_NOOP("insights", "compensate"),
    "expired": QT_TRANSLATE_NOOP("insights", "expired"),
    "force": QT_TRANSLATE_NOOP("insights", "force"),
    "reconcile": QT_TRANSLATE_NOOP("insights", "reconcile"),
    "stale": QT_TRANSLATE_NOOP("insights", "stale"),
    "unresolved": QT_TRANSLATE_NOOP("insights", "unresolved"),
    "ended": QT_TRANSLATE_NOOP("insights", "ended"),
    "cancel_code": QT_TRANSLATE_NOOP("insights", "cancel"),
    "exchange": QT_TRANSLATE_NOOP("insights", "exchange"),
    "outbox": QT_TRANSLATE_NOOP("insights", "outbox"),
    "reason_unknown": QT_TRANSLATE_NOOP("insights", "reason unknown"),
    "sold_op": QT_TRANSLATE_NOOP("insights", "sold"),
    "free_op": QT_TRANSLATE_NOOP("insights", "free"),
    "repair_op": QT_TRANSLATE_NOOP("insights", "repair"),
}
_CODES = {"cancel": "cancel_code", "sold": "sold_op", "free": "free_op", "repair": "repair_op",
          **{c: c for c in ("cash", "card", "voucher", "split", "compensate", "expired", "force", "reconcile", "stale", "unresolved",
                            "ended", "exchange", "outbox")}}


class Detail(str):
    """A seat event's detail as English text (a ``str``: printed, compared and sent as JSON like any text) that also
    keeps its parts, each a template key of :data:`DETAILS` and its params (a param may be a Detail itself), so a
    window can say it in the supervisor's language."""

    parts: tuple[tuple[str, dict[str, Any]], ...]

    def __new__(cls, *parts: tuple[str, dict[str, Any]]) -> Detail:
        detail = super().__new__(cls, "".join(DETAILS[key].format(**params) for key, params in parts))
        detail.parts = parts
        return detail

    @classmethod
    def of(cls, key: str, **params: Any) -> Detail:
        return cls((key, params))

    @classmethod
    def code(cls, code: str) -> str:
        """A backend code (a payment method, a release reason) as a Detail the window translates; unknown ones stay."""
        return cls.of(_CODES[code]) if code in _CODES else code

    def __reduce__(self) -> tuple[Any, ...]:
        return (Detail, self.parts)

    def __add__(self, other: str) -> Detail:  # type: ignore[override]
        if isinstance(other, Detail):
            return Detail(*self.parts, *other.parts)
        return NotImplemented


def _money_moved(lead: str, moved: Any) -> Detail:
    """``, paid cash 12.50 (given 20.00, change 7.50) + card 20.00`` from an audit entry's tenders or refunds."""
    if not isinstance(moved, list) or not moved:
        return Detail()
    out = Detail.of(lead)
    for i, t in enumerate(m for m in moved if isinstance(m, dict)):
        if i:
            out += Detail.of("plus")
        method, amount, given = Detail.code(str(t.get("method", "?"))), t.get("amount", "?"), t.get("tendered")
        if given is not None:
            change = Decimal(str(given)) - Decimal(str(amount))
            out += Detail.of("tender_given", method=method, amount=amount, given=given, change=f"{change:.2f}")
        else:
            out += Detail.of("tender", method=method, amount=amount)
    return out


def _because(reason: str) -> Detail:
    return Detail.of("because", reason=reason) if reason else Detail()


@dataclass(frozen=True)
class SeatEvent(AsDict):
    """One thing that happened to one seat."""

    at: datetime  # aware (UTC)
    kind: str  # one of KINDS
    actor: str  # a user name, or "system"
    order_id: int | None
    detail: str  # a Detail (its parts translate)
    source: str  # "audit" (PostgreSQL) or "redis" (the session's change stream)


class SalesBucket(NamedTuple):
    start: datetime  # aware, in the time zone asked for
    seats: int
    revenue: Decimal


class StandOccupancy(NamedTuple):
    stand: str  # the stand's code in the layout
    capacity: int
    sold: int
    held_or_blocked: int

    @property
    def free(self) -> int:
        return self.capacity - self.sold - self.held_or_blocked


class TypeSales(NamedTuple):
    code: str
    name: str
    sold: int
    revenue: Decimal


class ZoneRevenue(NamedTuple):
    code: str
    name: str
    colour: str
    sold: int
    revenue: Decimal


def bucket_unit(span: timedelta) -> str:
    """Bucket size for a sales period: minutes up to 3 hours, hours up to a week, days beyond."""
    if span <= timedelta(hours=3):
        return "minute"
    if span <= timedelta(days=7):
        return "hour"
    return "day"


_STEP = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


def _truncate(t: datetime, unit: str) -> datetime:
    """The start of the minute, hour or day of ``t`` (naive, as PostgreSQL's ``date_trunc``)."""
    t = t.replace(second=0, microsecond=0)
    if unit in ("hour", "day"):
        t = t.replace(minute=0)
    return t.replace(hour=0) if unit == "day" else t


def _ms_time(entry_id: str) -> datetime:
    return datetime.fromtimestamp(int(entry_id.split("-", 1)[0]) / 1000, tz=timezone.utc)


def _labels(values: Any) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list) else str(values)


class Insights:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog, accounts: Accounts, relay: Relay) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        self.accounts = accounts
        self.relay = relay

    def _layout(self, session_id: int) -> Layout:
        return self.catalog.layout(self.catalog.venue_of(session_id))

    # -- seat history ---------------------------------------------------------------------------------------------
    def seat_history(self, username: str, session_id: int, label: str) -> list[SeatEvent]:
        """Every event of one seat, oldest first (audit log and change stream merged)."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        layout = self._layout(session_id)
        label = label.strip()
        seat = layout.by_label.get(label)
        if seat is None:
            raise BadInput(reason="unknown_label", label=label, venue=layout.name)
        with self.uow() as tx:
            rows = reports.seat_audit(tx.session, session_id, label)
        audited = [self._audit_event(r, label) for r in rows]
        streamed = self._stream_events(session_id, seat.index, layout, audited)
        return sorted([*streamed, *audited], key=lambda e: (e.at, e.source == "audit"))

    @staticmethod
    def _audit_event(row: Any, label: str) -> SeatEvent:
        d: dict[str, Any] = row.details or {}
        actor = row.username or SYSTEM
        reason = (row.reason or "").strip()
        because = _because(reason)
        if row.action == "sale":
            kind = "sold"
            detail = Detail.of("sale", order=row.order_id, seats=_labels(d.get("seats", [])),
                               total=d.get("total", "?"))
            tenders = d.get("tenders")
            if isinstance(tenders, list) and (len(tenders) > 1 or any(
                    isinstance(t, dict) and t.get("tendered") is not None for t in tenders)):
                detail += _money_moved("paid_with", tenders)  # split, or cash with change: each tender
            elif d.get("payment"):
                detail += Detail.of("payment", payment=Detail.code(str(d["payment"])))
            types, sold = d.get("price_types"), d.get("seats") or []
            if isinstance(types, list) and label in sold and len(types) == len(sold):
                detail += Detail.of("seat_type", price_type=types[sold.index(label)])
        elif row.action == "cancel":
            kind = "cancelled"
            detail = (Detail.of("cancel", order=row.order_id, refund=d.get("refund", "?"))
                      + _money_moved("refunded_as", d.get("refunds")) + because)
        elif row.action == "exchange":
            if label in (d.get("to") or []):
                kind, detail = "exchanged_in", Detail.of("exchange_in", order=row.order_id,
                                                         seats=_labels(d.get("from", [])))
            else:
                kind, detail = "exchanged_out", Detail.of("exchange_out", order=row.order_id,
                                                          seats=_labels(d.get("to", [])))
            if d.get("difference") not in (None, "0", "0.00"):
                detail += Detail.of("difference", difference=d["difference"])
                detail += _money_moved("paid_with", d.get("tenders")) + _money_moved("refunded_as", d.get("refunds"))
            detail += because
        elif row.action == "repair" and d.get("class") == "hold_release":
            kind = "released"  # a supervisor released a clerk's hold by hand
            before = d.get("before") if isinstance(d.get("before"), dict) else {}
            detail = (Detail.of("force_released_by", clerk=before["clerk"]) if before.get("clerk")
                      else Detail.of("force_released")) + because
        elif row.action == "repair":
            kind = "repaired"
            before, after = d.get("before"), d.get("after")
            if isinstance(before, dict) and label in before:
                before = before[label]
            if isinstance(after, dict) and label in after:
                after = after[label]
            detail = Detail.of("repair", kind=d.get("class", "repair"), before=json.dumps(before, ensure_ascii=False),
                               after=json.dumps(after, ensure_ascii=False)) + because
            if row.username is None and d.get("actor"):
                detail += Detail.of("actor", actor=d["actor"])
        else:  # rebuild: the whole session
            kind = "rebuilt"
            detail = Detail.of("rebuilt") + because
        return SeatEvent(row.at.astimezone(timezone.utc), kind, actor, row.order_id, detail, "audit")

    def _stream_events(self, session_id: int, index: int, layout: Layout, audited: Sequence[SeatEvent]
                       ) -> list[SeatEvent]:
        wanted = str(index)
        entries = []
        for entry_id, f in self.store.changes(session_id):
            seats = [s for s in f.get("seats", "").split(",") if s]
            if f.get("op") == "rebuild" or wanted in seats:
                entries.append((_ms_time(entry_id), f.get("op", ""), seats, f))
        # pair each entry that repeats an audited change with its audit row: closest pairs first
        pairs = sorted(
            (abs(e.at - at), i, j)
            for i, (at, op, _, f) in enumerate(entries) if op in _TWINS
            and (op != "release" or f.get("reason") in _AUDITED_RELEASES)
            for j, e in enumerate(audited) if e.kind in _TWINS[op] and abs(e.at - at) <= PAIR_WINDOW
        )
        paired_entries: set[int] = set()
        paired_rows: set[int] = set()
        for _, i, j in pairs:
            if i not in paired_entries and j not in paired_rows:
                paired_entries.add(i)
                paired_rows.add(j)
        events = []
        for i, (at, op, seats, f) in enumerate(entries):
            if i in paired_entries:
                continue
            by = f.get("by", "")
            named = ", ".join(layout.seats[int(s)].label for s in seats if int(s) < layout.capacity)
            if op == "hold":
                events.append(SeatEvent(at, "held", by or SYSTEM, None, Detail.of("held", seats=named), "redis"))
            elif op == "release":
                reason = f.get("reason", "")
                actor = by if reason == "compensate" and by else SYSTEM  # only a failed sale is the clerk's doing
                why = Detail.code(reason) if reason else Detail.of("reason_unknown")
                detail = (Detail.of("released_by", clerk=by, reason=why, seats=named) if by
                          else Detail.of("released", reason=why, seats=named))
                events.append(SeatEvent(at, "released", actor, None, detail, "redis"))
            elif op in _UNPAIRED:
                if op == "rebuild":
                    detail = Detail.of("built")
                else:
                    detail = Detail.of("unaudited", op=Detail.code(op), seats=named)
                    if f.get("reason"):
                        detail += Detail.of("redis_reason", reason=Detail.code(f["reason"]))
                events.append(SeatEvent(at, _UNPAIRED[op], by or SYSTEM, None, detail, "redis"))
        return events

    # -- charts ---------------------------------------------------------------------------------------------------
    def sales_over_time(self, username: str, session_id: int, tz: str = "UTC") -> list[SalesBucket]:
        """Seats sold and revenue of the live order lines per minute, hour or day (chosen from the span of the
        sales) of their orders' creation, in time zone ``tz``; empty buckets in between are included."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadInput(reason="unknown_time_zone", tz=tz) from None
        self.catalog.venue_of(session_id)  # an unknown session is NotFound
        with self.uow() as tx:
            first, last = reports.sales_span(tx.session, session_id)
            if first is None or last is None:
                return []
            # the buckets run on to the present: the minutes after the last live sale (an exchange keeps its
            # order's time, a cancelled sale has no live lines) show as nothing sold, not as the chart's end
            now = max(datetime.now(timezone.utc), last)
            unit = bucket_unit(now - first)
            rows = reports.sales_buckets(tx.session, session_id, unit, tz)
        found = {b: (n, r) for b, n, r in rows}
        out, step, b = [], _STEP[unit], rows[0][0]
        end = _truncate(now.astimezone(zone).replace(tzinfo=None), unit)
        while b <= end:
            n, r = found.get(b, (0, Decimal("0.00")))
            out.append(SalesBucket(b.replace(tzinfo=zone), n, r))
            b += step
        return out

    def occupancy_by_stand(self, username: str, session_id: int) -> list[StandOccupancy]:
        """Per stand of the layout (in its order): seats, sold, and held or blocked, from the database."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        layout = self._layout(session_id)
        with self.uow() as tx:
            rows = reports.taken_seats(tx.session, session_id)
        capacity = {st.code: 0 for st in layout.stands}
        sold = dict.fromkeys(capacity, 0)
        other = dict.fromkeys(capacity, 0)
        for seat in layout.seats:
            capacity[seat.stand] = capacity.get(seat.stand, 0) + 1
        for idx, status in rows:
            if not 0 <= idx < layout.capacity:
                continue
            stand = layout.seats[idx].stand
            if status == "sold":
                sold[stand] = sold.get(stand, 0) + 1
            else:
                other[stand] = other.get(stand, 0) + 1
        return [StandOccupancy(code, n, sold.get(code, 0), other.get(code, 0)) for code, n in capacity.items()]

    def revenue_by_zone(self, username: str, session_id: int) -> list[ZoneRevenue]:
        """Per price zone of the layout (in its order): seats sold and revenue of the live order lines."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        layout = self._layout(session_id)
        with self.uow() as tx:
            found = reports.revenue_by_zone(tx.session, session_id)
        out = [ZoneRevenue(z.code, z.name, z.color, *found.pop(z.code, (0, Decimal("0.00")))) for z in layout.zones]
        out += [ZoneRevenue(code, code, "#888888", n, r) for code, (n, r) in sorted(found.items())]
        return out

    def sales_by_price_type(self, username: str, session_id: int) -> list[TypeSales]:
        """Per price type (the venue's types in order, then any other code sold): seats sold and revenue of the live
        order lines; a type the venue has but nobody bought shows with 0."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        with self.uow() as tx:
            found = reports.sales_by_price_type(tx.session, session_id)
            known = reports.type_names(tx.session, [session_id])
        out = [TypeSales(code, name, *found.pop(code, (0, Decimal("0.00")))) for code, name in known]
        out += [TypeSales(code, code, n, r) for code, (n, r) in sorted(found.items())]
        return out

    # -- outbox monitor -------------------------------------------------------------------------------------------
    def outbox_status(self, username: str) -> OutboxStatus:
        self.accounts.require(username, SUPERVISOR_ROLES)
        return self.relay.status()

    def dead_letters(self, username: str, limit: int = 100) -> list[DeadLetter]:
        self.accounts.require(username, SUPERVISOR_ROLES)
        return self.relay.dead_letters(limit)

    def retry_dead(self, username: str, message_id: int | None = None,
                   reason: str = "retried from the outbox monitor") -> int:
        """Requeue one dead letter (or all of them); audited as ``outbox_retry`` with actor and reason in the same
        transaction. Returns how many were requeued."""
        user = self.accounts.require(username, SUPERVISOR_ROLES)
        reason = reason.strip()
        if not reason:
            raise BadInput(reason="retry_needs_reason")
        with self.uow() as tx:
            n = requeue_dead(tx.session, message_id)
            if n:
                audit(tx.session, "outbox_retry", user.user_id, reason=reason,
                      details={"message_id": message_id, "requeued": n})
            tx.commit()
        return n
