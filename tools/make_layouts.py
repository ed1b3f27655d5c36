"""Generate the shipped venue layouts (format ``boxoffice-layout/1``, see docs/layout-format.md).

Writes, relative to the repository root:

- ``resources/layouts/stadium.json`` -- *City Stadium*, a football bowl of four stands (North, East, South,
  West) in three tiers around a 1050 x 680 pitch, with curved corners, five price zones, accessible places
  and blocked camera positions;
- ``resources/layouts/courts.json`` -- *Riverside Sports Hall*, 12 badminton courts, each court one "seat".

The output is fully deterministic (no randomness), so regenerating never reorders seats; the order of seats in
a file is their seat index.  Run ``python tools/make_layouts.py``; only the standard library is needed.
"""

from __future__ import annotations

import json
import math
import string
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LAYOUT_DIR = REPO_ROOT / "resources" / "layouts"
FORMAT = "boxoffice-layout/1"

# --- City Stadium geometry (layout units; the pitch is to scale at 10 units = 1 m) --------------------------

# 63,000 seats of 8 x 8 at a 9.5 x 10 pitch need about 6.3 million square units of terracing, so the canvas is
# larger than the pitch alone would suggest; the bowl fills it with a small margin.
CANVAS_W, CANVAS_H = 3300, 2950
FOCUS_X, FOCUS_Y = CANVAS_W / 2, CANVAS_H / 2  # centre spot
PITCH_W, PITCH_H = 1050, 680
RUN_OFF = 60  # from the touchline / goal line to the seat centres of the front row
FRONT_HALF_W = PITCH_W / 2 + RUN_OFF  # half extents of the bowl's front edge (row A of the lower tier)
FRONT_HALF_H = PITCH_H / 2 + RUN_OFF
CORNER_RADIUS = 120  # radius of the front edge in the corners; rows behind it are concentric arcs

SEAT = 8  # default seat size (8 x 8)
SEAT_PITCH = 9.5  # minimum distance between neighbouring seat centres in a row
ROW_DEPTH = 10  # distance between rows
SECTION_GAP = 12  # clear width of the stair aisle between two sections
MID_AISLE = 10  # clear width of the aisle splitting a wide section in two halves
WIDE_SECTION = 240  # sections whose back row is longer than this get a mid-row aisle
ROW_LABELS = [*string.ascii_uppercase, *(2 * letter for letter in string.ascii_uppercase)]  # A..Z, AA, BB, ..
ACCESSIBLE_PER_END = 3  # wheelchair places at each end of row A of the lower tier's straight sections


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    price: str
    color: str


STADIUM_ZONES = (
    Zone("P", "Premium", "95.00", "#b03a2e"),
    Zone("A", "Category 1", "70.00", "#e67e22"),
    Zone("B", "Category 2", "50.00", "#d4ac0d"),
    Zone("C", "Category 3", "35.00", "#229954"),
    Zone("F", "Family / behind goals", "25.00", "#2e86c1"),
)


@dataclass(frozen=True)
class Tier:
    """A ring of the bowl: `rows` rows starting `first_offset` units behind the bowl's front edge."""

    name: str
    first_offset: float
    rows: int
    corner_sections: int  # sections in each half corner of a stand
    side_sections: int  # straight sections along a touchline (North, South); odd, the middle one is central
    end_sections: int  # straight sections behind a goal (East, West); odd, the middle one is central

    @property
    def last_offset(self) -> float:
        return self.first_offset + (self.rows - 1) * ROW_DEPTH


# The middle and upper tiers start behind a concourse, hence the gap of four rows' depth between the tiers.
TIERS = (
    Tier("lower", first_offset=0, rows=32, corner_sections=1, side_sections=3, end_sections=3),
    Tier("middle", first_offset=360, rows=32, corner_sections=2, side_sections=3, end_sections=3),
    Tier("upper", first_offset=720, rows=32, corner_sections=3, side_sections=5, end_sections=3),
)

# (tier, part of the stand) -> (section zone, cheaper zone of the back rows or None, first back row index).
# Parts: "centre" is the central straight section of a touchline stand, "side" its other straight sections,
# "end" a straight section behind a goal and "corner" a curved section.
ZONE_PLAN: dict[tuple[str, str], tuple[str, str | None, int]] = {
    ("lower", "centre"): ("P", "A", 20),
    ("lower", "side"): ("A", None, 0),
    ("lower", "end"): ("F", None, 0),
    ("lower", "corner"): ("B", None, 0),
    ("middle", "centre"): ("A", "B", 16),
    ("middle", "side"): ("A", None, 0),
    ("middle", "end"): ("F", None, 0),
    ("middle", "corner"): ("B", None, 0),
    ("upper", "centre"): ("B", "C", 16),
    ("upper", "side"): ("C", None, 0),
    ("upper", "end"): ("F", None, 0),
    ("upper", "corner"): ("C", None, 0),
}

# (stand, tier) whose central section has two blocked camera seats in the middle of row A.
CAMERA_POSITIONS = {("N", "lower"), ("W", "lower"), ("W", "upper")}


@dataclass(frozen=True)
class Stand:
    code: str
    name: str
    touchline: bool  # along a touchline (long side) rather than behind a goal


STANDS = (
    Stand("N", "North", touchline=True),
    Stand("E", "East", touchline=False),
    Stand("S", "South", touchline=True),
    Stand("W", "West", touchline=False),
)


def facing(normal: tuple[float, float]) -> float:
    """Rotation in degrees that turns a seat facing down (+y) to face the pitch, i.e. against `normal`."""
    return round(math.degrees(math.atan2(normal[0], -normal[1])), 1)


@dataclass(frozen=True)
class Straight:
    """A straight stretch of the bowl; its rows run parallel to the front edge from `start` to `end`."""

    start: tuple[float, float]
    end: tuple[float, float]
    normal: tuple[float, float]  # unit vector pointing away from the pitch

    def length(self, offset: float) -> float:
        return math.dist(self.start, self.end)

    def place(self, offset: float, along: float) -> tuple[float, float, float]:
        """Centre and rotation of a seat `along` units into the row `offset` units behind the front edge."""
        t = along / self.length(offset)
        x = self.start[0] + t * (self.end[0] - self.start[0]) + offset * self.normal[0]
        y = self.start[1] + t * (self.end[1] - self.start[1]) + offset * self.normal[1]
        return x, y, facing(self.normal)


@dataclass(frozen=True)
class Corner:
    """A 45 degree arc of a corner; its rows are concentric arcs around `centre`.

    Angles are in screen coordinates (y grows downwards), so a growing angle turns clockwise.
    """

    centre: tuple[float, float]
    start_deg: float

    def length(self, offset: float) -> float:
        return math.radians(45) * (CORNER_RADIUS + offset)

    def place(self, offset: float, along: float) -> tuple[float, float, float]:
        radius = CORNER_RADIUS + offset
        angle = math.radians(self.start_deg) + along / radius
        normal = (math.cos(angle), math.sin(angle))
        return self.centre[0] + radius * normal[0], self.centre[1] + radius * normal[1], facing(normal)


Segment = Straight | Corner


def stand_outline(code: str) -> tuple[Corner, Straight, Corner]:
    """The pieces of a stand's front edge, clockwise: half of a corner, the straight, half of the next corner."""
    hx, hy = FRONT_HALF_W - CORNER_RADIUS, FRONT_HALF_H - CORNER_RADIUS
    north, south = FOCUS_Y - FRONT_HALF_H, FOCUS_Y + FRONT_HALF_H
    west, east = FOCUS_X - FRONT_HALF_W, FOCUS_X + FRONT_HALF_W
    nw, ne = (FOCUS_X - hx, FOCUS_Y - hy), (FOCUS_X + hx, FOCUS_Y - hy)
    se, sw = (FOCUS_X + hx, FOCUS_Y + hy), (FOCUS_X - hx, FOCUS_Y + hy)
    outlines = {
        "N": (Corner(nw, 225), Straight((nw[0], north), (ne[0], north), (0, -1)), Corner(ne, 270)),
        "E": (Corner(ne, 315), Straight((east, ne[1]), (east, se[1]), (1, 0)), Corner(se, 0)),
        "S": (Corner(se, 45), Straight((se[0], south), (sw[0], south), (0, 1)), Corner(sw, 90)),
        "W": (Corner(sw, 135), Straight((west, sw[1]), (west, nw[1]), (-1, 0)), Corner(nw, 180)),
    }
    return outlines[code]


def row_seats(segment: Segment, offset: float, span: tuple[float, float], mid_aisle: bool) -> list[dict]:
    """The seats of one row of a section covering the fraction `span` of `segment`, numbered clockwise."""
    length = segment.length(offset)
    first = span[0] * length + SECTION_GAP / 2 + SEAT / 2
    last = span[1] * length - SECTION_GAP / 2 - SEAT / 2
    if mid_aisle:
        middle = (first + last) / 2
        half_gap = MID_AISLE / 2 + SEAT / 2
        blocks = [(first, middle - half_gap), (middle + half_gap, last)]
    else:
        blocks = [(first, last)]
    seats: list[dict] = []
    for block, (lo, hi) in enumerate(blocks):
        count = int((hi - lo) // SEAT_PITCH) + 1
        step = (hi - lo) / (count - 1)  # spread the seats so the block fills its share of the row
        for i in range(count):
            x, y, rotation = segment.place(offset, lo + i * step)
            seat = {"n": str(len(seats) + 1), "x": round(x, 1), "y": round(y, 1)}
            if rotation:
                seat["r"] = rotation
            seats.append(seat)
        if block < len(blocks) - 1:
            seats[-1]["aisle_after"] = True
    return seats


def middle_pair(seats: list[dict]) -> list[dict]:
    """The two seats in the middle of a row (left of the mid-row aisle if there is one)."""
    aisle = next((i for i, seat in enumerate(seats) if seat.get("aisle_after")), None)
    end = aisle + 1 if aisle is not None else len(seats) // 2 + 1
    return seats[end - 2 : end]


def build_section(
    stand: Stand, tier: Tier, number: int, segment: Segment, span: tuple[float, float], part: str, central: bool
) -> dict:
    code = f"{stand.code}{number}"
    zone, back_zone, back_from = ZONE_PLAN[tier.name, part]
    mid_aisle = segment.length(tier.last_offset) * (span[1] - span[0]) > WIDE_SECTION
    rows = []
    for index in range(tier.rows):
        seats = row_seats(segment, tier.first_offset + index * ROW_DEPTH, span, mid_aisle)
        if back_zone and index >= back_from:
            for seat in seats:
                seat["zone"] = back_zone
        rows.append({"label": ROW_LABELS[index], "seats": seats})

    front = rows[0]["seats"]
    if tier is TIERS[0] and part != "corner":
        for seat in front[:ACCESSIBLE_PER_END] + front[-ACCESSIBLE_PER_END:]:
            seat["accessible"] = True
    if central and (stand.code, tier.name) in CAMERA_POSITIONS:
        for seat in middle_pair(front):
            seat["blocked"] = True
    return {"code": code, "name": f"{stand.name} {number} ({tier.name} tier)", "zone": zone, "rows": rows}


def section_part(stand: Stand, straight: bool, central: bool) -> str:
    """The part of the stand a section is in, as used by ZONE_PLAN."""
    if not straight:
        return "corner"
    if not stand.touchline:
        return "end"
    return "centre" if central else "side"


def build_stand(stand: Stand) -> dict:
    """All sections of a stand, tier by tier from the pitch outwards, each tier numbered clockwise."""
    first_corner, straight, last_corner = stand_outline(stand.code)
    sections: list[dict] = []
    for tier in TIERS:
        straights = tier.side_sections if stand.touchline else tier.end_sections
        pieces = [(first_corner, i, tier.corner_sections) for i in range(tier.corner_sections)]
        pieces += [(straight, i, straights) for i in range(straights)]
        pieces += [(last_corner, i, tier.corner_sections) for i in range(tier.corner_sections)]
        for segment, index, count in pieces:
            central = segment is straight and index == count // 2
            part = section_part(stand, segment is straight, central)
            span = (index / count, (index + 1) / count)
            sections.append(build_section(stand, tier, len(sections) + 1, segment, span, part, central))
    return {"code": stand.code, "name": f"{stand.name} Stand", "sections": sections}


def zone_json(zone: Zone) -> dict:
    return {"code": zone.code, "name": zone.name, "price": zone.price, "color": zone.color}


def build_stadium() -> dict:
    return {
        "format": FORMAT,
        "name": "City Stadium",
        "kind": "stadium",
        "session_minutes": 120,
        "canvas": {"width": CANVAS_W, "height": CANVAS_H},
        "focus": {"x": FOCUS_X, "y": FOCUS_Y},
        "zones": [zone_json(zone) for zone in STADIUM_ZONES],
        "stands": [build_stand(stand) for stand in STANDS],
    }


# --- Riverside Sports Hall: 12 badminton courts (10 units = 1 m) ---------------------------------------------

HALL_W, HALL_H = 600, 400
COURT_W, COURT_H = 61, 134  # a badminton court is 6.1 m x 13.4 m
COURTS_PER_ROW = 6
COURT_GAP_X, COURT_GAP_Y = 20, 40  # run-off between courts
SHOW_COURTS = {1, 2}

HALL_ZONES = (
    Zone("S", "Standard court", "18.00", "#2e86c1"),
    Zone("X", "Show court", "24.00", "#b03a2e"),
)


def build_courts() -> dict:
    block_w = COURTS_PER_ROW * COURT_W + (COURTS_PER_ROW - 1) * COURT_GAP_X
    block_h = 2 * COURT_H + COURT_GAP_Y
    left, top = (HALL_W - block_w) / 2, (HALL_H - block_h) / 2
    rows = []
    for row in range(2):
        seats = []
        for column in range(COURTS_PER_ROW):
            number = row * COURTS_PER_ROW + column + 1
            court = {
                "n": str(number),
                "label": f"Court {number}",
                "x": left + column * (COURT_W + COURT_GAP_X) + COURT_W / 2,
                "y": top + row * (COURT_H + COURT_GAP_Y) + COURT_H / 2,
                "w": COURT_W,
                "h": COURT_H,
            }
            if number in SHOW_COURTS:
                court["zone"] = "X"
            seats.append(court)
        rows.append({"label": str(row + 1), "seats": seats})
    return {
        "format": FORMAT,
        "name": "Riverside Sports Hall",
        "kind": "hall",
        "session_minutes": 60,
        "canvas": {"width": HALL_W, "height": HALL_H},
        "focus": {"x": HALL_W / 2, "y": HALL_H / 2},
        "zones": [zone_json(zone) for zone in HALL_ZONES],
        "stands": [
            {"code": "H", "name": "Main Hall", "sections": [{"code": "C", "name": "Courts", "zone": "S", "rows": rows}]}
        ],
    }


def write_layout(name: str, layout: dict, indent: int | None = None) -> Path:
    path = LAYOUT_DIR / name
    separators = (",", ":") if indent is None else (",", ": ")
    path.write_text(json.dumps(layout, indent=indent, separators=separators) + "\n", encoding="utf-8")
    return path


def main() -> None:
    LAYOUT_DIR.mkdir(parents=True, exist_ok=True)
    for path in (write_layout("stadium.json", build_stadium()), write_layout("courts.json", build_courts(), indent=2)):
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
