"""Hold administration for supervisors: the holds a session's seat map lists, and releasing one by hand (a clerk
walked away), audited with actor and reason."""

from __future__ import annotations

from dataclasses import replace

from ..adapters import locks
from ..adapters.seatstore import SeatStore
from ..adapters.uow import UowFactory
from ..domain.values import Hold
from ..errors import BadInput, NotFound
from .catalog import Catalog
from .repairs import Actor


class HoldAdmin:
    def __init__(self, uow: UowFactory, store: SeatStore, catalog: Catalog) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog

    def holds(self, session_id: int) -> list[Hold]:
        """The session's holds still listed in Redis (live, or expired and waiting for the sweep)."""
        info = self.catalog.session(session_id)
        layout = self.catalog.layout(info.venue_id)
        return [
            replace(h, labels=tuple(layout.seats[i].label for i in h.seats if i < info.capacity))
            for h in sorted(self.store.hold_records(session_id), key=lambda h: h.expires_ms) if h.state == "held"
        ]

    def force_release(self, actor: Actor, session_id: int, token: str, reason: str) -> int:
        """Release one hold now; refused when its sale or exchange already committed — the seats are sold then, and
        the hold sweep confirms them. Returns how many seats were freed."""
        if not reason.strip():
            raise BadInput(reason="release_needs_reason")
        hold = self.store.hold(session_id, token)
        if hold is None or hold.state != "held":
            raise NotFound(reason="no_live_hold", token=token, session_id=session_id)
        with self.uow() as tx:
            tx.locks.exclusive(locks.INVENTORY, session_id)
            order = tx.outbox.order_of_token(token)
            if order is not None:
                raise BadInput(reason="hold_committed", order_id=order)
            freed = self.store.release(session_id, token, "force")
            layout = self.catalog.layout(self.catalog.venue_of(session_id))
            labels = [layout.seats[i].label for i in hold.seats]
            tx.audit.record("repair", actor.user_id, session_id=session_id, reason=reason.strip(),
                            details={"class": "hold_release", "seats": labels,
                                     "before": {"hold": token, "clerk": hold.clerk, "state": "held"},
                                     "after": {"state": "released", "freed": freed}, "actor": actor.name})
            tx.commit()
        return freed
