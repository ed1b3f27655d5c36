"""Order events as typed values (DESIGN §5): what an outbox message carries, checked by type and range.

The outbox stores events as JSON. :class:`OrderPlaced`, :class:`OrderCancelled` and :class:`OrderChanged` write their
payload (:meth:`OrderEvent.to_payload`) and read it back (:meth:`OrderEvent.from_payload`, or :func:`parse` from a
topic and a payload), checking it both ways: an invalid event raises :class:`InvalidEvent` naming what is wrong. The
relay parses a message before publishing and the consumer again before applying, so a malformed message (a price that
is not a decimal, a seat index outside the session) is dead-lettered with its reason instead of reaching the stock
ledger or the seat map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar


class InvalidEvent(ValueError):
    """A message that can never be applied (a poison message); the text says why."""


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
    """An amount of money: a decimal string, a whole number or a Decimal (a JSON float is not exact: refused)."""
    if not isinstance(value, (str, int, Decimal)) or isinstance(value, bool):
        raise InvalidEvent(f"{what} must be a decimal amount, not {value!r}")
    try:
        amount = Decimal(value)
        cents = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InvalidEvent(f"{what} must be a decimal amount, not {value!r}") from None
    if not cents or amount < 0:
        raise InvalidEvent(f"{what} {value!r} is not an amount of money (finite, >= 0, cents)")
    return amount


@dataclass(frozen=True, slots=True)
class SeatSet:
    """Seats of one order that an event adds or ends: one order line, zone and price per seat. Checked when made
    (whole numbers, amounts of money, equal lengths, no seat twice): an invalid one raises :class:`InvalidEvent`."""

    seats: tuple[int, ...]
    lines: tuple[int, ...]
    zones: tuple[str, ...]
    prices: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        seats = tuple(_int(v, "seat index") for v in self.seats)
        lines = tuple(_int(v, "order line", 1) for v in self.lines)
        prices = tuple(_decimal(v, "price") for v in self.prices)
        zones = tuple(self.zones)
        if any(not isinstance(z, str) or not z for z in zones):
            raise InvalidEvent("zones must be non-empty strings")
        if not len(seats) == len(lines) == len(zones) == len(prices):
            raise InvalidEvent(f"seats, lines, zones and prices differ in length "
                               f"({len(seats)}, {len(lines)}, {len(zones)}, {len(prices)})")
        if len(set(seats)) != len(seats):
            raise InvalidEvent("a seat index is repeated")
        for name, value in (("seats", seats), ("lines", lines), ("zones", zones), ("prices", prices)):
            object.__setattr__(self, name, value)

    def to_payload(self) -> dict[str, list[Any]]:
        return {"seats": list(self.seats), "lines": list(self.lines), "zones": list(self.zones),
                "prices": [str(p) for p in self.prices]}

    @classmethod
    def from_payload(cls, payload: Any, capacity: int | None = None, where: str = "") -> SeatSet:
        """The seat set of a payload section; seat indices are checked against ``capacity`` when it is given."""
        if not isinstance(payload, Mapping):
            raise InvalidEvent(f"{where or 'payload'} must be an object")
        seats, lines, zones, prices = (_list(payload, name, where) for name in ("seats", "lines", "zones", "prices"))
        try:
            seat_set = cls(tuple(seats), tuple(lines), tuple(zones), tuple(prices))
        except InvalidEvent as exc:
            raise InvalidEvent(f"{where}{exc}") from None
        if capacity is not None:
            for i in seat_set.seats:
                _int(i, f"{where}seat index", 0, capacity)
        return seat_set


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """A sale adds seats, a cancel ends them, an exchange does both. Made as one of :class:`OrderPlaced`,
    :class:`OrderCancelled` or :class:`OrderChanged` (the class names the topic); checked when made."""

    order_id: int
    session_id: int
    token: str
    added: SeatSet | None = None
    ended: SeatSet | None = None
    topic: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if not self.topic:
            raise TypeError("make an OrderPlaced, OrderCancelled or OrderChanged")
        _int(self.order_id, "order_id", 1)
        _int(self.session_id, "session_id", 1)
        if not isinstance(self.token, str) or not self.token:
            raise InvalidEvent(f"token must be a non-empty string, not {self.token!r}")
        for part in (self.added, self.ended):
            if part is not None and not isinstance(part, SeatSet):
                raise InvalidEvent(f"seats must be a SeatSet, not {part!r}")

    def ledger_deltas(self) -> list[tuple[str, int, Decimal]]:
        """(zone, seats, revenue) changes this event makes to the session's stock ledger."""
        return [(z, sign, sign * p)
                for part, sign in ((self.ended, -1), (self.added, 1)) if part
                for z, p in zip(part.zones, part.prices, strict=True)]

    def seats(self) -> list[int]:
        return [i for part in (self.added, self.ended) if part for i in part.seats]

    def to_payload(self) -> dict[str, Any]:
        """The outbox row's JSON payload (what :meth:`from_payload` reads back)."""
        return {"order_id": self.order_id, "session_id": self.session_id, "token": self.token, **self._sections()}

    def _sections(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_payload(cls, payload: Any, capacity: int | None = None) -> OrderEvent:
        """The event a payload describes, of this class's topic (:func:`parse` picks the class from a topic); seat
        indices are checked against ``capacity`` when it is given. Raises :class:`InvalidEvent`."""
        if not cls.topic:
            raise TypeError("OrderEvent.from_payload needs a topic: use parse(topic, payload)")
        if not isinstance(payload, Mapping):
            raise InvalidEvent("payload is not an object")
        order_id = _int(payload.get("order_id"), "order_id", 1)
        session_id = _int(payload.get("session_id"), "session_id", 1)
        token = payload.get("token")
        if not isinstance(token, str) or not token:
            raise InvalidEvent(f"token must be a non-empty string, not {token!r}")
        return cls._read(order_id, session_id, token, payload, capacity)

    @classmethod
    def _read(cls, order_id: int, session_id: int, token: str, payload: Mapping[str, Any], capacity: int | None
              ) -> OrderEvent:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class OrderPlaced(OrderEvent):
    """A sale: its seats with their order lines, zones and prices (the sale statement builds this payload in SQL
    for speed; a test checks what it writes against this class)."""

    topic: ClassVar[str] = "OrderPlaced"
    total: Decimal | None = None  # what the customer paid (a sale writes it; optional for the reader)

    def __post_init__(self) -> None:
        OrderEvent.__post_init__(self)
        if self.added is None or self.ended is not None:
            raise InvalidEvent("OrderPlaced adds seats and ends none")
        if self.total is not None:
            object.__setattr__(self, "total", _decimal(self.total, "total"))

    def _sections(self) -> dict[str, Any]:
        assert self.added is not None
        total = {} if self.total is None else {"total": str(self.total)}
        return {**self.added.to_payload(), **total}

    @classmethod
    def _read(cls, order_id: int, session_id: int, token: str, payload: Mapping[str, Any], capacity: int | None
              ) -> OrderEvent:
        return cls(order_id, session_id, token, added=SeatSet.from_payload(payload, capacity),
                   total=payload.get("total"))


@dataclass(frozen=True, slots=True)
class OrderCancelled(OrderEvent):
    """A cancel: the seats (with their lines, zones and prices) the order gives back."""

    topic: ClassVar[str] = "OrderCancelled"

    def __post_init__(self) -> None:
        OrderEvent.__post_init__(self)
        if self.ended is None or self.added is not None:
            raise InvalidEvent("OrderCancelled ends seats and adds none")

    def _sections(self) -> dict[str, Any]:
        assert self.ended is not None
        return self.ended.to_payload()

    @classmethod
    def _read(cls, order_id: int, session_id: int, token: str, payload: Mapping[str, Any], capacity: int | None
              ) -> OrderEvent:
        return cls(order_id, session_id, token, ended=SeatSet.from_payload(payload, capacity))


@dataclass(frozen=True, slots=True)
class OrderChanged(OrderEvent):
    """An exchange: the seats added (under the exchange's token) and the seats removed."""

    topic: ClassVar[str] = "OrderChanged"

    def __post_init__(self) -> None:
        OrderEvent.__post_init__(self)
        if self.added is None or self.ended is None:
            raise InvalidEvent("OrderChanged adds seats and removes seats")

    def _sections(self) -> dict[str, Any]:
        assert self.added is not None and self.ended is not None
        return {"added": self.added.to_payload(), "removed": self.ended.to_payload()}

    @classmethod
    def _read(cls, order_id: int, session_id: int, token: str, payload: Mapping[str, Any], capacity: int | None
              ) -> OrderEvent:
        return cls(order_id, session_id, token, added=SeatSet.from_payload(payload.get("added"), capacity, "added."),
                   ended=SeatSet.from_payload(payload.get("removed"), capacity, "removed."))


#: the event class of each outbox topic
EVENTS: dict[str, type[OrderEvent]] = {cls.topic: cls for cls in (OrderPlaced, OrderCancelled, OrderChanged)}
TOPICS: tuple[str, ...] = tuple(EVENTS)


def parse(topic: str, payload: Any, capacity: int | None = None) -> OrderEvent:
    """The typed event of an outbox message; seat indices are checked against ``capacity`` when it is given.
    Raises :class:`InvalidEvent`."""
    event_class = EVENTS.get(topic) if isinstance(topic, str) else None
    if event_class is None:
        raise InvalidEvent(f"unknown topic {topic!r}")
    return event_class.from_payload(payload, capacity)


def session_of(payload: Any) -> int | None:
    """The session a payload names, if it names one as a whole number (to look its capacity up before parsing)."""
    sid = payload.get("session_id") if isinstance(payload, Mapping) else None
    return sid if isinstance(sid, int) and not isinstance(sid, bool) and sid > 0 else None
