"""Concurrency proof (DESIGN §9): 16 processes race on overlapping seat sets through the real path."""

from __future__ import annotations

import multiprocessing as mp
import random

from sqlalchemy import text

from boxoffice.config import Settings
from tests.conftest import make_session
from tests.integration.services.test_booking import assert_redis_matches_db

WORKERS = 16
REQUESTS_PER_WORKER = 6


def _race_worker(settings: Settings, session_id: int, requests: list[list[str]], barrier, queue) -> None:
    from boxoffice.bootstrap import build
    from boxoffice.errors import BoxOfficeError
    from boxoffice.services.booking import SaleRequest

    app = build(settings, pool_size=1)
    app.catalog.layout(app.catalog.venue_of(session_id))
    out = []
    barrier.wait()
    for labels in requests:
        try:
            r = app.booking.sell(SaleRequest(session_id, "bob", seats=tuple(labels)))
            out.append(("ok", labels, r.order_id))
        except BoxOfficeError as exc:
            out.append((exc.code, labels, list(getattr(exc, "seats", ()))))
    app.close()
    queue.put(out)


def test_sixteen_processes_never_sell_a_seat_twice(app, settings):
    info = make_session(app)
    free = [s.label for s in app.catalog.layout(info.venue_id).seats if not s.blocked]
    rnd = random.Random(20261125)
    plan = []
    for _ in range(WORKERS):
        reqs = []
        for _ in range(REQUESTS_PER_WORKER):
            start = rnd.randrange(0, len(free) - 3)
            reqs.append(free[start : start + rnd.choice((1, 2, 3))])
        plan.append(reqs)
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_race_worker, args=(settings, info.session_id, reqs, barrier, queue)) for reqs in plan]
    for p in procs:
        p.start()
    results = [item for _ in procs for item in queue.get(timeout=180)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    won = [r for r in results if r[0] == "ok"]
    lost = [r for r in results if r[0] != "ok"]
    assert len(results) == WORKERS * REQUESTS_PER_WORKER
    assert won and lost, "the plan must produce both winners and losers"
    # losers were told which seats, and those seats really were sold to a winner
    sold_to = {label: order for _, labels, order in won for label in labels}
    for code, labels, seats in lost:
        assert code in ("seats_unavailable", "sold_out"), code
        if code == "seats_unavailable":
            assert seats and set(seats) <= set(labels) and all(s in sold_to for s in seats)
    # every seat sold at most once, and the database holds exactly the winners' seats
    all_won = [label for _, labels, _ in won for label in labels]
    assert len(all_won) == len(set(all_won))
    with app.uow() as tx:
        rows = tx.session.execute(
            text("SELECT label, order_id FROM order_lines WHERE session_id = :s AND active"), {"s": info.session_id}
        ).all()
    assert dict(rows) == sold_to
    assert_redis_matches_db(app, info.session_id)
