"""The Redis seat inventory (DESIGN §3): one bitmap per session plus stock, tokens, holds and a change stream.

Every key of a session carries the hash tag ``{s<id>}`` so each script touches one cluster slot. Scripts live in
``lua/*.lua`` with a KEYS/ARGV/returns header, are registered once per store, and their status codes become the
typed errors of :mod:`boxoffice.errors`.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from importlib import resources
from typing import Any, ParamSpec, TypeVar

import redis
import redis.exceptions

from ..errors import (
    BackendUnavailable,
    BadInput,
    GateFull,
    NotOnSale,
    SalesClosed,
    SoldOut,
    TokenExpired,
    TokenInvalid,
    TokenStale,
)

P = ParamSpec("P")
R = TypeVar("R")

#: how long used tokens and finished hold records are kept after their ttl (for idempotent retries and audits)
KEEP_MS = 24 * 3600 * 1000


class RedisEmpty(Exception):
    """The session has no inventory keys in Redis (flushed or never warmed): rebuild it from the database."""


class TokenUsed(TokenInvalid):
    """The token was already spent on a deduction; its hold tells what became of it."""

    code = "token_used"


class SeatsTaken(Exception):
    """Raised by :meth:`SeatStore.deduct` with the seat indices that are taken; the service names them."""

    def __init__(self, indices: Sequence[int]) -> None:
        super().__init__(f"seat indices taken: {list(indices)}")
        self.indices = tuple(indices)


def _backend(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except redis.exceptions.ResponseError as exc:
            raise BackendUnavailable(f"Redis refused a command: {exc}") from exc
        except redis.exceptions.RedisError as exc:
            raise BackendUnavailable(f"Redis unavailable: {exc.__class__.__name__}: {exc}") from exc

    return wrapper


@dataclass(frozen=True, slots=True)
class SessionKeys:
    meta: str
    seats: str
    sold: str
    stock: str
    tokens: str
    holds: str
    ver: str
    changes: str
    owners: str
    #: sorted set token -> ms: sales whose database outcome is unknown, to settle when the database answers again
    unresolved: str
    prefix: str

    def tok(self, token: str) -> str:
        return f"{self.prefix}tok:{token}"

    def hold(self, token: str) -> str:
        return f"{self.prefix}hold:{token}"

    def lock(self, name: str) -> str:
        return f"{self.prefix}lock:{name}"


@dataclass(frozen=True, slots=True)
class Effect:
    """A Redis change that follows a committed order change: ``confirm`` the hold of ``token`` as the seats of
    ``order_id``, or ``free`` the seats that ended order lines held. ``lines`` are the order line ids, one per seat:
    a seat is owned by ``order:line`` in Redis, so a late free of an ended line never frees the seat a newer line of
    the same order holds."""

    kind: str
    session_id: int
    order_id: int
    seats: Sequence[int]
    lines: Sequence[int]
    token: str = ""
    reason: str = "outbox"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    session_id: int
    seats_wanted: int
    expires_ms: int


@dataclass(frozen=True, slots=True)
class Hold:
    token: str
    state: str  # held | confirmed | released
    seats: tuple[int, ...]
    expires_ms: int
    clerk: str
    #: the hold was made before the latest rebuild of the seat map (another epoch): its bits are not in the map any
    #: more and its seats may be someone else's, so it must not finish a sale
    stale: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A consistent picture of one session: taken and sold bitmaps at one version."""

    session_id: int
    version: int
    taken: bytes
    sold: bytes
    stock: int | None
    capacity: int | None
    epoch: str | None
    live_holds: int = 0

    @property
    def present(self) -> bool:
        return self.capacity is not None


@dataclass(frozen=True, slots=True)
class HoldRecord:
    """A hold still listed in the session's holds set (live, or expired and not swept yet)."""

    token: str
    state: str
    seats: tuple[int, ...]
    expires_ms: int
    clerk: str
    epoch: str


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything the reconciler compares on the Redis side of one session, read in one MULTI (the hold records in
    a second round trip)."""

    snapshot: Snapshot
    on_sale: bool | None
    owners: dict[int, str]
    holds: tuple[HoldRecord, ...]
    now_ms: int


@dataclass(frozen=True, slots=True)
class SeatFix:
    """One seat for :meth:`SeatStore.repair`: the state the reconciler saw and the state to write."""

    seat: int
    seen_taken: bool
    seen_sold: bool
    seen_owner: str
    taken: bool
    sold: bool
    owner: str


@dataclass(frozen=True, slots=True)
class RepairReply:
    stock_before: int
    stock_after: int
    version: int
    repaired: tuple[int, ...]


def _pairs(indices: Sequence[int], lines: Sequence[int]) -> list[int]:
    """seat, line, seat, line, ... as the confirm and free scripts read them."""
    if len(indices) != len(lines):
        raise ValueError(f"{len(indices)} seats but {len(lines)} order lines")
    return [x for pair in zip(indices, lines, strict=True) for x in pair]


def _ms(redis_time: Sequence[Any]) -> int:
    """Redis TIME (seconds, microseconds) in milliseconds."""
    return int(redis_time[0]) * 1000 + int(redis_time[1]) // 1000


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


#: statuses only step 1 (issue_token.lua) answers
_ISSUE_REFUSALS = frozenset({"REDIS_EMPTY", "NOT_ON_SALE", "SALES_CLOSED", "NOT_OPEN", "GATE_FULL", "BAD_REQUEST"})


class SeatStore:
    """Typed access to the per-session inventory in Redis."""

    SCRIPTS = ("issue_token", "deduct", "confirm", "release", "rebuild", "free", "repair", "sales")
    #: scripts made of others: each named file is wrapped as ``local function <name>(KEYS, ARGV)`` ahead of the body
    COMPOSED = {"claim": ("issue_token", "deduct")}

    def __init__(self, client: redis.Redis, prefix: str = "bo", gate_per_free_seat: float = 2.0, gate_min: int = 64):
        self.r = client
        self.prefix = prefix
        self.gate_per_free_seat = gate_per_free_seat
        self.gate_min = gate_min
        lua = resources.files(__package__) / "lua"
        source = {name: (lua / f"{name}.lua").read_text() for name in (*self.SCRIPTS, *self.COMPOSED)}
        for name, parts in self.COMPOSED.items():
            wrapped = "".join(f"local function {part}(KEYS, ARGV)\n{source[part]}\nend\n" for part in parts)
            source[name] = wrapped + source[name]
        self._scripts = {name: client.register_script(text) for name, text in source.items()}
        #: idle connections for single script runs (see :meth:`_evalsha`); list.pop/append are atomic
        self._idle: list[redis.Connection] = []

    def keys(self, session_id: int) -> SessionKeys:
        p = f"{self.prefix}:{{s{session_id}}}:"
        return SessionKeys(
            meta=p + "meta",
            seats=p + "seats",
            sold=p + "sold",
            stock=p + "stock",
            tokens=p + "tokens",
            holds=p + "holds",
            ver=p + "ver",
            changes=p + "changes",
            owners=p + "owners",
            unresolved=p + "unresolved",
            prefix=p,
        )

    @property
    def unresolved_index(self) -> str:
        """The sessions that may have unresolved sales (a set of session ids; its own slot — it only finds them)."""
        return f"{self.prefix}:{{unresolved}}:sessions"

    def _run(self, name: str, keys: Sequence[str], args: Sequence[Any]) -> list[str]:
        return [_s(v) for v in self._evalsha(name, keys, args)]

    def _evalsha(self, name: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """One script run, straight on a redis-py connection the store keeps for its scripts.

        The Script → client → pool path of redis-py costs about 75 µs of client CPU per call more on this kind of
        machine (observability hooks, pool bookkeeping, argument copies): a third of what a refused sale costs the
        client. Before reuse a connection is checked as redis-py's pool checks it, so one the server closed
        (restart, CLIENT KILL, idle timeout) is reopened before the script is sent, never retried after it.
        """
        script = self._scripts[name]
        try:
            conn = self._idle.pop()
            reused = True
        except IndexError:
            pool = self.r.connection_pool
            conn = pool.connection_class(**pool.connection_kwargs)  # connects on its first command
            reused = False
        try:
            if reused:
                try:
                    stale = conn.can_read()  # True: a stray reply or the end of the stream is waiting
                except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
                    stale = True
                if stale:
                    conn.disconnect()  # the command below opens a fresh one
            conn.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            try:
                reply = conn.read_response()
            except redis.exceptions.NoScriptError:  # Redis restarted or flushed its script cache: load, run again
                conn.send_command("SCRIPT", "LOAD", script.script)
                conn.read_response()
                conn.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                reply = conn.read_response()
        except redis.exceptions.ResponseError:
            self._idle.append(conn)  # an error reply was read whole: the connection is in step
            raise
        except BaseException:
            conn.disconnect()  # broken, or interrupted mid-reply: never reused
            raise
        self._idle.append(conn)
        return reply

    def close(self) -> None:
        """Close the script connections (the client's pool is the client's to close)."""
        while self._idle:
            self._idle.pop().disconnect()

    def _run_many(self, calls: Sequence[tuple[str, Sequence[str], Sequence[Any]]]) -> list[list[str]]:
        """Several scripts in one round trip, run one after the other (each still atomic on its own)."""
        for attempt in (1, 2):
            pipe = self.r.pipeline(transaction=False)
            for name, keys, args in calls:
                pipe.evalsha(self._scripts[name].sha, len(keys), *keys, *args)
            replies = pipe.execute(raise_on_error=False)
            if attempt == 1 and any(isinstance(r, redis.exceptions.NoScriptError) for r in replies):
                for name, _, _ in calls:  # Redis restarted or flushed its script cache: load and run again
                    self.r.script_load(self._scripts[name].script)
                continue
            for r in replies:
                if isinstance(r, Exception):
                    raise r
            return [[_s(v) for v in r] for r in replies]
        raise AssertionError("unreachable")

    # -- step 1 ---------------------------------------------------------------------------------------------------
    @staticmethod
    def _issued(session_id: int, token: str, seats_wanted: int, reply: list[str]) -> IssuedToken:
        status = reply[0]
        if status == "OK":
            return IssuedToken(token, session_id, seats_wanted, int(reply[1]))
        if status == "SOLD_OUT":
            raise SoldOut(f"session {session_id} has {reply[1]} free seats, {seats_wanted} wanted")
        if status == "GATE_FULL":
            raise GateFull(f"session {session_id}: {reply[1]} sales already in progress for the seats left; retry")
        if status in ("NOT_ON_SALE", "SALES_CLOSED"):  # the flag off (closed) or the sales window passed
            raise SalesClosed()
        if status == "NOT_OPEN":
            opens = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(int(reply[1]) / 1000))
            raise NotOnSale(f"sales for session {session_id} open at {opens}")
        if status == "REDIS_EMPTY":
            raise RedisEmpty(session_id)
        if status == "BAD_REQUEST":
            raise BadInput(f"seats wanted must be a positive whole number, not {seats_wanted!r}")
        raise BackendUnavailable(f"issue_token answered {reply!r}")

    @_backend
    def issue_token(self, session_id: int, clerk: str, seats_wanted: int, ttl_ms: int) -> IssuedToken:
        k = self.keys(session_id)
        token = secrets.token_urlsafe(18)
        reply = self._run(
            "issue_token",
            [k.meta, k.stock, k.tokens, k.tok(token)],
            [token, session_id, clerk, seats_wanted, ttl_ms, ttl_ms + KEEP_MS, self.gate_per_free_seat, self.gate_min],
        )
        return self._issued(session_id, token, seats_wanted, reply)

    # -- step 2 ---------------------------------------------------------------------------------------------------
    def _deduct_call(
        self, session_id: int, token: str, indices: Sequence[int], clerk: str, hold_ttl_ms: int
    ) -> tuple[str, list[str], list[Any]]:
        k = self.keys(session_id)
        return (
            "deduct",
            [k.meta, k.seats, k.stock, k.tokens, k.tok(token), k.hold(token), k.holds, k.ver, k.changes],
            [token, session_id, hold_ttl_ms, hold_ttl_ms + KEEP_MS, clerk, *indices],
        )

    @staticmethod
    def _deducted(session_id: int, wanted: int, reply: list[str]) -> int:
        status = reply[0]
        if status == "OK":
            return int(reply[1])
        if status == "SEATS_TAKEN":
            raise SeatsTaken([int(i) for i in reply[1:]])
        if status == "SOLD_OUT":
            raise SoldOut(f"session {session_id} has {reply[1]} free seats, {wanted} wanted")
        if status == "TOKEN_EXPIRED":
            raise TokenExpired("the order token has expired; start the sale again")
        if status == "TOKEN_USED":
            raise TokenUsed("the order token was already used")
        if status == "TOKEN_STALE":
            raise TokenStale()
        if status == "WRONG_SESSION":
            raise TokenInvalid(f"the order token does not belong to session {session_id}")
        if status == "WRONG_COUNT":
            raise TokenInvalid(f"the order token was issued for {reply[1]} seats, not {wanted}")
        if status == "TOKEN_INVALID":
            raise TokenInvalid("unknown order token")
        if status == "BAD_SEATS":
            raise BadInput(f"seat index {reply[1]} is repeated or outside session {session_id}")
        raise BackendUnavailable(f"deduct answered {reply!r}")

    @_backend
    def deduct(self, session_id: int, token: str, indices: Sequence[int], clerk: str, hold_ttl_ms: int) -> int:
        """Take the seats under the token; returns the session version after the change."""
        reply = self._run(*self._deduct_call(session_id, token, indices, clerk, hold_ttl_ms))
        return self._deducted(session_id, len(indices), reply)

    @_backend
    def issue_and_deduct(
        self, session_id: int, clerk: str, indices: Sequence[int], ttl_ms: int, hold_ttl_ms: int
    ) -> tuple[IssuedToken, int]:
        """Steps 1 and 2 for seats already chosen, in one script run (``claim.lua``): seats already taken are refused
        before a token is made, so a lost race writes nothing. Returns the token and the version after the
        deduction; raises the refusal as its typed error."""
        k = self.keys(session_id)
        token = secrets.token_urlsafe(18)
        reply = self._run(
            "claim",
            [k.meta, k.seats, k.stock, k.tokens, k.tok(token), k.hold(token), k.holds, k.ver, k.changes],
            [token, session_id, clerk, ttl_ms, ttl_ms + KEEP_MS, self.gate_per_free_seat, self.gate_min,
             hold_ttl_ms, hold_ttl_ms + KEEP_MS, *indices],
        )
        if reply[0] == "OK":
            return IssuedToken(token, session_id, len(indices), int(reply[3])), int(reply[1])
        if reply[0] in _ISSUE_REFUSALS:
            self._issued(session_id, token, len(indices), reply)
        self._deducted(session_id, len(indices), reply)
        raise BackendUnavailable(f"claim answered {reply!r}")  # _deducted raises for every status but OK

    @_backend
    def token_clerk(self, session_id: int, token: str) -> str | None:
        """The clerk an order token was issued to (None: no such token in this session)."""
        raw = self.r.hget(self.keys(session_id).tok(token), "clerk")
        return _s(raw) if raw is not None else None

    @_backend
    def discard_token(self, session_id: int, token: str) -> None:
        """Give an unused token's place in the gate back (the sale was abandoned before its deduction)."""
        k = self.keys(session_id)
        pipe = self.r.pipeline(transaction=True)
        pipe.zrem(k.tokens, token).hset(k.tok(token), "used", "discarded")
        pipe.execute()

    # -- after commit / on failure ----------------------------------------------------------------------------------
    def _hold_keys(self, session_id: int, token: str) -> list[str]:
        k = self.keys(session_id)
        return [k.meta, k.seats, k.sold, k.stock, k.hold(token), k.holds, k.ver, k.changes]

    @_backend
    def confirm(self, session_id: int, token: str, indices: Sequence[int], order_id: int, lines: Sequence[int]
                ) -> int:
        """Mark the order's seats sold (each owned by its order line); returns how many bits had to be restored (0
        normally, -1 when the session has no keys)."""
        reply = self._run(*self._confirm_call(session_id, token, indices, order_id, lines))
        if reply[0] == "OK":
            return int(reply[2])
        return -1 if reply[0] == "REDIS_EMPTY" else 0

    @_backend
    def release(self, session_id: int, token: str, reason: str = "compensate") -> int:
        """Give back the bits the hold set (idempotent); returns how many were freed."""
        reply = self._run("release", self._hold_keys(session_id, token), [token, reason])
        return int(reply[1]) if reply[0] == "OK" else 0

    def _free_call(self, session_id: int, order_id: int, indices: Sequence[int], lines: Sequence[int], reason: str
                   ) -> tuple[str, list[str], list[Any]]:
        k = self.keys(session_id)
        return ("free", [k.meta, k.seats, k.sold, k.stock, k.ver, k.changes, k.owners],
                [order_id, reason, *_pairs(indices, lines)])

    def _confirm_call(self, session_id: int, token: str, indices: Sequence[int], order_id: int,
                      lines: Sequence[int]) -> tuple[str, list[str], list[Any]]:
        return (
            "confirm",
            [*self._hold_keys(session_id, token), self.keys(session_id).owners],
            [token, KEEP_MS, order_id, *_pairs(indices, lines)],
        )

    @_backend
    def free(self, session_id: int, order_id: int, indices: Sequence[int], lines: Sequence[int], reason: str) -> int:
        """Free the seats the ended order ``lines`` still hold (cancel, exchange); returns how many were freed."""
        if not indices:
            return 0
        reply = self._run(*self._free_call(session_id, order_id, indices, lines, reason))
        return int(reply[1]) if reply[0] == "OK" else 0

    @_backend
    def apply_effects(self, effects: Sequence[Effect]) -> None:
        """Confirm and free many orders' seats in one round trip. Every script is idempotent and checks ownership,
        so a late or redelivered message may apply them again without harm."""
        calls = [
            self._confirm_call(e.session_id, e.token, e.seats, e.order_id, e.lines)
            if e.kind == "confirm"
            else self._free_call(e.session_id, e.order_id, e.seats, e.lines, e.reason)
            for e in effects
            if e.seats
        ]
        if calls:
            self._run_many(calls)

    @_backend
    def rebuild(self, session_id: int, capacity: int, on_sale: bool, taken: bytes, sold: bytes, free: int,
                owners: Mapping[int, tuple[int, int]] | None = None, ended: Mapping[int, int] | None = None,
                closes_ms: int | None = None, opens_ms: int | None = None) -> str:
        """Replace the session's picture; ``owners`` maps each sold seat to its (order id, order line id), ``ended``
        each other seat to its latest ended order line; ``closes_ms`` / ``opens_ms`` the sales window (ms since the
        Unix epoch, None: none), which the sale scripts compare with Redis TIME."""
        k = self.keys(session_id)
        packed = ",".join(f"{seat}:{order}:{line}" for seat, (order, line) in (owners or {}).items())
        gone = ",".join(f"{seat}:{line}" for seat, line in (ended or {}).items() if seat not in (owners or {}))
        reply = self._run(
            "rebuild",
            [k.meta, k.seats, k.sold, k.stock, k.tokens, k.holds, k.ver, k.changes, k.owners],
            [capacity, 1 if on_sale else 0, taken, sold, free, packed, gone,
             "" if closes_ms is None else closes_ms, "" if opens_ms is None else opens_ms],
        )
        return reply[1]

    @_backend
    def set_sales(self, session_id: int, on_sale: bool, closes_ms: int | None = None,
                  opens_ms: int | None = None) -> bool:
        """Set the session's on-sale flag and sales window in its meta (``sales.lua``), only if the session has a
        seat map here (a missing one is rebuilt from the database with both). Returns whether it had one."""
        k = self.keys(session_id)
        reply = self._scripts["sales"](
            keys=[k.meta], args=[1 if on_sale else 0, "" if closes_ms is None else closes_ms,
                                 "" if opens_ms is None else opens_ms])
        return bool(int(reply))

    # -- reads ----------------------------------------------------------------------------------------------------
    def _queue_snapshot(self, pipe: Any, session_id: int) -> None:
        k = self.keys(session_id)
        pipe.get(k.ver).get(k.seats).get(k.sold).get(k.stock).hmget(k.meta, "capacity", "epoch").zcard(k.holds)

    def _snapshot_from(self, session_id: int, replies: Sequence[Any]) -> Snapshot:
        ver, taken, sold, stock, (capacity, epoch), holds = replies
        return Snapshot(
            session_id=session_id,
            version=int(ver or 0),
            taken=taken or b"",
            sold=sold or b"",
            stock=int(stock) if stock is not None else None,
            capacity=int(capacity) if capacity is not None else None,
            epoch=_s(epoch) if epoch is not None else None,
            live_holds=int(holds),
        )

    @_backend
    def snapshot(self, session_id: int) -> Snapshot:
        """One session's bitmaps, stock and version read atomically (MULTI on one slot)."""
        pipe = self.r.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        return self._snapshot_from(session_id, pipe.execute())

    @_backend
    def snapshot_with_position(self, session_id: int) -> tuple[Snapshot, str]:
        """The snapshot and the id of the last change-stream entry it includes, read in one MULTI."""
        pipe = self.r.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        pipe.xrevrange(self.keys(session_id).changes, count=1)
        *replies, last = pipe.execute()
        return self._snapshot_from(session_id, replies), (_s(last[0][0]) if last else "0-0")

    @_backend
    def read_changes(self, session_id: int, after: str, block_ms: int) -> list[tuple[str, int, str, str]]:
        """Change-stream entries after ``after``: (entry id, version, op, seats csv); waits up to ``block_ms``."""
        reply = self.r.xread({self.keys(session_id).changes: after}, block=block_ms, count=1000)
        out = []
        for _, entries in reply or []:
            for entry_id, fields in entries:
                f = {_s(k): _s(v) for k, v in fields.items()}
                out.append((_s(entry_id), int(f["v"]), f["op"], f["seats"]))
        return out

    @_backend
    def snapshots(self, session_ids: Sequence[int]) -> list[Snapshot]:
        """Many sessions in one round trip (each session's replies are consistent only per key: for overviews)."""
        pipe = self.r.pipeline(transaction=False)
        for sid in session_ids:
            self._queue_snapshot(pipe, sid)
        replies = pipe.execute()
        return [self._snapshot_from(sid, replies[i * 6 : i * 6 + 6]) for i, sid in enumerate(session_ids)]

    @_backend
    def expired_holds(self, session_ids: Sequence[int]) -> dict[int, list[str]]:
        """Tokens of holds past their expiry, per session (one round trip)."""
        now_ms = _ms(self.r.time())
        pipe = self.r.pipeline(transaction=False)
        for sid in session_ids:
            pipe.zrangebyscore(self.keys(sid).holds, "-inf", now_ms)
        out = {}
        for sid, tokens in zip(session_ids, pipe.execute(), strict=True):
            if tokens:
                out[sid] = [_s(t) for t in tokens]
        return out

    @_backend
    def mark_unresolved(self, session_id: int, token: str) -> None:
        """Record that the database step of the sale under ``token`` has an unknown outcome. The session's set is
        written before the index, so a reader that finds the set empty after leaving the index (see
        :meth:`unresolved`) never loses a token."""
        k = self.keys(session_id)
        self.r.zadd(k.unresolved, {token: int(time.time() * 1000)})
        self.r.sadd(self.unresolved_index, session_id)

    @_backend
    def unresolved(self) -> dict[int, list[str]]:
        """Unresolved sale tokens per session: one round trip when there are none (the scheduled job's usual case).
        A session whose set is empty leaves the index, and comes back if a token arrived meanwhile."""
        sids = sorted(int(_s(x)) for x in self.r.smembers(self.unresolved_index))
        if not sids:
            return {}
        pipe = self.r.pipeline(transaction=False)
        for sid in sids:
            pipe.zrange(self.keys(sid).unresolved, 0, -1)
        out: dict[int, list[str]] = {}
        for sid, tokens in zip(sids, pipe.execute(), strict=True):
            if tokens:
                out[sid] = [_s(t) for t in tokens]
                continue
            self.r.srem(self.unresolved_index, sid)
            if self.r.zcard(self.keys(sid).unresolved):  # a token arrived between the read and the removal
                self.r.sadd(self.unresolved_index, sid)
        return out

    @_backend
    def resolved(self, session_id: int, tokens: Sequence[str]) -> None:
        """The database decided these tokens' fate and their holds were confirmed or released."""
        if tokens:
            self.r.zrem(self.keys(session_id).unresolved, *tokens)

    @_backend
    def hold_of_seat(self, session_id: int, seat: int) -> Hold | None:
        """The live hold that has ``seat``, if any (there are few live holds at a time: two round trips)."""
        for h in self.hold_records(session_id):
            if h.state == "held" and seat in h.seats:
                return Hold(h.token, "held", h.seats, h.expires_ms, h.clerk)
        return None

    @_backend
    def hold_records(self, session_id: int, tokens: Sequence[Any] | None = None) -> list[HoldRecord]:
        """The holds listed in the session's holds set (or the given tokens), with their records."""
        k = self.keys(session_id)
        names = [_s(t) for t in (self.r.zrange(k.holds, 0, -1) if tokens is None else tokens)]
        if not names:
            return []
        pipe = self.r.pipeline(transaction=False)
        for token in names:
            pipe.hmget(k.hold(token), "state", "seats", "exp", "clerk", "epoch")
        return [
            HoldRecord(token, _s(state) if state is not None else "gone",
                       tuple(int(i) for i in _s(seats or b"").split(",") if i), int(exp or 0), _s(clerk or b""),
                       _s(epoch or b""))
            for token, (state, seats, exp, clerk, epoch) in zip(names, pipe.execute(), strict=True)
        ]

    @_backend
    def changes(self, session_id: int, page: int = 2000) -> list[tuple[str, dict[str, str]]]:
        """The session's whole change stream (about the last 10,000 changes), oldest first: (entry id, fields)."""
        key, out, start = self.keys(session_id).changes, [], "-"
        while True:
            entries = self.r.xrange(key, min=start, max="+", count=page)
            out += [(_s(i), {_s(a): _s(b) for a, b in f.items()}) for i, f in entries]
            if len(entries) < page:
                return out
            start = "(" + out[-1][0]

    @_backend
    def take_turn(self, name: str, ttl_ms: int) -> bool:
        """True for the one process that gets ``name`` until ``ttl_ms`` passes (jobs run once per installation)."""
        return bool(self.r.set(f"{self.prefix}:turn:{name}", "1", nx=True, px=ttl_ms))

    @_backend
    def end_turn(self, name: str) -> None:
        """Give a turn back before its time runs out (the work it guarded is done)."""
        self.r.delete(f"{self.prefix}:turn:{name}")

    @_backend
    def hold(self, session_id: int, token: str) -> Hold | None:
        """The hold under ``token`` and whether it is stale (its epoch is not the session's): one round trip."""
        k = self.keys(session_id)
        raw, epoch = self.r.pipeline(transaction=True).hgetall(k.hold(token)).hget(k.meta, "epoch").execute()
        if not raw:
            return None
        d = {_s(a): _s(b) for a, b in raw.items()}
        seats = tuple(int(i) for i in d.get("seats", "").split(",") if i)
        # the scripts compare epochs the same way (a session with no epoch yet counts as "0")
        stale = d.get("epoch", "0") != (_s(epoch) if epoch is not None else "0")
        return Hold(token, d.get("state", "?"), seats, int(d.get("exp", 0)), d.get("clerk", ""), stale)

    @_backend
    def inspect(self, session_id: int) -> Inspection:
        k = self.keys(session_id)
        pipe = self.r.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        pipe.hget(k.meta, "onsale").hgetall(k.owners).zrange(k.holds, 0, -1).time()
        *replies, onsale, owners, tokens, now = pipe.execute()
        return Inspection(
            snapshot=self._snapshot_from(session_id, replies),
            on_sale=None if onsale is None else _s(onsale) == "1",
            owners={int(a): _s(b) for a, b in owners.items()},
            holds=tuple(self.hold_records(session_id, tokens)),
            now_ms=_ms(now),
        )

    @_backend
    def repair(self, session_id: int, actor: str, drift_class: str, fixes: Sequence[SeatFix], recount: bool
               ) -> RepairReply | None:
        """Write the database's truth into the seats that are still as the reconciler saw them (repair.lua);
        ``None`` when the session has no keys."""
        k = self.keys(session_id)
        args: list[Any] = [actor, drift_class, 1 if recount else 0]
        for f in fixes:
            args += [f.seat, int(f.seen_taken), int(f.seen_sold), f.seen_owner, int(f.taken), int(f.sold), f.owner]
        reply = self._run("repair", [k.meta, k.seats, k.sold, k.stock, k.ver, k.changes, k.owners], args)
        if reply[0] != "OK":
            return None
        return RepairReply(int(reply[1]), int(reply[2]), int(reply[3]), tuple(int(i) for i in reply[4:]))

    @_backend
    def try_lock(self, session_id: int, name: str, ttl_ms: int) -> bool:
        return bool(self.r.set(self.keys(session_id).lock(name), "1", nx=True, px=ttl_ms))

    @_backend
    def unlock(self, session_id: int, name: str) -> None:
        self.r.delete(self.keys(session_id).lock(name))

    @_backend
    def drop(self, session_id: int) -> None:
        """Delete every key of a session (tests, and removing a session)."""
        k = self.keys(session_id)
        names = list(self.r.scan_iter(match=k.prefix.replace("{", "\\{").replace("}", "\\}") + "*", count=1000))
        if names:
            self.r.delete(*names)

    @_backend
    def ping(self) -> bool:
        return bool(self.r.ping())
