"""``boxoffice bench rush``: a ticket rush through the real booking path, then the same rush through a DB-only path.

Both runs use the configured servers, a fresh synthetic venue of ``--seats`` seats (rows of 20, one price zone), the
same number of worker processes and the same request stream: each request asks for ``--per-order`` adjacent seats at
a random position, so requests overlap and most lose once the seats run out. The DB-only path is how pretix-style
systems do it: one lock per session (``SELECT … FOR UPDATE`` on the session row), count, insert — every request,
accepted or rejected, is a database transaction. The venue is deleted afterwards.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import secrets
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from queue import Empty
from typing import Any

from sqlalchemy import text

from .config import Settings, load_settings
from .domain.layout import parse_layout
from .errors import BoxOfficeError

ROW = 20


def bench_layout_doc(seats: int, name: str) -> dict[str, Any]:
    rows = []
    for r in range((seats + ROW - 1) // ROW):
        count = min(ROW, seats - r * ROW)
        rows.append({"label": f"R{r + 1}", "seats": [{"n": str(i + 1), "x": 5 + i * 10, "y": 5 + r * 10}
                                                     for i in range(count)]})
    return {
        "format": "boxoffice-layout/1",
        "name": name,
        "kind": "benchmark",
        "canvas": {"width": 10 + ROW * 10, "height": 10 + len(rows) * 10},
        "zones": [{"code": "G", "name": "General", "price": "30.00", "color": "#336699"}],
        "stands": [{"code": "B", "name": "Bench", "sections": [{"code": "B", "name": "Bench", "zone": "G", "rows": rows}]}],
    }


@dataclass
class WorkerResult:
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    db_transactions: int = 0
    first_ms: float = 0.0
    last_success_ms: float = 0.0
    last_ms: float = 0.0


def _requests(seats: int, count: int, per_order: int, seed: int) -> list[tuple[int, ...]]:
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
                self.starts = [s for s in range(0, self.seats - self.per + 1) if self._free(s)]
            while self.starts and start is None:
                probe = self.starts.pop(self.rnd.randrange(len(self.starts)))
                start = probe if self._free(probe) else None
        if start is None:
            return fallback
        run = tuple(range(start, start + self.per))
        self.mine.update(run)  # this window asks for them now: don't pick them again from a stale view
        return run


def _timed_requests(reqs: list[tuple[int, ...]], picker: MapPicker | None, barrier: Any,
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


def _real_worker(settings: Settings, session_id: int, labels: list[str], reqs: list[tuple[int, ...]],
                 pick: str, seed: int, barrier: Any, queue: Any) -> None:
    from .bootstrap import build
    from .domain.bitmap import bit
    from .services.booking import SaleRequest

    app = build(settings, pool_size=1)
    app.catalog.layout(app.catalog.venue_of(session_id))  # warm the layout cache outside the timing

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
    res = _timed_requests(reqs, picker, barrier, attempt)
    res.db_transactions = app.booking.db_transactions
    app.close()
    queue.put(res)


#: a Redis address nothing listens on: ``bench rush --degraded`` runs its workers against it
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _degraded_worker(settings: Settings, session_id: int, labels: list[str], reqs: list[tuple[int, ...]],
                     pick: str, seed: int, barrier: Any, queue: Any) -> None:
    """The real path's workers with Redis unreachable: every sale goes the database-only (degraded) path."""
    _real_worker(replace(settings, redis_url=UNREACHABLE_REDIS, degraded="auto", record_outages=False), session_id,
                 labels, reqs, pick, seed, barrier, queue)


_BASE_SIZE = text("SELECT capacity FROM sessions WHERE id = :sid")
_BASE_VIEW = text("SELECT seat_idx FROM session_seats WHERE session_id = :sid AND status <> 'free'")
_BASE_LOCK = text("SELECT status FROM sessions WHERE id = :sid FOR UPDATE")
_BASE_COUNT = text(
    "SELECT count(*) FILTER (WHERE seat_idx = ANY(:idx) AND status <> 'free'), count(*) FILTER (WHERE status = 'free') "
    "FROM session_seats WHERE session_id = :sid"
)
_BASE_WRITE = [
    text("INSERT INTO orders (token, session_id, user_id, total, payment_method) "
         "VALUES (:token, :sid, :uid, :total, 'cash') RETURNING id"),
    text("INSERT INTO order_lines (order_id, session_id, seat_idx, label, zone, price) "
         "SELECT :oid, :sid, i, 'bench', 'G', 30 FROM unnest(CAST(:idx AS int[])) AS i"),
    text("UPDATE session_seats SET status = 'sold', order_id = :oid WHERE session_id = :sid AND seat_idx = ANY(:idx)"),
    text("INSERT INTO payments (order_id, method, amount) VALUES (:oid, 'cash', :total)"),
    text("INSERT INTO outbox (topic, aggregate_id, payload) SELECT 'OrderPlaced', :oid, jsonb_build_object("
         "'order_id', :oid, 'session_id', :sid, 'token', token, 'seats', CAST(:idx AS int[]), "
         "'lines', (SELECT array_agg(l.id ORDER BY l.seat_idx) FROM order_lines l WHERE l.order_id = :oid), "
         "'zones', (SELECT array_agg('G'::text) FROM unnest(CAST(:idx AS int[]))), "
         "'prices', (SELECT array_agg('30.00'::text) FROM unnest(CAST(:idx AS int[])))) FROM orders WHERE id = :oid"),
]


def _baseline_worker(settings: Settings, session_id: int, uid: int, reqs: list[tuple[int, ...]],
                     pick: str, seed: int, barrier: Any, queue: Any) -> None:
    """The DB-only path: every request, accepted or not, is one transaction holding the session row's lock."""
    from .adapters.db import make_engine

    engine = make_engine(settings.database_url or "", pool_size=1, lock_timeout_ms=60_000)
    with engine.connect() as first:
        seats = first.execute(_BASE_SIZE, {"sid": session_id}).scalar_one()

    def taken_view() -> Callable[[int], bool]:
        with engine.connect() as view:
            taken = {i for (i,) in view.execute(_BASE_VIEW, {"sid": session_id})}
        return taken.__contains__

    with engine.connect() as conn:

        def attempt(req: tuple[int, ...]) -> str:
            idx = list(req)
            conn.execute(_BASE_LOCK, {"sid": session_id})
            conflicts, free = conn.execute(_BASE_COUNT, {"sid": session_id, "idx": idx}).one()
            if conflicts or free < len(idx):
                conn.rollback()
                return "sold_out" if free < len(idx) else "seats_unavailable"
            total = Decimal("30.00") * len(idx)
            oid = conn.execute(_BASE_WRITE[0], {"token": secrets.token_urlsafe(18), "sid": session_id,
                                                "uid": uid, "total": total}).scalar_one()
            for stmt in _BASE_WRITE[1:]:
                conn.execute(stmt, {"oid": oid, "sid": session_id, "idx": idx, "total": total})
            conn.commit()
            return "ok"

        picker = MapPicker(taken_view, seats, len(reqs[0]), seed) if pick == "map" and reqs else None
        res = _timed_requests(reqs, picker, barrier, attempt)
        res.db_transactions = len(reqs)
    engine.dispose()
    queue.put(res)


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


def _machine_busy_s() -> float | None:
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


def _run(target: Any, args_for: Any, workers: int, label: str, total: int) -> RushFigures:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    queue = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(w), barrier, queue)) for w in range(workers)]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    t0, busy0 = time.perf_counter(), _machine_busy_s()
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
    wall, busy1 = time.perf_counter() - t0, _machine_busy_s()
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


def _split(items: list[Any], parts: int) -> list[list[Any]]:
    return [items[i::parts] for i in range(parts)]


def _verify(app: Any, session_id: int, check_redis: bool) -> tuple[int, bool | None]:
    from .domain.bitmap import bit

    with app.uow() as tx:
        double = tx.session.execute(text(
            "SELECT count(*) FROM (SELECT seat_idx FROM order_lines WHERE session_id = :sid AND active "
            "GROUP BY seat_idx HAVING count(*) > 1) d"), {"sid": session_id}).scalar_one()
        sold = {i for (i,) in tx.session.execute(text(
            "SELECT seat_idx FROM session_seats WHERE session_id = :sid AND status = 'sold'"), {"sid": session_id})}
    if not check_redis:
        return double, None
    snap = app.store.snapshot(session_id)
    cap = app.catalog.session(session_id).capacity
    redis_taken = {i for i in range(cap) if bit(snap.taken, i)}
    return double, redis_taken == sold and snap.stock == cap - len(sold)


def _print(f: RushFigures) -> None:
    print(f"\n{f.label}")
    print(f"  requests            {f.requests:>10,}")
    print(f"  successful sales    {f.successful:>10,}")
    print(f"  rejected            {f.rejected:>10,}  {f.rejected_by}")
    print(f"  database txns       {f.db_transactions:>10,}")
    print(f"  wall time           {f.wall_s:>10.2f} s   (selling phase {f.selling_s:.2f} s)")
    print(f"  sales/s             {f.sales_per_s:>10,.0f}   (while selling {f.sales_per_s_while_selling:,.0f})")
    print(f"  completed req/s     {f.requests_per_s:>10,.0f}")
    print(f"  latency p50 / p99   {f.p50_ms:>10.2f} / {f.p99_ms:.2f} ms")
    if f.machine_cpu_s is not None:
        cores = os.cpu_count() or 1
        print(f"  machine CPU busy    {f.machine_cpu_s:>10.2f} s   ({f.machine_cpu_s / (f.wall_s * cores):.0%} of "
              f"{cores} cores; {f.machine_cpu_s / f.requests * 1000:.2f} ms per request, clients and servers)")
    print(f"  double-sold seats   {f.double_sold:>10}")
    if f.redis_matches_db is not None:
        print(f"  Redis == database   {'yes' if f.redis_matches_db else 'NO':>10}")


def rush(args: Any) -> None:
    from .bootstrap import build, resolve_servers

    settings = resolve_servers(load_settings())
    # the rush is about contention, not the gate: let every worker hold a token
    settings = replace(settings, gate_min=max(settings.gate_min, args.workers * 4))
    app = build(settings, migrate=True)
    seats, per, workers = args.seats, args.per_order, args.workers
    if per > seats:
        raise SystemExit("--per-order must not exceed --seats")
    name = f"bench {datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    venue, _ = app.catalog.import_venue(parse_layout(bench_layout_doc(seats, name)))
    user, _ = app.accounts.ensure("bench", "Benchmark", "system")
    labels = [s.label for s in app.catalog.layout(venue.venue_id).seats]
    reqs = _requests(seats, args.requests, per, seed=seats * 31 + args.requests)
    start = datetime.now(timezone.utc) + timedelta(days=1)
    report: dict[str, Any] = {"seats": seats, "requests": args.requests, "workers": workers, "per_order": per,
                              "cpus": os.cpu_count()}
    print(f"rush: {args.requests:,} requests for {per} adjacent seats each, {seats:,} seats, {workers} processes")
    try:
        real_session, _ = app.catalog.create_session(venue.venue_id, "rush (real path)", start)
        app.inventory.rebuild(real_session.session_id)
        real = _run(_real_worker, lambda w: (settings, real_session.session_id, labels, _split(reqs, workers)[w],
                                             args.pick, w),
                    workers, "real path: token -> Redis Lua deduction -> locked PostgreSQL transaction",
                    args.requests)
        real.double_sold, real.redis_matches_db = _verify(app, real_session.session_id, True)
        _print(real)
        report["real"] = real.__dict__
        if getattr(args, "degraded", False):
            deg_session, _ = app.catalog.create_session(venue.venue_id, "rush (degraded)", start)
            deg = _run(_degraded_worker, lambda w: (settings, deg_session.session_id, labels,
                                                    _split(reqs, workers)[w], args.pick, w),
                       workers, "degraded path: Redis unreachable -> the same locked PostgreSQL sale statement",
                       args.requests)
            deg.double_sold, _ = _verify(app, deg_session.session_id, False)
            _print(deg)
            with app.uow() as tx:
                from_db = tx.session.execute(text(
                    "SELECT count(*) FROM orders WHERE session_id = :sid AND token LIKE 'db.%'"),
                    {"sid": deg_session.session_id}).scalar_one()
            print(f"  sold from the database alone {from_db:>3,} of {deg.successful:,} orders")
            ratio_d = real.requests_per_s / deg.requests_per_s if deg.requests_per_s else float("inf")
            print(f"\nratio completed req/s real / degraded: {ratio_d:.1f}x   (sales/s while selling: "
                  f"{real.sales_per_s_while_selling / max(deg.sales_per_s_while_selling, 1e-9):.1f}x)")
            report["degraded"] = {**deg.__dict__, "orders_from_database": from_db}
            report["ratio_real_to_degraded"] = ratio_d
        if not args.skip_baseline:
            base_session, _ = app.catalog.create_session(venue.venue_id, "rush (DB-only)", start)
            base = _run(_baseline_worker, lambda w: (settings, base_session.session_id, user.user_id,
                                                     _split(reqs, workers)[w], args.pick, w),
                        workers, "baseline: DB-only (lock the session row, count, insert)", args.requests)
            base.double_sold, _ = _verify(app, base_session.session_id, False)
            _print(base)
            ratio = real.requests_per_s / base.requests_per_s if base.requests_per_s else float("inf")
            print(f"\nratio completed req/s real / DB-only: {ratio:.1f}x   "
                  f"(sales/s while selling: {real.sales_per_s_while_selling / max(base.sales_per_s_while_selling, 1e-9):.1f}x)")
            report["baseline"] = base.__dict__
            report["ratio_requests_per_s"] = ratio
    finally:
        app.catalog.delete_venue(venue.venue_id)
        for sid in [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue.venue_id]:
            app.store.drop(sid)
    if getattr(args, "json", False):
        print(json.dumps(report, default=str))


# -- bench outbox -------------------------------------------------------------------------------------------------
_SYNTHETIC = text(
    """
    INSERT INTO outbox (topic, aggregate_id, payload)
    SELECT 'OrderPlaced', i + 1, jsonb_build_object('order_id', i + 1, 'session_id', :sid, 'token', 'bench-' || i,
                                                 'seats', jsonb_build_array(i), 'lines', jsonb_build_array(i + 1),
                                                 'zones', jsonb_build_array('G'),
                                                 'prices', jsonb_build_array('30.00'))
      FROM generate_series(:lo, :hi - 1) AS i
    """
)


def _timed_drain(relay: Any, consumer: Any, expected: int, timeout_s: float = 600) -> tuple[float, float]:
    """Publish the whole backlog, then apply it; returns (relay seconds, consumer seconds)."""
    t0 = time.perf_counter()
    published = 0
    while published < expected:
        done, failed = relay.drain_once()
        if failed:
            raise RuntimeError(f"the relay refused {failed} benchmark message(s); see the outbox's last_error")
        published += done
        if time.perf_counter() - t0 > timeout_s:
            raise RuntimeError(f"only {published} of {expected} messages published in {timeout_s} s")
    t1 = time.perf_counter()
    applied = 0
    while applied < expected:
        applied += consumer.consume_once()
        if time.perf_counter() - t1 > timeout_s:
            raise RuntimeError(f"only {applied} of {expected} messages applied in {timeout_s} s")
    return t1 - t0, time.perf_counter() - t1


def outbox(args: Any) -> None:
    """Drain throughput (batched vs one message at a time) and commit → applied latency during a rush."""
    from .bootstrap import build, resolve_servers
    from .scheduler import background
    from .services.consumer import InventoryConsumer
    from .services.outbox import Relay

    settings = resolve_servers(load_settings())
    app = build(settings, migrate=True)
    n, base_n = args.messages, max(1, args.messages // 20)
    name = f"bench outbox {datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    venue, _ = app.catalog.import_venue(parse_layout(bench_layout_doc(max(n + base_n, args.rush_seats), name)))
    app.accounts.ensure("bench", "Benchmark", "system")
    start = datetime.now(timezone.utc) + timedelta(days=1)
    report: dict[str, Any] = {"messages": n, "baseline_messages": base_n}
    try:
        # 1. throughput: a backlog of n messages drained in batches of outbox_batch, vs one at a time
        app.relay.drain()
        app.consumer.drain()
        thr, _ = app.catalog.create_session(venue.venue_id, "outbox throughput", start)
        app.inventory.rebuild(thr.session_id)
        one = replace(settings, outbox_batch=1)
        rates = {}
        for label, cfg, lo, hi in (("batched", settings, 0, n), ("one at a time", one, n, n + base_n)):
            with app.uow() as tx:
                tx.session.execute(_SYNTHETIC, {"sid": thr.session_id, "lo": lo, "hi": hi})
                tx.commit()
            relay = Relay(app.uow, app.redis, cfg)
            consumer = InventoryConsumer(app.uow, app.store, app.redis, cfg, name=f"bench-{label}")
            relay_s, consumer_s = _timed_drain(relay, consumer, hi - lo)
            count = hi - lo
            rates[label] = (count / relay_s, count / consumer_s, count / (relay_s + consumer_s))
            print(f"{label:<14} {count:>7,} messages: relay drains {rates[label][0]:>8,.0f}/s, consumer applies "
                  f"{rates[label][1]:>8,.0f}/s, end to end {rates[label][2]:>8,.0f}/s")
        ratio = rates["batched"][2] / rates["one at a time"][2]
        print(f"ratio end to end, batched / one at a time: {ratio:.1f}x")
        report.update(relay_per_s=rates["batched"][0], consumer_per_s=rates["batched"][1],
                      end_to_end_per_s=rates["batched"][2], baseline_end_to_end_per_s=rates["one at a time"][2],
                      ratio=ratio)

        # 2. latency: a rush of real sales while this process runs the scheduled relay and consumer
        rush_session, _ = app.catalog.create_session(venue.venue_id, "outbox latency rush", start)
        app.inventory.rebuild(rush_session.session_id)
        labels = [s.label for s in app.catalog.layout(venue.venue_id).seats][: args.rush_seats]
        reqs = _requests(len(labels), args.rush_requests, 2, seed=7)
        scheduler = background(app)
        try:
            rush_fig = _run(_real_worker, lambda w: (settings, rush_session.session_id, labels,
                                                     _split(reqs, args.workers)[w], "map", w),
                            args.workers, "rush", args.rush_requests)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with app.uow() as tx:
                    lat = [float(x) for (x,) in tx.session.execute(text(
                        "SELECT extract(epoch FROM i.processed_at - o.created_at) FROM outbox o "
                        "JOIN inbox i ON i.message_id = o.id AND i.consumer = 'inventory' "
                        "WHERE o.payload->>'session_id' = :sid"), {"sid": str(rush_session.session_id)})]
                if len(lat) >= rush_fig.successful:
                    break
                time.sleep(0.2)
        finally:
            scheduler.shutdown(wait=True)
        lat.sort()
        p50 = statistics.median(lat) if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
        print(f"rush: {rush_fig.successful:,} sales at {rush_fig.sales_per_s:,.0f}/s with the scheduled relay and "
              f"consumer every {settings.relay_interval_s:g} s")
        print(f"commit -> applied latency: p50 {p50 * 1000:,.0f} ms, p99 {p99 * 1000:,.0f} ms over {len(lat):,} orders")
        report.update(rush_sales=rush_fig.successful, latency_p50_ms=p50 * 1000, latency_p99_ms=p99 * 1000)
    finally:
        with app.uow() as tx:
            tx.session.execute(text("DELETE FROM inbox WHERE message_id IN (SELECT id FROM outbox "
                                    "WHERE payload->>'session_id' IN (SELECT id::text FROM sessions "
                                    "WHERE venue_id = :v))"), {"v": venue.venue_id})
            tx.commit()
        for sid in [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue.venue_id]:
            app.store.drop(sid)
        app.catalog.delete_venue(venue.venue_id)
    if getattr(args, "json", False):
        print(json.dumps(report, default=str))


# -- bench pg-alone -----------------------------------------------------------------------------------------------
def pgbench_sale_script(price: Decimal) -> str:
    """The sale statement (``SALE_SQL``, verbatim) as a pgbench script: each transaction sells two fresh adjacent
    seats, ``(client_id * stride + k) * 2`` and the next, with ``k`` counting the client's transactions."""
    import re

    from psycopg import sql

    from .adapters import locks
    from .adapters.repos.orders import SALE_SQL

    total = f"{price * 2:.2f}"
    values = {
        "ns": str(locks.INVENTORY), "sid": ":sid", "uid": ":uid", "n": "2", "method": "'cash'", "total": total,
        "token": "'pgbench-' || :run || '-' || :client_id || '-' || :k",
        "idx": "ARRAY[:a, :a + 1]", "labels": "ARRAY['s' || :a, 's' || (:a + 1)]", "zones": "ARRAY['G', 'G']",
        "prices": f"ARRAY[{price}, {price}]",
        # the session's id in the payload: the venue's clean-up finds its outbox rows by it
        "payload": "jsonb_build_object('session_id', CAST(:sid AS int)) || CAST("
                   + sql.Literal(json.dumps({"token": "pgbench", "seats": [0, 1], "zones": ["G", "G"],
                                             "prices": [str(price)] * 2, "total": total})).as_string()
                   + " AS jsonb)",
        "audit": sql.Literal(json.dumps({"seats": ["s0", "s1"], "total": total, "payment": "cash"})).as_string(),
    }
    body = re.sub(r"%\((\w+)\)s", lambda m: f"({values[m.group(1)]})", SALE_SQL)
    return "\\set k :k + 1\n\\set a (:client_id * :stride + :k) * 2\n" + " ".join(body.split()) + ";\n"


def _pgbench_binary() -> str:
    import shutil

    found = shutil.which("pgbench")
    if found:
        return found
    try:  # the embedded server's package ships one
        import pgserver

        bundled = os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin", "pgbench")
    except ImportError:
        bundled = ""
    if bundled and os.access(bundled, os.X_OK):
        return bundled
    raise RuntimeError("pgbench not found: install PostgreSQL's client programs (Debian: postgresql-client)")


@dataclass
class CeilingRun:
    clients: int
    sales: int
    transactions: int
    seconds: float
    machine_cpu_s: float | None

    @property
    def sales_per_s(self) -> float:
        return self.sales / self.seconds

    @property
    def cpu_ms_per_sale(self) -> float | None:
        return self.machine_cpu_s / self.sales * 1000 if self.machine_cpu_s is not None and self.sales else None


def pg_alone(args: Any) -> None:
    """The sale statement alone in PostgreSQL (pgbench, a C client: no Python, no Redis) against the whole real path,
    same servers, same invocation: how much of the database's own ceiling the box office reaches, and how much
    machine CPU a sale costs each way."""
    import subprocess
    import tempfile

    from sqlalchemy.engine import make_url

    from .adapters.db import SALE_OPTIONS
    from .bootstrap import build, resolve_servers
    from .config import sqlalchemy_url

    pgbench = _pgbench_binary()
    settings = resolve_servers(load_settings())
    clients = sorted(set(args.clients))
    settings = replace(settings, gate_min=max(settings.gate_min, max(clients) * 4))
    app = build(settings, migrate=True)
    assert settings.database_url
    url = make_url(sqlalchemy_url(settings.database_url)).set(drivername="postgresql")
    seats = args.seats
    name = f"bench pg-alone {datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    venue, _ = app.catalog.import_venue(parse_layout(bench_layout_doc(seats, name)))
    uid = app.accounts.ensure("bench", "Benchmark", "system")[0].user_id
    layout = app.catalog.layout(venue.venue_id)
    labels = [s.label for s in layout.seats]
    start = datetime.now(timezone.utc) + timedelta(days=1)
    report: dict[str, Any] = {"seats": seats, "seconds": args.seconds, "pg_alone": [], "real": []}
    print(f"pg-alone: the sale statement alone (pgbench, prepared, generic plan, {args.seconds:g} s a run) against "
          f"the real path ({args.requests:,} sales a run), {seats:,}-seat sessions")
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="boxoffice-sale-") as script:
            script.write(pgbench_sale_script(layout.zones[0].price))
            script.flush()
            pg_runs = []
            for c in clients:
                session, _ = app.catalog.create_session(venue.venue_id, f"pg-alone x{c}", start)
                run = secrets.token_hex(4)
                busy0 = _machine_busy_s()
                done = subprocess.run(
                    [pgbench, "-n", "-M", "prepared", "-f", script.name, "-T", str(args.seconds),
                     "-c", str(c), "-j", str(c), "-D", "k=0", "-D", f"stride={seats // 2 // c}", "-D", f"run={run}",
                     "-D", f"sid={session.session_id}", "-D", f"uid={uid}",
                     url.render_as_string(hide_password=False)],
                    env=dict(os.environ, PGOPTIONS=SALE_OPTIONS), capture_output=True, text=True, check=False,
                )
                busy1 = _machine_busy_s()
                if done.returncode != 0:
                    said = (done.stderr or done.stdout).strip().splitlines()
                    raise RuntimeError(f"pgbench failed: {next((ln for ln in said if 'ERROR' in ln), said[-1] if said else '')}")
                tx = next((int(line.split(":")[1]) for line in done.stdout.splitlines()
                           if line.startswith("number of transactions actually processed")), 0)
                with app.uow() as t:
                    sold = t.session.execute(text("SELECT count(*) FROM orders WHERE token LIKE :p"),
                                             {"p": f"pgbench-{run}-%"}).scalar_one()
                pg_runs.append(CeilingRun(c, sold, tx, float(args.seconds),
                                          busy1 - busy0 if busy0 is not None and busy1 is not None else None))
            real_runs = []
            pairs = [(2 * i, 2 * i + 1) for i in range(min(args.requests, seats // 2))]
            for c in clients:
                session, _ = app.catalog.create_session(venue.venue_id, f"real path x{c}", start)
                app.inventory.rebuild(session.session_id)
                fig = _run(_real_worker, lambda w, c=c, sid=session.session_id: (settings, sid, labels,
                                                                               _split(pairs, c)[w], "random", w),
                           c, f"real path x{c}", len(pairs))
                real_runs.append(CeilingRun(c, fig.successful, fig.db_transactions, fig.wall_s, fig.machine_cpu_s))
        print(f"\n{'':<28}{'clients':>8}{'sales/s':>10}{'refused':>9}{'machine CPU/sale':>18}")
        for label, runs in (("PostgreSQL alone (pgbench)", pg_runs), ("real path (box office)", real_runs)):
            for r in runs:
                cpu = f"{r.cpu_ms_per_sale:.2f} ms" if r.cpu_ms_per_sale is not None else "n/a"
                print(f"{label:<28}{r.clients:>8}{r.sales_per_s:>10,.0f}{r.transactions - r.sales:>9,}{cpu:>18}")
                label = ""
        for r in pg_runs:
            if r.sales < r.transactions * 0.99:
                print(f"note: pgbench with {r.clients} client(s) ran out of fresh seats; use fewer --seconds")
        best_pg = max(pg_runs, key=lambda r: r.sales_per_s)
        best_real = max(real_runs, key=lambda r: r.sales_per_s)
        print(f"\nratio real path / PostgreSQL alone, best of each: {best_real.sales_per_s / best_pg.sales_per_s:.2f} "
              f"({best_real.sales_per_s:,.0f} / {best_pg.sales_per_s:,.0f} sales/s)")
        cores = os.cpu_count() or 1
        if best_pg.cpu_ms_per_sale is not None:
            need = args.target * best_pg.cpu_ms_per_sale / 1000
            print(f"{args.target:,} sales/s would take {need:.2f} of this machine's {cores} cores for PostgreSQL "
                  f"alone (at its best run's {best_pg.cpu_ms_per_sale:.2f} ms a sale), leaving "
                  f"{max(0.0, (cores - need) / args.target * 1e6):,.0f} µs a sale for Redis and the client")
        report["pg_alone"] = [r.__dict__ for r in pg_runs]
        report["real"] = [r.__dict__ for r in real_runs]
    finally:
        for sid in [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue.venue_id]:
            app.store.drop(sid)
        app.catalog.delete_venue(venue.venue_id)
        app.close()
    if getattr(args, "json", False):
        print(json.dumps(report, default=str))
