"""The benchmarks run end to end on this run's servers (small sizes: this checks they work, not how fast)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from sqlalchemy import text

from boxoffice.bench import pgbench_sale_script
from tests.conftest import run_cli


def test_bench_rush_prints_figures_and_sells_no_seat_twice(app, env):
    done = run_cli(env, "bench", "rush", "--seats", "60", "--requests", "300", "--workers", "2")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("double-sold seats            0") == 2
    assert "Redis == database          yes" in out
    assert re.search(r"ratio completed req/s real / DB-only: [\d.]+x", out)
    real_txns, base_txns = (int(n.replace(",", "")) for n in re.findall(r"database txns\s+([\d,]+)", out))
    real_sales = int(re.search(r"successful sales\s+([\d,]+)", out).group(1).replace(",", ""))
    assert real_txns == real_sales  # rejected requests cost no database transaction
    assert base_txns == 300  # the DB-only path pays one for every request


def test_bench_outbox_prints_throughput_and_latency(app, env):
    done = run_cli(env, "bench", "outbox", "--messages", "400", "--rush-seats", "200", "--rush-requests", "60",
                   "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert re.search(r"batched\s+400 messages: relay drains\s+[\d,]+/s", done.stdout)
    assert re.search(r"commit -> applied latency: p50 [\d,]+ ms, p99 [\d,]+ ms over \d+ orders", done.stdout)


def _outbox_rows(app) -> int:
    with app.uow() as tx:
        return tx.session.execute(text("SELECT count(*) FROM outbox")).scalar_one()


def test_bench_pg_alone_runs_the_sale_statement_in_pgbench_and_the_real_path(app, env):
    venues_before = {v.venue_id for v in app.catalog.list_venues()}
    outbox_before = _outbox_rows(app)
    done = run_cli(env, "bench", "pg-alone", "--seats", "40000", "--seconds", "1", "--requests", "60",
                   "--clients", "1,2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # pgbench ran the real sale statement: every transaction sold two fresh seats (an order each), none refused
    for run in report["pg_alone"]:
        assert run["sales"] > 0 and run["sales"] == run["transactions"]
    assert [(r["clients"], r["sales"]) for r in report["real"]] == [(1, 60), (2, 60)]
    assert re.search(r"ratio real path / PostgreSQL alone, best of each: [\d.]+", done.stdout)
    assert {v.venue_id for v in app.catalog.list_venues()} == venues_before  # its venue and orders are gone
    assert _outbox_rows(app) == outbox_before  # and its outbox rows: no relay ever sees a message of a deleted session


def test_the_pgbench_script_is_the_sale_statement_with_every_parameter_filled():
    script = pgbench_sale_script(Decimal("30.00"))
    assert "%(" not in script
    assert "INSERT INTO orders" in script and "ARRAY[:a, :a + 1]" in script
    assert script.count(";") == 1 and script.rstrip().endswith(";")  # one statement: pgbench's one transaction


def test_bench_rush_degraded_prints_the_database_only_path_beside_the_real_one(app, env):
    done = run_cli(env, "bench", "rush", "--seats", "60", "--requests", "300", "--workers", "2", "--degraded",
                   "--skip-baseline", "--json")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "degraded path: Redis unreachable" in out and out.count("double-sold seats            0") == 2
    assert re.search(r"ratio completed req/s real / degraded: [\d.]+x", out)
    report = json.loads(out.strip().splitlines()[-1])
    deg = report["degraded"]
    assert deg["successful"] > 0 and deg["double_sold"] == 0
    assert deg["orders_from_database"] == deg["successful"]  # every sale went the database-only path
    assert deg["db_transactions"] == deg["successful"] + deg["rejected_by"].get("seats_unavailable", 0)
