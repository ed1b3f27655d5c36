"""``python -m ui.supervisor.bench``: what the supervisor screen costs the GUI thread, and how fast its map opens.

On the configured servers (``BOXOFFICE_DATABASE_URL`` / ``BOXOFFICE_REDIS_URL``, or the embedded ones) it loads the
demo (idempotent: a week of stadium and badminton sessions, ~100 current sessions) and tops the current sessions up
to ``--sessions`` with badminton sessions if needed, opens the supervisor screen (offscreen unless a platform is
set) and measures:

- the stadium's map: from choosing the stadium's row to its seats drawn (then the badminton courts, then the
  stadium again: the layouts are cached after the first time), in ms;
- for ``--seconds`` with the screen open on the stadium (its map live): the GUI thread's CPU time over the wall
  time (``time.thread_time`` on the GUI thread), and the intervals between the checks' answers.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt
from PySide6.QtWidgets import QApplication


def _wait(condition, timeout_s: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents()
        time.sleep(0.002)
    return True


def _row_of(window, session_id: int) -> int | None:  # noqa: ANN001
    model = window.table.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(Qt.ItemDataRole.UserRole) == session_id:
            return row
    return None


def _map_drawn(window, layout) -> bool:  # noqa: ANN001
    m = window.map
    return m.layout_ is layout and m.version >= 0 and m.base_ready and not getattr(m, "loading", "")


def open_map_ms(window, session_id: int, layout) -> float:  # noqa: ANN001
    """Choose a session's row and wait until its map is drawn."""
    if not _wait(lambda: _row_of(window, session_id) is not None, 60):
        raise SystemExit(f"session {session_id} never showed in the table")
    clock = QElapsedTimer()
    clock.start()
    window.table.selectRow(_row_of(window, session_id))
    if not _wait(lambda: _map_drawn(window, layout), 60):
        raise SystemExit(f"the map of session {session_id} was not drawn within 60 s")
    return clock.nsecsElapsed() / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.supervisor.bench", description=__doc__)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the screen stays open for the CPU figure")
    ap.add_argument("--sessions", type=int, default=100, help="at least this many current sessions")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QApplication.instance() or QApplication(sys.argv[:1])

    from boxoffice.bootstrap import build, resolve_servers
    from boxoffice.config import load_settings
    from ui.live_feed import wait_for_feeds
    from ui.supervisor.window import SupervisorWindow
    from ui.tasks import TaskRunner

    settings = resolve_servers(load_settings())
    app = build(settings, migrate=True)
    app.desk.load_demo()
    now = datetime.now(timezone.utc)
    current = app.catalog.list_sessions(now)
    courts = next(s for s in current if "Badminton" in s.name)
    stadium = next(s for s in current if "City FC" in s.name)
    for i in range(max(0, args.sessions - len(current))):
        start = (now + timedelta(days=30, hours=i)).replace(minute=0, second=0, microsecond=0)
        info, new = app.catalog.create_session(courts.venue_id, f"Badminton extra {i + 1}", start)
        if new:
            app.inventory.rebuild(info.session_id)
    sessions = len(app.catalog.list_sessions(now))
    supervisor = app.accounts.get("sam")

    arrivals: list[float] = []
    original = SupervisorWindow.on_reports_loaded

    def counted(self, reports):  # noqa: ANN001, ANN202
        arrivals.append(time.monotonic())
        return original(self, reports)

    SupervisorWindow.on_reports_loaded = counted  # type: ignore[method-assign]
    runner = TaskRunner()
    window = SupervisorWindow(app.desk, runner, supervisor)
    window.resize(1400, 900)
    window.show()
    stadium_layout = app.catalog.layout(stadium.venue_id)
    courts_layout = app.catalog.layout(courts.venue_id)
    if not _wait(lambda: arrivals, 120):
        raise SystemExit("no check answered within 120 s")
    first = open_map_ms(window, stadium.session_id, stadium_layout)
    other = open_map_ms(window, courts.session_id, courts_layout)
    again = open_map_ms(window, stadium.session_id, stadium_layout)

    arrivals.clear()
    wall0, cpu0 = time.monotonic(), time.thread_time()
    _wait(lambda: time.monotonic() - wall0 >= args.seconds, args.seconds + 5)
    wall, cpu = time.monotonic() - wall0, time.thread_time() - cpu0
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    interval = getattr(window, "interval_ms", None) or window.timer.interval()
    print(f"supervisor screen over {sessions} current sessions ({interval} ms check interval)")
    print(f"  stadium map opened (first time)        {first:8.0f} ms")
    print(f"  badminton courts map opened            {other:8.0f} ms")
    print(f"  stadium map opened again               {again:8.0f} ms")
    print(f"  GUI thread CPU over {wall:.0f} s open            {cpu / wall * 100:8.1f} %  ({cpu:.2f} s CPU)")
    if gaps:
        print(f"  checks answered: {len(arrivals)}, interval median {statistics.median(gaps):.1f} s, "
              f"min {min(gaps):.1f} s, max {max(gaps):.1f} s")
    else:
        print(f"  checks answered: {len(arrivals)}")
    window.close()
    wait_for_feeds()
    runner.shutdown()
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
