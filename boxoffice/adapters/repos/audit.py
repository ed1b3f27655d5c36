"""The audit log: writing an entry inside the caller's transaction, and the outage markers degraded mode reads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import models


def record(s: Session, action: str, actor_id: int | None, *, session_id: int | None = None,
           order_id: int | None = None, reason: str | None = None, details: dict[str, Any] | None = None,
           at: datetime | None = None) -> int:
    """Add an entry (``actor_id`` None: the system; ``at`` None: now) and return its id; it commits with the
    caller's transaction. ``details`` is stored as JSON (dates and amounts as text)."""
    row = models.AuditLog(actor_id=actor_id, action=action, session_id=session_id, order_id=order_id, reason=reason,
                          details=json.loads(json.dumps(details or {}, default=str)))
    if at is not None:
        row.at = at
    s.add(row)
    s.flush()
    return row.id


def last_outage(s: Session) -> tuple[datetime | None, datetime | None]:
    """When an outage of Redis was last recorded (``redis_down``) and when the last recovery began
    (``redis_recovered``)."""
    log = models.AuditLog
    down, recovered = s.execute(
        select(func.max(log.at).filter(log.action == "redis_down"),
               func.max(log.at).filter(log.action == "redis_recovered"))
        .where(log.action.in_(("redis_down", "redis_recovered")))
    ).one()
    return down, recovered
