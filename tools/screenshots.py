"""The README's screenshots of the box office's day, drawn offscreen on real servers:

    QT_QPA_PLATFORM=offscreen BOXOFFICE_DATABASE_URL=... BOXOFFICE_REDIS_URL=... .venv/bin/python tools/screenshots.py

It makes its own database (``boxoffice_shots``, dropped first if it is there) and Redis prefix, loads the demo (price
types included), opens a till for alice, sells a few orders, and grabs the sale window with mixed price types and a
split payment (docs/clerk-window-day.png) and its Till menu's X report (docs/till-x-report.png).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from boxoffice.bootstrap import build  # noqa: E402
from boxoffice.config import load_settings  # noqa: E402
from boxoffice.domain.values import Tender  # noqa: E402
from boxoffice.services.booking import SaleRequest  # noqa: E402
from boxoffice.services.demo import load_demo  # noqa: E402

DOCS = ROOT / "docs"
DB = "boxoffice_shots"


def settle(ms: int = 600) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait(predicate, ms: int = 10_000) -> None:  # noqa: ANN001
    waited = 0
    while not predicate() and waited < ms:
        settle(50)
        waited += 50
    if not predicate():
        raise SystemExit("screenshots: timed out waiting for the window")


def main() -> int:
    base = load_settings()
    if not (base.database_url and base.redis_url):
        raise SystemExit("set BOXOFFICE_DATABASE_URL and BOXOFFICE_REDIS_URL (the screenshots need real servers)")
    admin = base.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    url = admin.rsplit("/", 1)[0] + f"/{DB}"
    settings = replace(base, database_url=url, redis_prefix="shots", require_till=True, workstation="window-3")
    app = build(settings, migrate=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    qt.setStyleSheet((ROOT / "resources" / "styles" / "app.qss").read_text(encoding="utf-8"))
    try:
        load_demo(app.catalog, app.inventory, app.accounts)
        now = datetime.now(timezone.utc)
        match = next(s for s in app.catalog.list_sessions() if s.venue == "City Stadium" and s.sales_open(now))
        alice = app.accounts.get("alice")
        shift = app.tills.open("alice", Decimal("150.00"), "window-3")["shift_id"]
        sid = match.session_id
        app.booking.sell(SaleRequest(sid, "alice", seats=("N1-A-1", "N1-A-2"), price_types=("adult", "child"),
                                     payment="cash", tendered=Decimal("100.00")))
        three = 3 * app.catalog.price_list(sid).price(
            app.catalog.layout(match.venue_id).by_label["N1-B-6"].zone, "adult")
        app.booking.sell(SaleRequest(sid, "alice", seats=("N1-B-6", "N1-B-7", "N1-B-8"),
                                     tenders=(Tender("card", Decimal("60.00")), Tender("cash", three - 60))))
        from ui.sale_window import SaleWindow
        from ui.tasks import TaskRunner
        from ui.till_dialogs import ReportDialog

        runner = TaskRunner()
        win = SaleWindow(app.desk, runner, match, app.catalog.layout(match.venue_id), alice)
        win.ask_before_closing = False
        win.resize(1280, 860)
        win.show()
        wait(lambda: win.map.version >= 0 and win.holds_panel.loaded)
        layout = app.catalog.layout(match.venue_id)
        picks = [layout.by_label[label].index for label in ("N1-C-3", "N1-C-4", "N1-C-5")]
        win.map.select(picks)
        win.map.center_on(picks[0])
        settle()
        win.seats.item(1).setSelected(True)
        win.cycle_price_type()  # the middle seat: child
        win.seats.clearSelection()
        win.tender.split.setChecked(True)
        win.tender.card.setText("30")
        win.cash_given.setText("120")
        settle()
        win.grab().save(str(DOCS / "clerk-window-day.png"))
        report = ReportDialog(app.desk, runner, app.accounts.get("sam"), shift_id=shift, parent=win)
        report.show()
        settle(1500)
        report.grab().save(str(DOCS / "till-x-report.png"))
        report.close()
        win.close()
        from ui.live_feed import wait_for_feeds

        wait_for_feeds(15_000)  # a feed thread still reading when the process ends would abort it
        runner.shutdown()
        QCoreApplication.processEvents()
    finally:
        app.close()
    print("screenshots written to", DOCS)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
