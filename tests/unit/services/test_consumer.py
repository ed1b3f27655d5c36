"""The inventory consumer's logic on fakes: each event counted once in the ledger, its Redis side applied, a bad
message dead-lettered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.errors import BackendUnavailable
from boxoffice.services.booking import SaleRequest
from boxoffice.services.consumer import GROUP, InventoryConsumer
from tests.fakes.stream import FakeEventStream


@pytest.fixture
def consumer(world):
    events = FakeEventStream(world.clock)
    return InventoryConsumer(world.db.uow, world.store, None, world.settings, name="unit", events=events)


def publish(world, consumer, topic=None):
    """What the relay does: every pending outbox row (of ``topic``) onto the stream."""
    for row in world.db.outbox_rows(topic):
        consumer.events.add(row.id, row.topic, row.payload)


def ledger(world, sid):
    return {zone: tuple(v) for (s, zone), v in world.db.t.ledger.items() if s == sid}


def test_an_order_is_counted_in_the_ledger_once_however_often_it_is_delivered(world, consumer):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3", "S2-C-1")))
    publish(world, consumer)
    publish(world, consumer)  # a redelivered copy in the same batch
    consumer.consume_once()
    assert ledger(world, sid) == {"A": (2, Decimal("40.00")), "B": (1, Decimal("12.50"))}
    publish(world, consumer)  # and one delivered again later
    consumer.consume_once()
    assert ledger(world, sid) == {"A": (2, Decimal("40.00")), "B": (1, Decimal("12.50"))}
    [row] = world.db.outbox_rows()
    assert (GROUP, row.id) in world.db.t.inbox and row.applied_at is not None
    assert consumer.events.pending(GROUP) == []


def test_a_cancel_frees_the_seats_in_the_store_and_takes_them_off_the_ledger(world, consumer, monkeypatch):
    sid = world.new_session().session_id
    order = world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3")))
    real_apply = world.store.apply_changes

    def redis_away(changes):
        raise BackendUnavailable("Redis unreachable")

    monkeypatch.setattr(world.store, "apply_changes", redis_away)
    world.aftersale.cancel(order.order_id, "alice", "refund")  # its own Redis update fails: the seats stay taken
    monkeypatch.setattr(world.store, "apply_changes", real_apply)
    assert world.taken(sid) == {0, 1, 2}
    publish(world, consumer)
    assert consumer.consume_once() == 2
    assert world.taken(sid) == {0}
    assert ledger(world, sid) == {"A": (0, Decimal("0.00"))}


def test_an_outage_while_applying_leaves_the_message_pending_and_the_retry_counts_nothing_twice(
        world, consumer, monkeypatch):
    sid = world.new_session().session_id
    order = world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    world.aftersale.cancel(order.order_id, "alice", "refund")
    world.db.t.seats[(sid, 1)].status = "free"
    publish(world, consumer, "OrderPlaced")
    consumer.consume_once()
    real_apply = world.store.apply_changes
    calls = []

    def fail_once(changes):
        calls.append(changes)
        if len(calls) == 1:
            raise BackendUnavailable("Redis unreachable")
        real_apply(changes)

    monkeypatch.setattr(world.store, "apply_changes", fail_once)
    world.store.confirm(sid, order.token, [1], order.order_id, [order.lines[0].line_id])  # sold again in Redis
    publish(world, consumer, "OrderCancelled")
    with pytest.raises(BackendUnavailable):
        consumer.consume_once()
    assert len(consumer.events.pending(GROUP)) == 1  # not acknowledged: read again next time
    assert ledger(world, sid) == {"A": (0, Decimal("0.00"))}  # the ledger part committed once
    consumer.consume_once()
    assert consumer.events.pending(GROUP) == [] and len(calls) == 2
    assert ledger(world, sid) == {"A": (0, Decimal("0.00"))}
    assert world.taken(sid) == {0}


def test_an_invalid_message_is_dead_lettered_and_the_stream_moves_on(world, consumer):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    [good] = world.db.outbox_rows()
    with world.db.uow() as tx:  # a message naming a seat the session does not have
        bad_id = tx.outbox.append_payload("OrderPlaced", 999, {**good.payload, "order_id": 999, "seats": [40]})
        tx.commit()
    publish(world, consumer)
    consumer.events.add(12345, "OrderPlaced", "not json{")
    assert consumer.consume_once() == 1
    bad = world.db.t.outbox[bad_id]
    assert bad.status == "dead" and "invalid message" in bad.last_error
    assert good.status != "dead" and good.applied_at is not None
    assert ledger(world, sid) == {"A": (1, Decimal("20.00"))}
    assert consumer.events.pending(GROUP) == []


def test_a_message_that_keeps_failing_is_dead_lettered_after_the_limit(world, consumer, monkeypatch):
    sid = world.new_session().session_id
    world.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2",)))
    publish(world, consumer)

    def broken(changes):
        raise ValueError("a bug")

    monkeypatch.setattr(world.store, "apply_changes", broken)
    for _ in range(world.settings.consumer_max_failures):
        assert consumer.consume_once() == 0
        assert consumer.consume_once() == 0  # not idle long enough to be claimed again
        world.clock.advance(world.settings.consumer_claim_idle_ms)
    [row] = world.db.outbox_rows()
    assert row.status == "dead" and "ValueError: a bug" in row.last_error
    assert consumer.events.pending(GROUP) == []
