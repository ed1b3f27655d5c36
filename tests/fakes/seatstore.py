"""``FakeSeatStore``: the seat store's public methods in memory, for unit tests of the services.

It follows the Lua scripts step by step (same checks in the same order, same records, same change-stream entries)
and turns its answers into errors with the real store's own status mapping, so a refusal reads the same. Time comes
from an injectable clock in milliseconds (:class:`FakeClock` by default: it moves only when told), so hold and token
expiry are tested without sleeping. ``tests/contract/test_seatstore_contract.py`` runs one set of cases against this
fake and the real store on Redis; a behaviour this fake does not share with the real store is a failing test there.

Not modelled: the 24-hour retention of used token and finished hold records (they are kept for ever here), the
approximate 10,000-entry trim of the change stream (trimmed exactly here), and blocking reads (``read_changes``
answers at once).
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from boxoffice.adapters.seatstore import Inspection, IssuedToken, RepairReply, SeatChange, SeatFix, Snapshot
from boxoffice.adapters.seatstore.scripts import refusal
from boxoffice.domain.bitmap import count
from boxoffice.domain.values import Hold

STREAM_MAX = 10_000


class FakeClock:
    """Milliseconds since the Unix epoch that move only when :meth:`advance` is called."""

    def __init__(self, start_ms: int | None = None) -> None:
        self.ms = int(time.time() * 1000) if start_ms is None else start_ms

    def __call__(self) -> int:
        return self.ms

    def advance(self, ms: int) -> None:
        self.ms += ms


def _getbit(bits: bytearray | None, index: int) -> int:
    if bits is None or index >> 3 >= len(bits):
        return 0
    return 1 if bits[index >> 3] & (0x80 >> (index & 7)) else 0


def _setbit(bits: bytearray, index: int, value: int) -> int:
    """SETBIT: grows the string as Redis does; returns the bit's old value."""
    old = _getbit(bits, index)
    if index >> 3 >= len(bits):
        bits.extend(bytes((index >> 3) + 1 - len(bits)))
    if value:
        bits[index >> 3] |= 0x80 >> (index & 7)
    else:
        bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF
    return old


def _seats(csv: str) -> tuple[int, ...]:
    return tuple(int(i) for i in csv.split(",") if i)


@dataclass
class _Keys:
    """One session's keys, as the scripts see them (``None``: the key does not exist)."""

    meta: dict[str, str] = field(default_factory=dict)
    seats: bytearray | None = None
    sold: bytearray | None = None
    stock: int | None = None
    ver: int | None = None
    tokens: dict[str, int] = field(default_factory=dict)  # zset token -> expiry ms
    holds: dict[str, int] = field(default_factory=dict)  # zset token -> expiry ms
    owners: dict[int, str] = field(default_factory=dict)
    unresolved: dict[str, int] = field(default_factory=dict)  # zset token -> ms
    changes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tok: dict[str, dict[str, str]] = field(default_factory=dict)  # token records (hashes)
    hold: dict[str, dict[str, str]] = field(default_factory=dict)  # hold records (hashes)
    locks: dict[str, int] = field(default_factory=dict)  # name -> expiry ms

    @property
    def epoch(self) -> str:
        return self.meta.get("epoch", "0")


def _zrange(zset: Mapping[str, int]) -> list[str]:
    return [m for m, _ in sorted(zset.items(), key=lambda kv: (kv[1], kv[0]))]


class FakeSeatStore:
    """The public surface of :class:`boxoffice.adapters.seatstore.SeatStore`, in memory."""

    def __init__(self, clock: Callable[[], int] | None = None, gate_per_free_seat: float = 2.0,
                 gate_min: int = 64) -> None:
        self.clock: Callable[[], int] = clock or FakeClock()
        self.gate_per_free_seat = gate_per_free_seat
        self.gate_min = gate_min
        self._sessions: dict[int, _Keys] = {}
        self._unresolved_index: set[int] = set()
        self._job_locks: dict[str, int] = {}
        self._last_id = (0, 0)

    # -- internals ----------------------------------------------------------------------------------------------------
    def _k(self, session_id: int) -> _Keys:
        return self._sessions.setdefault(session_id, _Keys())

    def _xadd(self, k: _Keys, **fields: Any) -> None:
        ms, seq = self.clock(), 0
        if ms <= self._last_id[0]:
            ms, seq = self._last_id[0], self._last_id[1] + 1
        self._last_id = (ms, seq)
        k.changes.append((f"{ms}-{seq}", {a: str(b) for a, b in fields.items()}))
        del k.changes[:-STREAM_MAX]

    def _incr(self, k: _Keys) -> int:
        k.ver = (k.ver or 0) + 1
        return k.ver

    # -- the scripts, answering as they do ------------------------------------------------------------------------
    def _issue_script(self, session_id: int, k: _Keys, token: str, clerk: str, wanted: Any, ttl_ms: int) -> list[str]:
        now = self.clock()
        onsale = k.meta.get("onsale")
        if onsale is None:
            return ["REDIS_EMPTY"]
        if onsale != "1":
            return ["NOT_ON_SALE"]
        if "closes_ms" in k.meta and now >= int(k.meta["closes_ms"]):
            return ["SALES_CLOSED", k.meta["closes_ms"]]
        if "opens_ms" in k.meta and now < int(k.meta["opens_ms"]):
            return ["NOT_OPEN", k.meta["opens_ms"]]
        if not isinstance(wanted, int) or wanted < 1:
            return ["BAD_REQUEST"]
        free = k.stock or 0
        if free < wanted:
            return ["SOLD_OUT", str(free)]
        for t in [t for t, exp in k.tokens.items() if exp <= now]:
            del k.tokens[t]
        limit = max(self.gate_min, math.ceil(free / wanted * self.gate_per_free_seat))
        if len(k.tokens) >= limit:
            return ["GATE_FULL", str(limit)]
        expires = now + ttl_ms
        k.tok[token] = {"session": str(session_id), "clerk": clerk, "n": str(wanted), "epoch": k.epoch,
                        "exp": str(expires), "used": "0"}
        k.tokens[token] = expires
        return ["OK", str(expires), k.epoch]

    @staticmethod
    def _bad_seat(k: _Keys, indices: Sequence[Any]) -> str | None:
        capacity, seen = int(k.meta.get("capacity", "0")), set()
        for i in indices:
            if not isinstance(i, int) or i < 0 or i >= capacity or i in seen:
                return str(i)
            seen.add(i)
        return None

    def _deduct_script(self, session_id: int, k: _Keys, token: str, indices: Sequence[int], clerk: str,
                       hold_ttl_ms: int) -> list[str]:
        now = self.clock()
        tok = k.tok.get(token, {})
        if "session" not in tok:
            return ["TOKEN_INVALID"]
        if tok["session"] != str(session_id):
            return ["WRONG_SESSION"]
        if tok.get("epoch") != k.epoch:
            return ["TOKEN_STALE"]
        if tok.get("used") != "0":
            return ["TOKEN_USED"]
        if int(tok["exp"]) < now:
            return ["TOKEN_EXPIRED"]
        if len(indices) != int(tok["n"]):
            return ["WRONG_COUNT", tok["n"]]
        bad = self._bad_seat(k, indices)
        if bad is not None:
            return ["BAD_SEATS", bad]
        taken = [str(i) for i in indices if _getbit(k.seats, i)]
        if taken:
            tok["used"] = "conflict"
            k.tokens.pop(token, None)
            return ["SEATS_TAKEN", *taken]
        free = k.stock or 0
        if free < len(indices):
            return ["SOLD_OUT", str(free)]
        if k.seats is None:
            k.seats = bytearray()
        for i in indices:
            _setbit(k.seats, i, 1)
        k.stock = free - len(indices)
        seats = ",".join(str(i) for i in indices)
        expires = now + hold_ttl_ms
        k.hold.setdefault(token, {}).update(state="held", seats=seats, exp=str(expires), clerk=clerk, epoch=k.epoch,
                                            session=str(session_id))
        k.holds[token] = expires
        tok["used"] = "1"
        k.tokens.pop(token, None)
        version = self._incr(k)
        self._xadd(k, v=version, op="hold", seats=seats, by=clerk)
        return ["OK", str(version), str(expires)]

    # -- step 1 and 2 -------------------------------------------------------------------------------------------------
    def issue_token(self, session_id: int, clerk: str, seats_wanted: int, ttl_ms: int) -> IssuedToken:
        token = secrets.token_urlsafe(18)
        reply = self._issue_script(session_id, self._k(session_id), token, clerk, seats_wanted, ttl_ms)
        if reply[0] != "OK":
            raise refusal("issue_token", session_id, seats_wanted, reply)
        return IssuedToken(token, session_id, seats_wanted, int(reply[1]))

    def deduct(self, session_id: int, token: str, indices: Sequence[int], clerk: str, hold_ttl_ms: int,
               seat_label: Callable[[int], str] = str) -> int:
        reply = self._deduct_script(session_id, self._k(session_id), token, list(indices), clerk, hold_ttl_ms)
        if reply[0] != "OK":
            raise refusal("deduct", session_id, len(indices), reply, seat_label)
        return int(reply[1])

    def issue_and_deduct(self, session_id: int, clerk: str, indices: Sequence[int], ttl_ms: int, hold_ttl_ms: int,
                         seat_label: Callable[[int], str] = str) -> tuple[IssuedToken, int]:
        k, token, indices = self._k(session_id), secrets.token_urlsafe(18), list(indices)
        now = self.clock()
        window = ("closes_ms" not in k.meta or now < int(k.meta["closes_ms"])) and (
            "opens_ms" not in k.meta or now >= int(k.meta["opens_ms"]))
        reply: list[str] | None = None
        if k.meta.get("onsale") == "1" and window and (k.stock or 0) >= len(indices):
            bad = self._bad_seat(k, indices)
            taken = [str(i) for i in indices if _getbit(k.seats, i)]
            reply = ["BAD_SEATS", bad] if bad is not None else ["SEATS_TAKEN", *taken] if taken else None
        if reply is None:
            reply = self._issue_script(session_id, k, token, clerk, len(indices), ttl_ms)
            if reply[0] == "OK":
                token_exp = reply[1]
                reply = self._deduct_script(session_id, k, token, indices, clerk, hold_ttl_ms)
                if reply[0] == "OK":
                    return IssuedToken(token, session_id, len(indices), int(token_exp)), int(reply[1])
        raise refusal("claim", session_id, len(indices), reply, seat_label)

    def token_clerk(self, session_id: int, token: str) -> str | None:
        return self._k(session_id).tok.get(token, {}).get("clerk")

    def discard_token(self, session_id: int, token: str) -> None:
        k = self._k(session_id)
        k.tokens.pop(token, None)
        k.tok.setdefault(token, {})["used"] = "discarded"

    # -- after commit / on failure ------------------------------------------------------------------------------------
    def confirm(self, session_id: int, token: str, indices: Sequence[int], order_id: int, lines: Sequence[int]
                ) -> int:
        if len(indices) != len(lines):
            raise ValueError(f"{len(indices)} seats but {len(lines)} order lines")
        k = self._k(session_id)
        if not k.meta:
            return -1
        record = k.hold.get(token, {})
        if record.get("state") == "confirmed":
            return 0
        mine = record.get("state") == "held" and record.get("epoch") == k.epoch
        assert k.seats is not None and k.sold is not None
        restored, sold, gone = 0, [], []
        for seat, line in zip(indices, lines, strict=True):
            who, _, latest = k.owners.get(seat, "").partition(":")
            if latest.isdigit() and (int(latest) > line or (int(latest) == line and who == "x")):
                if mine and not _getbit(k.sold, seat) and _setbit(k.seats, seat, 0):
                    gone.append(str(seat))
            else:
                if not _setbit(k.seats, seat, 1):
                    restored += 1
                _setbit(k.sold, seat, 1)
                k.owners[seat] = f"{order_id}:{line}"
                sold.append(str(seat))
        k.stock = (k.stock or 0) - restored + len(gone)
        record = k.hold.setdefault(token, {})
        record.update(state="confirmed", seats=",".join(sold))
        k.holds.pop(token, None)
        if sold:
            self._xadd(k, v=self._incr(k), op="sold", seats=",".join(sold))
        if gone:
            self._xadd(k, v=self._incr(k), op="release", seats=",".join(gone), reason="ended")
        return restored

    def release(self, session_id: int, token: str, reason: str = "compensate") -> int:
        k = self._k(session_id)
        record = k.hold.get(token)
        if not record or record.get("state") != "held":
            return 0
        freed = []
        if record.get("epoch") == k.epoch:
            for seat in _seats(record.get("seats", "")):
                if not _getbit(k.sold, seat) and k.seats is not None and _setbit(k.seats, seat, 0):
                    freed.append(str(seat))
        if freed:
            k.stock = (k.stock or 0) + len(freed)
        record.update(state="released", reason=reason)
        k.holds.pop(token, None)
        if freed:
            self._xadd(k, v=self._incr(k), op="release", seats=",".join(freed), by=record.get("clerk", ""),
                       reason=reason)
        return len(freed)

    def extend_hold(self, session_id: int, token: str, clerk: str, ttl_ms: int, max_extensions: int) -> Hold:
        k = self._k(session_id)
        record = k.hold.get(token)
        reply: list[str]
        now = self.clock()
        if not record or "state" not in record:
            reply = ["HOLD_OVER", "none"]
        elif record["state"] != "held":
            reply = ["HOLD_OVER", record["state"]]
        elif record.get("clerk") != clerk:
            reply = ["HOLD_FOREIGN"]
        elif (record.get("epoch") or "0") != k.epoch:
            reply = ["TOKEN_STALE"]
        elif int(record.get("exp", 0)) <= now:
            reply = ["HOLD_EXPIRED", record.get("exp", "0")]
        elif int(record.get("ext", 0)) >= max_extensions:
            reply = ["HOLD_LIMIT", record.get("ext", "0")]
        else:
            expires = max(int(record["exp"]), now + ttl_ms)
            record.update(exp=str(expires), ext=str(int(record.get("ext", 0)) + 1))
            if token in k.holds:
                k.holds[token] = expires
            return self._hold(k, token, record)
        raise refusal("extend", session_id, 0, reply)

    def free(self, session_id: int, order_id: int, indices: Sequence[int], lines: Sequence[int], reason: str) -> int:
        if not indices:
            return 0
        if len(indices) != len(lines):
            raise ValueError(f"{len(indices)} seats but {len(lines)} order lines")
        k = self._k(session_id)
        if not k.meta:
            return 0
        freed = []
        for seat, line in zip(indices, lines, strict=True):
            owner = k.owners.get(seat)
            latest = owner.rpartition(":")[2] if owner else ""
            if owner == f"{order_id}:{line}":
                k.owners[seat] = f"x:{line}"
                if k.sold is not None:
                    _setbit(k.sold, seat, 0)
                if k.seats is not None:
                    _setbit(k.seats, seat, 0)
                freed.append(str(seat))
            elif not latest.isdigit() or int(latest) < line:
                k.owners[seat] = f"x:{line}"
        if freed:
            k.stock = (k.stock or 0) + len(freed)
            self._xadd(k, v=self._incr(k), op="free", seats=",".join(freed))
        return len(freed)

    def apply_changes(self, changes: Sequence[SeatChange]) -> None:
        for c in changes:
            if not c.seats:
                continue
            if c.kind == "confirm":
                self.confirm(c.session_id, c.token, c.seats, c.order_id, c.lines)
            else:
                self.free(c.session_id, c.order_id, c.seats, c.lines, c.reason)

    def rebuild(self, session_id: int, capacity: int, on_sale: bool, taken: bytes, sold: bytes, free: int,
                owners: Mapping[int, tuple[int, int]] | None = None, ended: Mapping[int, int] | None = None,
                closes_ms: int | None = None, opens_ms: int | None = None) -> str:
        k, now = self._k(session_id), self.clock()
        epoch = str(max(int(k.epoch) + 1, now))
        k.seats, k.sold, k.stock = bytearray(taken), bytearray(sold), free
        k.meta.update(capacity=str(capacity), onsale="1" if on_sale else "0", epoch=epoch)
        self._set_window(k, closes_ms, opens_ms)
        k.tokens, k.holds = {}, {}
        k.owners = {seat: f"{order}:{line}" for seat, (order, line) in (owners or {}).items()}
        k.owners.update({seat: f"x:{line}" for seat, line in (ended or {}).items() if seat not in (owners or {})})
        if k.ver is None:
            k.ver = now
        self._xadd(k, v=self._incr(k), op="rebuild", seats="")
        return epoch

    @staticmethod
    def _set_window(k: _Keys, closes_ms: int | None, opens_ms: int | None) -> None:
        for name, value in (("closes_ms", closes_ms), ("opens_ms", opens_ms)):
            if value is None:
                k.meta.pop(name, None)
            else:
                k.meta[name] = str(value)

    def set_sales(self, session_id: int, on_sale: bool, closes_ms: int | None = None,
                  opens_ms: int | None = None) -> bool:
        k = self._k(session_id)
        if not k.meta:
            return False
        k.meta["onsale"] = "1" if on_sale else "0"
        self._set_window(k, closes_ms, opens_ms)
        return True

    # -- reads --------------------------------------------------------------------------------------------------------
    def snapshot(self, session_id: int) -> Snapshot:
        k = self._k(session_id)
        return Snapshot(
            session_id=session_id,
            version=k.ver or 0,
            taken=bytes(k.seats or b""),
            sold=bytes(k.sold or b""),
            stock=k.stock,
            capacity=int(k.meta["capacity"]) if "capacity" in k.meta else None,
            epoch=k.meta.get("epoch"),
            live_holds=len(k.holds),
        )

    def snapshot_with_position(self, session_id: int) -> tuple[Snapshot, str]:
        changes = self._k(session_id).changes
        return self.snapshot(session_id), (changes[-1][0] if changes else "0-0")

    def read_changes(self, session_id: int, after: str, block_ms: int) -> list[tuple[str, int, str, str]]:
        def key(entry_id: str) -> tuple[int, int]:
            ms, _, seq = entry_id.partition("-")
            return int(ms), int(seq or 0)

        return [(i, int(f["v"]), f["op"], f["seats"]) for i, f in self._k(session_id).changes
                if key(i) > key(after)][:1000]

    def snapshots(self, session_ids: Sequence[int]) -> list[Snapshot]:
        return [self.snapshot(sid) for sid in session_ids]

    def expired_holds(self, session_ids: Sequence[int]) -> dict[int, list[str]]:
        now, out = self.clock(), {}
        for sid in session_ids:
            holds = self._k(sid).holds
            tokens = [t for t in _zrange(holds) if holds[t] <= now]
            if tokens:
                out[sid] = tokens
        return out

    def mark_unresolved(self, session_id: int, token: str) -> None:
        self._k(session_id).unresolved[token] = self.clock()
        self._unresolved_index.add(session_id)

    def unresolved(self) -> dict[int, list[str]]:
        out = {}
        for sid in sorted(self._unresolved_index):
            tokens = _zrange(self._k(sid).unresolved)
            if tokens:
                out[sid] = tokens
            else:
                self._unresolved_index.discard(sid)
        return out

    def resolved(self, session_id: int, tokens: Sequence[str]) -> None:
        for token in tokens:
            self._k(session_id).unresolved.pop(token, None)

    def hold_of_seat(self, session_id: int, seat: int) -> Hold | None:
        for h in self.hold_records(session_id):
            if h.state == "held" and seat in h.seats:
                return h
        return None

    def hold_records(self, session_id: int, tokens: Sequence[Any] | None = None) -> list[Hold]:
        k = self._k(session_id)
        names = _zrange(k.holds) if tokens is None else [str(t) for t in tokens]
        return [self._hold(k, token, k.hold.get(token, {})) for token in names]

    @staticmethod
    def _hold(k: _Keys, token: str, record: Mapping[str, str]) -> Hold:
        epoch = record.get("epoch", "")
        return Hold(token, record.get("state", "gone"), _seats(record.get("seats", "")), int(record.get("exp", 0)),
                    record.get("clerk", ""), epoch, (epoch or "0") != k.epoch)

    def changes(self, session_id: int, page: int = 2000) -> list[tuple[str, dict[str, str]]]:
        return [(i, dict(f)) for i, f in self._k(session_id).changes]

    def try_job_lock(self, job: str, ttl_ms: int) -> bool:
        now = self.clock()
        if self._job_locks.get(job, 0) > now:
            return False
        self._job_locks[job] = now + ttl_ms
        return True

    def unlock_job(self, job: str) -> None:
        self._job_locks.pop(job, None)


    def hold(self, session_id: int, token: str) -> Hold | None:
        k = self._k(session_id)
        record = k.hold.get(token)
        return self._hold(k, token, record) if record else None

    def inspect(self, session_id: int) -> Inspection:
        k = self._k(session_id)
        onsale = k.meta.get("onsale")
        return Inspection(
            snapshot=self.snapshot(session_id),
            on_sale=None if onsale is None else onsale == "1",
            owners=dict(k.owners),
            holds=tuple(self.hold_records(session_id)),
            now_ms=self.clock(),
        )

    def repair(self, session_id: int, actor: str, drift_class: str, fixes: Sequence[SeatFix], recount: bool
               ) -> RepairReply | None:
        k = self._k(session_id)
        if not k.meta:
            return None
        if k.seats is None:
            k.seats = bytearray()
        if k.sold is None:
            k.sold = bytearray()
        stock_before = k.stock or 0
        fixed: list[int] = []
        delta = 0
        for f in fixes:
            taken, sold = _getbit(k.seats, f.seat), _getbit(k.sold, f.seat)
            if taken == int(f.seen_taken) and sold == int(f.seen_sold) and k.owners.get(f.seat, "") == f.seen_owner:
                _setbit(k.seats, f.seat, int(f.taken))
                _setbit(k.sold, f.seat, int(f.sold))
                if f.owner:
                    k.owners[f.seat] = f.owner
                else:
                    k.owners.pop(f.seat, None)
                delta += taken - int(f.taken)
                fixed.append(f.seat)
        stock_after = stock_before + delta
        if recount:
            capacity = int(k.meta.get("capacity", "0"))
            stock_after = capacity - count(bytes(k.seats), capacity) if capacity > 0 else capacity
        if stock_after != stock_before:
            k.stock = stock_after
        version = k.ver or 0
        if fixed or stock_after != stock_before:
            version = self._incr(k)
            self._xadd(k, v=version, op="repair", seats=",".join(map(str, fixed)), by=actor, reason=drift_class)
        return RepairReply(stock_before, stock_after, version, tuple(fixed))

    def try_lock(self, session_id: int, name: str, ttl_ms: int) -> bool:
        locks, now = self._k(session_id).locks, self.clock()
        if locks.get(name, 0) > now:
            return False
        locks[name] = now + ttl_ms
        return True

    def unlock(self, session_id: int, name: str) -> None:
        self._k(session_id).locks.pop(name, None)

    def drop(self, session_id: int) -> None:
        self._sessions.pop(session_id, None)

    def close(self) -> None:
        """Nothing to close (the real store closes its script connections)."""
