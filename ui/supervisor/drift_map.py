"""The supervisor's seat map: drifted seats ringed in their severity's colour; a click asks for the seat's history.

Choosing another session clears the map at once (:meth:`DriftMap.show_loading`): until the new session's seats are
drawn, the map shows which venue is coming and a progress bar (layout → seat states → drawing), never the previous
session's seats under the new session's header.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QProgressBar, QToolTip, QWidget

from boxoffice.domain.layout import Layout
from boxoffice.services.frontdesk import Snapshot

from ..seat_map import BACKGROUND, SeatMap
from ..tasks import TaskRunner

#: the loading steps shown by the progress bar
STEPS = 3


class DriftMap(SeatMap):
    """A seat map that rings drifted seats and reports clicks instead of selecting."""

    seat_clicked = Signal(int)
    #: the map of the session it was asked to show is drawn (its id)
    ready = Signal(int)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent, runner)
        self.flagged: dict[int, QColor] = {}
        #: the session whose map is shown or coming (None: none chosen)
        self.session_id: int | None = None
        #: what the map says while it loads ("" once the seats are drawn)
        self.loading = ""
        self.progress = QProgressBar(self)
        self.progress.setObjectName("mapProgress")
        self.progress.setRange(0, STEPS)
        self.progress.setTextVisible(True)
        self.progress.hide()

    # -- loading ----------------------------------------------------------------------------------------------------
    def show_loading(self, session_id: int, text: str) -> None:
        """Stop showing the current map (at once) and say ``text`` with a progress bar until ``session_id``'s seats
        are drawn (:meth:`set_layout`, then its first snapshot, then the base image)."""
        self.session_id = session_id
        self.loading = text
        self.flagged = {}
        QToolTip.hideText()
        self._step(0, self.tr("Loading the layout…"))
        self.update()

    def show_failed(self, text: str) -> None:
        """The map could not be loaded: say so instead (no progress bar)."""
        self.loading = text
        self.progress.hide()
        self.update()

    def _step(self, done: int, what: str) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(what)
        self.progress.setVisible(done < STEPS)
        self._place_progress()

    def _place_progress(self) -> None:
        w = min(360, max(120, self.width() - 40))
        self.progress.setGeometry((self.width() - w) // 2, self.height() // 2 + 16, w, 22)

    def set_layout(self, layout: Layout) -> None:
        self.version = -1  # no seat states of this layout yet
        super().set_layout(layout)
        if self.loading:
            self._step(1, self.tr("Reading the seats…"))

    def set_snapshot(self, snap: Snapshot) -> None:
        if self.session_id is not None and snap.session_id != self.session_id:
            return  # the last word of the previous session's feed
        super().set_snapshot(snap)
        if self.loading:
            self._step(2, self.tr("Drawing the seats…"))

    def on_base_built(self, image: QImage, generation: int) -> None:
        super().on_base_built(image, generation)
        if self.loading and self.layout_ is not None and self.version >= 0 and self.base_ready:
            self.loading = ""
            self._step(STEPS, "")
            self.update()
            if self.session_id is not None:
                self.ready.emit(self.session_id)

    def on_base_failed(self, exc: BaseException) -> None:
        super().on_base_failed(exc)  # logged; the map draws its seats one by one instead
        if self.loading and self.layout_ is not None:
            self.loading = ""
            self._step(STEPS, "")
            self.update()

    @property
    def is_loading(self) -> bool:
        return bool(self.loading)

    # -- drift --------------------------------------------------------------------------------------------------------
    def set_flagged(self, flagged: dict[int, QColor]) -> None:
        if flagged == self.flagged:
            return
        self.flagged = flagged
        self.update()

    def toggle(self, seat: int) -> None:  # a click: show the seat's history, never select
        self.seat_clicked.emit(seat)

    def select(self, seats: Any, add: bool = False) -> None:  # no box selection on this map
        return

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if not self.loading:  # no tooltips of the previous session's seats
            super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if not self.loading:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if not self.loading:
            super().mouseReleaseEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_progress()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.loading:
            p = QPainter(self)
            p.fillRect(self.rect(), BACKGROUND)
            p.setPen(QColor("#27364a"))
            p.drawText(QRectF(0, 0, self.width(), self.height() / 2 + 8).adjusted(20, 0, -20, 0),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
                       self.loading)
            p.end()
            return
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
