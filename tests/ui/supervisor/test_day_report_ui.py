"""The supervisor's "Day report…" (pytest-qt, real servers): the files are written off the GUI thread, with a
progress dialog, and hold the day's figures; the charts show occupancy in % and the seats sold per price type."""

from __future__ import annotations

import csv
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QTimer
from sqlalchemy import update

from boxoffice.adapters import models
from boxoffice.services.booking import SaleRequest
from tests.conftest import make_layout, make_session, tiny_doc
from ui.supervisor.charts_panel import ChartsPanel
from ui.supervisor.window import SupervisorWindow
from ui.tasks import TaskRunner

SHOTS = Path("/tmp/boxoffice-shots")


@pytest.fixture
def runner():
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def _price_types(app, venue_id: int) -> None:
    with app.uow() as tx:
        tx.session.add_all([
            models.PriceType(venue_id=venue_id, code="adult", name="Adult", position=0),
            models.PriceType(venue_id=venue_id, code="child", name="Child", position=1),
            models.PriceType(venue_id=venue_id, code="senior", name="Senior", position=2),
            models.ZonePrice(venue_id=venue_id, zone="A", price_type="child", price=Decimal("10.00")),
            models.ZonePrice(venue_id=venue_id, zone="B", price_type="child", price=Decimal("6.00")),
            models.ZonePrice(venue_id=venue_id, zone="A", price_type="senior", price=Decimal("15.00")),
        ])
        tx.commit()


def test_day_report_action_writes_the_files_without_blocking(qtbot, app, runner, monkeypatch, tmp_path):
    the_day = date(2055, 1, 1) + timedelta(days=random.randrange(3000))
    zone = "Europe/Paris"
    sid = make_session(app).session_id
    orders = [app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3"))).order_id,  # 40.00 cash
              app.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-4",), payment="card")).order_id]  # 12.50
    with app.uow() as tx:
        at = datetime.combine(the_day, clock(18), ZoneInfo(zone))
        tx.session.execute(update(models.Order).where(models.Order.id.in_(orders)).values(created_at=at))
        tx.session.execute(update(models.Payment).where(models.Payment.order_id.in_(orders)).values(created_at=at))
        tx.commit()
    real = app.desk.day_report

    def slow_report(*args):  # a busy database: the real report, a moment later
        time.sleep(0.8)
        return real(*args)

    monkeypatch.setattr(app.desk, "day_report", slow_report)
    window = SupervisorWindow(app.desk, runner, app.accounts.get("sam"), refresh_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    window.day_report_action.trigger()
    dialog = window.day_report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.zone.currentText() == app.desk.local_zone()  # the machine's zone by default
    dialog.date_edit.setDate(QDate(the_day.year, the_day.month, the_day.day))
    dialog.zone.setCurrentText(zone)
    assert dialog.csv_path.text().endswith(f"day-report-{the_day.isoformat()}.csv")
    dialog.csv_path.setText(str(tmp_path / "day.csv"))
    dialog.pdf_path.setText(str(tmp_path / "day.pdf"))

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    dialog.save_button.click()
    assert time.monotonic() - started < 0.3  # the click returns at once: the report is built on the runner
    assert dialog.progress is not None and dialog.progress.isVisible()
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        pass
    timer.stop()
    assert len([t for t in ticks if t - started < 0.8]) >= 10  # the event loop ran while the report was built
    assert dialog.progress is None and not dialog.isVisible()
    assert "day.csv" in window.status.text() and "day.pdf" in window.status.text()

    with (tmp_path / "day.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["section"], r["key"]): r for r in csv.DictReader(f)}
    assert Decimal(rows[("sessions", str(sid))]["gross"]) == Decimal("52.50")
    assert Decimal(rows[("methods", "card")]["gross"]) == Decimal("12.50")
    assert rows[("clerks", "bob")]["orders"] == "1"
    assert (tmp_path / "day.pdf").read_bytes().startswith(b"%PDF")
    window.close()


def test_day_report_errors_stay_in_the_dialog(qtbot, app, runner, tmp_path):
    window = SupervisorWindow(app.desk, runner, app.accounts.get("sam"), refresh_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    dialog = window.open_day_report()
    dialog.zone.setCurrentText("Mars/Olympus")
    dialog.csv_path.setText(str(tmp_path / "x.csv"))
    dialog.pdf_check.setChecked(False)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Mars/Olympus" in dialog.error.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.save_button.isEnabled() and not (tmp_path / "x.csv").exists()
    dialog.csv_check.setChecked(False)
    dialog.save_button.click()
    assert dialog.error.text() == "Choose a CSV or a PDF file to save."
    window.close()


def test_charts_show_occupancy_in_percent_and_seats_per_price_type(qtbot, app, runner):
    doc = tiny_doc()
    main = doc["stands"][0]
    doc["stands"] = [{**main, "sections": main["sections"][:1]},
                     {"code": "N", "name": "North", "sections": main["sections"][1:]}]
    info = make_session(app, make_layout(doc))
    _price_types(app, info.venue_id)
    sid = info.session_id
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3", "S1-A-4"),
                                 price_types=("adult", "child", "senior")))  # 20 + 10 + 15
    app.booking.sell(SaleRequest(sid, "bob", seats=("S2-C-1", "S2-C-2"), price_types=("child", "child")))  # 2 × 6

    panel = ChartsPanel(app.desk, runner, app.accounts.get("sam"))
    qtbot.addWidget(panel)
    panel.resize(1300, 760)
    panel.show()
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show_session(sid)
    axis = panel.occupancy_axis
    assert (axis.min(), axis.max()) == (0, 100) and "%" in axis.labelFormat()
    assert panel.occupancy_labels == ["Main: 15.0 %", "North: 10.0 %"]  # 3 of 20, 2 of 20
    assert [panel.occupancy_sets["sold"].at(i) for i in range(2)] == [3, 2]
    types = panel.type_sets
    assert list(types) == ["senior", "child", "adult"]  # bottom-up: adult on top
    assert [types["child"].at(i) for i in range(3)] == [0, 3, 0]
    assert [types["adult"].at(i) for i in range(3)] == [0, 0, 1]
    assert [(t.code, t.sold, t.revenue) for t in panel.figures.price_types] == [
        ("adult", 1, Decimal("20.00")), ("child", 3, Decimal("22.00")), ("senior", 1, Decimal("15.00"))]
    assert "12.5 % of the seats sold" in panel.message.text()  # 5 of 40
    SHOTS.mkdir(exist_ok=True)
    assert panel.grab().save(str(SHOTS / "charts.png"))
    panel.close()
