"""``python -m ui.bench_map``: paint speed of the seat map against a naive per-seat painter, in one run.

Figures: a full paint of the stadium at 1920×1080 (fit to the window, and zoomed ×4), a one-seat update (apply the
change and repaint its rectangle), each the median and p95 of ``--repeat`` runs; the naive painter draws every seat
with its own ``setBrush`` + ``drawRect`` call. Needs no server: the map is fed a synthetic snapshot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from boxoffice.adapters.seatstore import Snapshot
from boxoffice.domain.bitmap import make_bitmap
from boxoffice.domain.layout import load_layout
from boxoffice.services.livemap import MapChange
from ui.seat_map import BACKGROUND, SeatMap

STADIUM = Path(__file__).resolve().parent.parent / "resources" / "layouts" / "stadium.json"


def timed(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.bench_map", description=__doc__)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QApplication.instance() or QApplication(sys.argv[:1])
    layout = load_layout(STADIUM)
    n = layout.capacity
    seat_map = SeatMap()
    seat_map.resize(1920, 1080)
    seat_map.set_layout(layout)
    sold = make_bitmap(n, range(0, n, 3))  # a third sold, spread over the bowl
    seat_map.set_snapshot(Snapshot(1, 1, sold, sold, n - len(range(0, n, 3)), n, "1", 0))
    target = QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied)

    def paint() -> None:
        p = QPainter(target)
        seat_map.render_view(p)
        p.end()

    t = time.perf_counter()
    paint()  # builds the base image once per snapshot
    first = (time.perf_counter() - t) * 1000
    fit = timed(paint, args.repeat)
    seat_map.zoom(4.0)
    zoomed = timed(paint, args.repeat)
    seat_map.fit()
    version = [1]

    def one_seat() -> None:
        version[0] += 1
        i = (version[0] * 7919) % n
        seat_map.apply([MapChange(version[0], "hold", (i,))])
        p = QPainter(target)
        p.setClipRect(QRect(0, 0, 64, 64))
        seat_map.render_view(p)
        p.end()

    update = timed(one_seat, args.repeat)

    def naive() -> None:
        p = QPainter(target)
        p.fillRect(target.rect(), BACKGROUND)
        p.setTransform(seat_map.transform())
        p.setPen(Qt.PenStyle.NoPen)
        for i, rect in enumerate(seat_map.rects):
            p.setBrush(seat_map.color(i))
            p.drawRect(rect)
        p.end()

    base = timed(naive, max(3, args.repeat // 10))
    print(f"seat map, {n:,} seats at 1920x1080 (medians / p95, ms)")
    print(f"  first paint after a snapshot (builds the base image) {first:8.1f}")
    print(f"  full paint, fit                                       {fit[0]:8.2f} / {fit[1]:.2f}")
    print(f"  full paint, zoomed x4                                 {zoomed[0]:8.2f} / {zoomed[1]:.2f}")
    print(f"  one-seat update                                       {update[0]:8.2f} / {update[1]:.2f}")
    print(f"  naive per-seat painter, full paint                    {base[0]:8.1f} / {base[1]:.1f}")
    print(f"  ratio naive / full paint (fit): {base[0] / fit[0]:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
