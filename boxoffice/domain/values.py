"""Immutable values that cross layers and threads (ORM objects never leave the service that loaded them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

PAYMENT_METHODS = ("cash", "card", "voucher")
#: the price type of a seat when the clerk chose none
DEFAULT_PRICE_TYPE = "adult"
ROLES = ("clerk", "supervisor")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, AsDict):
        return value.as_dict()
    return value


class AsDict:
    def as_dict(self) -> dict[str, Any]:
        return {k: _jsonable(getattr(self, k)) for k in self.__dataclass_fields__}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class VenueInfo(AsDict):
    venue_id: int
    name: str
    kind: str
    seats: int
    session_minutes: int


@dataclass(frozen=True)
class SessionInfo(AsDict):
    session_id: int
    venue_id: int
    venue: str
    name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    capacity: int
    sales_close_at: datetime | None = None
    sales_open_at: datetime | None = None

    def sales_open(self, now: datetime) -> bool:
        """On sale at ``now``: not closed, and inside the sales window."""
        return (self.status == "onsale" and (self.sales_close_at is None or now < self.sales_close_at)
                and (self.sales_open_at is None or now >= self.sales_open_at))


@dataclass(frozen=True)
class SessionStats(AsDict):
    session_id: int
    venue_id: int
    venue: str
    name: str
    starts_at: datetime
    status: str
    capacity: int
    sold_db: int
    held_db: int
    blocked_db: int
    free_db: int
    taken_redis: int | None
    stock_redis: int | None
    version: int
    live_holds: int
    ends_at: datetime | None = None
    sales_close_at: datetime | None = None
    sales_open_at: datetime | None = None


@dataclass(frozen=True)
class Tender(AsDict):
    """One way an order was paid (split tender: several): ``amount`` of the total by ``method``; for cash, what the
    customer handed over (``tendered``; None: exact money) — the change is ``tendered - amount``."""

    method: str
    amount: Decimal
    tendered: Decimal | None = None

    @property
    def change(self) -> Decimal:
        return Decimal("0.00") if self.tendered is None else self.tendered - self.amount


@dataclass(frozen=True)
class ReceiptLine(AsDict):
    seat_index: int
    label: str
    zone: str
    price: Decimal
    line_id: int  # the order line: which acquisition of the seat this is (an exchange back creates a new one)
    price_type: str = DEFAULT_PRICE_TYPE
    #: the print number of the seat's ticket (0: first print; a code of an older print is refused at the gate)
    reprint: int = 0


@dataclass(frozen=True)
class Receipt(AsDict):
    """What a sale returns; also what ``order show`` returns for an order."""

    order_id: int
    session_id: int
    token: str
    status: str
    clerk: str
    payment: str
    total: Decimal
    created_at: datetime
    lines: tuple[ReceiptLine, ...] = field(default_factory=tuple)
    #: who bought it, when the clerk noted it on the sale (optional)
    customer_name: str | None = None
    customer_phone: str | None = None
    #: the cash the customer handed over (None: exact money, or a card)
    tendered: Decimal | None = None
    #: how it was paid, tender by tender (one for a sale paid one way; ``payment`` is then its method, else "split")
    tenders: tuple[Tender, ...] = ()

    @property
    def seats(self) -> tuple[str, ...]:
        return tuple(line.label for line in self.lines)

    @property
    def change(self) -> Decimal | None:
        """The change given back for cash handed over (None when none was recorded)."""
        cash = [t for t in self.tenders if t.tendered is not None]
        if cash:
            return sum((t.change for t in cash), Decimal("0.00"))
        return None if self.tendered is None else self.tendered - self.total

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        for key in ("customer_name", "customer_phone"):  # an anonymous order reads as it always did
            if out.get(key) is None:
                out.pop(key, None)
        out["seats"] = list(self.seats)
        out["lines"] = [line.as_dict() for line in self.lines]
        out["tenders"] = [t.as_dict() for t in self.tenders]
        return out


@dataclass(frozen=True)
class Hold(AsDict):
    """Seats held under an order token (DESIGN §2 step 2) until ``expires_ms`` (ms since the Unix epoch), as the seat
    store records them — or as the database records a hold made while Redis was down."""

    token: str
    #: held | confirmed (its order is sold) | released | gone (listed in the session, but its record is gone)
    state: str
    seats: tuple[int, ...]
    expires_ms: int
    clerk: str
    #: the seat-map epoch the hold was made in ("" when not known)
    epoch: str = ""
    #: made before the latest rebuild of the seat map (another epoch): its bits are not in the map any more and its
    #: seats may be someone else's, so it must not finish a sale
    stale: bool = False
    #: the seats' labels, where a service named them (the seat store knows indices only)
    labels: tuple[str, ...] = ()
    #: how many times the clerk extended it (the seat store allows a few)
    extensions: int = 0

    @property
    def expires_at(self) -> datetime:
        """``expires_ms`` as an aware UTC time."""
        return datetime.fromtimestamp(self.expires_ms / 1000, timezone.utc)

    def expired(self, now_ms: float) -> bool:
        return self.expires_ms <= now_ms
