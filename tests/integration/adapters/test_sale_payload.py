"""The OrderPlaced payload the sale statement builds in SQL (repos/orders.ORDER_PLACED_FIELDS) is exactly the order
it wrote, read back through the typed event (domain.events.parse) — on real PostgreSQL and Redis."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from boxoffice.adapters.repos import orders
from boxoffice.domain.events import parse
from boxoffice.domain.pricing import PriceList
from boxoffice.services.booking import SaleRequest, sale_of
from tests.conftest import make_session


def placed(app, order_id: int) -> dict:
    """The outbox payload of the order's OrderPlaced message (exactly one)."""
    with app.uow() as tx:
        (payload,) = tx.session.execute(
            text("SELECT payload FROM outbox WHERE aggregate_id = :o AND topic = 'OrderPlaced'"), {"o": order_id}
        ).scalars().all()
    return payload


def written_lines(app, order_id: int) -> list[tuple[int, int, str, Decimal]]:
    """(seat, order line, zone, price) of the order as its lines were written, by seat."""
    with app.uow() as tx:
        return [tuple(r) for r in tx.session.execute(
            text("SELECT seat_idx, id, zone, price FROM order_lines WHERE order_id = :o ORDER BY seat_idx"),
            {"o": order_id},
        ).all()]


def check(app, order_id: int, session_id: int, token: str, capacity: int) -> None:
    payload = placed(app, order_id)
    assert set(payload) == set(orders.ORDER_PLACED_FIELDS)
    event = parse("OrderPlaced", payload, capacity)
    assert (event.order_id, event.session_id, event.token, event.ended) == (order_id, session_id, token, None)
    lines = written_lines(app, order_id)
    assert len(lines) >= 2
    assert event.added is not None
    assert list(zip(event.added.seats, event.added.lines, event.added.zones, event.added.prices, strict=True)) == lines
    assert Decimal(payload["total"]) == sum((ln[3] for ln in lines), Decimal("0"))


def test_named_seats_in_two_zones(app, session):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S2-C-1", "S1-A-2", "S1-A-3")))
    assert len({ln.zone for ln in r.lines}) == 2
    check(app, r.order_id, session.session_id, r.token, session.capacity)
    event = parse("OrderPlaced", placed(app, r.order_id))
    assert event.added is not None
    assert event.added.seats == tuple(ln.seat_index for ln in r.lines)
    assert event.added.lines == tuple(ln.line_id for ln in r.lines)
    assert event.added.prices == tuple(ln.price for ln in r.lines)


def test_best_available(app, session):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", best=4))
    check(app, r.order_id, session.session_id, r.token, session.capacity)


def test_the_statement_inside_a_transaction_writes_the_same_payload(app):
    """The degraded path (a database hold finished) runs the statement inside its own transaction."""
    info = make_session(app, name="payload in a transaction")
    layout = app.catalog.layout(info.venue_id)
    user = app.accounts.get("alice")
    sale = sale_of(SaleRequest(info.session_id, user.username, payment="card"), user, layout,
                   PriceList.of_layout(layout), "payload-in-tx", [21, 5, 1], degraded=True)
    with app.uow() as tx:
        row = orders.place_in(tx.session, sale)
        tx.commit()
    assert row.order_id is not None
    check(app, row.order_id, info.session_id, "payload-in-tx", info.capacity)
