"""What the seat store reads and writes, as immutable values (a hold is :class:`~boxoffice.domain.values.Hold`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...domain.values import Hold


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    session_id: int
    seats_wanted: int
    expires_ms: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A consistent picture of one session: taken and sold bitmaps at one version."""

    session_id: int
    version: int
    taken: bytes
    sold: bytes
    stock: int | None
    capacity: int | None
    epoch: str | None
    live_holds: int = 0

    @property
    def present(self) -> bool:
        return self.capacity is not None


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything the reconciler compares on the Redis side of one session, read in one MULTI (the hold records in
    a second round trip)."""

    snapshot: Snapshot
    on_sale: bool | None
    owners: dict[int, str]
    holds: tuple[Hold, ...]
    now_ms: int


@dataclass(frozen=True, slots=True)
class SeatChange:
    """A Redis change that follows a committed order change: ``confirm`` the hold of ``token`` as the seats of
    ``order_id``, or ``free`` the seats that ended order lines held. ``lines`` are the order line ids, one per seat:
    a seat is owned by ``order:line`` in Redis, so a late free of an ended line never frees the seat a newer line of
    the same order holds."""

    kind: str
    session_id: int
    order_id: int
    seats: Sequence[int]
    lines: Sequence[int]
    token: str = ""
    reason: str = "outbox"


@dataclass(frozen=True, slots=True)
class SeatFix:
    """One seat for :meth:`SeatStore.repair`: the state the reconciler saw and the state to write."""

    seat: int
    seen_taken: bool
    seen_sold: bool
    seen_owner: str
    taken: bool
    sold: bool
    owner: str


@dataclass(frozen=True, slots=True)
class RepairReply:
    stock_before: int
    stock_after: int
    version: int
    repaired: tuple[int, ...]
