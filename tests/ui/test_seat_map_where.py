"""Issue 13, item 15 and the map side of item 6: the seat map shows where you are.

Walkthroughs on the shipped stadium and sports hall: stand, section and row labels at readable zooms (and not
below); the pitch and the court lines; the mini-map follows the view and a click on it moves the view; "Whole venue"
(the button and Home, on the clerk's and the supervisor's map) shows every seat; the legend names the wheelchair
places with the map's symbol; on real servers, a clerk's own hold has its own colour and the "held by X until HH:MM"
tooltip survives a one-pixel move inside the seat.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QToolTip, QVBoxLayout, QWidget

from boxoffice.domain.bitmap import make_bitmap
from boxoffice.domain.layout import load_layout
from boxoffice.services.frontdesk import Snapshot
from tests.conftest import ROOT
from ui.sale_window import SaleWindow
from ui.seat_map import (
    ACCESSIBLE_MARK,
    COURT_MIN,
    HELD,
    OWN_HELD,
    PITCH,
    ROW_LABEL_PX,
    MapLegend,
    SeatMap,
)
from ui.supervisor.drift_map import DriftMap
from ui.tasks import TaskRunner

LAYOUTS = ROOT / "resources" / "layouts"


@pytest.fixture(scope="module")
def stadium():
    return load_layout(LAYOUTS / "stadium.json")


@pytest.fixture(scope="module")
def courts():
    return load_layout(LAYOUTS / "courts.json")


def open_map(qtbot, layout, cls=SeatMap, size=(1200, 800)) -> SeatMap:
    """A map of ``layout`` with nothing sold, its base image drawn."""
    seat_map = cls()
    qtbot.addWidget(seat_map)
    seat_map.resize(*size)
    seat_map.show()
    seat_map.set_layout(layout)
    empty = make_bitmap(layout.capacity, ())
    seat_map.set_snapshot(Snapshot(1, 1, empty, empty, layout.capacity, layout.capacity, "1", 0))
    qtbot.waitUntil(lambda: seat_map.base_ready, timeout=10_000)
    return seat_map


def paint(seat_map: SeatMap) -> QImage:
    image = QImage(seat_map.size(), QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(image)
    seat_map.render_view(p)
    p.end()
    return image


def kinds(seat_map: SeatMap) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"stand": [], "section": [], "row": []}
    for kind, text in seat_map.painted_labels:
        out[kind].append(text)
    return out


def test_stand_and_section_labels_whole_venue_and_row_labels_only_zoomed_in(qtbot, stadium):
    seat_map = open_map(qtbot, stadium)
    paint(seat_map)
    labels = kinds(seat_map)
    assert sorted(labels["stand"]) == ["East Stand", "North Stand", "South Stand", "West Stand"]
    assert "N1" in labels["section"] and len(labels["section"]) > 40  # the sections' codes, from the whole view
    assert labels["row"] == []  # a row is 3 px high here: its label would be unreadable
    assert seat_map._geometry.seat_size * seat_map.scale < ROW_LABEL_PX

    with_labels = paint(seat_map)
    seat_map.labels_on = False
    without = paint(seat_map)
    assert seat_map.painted_labels == [] and with_labels != without  # the labels are pixels on the map
    seat_map.labels_on = True

    north = next(s for s in stadium.seats if s.section == "N3" and s.row == "A")
    while seat_map._geometry.seat_size * seat_map.scale < ROW_LABEL_PX:
        seat_map.zoom(1.25, seat_map.to_widget(north.index))
    paint(seat_map)
    labels = kinds(seat_map)
    assert "A" in labels["row"] and "B" in labels["row"]  # readable: the rows are named at both ends
    assert "N3" in labels["section"]
    seat_map.zoom(0.7, seat_map.to_widget(north.index))  # one step below the readable zoom
    paint(seat_map)
    assert kinds(seat_map)["row"] == []


def test_the_pitch_is_drawn_in_the_space_the_stands_surround(qtbot, stadium):
    seat_map = open_map(qtbot, stadium)
    pitch = seat_map._geometry.pitch
    assert pitch is not None and pitch.contains(QPointF(*stadium.focus))
    assert not any(pitch.intersects(r) for r in seat_map.rects)  # no seat on the pitch
    assert pitch.width() > 0.25 * stadium.width and pitch.height() > 0.2 * stadium.height
    image = seat_map.grab().toImage()
    grass = seat_map.transform().map(QPointF(pitch.center().x() - pitch.width() / 4, pitch.center().y()
                                             - pitch.height() / 4)).toPoint()
    assert image.pixelColor(grass) == PITCH


def test_a_hall_of_courts_has_court_lines_and_no_pitch(qtbot, courts):
    seat_map = open_map(qtbot, courts)
    g = seat_map._geometry
    assert g.pitch is None and len(g.courts) == 12 == courts.capacity
    image = paint(seat_map)
    assert "Court 1" in kinds(seat_map)["section"] and "Main Hall" in kinds(seat_map)["stand"]
    assert sorted(set(kinds(seat_map)["row"])) == ["1", "2"]
    court = seat_map._widget_rect(g.courts[0])
    assert min(court.width(), court.height()) >= COURT_MIN
    net = QPoint(round(court.center().x() - court.width() / 4), round(court.center().y()))
    zone = QColor(courts.zone_by_code[courts.seats[g.courts[0]].zone].color)
    assert image.pixelColor(net) != zone and image.pixelColor(net).lightness() > zone.lightness()


def test_the_mini_map_follows_the_view_and_a_click_moves_it(qtbot, stadium):
    seat_map = open_map(qtbot, stadium)
    mini = seat_map.minimap
    assert mini.isHidden()  # the whole venue is in view: no overview needed
    seat_map.zoom(5.0)
    assert mini.isVisible()
    k = mini.scale()

    def expected():
        area = seat_map.visible_area()
        return QPointF(1 + area.center().x() * k, 1 + area.center().y() * k)

    first = mini.view_rect()
    assert (first.center() - expected()).manhattanLength() < 3
    assert first.width() < mini.width() / 2
    qtbot.mousePress(seat_map, Qt.MouseButton.RightButton, pos=QPoint(600, 400))  # pan right by 200 px
    qtbot.mouseMove(seat_map, QPoint(800, 400))
    qtbot.mouseRelease(seat_map, Qt.MouseButton.RightButton, pos=QPoint(800, 400))
    moved = mini.view_rect()
    assert moved.center().x() < first.center().x() - 1  # the view went west: so did its rectangle
    assert (moved.center() - expected()).manhattanLength() < 3

    target = QPoint(round(mini.width() * 0.8), round(mini.height() * 0.2))  # the north-east corner
    qtbot.mouseClick(mini, Qt.MouseButton.LeftButton, pos=target)
    centre = seat_map.visible_area().center()
    assert abs(centre.x() - (target.x() - 1) / k) < 2 / k + 1 and abs(centre.y() - (target.y() - 1) / k) < 2 / k + 1
    assert (mini.view_rect().center() - QPointF(target)).manhattanLength() < 4


@pytest.mark.parametrize("cls", [SeatMap, DriftMap], ids=["clerk", "supervisor"])
def test_whole_venue_button_and_home_show_every_seat(qtbot, stadium, cls):
    window = QWidget()
    qtbot.addWidget(window)
    box = QVBoxLayout(window)
    field = QLineEdit("abc")
    box.addWidget(field)
    listing = QListWidget()
    listing.addItems(["first", "second", "third"])
    box.addWidget(listing)
    seat_map = cls()
    box.addWidget(seat_map, 1)
    window.resize(900, 700)
    window.show()
    seat_map.set_layout(stadium)

    def every_seat_in_view() -> bool:
        view = seat_map.rect()
        return all(view.contains(seat_map._widget_rect(i).toAlignedRect()) for i in range(0, stadium.capacity, 97))

    seat_map.zoom(6.0)
    assert not every_seat_in_view() and not seat_map.shows_whole_venue()
    assert seat_map.fit_button.isVisible()
    qtbot.mouseClick(seat_map.fit_button, Qt.MouseButton.LeftButton)
    assert seat_map.shows_whole_venue() and every_seat_in_view()
    # no seat under the button: the fitted venue starts below it
    assert seat_map._widget_rect(min(range(stadium.capacity), key=lambda i: stadium.seats[i].y)).top() \
        >= seat_map.fit_button.geometry().bottom() - 1

    seat_map.zoom(6.0)
    window.activateWindow()
    field.setFocus()
    field.setCursorPosition(3)
    qtbot.keyClick(field, Qt.Key.Key_Home)  # in a text field Home is the text field's
    assert field.cursorPosition() == 0 and not seat_map.shows_whole_venue()
    listing.setFocus()
    listing.setCurrentRow(2)
    qtbot.keyClick(listing, Qt.Key.Key_Home)  # in a list Home is the list's first line
    assert listing.currentRow() == 0 and not seat_map.shows_whole_venue()
    seat_map.setFocus()
    qtbot.keyClick(seat_map, Qt.Key.Key_Home)
    assert seat_map.shows_whole_venue() and every_seat_in_view()


def test_the_legend_shows_the_wheelchair_symbol_of_the_map(qtbot, stadium, courts):
    legend = MapLegend(stadium)
    qtbot.addWidget(legend)
    entries = dict(legend.entries)
    assert entries["accessible"] == "wheelchair place"
    assert entries["own"] == "held by you" and entries["held"] == "held by another clerk"
    icon = legend.findChild(QWidget, "legend-accessible").pixmap().toImage()
    assert icon.pixelColor(icon.width() // 2, icon.height() // 2) == ACCESSIBLE_MARK  # the symbol on the map
    assert "accessible" not in dict(MapLegend(courts).entries)  # a hall without wheelchair places says nothing

    seat_map = open_map(qtbot, stadium)
    place = next(s.index for s in stadium.seats if s.accessible)
    seat_map.center_on(place)
    image = paint(seat_map)
    assert image.pixelColor(seat_map.to_widget(place).toPoint()) == ACCESSIBLE_MARK


# -- on real servers ------------------------------------------------------------------------------------------------


def test_the_held_by_tooltip_stays_when_the_mouse_moves_a_pixel_in_the_seat(qtbot, app, session, live_map):
    issued = app.store.issue_token(session.session_id, "bob", 1, 30_000)
    app.store.deduct(session.session_id, issued.token, [14], "bob", 60_000)
    qtbot.waitUntil(lambda: live_map.state(14) == "held", timeout=5000)
    at = live_map.to_widget(14).toPoint()
    qtbot.mouseMove(live_map, QPoint(2, 2))  # from off the seats (an earlier test may have left the mouse on it)
    QToolTip.hideText()
    with qtbot.waitSignal(live_map.hold_hovered):
        qtbot.mouseMove(live_map, at)
    hold = app.desk.hold_of_seat(session.session_id, 14)  # what the window looks up off the GUI thread
    live_map.show_hold(14, hold.clerk, hold.expires_ms)
    qtbot.waitUntil(lambda: "held by bob until" in QToolTip.text(), timeout=3000)
    for step in (QPoint(1, 0), QPoint(1, 1), QPoint(0, 1)):  # a pixel at a time inside the seat
        qtbot.mouseMove(live_map, at + step)
        assert "held by bob until" in QToolTip.text()
    other = live_map.to_widget(15).toPoint()  # the free seat next to it: its own tooltip, no holder
    qtbot.mouseMove(live_map, other)
    qtbot.waitUntil(lambda: "S1-B-6" in QToolTip.text(), timeout=3000)
    assert "held by" not in QToolTip.text()
    qtbot.mouseMove(live_map, at)  # back on the held seat: who holds it is remembered
    assert "held by bob until" in QToolTip.text()
    qtbot.mouseMove(live_map, QPoint(2, 2))  # the mouse leaves (the next test's map starts without it on a seat)


def test_own_holds_have_their_own_colour(qtbot, app, session):
    runner = TaskRunner()
    layout = app.catalog.layout(session.venue_id)
    bob = SaleWindow(app.desk, runner, session, layout, app.accounts.get("bob"))
    alice = SaleWindow(app.desk, runner, session, layout, app.accounts.get("alice"))
    try:
        for win in (bob, alice):
            qtbot.addWidget(win)
            win.show()
            qtbot.waitUntil(lambda win=win: win.map.version >= 0, timeout=5000)
        alice.activateWindow()
        alice.map.select([38, 39])
        qtbot.mouseClick(alice.hold_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: alice.held is not None, timeout=5000)
        qtbot.waitUntil(lambda: bob.map.state(38) == "held", timeout=5000)
        assert alice.map.state(38) == alice.map.state(39) == "own"
        assert OWN_HELD != HELD
        for win, colour in ((alice, OWN_HELD), (bob, HELD)):
            qtbot.waitUntil(lambda win=win: win.map.base_ready, timeout=5000)
            image = win.map.grab().toImage()
            assert image.pixelColor(win.map.to_widget(38).toPoint()) == colour
        assert "held by you" in alice.map.describe(38) and "held by you" not in bob.map.describe(38)
        alice.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is alice, timeout=3000)
        qtbot.keyClick(alice, Qt.Key.Key_Escape)  # put aside under My holds: still the own colour
        assert alice.held is None and alice.map.state(38) == "own"
        alice.holds_panel.release_button.click()  # given back: free again on both maps, no own colour left
        qtbot.waitUntil(lambda: alice.map.state(38) == "free" == bob.map.state(38), timeout=5000)
        assert 38 not in alice.map.own_held
    finally:
        for win in (alice, bob):
            win.close()
        runner.shutdown()


@pytest.mark.parametrize("size", [(1200, 800), (900, 560), (760, 520), (640, 480)])
def test_no_section_code_is_drawn_under_a_stand_name(qtbot, stadium, size):
    """Review finding 12: "North Stand" over the N8/N10 codes on the supervisor's map. A section code whose box
    would touch a stand name's box is left out (not only one whose centre is under it)."""
    seat_map = open_map(qtbot, stadium, DriftMap, size)
    paint(seat_map)
    stands = [box for kind, _, box in seat_map.label_boxes if kind == "stand"]
    sections = [(text, box) for kind, text, box in seat_map.label_boxes if kind == "section"]
    assert stands and sections
    for text, (left, top, right, bottom) in sections:
        for sl, st, sr, sb in stands:
            assert not (left < sr and sl < right and top < sb and st < bottom), f"{text} under a stand name at {size}"
