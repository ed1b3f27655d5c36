"""The seat map's overview: the whole venue small, with the rectangle the map shows; a click or a drag moves the map.

It sits in the seat map's bottom-right corner and shows itself only while the map is zoomed in (when the whole venue
is in view, an overview has nothing to add). It paints the seat map's base image scaled down (C++ does the work, no
seat is drawn twice), repainting at most every ``REFRESH_MS`` while seats change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QTransform
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from .seat_map import SeatMap

FRAME = QColor("#27364a")
VIEW = QColor("#d32f2f")
BACK = QColor(251, 251, 252, 235)


class MiniMap(QWidget):
    LONG_SIDE = 180  # pixels, the overview's longer side
    REFRESH_MS = 250

    def __init__(self, seat_map: SeatMap) -> None:
        super().__init__(seat_map)
        self.setObjectName("miniMap")
        self.map = seat_map
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Overview: click or drag to move the map"))
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(self.REFRESH_MS)
        self._refresh.timeout.connect(self.update)
        seat_map.view_changed.connect(self.on_view_changed)
        seat_map.picture_changed.connect(self._refresh.start)
        self.hide()

    # -- geometry -------------------------------------------------------------------------------------------------
    def place(self) -> None:
        """Size to the venue's shape, in the map's bottom-right corner."""
        lay = self.map.layout_
        if lay is None:
            self.hide()
            return
        long_side = min(self.LONG_SIDE, max(60, min(self.map.width(), self.map.height()) // 3))
        k = long_side / max(lay.width, lay.height)
        w, h = max(20, round(lay.width * k)) + 2, max(20, round(lay.height * k)) + 2
        self.setGeometry(self.map.width() - w - 6, self.map.height() - h - 6, w, h)

    def scale(self) -> float:
        lay = self.map.layout_
        if lay is None:
            return 1.0
        return min((self.width() - 2) / lay.width, (self.height() - 2) / lay.height)

    def to_layout(self, p: QPointF) -> QPointF:
        k = self.scale()
        return QPointF((p.x() - 1) / k, (p.y() - 1) / k)

    def view_rect(self) -> QRectF:
        """The map's visible rectangle in this widget's pixels (clipped to the overview)."""
        k = self.scale()
        area = self.map.visible_area()
        r = QRectF(1 + area.x() * k, 1 + area.y() * k, area.width() * k, area.height() * k)
        return r.intersected(QRectF(self.rect()).adjusted(0, 0, -1, -1))

    # -- behaviour ------------------------------------------------------------------------------------------------
    def on_view_changed(self) -> None:
        self.place()
        self.setVisible(self.map.layout_ is not None and not self.map.shows_whole_venue())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), BACK)
        base = self.map._base
        if base is not None and self.map.layout_ is not None:
            k = self.scale() / self.map._base_scale
            p.setTransform(QTransform(k, 0, 0, k, 1, 1))
            p.drawImage(0, 0, base)
            p.resetTransform()
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(FRAME, 1))
        p.drawRect(QRectF(self.rect()).adjusted(0, 0, -1, -1))
        p.setPen(QPen(VIEW, 2))
        p.drawRect(self.view_rect())
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.map.center_at(self.to_layout(event.position()))
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.map.center_at(self.to_layout(event.position()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()
