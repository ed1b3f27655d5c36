"""The seat map: every seat of a layout drawn from its geometry, coloured by price zone and live state.

Drawing 60,000+ seats one call each is far too slow in Python. The widget keeps a *base image* of the whole map (at
most 4096 px on its longer side), drawn once per snapshot with one ``drawRects`` call per colour; a change repaints
only the changed seats into it. A paint, zoomed out, is the base image scaled by Qt in C++; zoomed in past the base
image's resolution, only the few visible seats (found through a grid) are drawn, sharp.
Changes arrive from :class:`ui.live_feed.LiveFeed` (:func:`connect_feed`). The base image is drawn on the task
runner's pool from immutable inputs (the geometry, the bitmaps and the selection copied on the GUI thread); only the
GUI thread touches the widget.

Where you are: stand, section and row labels are drawn over the seats at the zooms where they are readable (stands
from the whole-venue view, sections once a section is large enough for its code, rows once a row is about a text
line high); the pitch (the free space the stands surround, :func:`derive_pitch`) is drawn under the seats, and a
large "seat" (a badminton court) gets court lines. A mini-map (:class:`ui.minimap.MiniMap`) shows the visible
rectangle when zoomed in; the "fit whole venue" button and the Home key (:meth:`SeatMap.fit`) bring the whole venue
back. The signed-in clerk's own holds (:meth:`SeatMap.set_own_holds`) are drawn in their own colour.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QStaticText,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QToolTip,
    QWidget,
)

from boxoffice.domain.bitmap import bit
from boxoffice.domain.layout import Layout
from boxoffice.services.frontdesk import Snapshot
from boxoffice.services.livemap import FREEING, TAKING, MapChange

from .live_feed import LiveFeed
from .tasks import TaskRunner

log = logging.getLogger(__name__)

HELD = QColor("#ec407a")  # pink: unlike the usual orange and red zones
OWN_HELD = QColor("#26c6da")  # light cyan: the signed-in clerk's own holds, unlike another clerk's pink
SOLD = QColor("#9aa0a8")
BLOCKED = QColor("#303030")
SELECTED = QColor("#6a1b9a")  # purple: unlike every zone colour and state
BACKGROUND = QColor("#fbfbfc")
CELL = 24.0  # hit-test grid cell, layout units
BASE_PIXELS = 4096  # the base image's longer side at most
SHARP_LIMIT = 3000  # zoomed in, up to this many visible seats are drawn one by one (sharp), more use the base image
PITCH = QColor("#e4f1da")  # the pitch's grass, pale so that no seat colour is lost against it
PITCH_LINE = QColor("#8bb174")
COURT_LINE = QColor(255, 255, 255, 210)
ACCESSIBLE_MARK = QColor("#ffffff")
ACCESSIBLE_RING = QColor("#0d3c61")
LABEL_BACK = QColor(255, 255, 255, 190)
LABEL_TEXT = QColor("#1f2a38")
ROW_LABEL_PX = 9.0  # row labels once a seat is this many pixels high
SECTION_LABEL_PX = 28.0  # section labels once a section's shorter side is this many pixels
LABEL_CELL = 256.0  # bucket of row labels, layout units
COURT_MIN = 30.0  # a "seat" at least this large on both sides is a court or a pitch: it gets court lines
TOP_BAND = 30  # pixels kept free above the venue when fitting it: the map's buttons live there


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
        self.accessible = [s.index for s in layout.seats if s.accessible]
        #: the bounding box of every seat (layout units)
        self.box = QRectF(QPointF(min(s.x - s.w / 2 for s in layout.seats), min(s.y - s.h / 2 for s in layout.seats)),
                          QPointF(max(s.x + s.w / 2 for s in layout.seats), max(s.y + s.h / 2 for s in layout.seats)))
        self.courts = [s.index for s in layout.seats if min(s.w, s.h) >= COURT_MIN]
        self.pitch = derive_pitch(layout)
        sizes = sorted(min(s.w, s.h) for s in layout.seats)
        self.seat_size = sizes[len(sizes) // 2]
        self.stand_labels = _group_labels(layout, lambda s: s.stand,
                                          {st.code: st.name for st in layout.stands})
        self.section_labels = _group_labels(layout, lambda s: s.section, {})
        self.section_short_max = max(label[3] for label in self.section_labels)
        #: (x, y, row label) at both ends of every row, bucketed by LABEL_CELL; two sections side by side share the
        #: aisle between them, so the same label at (nearly) the same place is kept once, between the two
        self.row_labels: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        near = max(8.0, self.seat_size * 1.5)
        placed: dict[tuple[str, int, int], tuple[float, float, tuple[int, int], int]] = {}
        for row in layout.rows:
            seats = [layout.seats[i] for i in row]
            ends = [(seats[0], seats[1] if len(seats) > 1 else None)]
            if len(seats) > 1:
                ends.append((seats[-1], seats[-2]))
            for end, inner in ends:
                dx, dy = (end.x - inner.x, end.y - inner.y) if inner is not None else (-1.0, 0.0)
                norm = math.hypot(dx, dy) or 1.0
                step = (abs(dx) * end.w + abs(dy) * end.h) / norm / 2 + 6.0  # just past the seat's edge
                x, y = end.x + dx / norm * step, end.y + dy / norm * step
                key = (end.row, round(x / near), round(y / near))
                twin = next((placed[k] for k in ((end.row, key[1] + a, key[2] + b) for a in (-1, 0, 1)
                                                  for b in (-1, 0, 1)) if k in placed), None)
                if twin is not None and math.hypot(twin[0] - x, twin[1] - y) <= near:
                    bucket = self.row_labels[twin[2]]
                    bucket[twin[3]] = ((twin[0] + x) / 2, (twin[1] + y) / 2, end.row)
                    continue
                cell = (int(x // LABEL_CELL), int(y // LABEL_CELL))
                placed[key] = (x, y, cell, len(self.row_labels[cell]))
                self.row_labels[cell].append((x, y, end.row))
        self.row_labels = dict(self.row_labels)

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


def _group_labels(layout: Layout, key: Callable, names: dict[str, str]) -> list[tuple[str, float, float, float, float]]:
    """One label per stand (or section): its name, the centre of its seats' bounding box, and the box's shorter and
    longer side (layout units; plain floats: a paint reads them for every label)."""
    boxes: dict[str, list[float]] = {}
    for s in layout.seats:
        k = key(s)
        box = boxes.get(k)
        if box is None:
            boxes[k] = [s.x, s.y, s.x, s.y]
        else:
            box[0], box[1] = min(box[0], s.x), min(box[1], s.y)
            box[2], box[3] = max(box[2], s.x), max(box[3], s.y)
    return [(names.get(k, k), (b[0] + b[2]) / 2, (b[1] + b[3]) / 2, min(b[2] - b[0], b[3] - b[1]),
             max(b[2] - b[0], b[3] - b[1])) for k, b in boxes.items()]


def derive_pitch(layout: Layout) -> QRectF | None:
    """The pitch (or stage floor): the free space the stands surround, around the layout's ``focus``.

    Layouts carry no outline, so it is derived: the nearest seats along the horizontal and the vertical line through the
    focus (in a band of 2 % of the canvas, so that an aisle on the line does not let the box through) bound a box, which shrinks until no seat overlaps it, less a run-off of a tenth. ``None`` when no free space
    is surrounded (a hall of courts, a grid of seats)."""
    fx, fy = layout.focus
    band = 0.02 * max(layout.width, layout.height)  # wide enough to step over an aisle on the line
    half_w = half_h = math.inf
    for s in layout.seats:
        dx, dy = abs(s.x - fx), abs(s.y - fy)
        if dy <= max(s.h, band):  # a seat on (or next to) the horizontal line through the focus
            half_w = min(half_w, dx - s.w / 2)
        if dx <= max(s.w, band):
            half_h = min(half_h, dy - s.h / 2)
    biggest = max(max(s.w, s.h) for s in layout.seats)
    if not (math.isfinite(half_w) and math.isfinite(half_h)) or min(half_w, half_h) < 4 * biggest:
        return None
    inset = 0.1 * min(half_w, half_h)
    half_w, half_h = half_w - inset, half_h - inset
    for _ in range(30):
        if not any(abs(s.x - fx) < half_w + s.w / 2 and abs(s.y - fy) < half_h + s.h / 2 for s in layout.seats):
            return QRectF(fx - half_w, fy - half_h, 2 * half_w, 2 * half_h)
        half_w, half_h = half_w * 0.95, half_h * 0.95
        if min(half_w, half_h) < 4 * biggest:
            break
    return None


def draw_pitch(p: QPainter, pitch: QRectF) -> None:
    """Grass, the touchlines, the halfway line and the centre circle (in layout units; the pen is cosmetic)."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PITCH)
    p.drawRect(pitch)
    pen = QPen(PITCH_LINE, 1.5)
    pen.setCosmetic(True)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    line = pitch.adjusted(pitch.width() * 0.04, pitch.height() * 0.04, -pitch.width() * 0.04, -pitch.height() * 0.04)
    p.drawRect(line)
    c = line.center()
    if line.width() >= line.height():
        p.drawLine(QPointF(c.x(), line.top()), QPointF(c.x(), line.bottom()))
    else:
        p.drawLine(QPointF(line.left(), c.y()), QPointF(line.right(), c.y()))
    radius = min(line.width(), line.height()) * 0.13
    p.drawEllipse(c, radius, radius)


def draw_court_lines(p: QPainter, r: QRectF) -> None:
    """A badminton court's lines inside a court "seat" (widget pixels): the outline, the net and the service lines."""
    pen = QPen(COURT_LINE, 1.2)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    line = r.adjusted(r.width() * 0.08, r.height() * 0.05, -r.width() * 0.08, -r.height() * 0.05)
    p.drawRect(line)
    c = line.center()
    if line.height() >= line.width():
        p.drawLine(QPointF(line.left() - r.width() * 0.05, c.y()), QPointF(line.right() + r.width() * 0.05, c.y()))
        for k in (-1, 1):
            y = c.y() + k * line.height() * 0.148
            p.drawLine(QPointF(line.left(), y), QPointF(line.right(), y))
        p.drawLine(QPointF(c.x(), line.top()), QPointF(c.x(), c.y() - line.height() * 0.148))
        p.drawLine(QPointF(c.x(), c.y() + line.height() * 0.148), QPointF(c.x(), line.bottom()))
    else:
        p.drawLine(QPointF(c.x(), line.top() - r.height() * 0.05), QPointF(c.x(), line.bottom() + r.height() * 0.05))
        for k in (-1, 1):
            x = c.x() + k * line.width() * 0.148
            p.drawLine(QPointF(x, line.top()), QPointF(x, line.bottom()))


def draw_accessible_mark(p: QPainter, r: QRectF) -> None:
    """The wheelchair-place symbol on a seat (widget pixels): a white disc ringed in dark blue."""
    radius = max(1.5, min(r.width(), r.height()) * 0.32)
    p.setPen(QPen(ACCESSIBLE_RING, 1.0 if radius < 4 else 1.5))
    p.setBrush(ACCESSIBLE_MARK)
    p.drawEllipse(r.center(), radius, radius)


STATE_COLORS = {"blocked": BLOCKED, "sold": SOLD, "held": HELD, "own": OWN_HELD, "selected": SELECTED}
#: states of a seat someone holds: another clerk's ("held") or the signed-in clerk's own ("own")
HELD_STATES = frozenset({"held", "own"})


def seat_state(layout: Layout | None, i: int, taken: bytes, sold: bytes, selected: set[int] | frozenset[int],
               own: set[int] | frozenset[int] = frozenset()) -> str:
    if layout is not None and layout.seats[i].blocked:
        return "blocked"
    if bit(sold, i):
        return "sold"
    if bit(taken, i):
        return "own" if i in own else "held"
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
                 selected: frozenset[int], own: frozenset[int] = frozenset()) -> None:
        self.layout, self.geometry, self.scale = layout, geometry, scale
        self.taken, self.sold, self.selected, self.own = taken, sold, selected, own

    def color(self, i: int) -> QColor:
        st = seat_state(self.layout, i, self.taken, self.sold, self.selected, self.own)
        return self.geometry.zone_colors[i] if st == "free" else STATE_COLORS[st]

    def render(self) -> QImage:
        size = QSize(math.ceil(self.layout.width * self.scale), math.ceil(self.layout.height * self.scale))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(BACKGROUND)
        p = QPainter(image)
        p.scale(self.scale, self.scale)
        if self.geometry.pitch is not None:
            draw_pitch(p, self.geometry.pitch)
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
    #: the view moved (zoom, pan, fit, resize): the mini-map follows
    view_changed = Signal()
    #: seats were redrawn (a new base image or changed seats): the mini-map repaints, at most a few times a second
    picture_changed = Signal()

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
        #: seats held by the signed-in clerk (drawn in OWN_HELD); the window tells the map (set_own_holds)
        self.own_held: set[int] = set()
        #: stand, section and row labels on the map (at the zooms where they are readable)
        self.labels_on = True
        #: what the last paint drew: (kind, text) with kind "stand", "section" or "row" (tests, the benchmark)
        self.painted_labels: list[tuple[str, str]] = []
        #: where the last paint drew its stand, section and court labels: (kind, text, (left, top, right, bottom))
        self.label_boxes: list[tuple[str, str, tuple[float, float, float, float]]] = []
        self._hold_info: dict[int, tuple[str, int]] = {}  # seat -> (clerk, expires_ms) as looked up for its tooltip
        self._tip_seat: int | None = None
        self._label_images: dict[tuple[str, str], QImage] = {}
        self._label_sizes: dict[tuple[str, str], tuple[int, int]] = {}
        self._fonts = {kind: QFont(self.font()) for kind in ("stand", "section", "row")}
        for kind, (px, bold) in {"stand": (14, True), "section": (11, True), "row": (9, False)}.items():
            self._fonts[kind].setPixelSize(px)
            self._fonts[kind].setBold(bold)
        self.fit_button = QToolButton(self)
        self.fit_button.setObjectName("fitVenue")
        self.fit_button.setText(QCoreApplication.translate("SeatMap", "Whole venue"))
        self.fit_button.setToolTip(QCoreApplication.translate("SeatMap", "Fit the whole venue in view (Home)"))
        self.fit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fit_button.clicked.connect(self.fit)
        #: Home anywhere in the map's window (a text field keeps its own Home): the whole venue
        self.fit_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Home), self, self.on_home_shortcut)
        self.fit_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        from .minimap import MiniMap

        self.minimap = MiniMap(self)
        self._place_overlays()

    # -- data -----------------------------------------------------------------------------------------------------
    def set_layout(self, layout: Layout) -> None:
        self.layout_ = layout
        geometry = SeatGeometry.of(layout)
        self._geometry = geometry
        self.rects, self.zone_colors = geometry.rects, geometry.zone_colors
        self._grid, self._row_of = geometry.grid, geometry.row_of
        self.selected.clear()
        self.own_held.clear()
        self._hold_info.clear()
        self._tip_seat = None
        self._base, self._dirty = None, None
        self._generation += 1
        self._base_scale = min(1.0, BASE_PIXELS / max(layout.width, layout.height))
        self.fit()

    def set_snapshot(self, snap: Snapshot) -> None:
        self.taken, self.sold, self.version = snap.taken, snap.sold, snap.version
        self.own_held = {i for i in self.own_held if bit(self.taken, i) and not bit(self.sold, i)}
        self._hold_info.clear()
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
                if change.op != "hold":
                    self.own_held.discard(i)  # sold or given back: no longer anyone's hold
                touched.add(i)
            self.version = change.version
        self.taken, self.sold = bytes(taken), bytes(sold)
        for i in touched:
            self._hold_info.pop(i, None)
        lost = {i for i in touched & self.selected if bit(self.taken, i)}
        if lost:
            self.selected -= lost
            self.selection_changed.emit(tuple(sorted(self.selected)))
        self._repaint(touched)
        if self._tip_seat in touched and QToolTip.isVisible():
            self._show_tip(self._tip_seat)  # the seat under the mouse changed: its tooltip says so

    def set_own_holds(self, seats: Iterable[int]) -> None:
        """The seats the signed-in clerk holds (all their live holds in this session): drawn in ``OWN_HELD``.
        A seat leaves the set by itself when it is sold or given back."""
        new = set(seats)
        changed = new ^ self.own_held
        self.own_held = new
        self._repaint(changed)

    def add_own_holds(self, seats: Iterable[int]) -> None:
        """A hold the signed-in clerk just made (its seats turn ``OWN_HELD``)."""
        self.set_own_holds(self.own_held | set(seats))

    def state(self, i: int) -> str:
        return seat_state(self.layout_, i, self.taken, self.sold, self.selected, self.own_held)

    def color(self, i: int) -> QColor:
        st = self.state(i)
        return self.zone_colors[i] if st == "free" else STATE_COLORS[st]

    # -- view -----------------------------------------------------------------------------------------------------
    def transform(self) -> QTransform:
        return QTransform(self.scale, 0, 0, self.scale, self.offset.x(), self.offset.y())

    def fit(self) -> None:
        """The whole venue in view, centred, clear of the map's buttons (the Home key and the "Whole venue" button; the
        supervisor's map has the same)."""
        if self.layout_ is None or self.width() <= 0 or self.height() <= 0:
            return
        lay = self.layout_
        band = TOP_BAND if self.height() > 4 * TOP_BAND else 0  # kept above (and, to stay centred, below) the venue
        self.scale = min(self.width() / lay.width, (self.height() - 2 * band) / lay.height) * 0.98
        self.offset = QPointF((self.width() - lay.width * self.scale) / 2, (self.height() - lay.height * self.scale) / 2)
        self._fitted = True
        self._invalidate()

    def on_home_shortcut(self) -> None:
        """Home in the map's window: the whole venue — unless a list or a table has the focus, for
        which Home means its first line (a text field keeps its Home by itself)."""
        focus = QApplication.focusWidget()
        if focus is not None and focus is not self and isinstance(
                focus, QAbstractItemView | QPlainTextEdit | QTextEdit):
            QApplication.sendEvent(focus, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Home,
                                                    Qt.KeyboardModifier.NoModifier))
            return
        self.fit()

    def fit_scale(self) -> float:
        if self.layout_ is None or self.width() <= 0 or self.height() <= 0:
            return 1.0
        return min(self.width() / self.layout_.width, self.height() / self.layout_.height) * 0.98

    def shows_whole_venue(self) -> bool:
        """Every seat of the layout is inside the view."""
        if self.layout_ is None:
            return True
        view = QRectF(self.to_layout(QPointF(0, 0)), self.to_layout(QPointF(self.width(), self.height())))
        return view.adjusted(-0.5, -0.5, 0.5, 0.5).contains(self._seats_box())

    def _seats_box(self) -> QRectF:
        return self._geometry.box if self._geometry is not None else QRectF()

    def visible_area(self) -> QRectF:
        """The part of the layout in view, layout units."""
        return QRectF(self.to_layout(QPointF(0, 0)), self.to_layout(QPointF(self.width(), self.height())))

    def center_at(self, point: QPointF) -> None:
        """Bring a layout point to the middle of the view at the same zoom (a click on the mini-map)."""
        self.offset = QPointF(self.width() / 2 - point.x() * self.scale, self.height() / 2 - point.y() * self.scale)
        self._fitted = False
        self._invalidate()

    def zoom(self, factor: float, around: QPointF | None = None) -> None:
        around = around or QPointF(self.width() / 2, self.height() / 2)
        before = self.to_layout(around)
        self.scale = max(min(0.05, self.fit_scale() * 0.5), min(40.0, self.scale * factor))
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
        """The view moved: nothing to redraw off screen, the next paint composes from the base image (and a seat's
        tooltip goes: the seat is no longer where it was)."""
        if self._tip_seat is not None:
            self._tip_seat = self._hovered_hold = None
            QToolTip.hideText()
        self.update()
        self.view_changed.emit()

    def _resync_base(self) -> None:
        """A new snapshot: draw a fresh base image on the runner's pool; until it is ready the old one (kept up to
        date with the changes that arrive meanwhile) is shown, so the GUI never waits for 60,000 seats."""
        assert self.layout_ is not None and self._geometry is not None
        self._generation += 1
        self._dirty = set()
        job = BaseJob(self.layout_, self._geometry, self._base_scale, self.taken, self.sold, frozenset(self.selected),
                      frozenset(self.own_held))
        generation = self._generation
        self.runner.run(job.render, lambda image: self.on_base_built(image, generation), self.on_base_failed,
                        quiet=True, owner=self)

    def on_base_built(self, image: QImage, generation: int) -> None:
        if generation != self._generation:
            return  # a newer snapshot (or layout) is on its way
        self._base, dirty, self._dirty = image, self._dirty, None
        self._repaint(dirty or ())
        self.update()
        self.picture_changed.emit()

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
        return BaseJob(self.layout_, self._geometry, self._base_scale, taken, sold, selected,
                       frozenset(self.own_held)).render()

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
        self.painted_labels = []
        self.label_boxes = []
        if self.layout_ is None:
            return
        base = self._base
        visible = self.visible_seats() if base is None or self.scale > self._base_scale * 1.5 else None
        if visible is not None and len(visible) <= SHARP_LIMIT:
            p.setTransform(self.transform())
            if self._geometry is not None and self._geometry.pitch is not None:
                draw_pitch(p, self._geometry.pitch)
            self._draw_seats(p, visible)
            p.resetTransform()
        elif base is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.setTransform(QTransform(self.scale / self._base_scale, 0, 0, self.scale / self._base_scale,
                                      self.offset.x(), self.offset.y()))
            p.drawImage(0, 0, base)
            p.resetTransform()
        area = p.clipBoundingRect() if p.hasClipping() else QRectF(self.rect())  # a partial update: only there
        self._draw_marks(p, area)
        if self.labels_on:
            self._draw_labels(p, area)

    def _widget_rect(self, i: int) -> QRectF:
        r, s, o = self.rects[i], self.scale, self.offset
        return QRectF(r.x() * s + o.x(), r.y() * s + o.y(), r.width() * s, r.height() * s)

    def _draw_marks(self, p: QPainter, view: QRectF) -> None:
        """Court lines on courts and the wheelchair symbol on accessible seats, where they are big enough to see."""
        g = self._geometry
        if g is None:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if g.courts and g.seat_size * self.scale >= 12:
            for i in g.courts:
                r = self._widget_rect(i)
                if r.intersects(view):
                    draw_court_lines(p, r)
        if g.accessible and g.seat_size * self.scale >= 4:
            for i in g.accessible:
                r = self._widget_rect(i)
                if r.intersects(view):
                    draw_accessible_mark(p, r)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _label(self, text: str, kind: str) -> QImage:
        """A label drawn once (text on its white box; a row label without a box) and kept: a paint only copies it."""
        key = (kind, text)
        image = self._label_images.get(key)
        if image is None:
            font = self._fonts[kind]
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), font)
            size = st.size()
            image = QImage(math.ceil(size.width()) + 4, math.ceil(size.height()) + 2,
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent if kind == "row" else LABEL_BACK)
            p = QPainter(image)
            p.setFont(font)
            p.setPen(LABEL_TEXT)
            p.drawStaticText(QPointF(2, 1), st)
            p.end()
            self._label_images[key] = image
            self._label_sizes[key] = (image.width(), image.height())
        return image

    def _draw_labels(self, p: QPainter, area: QRectF) -> None:
        """Stand names, section codes and row labels, each where it is readable and in view (each label an image
        drawn once, so a paint with a few hundred labels stays within the paint budget)."""
        g = self._geometry
        if g is None:
            return
        s, ox, oy = self.scale, self.offset.x(), self.offset.y()
        x0, y0, x1, y1 = area.left(), area.top(), area.right(), area.bottom()
        taken: list[tuple[float, float, float, float]] = []  # stand labels: a section label under one is left out
        labels = self.painted_labels
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)

        sizes = self._label_sizes

        def draw(kind: str, text: str, x: float, y: float) -> tuple[float, float, float, float] | None:
            image = self._label(text, kind)
            w, h = sizes[(kind, text)]
            left, top = x - w / 2, y - h / 2
            if left > x1 or top > y1 or left + w < x0 or top + h < y0:
                return None
            p.drawImage(QPoint(round(left), round(top)), image)  # whole pixels: a plain copy, no resampling
            labels.append((kind, text))
            box = (left, top, left + w, top + h)
            self.label_boxes.append((kind, text, box))
            return box

        if g.seat_size * s >= ROW_LABEL_PX:
            row_images: dict[str, QImage] = {}
            top_left = self.to_layout(QPointF(x0 - 20, y0 - 20))
            bottom_right = self.to_layout(QPointF(x1 + 20, y1 + 20))
            for gx in range(int(top_left.x() // LABEL_CELL), int(bottom_right.x() // LABEL_CELL) + 1):
                for gy in range(int(top_left.y() // LABEL_CELL), int(bottom_right.y() // LABEL_CELL) + 1):
                    for x, y, text in g.row_labels.get((gx, gy), ()):  # the hot loop: draw() inlined
                        image = row_images.get(text) or self._label(text, "row")
                        row_images[text] = image
                        w, h = sizes[("row", text)]
                        left, top = x * s + ox - w / 2, y * s + oy - h / 2
                        if x0 - w < left < x1 and y0 - h < top < y1:
                            p.drawImage(QPoint(int(left), int(top)), image)
                            labels.append(("row", text))
        if g.courts and g.seat_size * s >= 40:  # a court's own name ("Court 8") on it
            assert self.layout_ is not None
            for i in g.courts:
                seat = self.layout_.seats[i]
                draw("section", seat.label, seat.x * s + ox, (seat.y - seat.h * 0.3) * s + oy)
        for name, cx, cy, _short, long in g.stand_labels:
            self._label(name, "stand")
            if long * s >= sizes[("stand", name)][0]:
                drawn = draw("stand", name, cx * s + ox, cy * s + oy)
                if drawn is not None:
                    taken.append(drawn)
        if g.section_short_max * s >= SECTION_LABEL_PX:  # else no section is large enough for its label
            for code, cx, cy, short, long in g.section_labels:
                if short * s < SECTION_LABEL_PX:
                    continue
                self._label(code, "section")
                if long * s < sizes[("section", code)][0] + 2:
                    continue
                x, y = cx * s + ox, cy * s + oy
                w, h = sizes[("section", code)]
                left, top = x - w / 2, y - h / 2
                if any(left < c and a < left + w and top < d and b < top + h for a, b, c, d in taken):
                    continue  # it would be (partly) under a stand's name
                draw("section", code, x, y)

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
        self.picture_changed.emit()

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
        self._place_overlays()
        if self._fitted or not event.oldSize().isValid():
            self.fit()
            return
        delta = event.size() - event.oldSize()
        self.offset += QPointF(delta.width() / 2, delta.height() / 2)
        self._invalidate()

    def _place_overlays(self) -> None:
        """The "Whole venue" button at the top right, the mini-map at the bottom right."""
        hint = self.fit_button.sizeHint()
        self.fit_button.setGeometry(QRect(self.width() - hint.width() - 4, 3, hint.width(), min(hint.height(), 24)))
        self.minimap.place()

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
            if seat == self._tip_seat:
                return  # the same seat: its tooltip (with who holds it, once known) stays as it is
            self._tip_seat = seat
            if seat is not None:
                self._show_tip(seat, event.globalPosition().toPoint())
                if self.state(seat) in HELD_STATES and seat != self._hovered_hold:
                    self._hovered_hold = seat
                    self.hold_hovered.emit(seat)
            else:
                QToolTip.hideText()
            if seat is None or self.state(seat) not in HELD_STATES:
                self._hovered_hold = None

    def leaveEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        self._tip_seat = self._hovered_hold = None
        super().leaveEvent(event)

    def tooltip_text(self, seat: int) -> str:
        """A seat's tooltip: where it is, its zone and price and state, and who holds it until when (once known)."""
        text = self.describe(seat)
        info = self._hold_info.get(seat)
        if info is not None and self.state(seat) in HELD_STATES:
            until = datetime.fromtimestamp(info[1] / 1000).strftime("%H:%M")
            text += "\n" + QCoreApplication.translate("SeatMap", "held by {0} until {1}").format(info[0], until)
        return text

    def _show_tip(self, seat: int, at: QPoint | None = None) -> None:
        """The seat's tooltip, kept while the mouse stays on the seat (Qt hides it once the mouse leaves the seat's
        rectangle) and for a minute at most."""
        area = self._widget_rect(seat).toAlignedRect().adjusted(-2, -2, 2, 2)
        QToolTip.showText(at or QCursor.pos(), self.tooltip_text(seat), self, area, 60_000)

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
        self._tip_seat = None  # a click hides the tooltip: the next move shows the seat's (new) state
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
        """Who holds a seat and until when: kept for the seat's tooltip (until the seat changes), and shown at once if
        the mouse is on it."""
        self._hold_info[seat] = (clerk, expires_ms)
        if self._tip_seat == seat and self._hovered_hold == seat:
            self._show_tip(seat)

    def describe(self, i: int) -> str:
        assert self.layout_ is not None
        s = self.layout_.seats[i]
        zone = self.layout_.zone_by_code[s.zone]
        stand = next(st.name for st in self.layout_.stands if st.code == s.stand)
        extras = " ♿" if s.accessible else ""
        text = QCoreApplication.translate("SeatMap", "{0} — {1}, section {2}, row {3}, seat {4}{5}\n{6} {7} · {8}")
        return text.format(s.label, stand, s.section, s.row, s.number, extras, zone.name, zone.price,
                           self.state_name(self.state(i)))

    def state_name(self, state: str) -> str:
        """A seat state as the clerk reads it (translated in the "SeatMap" context, also on the supervisor's map)."""
        names = {
            "free": QCoreApplication.translate("SeatMap", "free"),
            "held": QCoreApplication.translate("SeatMap", "held"),
            "own": QCoreApplication.translate("SeatMap", "held by you"),
            "sold": QCoreApplication.translate("SeatMap", "sold"),
            "blocked": QCoreApplication.translate("SeatMap", "blocked"),
            "selected": QCoreApplication.translate("SeatMap", "selected"),
        }
        return names.get(state, state)


def swatch(color: QColor, accessible: bool = False, size: int = 14) -> QPixmap:
    """A legend square in a seat's colour, with the wheelchair symbol as the map draws it when ``accessible``."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawRect(QRectF(1, 1, size - 2, size - 2))
    if accessible:
        draw_accessible_mark(p, QRectF(1, 1, size - 2, size - 2))
    p.end()
    return pixmap


class MapLegend(QWidget):
    """What the map's colours and symbols mean: the price zones, the seat states (another clerk's hold and your own
    apart) and the wheelchair places."""

    def __init__(self, layout: Layout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        #: (swatch key, text) of every entry, in order (tests)
        self.entries: list[tuple[str, str]] = []
        items: list[tuple[str, QPixmap, str]] = [
            (f"zone:{z.code}", swatch(QColor(z.color)), f"{z.name} {z.price}") for z in layout.zones]
        items += [
            ("selected", swatch(SELECTED), self.tr("selected")),
            ("held", swatch(HELD), self.tr("held by another clerk")),
            ("own", swatch(OWN_HELD), self.tr("held by you")),
            ("sold", swatch(SOLD), self.tr("sold")),
            ("blocked", swatch(BLOCKED), self.tr("blocked")),
        ]
        if any(s.accessible for s in layout.seats):
            neutral = QColor(layout.zones[0].color) if layout.zones else SOLD
            items.append(("accessible", swatch(neutral, accessible=True), self.tr("wheelchair place")))
        columns = 2
        for k, (key, pixmap, text) in enumerate(items):
            icon = QLabel()
            icon.setPixmap(pixmap)
            icon.setObjectName(f"legend-{key}")
            label = QLabel(text)
            label.setWordWrap(True)
            row, col = divmod(k, columns)
            grid.addWidget(icon, row, col * 2)
            grid.addWidget(label, row, col * 2 + 1)
            self.entries.append((key, text))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)


def connect_feed(feed: LiveFeed, seat_map: SeatMap) -> None:
    """The map follows the feed (queued to the GUI thread; nothing is delivered once the map is deleted), and a map
    deleted without its window being closed first stops the feed too."""
    feed.resynced.connect(seat_map.set_snapshot)
    feed.changed.connect(seat_map.apply)
    seat_map.destroyed.connect(feed.stop, Qt.ConnectionType.DirectConnection)

