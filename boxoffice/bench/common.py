"""What the benchmarks share: the request stream, the clerk-like seat picker, the real path's worker processes, the
run of a worker pool with its figures, the machine's busy CPU time, and the OrderPlaced payloads they write.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from queue import Empty
from typing import Any

from ..config import Settings
from ..domain.synthetic import ROW
from ..errors import BoxOfficeError


@dataclass
class WorkerResult:
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    db_transactions: int = 0
    last_success_ms: float = 0.0
    last_ms: float = 0.0


class SaleStatementCounter:
    """Counts the sale statements a :class:`~boxoffice.services.booking.Booking` sends (each is one database
    transaction): it wraps the booking's ``single_statement`` factory, so the count costs the sale nothing. Used as
    a context manager, it puts the factory back on leaving."""

    def __init__(self, booking: Any) -> None:
        self.count = 0
        self._booking = booking
        self._inner: Callable[[], AbstractContextManager[Any]] = booking.single_statement
        booking.single_statement = self._counted

    def _counted(self) -> AbstractContextManager[Any]:
        self.count += 1
        return self._inner()

    def __enter__(self) -> SaleStatementCounter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._booking.single_statement = self._inner


def placed_payload(order_id: int, session_id: int, token: str, seats: list[int], lines: list[int],
                   zone: str = "G", price: Decimal = Decimal("30.00")) -> dict[str, Any]:
    """The outbox payload of an ``OrderPlaced`` event for the benchmarks' own orders (every seat in one zone at one
    price), shaped as :func:`boxoffice.domain.events.parse` reads it."""
    return {"order_id": order_id, "session_id": session_id, "token": token, "seats": list(seats),
            "lines": list(lines), "zones": [zone] * len(seats), "prices": [str(price)] * len(seats)}


def make_requests(seats: int, count: int, per_order: int, seed: int) -> list[tuple[int, ...]]:
    rnd = random.Random(seed)
    return [tuple(range(s, s + per_order)) for s in (rnd.randrange(0, seats - per_order + 1) for _ in range(count))]


class MapPicker:
    """Picks like a clerk at a live map: a random free run in a view of the map refreshed every ``refresh_s``.

    ``taken_view()`` returns a predicate "seat i is taken" (the real path reads the Redis bitmap, the DB-only path its
    table). Views are a little stale and every window picks at once, so requests still collide on seats. Picking
    costs a few random probes, so the benchmark measures the box office, not its own client.
    """

    PROBES = 8

    def __init__(self, taken_view: Callable[[], Callable[[int], bool]], seats: int, per_order: int, seed: int,
                 refresh_s: float = 0.1) -> None:
        self.taken_view, self.seats, self.per = taken_view, seats, per_order
        self.rnd = random.Random(seed)
        self.refresh_s = refresh_s
        self.loaded = 0.0
        self.taken: Callable[[int], bool] = lambda i: False
        self.mine: set[int] = set()
        self.starts: list[int] | None = None

    def _free(self, start: int) -> bool:
        run = range(start, start + self.per)
        return start // ROW == run[-1] // ROW and not any(i in self.mine or self.taken(i) for i in run)

    def pick(self, fallback: tuple[int, ...]) -> tuple[int, ...]:
        # a view with no free run left is looked at again less often: the clerk sees a full house
        wait = self.refresh_s if self.starts != [] else self.refresh_s * 10
        if time.perf_counter() - self.loaded > wait:
            self.taken, self.mine, self.starts = self.taken_view(), set(), None
            self.loaded = time.perf_counter()
        start: int | None = None
        for _ in range(self.PROBES):  # a roomy map: a few random probes find a free run
            probe = self.rnd.randrange(0, self.seats - self.per + 1)
            if self._free(probe):
                start = probe
                break
        else:  # a crowded map: list its free runs once per view and draw from them
            if self.starts is None:
                self.starts = [s for s in range(self.seats - self.per + 1) if self._free(s)]
            while self.starts and start is None:
                probe = self.starts.pop(self.rnd.randrange(len(self.starts)))
                start = probe if self._free(probe) else None
        if start is None:
            return fallback
        run = tuple(range(start, start + self.per))
        self.mine.update(run)  # this window asks for them now: don't pick them again from a stale view
        return run


def timed_requests(reqs: list[tuple[int, ...]], picker: MapPicker | None, barrier: Any,
                    attempt: Callable[[tuple[int, ...]], str]) -> WorkerResult:
    """Wait for the start signal, then run every request through ``attempt`` (which returns its outcome)."""
    res = WorkerResult()
    barrier.wait()
    t0 = time.perf_counter()
    for req in reqs:
        if picker is not None:
            req = picker.pick(req)
        start = time.perf_counter()
        outcome = attempt(req)
        end = time.perf_counter()
        res.outcomes[outcome] += 1
        res.latencies_ms.append((end - start) * 1000)
        if outcome == "ok":
            res.last_success_ms = (end - t0) * 1000
    res.last_ms = (time.perf_counter() - t0) * 1000
    return res


def real_worker(settings: Settings, session_id: int, labels: list[str], reqs: list[tuple[int, ...]],
                 pick: str, seed: int, barrier: Any, queue: Any) -> None:
    from ..bootstrap import build
    from ..domain.bitmap import bit
    from ..services.booking import SaleRequest

    app = build(settings, pool_size=1)
    app.catalog.layout(app.catalog.venue_of(session_id))  # warm the layout cache outside the timing
    statements = SaleStatementCounter(app.booking)

    def taken_view() -> Callable[[int], bool]:
        # degraded mode (Redis unreachable): the clerk's map is the database's picture, refreshed as often
        bitmap = (app.degraded.picture(session_id) if app.is_degraded() else app.store.snapshot(session_id)).taken
        return lambda i: bit(bitmap, i)

    def attempt(req: tuple[int, ...]) -> str:
        try:
            app.booking.sell(SaleRequest(session_id, "bench", seats=tuple(labels[i] for i in req)))
            return "ok"
        except BoxOfficeError as exc:
            return exc.code

    picker = MapPicker(taken_view, len(labels), len(reqs[0]), seed) if pick == "map" and reqs else None
    res = timed_requests(reqs, picker, barrier, attempt)
    res.db_transactions = statements.count
    app.close()
    queue.put(res)


#: a Redis address nothing listens on: ``bench rush --degraded`` runs its workers against it
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def degraded_worker(settings: Settings, session_id: int, labels: list[str], reqs: list[tuple[int, ...]],
                     pick: str, seed: int, barrier: Any, queue: Any) -> None:
    """The real path's workers with Redis unreachable: every sale goes the database-only (degraded) path."""
    real_worker(replace(settings, redis_url=UNREACHABLE_REDIS, degraded="auto", record_outages=False), session_id,
                 labels, reqs, pick, seed, barrier, queue)


@dataclass
class RushFigures:
    label: str
    requests: int
    successful: int
    rejected: int
    rejected_by: dict[str, int]
    db_transactions: int
    wall_s: float
    selling_s: float
    sales_per_s: float
    sales_per_s_while_selling: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    double_sold: int = 0
    redis_matches_db: bool | None = None
    machine_cpu_s: float | None = None  # busy CPU seconds of the whole machine during the rush


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine has spent busy (all cores, every process: clients and servers), from
    /proc/stat; None where there is none."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10]) if len(fields) > 9 else 0  # counted inside user already
    return (sum(fields) - idle - guest) / os.sysconf("SC_CLK_TCK")


def run_workers(target: Any, args_for: Any, workers: int, label: str, total: int) -> RushFigures:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    queue = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(w), barrier, queue)) for w in range(workers)]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    t0, busy0 = time.perf_counter(), machine_busy_s()
    results: list[WorkerResult] = []
    while len(results) < len(procs):
        try:
            results.append(queue.get(timeout=1))
        except Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead:
                for p in procs:
                    p.kill()
                raise RuntimeError(f"{len(dead)} benchmark worker(s) failed (exit codes {dead}); see stderr") from None
    wall, busy1 = time.perf_counter() - t0, machine_busy_s()
    for p in procs:
        p.join()
    outcomes: Counter[str] = Counter()
    lat: list[float] = []
    for r in results:
        outcomes.update(r.outcomes)
        lat.extend(r.latencies_ms)
    lat.sort()
    ok = outcomes.pop("ok", 0)
    selling = max((r.last_success_ms for r in results), default=0.0) / 1000 or wall
    return RushFigures(
        label=label,
        requests=total,
        successful=ok,
        rejected=sum(outcomes.values()),
        rejected_by=dict(outcomes),
        db_transactions=sum(r.db_transactions for r in results),
        wall_s=wall,
        selling_s=selling,
        sales_per_s=ok / wall,
        sales_per_s_while_selling=ok / selling if selling else 0.0,
        requests_per_s=total / wall,
        p50_ms=statistics.median(lat) if lat else 0.0,
        p99_ms=lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0.0,
        machine_cpu_s=busy1 - busy0 if busy0 is not None and busy1 is not None else None,
    )


def split(items: list[Any], parts: int) -> list[list[Any]]:
    return [items[i::parts] for i in range(parts)]


@dataclass(frozen=True)
class ScratchSession:
    """A benchmark's own venue of ``seats`` seats with one session on sale, warmed in Redis, and its seller."""

    session_id: int
    seller: Any  # UserInfo of the "bench" account


@contextmanager
def scratch_session(app: Any, seats: int, name: str) -> Iterator[ScratchSession]:
    """Make a scratch venue and session for a benchmark; drop both (Redis keys and database rows) afterwards."""
    from datetime import datetime, timedelta, timezone

    from ..domain.layout import parse_layout
    from ..domain.synthetic import bench_layout_doc

    user, _ = app.accounts.ensure("bench", "Benchmark", "system")
    venue, _ = app.catalog.import_venue(parse_layout(bench_layout_doc(seats, name)))
    info, _ = app.catalog.create_session(venue.venue_id, name, datetime.now(timezone.utc) + timedelta(days=1))
    try:
        app.inventory.rebuild(info.session_id)
        yield ScratchSession(info.session_id, user)
    finally:
        app.store.drop(info.session_id)
        app.catalog.delete_venue(venue.venue_id)
