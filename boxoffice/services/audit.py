"""The audit log: one way to write an entry, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from ..adapters import models as m


def audit(session: Session, action: str, actor_id: int | None, *, session_id: int | None = None,
          order_id: int | None = None, reason: str | None = None, details: dict[str, Any] | None = None) -> int:
    """Add an entry (``actor_id`` None: the system) and return its id; it commits with the caller's transaction."""
    row = m.AuditLog(actor_id=actor_id, action=action, session_id=session_id, order_id=order_id, reason=reason,
                     details=json.loads(json.dumps(details or {}, default=str)))
    session.add(row)
    session.flush()
    return row.id
