"""The seat map: every seat of a layout drawn from its geometry, coloured by price zone and live state.

Drawing 60,000+ seats one call each is far too slow in Python. The widget keeps a *base image* of the whole map (at
most 4096 px on its longer side), drawn once per snapshot with one ``drawRects`` call per colour; a change repaints
only the changed seats into it. A paint, zoomed out, is the base image scaled by Qt in C++; zoomed in past the base
image's resolution, only the few visible seats (found through a grid) are drawn, sharp.
Changes arrive from :class:`ui.live_feed.LiveFeed` (:func:`connect_feed`). The base image is drawn on the task
runner's pool from immutable inputs (the geometry, the bitmaps and the selection copied on the GUI thread); only the
GUI thread touches the widget.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from boxoffice.domain.bitmap import bit
from boxoffice.domain.layout import Layout
from boxoffice.services.frontdesk import Snapshot
from boxoffice.services.livemap import FREEING, TAKING, MapChange

from .i18n import word
from .live_feed import LiveFeed
from .tasks import TaskRunner

log = logging.getLogger(__name__)

HELD = QColor("#ec407a")  # pink: unlike the usual orange and red zones
SOLD = QColor("#9aa0a8")
BLOCKED = QColor("#303030")
SELECTED = QColor("#6a1b9a")  # purple: unlike every zone colour and state
BACKGROUND = QColor("#fbfbfc")
CELL = 24.0  # hit-test grid cell, layout units
BASE_PIXELS = 4096  # the base image's longer side at most
SHARP_LIMIT = 3000  # zoomed in, up to this many visible seats are drawn one by one (sharp), more use the base image


class SeatGeometry:
    """What the map needs of a layout, computed once per layout (~0.1 s for a stadium) — on a worker thread: open a
    window with :meth:`of` called in the op that loaded the layout, and ``set_layout`` finds it ready."""

    _cache: dict[int, tuple[Layout, SeatGeometry]] = {}
    _lock = threading.Lock()

    def __init__(self, layout: Layout) -> None:
        self.rects = [QRectF(s.x - s.w / 2, s.y - s.h / 2, s.w, s.h) for s in layout.seats]
        by_zone = {z.code: QColor(z.color) for z in layout.zones}
        self.zone_colors = [by_zone[s.zone] for s in layout.seats]
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for s in layout.seats:
            grid[(int(s.x // CELL), int(s.y // CELL))].append(s.index)
        self.grid = dict(grid)
        self.row_of = [0] * layout.capacity
        for row_no, row in enumerate(layout.rows):
            for i in row:
                self.row_of[i] = row_no

    @classmethod
    def of(cls, layout: Layout) -> SeatGeometry:
        with cls._lock:
            hit = cls._cache.get(id(layout))
        if hit is not None and hit[0] is layout:
            return hit[1]
        geometry = cls(layout)
        with cls._lock:
            cls._cache[id(layout)] = (layout, geometry)  # layouts are cached per venue: a handful at most
        return geometry


STATE_COLORS = {"blocked": BLOCKED, "sold": SOLD, "held": HELD, "selected": SELECTED}


def seat_state(layout: Layout | None, i: int, taken: bytes, sold: bytes, selected: set[int] | frozenset[int]) -> str:
    if layout is not None and layout.seats[i].blocked:
        return "blocked"
    if bit(sold, i):
        return "sold"
    if bit(taken, i):
        return "held"
    return "selected" if i in selected else "free"


def draw_seats(p: QPainter, rects: Sequence[QRectF], seats: Iterable[int], color: Callable[[int], QColor]) -> None:
    """Seats batched by colour: one drawRects call per colour."""
    groups: dict[int, list[QRectF]] = defaultdict(list)
    colors: dict[int, QColor] = {}
    for i in seats:
        c = color(i)
        colors[c.rgba()] = c
        groups[c.rgba()].append(rects[i])
    p.setPen(Qt.PenStyle.NoPen)
    for key, rects_of in groups.items():
        p.setBrush(colors[key])
        p.drawRects(rects_of)


class BaseJob:
    """Everything a base image is drawn from, copied on the GUI thread: :meth:`render` is safe on any thread (it
    reads no widget)."""

    def __init__(self, layout: Layout, geometry: SeatGeometry, scale: float, taken: bytes, sold: bytes,
                 selected: frozenset[int]) -> None:
        self.layout, self.geometry, self.scale = layout, geometry, scale
        self.taken, self.sold, self.selected = taken, sold, selected

    def color(self, i: int) -> QColor:
        st = seat_state(self.layout, i, self.taken, self.sold, self.selected)
        return self.geometry.zone_colors[i] if st == "free" else STATE_COLORS[st]

    def render(self) -> QImage:
        size = QSize(math.ceil(self.layout.width * self.scale), math.ceil(self.layout.height * self.scale))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(BACKGROUND)
        p = QPainter(image)
        p.scale(self.scale, self.scale)
        draw_seats(p, self.geometry.rects, range(len(self.geometry.rects)), self.color)
        p.end()
        return image


_runner: TaskRunner | None = None


def _shared_runner() -> TaskRunner:
    """The runner of seat maps made without one (benchmarks, tests): made on first use, on the GUI thread."""
    global _runner
    if _runner is None:
        _runner = TaskRunner(max_threads=2)
    return _runner


class SeatMap(QWidget):
    """Shows one session; ``selection_changed`` carries the selected seat indices (ascending)."""

    selection_changed = Signal(tuple)
    #: the mouse rests on a held seat: the window looks up who holds it (off the GUI thread) and calls show_hold
    hold_hovered = Signal(int)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMap")
        #: draws the base images off the GUI thread (the window's runner, or one shared by maps without a window)
        self.runner = runner or _shared_runner()
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.layout_: Layout | None = None
        self.rects: list[QRectF] = []
        self.zone_colors: list[QColor] = []
        self.taken = b""
        self.sold = b""
        self.selected: set[int] = set()
        self.version = -1
        self.scale = 1.0
        self.offset = QPointF(0, 0)
        self._fitted = True  # the view shows the whole layout (a resize fits it again); False once zoomed or panned
        self._base: QImage | None = None
        self._base_scale = 1.0
        self._generation = 0
        self._dirty: set[int] | None = None  # seats changed while a base image is being drawn
        self._geometry: SeatGeometry | None = None
        self._grid: dict[tuple[int, int], list[int]] = {}
        self._row_of: list[int] = []
        self._press: QPointF | None = None
        self._drag: QRectF | None = None
        self._pan_from: QPointF | None = None
        self._anchor: int | None = None
        self._hovered_hold: int | None = None

    # -- data -----------------------------------------------------------------------------------------------------
    def set_layout(self, layout: Layout) -> None:
        self.layout_ = layout
        geometry = SeatGeometry.of(layout)
        self._geometry = geometry
        self.rects, self.zone_colors = geometry.rects, geometry.zone_colors
        self._grid, self._row_of = geometry.grid, geometry.row_of
        self.selected.clear()
        self._base, self._dirty = None, None
        self._generation += 1
        self._base_scale = min(1.0, BASE_PIXELS / max(layout.width, layout.height))
        self.fit()

    def set_snapshot(self, snap: Snapshot) -> None:
        self.taken, self.sold, self.version = snap.taken, snap.sold, snap.version
        lost = {i for i in self.selected if bit(self.taken, i)}
        if lost:
            self.selected -= lost
            self.selection_changed.emit(tuple(sorted(self.selected)))
        self._resync_base()

    def apply(self, changes: Sequence[MapChange]) -> None:
        """Apply announced changes in order; only the changed seats are repainted."""
        taken, sold = bytearray(self.taken), bytearray(self.sold)
        touched: set[int] = set()
        for change in changes:
            for i in change.seats:
                byte, mask = i >> 3, 0x80 >> (i & 7)
                for buf in (taken, sold):
                    if len(buf) <= byte:
                        buf.extend(b"\0" * (byte + 1 - len(buf)))
                if change.op in TAKING:
                    taken[byte] |= mask
                    if change.op == "sold":
                        sold[byte] |= mask
                elif change.op in FREEING:
                    taken[byte] &= ~mask & 0xFF
                    if change.op == "free":
                        sold[byte] &= ~mask & 0xFF
                touched.add(i)
            self.version = change.version
        self.taken, self.sold = bytes(taken), bytes(sold)
        lost = {i for i in touched & self.selected if bit(self.taken, i)}
        if lost:
            self.selected -= lost
            self.selection_changed.emit(tuple(sorted(self.selected)))
        self._repaint(touched)

    def state(self, i: int) -> str:
        return seat_state(self.layout_, i, self.taken, self.sold, self.selected)

    def color(self, i: int) -> QColor:
        st = self.state(i)
        return self.zone_colors[i] if st == "free" else STATE_COLORS[st]

    # -- view -----------------------------------------------------------------------------------------------------
    def transform(self) -> QTransform:
        return QTransform(self.scale, 0, 0, self.scale, self.offset.x(), self.offset.y())

    def fit(self) -> None:
        if self.layout_ is None or self.width() <= 0 or self.height() <= 0:
            return
        lay = self.layout_
        self.scale = min(self.width() / lay.width, self.height() / lay.height) * 0.98
        self.offset = QPointF((self.width() - lay.width * self.scale) / 2, (self.height() - lay.height * self.scale) / 2)
        self._fitted = True
        self._invalidate()

    def zoom(self, factor: float, around: QPointF | None = None) -> None:
        around = around or QPointF(self.width() / 2, self.height() / 2)
        before = self.to_layout(around)
        self.scale = max(0.05, min(40.0, self.scale * factor))
        self.offset = around - QPointF(before.x() * self.scale, before.y() * self.scale)
        self._fitted = False
        self._invalidate()

    def center_on(self, i: int) -> None:
        """Bring a seat to the middle of the view, zooming in to at least 3 px per unit."""
        seat = self.layout_.seats[i]  # type: ignore[union-attr]
        self.scale = max(self.scale, 3.0)
        self.offset = QPointF(self.width() / 2 - seat.x * self.scale, self.height() / 2 - seat.y * self.scale)
        self._fitted = False
        self._invalidate()

    def to_layout(self, p: QPointF) -> QPointF:
        return QPointF((p.x() - self.offset.x()) / self.scale, (p.y() - self.offset.y()) / self.scale)

    def to_widget(self, i: int) -> QPointF:
        seat = self.layout_.seats[i]  # type: ignore[union-attr]
        return QPointF(seat.x * self.scale + self.offset.x(), seat.y * self.scale + self.offset.y())

    def seat_at(self, p: QPointF) -> int | None:
        q = self.to_layout(p)
        cx, cy = int(q.x() // CELL), int(q.y() // CELL)
        best, best_d = None, math.inf
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for i in self._grid.get((gx, gy), ()):
                    r = self.rects[i]
                    if r.adjusted(-1, -1, 1, 1).contains(q):
                        d = (r.center().x() - q.x()) ** 2 + (r.center().y() - q.y()) ** 2
                        if d < best_d:
                            best, best_d = i, d
        return best

    # -- rendering ------------------------------------------------------------------------------------------------
    def _invalidate(self) -> None:
        """The view moved: nothing to redraw off screen, the next paint composes from the base image."""
        self.update()

    def _resync_base(self) -> None:
        """A new snapshot: draw a fresh base image on the runner's pool; until it is ready the old one (kept up to
        date with the changes that arrive meanwhile) is shown, so the GUI never waits for 60,000 seats."""
        assert self.layout_ is not None and self._geometry is not None
        self._generation += 1
        self._dirty = set()
        job = BaseJob(self.layout_, self._geometry, self._base_scale, self.taken, self.sold, frozenset(self.selected))
        generation = self._generation
        self.runner.run(job.render, lambda image: self.on_base_built(image, generation), self.on_base_failed,
                        quiet=True, owner=self)

    def on_base_built(self, image: QImage, generation: int) -> None:
        if generation != self._generation:
            return  # a newer snapshot (or layout) is on its way
        self._base, dirty, self._dirty = image, self._dirty, None
        self._repaint(dirty or ())
        self.update()

    def on_base_failed(self, exc: BaseException) -> None:
        """Drawing the base image failed (a bug, or out of memory): the view keeps drawing seats one by one."""
        log.error("drawing the seat map's base image failed: %r", exc, exc_info=exc)
        self._dirty = None

    @property
    def base_ready(self) -> bool:
        return self._base is not None and self._dirty is None

    def rebuild_base_now(self) -> None:
        """Draw the base image on this thread (benchmarks)."""
        self._generation += 1
        self._base, self._dirty = self.render_base(self.taken, self.sold, frozenset(self.selected)), None

    def render_base(self, taken: bytes, sold: bytes, selected: frozenset[int]) -> QImage:
        """The whole map at ``_base_scale`` pixels per layout unit."""
        assert self.layout_ is not None and self._geometry is not None
        return BaseJob(self.layout_, self._geometry, self._base_scale, taken, sold, selected).render()

    def _draw_seats(self, p: QPainter, seats: Iterable[int]) -> None:
        draw_seats(p, self.rects, seats, self.color)

    def visible_seats(self) -> list[int]:
        top_left, bottom_right = self.to_layout(QPointF(0, 0)), self.to_layout(QPointF(self.width(), self.height()))
        out: list[int] = []
        for gx in range(int(top_left.x() // CELL) - 1, int(bottom_right.x() // CELL) + 2):
            for gy in range(int(top_left.y() // CELL) - 1, int(bottom_right.y() // CELL) + 2):
                out.extend(self._grid.get((gx, gy), ()))
        return out

    def render_view(self, p: QPainter) -> None:
        """The visible part of the map: the base image scaled (C++ does the work), or, zoomed in past its
        resolution with few enough seats in view, those seats drawn sharp."""
        p.fillRect(self.rect(), BACKGROUND)
        if self.layout_ is None:
            return
        base = self._base
        visible = self.visible_seats() if base is None or self.scale > self._base_scale * 1.5 else None
        if visible is not None and len(visible) <= SHARP_LIMIT:
            p.setTransform(self.transform())
            self._draw_seats(p, visible)
            p.resetTransform()
        elif base is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.setTransform(QTransform(self.scale / self._base_scale, 0, 0, self.scale / self._base_scale,
                                      self.offset.x(), self.offset.y()))
            p.drawImage(0, 0, base)
            p.resetTransform()

    def _repaint(self, seats: Iterable[int]) -> None:
        seats = list(seats)
        if not seats:
            return
        if self._dirty is not None:
            self._dirty.update(seats)  # a new base image is being drawn: it must get these too
        if self._base is not None:
            p = QPainter(self._base)
            p.scale(self._base_scale, self._base_scale)
            p.setPen(Qt.PenStyle.NoPen)
            for i in seats:
                p.fillRect(self.rects[i].adjusted(-0.5, -0.5, 0.5, 0.5), BACKGROUND)
                p.fillRect(self.rects[i], self.color(i))
            p.end()
        dirty = QRectF()
        for i in seats:
            dirty = dirty.united(self.transform().mapRect(self.rects[i]))
        self.update(dirty.toAlignedRect().adjusted(-2, -2, 2, 2))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setClipRect(event.rect())
        self.render_view(p)
        if self._drag is not None:
            p.setPen(QPen(SELECTED, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self._drag)
        p.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """A map the clerk has not zoomed or panned fits the new size; otherwise the seat at the middle stays at the
        middle at the same zoom (a banner or a status line appearing must not throw the clerk out of their stand)."""
        if self._fitted or not event.oldSize().isValid():
            self.fit()
            return
        delta = event.size() - event.oldSize()
        self.offset += QPointF(delta.width() / 2, delta.height() / 2)
        self._invalidate()

    # -- input ----------------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_Home:
            self.fit()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15, event.position())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            self._pan_from = event.position()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._pan_from is not None:
            self.offset += pos - self._pan_from
            self._pan_from = pos
            self._fitted = False
            self._invalidate()
        elif self._press is not None and (pos - self._press).manhattanLength() > 4:
            self._drag = QRectF(self._press, pos).normalized()
            self.update()
        else:
            seat = self.seat_at(pos)
            if seat is not None:
                QToolTip.showText(event.globalPosition().toPoint(), self.describe(seat), self)
                if self.state(seat) == "held" and seat != self._hovered_hold:
                    self._hovered_hold = seat
                    self.hold_hovered.emit(seat)
            else:
                QToolTip.hideText()
            if seat is None or self.state(seat) != "held":
                self._hovered_hold = None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pan_from is not None:
            self._pan_from = None
            return
        if self._drag is not None:
            box = QRectF(self.to_layout(self._drag.topLeft()), self.to_layout(self._drag.bottomRight()))
            self._drag = None
            self.select([i for i, r in enumerate(self.rects) if box.contains(r.center())], add=True)
        elif self._press is not None:
            seat = self.seat_at(event.position())
            if seat is not None:
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None:
                    self.select_run(self._anchor, seat)
                else:
                    self.toggle(seat)
        self._press = None
        self.update()

    # -- selection ------------------------------------------------------------------------------------------------
    def _set_selection(self, new: set[int]) -> None:
        changed = new ^ self.selected
        if not changed:
            return
        self.selected = new
        self._repaint(changed)
        self.selection_changed.emit(tuple(sorted(self.selected)))

    def toggle(self, seat: int) -> None:
        if self.state(seat) not in ("free", "selected"):
            return
        self._anchor = seat
        self._set_selection(self.selected ^ {seat})

    def select(self, seats: Iterable[int], add: bool = False) -> None:
        free = {i for i in seats if self.state(i) in ("free", "selected")}
        self._set_selection((self.selected | free) if add else free)

    def select_run(self, a: int, b: int) -> None:
        """Shift-click: every free seat between two seats of one row."""
        if self._row_of[a] != self._row_of[b]:
            self.toggle(b)
            return
        row = self.layout_.rows[self._row_of[a]]  # type: ignore[union-attr]
        lo, hi = sorted((row.index(a), row.index(b)))
        self.select(row[lo : hi + 1], add=True)

    def clear_selection(self) -> None:
        self._set_selection(set())

    def show_hold(self, seat: int, clerk: str, expires_ms: int) -> None:
        """Add who holds a seat and until when to its tooltip (if the mouse is still on it)."""
        if self._hovered_hold != seat:
            return
        until = datetime.fromtimestamp(expires_ms / 1000).strftime("%H:%M:%S")
        text = self.describe(seat) + "\n" + self.tr("held by {0} until {1}").format(clerk, until)
        QToolTip.showText(QCursor.pos(), text, self)

    def describe(self, i: int) -> str:
        assert self.layout_ is not None
        s = self.layout_.seats[i]
        zone = self.layout_.zone_by_code[s.zone]
        stand = next(st.name for st in self.layout_.stands if st.code == s.stand)
        extras = " ♿" if s.accessible else ""
        return self.tr("{0} — {1}, section {2}, row {3}, seat {4}{5}\n{6} {7} · {8}").format(
            s.label, stand, s.section, s.row, s.number, extras, zone.name, zone.price, word(self.state(i)))


def connect_feed(feed: LiveFeed, seat_map: SeatMap) -> None:
    """The map follows the feed (queued to the GUI thread; nothing is delivered once the map is deleted), and a map
    deleted without its window being closed first stops the feed too."""
    feed.resynced.connect(seat_map.set_snapshot)
    feed.changed.connect(seat_map.apply)
    seat_map.destroyed.connect(feed.stop, Qt.ConnectionType.DirectConnection)

