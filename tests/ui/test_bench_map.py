"""The map benchmark runs and prints its figures (small repeat count: this checks it works, not how fast)."""

from __future__ import annotations

import re

from ui.bench_map import main


def test_bench_map_prints_medians_and_the_ratio(capsys):
    assert main(["--repeat", "3"]) == 0
    out = capsys.readouterr().out
    assert "63,312 seats" in out
    assert re.search(r"full paint, fit\s+[\d.]+ / [\d.]+\s+\((\d+) labels\)", out)
    assert re.search(r"full paint, fit, labels off\s+[\d.]+ / [\d.]+", out)
    zoomed = re.search(r"full paint, zoomed x4\s+[\d.]+ / [\d.]+\s+\((\d+) labels\)", out)
    assert zoomed and int(zoomed.group(1)) > 0  # zoomed in, the stadium's row labels are drawn
    assert re.search(r"budget: full paint with labels on <= 16 ms: (met|MISSED)", out)
    assert re.search(r"one-seat update\s+[\d.]+ / [\d.]+", out)
    assert re.search(r"ratio naive / full paint \(fit\): \d+x", out)


def test_bench_map_measures_propagation_between_processes(app, env):
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "ui.bench_map", "--repeat", "2", "--propagation", "15"],
                          env={**env, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    found = re.search(r"map in process B, 15 sales: median (-?[\d.]+) ms, p95 (-?[\d.]+) ms", done.stdout)
    assert found, done.stdout
    median, p95 = float(found.group(1)), float(found.group(2))
    assert 0 <= median <= p95  # measured from the sale being sent: a seat cannot show sold before that
