"""Reconciliation (DESIGN §6): does Redis agree with PostgreSQL, and does the stock ledger agree with the orders?

For each session the reconciler compares the Redis bitmaps, stock counter, seat owners and holds with the database's
seats and live order lines, and the stock ledger with the live order lines minus the outbox messages the consumer has
not applied yet. Every difference gets a class (:data:`CLASSES`). A sale, cancel or exchange in flight makes
differences that vanish within milliseconds, so a difference only counts as drift when it is still there after
``reconcile_confirm_s`` (two passes).

Repairs are safe to run twice: each one re-reads both sides while holding the session's advisory lock exclusively (no
sale, cancel or exchange of that session commits meanwhile), writes Redis only where a seat is still exactly as it
was seen (``repair.lua``), and writes one audit entry per class with actor, reason, before and after. The ledger is
recomputed under its own advisory lock, which the consumer takes shared. Rebuilding Redis from the database is the
repair for missing keys and for what no other class explains.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from ..adapters import locks
from ..adapters.seatstore import HoldRecord, Inspection, SeatFix, SeatStore
from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.bitmap import bit, count, set_bits
from ..domain.events import InvalidEvent, parse
from ..domain.values import AsDict, SessionInfo
from ..errors import BackendUnavailable, BadInput, NotFound, NotSignedIn
from .accounts import SUPERVISOR_ROLES, Accounts
from .audit import audit
from .catalog import Catalog
from .consumer import GROUP
from .inventory import Inventory
from .outbox import requeue_dead

log = logging.getLogger(__name__)

#: drift classes, most urgent first
CLASSES: tuple[str, ...] = (
    "lost_seat", "redis_missing", "unconfirmed_sale", "stale_sale", "orphan_hold", "stale_stock", "ledger_behind",
    "dead_letter", "unknown", "check_failed",
)
DESCRIPTIONS: dict[str, str] = {
    "lost_seat": "sold or blocked in the database, free in Redis: another clerk could sell it (oversell risk)",
    "redis_missing": "the session has no seat map in Redis",
    "unconfirmed_sale": "sold in the database, taken in Redis but not recorded as sold by this order line",
    "stale_sale": "sold in Redis, free in the database: a cancel or exchange never reached Redis",
    "orphan_hold": "taken in Redis by no live hold, free in the database: the seat cannot be sold",
    "stale_stock": "the Redis stock counter differs from the free seats of its own bitmap",
    "ledger_behind": "the stock ledger differs from the live order lines (after the outbox backlog)",
    "dead_letter": "outbox messages of this session were dead-lettered: the ledger lacks them until they are retried",
    "unknown": "a difference no other class explains (repaired by rebuilding Redis from the database)",
    "check_failed": "the session could not be checked (the error is shown); the other sessions were",
}
CRITICAL = frozenset({"lost_seat", "redis_missing"})
#: what the scheduled job repairs on its own: none of these can free a seat for sale
SAFE = frozenset({"lost_seat", "redis_missing", "unconfirmed_sale", "orphan_hold", "stale_stock", "ledger_behind"})
_SEAT_CLASSES = ("lost_seat", "unconfirmed_sale", "stale_sale", "orphan_hold")
_REBUILD_CLASSES = ("redis_missing", "unknown")
_NOT_FREE = ("sold", "blocked", "held")

_DB_SEATS = text(
    "SELECT ss.session_id, ss.seat_idx, ss.status, ss.order_id, ol.id AS line_id FROM session_seats ss "
    "LEFT JOIN order_lines ol ON ol.session_id = ss.session_id AND ol.seat_idx = ss.seat_idx AND ol.active "
    "WHERE ss.session_id = ANY(:sids) AND ss.status <> 'free'"
)
#: live order lines per zone and the outbox messages the consumer has not applied, read in ONE statement so a sale
#: committing meanwhile is in both or in neither
_TRUTH_AND_BACKLOG = text(
    """
    SELECT 'truth' AS part, session_id, zone, count(*)::int AS n, sum(price) AS revenue,
           NULL::bigint AS id, NULL::text AS topic, NULL::text AS status, NULL::jsonb AS payload
      FROM order_lines WHERE session_id = ANY(:sids) AND active GROUP BY session_id, zone
    UNION ALL
    SELECT CASE WHEN o.status <> 'dead' AND CASE WHEN o.status = 'sent' THEN o.sent_at ELSE o.available_at END
                     > now() - make_interval(secs => :bound) THEN 'in flight' ELSE 'message' END,
           (o.payload->>'session_id')::int, NULL, NULL, NULL, o.id, o.topic, o.status, o.payload
      FROM outbox o
     WHERE o.payload->>'session_id' = ANY(:sid_texts)
       AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = :consumer AND i.message_id = o.id)
    """
)
_LEDGER = text("SELECT session_id, zone, sold, revenue FROM stock_ledger WHERE session_id = ANY(:sids)")
_ADOPT_LOST = text(
    """
    WITH i AS (INSERT INTO inbox (consumer, message_id) SELECT :c, unnest(CAST(:ids AS bigint[]))
               ON CONFLICT DO NOTHING)
    UPDATE outbox SET applied_at = now(), status = 'pending', available_at = now(), lease_until = NULL, attempts = 0
     WHERE id IN (SELECT id FROM outbox WHERE id = ANY(:ids) ORDER BY id FOR UPDATE)
    """
)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str


@dataclass(frozen=True)
class Drift(AsDict):
    kind: str
    seats: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    detail: str = ""

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


@dataclass(frozen=True)
class RepairResult(AsDict):
    session_id: int
    repaired: dict[str, list[str]] = field(default_factory=dict)  # class -> seat labels (or a note)
    skipped: dict[str, str] = field(default_factory=dict)  # class -> why it was not repaired
    audit_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.repaired)


@dataclass(frozen=True)
class LiveHold(AsDict):
    token: str
    clerk: str
    seats: tuple[int, ...]
    labels: tuple[str, ...]
    expires_at: datetime
    expired: bool


# -- the comparison itself: pure, so it is unit-tested without servers -------------------------------------------------
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


def _covering_holds(insp: Inspection) -> tuple[set[int], dict[int, HoldRecord]]:
    """Seats of live holds, and for seats of expired-but-unswept holds, that hold (current epoch only: a hold from
    before a rebuild set no bits in the rebuilt map)."""
    live: set[int] = set()
    expired: dict[int, HoldRecord] = {}
    for h in insp.holds:
        if h.state != "held" or h.epoch != insp.snapshot.epoch:
            continue
        if h.expires_ms > insp.now_ms:
            live.update(h.seats)
        else:
            for i in h.seats:
                expired[i] = h
    return live, expired


def classify_seats(db: DbPicture, insp: Inspection, only: Iterable[int] | None = None) -> dict[str, list[int]]:
    """Seat-level drift: class -> seat indices (ascending).

    Seats touched by outbox messages not applied yet are NOT left out: every in-process Redis update after a commit
    takes milliseconds (the two passes absorb it), and if it failed, the difference is real until the consumer
    catches up — the repair writes the same state the consumer would, and the consumer's scripts then find nothing
    to do."""
    snap = insp.snapshot
    taken = set(set_bits(snap.taken, db.capacity))
    sold = set(set_bits(snap.sold, db.capacity))
    live, _ = _covering_holds(insp)
    out: dict[str, list[int]] = defaultdict(list)
    seats = sorted(taken | sold | set(db.seats)) if only is None else sorted(set(only))
    for i in seats:
        status, owner = db.seats.get(i, ("free", ""))
        t, s = i in taken, i in sold
        if s and not t:
            kind = "unknown"
        elif status in _NOT_FREE:
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
            diffs.append(f"zone {zone}: ledger {have[0]} seats / {Decimal(have[1]):.2f}, "
                         f"orders say {want[0]} / {Decimal(want[1]):.2f}")
    return diffs


def classify(db: DbPicture, insp: Inspection) -> dict[str, Any]:
    """All drift of one session: {class: seat list} for seat classes, {class: [detail lines]} for the others."""
    snap = insp.snapshot
    if not snap.present:
        out: dict[str, Any] = {"redis_missing": ["no seat map keys"]}
    else:
        out = dict(classify_seats(db, insp))
        unknown = []
        if snap.capacity != db.capacity:
            unknown.append(f"capacity {snap.capacity} in Redis, {db.capacity} in the database")
        if insp.on_sale is not None and insp.on_sale != db.on_sale:
            unknown.append(f"Redis says {'on' if insp.on_sale else 'not on'} sale, the database the opposite")
        beyond = beyond_capacity(snap.taken, db.capacity) + beyond_capacity(snap.sold, db.capacity)
        if beyond:
            unknown.append(f"{beyond} bit(s) set past the session's {db.capacity} seats")
        if unknown:
            out["unknown_session"] = unknown
        free = db.capacity - len(set_bits(snap.taken, db.capacity))
        if snap.stock != free:
            out["stale_stock"] = [f"stock counter {snap.stock}, free seats in the bitmap {free}"]
    diffs = ledger_differences(db)
    if diffs:
        if db.lost_ids:
            ids = ", ".join(map(str, db.lost_ids[:10]))
            diffs.append(f"{len(db.lost_ids)} outbox message(s) queued or published long ago and never applied "
                         f"(ids {ids}): the stream lost them")
        out["ledger_behind"] = diffs
    if db.dead:  # counted in the backlog above (a retry applies them), but nothing applies them on its own
        ids = ", ".join(map(str, db.dead_ids[:10]))
        out["dead_letter"] = [f"{db.dead} outbox message(s) dead-lettered (ids {ids}): retry them"]
    return out


# -- the service ------------------------------------------------------------------------------------------------------
class Reconciler:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog, inventory: Inventory,
                 accounts: Accounts, settings: Settings) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        self.inventory = inventory
        self.accounts = accounts
        self.settings = settings

    # -- who acts ---------------------------------------------------------------------------------------------------
    def actor(self, username: str | None, system: str | None = None) -> Actor:
        """A supervisor (clerks get PermissionDenied), or with ``username=None`` the system, which ``system`` names
        (the scheduled job). Nobody else: an unnamed caller is not signed in."""
        if username is None:
            if not system:
                raise NotSignedIn("reconciliation needs a signed-in supervisor: sign in with `boxoffice login`")
            return Actor(None, system)
        user = self.accounts.require(username, SUPERVISOR_ROLES)
        return Actor(user.user_id, user.username)

    # -- reading ----------------------------------------------------------------------------------------------------
    def sessions(self, session_id: int | None = None) -> list[SessionInfo]:
        """One session, or every session that has not ended yet."""
        if session_id is not None:
            return [self.catalog.session(session_id)]
        return self.catalog.list_sessions(datetime.now(timezone.utc))

    def report(self, username: str | None, session_id: int | None = None, confirm_s: float | None = None,
               system: str | None = None) -> list[SessionReport]:
        """Check one session or all current ones; a difference counts only if it survives ``confirm_s``."""
        self.actor(username, system)
        infos = self.sessions(session_id)
        if not infos:
            return []
        first = self._pass(infos)
        wait = self.settings.reconcile_confirm_s if confirm_s is None else confirm_s
        suspects = [info for info in infos if first[info.session_id][2]]
        if not suspects:
            return [first[i.session_id][0] for i in infos]
        time.sleep(wait)
        second = self._pass(suspects)
        out = []
        for info in infos:
            report, _, found = second.get(info.session_id, first[info.session_id])
            if info.session_id in second:
                report = self._confirmed(info, report, first[info.session_id][2], found)
            out.append(report)
        return out

    def _confirmed(self, info: SessionInfo, report: SessionReport, before: Mapping[str, Any],
                   now: Mapping[str, Any]) -> SessionReport:
        """Keep what both passes saw: the same seats in the same class, the same session-level findings."""
        kept: dict[str, Any] = {}
        for kind, value in now.items():
            if kind not in before:
                continue
            if kind in _SEAT_CLASSES or kind == "unknown":
                same = sorted(set(value) & set(before[kind]))
                if same:
                    kept[kind] = same
            else:
                kept[kind] = value
        return replace(report, drifts=self._drifts(self.catalog.layout(info.venue_id), kept))

    def _drifts(self, layout: Any, found: Mapping[str, Any]) -> tuple[Drift, ...]:
        out = []
        for kind in CLASSES:
            if kind == "unknown":
                seats = found.get("unknown", [])
                notes = found.get("unknown_session", [])
                if seats or notes:
                    out.append(Drift("unknown", tuple(seats), tuple(layout.seats[i].label for i in seats),
                                     "; ".join(notes) or DESCRIPTIONS["unknown"]))
                continue
            if kind not in found:
                continue
            value = found[kind]
            if kind in _SEAT_CLASSES:
                out.append(Drift(kind, tuple(value), tuple(layout.seats[i].label for i in value), DESCRIPTIONS[kind]))
            else:
                out.append(Drift(kind, (), (), "; ".join(value)))
        return tuple(out)

    def _pass(self, infos: Sequence[SessionInfo]) -> dict[int, tuple[SessionReport, DbPicture, dict[str, Any]]]:
        """One comparison of the given sessions: Redis first, then one database snapshot."""
        inspections = {info.session_id: self.store.inspect(info.session_id) for info in infos}
        pictures = self._read_db(infos)
        out = {}
        now = datetime.now(timezone.utc)
        for info in infos:
            insp, db = inspections[info.session_id], pictures[info.session_id]
            try:
                found = classify(db, insp)
                layout = self.catalog.layout(info.venue_id)
                out[info.session_id] = (self._report(info, db, insp, self._drifts(layout, found), now), db, found)
            except BackendUnavailable:
                raise
            except Exception as exc:  # one session's failure never stops the check of the others
                log.exception("reconcile: checking session %s failed", info.session_id)
                found = {"check_failed": [f"{exc.__class__.__name__}: {exc}"]}
                drift = Drift("check_failed", (), (), f"the check itself failed: {exc.__class__.__name__}: {exc}")
                out[info.session_id] = (self._report(info, db, insp, (drift,), now), db, found)
        return out

    def _read_db(self, infos: Sequence[SessionInfo], session: Any = None) -> dict[int, DbPicture]:
        sids = [i.session_id for i in infos]
        pictures = {i.session_id: DbPicture(i.capacity, i.status == "onsale") for i in infos}
        if session is None:
            with self.uow() as tx:
                tx.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
                self._fill(tx.session, sids, pictures, self.settings.outbox_redeliver_s)
        else:
            self._fill(session, sids, pictures, self.settings.outbox_redeliver_s)
        return pictures

    @staticmethod
    def _fill(s: Any, sids: list[int], pictures: dict[int, DbPicture], bound: float) -> None:
        """Both sides' numbers from the database; ``bound``: how long an unapplied message counts as in flight."""
        # the on-sale status in this snapshot, not the one listed before Redis was read: the sales-window job (or a
        # supervisor) may have closed the session in between, and a stale status would look like drift twice over
        for sid, status in s.execute(text("SELECT id, status FROM sessions WHERE id = ANY(:sids)"), {"sids": sids}):
            pictures[sid].on_sale = status == "onsale"
        for sid, idx, status, order_id, line_id in s.execute(_DB_SEATS, {"sids": sids}):
            owner = f"{order_id}:{line_id}" if status == "sold" and order_id is not None and line_id else ""
            pictures[sid].seats[idx] = (status, owner)
        backlog: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal("0")]))
        rows = s.execute(_TRUTH_AND_BACKLOG,
                         {"sids": sids, "sid_texts": [str(x) for x in sids], "consumer": GROUP,
                          "bound": bound}).all()
        for part, sid, zone, n, revenue, msg_id, topic, status, payload in rows:
            pic = pictures.get(sid)
            if pic is None:
                continue
            if part == "truth":
                pic.truth[zone] = (int(n), Decimal(revenue))
                continue
            try:
                event = parse(topic, payload, pic.capacity)
            except InvalidEvent:
                pic.invalid += 1  # never reaches the ledger (the relay or the consumer dead-letters it)
                continue
            if part == "message" and status != "dead":
                pic.lost_ids.append(int(msg_id))
                continue
            pic.dead += status == "dead"
            pic.pending += status != "dead"
            if status == "dead":
                pic.dead_ids.append(int(msg_id))
            for z, dn, dr in event.ledger_deltas():
                backlog[sid][z][0] += dn
                backlog[sid][z][1] += dr
            if status != "dead":
                pic.in_flight.update(event.seats())
        for sid, zones in backlog.items():
            pictures[sid].backlog = {z: (v[0], v[1]) for z, v in zones.items()}
        for sid, zone, sold, revenue in s.execute(_LEDGER, {"sids": sids}):
            pictures[sid].ledger[zone] = (int(sold), Decimal(revenue))

    @staticmethod
    def _report(info: SessionInfo, db: DbPicture, insp: Inspection, drifts: tuple[Drift, ...], now: datetime
                ) -> SessionReport:
        snap = insp.snapshot
        statuses = [st for st, _ in db.seats.values()]
        zero = (0, Decimal("0"))
        return SessionReport(
            session_id=info.session_id, name=info.name, venue=info.venue, starts_at=info.starts_at,
            status=info.status, capacity=info.capacity, redis_present=snap.present,
            redis_taken=len(set_bits(snap.taken, info.capacity)) if snap.present else None,
            redis_sold=len(set_bits(snap.sold, info.capacity)) if snap.present else None,
            redis_stock=snap.stock, live_holds=sum(1 for h in insp.holds if h.state == "held"),
            db_sold=statuses.count("sold"), db_blocked=statuses.count("blocked"),
            db_free=info.capacity - len(statuses),
            ledger_sold=sum(v[0] for v in db.ledger.values()),
            ledger_revenue=sum((v[1] for v in db.ledger.values()), zero[1]),
            orders_sold=sum(v[0] for v in db.truth.values()),
            orders_revenue=sum((v[1] for v in db.truth.values()), zero[1]),
            outbox_pending=db.pending, outbox_dead=db.dead, in_flight_seats=len(db.in_flight),
            outbox_lost=len(db.lost_ids), outbox_invalid=db.invalid,
            drifts=drifts, checked_at=now,
        )

    # -- repairing --------------------------------------------------------------------------------------------------
    def repair(self, username: str | None, report: SessionReport, reason: str, classes: Iterable[str] | None = None,
               system: str | None = None) -> RepairResult:
        """Repair the drift ``report`` found (only ``classes`` if given). Each seat is re-checked under the session's
        lock and written only if it still drifts the same way; running it again changes nothing."""
        actor = self.actor(username, system)
        reason = reason.strip()
        if not reason:
            raise BadInput("a repair needs a reason")
        wanted = set(CLASSES if classes is None else classes)
        unknown = wanted - set(CLASSES)
        if unknown:
            raise BadInput(f"unknown drift class(es): {', '.join(sorted(unknown))}; known: {', '.join(CLASSES)}")
        info = self.catalog.session(report.session_id)
        layout = self.catalog.layout(info.venue_id)
        todo = [d for d in report.drifts if d.kind in wanted]
        repaired: dict[str, list[str]] = {}
        skipped: dict[str, str] = {}
        audit: list[int] = []
        rebuilt = [d for d in todo if d.kind in _REBUILD_CLASSES]
        if rebuilt:  # still so? (a rebuild is not a no-op: it ends every hold, so it must not run twice)
            fresh = self._pass([info])[info.session_id][2]
            for d in rebuilt:
                if not ({d.kind, "unknown_session"} if d.kind == "unknown" else {d.kind}) & set(fresh):
                    skipped[d.kind] = "no longer found"
            rebuilt = [d for d in rebuilt if d.kind not in skipped]
        if rebuilt:
            before = {"redis_taken": report.redis_taken, "redis_stock": report.redis_stock}
            epoch = self.inventory.rebuild(info.session_id)
            with self.uow() as tx:
                for d in rebuilt:
                    audit.append(self._audit(tx.session, actor, info.session_id, reason, d.kind, list(d.labels),
                                             before, {"rebuilt": True, "epoch": epoch}))
                    repaired[d.kind] = list(d.labels) or ["rebuilt from the database"]
                tx.commit()
            for d in todo:  # the rebuild wrote the database's picture: seat and stock drift went with it
                if d.kind in _SEAT_CLASSES or d.kind == "stale_stock":
                    repaired[d.kind] = list(d.labels) or ["rebuilt from the database"]
        else:
            seat_work = [d for d in todo if d.kind in _SEAT_CLASSES or d.kind == "stale_stock"]
            if seat_work:
                done, notes, ids = self._repair_seats(actor, info, layout, seat_work, reason)
                repaired.update(done)
                skipped.update(notes)
                audit += ids
        if any(d.kind == "dead_letter" for d in todo):
            with self.uow() as tx:
                ids = self._read_db([info], session=tx.session)[info.session_id].dead_ids
                requeued = 0
                for message_id in ids:
                    try:
                        requeued += requeue_dead(tx.session, message_id)
                    except BadInput:  # retried meanwhile from the outbox monitor
                        continue
                if requeued:
                    audit.append(self._audit(tx.session, actor, info.session_id, reason, "dead_letter", [],
                                             {"dead": ids}, {"requeued": requeued}))
                    repaired["dead_letter"] = [f"{requeued} message(s) queued again"]
                else:
                    skipped["dead_letter"] = "no dead letters any more"
                tx.commit()
        if any(d.kind == "ledger_behind" for d in todo):
            ids, fixed = self._repair_ledger(actor, info, reason)
            audit += ids
            if fixed:
                repaired["ledger_behind"] = fixed
            else:
                skipped["ledger_behind"] = "the ledger already matched when re-read under the lock"
        for kind, labels in repaired.items():
            log.warning("reconcile: session %s %s repaired by %s (%s): %s", info.session_id, kind, actor.name,
                        reason, ", ".join(labels[:20]))
        return RepairResult(info.session_id, repaired, skipped, tuple(audit))

    def _repair_seats(self, actor: Actor, info: SessionInfo, layout: Any, work: list[Drift], reason: str
                      ) -> tuple[dict[str, list[str]], dict[str, str], list[int]]:
        sid = info.session_id
        repaired: dict[str, list[str]] = {}
        skipped: dict[str, str] = {}
        audit: list[int] = []
        with self.uow() as tx:
            s = tx.session
            # no sale, cancel or exchange of this session commits until this transaction ends
            locks.exclusive(s, locks.INVENTORY, sid)
            db = self._read_db([info], session=s)[sid]
            insp = self.store.inspect(sid)
            if not insp.snapshot.present:
                skipped.update({d.kind: "the session has no seat map in Redis any more: rebuild it" for d in work})
                return repaired, skipped, audit
            _, expired = _covering_holds(insp)
            for d in work:
                if d.kind == "stale_stock":
                    continue
                still = classify_seats(db, insp, only=d.seats).get(d.kind, [])
                if not still:
                    skipped[d.kind] = "no longer drifting when re-read under the lock"
                    continue
                fixed: list[int] = []
                if d.kind == "orphan_hold":
                    # seats of an expired hold go back only through releasing that hold (release.lua), or the
                    # hold sweep would free them once more later — by then perhaps another clerk's hold
                    fixed += self._release_orphan_holds(sid, still, expired)
                    waiting = [i for i in still if i in expired and i not in fixed]
                    if waiting:
                        skipped[d.kind] = (f"{len(waiting)} seat(s) belong to an expired hold with other seats; "
                                           "the hold sweep releases it")
                    still = [i for i in still if i not in expired or i in fixed]
                rest = [i for i in still if i not in fixed]
                fixes = [self._fix(db, insp, i) for i in rest]
                before = [self._seat_state(layout, insp, i) for i in still]
                reply = self.store.repair(sid, actor.name, d.kind, fixes, recount=False) if fixes else None
                if reply is not None:
                    fixed += list(reply.repaired)
                if not fixed:
                    skipped[d.kind] = "changed since it was seen; check again"
                    continue
                after_insp = self.store.inspect(sid)
                labels = [layout.seats[i].label for i in sorted(fixed)]
                repaired[d.kind] = labels
                audit.append(self._audit(s, actor, sid, reason, d.kind, labels, {"redis": before},
                                         {"redis": [self._seat_state(layout, after_insp, i) for i in sorted(fixed)]}))
            if any(d.kind == "stale_stock" for d in work):
                reply = self.store.repair(sid, actor.name, "stale_stock", [], recount=True)
                if reply is not None and reply.stock_after != reply.stock_before:
                    repaired["stale_stock"] = [f"stock {reply.stock_before} → {reply.stock_after}"]
                    audit.append(self._audit(s, actor, sid, reason, "stale_stock", [],
                                             {"stock": reply.stock_before}, {"stock": reply.stock_after}))
                else:
                    skipped["stale_stock"] = "the counter already matched"
            tx.commit()
        return repaired, skipped, audit

    def _release_orphan_holds(self, sid: int, orphans: list[int], expired: dict[int, HoldRecord]) -> list[int]:
        """Expired holds whose every seat is an orphan are released through release.lua (which also takes them out
        of the holds set, so the hold sweep cannot free those seats again later); returns the seats freed."""
        tokens = {expired[i].token: expired[i] for i in orphans if i in expired}
        freed: list[int] = []
        orphan_set = set(orphans)
        for token, hold in tokens.items():
            if set(hold.seats) <= orphan_set:
                if self.store.release(sid, token, "reconcile"):
                    freed += list(hold.seats)
        return freed

    @staticmethod
    def _fix(db: DbPicture, insp: Inspection, i: int) -> SeatFix:
        snap = insp.snapshot
        status, owner = db.seats.get(i, ("free", ""))
        seen = insp.owners.get(i, "")
        if status != "sold":  # keep the seat's latest line as ended ("x:line"): its late confirmation writes nothing
            owner = "x:" + seen.split(":", 1)[1] if ":" in seen else ""
        return SeatFix(
            seat=i, seen_taken=bit(snap.taken, i), seen_sold=bit(snap.sold, i), seen_owner=seen,
            taken=status in _NOT_FREE, sold=status == "sold", owner=owner,
        )

    @staticmethod
    def _seat_state(layout: Any, insp: Inspection, i: int) -> dict[str, Any]:
        snap = insp.snapshot
        return {"seat": layout.seats[i].label, "taken": bit(snap.taken, i), "sold": bit(snap.sold, i),
                "owner": insp.owners.get(i, "")}

    def _repair_ledger(self, actor: Actor, info: SessionInfo, reason: str) -> tuple[list[int], list[str]]:
        sid = info.session_id
        with self.uow() as tx:
            s = tx.session
            # the consumer takes this lock shared for the sessions of its batch: no ledger change meanwhile
            locks.exclusive(s, locks.LEDGER, sid)
            db = self._read_db([info], session=s)[sid]
            diffs = ledger_differences(db)
            if not diffs:
                return [], []
            if db.lost_ids:
                # the ledger counts them from now on: marked applied, so a late delivery changes it no more; and
                # published again, so the consumer still makes their Redis side (its inbox skips the ledger part)
                s.execute(_ADOPT_LOST, {"c": GROUP, "ids": db.lost_ids})
            expected = expected_ledger(db)
            zones = sorted(set(expected) | set(db.ledger))
            zero = (0, Decimal("0"))
            s.execute(
                text("INSERT INTO stock_ledger (session_id, zone, sold, revenue) "
                     "SELECT :sid, z, n, r FROM unnest(CAST(:z AS text[]), CAST(:n AS int[]), "
                     "CAST(:r AS numeric[])) AS x(z, n, r) "
                     "ON CONFLICT (session_id, zone) DO UPDATE SET sold = EXCLUDED.sold, revenue = EXCLUDED.revenue, "
                     "updated_at = now()"),
                {"sid": sid, "z": zones, "n": [expected.get(z, zero)[0] for z in zones],
                 "r": [expected.get(z, zero)[1] for z in zones]},
            )
            audit = self._audit(
                s, actor, sid, reason, "ledger_behind", [],
                {z: [db.ledger.get(z, zero)[0], str(db.ledger.get(z, zero)[1])] for z in zones},
                {**{z: [expected.get(z, zero)[0], str(expected.get(z, zero)[1])] for z in zones},
                 **({"lost_messages": db.lost_ids} if db.lost_ids else {})},
            )
            tx.commit()
        return [audit], diffs

    @staticmethod
    def _audit(s: Any, actor: Actor, sid: int, reason: str, kind: str, labels: list[str], before: Any, after: Any
               ) -> int:
        return audit(s, "repair", actor.user_id, session_id=sid, reason=reason,
                     details={"class": kind, "seats": labels, "before": before, "after": after, "actor": actor.name})

    # -- holds ------------------------------------------------------------------------------------------------------
    def holds(self, username: str, session_id: int) -> list[LiveHold]:
        """The session's holds still listed in Redis (live, or expired and waiting for the sweep)."""
        self.actor(username)
        info = self.catalog.session(session_id)
        layout = self.catalog.layout(info.venue_id)
        now_ms = time.time() * 1000
        return [
            LiveHold(h.token, h.clerk, h.seats, tuple(layout.seats[i].label for i in h.seats if i < info.capacity),
                     datetime.fromtimestamp(h.expires_ms / 1000, timezone.utc), h.expires_ms <= now_ms)
            for h in sorted(self.store.hold_records(session_id), key=lambda h: h.expires_ms) if h.state == "held"
        ]

    def force_release(self, username: str, session_id: int, token: str, reason: str) -> int:
        """Release one hold now (a clerk walked away); refused when its sale or exchange already committed — the
        seats are sold then, and the hold sweep confirms them."""
        actor = self.actor(username)
        if not reason.strip():
            raise BadInput("releasing a hold needs a reason")
        hold = self.store.hold(session_id, token)
        if hold is None or hold.state != "held":
            raise NotFound(f"no live hold {token} in session {session_id}")
        with self.uow() as tx:
            s = tx.session
            locks.exclusive(s, locks.INVENTORY, session_id)
            order = s.execute(
                text("SELECT id FROM orders WHERE token = :t UNION ALL SELECT aggregate_id FROM outbox "
                     "WHERE topic = 'OrderChanged' AND payload->>'token' = :t LIMIT 1"), {"t": token}).scalar()
            if order is not None:
                raise BadInput(f"the sale under this hold was committed (order {order}); it is not a hold any more")
            freed = self.store.release(session_id, token, "force")
            layout = self.catalog.layout(self.catalog.venue_of(session_id))
            labels = [layout.seats[i].label for i in hold.seats]
            self._audit(s, actor, session_id, reason.strip(), "hold_release", labels,
                        {"hold": token, "clerk": hold.clerk, "state": "held"}, {"state": "released", "freed": freed})
            tx.commit()
        return freed

    # -- the scheduled job --------------------------------------------------------------------------------------------
    def run_scheduled(self) -> list[SessionReport]:
        """Check every current session (one process at a time across the installation); in ``repair`` mode repair
        the safe classes. Returns the reports (empty when another process holds the turn)."""
        mode = self.settings.reconcile_mode
        if mode == "off":
            return []
        if not self.store.take_turn("reconcile", max(int(self.settings.reconcile_interval_s * 900), 1000)):
            return []
        reports = self.report(None, system="reconcile job")
        for r in reports:
            if r.consistent:
                continue
            log.warning("reconcile: session %s drift %s", r.session_id, r.counts())
            if mode == "repair" and any(d.kind in SAFE for d in r.drifts):
                try:
                    self.repair(None, r, "automatic reconciliation", SAFE, system="reconcile job")
                except BackendUnavailable:
                    raise
                except Exception as exc:  # noqa: BLE001 - one session's failure never stops the repair of the others
                    log.warning("reconcile: repairing session %s failed: %s", r.session_id, exc)
        return reports

