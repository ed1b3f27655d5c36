"""Order events as typed values (DESIGN §5): what an outbox message carries, checked by type and range.

The outbox stores events as JSON. :func:`parse` turns a topic and a payload back into an :class:`OrderEvent`, or
raises :class:`InvalidEvent` naming what is wrong — the relay calls it before publishing and the consumer again before
applying, so a malformed message (a price that is not a decimal, a seat index outside the session) is dead-lettered
with its reason instead of reaching the stock ledger or the seat map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

TOPICS = ("OrderPlaced", "OrderCancelled", "OrderChanged")


class InvalidEvent(ValueError):
    """A message that can never be applied (a poison message); the text says why."""


@dataclass(frozen=True, slots=True)
class SeatSet:
    """Seats of one order that an event adds or ends: one order line, zone and price per seat."""

    seats: tuple[int, ...]
    lines: tuple[int, ...]
    zones: tuple[str, ...]
    prices: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """A sale adds seats, a cancel ends them, an exchange does both."""

    topic: str
    order_id: int
    session_id: int
    token: str
    added: SeatSet | None
    ended: SeatSet | None

    def ledger_deltas(self) -> list[tuple[str, int, Decimal]]:
        """(zone, seats, revenue) changes this event makes to the session's stock ledger."""
        return [(z, sign, sign * p)
                for part, sign in ((self.ended, -1), (self.added, 1)) if part
                for z, p in zip(part.zones, part.prices, strict=True)]

    def seats(self) -> list[int]:
        return [i for part in (self.added, self.ended) if part for i in part.seats]


def _int(value: Any, what: str, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEvent(f"{what} must be a whole number, not {value!r}")
    if value < low or (high is not None and value >= high):
        bound = f"{low}..{high - 1}" if high is not None else f">= {low}"
        raise InvalidEvent(f"{what} {value} is out of range ({bound})")
    return value


def _list(payload: Mapping[str, Any], field: str, where: str) -> list[Any]:
    value = payload.get(field)
    if not isinstance(value, list):
        raise InvalidEvent(f"{where}{field} must be a list, not {value!r}")
    return value


def _decimal(value: Any, what: str) -> Decimal:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InvalidEvent(f"{what} must be a decimal amount, not {value!r}")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidEvent(f"{what} must be a decimal amount, not {value!r}") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidEvent(f"{what} {value!r} is not an amount of money (finite, >= 0, cents)")
    return amount


def _seat_set(payload: Any, capacity: int | None, where: str) -> SeatSet:
    if not isinstance(payload, Mapping):
        raise InvalidEvent(f"{where or 'payload'} must be an object")
    seats = [_int(v, f"{where}seat index", 0, capacity) for v in _list(payload, "seats", where)]
    lines = [_int(v, f"{where}order line", 1) for v in _list(payload, "lines", where)]
    zones = _list(payload, "zones", where)
    prices = [_decimal(v, f"{where}price") for v in _list(payload, "prices", where)]
    if any(not isinstance(z, str) or not z for z in zones):
        raise InvalidEvent(f"{where}zones must be non-empty strings")
    if not len(seats) == len(lines) == len(zones) == len(prices):
        raise InvalidEvent(f"{where}seats, lines, zones and prices differ in length "
                           f"({len(seats)}, {len(lines)}, {len(zones)}, {len(prices)})")
    if len(set(seats)) != len(seats):
        raise InvalidEvent(f"{where}a seat index is repeated")
    return SeatSet(tuple(seats), tuple(lines), tuple(zones), tuple(prices))


def parse(topic: str, payload: Any, capacity: int | None = None) -> OrderEvent:
    """The typed event of an outbox message; seat indices are checked against ``capacity`` when it is given.
    Raises :class:`InvalidEvent`."""
    if topic not in TOPICS:
        raise InvalidEvent(f"unknown topic {topic!r}")
    if not isinstance(payload, Mapping):
        raise InvalidEvent("payload is not an object")
    order_id = _int(payload.get("order_id"), "order_id", 1)
    session_id = _int(payload.get("session_id"), "session_id", 1)
    token = payload.get("token")
    if not isinstance(token, str) or not token:
        raise InvalidEvent(f"token must be a non-empty string, not {token!r}")
    added = ended = None
    if topic == "OrderPlaced":
        added = _seat_set(payload, capacity, "")
    elif topic == "OrderCancelled":
        ended = _seat_set(payload, capacity, "")
    else:
        added = _seat_set(payload.get("added"), capacity, "added.")
        ended = _seat_set(payload.get("removed"), capacity, "removed.")
    return OrderEvent(topic, order_id, session_id, token, added, ended)


def session_of(payload: Any) -> int | None:
    """The session a payload names, if it names one as a whole number (to look its capacity up before parsing)."""
    sid = payload.get("session_id") if isinstance(payload, Mapping) else None
    return sid if isinstance(sid, int) and not isinstance(sid, bool) and sid > 0 else None
