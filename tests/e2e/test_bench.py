"""The benchmarks run end to end on this run's servers (small sizes: this checks they work, not how fast)."""

from __future__ import annotations

import re

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
