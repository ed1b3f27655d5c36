"""The seat store's Lua scripts: registered once, run on connections the runner keeps, and their answers read.

The scripts are package files (``boxoffice/adapters/lua/*.lua``), each with a KEYS/ARGV/returns header. A script
answers a status first (``OK`` or a refusal); :func:`refusal` is the one place that turns a refusal into the typed
error of :mod:`boxoffice.errors`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

import redis
import redis.exceptions

from ...errors import (
    BackendUnavailable,
    BadInput,
    GateFull,
    NotOnSale,
    RedisEmpty,
    SalesClosed,
    SeatsTaken,
    SoldOut,
    TokenExpired,
    TokenForeign,
    TokenInvalid,
    TokenStale,
    TokenUsed,
)

SCRIPTS = ("issue_token", "deduct", "confirm", "release", "rebuild", "free", "repair", "sales", "extend")
#: scripts made of others: each named file is wrapped as ``local function <name>(KEYS, ARGV)`` ahead of the body
COMPOSED = {"claim": ("issue_token", "deduct")}

Call = tuple[str, Sequence[str], Sequence[Any]]


def text(value: Any) -> str:
    """A Redis reply value as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def refusal(script: str, session_id: int, wanted: int, reply: Sequence[str],
            seat_label: Callable[[int], str] = str) -> Exception:
    """The error for a refusal of ``issue_token``, ``deduct``, ``claim`` or ``extend`` (their statuses never overlap
    in meaning); ``seat_label`` names the seats of a ``SEATS_TAKEN``."""
    status = reply[0]
    if status == "SEATS_TAKEN":
        indices = [int(i) for i in reply[1:]]
        return SeatsTaken(indices, [seat_label(i) for i in indices])
    if status == "SOLD_OUT":
        return SoldOut(reason="sold_out", session_id=session_id, free=reply[1], wanted=wanted)
    if status == "GATE_FULL":
        return GateFull(reason="gate_full", session_id=session_id, outstanding=reply[1])
    if status in ("NOT_ON_SALE", "SALES_CLOSED"):  # the flag off (closed) or the sales window passed
        return SalesClosed()
    if status == "NOT_OPEN":
        opens = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(int(reply[1]) / 1000))
        return NotOnSale(reason="sales_open_at", session_id=session_id, opens=opens)
    if status == "REDIS_EMPTY":
        return RedisEmpty(session_id)
    if status == "BAD_REQUEST":
        return BadInput(reason="seats_wanted_bad", wanted=wanted)
    if status == "TOKEN_EXPIRED":
        return TokenExpired(reason="token_expired")
    if status == "TOKEN_USED":
        return TokenUsed(reason="token_used")
    if status == "TOKEN_STALE":
        return TokenStale()
    if status == "WRONG_SESSION":
        return TokenInvalid(reason="token_wrong_session", session_id=session_id)
    if status == "WRONG_COUNT":
        return TokenInvalid(reason="token_wrong_count", issued=reply[1], wanted=wanted)
    if status == "TOKEN_INVALID":
        return TokenInvalid(reason="token_unknown")
    if status == "HOLD_OVER":
        return TokenInvalid(reason="hold_over", state=reply[1])
    if status == "HOLD_EXPIRED":
        return TokenExpired(reason="hold_expired")
    if status == "HOLD_FOREIGN":
        return TokenForeign(reason="hold_foreign")
    if status == "HOLD_LIMIT":
        return BadInput(reason="hold_extend_limit", times=reply[1])
    if status == "BAD_SEATS":
        return BadInput(reason="seat_index_bad", index=reply[1], session_id=session_id)
    return BackendUnavailable(f"{script} answered {list(reply)!r}")


class ScriptRunner:
    """Runs the registered scripts: one at a time on kept connections (:meth:`run`), or several in one pipeline
    (:meth:`run_many`). Redis errors pass through: the store wraps them."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        lua = resources.files("boxoffice.adapters") / "lua"
        source = {name: (lua / f"{name}.lua").read_text() for name in (*SCRIPTS, *COMPOSED)}
        for name, parts in COMPOSED.items():
            wrapped = "".join(f"local function {part}(KEYS, ARGV)\n{source[part]}\nend\n" for part in parts)
            source[name] = wrapped + source[name]
        self._scripts = {name: client.register_script(body) for name, body in source.items()}
        #: idle connections for single script runs (see :meth:`run_raw`); list.pop/append are atomic
        self._idle: list[redis.Connection] = []

    def run(self, name: str, keys: Sequence[str], args: Sequence[Any]) -> list[str]:
        """One script run; its reply (a list) as text."""
        return [text(v) for v in self.run_raw(name, keys, args)]

    def run_raw(self, name: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """One script run, straight on a redis-py connection the runner keeps for its scripts.

        The Script → client → pool path of redis-py costs about 75 µs of client CPU per call more (observability
        hooks, pool bookkeeping, argument copies): a third of what a refused sale costs the client. Before reuse a
        connection is checked as redis-py's pool checks it, so one the server closed (restart, CLIENT KILL, idle
        timeout) is reopened before the script is sent, never retried after it.
        """
        script = self._scripts[name]
        try:
            conn = self._idle.pop()
            reused = True
        except IndexError:
            pool = self.client.connection_pool
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

    def run_many(self, calls: Sequence[Call]) -> list[list[str]]:
        """Several scripts in one round trip, run one after the other (each still atomic on its own)."""
        for attempt in (1, 2):
            pipe = self.client.pipeline(transaction=False)
            for name, keys, args in calls:
                pipe.evalsha(self._scripts[name].sha, len(keys), *keys, *args)
            replies = pipe.execute(raise_on_error=False)
            if attempt == 1 and any(isinstance(r, redis.exceptions.NoScriptError) for r in replies):
                for name, _, _ in calls:  # Redis restarted or flushed its script cache: load and run again
                    self.client.script_load(self._scripts[name].script)
                continue
            for r in replies:
                if isinstance(r, Exception):
                    raise r
            return [[text(v) for v in r] for r in replies]
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the script connections (the client's pool is the client's to close)."""
        while self._idle:
            self._idle.pop().disconnect()
