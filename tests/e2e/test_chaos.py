"""The fault harness runs end to end (quick mode): every scenario heals on its own, nothing double-sold or lost."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


@pytest.mark.timeout(900)  # 12 scenarios, about 2½ minutes when all heal; up to 25 s more for each that does not
def test_chaos_quick_every_scenario_heals_with_nothing_double_sold_or_lost(app, env):
    done = run_cli(env, "chaos", "--quick", "--json", timeout=900)
    assert done.stdout.strip(), done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    rows = {s["name"]: s for s in report["scenarios"]}
    assert len(rows) >= 12
    failed = [f"{name}: {s['detail']}" for name, s in rows.items() if not s["ok"]]
    if failed:
        pytest.fail("scenarios that did not heal on their own:\n" + "\n".join(failed), pytrace=False)
    for s in rows.values():
        assert s["double_sold"] == 0 and s["lost"] == 0 and s["manual_steps"] == 0, s
        assert s["acknowledged"] > 0 and s["heal_s"] is not None, s
    assert done.returncode == 0, done.stderr


def test_chaos_rejects_an_unknown_scenario(env):
    done = run_cli(env, "chaos", "--scenario", "no-such-fault", "--json")
    assert done.returncode == 2
    assert "unknown scenario" in json.loads(done.stderr)["message"]
