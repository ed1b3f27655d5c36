"""Reconciliation repairs (DESIGN §6): each one safe to run twice.

Each repair re-reads both sides while holding the session's advisory lock exclusively (no sale, cancel or exchange
of that session commits meanwhile), writes Redis only where a seat is still exactly as it was seen (``repair.lua``),
and writes one audit entry per class with actor, reason, before and after. The ledger is recomputed under its own
advisory lock, which the consumer takes shared. Rebuilding Redis from the database is the repair for missing keys and
for what no other class explains.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..adapters import locks
from ..adapters.seatstore import Inspection, SeatFix, SeatStore
from ..adapters.uow import UnitOfWork, UowFactory
from ..config import Settings
from ..domain.bitmap import bit
from ..domain.drift import (
    CLASSES,
    NOT_FREE,
    REBUILD_CLASSES,
    SEAT_CLASSES,
    DbPicture,
    Drift,
    HoldView,
    SessionReport,
    classify,
    classify_seats,
    covering_holds,
    expected_ledger,
    ledger_differences,
)
from ..domain.layout import Layout
from ..domain.values import AsDict, SessionInfo
from ..errors import BadInput
from .catalog import Catalog
from .consumer import GROUP
from .inventory import Inventory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who repairs: a supervisor (with a user id) or the scheduled job (none)."""

    user_id: int | None
    name: str


@dataclass(frozen=True)
class RepairResult(AsDict):
    session_id: int
    repaired: dict[str, list[str]] = field(default_factory=dict)  # class -> seat labels (or a note)
    skipped: dict[str, str] = field(default_factory=dict)  # class -> why it was not repaired
    audit_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.repaired)


class Repairs:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog, inventory: Inventory,
                 settings: Settings) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        self.inventory = inventory
        self.settings = settings

    def _picture(self, tx: UnitOfWork, info: SessionInfo) -> DbPicture:
        """The database side of one session, inside the caller's transaction."""
        return tx.ledger.pictures([info], self.settings.outbox_redeliver_s, GROUP)[info.session_id]

    def _found(self, info: SessionInfo) -> dict[str, Any]:
        """What a check of one session finds now (Redis first, then one database snapshot)."""
        insp = self.store.inspect(info.session_id)
        with self.uow() as tx:
            tx.ledger.snapshot()
            db = self._picture(tx, info)
        try:
            return classify(db, insp)
        except Exception as exc:
            log.exception("reconcile: checking session %s again failed", info.session_id)
            return {"check_failed": [f"{exc.__class__.__name__}: {exc}"]}

    def repair(self, actor: Actor, report: SessionReport, reason: str, classes: Iterable[str] | None = None
               ) -> RepairResult:
        """Repair the drift ``report`` found (only ``classes`` if given). Each seat is re-checked under the session's
        lock and written only if it still drifts the same way; running it again changes nothing."""
        reason = reason.strip()
        if not reason:
            raise BadInput(reason="repair_needs_reason")
        wanted = set(CLASSES if classes is None else classes)
        unknown = wanted - set(CLASSES)
        if unknown:
            raise BadInput(reason="unknown_drift_classes", unknown=", ".join(sorted(unknown)), known=", ".join(CLASSES))
        info = self.catalog.session(report.session_id)
        layout = self.catalog.layout(info.venue_id)
        todo = [d for d in report.drifts if d.kind in wanted]
        repaired: dict[str, list[str]] = {}
        skipped: dict[str, str] = {}
        audit: list[int] = []
        rebuilt = [d for d in todo if d.kind in REBUILD_CLASSES]
        if rebuilt:  # still so? (a rebuild is not a no-op: it ends every hold, so it must not run twice)
            fresh = self._found(info)
            for d in rebuilt:
                if not ({d.kind, "unknown_session"} if d.kind == "unknown" else {d.kind}) & set(fresh):
                    skipped[d.kind] = "no longer found"
            rebuilt = [d for d in rebuilt if d.kind not in skipped]
        if rebuilt:
            before = {"redis_taken": report.redis_taken, "redis_stock": report.redis_stock}
            epoch = self.inventory.rebuild(info.session_id)
            with self.uow() as tx:
                for d in rebuilt:
                    audit.append(self._audit(tx, actor, info.session_id, reason, d.kind, list(d.labels),
                                             before, {"rebuilt": True, "epoch": epoch}))
                    repaired[d.kind] = list(d.labels) or ["rebuilt from the database"]
                tx.commit()
            for d in todo:  # the rebuild wrote the database's picture: seat and stock drift went with it
                if d.kind in SEAT_CLASSES or d.kind == "stale_stock":
                    repaired[d.kind] = list(d.labels) or ["rebuilt from the database"]
        else:
            seat_work = [d for d in todo if d.kind in SEAT_CLASSES or d.kind == "stale_stock"]
            if seat_work:
                done, notes, ids = self._repair_seats(actor, info, layout, seat_work, reason)
                repaired.update(done)
                skipped.update(notes)
                audit += ids
        if any(d.kind == "dead_letter" for d in todo):
            with self.uow() as tx:
                ids = self._picture(tx, info).dead_ids
                requeued = 0
                for message_id in ids:
                    try:
                        requeued += tx.outbox.requeue_dead(message_id)
                    except BadInput:  # retried meanwhile from the outbox monitor
                        continue
                if requeued:
                    audit.append(self._audit(tx, actor, info.session_id, reason, "dead_letter", [],
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

    def _repair_seats(self, actor: Actor, info: SessionInfo, layout: Layout, work: list[Drift], reason: str
                      ) -> tuple[dict[str, list[str]], dict[str, str], list[int]]:
        sid = info.session_id
        repaired: dict[str, list[str]] = {}
        skipped: dict[str, str] = {}
        audit: list[int] = []
        with self.uow() as tx:
            # no sale, cancel or exchange of this session commits until this transaction ends
            tx.locks.exclusive(locks.INVENTORY, sid)
            db = self._picture(tx, info)
            insp = self.store.inspect(sid)
            if not insp.snapshot.present:
                skipped.update({d.kind: "the session has no seat map in Redis any more: rebuild it" for d in work})
                return repaired, skipped, audit
            _, expired = covering_holds(insp)
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
                audit.append(self._audit(tx, actor, sid, reason, d.kind, labels, {"redis": before},
                                         {"redis": [self._seat_state(layout, after_insp, i) for i in sorted(fixed)]}))
            if any(d.kind == "stale_stock" for d in work):
                reply = self.store.repair(sid, actor.name, "stale_stock", [], recount=True)
                if reply is not None and reply.stock_after != reply.stock_before:
                    repaired["stale_stock"] = [f"stock {reply.stock_before} → {reply.stock_after}"]
                    audit.append(self._audit(tx, actor, sid, reason, "stale_stock", [],
                                             {"stock": reply.stock_before}, {"stock": reply.stock_after}))
                else:
                    skipped["stale_stock"] = "the counter already matched"
            tx.commit()
        return repaired, skipped, audit

    def _release_orphan_holds(self, sid: int, orphans: list[int], expired: dict[int, HoldView]) -> list[int]:
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
            taken=status in NOT_FREE, sold=status == "sold", owner=owner,
        )

    @staticmethod
    def _seat_state(layout: Layout, insp: Inspection, i: int) -> dict[str, Any]:
        snap = insp.snapshot
        return {"seat": layout.seats[i].label, "taken": bit(snap.taken, i), "sold": bit(snap.sold, i),
                "owner": insp.owners.get(i, "")}

    def _repair_ledger(self, actor: Actor, info: SessionInfo, reason: str) -> tuple[list[int], list[str]]:
        sid = info.session_id
        with self.uow() as tx:
            # the consumer takes this lock shared for the sessions of its batch: no ledger change meanwhile
            tx.locks.exclusive(locks.LEDGER, sid)
            db = self._picture(tx, info)
            diffs = ledger_differences(db)
            if not diffs:
                return [], []
            if db.lost_ids:
                # the ledger counts them from now on: marked applied, so a late delivery changes it no more; and
                # published again, so the consumer still makes their Redis side (its inbox skips the ledger part)
                tx.outbox.adopt_lost(GROUP, db.lost_ids)
            expected = expected_ledger(db)
            zones = sorted(set(expected) | set(db.ledger))
            zero = (0, Decimal("0"))
            tx.ledger.overwrite(sid, {z: expected.get(z, zero) for z in zones})
            audit = self._audit(
                tx, actor, sid, reason, "ledger_behind", [],
                {z: [db.ledger.get(z, zero)[0], str(db.ledger.get(z, zero)[1])] for z in zones},
                {**{z: [expected.get(z, zero)[0], str(expected.get(z, zero)[1])] for z in zones},
                 **({"lost_messages": db.lost_ids} if db.lost_ids else {})},
            )
            tx.commit()
        return [audit], diffs

    @staticmethod
    def _audit(tx: UnitOfWork, actor: Actor, sid: int, reason: str, kind: str, labels: list[str], before: Any,
               after: Any) -> int:
        return tx.audit.record("repair", actor.user_id, session_id=sid, reason=reason,
                               details={"class": kind, "seats": labels, "before": before, "after": after,
                                        "actor": actor.name})
