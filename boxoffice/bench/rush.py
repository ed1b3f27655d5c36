"""``boxoffice bench rush``: a ticket rush through the real booking path, then the same rush through a DB-only path.

Both runs use the configured servers, a fresh synthetic venue of ``--seats`` seats (rows of 20, one price zone), the
same number of worker processes and the same request stream: each request asks for ``--per-order`` adjacent seats at
a random position, so requests overlap and most lose once the seats run out. The DB-only path is how pretix-style
systems do it: one lock per session (``SELECT … FOR UPDATE`` on the session row), count, insert — every request,
accepted or rejected, is a database transaction. ``--degraded`` adds the real path with Redis unreachable. The venue is
deleted afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from ..config import Settings, load_settings
from ..domain.layout import parse_layout
from ..domain.synthetic import bench_layout_doc
from .common import (
    MapPicker,
    RushFigures,
    degraded_worker,
    make_requests,
    placed_payload,
    real_worker,
    run_workers,
    split,
    timed_requests,
)

_BASE_SIZE = text("SELECT capacity FROM sessions WHERE id = :sid")
_BASE_VIEW = text("SELECT seat_idx FROM session_seats WHERE session_id = :sid AND status <> 'free'")
_BASE_LOCK = text("SELECT status FROM sessions WHERE id = :sid FOR UPDATE")
_BASE_COUNT = text(
    "SELECT count(*) FILTER (WHERE seat_idx = ANY(:idx) AND status <> 'free'), count(*) FILTER (WHERE status = 'free') "
    "FROM session_seats WHERE session_id = :sid"
)
_BASE_ORDER = text("INSERT INTO orders (token, session_id, user_id, total, payment_method) "
                   "VALUES (:token, :sid, :uid, :total, 'cash') RETURNING id")
_BASE_LINES = text("INSERT INTO order_lines (order_id, session_id, seat_idx, label, zone, price) "
                   "SELECT :oid, :sid, i, 'bench', 'G', 30 FROM unnest(CAST(:idx AS int[])) AS i "
                   "RETURNING id, seat_idx")
_BASE_WRITE = [
    text("UPDATE session_seats SET status = 'sold', order_id = :oid WHERE session_id = :sid AND seat_idx = ANY(:idx)"),
    text("INSERT INTO payments (order_id, method, amount) VALUES (:oid, 'cash', :total)"),
    text("INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('OrderPlaced', :oid, CAST(:payload AS jsonb))"),
]


def _baseline_worker(settings: Settings, session_id: int, uid: int, reqs: list[tuple[int, ...]],
                     pick: str, seed: int, barrier: Any, queue: Any) -> None:
    """The DB-only path: every request, accepted or not, is one transaction holding the session row's lock."""
    from ..adapters.db import make_engine

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
            token = secrets.token_urlsafe(18)
            oid = conn.execute(_BASE_ORDER, {"token": token, "sid": session_id, "uid": uid, "total": total}).scalar_one()
            lines = [line for line, _ in sorted(conn.execute(_BASE_LINES, {"oid": oid, "sid": session_id, "idx": idx}),
                                                key=lambda row: row[1])]
            payload = json.dumps(placed_payload(oid, session_id, token, sorted(idx), lines))
            for stmt in _BASE_WRITE:
                conn.execute(stmt, {"oid": oid, "sid": session_id, "idx": idx, "total": total, "payload": payload})
            conn.commit()
            return "ok"

        picker = MapPicker(taken_view, seats, len(reqs[0]), seed) if pick == "map" and reqs else None
        res = timed_requests(reqs, picker, barrier, attempt)
        res.db_transactions = len(reqs)
    engine.dispose()
    queue.put(res)


def _verify(app: Any, session_id: int, check_redis: bool) -> tuple[int, bool | None]:
    from ..domain.bitmap import bit

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
    from ..bootstrap import build, resolve_servers

    # its clerks sell without till shifts (the statement still looks for one: the cost is measured)
    settings = replace(resolve_servers(load_settings()), require_till=False)
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
    reqs = make_requests(seats, args.requests, per, seed=seats * 31 + args.requests)
    start = datetime.now(timezone.utc) + timedelta(days=1)
    report: dict[str, Any] = {"seats": seats, "requests": args.requests, "workers": workers, "per_order": per,
                              "cpus": os.cpu_count()}
    print(f"rush: {args.requests:,} requests for {per} adjacent seats each, {seats:,} seats, {workers} processes")
    try:
        real_session, _ = app.catalog.create_session(venue.venue_id, "rush (real path)", start)
        app.inventory.rebuild(real_session.session_id)
        real = run_workers(real_worker, lambda w: (settings, real_session.session_id, labels, split(reqs, workers)[w],
                                             args.pick, w),
                    workers, "real path: token -> Redis Lua deduction -> locked PostgreSQL transaction",
                    args.requests)
        real.double_sold, real.redis_matches_db = _verify(app, real_session.session_id, True)
        _print(real)
        report["real"] = real.__dict__
        if getattr(args, "degraded", False):
            deg_session, _ = app.catalog.create_session(venue.venue_id, "rush (degraded)", start)
            deg = run_workers(degraded_worker, lambda w: (settings, deg_session.session_id, labels,
                                                    split(reqs, workers)[w], args.pick, w),
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
            base = run_workers(_baseline_worker, lambda w: (settings, base_session.session_id, user.user_id,
                                                     split(reqs, workers)[w], args.pick, w),
                        workers, "baseline: DB-only (lock the session row, count, insert)", args.requests)
            base.double_sold, _ = _verify(app, base_session.session_id, False)
            _print(base)
            ratio = real.requests_per_s / base.requests_per_s if base.requests_per_s else float("inf")
            print(f"\nratio completed req/s real / DB-only: {ratio:.1f}x   "
                  f"(sales/s while selling: {real.sales_per_s_while_selling / max(base.sales_per_s_while_selling, 1e-9):.1f}x)")
            report["baseline"] = base.__dict__
            report["ratio_requests_per_s"] = ratio
    finally:
        for sid in [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue.venue_id]:
            app.store.drop(sid)
        app.catalog.delete_venue(venue.venue_id)
    if getattr(args, "json", False):
        print(json.dumps(report, default=str))


