"""The supervisor's seat map: drifted seats ringed in their severity's colour; a click asks for the seat's history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ..seat_map import SeatMap
from ..tasks import TaskRunner


class DriftMap(SeatMap):
    """A seat map that rings drifted seats and reports clicks instead of selecting."""

    seat_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent, runner)
        self.flagged: dict[int, QColor] = {}

    def set_flagged(self, flagged: dict[int, QColor]) -> None:
        self.flagged = flagged
        self.update()

    def toggle(self, seat: int) -> None:  # a click: show the seat's history, never select
        self.seat_clicked.emit(seat)

    def select(self, seats: Any, add: bool = False) -> None:  # no box selection on this map
        return

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self.flagged or self.layout_ is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        t = self.transform()
        for i, color in self.flagged.items():
            r = t.mapRect(self.rects[i])
            grow = max(3.0, min(8.0, r.width() * 0.3))
            p.setPen(QPen(color, 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QRectF(r).adjusted(-grow, -grow, grow, grow).center(), r.width() / 2 + grow,
                          r.height() / 2 + grow)
        p.end()
