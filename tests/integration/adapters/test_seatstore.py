"""The Redis seat store and its Lua scripts (DESIGN §2 steps 1–2, §3), on the real Redis through ``app.store``.

Every script's contract is pinned here: what it writes on success, and for every refusal that it answers with the
right code *and writes nothing* (Lua does not roll back, so "validate everything before writing" is only true if a
test looks at the keys afterwards).

The tiny venue has 40 seats; seat index 0 (``S1-A-1``) is blocked, so a fresh session starts with taken = {0},
sold = {}, stock 39, one ``rebuild`` entry in its change stream and a version taken from the clock (a session without
keys starts its version at the time in ms, so a version never goes back after Redis loses a session).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import redis.exceptions
from redis.crc import key_slot
from sqlalchemy import event, text

from boxoffice.adapters.seatstore import KEEP_MS, IssuedToken, SeatStore
from boxoffice.domain.bitmap import make_bitmap, set_bits
from boxoffice.errors import (
    BadInput,
    GateFull,
    RedisEmpty,
    RedisUnreachable,
    SalesClosed,
    SeatsTaken,
    SoldOut,
    TokenExpired,
    TokenInvalid,
    TokenStale,
    TokenUsed,
)
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_session

CAPACITY = 40
BLOCKED = frozenset({0})
FRESH_STOCK = CAPACITY - len(BLOCKED)
ORDER = 4242  # the order id confirmations record as the seats' owner
TOKEN_MS = 30_000
HOLD_MS = 60_000
SHORT_MS = 250  # a ttl long enough to act within, short enough to outlive with a sleep
PAST_SHORT_S = 0.35


# -- helpers ------------------------------------------------------------------------------------------------------
def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True)
class Picture:
    """Everything the scripts may write for one session, in comparable form."""

    taken: frozenset[int]
    sold: frozenset[int]
    stock: int | None
    version: int
    epoch: str | None
    changes: int
    tokens: frozenset[str]
    holds: frozenset[str]


def picture(app, sid: int) -> Picture:
    snap = app.store.snapshot(sid)
    k = app.store.keys(sid)
    return Picture(
        taken=frozenset(set_bits(snap.taken)),
        sold=frozenset(set_bits(snap.sold)),
        stock=snap.stock,
        version=snap.version,
        epoch=snap.epoch,
        changes=app.redis.xlen(k.changes),
        tokens=frozenset(_s(t) for t in app.redis.zrange(k.tokens, 0, -1)),
        holds=frozenset(_s(t) for t in app.redis.zrange(k.holds, 0, -1)),
    )


def changes(app, sid: int) -> list[dict[str, str]]:
    """The session's change stream, oldest first, fields decoded."""
    return [{_s(a): _s(b) for a, b in fields.items()} for _id, fields in app.redis.xrange(app.store.keys(sid).changes)]


def token_record(app, sid: int, token: str) -> dict[str, str]:
    return {_s(a): _s(b) for a, b in app.redis.hgetall(app.store.keys(sid).tok(token)).items()}


def session_keys(app, sid: int) -> list[str]:
    pattern = app.store.keys(sid).prefix.replace("{", "\\{").replace("}", "\\}") + "*"
    return sorted(_s(name) for name in app.redis.scan_iter(match=pattern, count=1000))


def redis_ms(app) -> int:
    sec, usec = app.redis.time()
    return sec * 1000 + usec // 1000


def issue(app, sid: int, n: int = 1, ttl_ms: int = TOKEN_MS, store: SeatStore | None = None) -> IssuedToken:
    return (store or app.store).issue_token(sid, "alice", n, ttl_ms)


def gated_store(app, per_free_seat: float = 0.01, floor: int = 2) -> SeatStore:
    """A store on the same Redis and prefix with a small gate (the default gate is 64 tokens at least)."""
    return SeatStore(app.redis, app.settings.redis_prefix, gate_per_free_seat=per_free_seat, gate_min=floor)


def deduct(app, sid: int, token: str, indices: Sequence[int]) -> int:
    return app.store.deduct(sid, token, list(indices), "alice", HOLD_MS)


def hold(app, sid: int, indices: Sequence[int]) -> str:
    """Issue a token for the seats and deduct them; returns the token."""
    token = issue(app, sid, len(indices)).token
    deduct(app, sid, token, indices)
    return token


def refused(exc_type: type[Exception], fn: Callable[..., object], *args: object, match: str | None = None) -> Exception:
    """Call ``fn`` and expect exactly ``exc_type`` (not a subclass: the subclasses are other return codes)."""
    with pytest.raises(exc_type, match=match) as info:
        fn(*args)
    assert type(info.value) is exc_type, f"expected {exc_type.__name__}, got {type(info.value).__name__}: {info.value}"
    return info.value


def rebuild_as_is(app, sid: int, on_sale: bool) -> str:
    """Rebuild the session from its own current picture, changing only the on-sale flag."""
    snap = app.store.snapshot(sid)
    assert snap.capacity is not None and snap.stock is not None
    return app.store.rebuild(sid, snap.capacity, on_sale, snap.taken, snap.sold, snap.stock)


def db_state(app, sid: int) -> tuple[dict[str, int], int]:
    """(seat rows per status, orders) of a session in PostgreSQL."""
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT status, count(*) FROM session_seats WHERE session_id = :sid GROUP BY status"), {"sid": sid}
        ).all()
        orders = tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :sid"), {"sid": sid}).scalar()
    return dict(rows), int(orders)


@contextmanager
def sql_statements(app) -> Iterator[list[str]]:
    """Record every SQL statement the app's engine sends while the block runs."""
    seen: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(app.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", on_execute)


def normalised(bitmap: bytes) -> bytes:
    return bitmap.rstrip(b"\0")


@pytest.fixture
def sid(session) -> int:
    return session.session_id


@pytest.fixture
def fresh(app, sid) -> Picture:
    """The picture of a just-warmed session (and a check that it is what the tests assume)."""
    pic = picture(app, sid)
    assert (pic.taken, pic.sold, pic.stock, pic.changes) == (BLOCKED, frozenset(), FRESH_STOCK, 1)
    assert pic.version > 1_700_000_000_000
    assert (pic.tokens, pic.holds) == (frozenset(), frozenset())
    return pic


# -- issue_token ----------------------------------------------------------------------------------------------------
def test_issue_token_ok_returns_bound_token_with_expiry(app, sid, fresh):
    before = redis_ms(app)
    issued = issue(app, sid, 3, ttl_ms=TOKEN_MS)
    after = redis_ms(app)

    assert isinstance(issued, IssuedToken)
    assert (issued.session_id, issued.seats_wanted) == (sid, 3)
    assert before + TOKEN_MS <= issued.expires_ms <= after + TOKEN_MS
    assert len(issued.token) >= 24 and issued.token != issue(app, sid, 3).token
    record = token_record(app, sid, issued.token)
    assert record == {
        "session": str(sid),
        "clerk": "alice",
        "n": "3",
        "epoch": fresh.epoch,
        "exp": str(issued.expires_ms),
        "used": "0",
    }
    k = app.store.keys(sid)
    assert app.redis.zscore(k.tokens, issued.token) == issued.expires_ms
    assert TOKEN_MS + KEEP_MS - 5_000 < app.redis.pttl(k.tok(issued.token)) <= TOKEN_MS + KEEP_MS
    # a token takes no seat and changes nothing visible
    now = picture(app, sid)
    assert (now.taken, now.stock, now.version, now.changes) == (fresh.taken, fresh.stock, fresh.version, fresh.changes)


def test_issue_token_sold_out_is_answered_by_redis_alone(app, sid, fresh):
    hold(app, sid, range(1, 31))  # 30 seats held: 9 left
    db_before = db_state(app, sid)
    pic_before = picture(app, sid)

    with sql_statements(app) as sql:
        err = refused(SoldOut, issue, app, sid, 10, match=r"has 9 free seats, 10 wanted")
    assert sql == []
    assert err.code == "sold_out"
    assert picture(app, sid) == pic_before  # no token recorded
    assert db_state(app, sid) == db_before == ({"free": 39, "blocked": 1}, 0)
    # the boundary: exactly the free stock is fine
    assert issue(app, sid, 9).seats_wanted == 9


def test_issue_token_not_on_sale(app, sid, fresh):
    rebuild_as_is(app, sid, on_sale=False)
    closed = picture(app, sid)
    assert app.redis.hget(app.store.keys(sid).meta, "onsale") == b"0"

    refused(SalesClosed, issue, app, sid, 1)
    assert picture(app, sid) == closed
    assert [k for k in session_keys(app, sid) if ":tok:" in k] == []

    app.redis.hset(app.store.keys(sid).meta, "onsale", "1")  # the flag alone decides
    assert issue(app, sid, 1).session_id == sid
    app.redis.hset(app.store.keys(sid).meta, "onsale", "0")
    refused(SalesClosed, issue, app, sid, 1)


def test_issue_token_redis_empty_when_session_keys_are_missing(app, sid, fresh):
    app.store.drop(sid)
    assert session_keys(app, sid) == []
    assert not app.store.snapshot(sid).present

    err = refused(RedisEmpty, issue, app, sid, 1)
    assert err.session_id == sid and str(sid) in str(err)
    assert session_keys(app, sid) == []  # the refusal wrote nothing


def test_issue_token_gate_full_counts_outstanding_tokens(app, sid, fresh):
    gated = gated_store(app)
    first, second = issue(app, sid, store=gated), issue(app, sid, store=gated)
    k = app.store.keys(sid)

    err = refused(GateFull, issue, app, sid, 1, TOKEN_MS, gated, match=r": 2 sales already in progress")
    assert err.code == "gate_full"
    assert picture(app, sid).tokens == {first.token, second.token}  # the refused token was not stored
    # a spent token leaves the gate: deducting one makes room for exactly one more
    deduct(app, sid, first.token, [5])
    assert app.redis.zcard(k.tokens) == 1
    third = issue(app, sid, store=gated)
    refused(GateFull, issue, app, sid, 1, TOKEN_MS, gated)
    assert picture(app, sid).tokens == {second.token, third.token}


def test_issue_token_gate_forgets_expired_tokens(app, sid, fresh):
    gated = gated_store(app)
    short = [issue(app, sid, ttl_ms=SHORT_MS, store=gated) for _ in range(2)]
    refused(GateFull, issue, app, sid, 1, TOKEN_MS, gated)

    time.sleep(PAST_SHORT_S)
    fresh_token = issue(app, sid, store=gated)
    assert picture(app, sid).tokens == {fresh_token.token}  # the expired ones were swept, not just skipped
    assert {t.token for t in short}.isdisjoint(picture(app, sid).tokens)


def test_discarded_token_leaves_the_gate_and_cannot_be_spent(app, sid, fresh):
    gated = gated_store(app)
    kept, abandoned = issue(app, sid, store=gated), issue(app, sid, store=gated)
    refused(GateFull, issue, app, sid, 1, TOKEN_MS, gated)

    app.store.discard_token(sid, abandoned.token)
    assert picture(app, sid).tokens == {kept.token}
    replacement = issue(app, sid, store=gated)
    before = picture(app, sid)
    refused(TokenUsed, deduct, app, sid, abandoned.token, [2])
    assert picture(app, sid) == before
    assert deduct(app, sid, replacement.token, [2]) == before.version + 1


@pytest.mark.parametrize(
    ("per_seat", "wanted", "limit"),
    [(0.1, 1, 4), (0.1, 2, 2), (0.1, 13, 1)],  # ceil(39 / wanted * per_seat), floor 1
)
def test_issue_token_gate_is_proportional_to_free_stock(app, sid, fresh, per_seat, wanted, limit):
    gated = gated_store(app, per_seat, floor=1)
    for _ in range(limit):
        issue(app, sid, wanted, store=gated)
    refused(GateFull, issue, app, sid, wanted, TOKEN_MS, gated, match=rf": {limit} sales already in progress")
    assert app.redis.zcard(app.store.keys(sid).tokens) == limit


# -- deduct ---------------------------------------------------------------------------------------------------------
def test_deduct_ok_sets_bits_stock_hold_version_and_stream(app, sid, fresh):
    token = issue(app, sid, 3).token
    before = redis_ms(app)
    version = deduct(app, sid, token, [7, 2, 21])
    after = redis_ms(app)

    pic = picture(app, sid)
    assert version == pic.version == fresh.version + 1
    assert pic.taken == BLOCKED | {2, 7, 21}
    assert pic.sold == frozenset()
    assert pic.stock == FRESH_STOCK - 3
    assert pic.tokens == frozenset() and pic.holds == {token}

    held = app.store.hold(sid, token)
    assert held is not None
    assert (held.state, held.seats, held.clerk) == ("held", (7, 2, 21), "alice")
    assert before + HOLD_MS <= held.expires_ms <= after + HOLD_MS
    assert app.redis.zscore(app.store.keys(sid).holds, token) == held.expires_ms
    assert app.store.snapshot(sid).live_holds == 1
    assert token_record(app, sid, token)["used"] == "1"

    stream = changes(app, sid)
    assert len(stream) == fresh.changes + 1
    assert stream[-1] == {"v": str(version), "op": "hold", "seats": "7,2,21", "by": "alice"}


def test_deduct_seats_taken_names_them_writes_no_seat_state_and_spends_the_token(app, sid, fresh):
    hold(app, sid, [3, 4])
    token = issue(app, sid, 3).token
    before = picture(app, sid)

    with pytest.raises(SeatsTaken) as info:
        deduct(app, sid, token, [4, 5, 0])  # held, free, blocked
    assert info.value.indices == (4, 0)
    after = picture(app, sid)
    assert (after.taken, after.sold, after.stock, after.version, after.changes, after.holds) == (
        before.taken, before.sold, before.stock, before.version, before.changes, before.holds
    )
    assert app.store.hold(sid, token) is None
    # the conflict spends the token (the sale restarts from step 1) and frees its place in the gate
    assert token_record(app, sid, token)["used"] == "conflict"
    assert after.tokens == before.tokens - {token}
    refused(TokenUsed, deduct, app, sid, token, [5, 6, 9], match="already used")
    assert deduct(app, sid, issue(app, sid, 3).token, [5, 6, 9]) == before.version + 1
    assert picture(app, sid).taken == BLOCKED | {3, 4, 5, 6, 9}


def test_deduct_unknown_token_is_invalid(app, sid, fresh):
    refused(TokenInvalid, deduct, app, sid, "no-such-token", [2], match="unknown order token")
    assert picture(app, sid) == fresh
    assert app.store.hold(sid, "no-such-token") is None


def test_deduct_expired_token(app, sid, fresh):
    token = issue(app, sid, 1, ttl_ms=SHORT_MS).token
    time.sleep(PAST_SHORT_S)
    before = picture(app, sid)

    err = refused(TokenExpired, deduct, app, sid, token, [2])
    assert err.code == "token_expired"
    assert picture(app, sid) == before
    assert app.store.hold(sid, token) is None
    assert token_record(app, sid, token)["used"] == "0"


def test_deduct_used_token(app, sid, fresh):
    token = hold(app, sid, [2])
    before = picture(app, sid)

    refused(TokenUsed, deduct, app, sid, token, [2])
    refused(TokenUsed, deduct, app, sid, token, [3])  # not even on other, free seats
    assert isinstance(TokenUsed("x"), TokenInvalid)
    assert picture(app, sid) == before
    assert app.store.hold(sid, token).seats == (2,)


def test_deduct_token_of_another_session(app, sid, fresh):
    other = make_session(app).session_id
    foreign = issue(app, other, 1).token

    # through the store the token lives in the other session's slot: here it is simply unknown
    refused(TokenInvalid, deduct, app, sid, foreign, [2], match="unknown order token")
    # a record of another session inside this session's keys is WRONG_SESSION
    app.redis.hset(app.store.keys(sid).tok(foreign), mapping=token_record(app, other, foreign))
    refused(TokenInvalid, deduct, app, sid, foreign, [2], match=f"does not belong to session {sid}")
    after = picture(app, sid)
    assert (after.taken, after.stock, after.version, after.changes) == (
        fresh.taken, fresh.stock, fresh.version, fresh.changes
    )
    assert app.store.hold(sid, foreign) is None
    # and the token is untouched for its own session
    assert token_record(app, other, foreign)["used"] == "0"
    deduct(app, other, foreign, [2])
    assert picture(app, other).taken == BLOCKED | {2}


def test_deduct_token_from_before_a_rebuild_is_stale(app, sid, fresh):
    token = issue(app, sid, 1).token
    epoch = app.inventory.rebuild(sid)
    assert epoch != fresh.epoch and int(epoch) > int(fresh.epoch)
    before = picture(app, sid)
    assert before.epoch == epoch

    refused(TokenStale, deduct, app, sid, token, [2], match="seat map was rebuilt")
    assert picture(app, sid) == before
    assert app.store.hold(sid, token) is None


def test_deduct_wrong_seat_count(app, sid, fresh):
    token = issue(app, sid, 2).token
    refused(TokenInvalid, deduct, app, sid, token, [2], match="issued for 2 seats, not 1")
    refused(TokenInvalid, deduct, app, sid, token, [2, 3, 4], match="issued for 2 seats, not 3")
    pic = picture(app, sid)
    assert (pic.taken, pic.stock, pic.version, pic.changes, pic.holds) == (
        fresh.taken, fresh.stock, fresh.version, fresh.changes, frozenset()
    )
    assert deduct(app, sid, token, [2, 3]) == fresh.version + 1


@pytest.mark.parametrize("indices", [[5, 5], [40], [4000], [2, 2, 3]], ids=["repeated", "capacity", "far", "mixed"])
def test_deduct_refuses_repeated_or_out_of_range_seats_and_writes_nothing(app, sid, fresh, indices):
    token = issue(app, sid, len(indices)).token
    refused(BadInput, deduct, app, sid, token, indices, match="repeated or outside")
    pic = picture(app, sid)
    assert (pic.taken, pic.stock, pic.version, pic.changes, pic.holds) == (
        fresh.taken, fresh.stock, fresh.version, fresh.changes, frozenset()
    )
    assert token_record(app, sid, token)["used"] == "0"


@pytest.mark.parametrize("wanted", [0, -3])
def test_issue_token_refuses_a_non_positive_seat_count(app, sid, fresh, wanted):
    refused(BadInput, issue, app, sid, wanted, match="positive whole number")
    assert picture(app, sid).tokens == frozenset()


def test_deduct_sold_out_when_stock_is_below_the_request(app, sid, fresh):
    token = issue(app, sid, 2).token
    app.redis.set(app.store.keys(sid).stock, 1)  # drift: bits free, stock says one seat
    before = picture(app, sid)

    refused(SoldOut, deduct, app, sid, token, [2, 3], match="has 1 free seats, 2 wanted")
    assert picture(app, sid) == before
    assert before.stock == 1 and before.taken == BLOCKED
    assert token_record(app, sid, token)["used"] == "0"
    assert app.store.hold(sid, token) is None


# -- confirm --------------------------------------------------------------------------------------------------------
def test_confirm_marks_sold_and_closes_the_hold(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    held = picture(app, sid)

    assert app.store.confirm(sid, token, [2, 3], ORDER, [21, 31]) == 0
    pic = picture(app, sid)
    assert pic.sold == {2, 3}
    assert pic.taken == BLOCKED | {2, 3}
    assert pic.stock == FRESH_STOCK - 2
    assert pic.version == held.version + 1
    assert pic.holds == frozenset() and app.store.snapshot(sid).live_holds == 0
    assert app.store.hold(sid, token).state == "confirmed"
    assert changes(app, sid)[-1] == {"v": str(pic.version), "op": "sold", "seats": "2,3"}


def test_confirm_is_idempotent(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    app.store.confirm(sid, token, [2, 3], ORDER, [21, 31])
    once = picture(app, sid)

    assert app.store.confirm(sid, token, [2, 3], ORDER, [21, 31]) == 0
    assert picture(app, sid) == once
    assert app.store.hold(sid, token).state == "confirmed"


def test_confirm_after_release_restores_the_seats(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    assert app.store.release(sid, token, "expired") == 2
    released = picture(app, sid)
    assert (released.taken, released.stock) == (BLOCKED, FRESH_STOCK)

    assert app.store.confirm(sid, token, [2, 3], ORDER, [21, 31]) == 2
    pic = picture(app, sid)
    assert pic.taken == BLOCKED | {2, 3}
    assert pic.sold == {2, 3}
    assert pic.stock == FRESH_STOCK - 2
    assert pic.version == released.version + 1
    assert app.store.hold(sid, token).state == "confirmed"


def test_confirm_without_session_keys_answers_minus_one_and_writes_nothing(app, sid, fresh):
    token = hold(app, sid, [2])
    app.store.drop(sid)

    assert app.store.confirm(sid, token, [2], ORDER, [21]) == -1
    assert session_keys(app, sid) == []


# -- release --------------------------------------------------------------------------------------------------------
def test_release_frees_exactly_the_hold(app, sid, fresh):
    keep = hold(app, sid, [5])
    token = hold(app, sid, [2, 3])
    held = picture(app, sid)

    assert app.store.release(sid, token) == 2
    pic = picture(app, sid)
    assert pic.taken == BLOCKED | {5}
    assert pic.stock == held.stock + 2 == FRESH_STOCK - 1
    assert pic.version == held.version + 1
    assert pic.holds == {keep}
    assert app.store.hold(sid, token).state == "released"
    assert app.redis.hget(app.store.keys(sid).hold(token), "reason") == b"compensate"
    assert changes(app, sid)[-1] == {"v": str(pic.version), "op": "release", "seats": "2,3", "by": "alice",
                                     "reason": "compensate"}


def test_release_is_idempotent(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    app.store.release(sid, token)
    once = picture(app, sid)

    assert app.store.release(sid, token) == 0
    assert picture(app, sid) == once
    assert app.store.release(sid, "no-such-token") == 0
    assert picture(app, sid) == once

    # a repeated release must not take back seats that another sale has held since
    later = hold(app, sid, [2, 3])
    taken_again = picture(app, sid)
    assert app.store.release(sid, token) == 0
    assert picture(app, sid) == taken_again
    assert app.store.hold(sid, later).state == "held"


def test_release_never_frees_a_sold_seat(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    # seat 3 is sold by an order the database accepted (its confirm sets the sold bit)
    assert app.store.confirm(sid, "other-order", [3], ORDER, [31]) == 0
    before = picture(app, sid)
    assert before.sold == {3}

    assert app.store.release(sid, token) == 1
    pic = picture(app, sid)
    assert pic.taken == BLOCKED | {3}
    assert pic.sold == {3}
    assert pic.stock == before.stock + 1
    assert changes(app, sid)[-1]["seats"] == "2"


def test_release_of_a_hold_from_before_a_rebuild_frees_nothing(app, sid, fresh):
    old = hold(app, sid, [2, 3])
    app.inventory.rebuild(sid)  # the database never saw the hold: the rebuilt picture has 2 and 3 free
    assert picture(app, sid).taken == BLOCKED
    newer = hold(app, sid, [2])
    before = picture(app, sid)

    assert app.store.release(sid, old) == 0
    assert picture(app, sid) == before  # seat 2 stays with the newer hold, stock untouched, no version bump
    assert app.store.hold(sid, old).state == "released"
    assert app.store.hold(sid, newer).state == "held"


def test_release_after_confirm_frees_nothing(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    app.store.confirm(sid, token, [2, 3], ORDER, [21, 31])
    confirmed = picture(app, sid)

    assert app.store.release(sid, token, "expired") == 0
    assert picture(app, sid) == confirmed
    assert app.store.hold(sid, token).state == "confirmed"


# -- rebuild --------------------------------------------------------------------------------------------------------
def test_rebuild_writes_the_given_picture_and_bumps_the_epoch(app, sid, fresh):
    token = issue(app, sid, 1).token
    hold(app, sid, [9])
    version_before = picture(app, sid).version

    taken, sold = make_bitmap(CAPACITY, [0, 4, 5, 6]), make_bitmap(CAPACITY, [5, 6])
    epoch = app.store.rebuild(sid, CAPACITY, True, taken, sold, 36)

    snap = app.store.snapshot(sid)
    assert (snap.taken, snap.sold, snap.stock, snap.capacity) == (taken, sold, 36, CAPACITY)
    assert snap.epoch == epoch and int(epoch) > int(fresh.epoch)
    assert snap.version == version_before + 1
    assert picture(app, sid).tokens == frozenset() and app.store.snapshot(sid).live_holds == 0
    assert changes(app, sid)[-1] == {"v": str(snap.version), "op": "rebuild", "seats": ""}
    refused(TokenStale, deduct, app, sid, token, [2], match="seat map was rebuilt")


def test_rebuild_after_losing_redis_restores_the_same_picture(app, sid, fresh):
    app.booking.sell(SaleRequest(sid, username="alice", seats=("S1-A-2", "S1-A-3")))
    app.booking.sell(SaleRequest(sid, username="alice", seats=("S2-D-10",)))
    before = app.store.snapshot(sid)
    assert set_bits(before.sold) == [1, 2, 39]

    app.store.drop(sid)
    assert not app.store.snapshot(sid).present
    app.inventory.rebuild(sid)
    after = app.store.snapshot(sid)

    assert normalised(after.taken) == normalised(before.taken)
    assert normalised(after.sold) == normalised(before.sold)
    assert after.stock == before.stock == CAPACITY - 3 - len(BLOCKED)
    assert set_bits(after.taken) == [0, 1, 2, 39]
    stats = app.inventory.stats(sid)
    assert (stats.sold_db, stats.blocked_db, stats.stock_redis) == (3, 1, 36)
    assert after.version > before.version  # live maps never see the version go back


# -- snapshot -------------------------------------------------------------------------------------------------------
def test_snapshot_matches_the_keys(app, sid, fresh):
    token = hold(app, sid, [2, 3])
    app.store.confirm(sid, token, [2, 3], ORDER, [21, 31])
    hold(app, sid, [11])

    snap = app.store.snapshot(sid)
    k = app.store.keys(sid)
    assert snap.version == int(app.redis.get(k.ver)) == fresh.version + 3
    assert snap.taken == app.redis.get(k.seats) and set_bits(snap.taken) == [0, 2, 3, 11]
    assert snap.sold == app.redis.get(k.sold) and set_bits(snap.sold) == [2, 3]
    assert (snap.stock, snap.capacity, snap.epoch, snap.live_holds) == (FRESH_STOCK - 3, CAPACITY, fresh.epoch, 1)
    assert snap.present

    app.store.drop(sid)
    gone = app.store.snapshot(sid)
    assert (gone.present, gone.version, gone.taken, gone.sold) == (False, 0, b"", b"")
    assert (gone.stock, gone.capacity, gone.epoch, gone.live_holds) == (None, None, None, 0)


def test_snapshot_is_consistent_while_seats_change(app, sid, fresh):
    """Every snapshot taken during a stream of holds and releases is one state: stock and bits agree, and one
    version always shows the same bitmap."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def churn() -> None:
        try:
            seats = [[i, i + 1] for i in range(1, 39, 2)]
            while not stop.is_set():
                for pair in seats:
                    app.store.release(sid, hold(app, sid, pair))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    worker = threading.Thread(target=churn, daemon=True)
    worker.start()
    seen: dict[int, bytes] = {}
    try:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            snap = app.store.snapshot(sid)
            taken = set_bits(snap.taken, CAPACITY)
            assert snap.stock == CAPACITY - len(taken), (snap.version, taken, snap.stock)
            assert seen.setdefault(snap.version, snap.taken) == snap.taken
    finally:
        stop.set()
        worker.join(10)
    assert not errors, errors
    assert len(seen) > 10  # the churn really happened under the snapshots
    assert picture(app, sid).taken == BLOCKED and picture(app, sid).stock == FRESH_STOCK


# -- keys contract ----------------------------------------------------------------------------------------------------
def test_every_key_of_a_session_shares_its_hash_tag(app, sid, fresh):
    prefix = app.settings.redis_prefix
    confirmed = hold(app, sid, [2])
    app.store.confirm(sid, confirmed, [2], ORDER, [21])
    released = hold(app, sid, [3])
    app.store.release(sid, released)
    held = hold(app, sid, [4])
    spare = issue(app, sid, 1).token
    app.store.try_lock(sid, "rebuild", 5_000)
    rebuild_as_is(app, sid, on_sale=True)

    tag = f"{prefix}:{{s{sid}}}:"
    mine = session_keys(app, sid)
    expected = {tag + name for name in ("meta", "seats", "sold", "stock", "ver", "changes", "lock:rebuild")}
    expected |= {tag + f"tok:{t}" for t in (confirmed, released, held, spare)}
    expected |= {tag + f"hold:{t}" for t in (confirmed, released, held)}
    assert expected <= set(mine)
    assert all(name.startswith(tag) for name in mine)
    assert len({key_slot(name.encode()) for name in mine}) == 1

    # nothing about this session lives outside its tag
    everything = [_s(n) for n in app.redis.scan_iter(match=f"{prefix}:*", count=1000)]
    tagged = re.compile(rf"^{re.escape(prefix)}:\{{s\d+\}}:")
    stray = [n for n in everything if not tagged.match(n)]
    # (look past the run's own prefix: a random prefix such as "bot79ba8411" may contain the session id's digits)
    rest = [n[len(prefix) + 1:] for n in stray]
    assert not [n for n in rest if re.search(rf"(?<!\d){sid}(?!\d)", n) or any(t in n for t in (held, spare))]


def test_drop_removes_only_its_own_session(app, sid, fresh):
    neighbour = make_session(app).session_id
    hold(app, sid, [2])
    hold(app, neighbour, [2])
    neighbour_keys = session_keys(app, neighbour)

    app.store.drop(sid)
    assert session_keys(app, sid) == []
    assert session_keys(app, neighbour) == neighbour_keys
    assert picture(app, neighbour).taken == BLOCKED | {2}


# -- steps 1 and 2 in one round trip ----------------------------------------------------------------------------------
def test_issue_and_deduct_holds_the_seats_under_a_fresh_token(app, sid, fresh):
    issued, version = app.store.issue_and_deduct(sid, "alice", [7, 8], TOKEN_MS, 60_000)
    assert version == fresh.version + 1
    assert app.store.hold(sid, issued.token).seats == (7, 8)
    assert token_record(app, sid, issued.token)["used"] == "1"
    assert picture(app, sid).taken == BLOCKED | {7, 8}


def test_issue_and_deduct_refused_by_step_one_writes_nothing(app, sid, fresh):
    rebuild_as_is(app, sid, on_sale=False)
    before = picture(app, sid)
    refused(SalesClosed, app.store.issue_and_deduct, sid, "alice", [7], TOKEN_MS, 60_000)
    after = picture(app, sid)
    assert (after.taken, after.stock, after.version, after.tokens, after.holds) == (
        before.taken, before.stock, before.version, before.tokens, before.holds
    )
    assert [k for k in session_keys(app, sid) if ":tok:" in k or ":hold:" in k] == []


def test_issue_and_deduct_names_taken_seats_and_writes_nothing(app, sid, fresh):
    hold(app, sid, [3])
    before = picture(app, sid)
    tokens_before = [k for k in session_keys(app, sid) if ":tok:" in k]
    with pytest.raises(SeatsTaken) as info:
        app.store.issue_and_deduct(sid, "alice", [2, 3], TOKEN_MS, 60_000)
    assert info.value.indices == (3,)
    after = picture(app, sid)
    # refused before a token was made: no token record, no place in the gate, no version bump
    assert (after.taken, after.stock, after.version, after.tokens, after.holds) == (
        before.taken, before.stock, before.version, before.tokens, before.holds
    )
    assert [k for k in session_keys(app, sid) if ":tok:" in k] == tokens_before


def test_issue_and_deduct_keeps_the_refusals_of_each_step(app, sid, fresh):
    refused(BadInput, app.store.issue_and_deduct, sid, "alice", [2, 10_000], TOKEN_MS, 60_000, match="10000")
    gated = gated_store(app)
    issue(app, sid, store=gated), issue(app, sid, store=gated)
    refused(GateFull, gated.issue_and_deduct, sid, "alice", [4], TOKEN_MS, 60_000)
    assert picture(app, sid).taken == BLOCKED


def test_issue_and_deduct_survives_a_flushed_script_cache(app, sid, fresh):
    app.redis.script_flush()
    issued, _ = app.store.issue_and_deduct(sid, "alice", [9], TOKEN_MS, 60_000)
    assert app.store.hold(sid, issued.token).seats == (9,)


def _script_connection_id(app) -> int:
    """The Redis client id of the connection the store keeps for its scripts (the one used last)."""
    conn = app.store.scripts._idle[-1]
    conn.send_command("CLIENT", "ID")
    return int(conn.read_response())


def test_a_script_connection_the_server_closed_is_reopened_before_the_next_script(app, sid, fresh):
    app.store.issue_and_deduct(sid, "alice", [9], TOKEN_MS, 60_000)
    victim = _script_connection_id(app)
    assert app.redis.client_kill_filter(_id=victim) == 1  # as a Redis restart or an idle timeout would
    issued, _ = app.store.issue_and_deduct(sid, "alice", [10], TOKEN_MS, 60_000)
    assert app.store.hold(sid, issued.token).seats == (10,)
    assert _script_connection_id(app) != victim
    assert picture(app, sid).taken == BLOCKED | {9, 10}


def test_a_script_interrupted_before_its_reply_never_lends_its_connection_again(app, sid, fresh, monkeypatch):
    app.store.issue_and_deduct(sid, "alice", [9], TOKEN_MS, 60_000)
    conn = app.store.scripts._idle[-1]

    def timed_out() -> object:
        raise redis.exceptions.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(conn, "read_response", timed_out)
    refused(RedisUnreachable, app.store.issue_and_deduct, sid, "alice", [10], TOKEN_MS, 60_000)
    assert conn not in app.store.scripts._idle and not conn._sock  # closed: its unread reply answers no script
    issued, _ = app.store.issue_and_deduct(sid, "alice", [11], TOKEN_MS, 60_000)
    assert app.store.hold(sid, issued.token).seats == (11,)
    # the interrupted script was sent and ran: its seat stays held under its token until the hold expires
    deadline = time.monotonic() + 2
    while 10 not in picture(app, sid).taken and time.monotonic() < deadline:
        time.sleep(0.01)
    assert picture(app, sid).taken == BLOCKED | {9, 10, 11}


def test_closing_the_store_closes_its_script_connections(app, settings, sid, fresh):
    store = SeatStore(app.redis, settings.redis_prefix)
    store.issue_and_deduct(sid, "alice", [9], TOKEN_MS, 60_000)
    conn = store.scripts._idle[-1]
    assert conn._sock is not None
    store.close()
    assert store.scripts._idle == [] and conn._sock is None


# -- ownership: confirm records the order line, free frees only what the ended lines still hold ---------------------
def test_free_releases_only_the_seats_the_ended_lines_hold(app, sid, fresh):
    token = hold(app, sid, [2, 3, 4])
    app.store.confirm(sid, token, [2, 3, 4], 7, [71, 72, 73])
    owners = app.store.keys(sid).owners
    assert app.redis.hgetall(owners) == {b"2": b"7:71", b"3": b"7:72", b"4": b"7:73"}
    # seat 3 is resold to order 8 (as after a cancel and a new sale) before a late message for order 7 arrives;
    # seat 4 left order 7 in an exchange and came back to it under a new line 74
    app.redis.hset(owners, mapping={"3": "8:80", "4": "7:74"})
    assert app.store.free(sid, 7, [2, 3, 4], [71, 72, 73], "cancel") == 1
    pic = picture(app, sid)
    assert pic.taken == BLOCKED | {3, 4} and pic.sold == {3, 4} and pic.stock == fresh.stock - 2
    assert app.store.free(sid, 7, [2, 3, 4], [71, 72, 73], "cancel") == 0  # idempotent
    assert changes(app, sid)[-1]["op"] == "free"
    assert app.store.free(sid, 7, [4], [74], "cancel") == 1  # the live line frees it
    with pytest.raises(ValueError):
        app.store.free(sid, 7, [4], [], "cancel")


def test_rebuild_restores_owners(app, sid, fresh):
    app.booking.sell(SaleRequest(sid, username="alice", seats=("S1-A-2",)))
    before = app.redis.hgetall(app.store.keys(sid).owners)
    app.store.drop(sid)
    app.inventory.rebuild(sid)
    assert app.redis.hgetall(app.store.keys(sid).owners) == before and len(before) == 1


def test_confirm_never_writes_an_older_or_ended_line_over_the_seat(app, sid, fresh):
    owners = app.store.keys(sid).owners
    token = hold(app, sid, [2, 3, 4])
    # seat 2: its line 21 already ended (a cancel arrived first); seat 3: a newer line 35 holds it; seat 4: fresh
    app.redis.hset(owners, mapping={"2": "x:21", "3": "9:35"})
    app.redis.setbit(app.store.keys(sid).sold, 3, 1)
    assert app.store.confirm(sid, token, [2, 3, 4], ORDER, [21, 31, 41]) == 0
    assert app.redis.hgetall(owners) == {b"2": b"x:21", b"3": b"9:35", b"4": f"{ORDER}:41".encode()}
    pic = picture(app, sid)
    assert pic.taken == BLOCKED | {3, 4} and pic.sold == {3, 4}  # seat 2 went back: its line ended
    assert pic.stock == fresh.stock - 2
    assert [c["op"] for c in changes(app, sid)[-2:]] == ["sold", "release"]
    app.store.free(sid, ORDER, [4], [41], "cancel")
    assert app.redis.hget(owners, "4") == b"x:41"
    app.store.free(sid, ORDER, [4], [40], "cancel")  # an older line's late free leaves the newer mark alone
    assert app.redis.hget(owners, "4") == b"x:41"
