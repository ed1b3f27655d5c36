"""Best available (boxoffice/domain/best.py): N adjacent free seats nearest the focus, never stranding one seat.

Layouts are drawn as strings, one per row: a letter is a seat of that price zone (upper case free, lower case
taken), ``|`` is an aisle after the previous seat. Seat ``j`` (1-based) of row ``r`` sits at ``(10*j, 10*r)`` and is
labelled ``S-r-j``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import pytest

from boxoffice.domain.best import BestAvailable
from boxoffice.domain.layout import Layout, parse_layout

ZONES = ("A", "B", "C")


# -- helpers ------------------------------------------------------------------------------------------------------
def grid(rows: Sequence[str], focus: tuple[float, float]) -> tuple[Layout, frozenset[int]]:
    """Build a layout from row strings; return it with the set of taken seat indices."""
    doc_rows, taken, index = [], set(), 0
    for r, spec in enumerate(rows, start=1):
        seats: list[dict] = []
        for ch in spec:
            if ch == "|":
                seats[-1]["aisle_after"] = True
                continue
            seats.append({"n": str(len(seats) + 1), "x": 10 * (len(seats) + 1), "y": 10 * r, "zone": ch.upper()})
            if ch.islower():
                taken.add(index)
            index += 1
        doc_rows.append({"label": str(r), "seats": seats})
    doc = {
        "format": "boxoffice-layout/1",
        "name": "grid",
        "canvas": {"width": 200, "height": 200},
        "focus": {"x": focus[0], "y": focus[1]},
        "zones": [{"code": z, "name": z, "price": "1.00", "color": "#000000"} for z in ZONES],
        "stands": [{"code": "M", "name": "M", "sections": [{"code": "S", "name": "S", "zone": "A", "rows": doc_rows}]}],
    }
    return parse_layout(doc), frozenset(taken)


def pick(rows: Sequence[str], n: int, focus: tuple[float, float], zone: str | None = None) -> list[str] | None:
    layout, taken = grid(rows, focus)
    found = BestAvailable(layout).find(n, taken.__contains__, zone)
    return None if found is None else [layout.seats[i].label for i in found]


def segments(layout: Layout) -> list[tuple[int, ...]]:
    """Runs of physically adjacent seats of one zone: a row split at aisles and at zone changes."""
    out: list[tuple[int, ...]] = []
    for row in layout.rows:
        run: list[int] = []
        for index in row:
            seat = layout.seats[index]
            if run and layout.seats[run[-1]].zone != seat.zone:
                out.append(tuple(run))
                run = []
            run.append(index)
            if seat.aisle_after:
                out.append(tuple(run))
                run = []
        if run:
            out.append(tuple(run))
    return out


def free_gap(seg: tuple[int, ...], pos: int, step: int, taken: frozenset[int]) -> int:
    """Free seats counted from position ``pos`` outwards (``step`` ±1) until a taken seat or the segment's end."""
    gap = 0
    while 0 <= pos < len(seg) and seg[pos] not in taken:
        gap += 1
        pos += step
    return gap


def score(layout: Layout, seats: Sequence[int]) -> float:
    fx, fy = layout.focus
    return sum(math.hypot(layout.seats[i].x - fx, layout.seats[i].y - fy) for i in seats)


def acceptable(
    layout: Layout, seg: tuple[int, ...], start: int, n: int, taken: frozenset[int], zone: str | None
) -> bool:
    window = seg[start : start + n]
    return (
        len(window) == n
        and not any(i in taken for i in window)
        and (zone is None or layout.seats[window[0]].zone == zone)
        and free_gap(seg, start - 1, -1, taken) != 1
        and free_gap(seg, start + n, +1, taken) != 1
    )


def brute_force(
    layout: Layout, n: int, taken: frozenset[int], zone: str | None
) -> tuple[float, tuple[int, ...]] | None:
    """Every acceptable window, scored; the minimum by (score, lowest index)."""
    found = [
        (score(layout, seg[s : s + n]), seg[s : s + n])
        for seg in segments(layout)
        for s in range(len(seg))
        if acceptable(layout, seg, s, n, taken, zone)
    ]
    return min(found, key=lambda c: (c[0], c[1][0])) if found else None


def random_rows(rng: random.Random) -> list[str]:
    rows = []
    for _ in range(rng.randint(1, 5)):
        zone, spec = rng.choice(ZONES[:2]), ""
        for j in range(rng.randint(1, 9)):
            if j and rng.random() < 0.15:
                spec += "|"
            if rng.random() < 0.15:
                zone = rng.choice(ZONES[:2])
            spec += zone.lower() if rng.random() < 0.35 else zone
        rows.append(spec)
    return rows


# -- examples -----------------------------------------------------------------------------------------------------
CASES = [
    # rows, n, focus, zone, expected labels (None: nothing acceptable)
    pytest.param(["AAAAAAAAAA"], 2, (55, 10), None, ["S-1-5", "S-1-6"], id="nearest-the-focus"),
    pytest.param(["AAAA", "AAAA"], 2, (24, 60), None, ["S-2-1", "S-2-2"], id="nearer-row-wins"),
    pytest.param(["aAAAA"], 2, (36, 10), None, ["S-1-4", "S-1-5"], id="no-single-seat-after-taken"),
    pytest.param(["aAAAA"], 2, (20, 10), None, ["S-1-2", "S-1-3"], id="taken-neighbour-is-fine"),
    pytest.param(["AAAAa"], 2, (24, 10), None, ["S-1-1", "S-1-2"], id="no-single-seat-before-taken"),
    pytest.param(["AAAAA"], 2, (10, 10), None, ["S-1-1", "S-1-2"], id="row-start-is-fine"),
    pytest.param(["AAAAA"], 3, (31, 10), None, ["S-1-3", "S-1-4", "S-1-5"], id="no-single-seat-at-row-start"),
    pytest.param(["AAAAA"], 4, (30, 10), None, None, id="always-strands-one"),
    pytest.param(["AAA|AAAA"], 2, (20, 10), None, ["S-1-4", "S-1-5"], id="no-single-seat-at-aisle"),
    pytest.param(["aAAa"], 2, (0, 0), None, ["S-1-2", "S-1-3"], id="exact-fit"),
    pytest.param(["aAa"], 1, (0, 0), None, ["S-1-2"], id="single-seat-fills-gap"),
    pytest.param(["aAAAa"], 1, (30, 10), None, ["S-1-2"], id="single-seat-never-splits-three"),
    pytest.param(["AA|AA"], 3, (25, 10), None, None, id="never-spans-aisle"),
    pytest.param(["AA|AA"], 4, (25, 10), None, None, id="whole-row-minus-aisle"),
    pytest.param(["AA|AAA"], 3, (25, 10), None, ["S-1-3", "S-1-4", "S-1-5"], id="block-behind-aisle"),
    pytest.param(["AAAA", "BBBB"], 2, (20, 10), "B", ["S-2-1", "S-2-2"], id="zone-filter"),
    pytest.param(["AAAA", "BBBB"], 2, (20, 10), None, ["S-1-1", "S-1-2"], id="no-zone-filter"),
    pytest.param(["AAAA"], 2, (20, 10), "C", None, id="zone-without-seats"),
    pytest.param(["AABB"], 3, (25, 10), None, None, id="never-spans-zones"),
    pytest.param(["AABB"], 2, (24, 10), None, ["S-1-1", "S-1-2"], id="zone-boundary-splits-pair"),
    pytest.param(["BBAAAAAA"], 2, (35, 10), "A", ["S-1-3", "S-1-4"], id="zone-boundary-is-an-end"),
    pytest.param(["AAAAAA"], 1, (35, 10), None, ["S-1-3"], id="tie-lowest-index"),
    pytest.param(["AAAA|AAAA"], 2, (45, 10), None, ["S-1-3", "S-1-4"], id="tie-across-aisle-lowest-index"),
    pytest.param(["aaaa"], 1, (0, 0), None, None, id="all-taken"),
    pytest.param(["AAAA", "AAA"], 5, (0, 0), None, None, id="n-longer-than-any-row"),
]


@pytest.mark.parametrize(("rows", "n", "focus", "zone", "expected"), CASES)
def test_examples(rows: list[str], n: int, focus: tuple[float, float], zone: str | None, expected) -> None:
    assert pick(rows, n, focus, zone) == expected


def test_zone_boundary_counts_as_a_run_end() -> None:
    """A zone change splits a row like an aisle, for adjacency and for the single-seat rule alike."""
    # seats 1-2 would leave seat 3 alone at the A/B boundary; seats 2-3 would leave seat 1 alone at the row start
    assert pick(["AAABB"], 2, (10, 10), "A") is None
    assert pick(["AAAABB"], 2, (10, 10), "A") == ["S-1-1", "S-1-2"]


def test_tie_across_rows_goes_to_lowest_index() -> None:
    """Seat S-1-1 (index 0) and S-2-2 (index 2) are both 10 from the focus; the lower index must win.

    The focus sits on the taken seat S-2-1, so row 2 is searched first; its best (10) must not stop the search
    before row 1 offers an equally good seat with a lower index.
    """
    assert pick(["A", "aA"], 1, (10, 20)) == ["S-1-1"]


@pytest.mark.parametrize("n", [0, -1])
def test_n_must_be_positive(n: int) -> None:
    layout, _ = grid(["AAAA"], (0, 0))
    with pytest.raises(ValueError):
        BestAvailable(layout).find(n, lambda i: False)


def test_reusable_across_queries() -> None:
    layout, _ = grid(["AAAAAA"], (10, 10))
    best = BestAvailable(layout)
    assert best.find(2, lambda i: False) == (0, 1)
    assert best.find(2, lambda i: i in {0, 1}) == (2, 3)
    assert best.find(2, lambda i: i in {0, 1, 2, 3}) == (4, 5)
    assert best.find(2, lambda i: i != 5) is None


# -- against a brute-force reference ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(4))
def test_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    for case in range(100):
        rows = random_rows(rng)
        focus = (rng.randint(0, 100), rng.randint(0, 70))
        n = rng.randint(1, 4)
        zone = rng.choice([None, "A", "B"])
        layout, taken = grid(rows, focus)
        got = BestAvailable(layout).find(n, taken.__contains__, zone)
        want = brute_force(layout, n, taken, zone)
        where = f"seed {seed} case {case}: rows={rows} focus={focus} n={n} zone={zone} got={got} want={want}"
        if want is None:
            assert got is None, where
            continue
        assert got is not None, where
        seg = next(s for s in segments(layout) if got[0] in s)
        start = seg.index(got[0])
        assert tuple(got) == seg[start : start + n], where  # adjacent, one zone, no aisle inside
        assert acceptable(layout, seg, start, n, taken, zone), where  # free, in zone, strands no seat
        assert score(layout, got) == want[0], where
