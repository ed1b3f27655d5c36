"""Sales windows: a session's sales open and close on time.

Each session has ``sales_close_at`` (and optionally ``sales_open_at``). The sale itself enforces the window twice,
independently of this module: ``SALE_SQL`` compares it with the database clock and ``issue_token.lua`` / ``claim.lua``
with the Redis clock (the meta's ``closes_ms`` / ``opens_ms``, written by ``rebuild.lua`` and ``sales.lua``) — so a
sale a second after the close is refused before anything here runs. This module keeps the *flags* in step:

- :meth:`SalesWindow.close_due` (the scheduler's ``sales-window`` job, one process per turn) turns the sessions whose
  close time has passed to ``closed`` in Redis first, then in PostgreSQL. If it dies in between, Redis already
  refuses and the next turn finds the session still due in the database and finishes it — the reconciler's on-sale
  check (Redis flag against database status) never sees a session closed in the database only.
- :meth:`SalesWindow.close` / :meth:`SalesWindow.open` are the supervisor's ``session close`` / ``session open``,
  audited with the actor: the database first (the system of record; the sale statement refuses at once), then Redis.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, text

from ..adapters import models as m
from ..adapters.seatstore import SeatStore
from ..adapters.uow import UowFactory
from ..domain.values import SessionInfo
from ..errors import BadInput, NotFound
from .accounts import SUPERVISOR_ROLES, Accounts
from .audit import audit
from .catalog import Catalog
from .inventory import epoch_ms

log = logging.getLogger(__name__)

#: sessions closed per turn of the job at most (a backlog after a long stop is worked off over a few turns)
BATCH = 200


class SalesWindow:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog

    def _push(self, info: SessionInfo) -> None:
        """Copy the session's flag and window into its Redis meta (nothing when it has no seat map there)."""
        self.store.set_sales(info.session_id, info.status == "onsale", epoch_ms(info.sales_close_at),
                             epoch_ms(info.sales_open_at))

    # -- the supervisor's commands ----------------------------------------------------------------------------------
    def close(self, accounts: Accounts, username: str, session_id: int, reason: str | None = None) -> SessionInfo:
        """Stop sales now (``session close``); the scheduled close time stays, so ``open`` can resume within it."""
        user = accounts.require(username, SUPERVISOR_ROLES)
        with self.uow() as tx:
            s = tx.session
            row = s.execute(select(m.Session).where(m.Session.id == session_id).with_for_update()).scalar_one_or_none()
            if row is None:
                raise NotFound(f"no session with id {session_id}")
            was = row.status
            row.status = "closed"
            audit(s, "session_close", user.user_id, session_id=session_id, reason=(reason or "").strip() or None,
                  details={"was": was})
            tx.commit()
        info = self.catalog.session(session_id)
        self._push(info)
        return info

    def open(self, accounts: Accounts, username: str, session_id: int, until: datetime | None = None,
             reason: str | None = None) -> SessionInfo:
        """Put the session on sale now (``session open``), until ``until`` if given, else until its close time —
        which must then still be ahead (a session whose window has passed needs a new close time)."""
        user = accounts.require(username, SUPERVISOR_ROLES)
        if until is not None and until.tzinfo is None:
            raise BadInput("the --until time needs a time zone (e.g. 2026-12-01T19:30:00+01:00)")
        with self.uow() as tx:
            s = tx.session
            row = s.execute(select(m.Session).where(m.Session.id == session_id).with_for_update()).scalar_one_or_none()
            if row is None:
                raise NotFound(f"no session with id {session_id}")
            now = s.execute(text("SELECT now()")).scalar_one()
            before = {"status": row.status, "sales_close_at": row.sales_close_at, "sales_open_at": row.sales_open_at}
            if until is not None:
                if until <= now:
                    raise BadInput(f"--until {until.isoformat()} is in the past")
                row.sales_close_at = until
            elif row.sales_close_at <= now:
                raise BadInput(f"sales for session {session_id} closed at {row.sales_close_at.isoformat()}; "
                               "give --until to open them again")
            if row.sales_open_at is not None and row.sales_open_at > now:
                row.sales_open_at = now
            row.status = "onsale"
            audit(s, "session_open", user.user_id, session_id=session_id, reason=(reason or "").strip() or None,
                  details={"before": before, "sales_close_at": row.sales_close_at})
            tx.commit()
        info = self.catalog.session(session_id)
        self._push(info)
        return info

    # -- the scheduled job ------------------------------------------------------------------------------------------
    def close_due(self, turn_ms: int = 900) -> list[int]:
        """Close every session whose sales window has ended (one process per turn across the installation): the
        Redis flag first, then the database status; audited as the system. Returns the sessions closed."""
        if not self.store.try_job_lock("sales-window", turn_ms):
            return []
        with self.uow() as tx:
            due = tx.session.execute(
                text("SELECT id, sales_close_at, sales_open_at FROM sessions "
                     "WHERE status = 'onsale' AND sales_close_at <= now() ORDER BY sales_close_at LIMIT :n"),
                {"n": BATCH},
            ).all()
        if not due:
            return []
        for r in due:
            self.store.set_sales(r.id, False, epoch_ms(r.sales_close_at), epoch_ms(r.sales_open_at))
        ids = [r.id for r in due]
        with self.uow() as tx:
            s = tx.session
            closed = s.execute(
                text("UPDATE sessions SET status = 'closed' WHERE id = ANY(:ids) AND status = 'onsale' "
                     "AND sales_close_at <= now() RETURNING id, sales_close_at"),
                {"ids": ids},
            ).all()
            for r in closed:
                audit(s, "session_close", None, session_id=r.id, reason="sales window closed",
                      details={"sales_close_at": r.sales_close_at, "by": "sales-window job"})
            tx.commit()
        done = [r.id for r in closed]
        for sid in set(ids) - set(done):  # reopened by a supervisor meanwhile: Redis follows the database again
            self._push(self.catalog.session(sid))
        if done:
            log.info("sales closed on time for session(s) %s", ", ".join(map(str, done)))
        return done
