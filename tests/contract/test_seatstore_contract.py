"""One set of cases for the seat store, run against the in-memory fake and the real store on Redis.

The unit tests of the services stand on ``tests.fakes.FakeSeatStore``; these cases keep it honest: every case runs
on both (``store`` is parametrized), and the last test plays one scenario on both and compares what each records.
The real store gets its own key prefix under the test run's prefix (removed with it), the fake a clock that moves only
when a case lets time pass (the real case sleeps instead).

The session: 40 seats, seat 0 blocked (taken in the bitmap, not for sale), so a fresh session has taken = {0},
sold = {}, stock 39.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis

from boxoffice.adapters.seatstore import IssuedToken, SeatChange, SeatFix, SeatStore
from boxoffice.config import Settings
from boxoffice.domain.bitmap import make_bitmap, set_bits
from boxoffice.errors import (
    BadInput,
    GateFull,
    NotOnSale,
    RedisEmpty,
    SalesClosed,
    SeatsTaken,
    SeatsUnavailable,
    SoldOut,
    TokenExpired,
    TokenForeign,
    TokenInvalid,
    TokenStale,
    TokenUsed,
)
from tests.fakes import FakeClock, FakeSeatStore

CAPACITY = 40
FRESH_STOCK = CAPACITY - 1
ORDER = 4242
TOKEN_MS = 30_000
HOLD_MS = 60_000
SHORT_MS = 200  # a ttl to act within, and to outlive by waiting PAST_SHORT_MS
PAST_SHORT_MS = 350
_sids = itertools.count(1)


@dataclass
class Rig:
    """A store, a session id of its own and a way to let time pass for it."""

    kind: str
    store: Any
    sid: int
    wait: Callable[[int], None]

    def fresh(self, sid: int | None = None, on_sale: bool = True, **window: int | None) -> str:
        """(Re)build the session as new: seat 0 blocked, nothing sold; returns the epoch."""
        return self.store.rebuild(sid or self.sid, CAPACITY, on_sale, make_bitmap(CAPACITY, [0]),
                                  make_bitmap(CAPACITY, []), FRESH_STOCK, **window)

    def claim(self, seats: list[int], hold_ms: int = HOLD_MS, clerk: str = "alice") -> str:
        return self.store.issue_and_deduct(self.sid, clerk, seats, TOKEN_MS, hold_ms)[0].token

    def view(self) -> tuple[list[int], list[int], int | None, int | None, int]:
        """What a snapshot says, without version and epoch (clock-made): taken, sold, stock, capacity, live holds."""
        s = self.store.snapshot(self.sid)
        return set_bits(s.taken), set_bits(s.sold), s.stock, s.capacity, s.live_holds


@pytest.fixture(scope="module")
def real_client(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.redis_url)
    yield client
    client.close()


def _real_rig(settings: Settings, client: redis.Redis) -> Rig:
    # under the run's prefix, so the run's clean-up removes whatever a failed case leaves
    store = SeatStore(client, f"{settings.redis_prefix}:contract{secrets.token_hex(3)}")
    return Rig("real", store, next(_sids), lambda ms: time.sleep(ms / 1000))


def _fake_rig() -> Rig:
    clock = FakeClock()
    return Rig("fake", FakeSeatStore(clock), next(_sids), clock.advance)


@pytest.fixture(params=["fake", "real"])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    if request.param == "fake":
        made = _fake_rig()
    else:
        made = _real_rig(request.getfixturevalue("settings"), request.getfixturevalue("real_client"))
    made.fresh()
    yield made
    made.store.drop(made.sid)
    made.store.close()


FRESH = ([0], [], FRESH_STOCK, CAPACITY, 0)


# -- tokens ---------------------------------------------------------------------------------------------------------
def test_a_token_is_bound_to_its_session_count_and_clerk(rig):
    issued = rig.store.issue_token(rig.sid, "alice", 2, TOKEN_MS)
    assert isinstance(issued, IssuedToken)
    assert (issued.session_id, issued.seats_wanted) == (rig.sid, 2) and issued.expires_ms > 0
    assert issued.token != rig.store.issue_token(rig.sid, "alice", 2, TOKEN_MS).token
    assert rig.store.token_clerk(rig.sid, issued.token) == "alice"
    assert rig.store.token_clerk(rig.sid, "no-such-token") is None
    assert rig.view() == FRESH  # a token takes no seat
    with pytest.raises(TokenInvalid, match="issued for 2 seats, not 1"):
        rig.store.deduct(rig.sid, issued.token, [5], "alice", HOLD_MS)
    with pytest.raises(TokenInvalid, match="unknown order token"):
        rig.store.deduct(rig.sid, "no-such-token", [5], "alice", HOLD_MS)


def test_a_token_is_spent_once(rig):
    issued = rig.store.issue_token(rig.sid, "alice", 2, TOKEN_MS)
    before = rig.store.snapshot(rig.sid).version
    assert rig.store.deduct(rig.sid, issued.token, [2, 3], "alice", HOLD_MS) == before + 1
    with pytest.raises(TokenUsed):
        rig.store.deduct(rig.sid, issued.token, [2, 3], "alice", HOLD_MS)
    with pytest.raises(TokenUsed):
        rig.store.deduct(rig.sid, issued.token, [4, 5], "alice", HOLD_MS)  # not even on other, free seats
    hold = rig.store.hold(rig.sid, issued.token)
    assert (hold.state, hold.seats, hold.clerk, hold.stale) == ("held", (2, 3), "alice", False)
    assert rig.view() == ([0, 2, 3], [], FRESH_STOCK - 2, CAPACITY, 1)


def test_an_expired_token_is_refused(rig):
    issued = rig.store.issue_token(rig.sid, "alice", 1, SHORT_MS)
    rig.wait(PAST_SHORT_MS)
    with pytest.raises(TokenExpired):
        rig.store.deduct(rig.sid, issued.token, [5], "alice", HOLD_MS)
    assert rig.view() == FRESH


def test_a_discarded_token_cannot_be_spent(rig):
    rig.store.gate_min, rig.store.gate_per_free_seat = 1, 0.01
    issued = rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    with pytest.raises(GateFull):
        rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    rig.store.discard_token(rig.sid, issued.token)
    assert rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)  # its place in the gate is free again
    with pytest.raises(TokenUsed):
        rig.store.deduct(rig.sid, issued.token, [5], "alice", HOLD_MS)


def test_step_one_refusals(rig):
    with pytest.raises(SoldOut, match="has 39 free seats, 40 wanted"):
        rig.store.issue_token(rig.sid, "alice", 40, TOKEN_MS)
    with pytest.raises(BadInput):
        rig.store.issue_token(rig.sid, "alice", 0, TOKEN_MS)
    assert rig.store.set_sales(rig.sid, False)
    with pytest.raises(SalesClosed):
        rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    with pytest.raises(SalesClosed):
        rig.store.issue_and_deduct(rig.sid, "alice", [5], TOKEN_MS, HOLD_MS)
    far = int(time.time() * 1000) + 3_600_000
    assert rig.store.set_sales(rig.sid, True, opens_ms=far)
    with pytest.raises(NotOnSale) as info:
        rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    assert type(info.value) is NotOnSale
    assert rig.store.set_sales(rig.sid, True, closes_ms=far - 7_200_000)  # closed an hour ago
    with pytest.raises(SalesClosed):
        rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    assert rig.store.set_sales(rig.sid, True)
    assert rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS).seats_wanted == 1
    assert rig.view() == FRESH


# -- claims ---------------------------------------------------------------------------------------------------------
def test_a_claim_of_free_seats_holds_them(rig):
    before = rig.store.snapshot(rig.sid).version
    issued, version = rig.store.issue_and_deduct(rig.sid, "alice", [7, 8], TOKEN_MS, HOLD_MS)
    assert version == before + 1 and issued.seats_wanted == 2
    assert rig.view() == ([0, 7, 8], [], FRESH_STOCK - 2, CAPACITY, 1)
    assert rig.store.hold_of_seat(rig.sid, 8).token == issued.token
    assert rig.store.hold_of_seat(rig.sid, 9) is None
    assert [(h.token, h.state, h.seats, h.clerk) for h in rig.store.hold_records(rig.sid)] == [
        (issued.token, "held", (7, 8), "alice")]
    assert rig.store.changes(rig.sid)[-1][1] == {"v": str(version), "op": "hold", "seats": "7,8", "by": "alice"}


def test_a_claim_refuses_taken_seats_names_them_and_writes_nothing(rig):
    rig.claim([2, 3])
    before = rig.store.snapshot(rig.sid)
    with pytest.raises(SeatsTaken) as info:
        rig.store.issue_and_deduct(rig.sid, "alice", [1, 2, 3], TOKEN_MS, HOLD_MS)
    assert info.value.indices == (2, 3)
    with pytest.raises(SeatsTaken) as info:
        rig.store.issue_and_deduct(rig.sid, "alice", [0], TOKEN_MS, HOLD_MS)  # blocked
    assert info.value.indices == (0,) and info.value.seats == ("0",)  # no labels given: the indices as text
    with pytest.raises(SeatsUnavailable) as info:  # what a service meets: the seats named by its labels
        rig.store.issue_and_deduct(rig.sid, "alice", [4, 3], TOKEN_MS, HOLD_MS, seat_label=lambda i: f"A-{i + 1}")
    assert info.value.seats == ("A-4",) and info.value.as_dict()["error"] == "seats_unavailable"
    assert rig.store.snapshot(rig.sid) == before
    with pytest.raises(BadInput, match="10000"):
        rig.store.issue_and_deduct(rig.sid, "alice", [2, 10_000], TOKEN_MS, HOLD_MS)
    with pytest.raises(BadInput):
        rig.store.issue_and_deduct(rig.sid, "alice", [5, 5], TOKEN_MS, HOLD_MS)
    assert rig.store.snapshot(rig.sid) == before


def test_a_deduction_on_taken_seats_names_them_and_spends_the_token(rig):
    rig.claim([3])
    issued = rig.store.issue_token(rig.sid, "alice", 2, TOKEN_MS)
    before = rig.store.snapshot(rig.sid)
    with pytest.raises(SeatsTaken) as info:
        rig.store.deduct(rig.sid, issued.token, [3, 4], "alice", HOLD_MS, seat_label=lambda i: f"A-{i + 1}")
    assert (info.value.indices, info.value.seats) == ((3,), ("A-4",))
    assert rig.store.snapshot(rig.sid) == before
    with pytest.raises(TokenUsed):
        rig.store.deduct(rig.sid, issued.token, [4, 5], "alice", HOLD_MS)


# -- holds ----------------------------------------------------------------------------------------------------------
def test_release_gives_back_exactly_the_hold_once(rig):
    other = rig.claim([9])
    token = rig.claim([5, 6])
    assert rig.store.release(rig.sid, token) == 2
    assert rig.view() == ([0, 9], [], FRESH_STOCK - 1, CAPACITY, 1)
    assert rig.store.hold(rig.sid, token).state == "released"
    assert rig.store.release(rig.sid, token) == 0
    assert rig.store.release(rig.sid, "no-such-token") == 0
    assert rig.store.hold(rig.sid, other).state == "held"
    assert rig.store.hold(rig.sid, "no-such-token") is None
    last = rig.store.changes(rig.sid)[-1][1]
    assert (last["op"], last["seats"], last["by"], last["reason"]) == ("release", "5,6", "alice", "compensate")


def test_an_expired_hold_is_listed_until_released(rig):
    token = rig.claim([5, 6], hold_ms=SHORT_MS)
    assert rig.store.expired_holds([rig.sid]) == {}
    rig.wait(PAST_SHORT_MS)
    assert rig.store.expired_holds([rig.sid]) == {rig.sid: [token]}
    assert rig.store.hold(rig.sid, token).state == "held"  # expiry is the sweep's to act on
    assert rig.store.release(rig.sid, token, "expired") == 2
    assert rig.store.expired_holds([rig.sid]) == {}
    assert rig.view() == FRESH


def test_a_hold_is_extended_by_its_clerk_only_while_it_is_live(rig):
    token = rig.claim([5, 6], hold_ms=SHORT_MS)
    before, version = rig.store.hold(rig.sid, token).expires_ms, rig.store.snapshot(rig.sid).version
    with pytest.raises(TokenForeign, match="another clerk's"):
        rig.store.extend_hold(rig.sid, token, "bob", HOLD_MS, 2)
    hold = rig.store.extend_hold(rig.sid, token, "alice", HOLD_MS, 2)
    assert (hold.state, hold.seats, hold.clerk) == ("held", (5, 6), "alice")
    assert hold.expires_ms >= before + HOLD_MS - SHORT_MS and rig.store.hold(rig.sid, token) == hold
    assert rig.store.extend_hold(rig.sid, token, "alice", 1, 2).expires_ms == hold.expires_ms  # never shortened
    with pytest.raises(BadInput, match="already extended 2 times"):
        rig.store.extend_hold(rig.sid, token, "alice", HOLD_MS, 2)
    rig.wait(PAST_SHORT_MS)
    assert rig.store.expired_holds([rig.sid]) == {}  # the sweep sees the new expiry
    assert rig.store.snapshot(rig.sid).version == version  # no seat changed: the live maps have nothing to redraw
    assert rig.view() == ([0, 5, 6], [], FRESH_STOCK - 2, CAPACITY, 1)
    assert rig.store.release(rig.sid, token) == 2
    with pytest.raises(TokenInvalid, match="the hold is over"):
        rig.store.extend_hold(rig.sid, token, "alice", HOLD_MS, 2)
    with pytest.raises(TokenInvalid, match="the hold is over"):
        rig.store.extend_hold(rig.sid, "no-such-token", "alice", HOLD_MS, 2)
    late = rig.claim([7], hold_ms=SHORT_MS)
    rig.wait(PAST_SHORT_MS)
    with pytest.raises(TokenExpired, match="the hold has expired"):  # the sweep is giving it back
        rig.store.extend_hold(rig.sid, late, "alice", HOLD_MS, 2)
    kept = rig.claim([8])
    rig.fresh()
    with pytest.raises(TokenStale):
        rig.store.extend_hold(rig.sid, kept, "alice", HOLD_MS, 2)


def test_confirm_after_hold_sells_the_seats(rig):
    token = rig.claim([2, 3])
    assert rig.store.confirm(rig.sid, token, [2, 3], ORDER, [21, 31]) == 0
    assert rig.view() == ([0, 2, 3], [2, 3], FRESH_STOCK - 2, CAPACITY, 0)
    assert rig.store.hold(rig.sid, token).state == "confirmed"
    assert rig.store.confirm(rig.sid, token, [2, 3], ORDER, [21, 31]) == 0  # idempotent
    assert rig.store.release(rig.sid, token, "expired") == 0  # a sold hold frees nothing
    insp = rig.store.inspect(rig.sid)
    assert insp.owners == {2: f"{ORDER}:21", 3: f"{ORDER}:31"} and insp.on_sale is True and insp.holds == ()
    assert rig.view() == ([0, 2, 3], [2, 3], FRESH_STOCK - 2, CAPACITY, 0)


def test_confirm_after_release_restores_the_seats(rig):
    token = rig.claim([2, 3])
    rig.store.release(rig.sid, token, "expired")
    assert rig.store.confirm(rig.sid, token, [2, 3], ORDER, [21, 31]) == 2
    assert rig.view() == ([0, 2, 3], [2, 3], FRESH_STOCK - 2, CAPACITY, 0)


def test_free_after_sale_frees_only_the_ended_lines(rig):
    token = rig.claim([2, 3, 4])
    rig.store.confirm(rig.sid, token, [2, 3, 4], ORDER, [21, 31, 41])
    assert rig.store.free(rig.sid, ORDER, [2, 3], [21, 30], "cancel") == 1  # line 30 is not seat 3's line
    assert rig.view() == ([0, 3, 4], [3, 4], FRESH_STOCK - 2, CAPACITY, 0)
    assert rig.store.free(rig.sid, ORDER, [2], [21], "cancel") == 0  # idempotent
    assert rig.store.free(rig.sid, ORDER, [], [], "cancel") == 0
    rig.store.apply_changes([SeatChange("free", rig.sid, ORDER, [3, 4], [31, 41], reason="exchange")])
    assert rig.view() == FRESH
    assert rig.store.inspect(rig.sid).owners == {2: "x:21", 3: "x:31", 4: "x:41"}
    with pytest.raises(ValueError):
        rig.store.free(rig.sid, ORDER, [4], [], "cancel")
    # a late confirmation of an ended line writes nothing
    assert rig.store.confirm(rig.sid, token, [2], ORDER, [21]) == 0
    assert rig.view() == FRESH


def test_apply_changes_confirms(rig):
    token = rig.claim([2, 3])
    rig.store.apply_changes([SeatChange("confirm", rig.sid, ORDER, [2, 3], [21, 31], token=token),
                             SeatChange("free", rig.sid, ORDER, [], [])])
    assert rig.view() == ([0, 2, 3], [2, 3], FRESH_STOCK - 2, CAPACITY, 0)


# -- pictures, epochs, rebuilds ---------------------------------------------------------------------------------------
def test_snapshots_agree_with_each_other(rig):
    rig.claim([5])
    snap, position = rig.store.snapshot_with_position(rig.sid)
    assert rig.store.snapshots([rig.sid]) == [snap] == [rig.store.snapshot(rig.sid)]
    assert position == rig.store.changes(rig.sid)[-1][0]
    token = rig.claim([6])
    entries = rig.store.read_changes(rig.sid, position, 10)
    assert [(v, op, seats) for _id, v, op, seats in entries] == [(snap.version + 1, "hold", "6")]
    rig.store.release(rig.sid, token)
    assert [op for _id, _v, op, _s in rig.store.read_changes(rig.sid, entries[0][0], 10)] == ["release"]
    insp = rig.store.inspect(rig.sid)
    assert insp.snapshot == rig.store.snapshot(rig.sid) and insp.now_ms > 0


def test_rebuild_bumps_the_epoch_and_ends_older_tokens_and_holds(rig):
    epoch = rig.store.snapshot(rig.sid).epoch
    old_token = rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS).token
    old_hold = rig.claim([5])
    before = rig.store.snapshot(rig.sid)
    rig.wait(5)
    new_epoch = rig.store.rebuild(rig.sid, CAPACITY, True, make_bitmap(CAPACITY, [0, 7]), make_bitmap(CAPACITY, [7]),
                                  FRESH_STOCK - 1, owners={7: (ORDER, 71)})
    assert int(new_epoch) > int(epoch) and rig.store.snapshot(rig.sid).epoch == new_epoch
    assert rig.store.snapshot(rig.sid).version > before.version
    assert rig.view() == ([0, 7], [7], FRESH_STOCK - 1, CAPACITY, 0)
    assert rig.store.inspect(rig.sid).owners == {7: f"{ORDER}:71"}
    with pytest.raises(TokenStale):
        rig.store.deduct(rig.sid, old_token, [5], "alice", HOLD_MS)
    assert rig.store.hold(rig.sid, old_hold).stale
    assert rig.store.hold_records(rig.sid) == []  # the rebuild emptied the holds set
    [record] = rig.store.hold_records(rig.sid, [old_hold])
    assert (record.state, record.seats, record.epoch, record.stale) == ("held", (5,), epoch, True)
    assert record == rig.store.hold(rig.sid, old_hold)
    assert rig.store.release(rig.sid, old_hold, "stale") == 0  # its bit is not in the new map
    assert rig.store.hold(rig.sid, old_hold).state == "released"
    assert rig.view() == ([0, 7], [7], FRESH_STOCK - 1, CAPACITY, 0)
    assert not rig.store.hold(rig.sid, rig.claim([5])).stale


def test_a_lost_session_is_empty_and_its_rebuild_keeps_the_version_growing(rig):
    before = rig.store.snapshot(rig.sid)
    rig.store.drop(rig.sid)
    gone = rig.store.snapshot(rig.sid)
    assert not gone.present and (gone.version, gone.stock, gone.epoch, gone.taken) == (0, None, None, b"")
    with pytest.raises(RedisEmpty):
        rig.store.issue_token(rig.sid, "alice", 1, TOKEN_MS)
    with pytest.raises(RedisEmpty):
        rig.store.issue_and_deduct(rig.sid, "alice", [5], TOKEN_MS, HOLD_MS)
    assert rig.store.confirm(rig.sid, "t", [2], ORDER, [21]) == -1
    assert rig.store.free(rig.sid, ORDER, [2], [21], "cancel") == 0
    assert not rig.store.set_sales(rig.sid, True)
    assert rig.store.repair(rig.sid, "sam", "drift", [], recount=True) is None
    assert rig.store.inspect(rig.sid).on_sale is None
    rig.wait(20)
    rig.fresh()
    after = rig.store.snapshot(rig.sid)
    assert after.version > before.version and int(after.epoch) > int(before.epoch)
    assert rig.view() == FRESH


def test_repair_writes_only_seats_still_as_seen(rig):
    token = rig.claim([5])
    fix = SeatFix(5, seen_taken=True, seen_sold=False, seen_owner="", taken=False, sold=False, owner="")
    reply = rig.store.repair(rig.sid, "sam", "orphan_hold", [fix], recount=False)
    assert (reply.stock_before, reply.stock_after, reply.repaired) == (FRESH_STOCK - 1, FRESH_STOCK, (5,))
    assert reply.version == rig.store.snapshot(rig.sid).version
    assert rig.store.repair(rig.sid, "sam", "orphan_hold", [fix], recount=False).repaired == ()  # not as seen now
    assert rig.store.hold(rig.sid, token).state == "held"
    sold = SeatFix(9, seen_taken=False, seen_sold=False, seen_owner="", taken=True, sold=True, owner=f"{ORDER}:91")
    assert rig.store.repair(rig.sid, "sam", "lost_sale", [sold], recount=False).repaired == (9,)
    assert rig.store.inspect(rig.sid).owners == {9: f"{ORDER}:91"}
    last = rig.store.changes(rig.sid)[-1][1]
    assert (last["op"], last["seats"], last["by"], last["reason"]) == ("repair", "9", "sam", "lost_sale")
    assert rig.view() == ([0, 9], [9], FRESH_STOCK - 1, CAPACITY, 1)


def test_repair_recounts_the_stock_from_the_bits(rig):
    rig.store.repair(rig.sid, "sam", "x", [
        SeatFix(4, seen_taken=False, seen_sold=False, seen_owner="", taken=True, sold=False, owner="")], False)
    assert rig.view()[2] == FRESH_STOCK - 1
    reply = rig.store.repair(rig.sid, "sam", "stale_stock", [], recount=True)
    assert (reply.stock_before, reply.stock_after, reply.repaired) == (FRESH_STOCK - 1, FRESH_STOCK - 1, ())
    version = rig.store.snapshot(rig.sid).version
    assert rig.store.repair(rig.sid, "sam", "stale_stock", [], recount=True).version == version  # nothing to do


# -- bookkeeping ----------------------------------------------------------------------------------------------------
def test_unresolved_tokens_are_listed_until_resolved(rig):
    rig.store.resolved(rig.sid, [])
    assert rig.sid not in rig.store.unresolved()
    rig.store.mark_unresolved(rig.sid, "t1")
    rig.wait(2)
    rig.store.mark_unresolved(rig.sid, "t2")
    assert rig.store.unresolved()[rig.sid] == ["t1", "t2"]
    rig.store.resolved(rig.sid, ["t1", "t2"])
    assert rig.sid not in rig.store.unresolved()


def test_locks_and_turns_go_to_one_taker(rig):
    assert rig.store.try_lock(rig.sid, "rebuild", 5_000)
    assert not rig.store.try_lock(rig.sid, "rebuild", 5_000)
    assert rig.store.try_lock(rig.sid, "other", 5_000)
    rig.store.unlock(rig.sid, "rebuild")
    assert rig.store.try_lock(rig.sid, "rebuild", SHORT_MS)
    rig.wait(PAST_SHORT_MS)
    assert rig.store.try_lock(rig.sid, "rebuild", 5_000)  # the holder's time ran out
    job = f"contract-{rig.sid}"
    assert rig.store.try_job_lock(job, 5_000)
    assert not rig.store.try_job_lock(job, 5_000)
    rig.store.unlock_job(job)
    assert rig.store.try_job_lock(job, 5_000)
    rig.store.unlock_job(job)


# -- the same story on both ---------------------------------------------------------------------------------------
def _story(r: Rig) -> tuple[Any, ...]:
    """A day of one session: sales, a conflict, an expiry, a cancel, an exchange, a repair, a rebuild. Returns what
    a reader can see, less what the clocks and random tokens make."""
    sold = r.claim([2, 3])
    r.store.confirm(r.sid, sold, [2, 3], ORDER, [21, 31])
    with pytest.raises(SeatsTaken):
        r.claim([3, 4])
    late = r.claim([10], hold_ms=SHORT_MS)
    kept = r.claim([11, 12])
    r.wait(PAST_SHORT_MS)
    for token in r.store.expired_holds([r.sid]).get(r.sid, []):
        r.store.release(r.sid, token, "expired")
    swap = r.claim([20])
    r.store.apply_changes([SeatChange("confirm", r.sid, ORDER + 1, [20], [201], token=swap),
                           SeatChange("free", r.sid, ORDER, [3], [31], reason="exchange")])
    r.store.repair(r.sid, "sam", "stale_stock", [], recount=True)
    start = r.store.changes(r.sid)[0][1]["v"]
    history = [{**f, "v": int(f["v"]) - int(start)} for _i, f in r.store.changes(r.sid)]
    holds = [(h.state, h.seats, h.clerk) for h in r.store.hold_records(r.sid)]
    marks = (r.store.hold(r.sid, late).state, r.store.hold(r.sid, kept).state, r.store.hold(r.sid, swap).state)
    picture = r.view()
    owners = r.store.inspect(r.sid).owners
    r.store.rebuild(r.sid, CAPACITY, True, r.store.snapshot(r.sid).taken, r.store.snapshot(r.sid).sold, 30)
    return history, holds, marks, picture, owners, r.view(), r.store.hold(r.sid, kept).stale


def test_the_fake_and_the_real_store_record_the_same_story(settings, real_client):
    fake, real = _fake_rig(), _real_rig(settings, real_client)
    try:
        for r in (fake, real):
            r.fresh()
        assert _story(fake) == _story(real)
    finally:
        real.store.drop(real.sid)
        real.store.close()


def test_the_fake_has_every_method_of_the_store_with_its_parameters():
    """A service written against the fake runs against the store: same public methods, same parameters and
    defaults (``keys`` is the Redis key layout, which the fake has no use for)."""
    import inspect

    def public(cls: type) -> dict[str, inspect.Signature]:
        return {name: inspect.signature(fn) for name, fn in inspect.getmembers(cls, callable)
                if not name.startswith("_")}

    real, fake = public(SeatStore), public(FakeSeatStore)
    assert set(real) - {"keys"} == set(fake)
    for name, signature in fake.items():
        assert [(p.name, p.default) for p in signature.parameters.values()] == [
            (p.name, p.default) for p in real[name].parameters.values()], name
