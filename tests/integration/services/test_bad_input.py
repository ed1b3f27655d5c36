"""Bad input is never "internal", at the service layer on the real PostgreSQL and Redis: every
over-limit value is a typed :class:`BadInput` (exit code 2) raised before any SQL, and nothing is written — by
example, and by Hypothesis driving the catalog, the sale, order look-ups and cancels with generated hostile input."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from boxoffice.bootstrap import App
from boxoffice.domain import limits
from boxoffice.domain.values import SessionInfo
from boxoffice.errors import BadInput, BoxOfficeError, NotFound, SeatsUnavailable
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_session
from tests.unit.domain.test_bad_input import HOSTILE_TEXT

TABLES = ("venues", "seats", "sessions", "session_seats", "orders", "order_lines", "payments", "outbox",
          "audit_log", "seat_holds")
SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def counts(app: App, sid: int | None = None) -> dict[str, Any]:
    with app.uow() as tx:
        out: dict[str, Any] = {t: tx.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    if sid is not None:
        st_ = app.inventory.stats(sid)
        out["redis"] = (st_.taken_redis, st_.stock_redis, st_.version, st_.live_holds)
    return out


SOLD: dict[int, int] = {}  # session id → the order selling S1-A-2


@pytest.fixture(scope="module")
def target(app: App) -> SessionInfo:
    """A tiny session with one order (S1-A-2 sold); S1-A-1 is blocked by the layout."""
    info = make_session(app)
    SOLD[info.session_id] = app.booking.sell(SaleRequest(info.session_id, "alice", seats=("S1-A-2",))).order_id
    return info


# -- examples -----------------------------------------------------------------------------------------------------
START = datetime(2031, 6, 1, 19, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({"name": "S" * 201}, "the session name is longer than 200 characters (201)", id="name-over-200"),
        pytest.param({"name": "Cup\x00final"}, "the session name contains a NUL character", id="nul-name"),
        pytest.param({"venue_id": 2**31}, "venue id must be between 1 and 2147483647", id="venue-int4"),
        pytest.param({"starts_at": datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)},
                     "the start time must be in the years 2000 to 2999", id="year-9999"),
    ],
)
def test_session_create_limits(app: App, target: SessionInfo, kwargs: dict, fragment: str) -> None:
    before = counts(app)
    args = {"venue_id": target.venue_id, "name": "Cup final", "starts_at": START, **kwargs}
    with pytest.raises(BadInput, match=re.escape(fragment)):
        app.catalog.create_session(**args)
    assert counts(app) == before


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        pytest.param(lambda app: app.orders.get(99999999999999999999), BadInput,
                     "order number must be between 1 and 9223372036854775807", id="order-get-int8"),
        pytest.param(lambda app: app.orders.find("99999999999999999999"), NotFound, "no order with number",
                     id="order-find-int8"),
        pytest.param(lambda app: app.orders.find("\u00b2"), NotFound, "no order with number, token or seat",
                     id="order-find-superscript-digit"),
        pytest.param(lambda app: app.orders.find("tok\x00en"), BadInput, "at most 200 characters", id="order-find-nul"),
        pytest.param(lambda app: app.catalog.session(2147483648), BadInput,
                     "session id must be between 1 and 2147483647", id="session-int4"),
        pytest.param(lambda app: app.inventory.stats(2147483648), BadInput, "session id must be between",
                     id="stats-int4"),
        pytest.param(lambda app: app.aftersale.cancel(99999999999999999999, "sam", "r"), BadInput,
                     "order number must be between", id="cancel-int8"),
        pytest.param(lambda app: app.tickets.verify("hello"), BadInput, "not a ticket code: 'hello'",
                     id="ticket-hello"),
    ],
)
def test_lookups_over_the_limits(app: App, target: SessionInfo, call: Any, error: type, fragment: str) -> None:
    before = counts(app)
    with pytest.raises(error, match=re.escape(fragment)) as info:
        call(app)
    assert info.value.exit_code == 2
    assert counts(app) == before


def test_cancel_reason_with_nul_writes_nothing(app: App, target: SessionInfo) -> None:
    order = app.orders.get(SOLD[target.session_id])
    before = counts(app, target.session_id)
    with pytest.raises(BadInput, match="the reason contains a NUL character"):
        app.aftersale.cancel(order.order_id, "sam", "refund\x00")
    with pytest.raises(BadInput, match="the reason is longer than 500 characters"):
        app.aftersale.exchange(order.order_id, ["S1-A-9"], "sam", "r" * 501)
    assert counts(app, target.session_id) == before
    assert app.orders.get(order.order_id).status == "paid"


@pytest.mark.parametrize(
    ("seats", "error", "message"),
    [
        pytest.param(("S1-A-4", "S1-A-5", "s1-a-4"), BadInput, "S1-A-4 is named twice", id="named-twice"),
        pytest.param(("S1-A-1",), SeatsUnavailable, "S1-A-1 is blocked (not for sale)", id="blocked"),
        pytest.param(("L" * 65,), BadInput, "seat label is longer than 64 characters (65)", id="label-over-64"),
        pytest.param(("S1\u200b-A-4",), BadInput, "U+200B ZERO WIDTH SPACE", id="zero-width"),
    ],
)
def test_sale_refusals_write_nothing(app: App, target: SessionInfo, seats: tuple, error: type, message: str) -> None:
    before = counts(app, target.session_id)
    with pytest.raises(error) as info:
        app.booking.sell(SaleRequest(target.session_id, "bob", seats=seats))
    assert message in str(info.value)
    assert counts(app, target.session_id) == before


def test_lowercase_labels_sell_the_seat(app: App, target: SessionInfo) -> None:
    receipt = app.booking.sell(SaleRequest(target.session_id, "bob", seats=("s2-d-10", " s2-d-9 ")))
    assert receipt.seats == ("S2-D-9", "S2-D-10")


# -- generated hostile input --------------------------------------------------------------------------------------
IDS = st.one_of(st.integers(min_value=-(2**70), max_value=0), st.integers(min_value=2**31, max_value=2**70),
                st.integers(min_value=10**6, max_value=2**31 - 1))


@SETTINGS
@given(data=st.data())
def test_generated_sales_never_fail_otherwise_and_write_nothing(app: App, target: SessionInfo, data: Any) -> None:
    sid = data.draw(st.one_of(st.just(target.session_id), IDS), "session")
    seats = data.draw(st.lists(st.one_of(HOSTILE_TEXT, st.sampled_from(["S1-A-1", "S1-A-2", "s1-a-2"])),
                               max_size=45), "seats")
    best = data.draw(st.one_of(st.none(), st.integers(max_value=0), st.integers(min_value=41)), "best")
    zone = data.draw(st.one_of(st.none(), HOSTILE_TEXT), "zone")
    token = data.draw(st.one_of(st.none(), HOSTILE_TEXT), "token")
    user = data.draw(st.one_of(st.just("bob"), HOSTILE_TEXT), "user")
    before = counts(app, target.session_id)
    try:
        req = SaleRequest(sid, user, seats=tuple(seats), best=best, zone=zone, token=token)
        app.booking.sell(req)
    except BoxOfficeError as exc:
        assert exc.exit_code in (2, 3, 4), f"{type(exc).__name__}: {exc}"
    else:
        pytest.fail("a generated hostile sale went through")
    assert counts(app, target.session_id) == before


@SETTINGS
@given(name=HOSTILE_TEXT, venue=st.one_of(st.none(), IDS),
       starts=st.datetimes(timezones=st.just(timezone.utc)), minutes=st.integers(-(10**6), 10**9))
def test_generated_session_creates_are_bad_input_or_valid(app: App, target: SessionInfo, name: str,
                                                          venue: int | None, starts: datetime, minutes: int) -> None:
    before = counts(app)
    try:
        ends = starts + timedelta(minutes=minutes)
    except OverflowError:
        ends = None
    try:
        app.catalog.create_session(target.venue_id if venue is None else venue, name, starts, ends)
    except BoxOfficeError as exc:
        assert exc.exit_code == 2, f"{type(exc).__name__}: {exc}"
        assert counts(app) == before
        return
    assert limits.check_text("name", name, limits.MAX_NAME) and venue is None  # only a sane request gets here


@SETTINGS
@given(query=st.one_of(HOSTILE_TEXT, st.integers(min_value=2**62).map(str)), order=IDS,
       reason=st.one_of(st.just("customer asked"), HOSTILE_TEXT))
def test_generated_order_lookups_and_cancels(app: App, target: SessionInfo, query: str, order: int,
                                             reason: str) -> None:
    before = counts(app)
    for call in (lambda: app.orders.find(query), lambda: app.orders.get(order),
                 lambda: app.aftersale.cancel(order, "sam", reason)):
        try:
            call()
        except BoxOfficeError as exc:
            assert exc.exit_code == 2, f"{type(exc).__name__}: {exc}"
    assert counts(app) == before
