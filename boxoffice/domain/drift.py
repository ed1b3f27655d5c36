"""Drift between Redis, the database and the stock ledger, classified (DESIGN §6): pure code, no I/O.

The reconciler reads both sides (:class:`DbPicture` from the database, a :class:`RedisPicture` — the seat store's
``Inspection`` — from Redis); :func:`classify` names every difference with one of :data:`CLASSES`, and
:func:`drifts` / :func:`kept` / :func:`session_report` turn what was found into the report a supervisor reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from .bitmap import count, set_bits
from .events import InvalidEvent, parse
from .layout import Layout
from .values import AsDict, SessionInfo


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate collects
    """Marks ``text`` for translation under ``context`` (lupdate reads this file; the domain imports no Qt)."""
    return text


#: drift classes, most urgent first
CLASSES: tuple[str, ...] = (
    "lost_seat", "redis_missing", "unconfirmed_sale", "stale_sale", "orphan_hold", "stale_stock", "ledger_behind",
    "dead_letter", "unknown", "check_failed",
)
#: what each drift class means (the supervisor's window shows it in the supervisor's language)
DESCRIPTIONS: dict[str, str] = {
    "lost_seat": QT_TRANSLATE_NOOP("drift", "sold or blocked in the database, free in Redis: another clerk could sell it (oversell risk)"),
    "redis_missing": QT_TRANSLATE_NOOP("drift", "the session has no seat map in Redis"),
    "unconfirmed_sale": QT_TRANSLATE_NOOP("drift", "sold in the database, taken in Redis but not recorded as sold by this order line"),
    "stale_sale": QT_TRANSLATE_NOOP("drift", "sold in Redis, free in the database: a cancel or exchange never reached Redis"),
    "orphan_hold": QT_TRANSLATE_NOOP("drift", "taken in Redis by no live hold, free in the database: the seat cannot be sold"),
    "stale_stock": QT_TRANSLATE_NOOP("drift", "the Redis stock counter differs from the free seats of its own bitmap"),
    "ledger_behind": QT_TRANSLATE_NOOP("drift", "the stock ledger differs from the live order lines (after the outbox backlog)"),
    "dead_letter": QT_TRANSLATE_NOOP("drift", "outbox messages of this session were dead-lettered: the ledger lacks them until they are retried"),
    "unknown": QT_TRANSLATE_NOOP("drift", "a difference no other class explains (repaired by rebuilding Redis from the database)"),
    "check_failed": QT_TRANSLATE_NOOP("drift", "the session could not be checked (the error is shown); the other sessions were"),
}
CRITICAL = frozenset({"lost_seat", "redis_missing"})

#: the words of a session-level finding, by key; ``str.format`` fields are the :class:`Note`'s params. The English
#: text is what ``reconcile`` prints and what two passes compare; the supervisor's window translates the template.
NOTES: dict[str, str] = {
    "ledger_zone": QT_TRANSLATE_NOOP("drift", "zone {zone}: ledger {have_seats} seats / {have_revenue}, orders say "
                                              "{want_seats} / {want_revenue}"),
    "lost_messages": QT_TRANSLATE_NOOP("drift", "{count} outbox message(s) queued or published long ago and never "
                                                "applied (ids {ids}): the stream lost them"),
    "dead_messages": QT_TRANSLATE_NOOP("drift", "{count} outbox message(s) dead-lettered (ids {ids}): retry them"),
    "capacity": QT_TRANSLATE_NOOP("drift", "capacity {redis} in Redis, {database} in the database"),
    "on_sale": QT_TRANSLATE_NOOP("drift", "Redis says on sale, the database the opposite"),
    "not_on_sale": QT_TRANSLATE_NOOP("drift", "Redis says not on sale, the database the opposite"),
    "bits_beyond": QT_TRANSLATE_NOOP("drift", "{count} bit(s) set past the session's {capacity} seats"),
    "stock": QT_TRANSLATE_NOOP("drift", "stock counter {stock}, free seats in the bitmap {free}"),
    "no_keys": QT_TRANSLATE_NOOP("drift", "no seat map keys"),
}


class Note(str):
    """One finding as English text (a ``str``: printed, compared and sent as JSON like any text) that also keeps its
    template key and params, so a window can say it in the supervisor's language."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Note:
        note = super().__new__(cls, NOTES[key].format(**params))
        note.key, note.params = key, params
        return note



#: what the scheduled job repairs on its own: none of these can free a seat for sale
SAFE = frozenset({"lost_seat", "redis_missing", "unconfirmed_sale", "orphan_hold", "stale_stock", "ledger_behind"})
SEAT_CLASSES = ("lost_seat", "unconfirmed_sale", "stale_sale", "orphan_hold")
REBUILD_CLASSES = ("redis_missing", "unknown")
NOT_FREE = ("sold", "blocked", "held")


# -- what the comparison reads (the seat store's Snapshot, Hold and Inspection have these fields) --------------
class SnapshotView(Protocol):
    @property
    def taken(self) -> bytes: ...
    @property
    def sold(self) -> bytes: ...
    @property
    def stock(self) -> int | None: ...
    @property
    def capacity(self) -> int | None: ...
    @property
    def epoch(self) -> str | None: ...
    @property
    def present(self) -> bool: ...


class HoldView(Protocol):
    @property
    def token(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def seats(self) -> tuple[int, ...]: ...
    @property
    def expires_ms(self) -> int: ...
    @property
    def epoch(self) -> str: ...


class RedisPicture(Protocol):
    """The Redis side of one session."""

    @property
    def snapshot(self) -> SnapshotView: ...
    @property
    def on_sale(self) -> bool | None: ...
    @property
    def owners(self) -> Mapping[int, str]: ...
    @property
    def holds(self) -> Sequence[HoldView]: ...
    @property
    def now_ms(self) -> int: ...


@dataclass(frozen=True)
class Drift(AsDict):
    kind: str
    seats: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    detail: str = ""
    #: the findings behind ``detail`` with their template keys (a window translates them; not part of the JSON)
    notes: tuple[Note, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        del out["notes"]
        return out

    @property
    def severity(self) -> str:
        return "critical" if self.kind in CRITICAL else "warning"


@dataclass(frozen=True)
class SessionReport(AsDict):
    session_id: int
    name: str
    venue: str
    starts_at: datetime
    status: str
    capacity: int
    redis_present: bool
    redis_taken: int | None
    redis_sold: int | None
    redis_stock: int | None
    live_holds: int
    db_sold: int
    db_blocked: int
    db_free: int
    ledger_sold: int
    ledger_revenue: Decimal
    orders_sold: int
    orders_revenue: Decimal
    outbox_pending: int
    outbox_dead: int
    in_flight_seats: int
    drifts: tuple[Drift, ...]
    checked_at: datetime
    outbox_lost: int = 0  # published or queued over ``outbox_redeliver_s`` ago and never applied
    outbox_invalid: int = 0  # messages that can never be applied (dead-lettered with their reason)

    @property
    def consistent(self) -> bool:
        return not self.drifts

    @property
    def severity(self) -> str:
        if not self.drifts:
            return "ok"
        return "critical" if any(d.kind in CRITICAL for d in self.drifts) else "warning"

    def drift(self, kind: str) -> Drift | None:
        return next((d for d in self.drifts if d.kind == kind), None)

    def counts(self) -> dict[str, int]:
        return {d.kind: max(1, len(d.seats)) for d in self.drifts}

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "consistent": self.consistent, "severity": self.severity,
                "counts": self.counts()}


@dataclass
class DbPicture:
    """The database side of one session."""

    capacity: int
    on_sale: bool
    seats: dict[int, tuple[str, str]] = field(default_factory=dict)  # non-free seat -> (status, "order:line" or "")
    truth: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # zone -> live lines, revenue
    backlog: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # zone -> unapplied deltas
    ledger: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    in_flight: set[int] = field(default_factory=set)  # seats an unapplied (not dead) message touches (shown only)
    pending: int = 0
    dead: int = 0
    dead_ids: list[int] = field(default_factory=list)
    #: valid messages neither applied, dead nor in flight (published or queued longer than ``outbox_redeliver_s``
    #: ago): the stream lost them; the ledger must count them (the repair marks them applied)
    lost_ids: list[int] = field(default_factory=list)
    #: messages that can never be applied (dead-lettered with their reason): no part of the ledger's expectation
    invalid: int = 0

    def note_message(self, message_id: int, topic: str, status: str, payload: Any, in_flight: bool) -> None:
        """Count an outbox message of this session that the consumer has not applied: ``in_flight`` when it is
        dead or was queued or sent within the bound (the consumer may still apply it); otherwise the stream lost
        it."""
        try:
            event = parse(topic, payload, self.capacity)
        except InvalidEvent:
            self.invalid += 1  # never reaches the ledger (the relay or the consumer dead-letters it)
            return
        if not in_flight and status != "dead":
            self.lost_ids.append(message_id)
            return
        if status == "dead":
            self.dead += 1
            self.dead_ids.append(message_id)
        else:
            self.pending += 1
            self.in_flight.update(event.seats())
        zero = (0, Decimal("0"))
        for zone, n, revenue in event.ledger_deltas():
            had = self.backlog.get(zone, zero)
            self.backlog[zone] = (had[0] + n, had[1] + revenue)


def covering_holds(insp: RedisPicture) -> tuple[set[int], dict[int, HoldView]]:
    """Seats of live holds, and for seats of expired-but-unswept holds, that hold (current epoch only: a hold from
    before a rebuild set no bits in the rebuilt map)."""
    live: set[int] = set()
    expired: dict[int, HoldView] = {}
    for h in insp.holds:
        if h.state != "held" or h.epoch != insp.snapshot.epoch:
            continue
        if h.expires_ms > insp.now_ms:
            live.update(h.seats)
        else:
            for i in h.seats:
                expired[i] = h
    return live, expired


def classify_seats(db: DbPicture, insp: RedisPicture, only: Iterable[int] | None = None) -> dict[str, list[int]]:
    """Seat-level drift: class -> seat indices (ascending).

    Seats touched by outbox messages not applied yet are NOT left out: every in-process Redis update after a commit
    takes milliseconds (the two passes absorb it), and if it failed, the difference is real until the consumer
    catches up — the repair writes the same state the consumer would, and the consumer's scripts then find nothing
    to do."""
    snap = insp.snapshot
    taken = set(set_bits(snap.taken, db.capacity))
    sold = set(set_bits(snap.sold, db.capacity))
    live, _ = covering_holds(insp)
    out: dict[str, list[int]] = defaultdict(list)
    seats = sorted(taken | sold | set(db.seats)) if only is None else sorted(set(only))
    for i in seats:
        status, owner = db.seats.get(i, ("free", ""))
        t, s = i in taken, i in sold
        if s and not t:
            kind = "unknown"
        elif status in NOT_FREE:
            if not t:
                kind = "lost_seat"
            elif status != "sold":
                if not s:
                    continue  # blocked (or held) in both
                kind = "unknown"
            elif s and insp.owners.get(i, "") == owner:
                continue
            elif i in live:
                continue  # the sale is committing right now; its confirmation follows
            else:
                kind = "unconfirmed_sale"
        elif s:
            kind = "stale_sale"
        elif t and i not in live:
            kind = "orphan_hold"
        else:
            continue
        out[kind].append(i)
    return dict(out)


def beyond_capacity(bitmap: bytes, capacity: int) -> int:
    """How many bits are set at or past ``capacity`` (none can be a seat)."""
    return count(bitmap, len(bitmap) * 8) - count(bitmap, capacity)


def expected_ledger(db: DbPicture) -> dict[str, tuple[int, Decimal]]:
    """What the ledger must hold now: live order lines minus what the consumer has not applied yet."""
    out = {}
    for zone in set(db.truth) | set(db.backlog):
        n, r = db.truth.get(zone, (0, Decimal("0")))
        dn, dr = db.backlog.get(zone, (0, Decimal("0")))
        out[zone] = (n - dn, Decimal(r - dr))
    return out


def ledger_differences(db: DbPicture) -> list[str]:
    expected = expected_ledger(db)
    zero = (0, Decimal("0"))
    diffs = []
    for zone in sorted(set(expected) | set(db.ledger)):
        want, have = expected.get(zone, zero), db.ledger.get(zone, zero)
        if (want[0], Decimal(want[1])) != (have[0], Decimal(have[1])):
            diffs.append(Note("ledger_zone", zone=zone, have_seats=have[0], have_revenue=f"{Decimal(have[1]):.2f}",
                              want_seats=want[0], want_revenue=f"{Decimal(want[1]):.2f}"))
    return diffs


def classify(db: DbPicture, insp: RedisPicture) -> dict[str, Any]:
    """All drift of one session: {class: seat list} for seat classes, {class: [detail lines]} for the others."""
    snap = insp.snapshot
    if not snap.present:
        out: dict[str, Any] = {"redis_missing": [Note("no_keys")]}
    else:
        out = dict(classify_seats(db, insp))
        unknown = []
        if snap.capacity != db.capacity:
            unknown.append(Note("capacity", redis=snap.capacity, database=db.capacity))
        if insp.on_sale is not None and insp.on_sale != db.on_sale:
            unknown.append(Note("on_sale" if insp.on_sale else "not_on_sale"))
        beyond = beyond_capacity(snap.taken, db.capacity) + beyond_capacity(snap.sold, db.capacity)
        if beyond:
            unknown.append(Note("bits_beyond", count=beyond, capacity=db.capacity))
        if unknown:
            out["unknown_session"] = unknown
        free = db.capacity - len(set_bits(snap.taken, db.capacity))
        if snap.stock != free:
            out["stale_stock"] = [Note("stock", stock=snap.stock, free=free)]
    diffs = ledger_differences(db)
    if diffs:
        if db.lost_ids:
            ids = ", ".join(map(str, db.lost_ids[:10]))
            diffs.append(Note("lost_messages", count=len(db.lost_ids), ids=ids))
        out["ledger_behind"] = diffs
    if db.dead:  # counted in the backlog above (a retry applies them), but nothing applies them on its own
        ids = ", ".join(map(str, db.dead_ids[:10]))
        out["dead_letter"] = [Note("dead_messages", count=db.dead, ids=ids)]
    return out




# -- from findings to the report ----------------------------------------------------------------------------------------
def kept(before: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """What two passes both found: the same seats in the same class, the same session-level findings."""
    out: dict[str, Any] = {}
    for kind, value in now.items():
        if kind not in before:
            continue
        if kind in SEAT_CLASSES or kind == "unknown":
            same = sorted(set(value) & set(before[kind]))
            if same:
                out[kind] = same
        else:
            out[kind] = value
    return out


def _notes(lines: Sequence[Any]) -> tuple[Note, ...]:
    return tuple(line for line in lines if isinstance(line, Note))


def drifts(layout: Layout, found: Mapping[str, Any]) -> tuple[Drift, ...]:
    """The findings of :func:`classify` as drifts, most urgent class first, seats named by their labels."""
    out = []
    for kind in CLASSES:
        if kind == "unknown":
            seats = found.get("unknown", [])
            notes = found.get("unknown_session", [])
            if seats or notes:
                out.append(Drift("unknown", tuple(seats), tuple(layout.seats[i].label for i in seats),
                                 "; ".join(notes) or DESCRIPTIONS["unknown"], _notes(notes)))
            continue
        if kind not in found:
            continue
        value = found[kind]
        if kind in SEAT_CLASSES:
            out.append(Drift(kind, tuple(value), tuple(layout.seats[i].label for i in value), DESCRIPTIONS[kind]))
        else:
            out.append(Drift(kind, (), (), "; ".join(value), _notes(value)))
    return tuple(out)


def session_report(info: SessionInfo, db: DbPicture, insp: RedisPicture, found: tuple[Drift, ...], now: datetime
                   ) -> SessionReport:
    """Both sides' figures of one session and its drifts."""
    snap = insp.snapshot
    statuses = [st for st, _ in db.seats.values()]
    zero = Decimal("0")
    return SessionReport(
        session_id=info.session_id, name=info.name, venue=info.venue, starts_at=info.starts_at,
        status=info.status, capacity=info.capacity, redis_present=snap.present,
        redis_taken=len(set_bits(snap.taken, info.capacity)) if snap.present else None,
        redis_sold=len(set_bits(snap.sold, info.capacity)) if snap.present else None,
        redis_stock=snap.stock, live_holds=sum(1 for h in insp.holds if h.state == "held"),
        db_sold=statuses.count("sold"), db_blocked=statuses.count("blocked"),
        db_free=info.capacity - len(statuses),
        ledger_sold=sum(v[0] for v in db.ledger.values()),
        ledger_revenue=sum((v[1] for v in db.ledger.values()), zero),
        orders_sold=sum(v[0] for v in db.truth.values()),
        orders_revenue=sum((v[1] for v in db.truth.values()), zero),
        outbox_pending=db.pending, outbox_dead=db.dead, in_flight_seats=len(db.in_flight),
        outbox_lost=len(db.lost_ids), outbox_invalid=db.invalid,
        drifts=found, checked_at=now,
    )
