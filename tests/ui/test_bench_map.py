"""The map benchmark runs and prints its figures (small repeat count: this checks it works, not how fast)."""

from __future__ import annotations

import re

from ui.bench_map import main


def test_bench_map_prints_medians_and_the_ratio(capsys):
    assert main(["--repeat", "3"]) == 0
    out = capsys.readouterr().out
    assert "63,312 seats" in out
    assert re.search(r"full paint, fit\s+[\d.]+ / [\d.]+", out)
    assert re.search(r"one-seat update\s+[\d.]+ / [\d.]+", out)
    assert re.search(r"ratio naive / full paint \(fit\): \d+x", out)
