"""Order events round-trip through their outbox payload, and every malformed payload is refused with a reason."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from boxoffice.domain.events import (
    TOPICS,
    InvalidEvent,
    OrderCancelled,
    OrderChanged,
    OrderEvent,
    OrderPlaced,
    SeatSet,
    parse,
    session_of,
)

SEATS = SeatSet((3, 4), (10, 11), ("A", "B"), (Decimal("30.00"), Decimal("12.50")))
OTHER = SeatSet((7,), (12,), ("A",), (Decimal("30.00"),))
EVENTS = [
    OrderPlaced(5, 2, "tok-1", added=SEATS),
    OrderPlaced(5, 2, "tok-1", added=SEATS, total=Decimal("42.50")),
    OrderCancelled(5, 2, "tok-1", ended=SEATS),
    OrderChanged(5, 2, "tok-2", added=OTHER, ended=SEATS),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{e.topic}-{len(e.to_payload())}")
def test_round_trip_through_json(event: OrderEvent) -> None:
    payload = json.loads(json.dumps(event.to_payload()))
    assert type(event).from_payload(payload) == event
    assert parse(event.topic, payload, capacity=8) == event


def test_topics_and_payload_shapes() -> None:
    assert TOPICS == ("OrderPlaced", "OrderCancelled", "OrderChanged")
    placed = EVENTS[0].to_payload()
    assert placed == {"order_id": 5, "session_id": 2, "token": "tok-1", "seats": [3, 4], "lines": [10, 11],
                      "zones": ["A", "B"], "prices": ["30.00", "12.50"]}
    assert EVENTS[1].to_payload() == {**placed, "total": "42.50"}
    changed = EVENTS[3].to_payload()
    assert set(changed) == {"order_id", "session_id", "token", "added", "removed"}
    assert changed["removed"] == {"seats": [3, 4], "lines": [10, 11], "zones": ["A", "B"],
                                  "prices": ["30.00", "12.50"]}


def test_ledger_deltas_and_seats() -> None:
    assert EVENTS[0].ledger_deltas() == [("A", 1, Decimal("30.00")), ("B", 1, Decimal("12.50"))]
    assert EVENTS[2].ledger_deltas() == [("A", -1, Decimal("-30.00")), ("B", -1, Decimal("-12.50"))]
    assert EVENTS[3].ledger_deltas() == [("A", -1, Decimal("-30.00")), ("B", -1, Decimal("-12.50")),
                                         ("A", 1, Decimal("30.00"))]
    assert sorted(EVENTS[3].seats()) == [3, 4, 7]


def test_events_are_frozen() -> None:
    with pytest.raises(AttributeError):
        EVENTS[0].order_id = 6  # type: ignore[misc]


def placed(**change: object) -> dict[str, object]:
    return {**EVENTS[0].to_payload(), **change}


INVALID_PAYLOADS = {
    "not an object": ("OrderPlaced", ["x"]),
    "unknown topic": ("OrderLost", placed()),
    "order_id missing": ("OrderPlaced", {k: v for k, v in placed().items() if k != "order_id"}),
    "order_id zero": ("OrderPlaced", placed(order_id=0)),
    "order_id text": ("OrderPlaced", placed(order_id="5")),
    "order_id bool": ("OrderPlaced", placed(order_id=True)),
    "session_id negative": ("OrderPlaced", placed(session_id=-2)),
    "token empty": ("OrderPlaced", placed(token="")),
    "token number": ("OrderPlaced", placed(token=7)),
    "seats not a list": ("OrderPlaced", placed(seats="3,4")),
    "seat negative": ("OrderPlaced", placed(seats=[-1, 4])),
    "seat beyond capacity": ("OrderPlaced", placed(seats=[3, 8])),
    "seat float": ("OrderPlaced", placed(seats=[3.0, 4])),
    "seat repeated": ("OrderPlaced", placed(seats=[3, 3])),
    "line zero": ("OrderPlaced", placed(lines=[0, 11])),
    "zone empty": ("OrderPlaced", placed(zones=["A", ""])),
    "zone number": ("OrderPlaced", placed(zones=["A", 2])),
    "price text": ("OrderPlaced", placed(prices=["abc", "1.00"])),
    "price float": ("OrderPlaced", placed(prices=[30.0, "12.50"])),
    "price negative": ("OrderPlaced", placed(prices=["-1.00", "12.50"])),
    "price fraction of a cent": ("OrderPlaced", placed(prices=["30.001", "12.50"])),
    "price infinite": ("OrderPlaced", placed(prices=["Infinity", "12.50"])),
    "price huge": ("OrderPlaced", placed(prices=["1e40", "12.50"])),
    "lengths differ": ("OrderPlaced", placed(lines=[10])),
    "total text": ("OrderPlaced", placed(total="much")),
    "total float": ("OrderPlaced", placed(total=42.5)),
    "total negative": ("OrderPlaced", placed(total="-1.00")),
    "cancel without seats": ("OrderCancelled", {"order_id": 5, "session_id": 2, "token": "t"}),
    "change without removed": ("OrderChanged", {"order_id": 5, "session_id": 2, "token": "t",
                                                "added": OTHER.to_payload()}),
    "change with a bad added seat": ("OrderChanged", {**EVENTS[3].to_payload(),
                                                      "added": {**OTHER.to_payload(), "seats": [99]}}),
}


@pytest.mark.parametrize("case", INVALID_PAYLOADS)
def test_invalid_payload_is_refused(case: str) -> None:
    topic, payload = INVALID_PAYLOADS[case]
    with pytest.raises(InvalidEvent):
        parse(topic, payload, capacity=8)


def test_the_reason_names_the_section() -> None:
    topic, payload = INVALID_PAYLOADS["change with a bad added seat"]
    with pytest.raises(InvalidEvent, match=r"^added\.seat index 99 is out of range \(0\.\.7\)$"):
        parse(topic, payload, capacity=8)


INVALID_VALUES = {
    "placed with ended seats": lambda: OrderPlaced(5, 2, "t", added=SEATS, ended=OTHER),
    "placed without seats": lambda: OrderPlaced(5, 2, "t"),
    "cancelled with added seats": lambda: OrderCancelled(5, 2, "t", added=SEATS, ended=OTHER),
    "changed without added": lambda: OrderChanged(5, 2, "t", ended=SEATS),
    "order id zero": lambda: OrderPlaced(0, 2, "t", added=SEATS),
    "token empty": lambda: OrderPlaced(5, 2, "", added=SEATS),
    "seats not a SeatSet": lambda: OrderPlaced(5, 2, "t", added={"seats": []}),  # type: ignore[arg-type]
    "seat set lengths differ": lambda: SeatSet((1, 2), (1,), ("A",), (Decimal("1.00"),)),
    "seat set price float": lambda: SeatSet((1,), (1,), ("A",), (1.5,)),  # type: ignore[arg-type]
    "seat set price of fractions of cents": lambda: SeatSet((1,), (1,), ("A",), (Decimal("0.001"),)),
    "seat set repeated seat": lambda: SeatSet((1, 1), (1, 2), ("A", "A"), (Decimal(1), Decimal(1))),
}


@pytest.mark.parametrize("case", INVALID_VALUES)
def test_invalid_event_cannot_be_made(case: str) -> None:
    with pytest.raises(InvalidEvent):
        INVALID_VALUES[case]()


def test_the_base_class_is_not_an_event() -> None:
    with pytest.raises(TypeError):
        OrderEvent(5, 2, "t", added=SEATS)
    with pytest.raises(TypeError):
        OrderEvent.from_payload(EVENTS[0].to_payload())


def test_session_of() -> None:
    assert session_of(EVENTS[0].to_payload()) == 2
    assert session_of({"session_id": "2"}) is None
    assert session_of({"session_id": True}) is None
    assert session_of([2]) is None
