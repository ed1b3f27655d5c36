"""Synthetic venues for benchmarks: a layout document of any number of seats (rows of :data:`ROW`, one price zone).

Pure: it only builds the document that :func:`boxoffice.domain.layout.parse_layout` reads. The command-line
benchmarks (``boxoffice bench``), the fault scenarios (``boxoffice chaos``) and the seat map's paint benchmark
(``python -m ui.bench_map``) import it.
"""

from __future__ import annotations

from typing import Any

#: seats in a row of a synthetic venue
ROW = 20


def bench_layout_doc(seats: int, name: str) -> dict[str, Any]:
    """A ``boxoffice-layout/1`` document of ``seats`` seats in rows of :data:`ROW`, every seat in zone ``G``."""
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
