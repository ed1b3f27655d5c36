"""One set of cases for the repositories, run against the in-memory fakes (tests/fakes/repos.py) and PostgreSQL.

The services' unit tests stand on the fakes; these cases keep them honest where the behaviour lives in SQL: the sale
statement's verdicts (sold, seats taken, token used, a seat with a live line, sales closed or not open, an unknown
seat), the stock ledger (add, overwrite) and the database picture the reconciler reads. Each case runs on both sides
(``side`` is parametrized) through the same calls: ``orders.place`` on the side's statement connection, and the
repositories of the side's unit of work.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from boxoffice.adapters.repos import orders
from boxoffice.domain.layout import Layout
from boxoffice.domain.pricing import PriceList
from boxoffice.domain.values import SessionInfo
from boxoffice.services.accounts import Accounts, UserInfo
from boxoffice.services.booking import SaleRequest, sale_of
from boxoffice.services.catalog import Catalog
from tests.conftest import make_layout
from tests.fakes.repos import FakeDatabase


@dataclass
class Side:
    kind: str
    uow: Callable[[], AbstractContextManager[Any]]
    statement: Callable[[], AbstractContextManager[Any]]
    catalog: Catalog
    clerk: UserInfo
    layout: Layout
    venue_id: int

    def session(self, **window: datetime) -> SessionInfo:
        start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
        info, _ = self.catalog.create_session(self.venue_id, f"Case {secrets.token_hex(4)}", start, **window)
        return info

    def place(self, sid: int, seats: list[int], token: str | None = None) -> orders.SaleResult:
        sale = sale_of(SaleRequest(sid, self.clerk.username, payment="cash"), self.clerk, self.layout,
                       PriceList.of_layout(self.layout), token or secrets.token_urlsafe(12),
                       [i for i in seats if i < self.layout.capacity])
        ghosts = tuple(replace(self.layout.seats[1], index=i, label=f"ghost {i}") for i in seats
                       if i >= self.layout.capacity)  # seats the venue does not have
        sale = replace(sale, seats=sale.seats + ghosts, prices=sale.prices + tuple(Decimal("1.00") for _ in ghosts))
        with self.statement() as conn:
            return orders.place(conn, sale)

    def taken(self, sid: int) -> list[tuple[int, str]]:
        with self.uow() as tx:
            return sorted((i, status) for i, status in tx.sessions.taken_seats(sid))


@pytest.fixture(params=["fake", "real"])
def side(request: pytest.FixtureRequest) -> Side:
    layout = make_layout()
    if request.param == "fake":
        db = FakeDatabase()
        catalog = Catalog(db.uow)
        db.add_user("alice")
        clerk = Accounts(db.uow).get("alice")
        uow, statement = db.uow, db.single_statement
    else:
        app = request.getfixturevalue("app")
        catalog, clerk, uow, statement = app.catalog, app.accounts.get("alice"), app.uow, app.booking.single_statement
    venue, _ = catalog.import_venue(layout)
    return Side(request.param, uow, statement, catalog, clerk, layout, venue.venue_id)


def test_a_sale_writes_the_order_its_lines_the_seats_and_the_message(side: Side) -> None:
    sid = side.session().session_id
    token = secrets.token_urlsafe(12)
    row = side.place(sid, [2, 21], token)
    assert row.order_id is not None and row.violated is None
    assert (row.session_status, row.taken, len(row.lines or [])) == ("onsale", None, 2)
    assert side.taken(sid) == [(0, "blocked"), (2, "sold"), (21, "sold")]
    info = side.catalog.session(sid)
    with side.uow() as tx:
        order, clerk = tx.orders.order_with_clerk(token=token)
        assert (order.id, clerk, order.status, order.total) == (row.order_id, "alice", "paid", Decimal("32.50"))
        lines = tx.orders.shown_lines(order)
        assert [(ln.seat_idx, ln.zone, ln.price, ln.id) for ln in lines] == [
            (2, "A", Decimal("20.00"), row.lines[0]), (21, "B", Decimal("12.50"), row.lines[1])]
        picture = tx.ledger.pictures([info], 90.0, "inventory")[sid]
    assert picture.truth == {"A": (1, Decimal("20.00")), "B": (1, Decimal("12.50"))}
    assert picture.seats == {0: ("blocked", ""), 2: ("sold", f"{row.order_id}:{row.lines[0]}"),
                             21: ("sold", f"{row.order_id}:{row.lines[1]}")}
    assert (picture.pending, picture.in_flight, picture.backlog) == (
        1, {2, 21}, {"A": (1, Decimal("20.00")), "B": (1, Decimal("12.50"))})


def test_seats_taken_are_named_and_nothing_is_written(side: Side) -> None:
    sid = side.session().session_id
    side.place(sid, [3, 4])
    row = side.place(sid, [0, 4, 5])
    assert (row.order_id, row.session_status, row.taken, row.violated) == (None, "onsale", [0, 4], None)
    assert side.taken(sid) == [(0, "blocked"), (3, "sold"), (4, "sold")]


def test_an_unknown_seat_writes_nothing(side: Side) -> None:
    sid = side.session().session_id
    row = side.place(sid, [5, 40])
    assert (row.order_id, row.session_status, row.taken) == (None, "onsale", None)
    assert side.taken(sid) == [(0, "blocked")]


def test_a_used_token_is_a_violation_and_writes_nothing(side: Side) -> None:
    sid = side.session().session_id
    token = secrets.token_urlsafe(12)
    side.place(sid, [6], token)
    row = side.place(sid, [7], token)
    assert (row.order_id, row.violated) == (None, orders.TOKEN_USED)
    assert side.taken(sid) == [(0, "blocked"), (6, "sold")]


def test_a_free_seat_row_with_a_live_line_is_a_violation(side: Side) -> None:
    sid = side.session().session_id
    side.place(sid, [8])
    with side.uow() as tx:  # drift: the seat row freed, its order line still live
        tx.sessions.mark(sid, [8], "free")
        tx.commit()
    row = side.place(sid, [8, 9])
    assert (row.order_id, row.violated) == (None, orders.SEAT_SOLD)
    assert side.taken(sid) == [(0, "blocked")]


@pytest.mark.parametrize("case, status", [("closed", "closed"), ("past close", "sales_closed"),
                                          ("before open", "not_open")])
def test_a_session_not_on_sale_is_refused(side: Side, case: str, status: str) -> None:
    now = datetime.now(timezone.utc)
    window = {"past close": {"sales_close_at": now - timedelta(minutes=5)},
              "before open": {"sales_open_at": now + timedelta(hours=1)}}.get(case, {})
    sid = side.session(**window).session_id
    if case == "closed":
        with side.uow() as tx:
            tx.sessions.lock_session(sid).status = "closed"
            tx.commit()
    row = side.place(sid, [10])
    assert (row.order_id, row.session_status, row.taken) == (None, status, None)
    with side.uow() as tx:
        assert tx.orders.sale_status(sid) == status
    assert side.taken(sid) == [(0, "blocked")]


def test_the_ledger_adds_per_session_and_zone_and_is_overwritten_by_a_repair(side: Side) -> None:
    info = side.session()
    other = side.session()
    sid = info.session_id

    def ledger() -> dict[str, tuple[int, Decimal]]:
        with side.uow() as tx:
            return tx.ledger.pictures([info], 90.0, "inventory")[sid].ledger

    for _ in range(2):
        with side.uow() as tx:
            tx.ledger.add({(sid, "A"): (2, Decimal("40.00")), (other.session_id, "A"): (1, Decimal("20.00"))})
            tx.commit()
    with side.uow() as tx:
        tx.ledger.add({(sid, "B"): (-1, Decimal("-12.50"))})
        # not committed: rolled back
    assert ledger() == {"A": (4, Decimal("80.00"))}
    with side.uow() as tx:
        tx.ledger.overwrite(sid, {"A": (1, Decimal("20.00")), "B": (0, Decimal("0"))})
        tx.commit()
    assert ledger() == {"A": (1, Decimal("20.00")), "B": (0, Decimal("0.00"))}
