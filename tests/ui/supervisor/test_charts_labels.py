"""The supervisor's charts keep long stand, zone and type names readable: a category label too long for its room
is cut with an ellipsis in the chart but read whole in the chart's tooltip; the axis titles fit."""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtGui import QFontMetrics

from boxoffice.services.booking import SaleRequest
from tests.conftest import make_layout, make_session, tiny_doc
from tests.ui.supervisor.test_supervisor_panels import open_panel, runner  # noqa: F401 - fixtures
from ui.supervisor.charts_panel import ChartsPanel

SHOTS = Path(os.environ["BOXOFFICE_SHOTS"]) if os.environ.get("BOXOFFICE_SHOTS") else None


def categories(view) -> list[str]:
    return [c for axis in view.chart().axes() if isinstance(axis, QBarCategoryAxis) for c in axis.categories()]


def test_long_names_fit_or_are_elided_with_the_whole_name_in_the_tooltip(qtbot, app, open_panel, tmp_path):  # noqa: F811
    doc = tiny_doc()
    main = doc["stands"][0]
    doc["stands"] = [{**main, "name": "Main Stand Lower Tier", "sections": main["sections"][:1]},
                     {"code": "N", "name": "North Stand Upper Tier", "sections": main["sections"][1:]}]
    for z in doc["zones"]:
        z["name"] = "Family / behind goals" if z["code"] == "B" else "Centre line premium"
    sid = make_session(app, make_layout(doc)).session_id
    app.booking.sell(SaleRequest(sid, "alice", seats=("S1-A-2", "S1-A-3")))
    panel = open_panel(ChartsPanel)
    panel.resize(1000, 640)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show_session(sid)
    qtbot.wait(100)
    panel.grab().save(str((SHOTS or tmp_path) / "charts-long-names.png"))
    for view in (panel.occupancy_view, panel.zones_view, panel.types_view):
        fm = QFontMetrics(QBarCategoryAxis().labelsFont())
        room = panel.label_room(view)
        for label in categories(view):
            assert "<br>" in label, label  # name and figures on two lines
            for line in label.split("<br>"):
                line = html.unescape(line)
                assert fm.horizontalAdvance(line) <= room or line.endswith("…"), (view.objectName(), line, room)
        tip = view.toolTip()
        assert all(name in tip for name in panel.full_labels(view)), tip
    assert not any(line.endswith("…") for v in (panel.occupancy_view, panel.zones_view)
                   for label in categories(v) for line in label.split("<br>")), "these names fit when wrapped"
    assert any("North Stand Upper Tier" in x for x in panel.full_labels(panel.occupancy_view))
    assert any("Family / behind goals" in x for x in panel.full_labels(panel.zones_view))
