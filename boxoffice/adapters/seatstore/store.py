"""The Redis seat inventory (DESIGN §3): one bitmap per session plus stock, tokens, holds and a change stream.

:class:`SeatStore` is the typed access the services use; the key layout is :mod:`.keys`, the scripts and what their
answers mean :mod:`.scripts`, the values it returns :mod:`.records`. A Redis driver error leaves every public method
as :class:`~boxoffice.errors.BackendUnavailable` (:mod:`boxoffice.adapters.redis_errors`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import redis

from ...domain.values import Hold
from ..redis_errors import redis_errors
from .keys import SessionKeys, job_lock, unresolved_index
from .records import Inspection, IssuedToken, RepairReply, SeatChange, SeatFix, Snapshot
from .scripts import Call, ScriptRunner, refusal, text

#: how long used tokens and finished hold records are kept after their ttl (for idempotent retries and audits)
KEEP_MS = 24 * 3600 * 1000


def order_token() -> str:
    """A new order token: 24 URL-safe characters (144 random bits) that never start with "-", so it can follow
    ``--token`` on a command line (argparse takes a word starting with "-" for an option)."""
    while True:
        token = secrets.token_urlsafe(18)
        if not token.startswith("-"):
            return token


def _pairs(indices: Sequence[int], lines: Sequence[int]) -> list[int]:
    """seat, line, seat, line, ... as the confirm and free scripts read them."""
    if len(indices) != len(lines):
        raise ValueError(f"{len(indices)} seats but {len(lines)} order lines")
    return [x for pair in zip(indices, lines, strict=True) for x in pair]


def _redis_time_ms(redis_time: Sequence[Any]) -> int:
    """Redis TIME (seconds, microseconds) in milliseconds."""
    return int(redis_time[0]) * 1000 + int(redis_time[1]) // 1000


def _hold(token: str, state: Any, seats: Any, exp: Any, clerk: Any, epoch: Any, ext: Any, session_epoch: Any) -> Hold:
    """A hold from its record's fields (``None``: absent), judged against the session's epoch (the scripts compare
    epochs the same way: a session or a hold with no epoch counts as "0")."""
    mine = text(epoch) if epoch is not None else ""
    return Hold(token, text(state) if state is not None else "gone",
                tuple(int(i) for i in text(seats or b"").split(",") if i), int(exp or 0), text(clerk or b""),
                mine, (mine or "0") != (text(session_epoch) if session_epoch is not None else "0"),
                extensions=int(ext or 0))


class SeatStore:
    """Typed access to the per-session inventory in Redis."""

    def __init__(self, client: redis.Redis, prefix: str = "bo", gate_per_free_seat: float = 2.0, gate_min: int = 64):
        self.client = client
        self.prefix = prefix
        self.gate_per_free_seat = gate_per_free_seat
        self.gate_min = gate_min
        self.scripts = ScriptRunner(client)

    def keys(self, session_id: int) -> SessionKeys:
        return SessionKeys.of(self.prefix, session_id)

    def close(self) -> None:
        """Close the script connections (the client's pool is the client's to close)."""
        self.scripts.close()

    # -- steps 1 and 2 --------------------------------------------------------------------------------------------
    @redis_errors()
    def issue_token(self, session_id: int, clerk: str, seats_wanted: int, ttl_ms: int) -> IssuedToken:
        k = self.keys(session_id)
        token = order_token()
        reply = self.scripts.run(
            "issue_token",
            [k.meta, k.stock, k.tokens, k.tok(token)],
            [token, session_id, clerk, seats_wanted, ttl_ms, ttl_ms + KEEP_MS, self.gate_per_free_seat, self.gate_min],
        )
        if reply[0] != "OK":
            raise refusal("issue_token", session_id, seats_wanted, reply)
        return IssuedToken(token, session_id, seats_wanted, int(reply[1]))

    @redis_errors()
    def deduct(self, session_id: int, token: str, indices: Sequence[int], clerk: str, hold_ttl_ms: int,
               seat_label: Callable[[int], str] = str) -> int:
        """Take the seats under the token; returns the session version after the change. Seats already taken are
        a :class:`~boxoffice.errors.SeatsTaken` that names them with ``seat_label`` (the token is spent then)."""
        k = self.keys(session_id)
        reply = self.scripts.run(
            "deduct",
            [k.meta, k.seats, k.stock, k.tokens, k.tok(token), k.hold(token), k.holds, k.ver, k.changes],
            [token, session_id, hold_ttl_ms, hold_ttl_ms + KEEP_MS, clerk, *indices],
        )
        if reply[0] != "OK":
            raise refusal("deduct", session_id, len(indices), reply, seat_label)
        return int(reply[1])

    @redis_errors()
    def issue_and_deduct(self, session_id: int, clerk: str, indices: Sequence[int], ttl_ms: int, hold_ttl_ms: int,
                         seat_label: Callable[[int], str] = str) -> tuple[IssuedToken, int]:
        """Steps 1 and 2 for seats already chosen, in one script run (``claim.lua``): seats already taken are refused
        before a token is made, so a lost race writes nothing. Returns the token and the version after the
        deduction; raises the refusal as its typed error (taken seats named with ``seat_label``)."""
        k = self.keys(session_id)
        token = order_token()
        reply = self.scripts.run(
            "claim",
            [k.meta, k.seats, k.stock, k.tokens, k.tok(token), k.hold(token), k.holds, k.ver, k.changes],
            [token, session_id, clerk, ttl_ms, ttl_ms + KEEP_MS, self.gate_per_free_seat, self.gate_min,
             hold_ttl_ms, hold_ttl_ms + KEEP_MS, *indices],
        )
        if reply[0] != "OK":
            raise refusal("claim", session_id, len(indices), reply, seat_label)
        return IssuedToken(token, session_id, len(indices), int(reply[3])), int(reply[1])

    @redis_errors()
    def token_clerk(self, session_id: int, token: str) -> str | None:
        """The clerk an order token was issued to (None: no such token in this session)."""
        raw = self.client.hget(self.keys(session_id).tok(token), "clerk")
        return text(raw) if raw is not None else None

    @redis_errors()
    def discard_token(self, session_id: int, token: str) -> None:
        """Give an unused token's place in the gate back (the sale was abandoned before its deduction)."""
        k = self.keys(session_id)
        pipe = self.client.pipeline(transaction=True)
        pipe.zrem(k.tokens, token).hset(k.tok(token), "used", "discarded")
        pipe.execute()

    # -- after commit / on failure ----------------------------------------------------------------------------------
    def _hold_keys(self, session_id: int, token: str) -> list[str]:
        k = self.keys(session_id)
        return [k.meta, k.seats, k.sold, k.stock, k.hold(token), k.holds, k.ver, k.changes]

    def _confirm_call(self, session_id: int, token: str, indices: Sequence[int], order_id: int,
                      lines: Sequence[int]) -> Call:
        return (
            "confirm",
            [*self._hold_keys(session_id, token), self.keys(session_id).owners],
            [token, KEEP_MS, order_id, *_pairs(indices, lines)],
        )

    def _free_call(self, session_id: int, order_id: int, indices: Sequence[int], lines: Sequence[int], reason: str
                   ) -> Call:
        k = self.keys(session_id)
        return ("free", [k.meta, k.seats, k.sold, k.stock, k.ver, k.changes, k.owners],
                [order_id, reason, *_pairs(indices, lines)])

    @redis_errors()
    def confirm(self, session_id: int, token: str, indices: Sequence[int], order_id: int, lines: Sequence[int]
                ) -> int:
        """Mark the order's seats sold (each owned by its order line); returns how many bits had to be restored (0
        normally, -1 when the session has no keys)."""
        reply = self.scripts.run(*self._confirm_call(session_id, token, indices, order_id, lines))
        if reply[0] == "OK":
            return int(reply[2])
        return -1 if reply[0] == "REDIS_EMPTY" else 0

    @redis_errors()
    def release(self, session_id: int, token: str, reason: str = "compensate") -> int:
        """Give back the bits the hold set (idempotent); returns how many were freed."""
        reply = self.scripts.run("release", self._hold_keys(session_id, token), [token, reason])
        return int(reply[1]) if reply[0] == "OK" else 0

    @redis_errors()
    def extend_hold(self, session_id: int, token: str, clerk: str, ttl_ms: int, max_extensions: int) -> Hold:
        """Give ``clerk``'s live hold until ``ttl_ms`` from now (never less than it had), at most ``max_extensions``
        times per hold (``extend.lua``); returns the hold as it is now. A hold that is over, expired, stale, another
        clerk's or extended too often is refused with its typed error (nothing written)."""
        k = self.keys(session_id)
        reply = self.scripts.run("extend", [k.meta, k.hold(token), k.holds],
                                 [token, clerk, ttl_ms, KEEP_MS, max_extensions])
        if reply[0] != "OK":
            raise refusal("extend", session_id, 0, reply)
        found = self.hold(session_id, token)
        assert found is not None
        return found

    @redis_errors()
    def free(self, session_id: int, order_id: int, indices: Sequence[int], lines: Sequence[int], reason: str) -> int:
        """Free the seats the ended order ``lines`` still hold (cancel, exchange); returns how many were freed."""
        if not indices:
            return 0
        reply = self.scripts.run(*self._free_call(session_id, order_id, indices, lines, reason))
        return int(reply[1]) if reply[0] == "OK" else 0

    @redis_errors()
    def apply_changes(self, changes: Sequence[SeatChange]) -> None:
        """Confirm and free many orders' seats in one round trip. Every script is idempotent and checks ownership,
        so a late or redelivered message may apply them again without harm."""
        calls = [
            self._confirm_call(c.session_id, c.token, c.seats, c.order_id, c.lines)
            if c.kind == "confirm"
            else self._free_call(c.session_id, c.order_id, c.seats, c.lines, c.reason)
            for c in changes
            if c.seats
        ]
        if calls:
            self.scripts.run_many(calls)

    @redis_errors()
    def rebuild(self, session_id: int, capacity: int, on_sale: bool, taken: bytes, sold: bytes, free: int,
                owners: Mapping[int, tuple[int, int]] | None = None, ended: Mapping[int, int] | None = None,
                closes_ms: int | None = None, opens_ms: int | None = None) -> str:
        """Replace the session's picture; ``owners`` maps each sold seat to its (order id, order line id), ``ended``
        each other seat to its latest ended order line; ``closes_ms`` / ``opens_ms`` the sales window (ms since the
        Unix epoch, None: none), which the sale scripts compare with Redis TIME. Returns the new epoch."""
        k = self.keys(session_id)
        packed = ",".join(f"{seat}:{order}:{line}" for seat, (order, line) in (owners or {}).items())
        gone = ",".join(f"{seat}:{line}" for seat, line in (ended or {}).items() if seat not in (owners or {}))
        reply = self.scripts.run(
            "rebuild",
            [k.meta, k.seats, k.sold, k.stock, k.tokens, k.holds, k.ver, k.changes, k.owners],
            [capacity, 1 if on_sale else 0, taken, sold, free, packed, gone,
             "" if closes_ms is None else closes_ms, "" if opens_ms is None else opens_ms],
        )
        return reply[1]

    @redis_errors()
    def set_sales(self, session_id: int, on_sale: bool, closes_ms: int | None = None,
                  opens_ms: int | None = None) -> bool:
        """Set the session's on-sale flag and sales window in its meta (``sales.lua``), only if the session has a
        seat map here (a missing one is rebuilt from the database with both). Returns whether it had one."""
        reply = self.scripts.run_raw(
            "sales", [self.keys(session_id).meta],
            [1 if on_sale else 0, "" if closes_ms is None else closes_ms, "" if opens_ms is None else opens_ms])
        return bool(int(reply))

    # -- reads ----------------------------------------------------------------------------------------------------
    def _queue_snapshot(self, pipe: Any, session_id: int) -> None:
        k = self.keys(session_id)
        pipe.get(k.ver).get(k.seats).get(k.sold).get(k.stock).hmget(k.meta, "capacity", "epoch").zcard(k.holds)

    @staticmethod
    def _snapshot_from(session_id: int, replies: Sequence[Any]) -> Snapshot:
        ver, taken, sold, stock, (capacity, epoch), holds = replies
        return Snapshot(
            session_id=session_id,
            version=int(ver or 0),
            taken=taken or b"",
            sold=sold or b"",
            stock=int(stock) if stock is not None else None,
            capacity=int(capacity) if capacity is not None else None,
            epoch=text(epoch) if epoch is not None else None,
            live_holds=int(holds),
        )

    @redis_errors()
    def snapshot(self, session_id: int) -> Snapshot:
        """One session's bitmaps, stock and version read atomically (MULTI on one slot)."""
        pipe = self.client.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        return self._snapshot_from(session_id, pipe.execute())

    @redis_errors()
    def snapshot_with_position(self, session_id: int) -> tuple[Snapshot, str]:
        """The snapshot and the id of the last change-stream entry it includes, read in one MULTI."""
        pipe = self.client.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        pipe.xrevrange(self.keys(session_id).changes, count=1)
        *replies, last = pipe.execute()
        return self._snapshot_from(session_id, replies), (text(last[0][0]) if last else "0-0")

    @redis_errors()
    def read_changes(self, session_id: int, after: str, block_ms: int) -> list[tuple[str, int, str, str]]:
        """Change-stream entries after ``after``: (entry id, version, op, seats csv); waits up to ``block_ms``."""
        reply = self.client.xread({self.keys(session_id).changes: after}, block=block_ms, count=1000)
        out = []
        for _, entries in reply or []:
            for entry_id, fields in entries:
                f = {text(k): text(v) for k, v in fields.items()}
                out.append((text(entry_id), int(f["v"]), f["op"], f["seats"]))
        return out

    @redis_errors()
    def snapshots(self, session_ids: Sequence[int]) -> list[Snapshot]:
        """Many sessions in one round trip (each session's replies are consistent only per key: for overviews)."""
        pipe = self.client.pipeline(transaction=False)
        for sid in session_ids:
            self._queue_snapshot(pipe, sid)
        replies = pipe.execute()
        return [self._snapshot_from(sid, replies[i * 6 : i * 6 + 6]) for i, sid in enumerate(session_ids)]

    @redis_errors()
    def expired_holds(self, session_ids: Sequence[int]) -> dict[int, list[str]]:
        """Tokens of holds past their expiry, per session (one round trip)."""
        now_ms = _redis_time_ms(self.client.time())
        pipe = self.client.pipeline(transaction=False)
        for sid in session_ids:
            pipe.zrangebyscore(self.keys(sid).holds, "-inf", now_ms)
        out = {}
        for sid, tokens in zip(session_ids, pipe.execute(), strict=True):
            if tokens:
                out[sid] = [text(t) for t in tokens]
        return out

    @redis_errors()
    def mark_unresolved(self, session_id: int, token: str) -> None:
        """Record that the database step of the sale under ``token`` has an unknown outcome. The session's set is
        written before the index, so a reader that finds the set empty after leaving the index (see
        :meth:`unresolved`) never loses a token."""
        k = self.keys(session_id)
        self.client.zadd(k.unresolved, {token: int(time.time() * 1000)})
        self.client.sadd(unresolved_index(self.prefix), session_id)

    @redis_errors()
    def unresolved(self) -> dict[int, list[str]]:
        """Unresolved sale tokens per session: one round trip when there are none (the scheduled job's usual case).
        A session whose set is empty leaves the index, and comes back if a token arrived meanwhile."""
        index = unresolved_index(self.prefix)
        sids = sorted(int(text(x)) for x in self.client.smembers(index))
        if not sids:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for sid in sids:
            pipe.zrange(self.keys(sid).unresolved, 0, -1)
        out: dict[int, list[str]] = {}
        for sid, tokens in zip(sids, pipe.execute(), strict=True):
            if tokens:
                out[sid] = [text(t) for t in tokens]
                continue
            self.client.srem(index, sid)
            if self.client.zcard(self.keys(sid).unresolved):  # a token arrived between the read and the removal
                self.client.sadd(index, sid)
        return out

    @redis_errors()
    def resolved(self, session_id: int, tokens: Sequence[str]) -> None:
        """The database decided these tokens' fate and their holds were confirmed or released."""
        if tokens:
            self.client.zrem(self.keys(session_id).unresolved, *tokens)

    @redis_errors()
    def hold_of_seat(self, session_id: int, seat: int) -> Hold | None:
        """The live hold that has ``seat``, if any (there are few live holds at a time: two round trips)."""
        for h in self.hold_records(session_id):
            if h.state == "held" and seat in h.seats:
                return h
        return None

    @redis_errors()
    def hold_records(self, session_id: int, tokens: Sequence[Any] | None = None) -> list[Hold]:
        """The holds listed in the session's holds set (or the given tokens), from their records, oldest expiry
        first."""
        k = self.keys(session_id)
        names = [text(t) for t in (self.client.zrange(k.holds, 0, -1) if tokens is None else tokens)]
        if not names:
            return []
        pipe = self.client.pipeline(transaction=False)
        for token in names:
            pipe.hmget(k.hold(token), "state", "seats", "exp", "clerk", "epoch", "ext")
        *records, epoch = pipe.hget(k.meta, "epoch").execute()
        return [_hold(token, *record, epoch) for token, record in zip(names, records, strict=True)]

    @redis_errors()
    def changes(self, session_id: int, page: int = 2000) -> list[tuple[str, dict[str, str]]]:
        """The session's whole change stream (about the last 10,000 changes), oldest first: (entry id, fields)."""
        key, out, start = self.keys(session_id).changes, [], "-"
        while True:
            entries = self.client.xrange(key, min=start, max="+", count=page)
            out += [(text(i), {text(a): text(b) for a, b in f.items()}) for i, f in entries]
            if len(entries) < page:
                return out
            start = "(" + out[-1][0]

    @redis_errors()
    def try_job_lock(self, job: str, ttl_ms: int) -> bool:
        """True for the one process that gets ``job`` until ``ttl_ms`` passes (jobs run once per installation)."""
        return bool(self.client.set(job_lock(self.prefix, job), "1", nx=True, px=ttl_ms))

    @redis_errors()
    def unlock_job(self, job: str) -> None:
        """Give a job's lock back before its time runs out (the work it guarded is done)."""
        self.client.delete(job_lock(self.prefix, job))

    #: the old name, for ``services/reconcile.py`` until its move (issue 12) lands; delete it then

    @redis_errors()
    def hold(self, session_id: int, token: str) -> Hold | None:
        """The hold under ``token`` and whether it is stale (its epoch is not the session's): one round trip."""
        k = self.keys(session_id)
        pipe = self.client.pipeline(transaction=True)
        pipe.hmget(k.hold(token), "state", "seats", "exp", "clerk", "epoch", "ext").hget(k.meta, "epoch")
        record, epoch = pipe.execute()
        return _hold(token, *record, epoch) if any(v is not None for v in record) else None

    @redis_errors()
    def inspect(self, session_id: int) -> Inspection:
        k = self.keys(session_id)
        pipe = self.client.pipeline(transaction=True)
        self._queue_snapshot(pipe, session_id)
        pipe.hget(k.meta, "onsale").hgetall(k.owners).zrange(k.holds, 0, -1).time()
        *replies, onsale, owners, tokens, now = pipe.execute()
        return Inspection(
            snapshot=self._snapshot_from(session_id, replies),
            on_sale=None if onsale is None else text(onsale) == "1",
            owners={int(a): text(b) for a, b in owners.items()},
            holds=tuple(self.hold_records(session_id, tokens)),
            now_ms=_redis_time_ms(now),
        )

    @redis_errors()
    def repair(self, session_id: int, actor: str, drift_class: str, fixes: Sequence[SeatFix], recount: bool
               ) -> RepairReply | None:
        """Write the database's truth into the seats that are still as the reconciler saw them (repair.lua);
        ``None`` when the session has no keys."""
        k = self.keys(session_id)
        args: list[Any] = [actor, drift_class, 1 if recount else 0]
        for f in fixes:
            args += [f.seat, int(f.seen_taken), int(f.seen_sold), f.seen_owner, int(f.taken), int(f.sold), f.owner]
        reply = self.scripts.run("repair", [k.meta, k.seats, k.sold, k.stock, k.ver, k.changes, k.owners], args)
        if reply[0] != "OK":
            return None
        return RepairReply(int(reply[1]), int(reply[2]), int(reply[3]), tuple(int(i) for i in reply[4:]))

    @redis_errors()
    def try_lock(self, session_id: int, name: str, ttl_ms: int) -> bool:
        return bool(self.client.set(self.keys(session_id).lock(name), "1", nx=True, px=ttl_ms))

    @redis_errors()
    def unlock(self, session_id: int, name: str) -> None:
        self.client.delete(self.keys(session_id).lock(name))

    @redis_errors()
    def drop(self, session_id: int) -> None:
        """Delete every key of a session (tests, and removing a session)."""
        k = self.keys(session_id)
        names = list(self.client.scan_iter(match=k.prefix.replace("{", "\\{").replace("}", "\\}") + "*",
                                           count=1000))
        if names:
            self.client.delete(*names)
