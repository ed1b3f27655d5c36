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

@dataclass(frozen=True)
class SeatEvent(AsDict):
    """One thing that happened to one seat."""

    at: datetime  # aware (UTC)
    kind: str  # one of KINDS
    actor: str  # a user name, or "system"
    order_id: int | None
    detail: str
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
        because = f" — {reason}" if reason else ""
        if row.action == "sale":
            kind = "sold"
            detail = f"order {row.order_id}: {_labels(d.get('seats', []))}, total {d.get('total', '?')}"
            if d.get("payment"):
                detail += f" ({d['payment']})"
        elif row.action == "cancel":
            kind = "cancelled"
            detail = f"order {row.order_id} cancelled, refund {d.get('refund', '?')}{because}"
        elif row.action == "exchange":
            if label in (d.get("to") or []):
                kind, detail = "exchanged_in", f"order {row.order_id} moved here from {_labels(d.get('from', []))}"
            else:
                kind, detail = "exchanged_out", f"order {row.order_id} moved to {_labels(d.get('to', []))}"
            if d.get("difference") not in (None, "0", "0.00"):
                detail += f", difference {d['difference']}"
            detail += because
        elif row.action == "repair" and d.get("class") == "hold_release":
            kind = "released"  # a supervisor released a clerk's hold by hand
            before = d.get("before") if isinstance(d.get("before"), dict) else {}
            whose = f"{before['clerk']}'s hold" if before.get("clerk") else "hold"
            detail = f"{whose} force-released{because}"
        elif row.action == "repair":
            kind = "repaired"
            before, after = d.get("before"), d.get("after")
            if isinstance(before, dict) and label in before:
                before = before[label]
            if isinstance(after, dict) and label in after:
                after = after[label]
            detail = (f"{d.get('class', 'repair')}: {json.dumps(before, ensure_ascii=False)} → "
                      f"{json.dumps(after, ensure_ascii=False)}{because}")
            if row.username is None and d.get("actor"):
                detail += f" ({d['actor']})"
        else:  # rebuild: the whole session
            kind = "rebuilt"
            detail = f"seat map rebuilt from the database{because}"
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
                events.append(SeatEvent(at, "held", by or SYSTEM, None, f"held: {named}", "redis"))
            elif op == "release":
                reason = f.get("reason", "")
                actor = by if reason == "compensate" and by else SYSTEM  # only a failed sale is the clerk's doing
                whose = f"{by}'s hold" if by else "hold"
                events.append(SeatEvent(at, "released", actor, None,
                                        f"{whose} released ({reason or 'reason unknown'}): {named}", "redis"))
            elif op in _UNPAIRED:
                if op == "rebuild":
                    detail = "seat map built from the database"
                else:
                    detail = f"{op} in Redis, no audit entry: {named}"
                    if f.get("reason"):
                        detail += f" ({f['reason']})"
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
