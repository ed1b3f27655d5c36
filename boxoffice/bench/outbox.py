"""``boxoffice bench outbox``: drain throughput of the outbox (batched vs one message at a time) and the commit →
applied latency of real sales while the scheduled relay and consumer run."""

from __future__ import annotations

import json
import secrets
import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import text

from ..config import load_settings
from ..domain.layout import parse_layout
from ..domain.synthetic import bench_layout_doc
from .common import make_requests, placed_payload, real_worker, run_workers, split

_OUTBOX_ROW = text("INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('OrderPlaced', :oid, CAST(:payload AS jsonb))")


def synthetic_backlog(session_id: int, lo: int, hi: int) -> list[dict[str, Any]]:
    """Outbox rows ``lo`` .. ``hi - 1`` of the throughput backlog: message ``i`` places seat ``i`` (order ``i + 1``)."""
    return [{"oid": i + 1, "payload": json.dumps(placed_payload(i + 1, session_id, f"bench-{i}", [i], [i + 1]))}
            for i in range(lo, hi)]


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
    from ..bootstrap import build, resolve_servers
    from ..scheduler import background
    from ..services.consumer import InventoryConsumer
    from ..services.outbox import Relay

    # its clerks sell without till shifts (the statement still looks for one: the cost is measured)
    settings = replace(resolve_servers(load_settings()), require_till=False)
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
                tx.session.execute(_OUTBOX_ROW, synthetic_backlog(thr.session_id, lo, hi))
                tx.commit()
            relay = Relay(app.uow, app.events, cfg)
            consumer = InventoryConsumer(app.uow, app.store, app.events, cfg, name=f"bench-{label}")
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
        reqs = make_requests(len(labels), args.rush_requests, 2, seed=7)
        scheduler = background(app)
        try:
            rush_fig = run_workers(real_worker, lambda w: (settings, rush_session.session_id, labels,
                                                     split(reqs, args.workers)[w], "map", w),
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


