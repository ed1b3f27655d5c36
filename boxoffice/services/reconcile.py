"""Reconciliation (DESIGN §6): does Redis agree with PostgreSQL, and does the stock ledger agree with the orders?

For each session the reconciler compares the Redis bitmaps, stock counter, seat owners and holds with the database's
seats and live order lines, and the stock ledger with the live order lines minus the outbox messages the consumer has
not applied yet. Every difference gets a class (:data:`CLASSES`). A sale, cancel or exchange in flight makes
differences that vanish within milliseconds, so a difference only counts as drift when it is still there after
``reconcile_confirm_s`` (two passes).

The parts: the classification is pure (:mod:`boxoffice.domain.drift`), the database picture one query module
(:mod:`boxoffice.adapters.repos.ledger`), the repairs :mod:`boxoffice.services.repairs`, hold administration
:mod:`boxoffice.services.holds`; this module checks who acts, runs the two passes and is the scheduled job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from ..adapters.seatstore import SeatStore
from ..adapters.uow import UowFactory
from ..config import Settings
from ..domain.drift import (
    CLASSES,
    CRITICAL,
    DESCRIPTIONS,
    SAFE,
    DbPicture,
    Drift,
    SessionReport,
    classify,
    classify_seats,
    drifts,
    expected_ledger,
    kept,
    session_report,
)
from ..domain.values import Hold, SessionInfo
from ..errors import BackendUnavailable, NotSignedIn
from .accounts import SUPERVISOR_ROLES, Accounts
from .catalog import Catalog
from .consumer import GROUP
from .holds import HoldAdmin
from .inventory import Inventory
from .repairs import Actor, RepairResult, Repairs

__all__ = [  # what the windows and the tests import from here
    "CLASSES", "CRITICAL", "DESCRIPTIONS", "SAFE", "Actor", "DbPicture", "Drift", "Reconciler",
    "RepairResult", "SessionReport", "classify", "classify_seats", "expected_ledger",
]

log = logging.getLogger(__name__)


class Reconciler:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog, inventory: Inventory,
                 accounts: Accounts, settings: Settings) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        self.inventory = inventory
        self.accounts = accounts
        self.settings = settings
        self.repairs = Repairs(uow, store, catalog, inventory, settings)
        self.hold_admin = HoldAdmin(uow, store, catalog)

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

    # -- checking ---------------------------------------------------------------------------------------------------
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
        suspects = [info for info in infos if first[info.session_id][1]]
        if not suspects:
            return [first[i.session_id][0] for i in infos]
        time.sleep(wait)
        second = self._pass(suspects)
        out = []
        for info in infos:
            report, found = second.get(info.session_id, first[info.session_id])
            if info.session_id in second:
                both = kept(first[info.session_id][1], found)
                report = replace(report, drifts=drifts(self.catalog.layout(info.venue_id), both))
            out.append(report)
        return out

    def _pass(self, infos: Sequence[SessionInfo]) -> dict[int, tuple[SessionReport, dict[str, Any]]]:
        """One comparison of the given sessions: Redis first, then one database snapshot."""
        inspections = {info.session_id: self.store.inspect(info.session_id) for info in infos}
        with self.uow() as tx:
            tx.ledger.snapshot()
            pictures = tx.ledger.pictures(infos, self.settings.outbox_redeliver_s, GROUP)
        out = {}
        now = datetime.now(timezone.utc)
        for info in infos:
            insp, db = inspections[info.session_id], pictures[info.session_id]
            try:
                found = classify(db, insp)
                layout = self.catalog.layout(info.venue_id)
                out[info.session_id] = (session_report(info, db, insp, drifts(layout, found), now), found)
            except BackendUnavailable:
                raise
            except Exception as exc:  # one session's failure never stops the check of the others
                log.exception("reconcile: checking session %s failed", info.session_id)
                found = {"check_failed": [f"{exc.__class__.__name__}: {exc}"]}
                drift = Drift("check_failed", (), (), f"the check itself failed: {exc.__class__.__name__}: {exc}")
                out[info.session_id] = (session_report(info, db, insp, (drift,), now), found)
        return out

    # -- repairing --------------------------------------------------------------------------------------------------
    def repair(self, username: str | None, report: SessionReport, reason: str, classes: Iterable[str] | None = None,
               system: str | None = None) -> RepairResult:
        """Repair the drift ``report`` found (only ``classes`` if given); see :class:`Repairs`."""
        return self.repairs.repair(self.actor(username, system), report, reason, classes)

    # -- holds ------------------------------------------------------------------------------------------------------
    def holds(self, username: str, session_id: int) -> list[Hold]:
        """The session's holds still listed in Redis (live, or expired and waiting for the sweep)."""
        self.actor(username)
        return self.hold_admin.holds(session_id)

    def force_release(self, username: str, session_id: int, token: str, reason: str) -> int:
        """Release one hold now (a clerk walked away); refused when its sale or exchange already committed — the
        seats are sold then, and the hold sweep confirms them."""
        return self.hold_admin.force_release(self.actor(username), session_id, token, reason)

    # -- the scheduled job --------------------------------------------------------------------------------------------
    def run_scheduled(self) -> list[SessionReport]:
        """Check every current session (one process at a time across the installation); in ``repair`` mode repair
        the safe classes. Returns the reports (empty when another process holds the turn)."""
        mode = self.settings.reconcile_mode
        if mode == "off":
            return []
        if not self.store.try_job_lock("reconcile", max(int(self.settings.reconcile_interval_s * 900), 1000)):
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

