"""Best available: N adjacent free seats in one row of a zone, nearest the best view, never stranding one seat.

A pure function over the layout and the taken-bitmap. Seats are *adjacent* when they follow each other in the same
row of the layout with no aisle between them (docs/layout-format.md). A choice is refused when it would leave exactly
one free seat between it and the next taken seat, aisle, row end or change of price zone: such a seat is almost
impossible to sell.
Among the remaining choices the one with the smallest mean distance to the layout's focus wins (ties: lowest index).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .layout import Layout


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of physically adjacent seats of one zone (a row, or the part of a row between aisles)."""

    zone: str
    seats: tuple[int, ...]
    distances: tuple[float, ...]
    nearest: float


class BestAvailable:
    """Precomputed segments of one layout; build once per layout and query many times."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        fx, fy = layout.focus
        segments: list[_Segment] = []
        for row in layout.rows:
            run: list[int] = []
            for pos, index in enumerate(row):
                seat = layout.seats[index]
                if run and layout.seats[run[-1]].zone != seat.zone:
                    segments.append(self._segment(run, fx, fy))
                    run = []
                run.append(index)
                if seat.aisle_after or pos == len(row) - 1:
                    segments.append(self._segment(run, fx, fy))
                    run = []
        segments.sort(key=lambda s: s.nearest)
        self._segments = tuple(segments)

    def _segment(self, run: list[int], fx: float, fy: float) -> _Segment:
        seats = self.layout.seats
        dist = tuple(math.hypot(seats[i].x - fx, seats[i].y - fy) for i in run)
        return _Segment(seats[run[0]].zone, tuple(run), dist, min(dist))

    def find(self, n: int, taken: Callable[[int], bool], zone: str | None = None) -> tuple[int, ...] | None:
        """Return the best ``n`` seat indices, or ``None`` when no run of ``n`` adjacent free seats exists."""
        if n <= 0:
            raise ValueError("n must be positive")
        best: tuple[float, int, tuple[int, ...]] | None = None
        for seg in self._segments:
            if best is not None and seg.nearest * n > best[0]:
                break  # every later segment is at least this far away: nothing can beat the best
            if (zone is not None and seg.zone != zone) or len(seg.seats) < n:
                continue
            start = 0
            length = len(seg.seats)
            while start < length:
                if taken(seg.seats[start]):
                    start += 1
                    continue
                end = start
                while end < length and not taken(seg.seats[end]):
                    end += 1
                best = self._best_in_run(seg, start, end, n, best)
                start = end
        return best[2] if best else None

    @staticmethod
    def _best_in_run(
        seg: _Segment, start: int, end: int, n: int, best: tuple[float, int, tuple[int, ...]] | None
    ) -> tuple[float, int, tuple[int, ...]] | None:
        free = end - start
        if free < n:
            return best
        for s in range(start, end - n + 1):
            left, right = s - start, end - (s + n)
            if left == 1 or right == 1:
                continue
            score = sum(seg.distances[s : s + n])
            cand = (score, seg.seats[s], seg.seats[s : s + n])
            if best is None or cand[:2] < best[:2]:
                best = cand
        return best
