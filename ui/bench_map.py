"""``python -m ui.bench_map``: paint speed of the seat map against a naive per-seat painter, in one run.

Figures: a full paint of the stadium at 1920×1080 (fit to the window, and zoomed ×4) with the stand, section and row
labels on (as the windows paint it) and off, a one-seat update (apply the change and repaint its rectangle), each the
median and p95 of ``--repeat`` runs; the naive painter draws every seat with its own ``setBrush`` + ``drawRect`` call.
Needs no server: the map is fed a synthetic snapshot. The paint budget is 16 ms for a full paint with labels on.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from boxoffice.domain.bitmap import make_bitmap
from boxoffice.domain.layout import Layout, load_layout, parse_layout
from boxoffice.services.frontdesk import Snapshot
from boxoffice.services.livemap import MapChange
from ui.seat_map import BACKGROUND, SeatMap

STADIUM = Path(__file__).resolve().parent.parent / "resources" / "layouts" / "stadium.json"


def grid_layout(seats: int) -> Layout:
    """``seats`` seats in a 16:9 grid of rows of one zone (for sizes no real venue has)."""
    cols = math.ceil(math.sqrt(seats * 16 / 9))
    rows = []
    for r in range(math.ceil(seats / cols)):
        count = min(cols, seats - r * cols)
        rows.append({"label": f"R{r + 1}", "seats": [{"n": str(c + 1), "x": 5 + c * 10, "y": 5 + r * 10}
                                                     for c in range(count)]})
    return parse_layout({
        "format": "boxoffice-layout/1", "name": f"grid {seats}", "kind": "benchmark",
        "canvas": {"width": 10 + cols * 10, "height": 10 + len(rows) * 10},
        "zones": [{"code": "G", "name": "General", "price": "10.00", "color": "#2e7d32"}],
        "stands": [{"code": "G", "name": "Grid", "sections": [{"code": "G", "name": "Grid", "zone": "G",
                                                               "rows": rows}]}],
    })


def timed(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def timed_pair(seat_map: SeatMap, paint, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:  # noqa: ANN001
    """The same paint with labels on and off, sample after sample (so both see the same machine load)."""
    on: list[float] = []
    off: list[float] = []
    for _ in range(repeat):
        for labels, samples in ((False, off), (True, on)):
            seat_map.labels_on = labels
            t = time.perf_counter()
            paint()
            samples.append((time.perf_counter() - t) * 1000)
    seat_map.labels_on = True

    def stats(samples: list[float]) -> tuple[float, float]:
        samples.sort()
        return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]

    return stats(on), stats(off)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.bench_map", description=__doc__)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--seats", type=int, default=0, help="a synthetic 16:9 grid of this many seats instead of the stadium")
    ap.add_argument("--propagation", type=int, default=0, metavar="N",
                    help="also time N sales in another process until this process's map shows them "
                         "(uses the configured servers, or the embedded ones)")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QApplication.instance() or QApplication(sys.argv[:1])
    layout = grid_layout(args.seats) if args.seats else load_layout(STADIUM)
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
    seat_map.rebuild_base_now()  # once per snapshot; the widget does it on a worker thread
    first = (time.perf_counter() - t) * 1000
    fit, fit_bare = timed_pair(seat_map, paint, args.repeat)
    fit_labels = len(seat_map.painted_labels)
    seat_map.zoom(4.0)
    zoomed, zoomed_bare = timed_pair(seat_map, paint, args.repeat)
    zoomed_labels = len(seat_map.painted_labels)
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
    print(f"  base image after a snapshot (a worker thread's job)   {first:8.1f}")
    print(f"  full paint, fit                                       {fit[0]:8.2f} / {fit[1]:.2f}"
          f"   ({fit_labels} labels)")
    print(f"  full paint, fit, labels off                           {fit_bare[0]:8.2f} / {fit_bare[1]:.2f}")
    print(f"  full paint, zoomed x4                                 {zoomed[0]:8.2f} / {zoomed[1]:.2f}"
          f"   ({zoomed_labels} labels)")
    print(f"  full paint, zoomed x4, labels off                     {zoomed_bare[0]:8.2f} / {zoomed_bare[1]:.2f}")
    worst = max(fit[0], zoomed[0])
    print(f"  budget: full paint with labels on <= 16 ms: {'met' if worst <= 16 else 'MISSED'} ({worst:.2f} ms)")
    print(f"  one-seat update                                       {update[0]:8.2f} / {update[1]:.2f}")
    print(f"  naive per-seat painter, full paint                    {base[0]:8.1f} / {base[1]:.1f}")
    print(f"  ratio naive / full paint (fit): {base[0] / fit[0]:.0f}x")
    if args.propagation:
        propagation(args.propagation)
    return 0


def _seller(settings: object, session_id: int, user: object, seats: int, start: object, queue: object) -> None:
    """Process A: sells one seat at a time, ~50 a second, through its own FrontDesk (as a window does), and reports
    when each sale was sent."""
    from boxoffice.bootstrap import build

    app = build(settings, pool_size=1)
    desk = app.desk
    start.wait()  # type: ignore[attr-defined]
    for i in range(seats):
        sent = time.time()
        desk.sell(user, session_id, (i,))  # type: ignore[arg-type]
        queue.put((i, sent))  # type: ignore[attr-defined]
        time.sleep(0.02)
    app.close()


def propagation(n: int) -> None:
    """Sale sent in process A → the seat shows sold on this process's map (median and p95, ms)."""
    import multiprocessing as mp
    import secrets

    from PySide6.QtCore import QCoreApplication

    from boxoffice.bench.common import scratch_session
    from boxoffice.bootstrap import build, resolve_servers
    from boxoffice.config import load_settings
    from ui.live_feed import LiveFeed, wait_for_feeds
    from ui.seat_map import connect_feed

    settings = resolve_servers(load_settings())
    app = build(settings, migrate=True)
    desk = app.desk  # this process reads the map as a window does
    with scratch_session(app, n, f"bench map {secrets.token_hex(3)}") as scratch:
        sid = scratch.session_id
        layout = desk.session_layout(sid)
        seat_map = SeatMap()
        seat_map.resize(800, 600)
        seat_map.set_layout(layout)
        shown: dict[int, float] = {}
        feed = LiveFeed(desk, sid)
        connect_feed(feed, seat_map)
        feed.changed.connect(lambda changes: shown.update(
            {i: time.time() for c in changes if c.op == "sold" for i in c.seats}))
        feed.start()
        ctx = mp.get_context("spawn")
        start, queue = ctx.Event(), ctx.Queue()
        seller = ctx.Process(target=_seller, args=(settings, sid, scratch.seller, layout.capacity, start, queue))
        seller.start()
        while seat_map.version < 0:
            QCoreApplication.processEvents()
        start.set()
        sent: dict[int, float] = {}
        deadline = time.time() + 120
        while (len(sent) < n or len(shown) < n) and time.time() < deadline:
            QCoreApplication.processEvents()
            while not queue.empty():
                i, t = queue.get()
                sent[i] = t
            time.sleep(0.001)
        seller.join(30)
        feed.stop()
        wait_for_feeds()
        lat = sorted((shown[i] - sent[i]) * 1000 for i in sent if i in shown)
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else float("nan")
        print(f"  sale in process A -> map in process B, {len(lat)} sales: median {statistics.median(lat):.1f} ms, "
              f"p95 {p95:.1f} ms (from the sale being sent in A)")
    app.close()

if __name__ == "__main__":
    sys.exit(main())
