"""The layout loader (docs/layout-format.md): what it builds from a valid file and how it rejects a broken one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from boxoffice.domain.layout import MAX_SEATS, Layout, Stand, Zone, load_layout, loads_layout, parse_layout
from boxoffice.errors import BadInput, LayoutError
from tests.conftest import DATA, ROOT, tiny_doc

TINY = DATA / "tiny.json"
LAYOUTS = ROOT / "resources" / "layouts"
S1 = ("stands", 0, "sections", 0)
S2 = ("stands", 0, "sections", 1)
ROW_A = (*S1, "rows", 0)
SEATS_A = (*ROW_A, "seats")
SEATS_A_PATH = "stands[0].sections[0].rows[0].seats"


# -- helpers ------------------------------------------------------------------------------------------------------
def _at(doc: Any, keys: tuple) -> Any:
    for key in keys:
        doc = doc[key]
    return doc


def put(*keys: Any, value: Any) -> Callable[[dict], None]:
    """A mutator setting ``doc[k1][k2]…[kn] = value``."""

    def mutate(doc: dict) -> None:
        _at(doc, keys[:-1])[keys[-1]] = copy.deepcopy(value)

    return mutate


def drop(*keys: Any) -> Callable[[dict], None]:
    def mutate(doc: dict) -> None:
        del _at(doc, keys[:-1])[keys[-1]]

    return mutate


def both(*mutators: Callable[[dict], Any]) -> Callable[[dict], None]:
    def mutate(doc: dict) -> None:
        for m in mutators:
            m(doc)

    return mutate


def add_stand(code: str, section_code: str) -> Callable[[dict], None]:
    """Append a one-seat stand (a valid one, unless its codes collide)."""

    def mutate(doc: dict) -> None:
        doc["stands"].append(
            {
                "code": code,
                "name": "Extra",
                "sections": [
                    {"code": section_code, "name": "Extra", "zone": "A",
                     "rows": [{"label": "A", "seats": [{"n": "1", "x": 5, "y": 5, "label": f"extra-{code}"}]}]}
                ],
            }
        )

    return mutate


def empty_all_rows(doc: dict) -> None:
    for stand in doc["stands"]:
        for section in stand["sections"]:
            for row in section["rows"]:
                row["seats"] = []


def write(tmp_path: Path, doc: Any, name: str = "venue.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def big_doc(seats: int, rows: int = 2) -> dict:
    """A valid layout with ``seats`` seats in ``rows`` long rows (built cheaply, no JSON round trip)."""
    doc = tiny_doc()
    per_row, extra = divmod(seats, rows)
    section = doc["stands"][0]["sections"][0]
    section["rows"] = [
        {"label": f"R{r}", "seats": [{"n": str(i), "x": 1, "y": 1} for i in range(per_row + (r < extra))]}
        for r in range(rows)
    ]
    doc["stands"][0]["sections"] = [section]
    return doc


@pytest.fixture
def tiny() -> Layout:
    return load_layout(TINY)


# -- a valid file -------------------------------------------------------------------------------------------------
def test_tiny_top_level(tiny: Layout) -> None:
    assert (tiny.name, tiny.kind, tiny.session_minutes) == ("Tiny Hall", "hall", 120)
    assert (tiny.width, tiny.height, tiny.focus) == (200.0, 100.0, (60.0, 0.0))
    assert tiny.capacity == 40
    assert tiny.stands == (Stand("M", "Main"),)


def test_tiny_zones_have_decimal_prices(tiny: Layout) -> None:
    assert tiny.zones == (
        Zone("A", "Front", Decimal("20.00"), "#aa0000"),
        Zone("B", "Back", Decimal("12.50"), "#0000aa"),
    )
    assert all(type(z.price) is Decimal for z in tiny.zones)
    assert tiny.price_of(0) == Decimal("20.00") and tiny.price_of(39) == Decimal("12.50")


def test_tiny_seats_in_file_order(tiny: Layout) -> None:
    expected = [f"{sec}-{row}-{n}" for sec, rows in (("S1", "AB"), ("S2", "CD")) for row in rows for n in range(1, 11)]
    assert [s.label for s in tiny.seats] == expected
    assert [s.index for s in tiny.seats] == list(range(40))
    assert [s.zone for s in tiny.seats] == ["A"] * 20 + ["B"] * 20
    assert tiny.by_label["S2-C-6"].index == 25
    seat = tiny.seats[25]
    assert (seat.stand, seat.section, seat.row, seat.number, seat.x, seat.y) == ("M", "S2", "C", "6", 60.0, 30.0)
    assert (seat.w, seat.h, seat.r, seat.accessible) == (8.0, 8.0, 0.0, False)


def test_tiny_flags_and_rows(tiny: Layout) -> None:
    assert [s.index for s in tiny.seats if s.blocked] == [0]
    assert [s.index for s in tiny.seats if s.aisle_after] == [4, 14, 24, 34]
    assert tiny.rows == tuple(tuple(range(r * 10, r * 10 + 10)) for r in range(4))


def test_optional_fields_and_normalisation() -> None:
    doc = tiny_doc()
    del doc["focus"], doc["kind"]
    doc["session_minutes"] = 60
    doc["zones"][0].update(price="5", color="#AbCdEf")
    seat = doc["stands"][0]["sections"][0]["rows"][0]["seats"][1]
    seat.update(zone="B", accessible=True, label="Box 1", w=20, h=10, r=-12.5)
    layout = parse_layout(doc)
    assert layout.focus == (100.0, 50.0)  # the canvas centre
    assert (layout.kind, layout.session_minutes) == ("venue", 60)
    assert layout.zones[0].price == Decimal("5.00") and str(layout.zones[0].price) == "5.00"
    assert layout.zones[0].color == "#abcdef"
    s = layout.seats[1]
    assert (s.label, s.zone, s.accessible, s.w, s.h, s.r) == ("Box 1", "B", True, 20.0, 10.0, -12.5)
    assert layout.price_of(1) == Decimal("12.50")


def test_same_row_label_in_two_sections_is_fine() -> None:
    doc = tiny_doc()
    doc["stands"][0]["sections"][1]["rows"][0]["label"] = "A"
    layout = parse_layout(doc)
    assert layout.seats[20].label == "S2-A-1"
    assert len(layout.rows) == 4


def test_checksum_follows_content() -> None:
    assert parse_layout(tiny_doc()).checksum == load_layout(TINY).checksum
    changed = tiny_doc()
    changed["zones"][0]["price"] = "21.00"
    assert parse_layout(changed).checksum != load_layout(TINY).checksum


def test_exactly_max_seats_is_accepted() -> None:
    assert parse_layout(big_doc(MAX_SEATS)).capacity == MAX_SEATS == 200_000


# -- rejections ---------------------------------------------------------------------------------------------------
REJECTIONS = [
    pytest.param(put("format", value="boxoffice-layout/2"), "format", "expected 'boxoffice-layout/1'",
                 id="wrong-format"),
    pytest.param(drop("format"), "format", "got None", id="missing-format"),
    pytest.param(drop("name"), "name", "missing", id="missing-name"),
    pytest.param(put("name", value="  "), "name", "must not be empty", id="blank-name"),
    pytest.param(put("name", value=7), "name", "expected string", id="mistyped-name"),
    pytest.param(drop("canvas"), "canvas", "missing", id="missing-canvas"),
    pytest.param(put("canvas", "width", value=0), "canvas", "must be positive", id="zero-canvas"),
    pytest.param(put("canvas", "width", value=True), "canvas.width", "expected", id="bool-canvas-width"),
    pytest.param(put("session_minutes", value=True), "session_minutes", "expected", id="bool-session-minutes"),
    pytest.param(put("session_minutes", value=0), "session_minutes", "must be positive", id="zero-session-minutes"),
    pytest.param(put("focus", "x", value="60"), "focus.x", "expected", id="string-focus"),
    pytest.param(put("zones", value=[]), "zones", "at least one price zone", id="no-zones"),
    pytest.param(put("zones", 1, "code", value="A"), "zones[1].code", "duplicate zone code 'A'", id="dup-zone"),
    pytest.param(put("zones", 0, "price", value=20.0), "zones[0].price", "expected string", id="float-price"),
    pytest.param(put("zones", 0, "price", value="-1.00"), "zones[0].price", "non-negative", id="negative-price"),
    pytest.param(put("zones", 0, "price", value="1.005"), "zones[0].price", "at most two decimals", id="3-decimals"),
    pytest.param(put("zones", 0, "price", value="abc"), "zones[0].price", "not a decimal amount", id="text-price"),
    pytest.param(put("zones", 0, "price", value="NaN"), "zones[0].price", "non-negative", id="nan-price"),
    pytest.param(put("zones", 1, "color", value="#abc"), "zones[1].color", "expected #rrggbb", id="short-colour"),
    pytest.param(put("zones", 1, "color", value="blue"), "zones[1].color", "expected #rrggbb", id="named-colour"),
    pytest.param(add_stand("M", "X1"), "stands[1].code", "duplicate stand code 'M'", id="dup-stand"),
    pytest.param(put(*S2, "code", value="S1"), "stands[0].sections[1].code", "duplicate section code 'S1'",
                 id="dup-section"),
    pytest.param(add_stand("E", "S2"), "stands[1].sections[0].code", "duplicate section code 'S2'",
                 id="dup-section-other-stand"),
    pytest.param(put(*S2, "zone", value="Q"), "stands[0].sections[1].zone", "unknown zone 'Q'",
                 id="unknown-section-zone"),
    pytest.param(put(*SEATS_A, 3, "zone", value="Q"), f"{SEATS_A_PATH}[3].zone", "unknown zone 'Q'",
                 id="unknown-seat-zone"),
    pytest.param(put(*S1, "rows", 1, "label", value="A"), "stands[0].sections[0].rows[1].label",
                 "duplicate row label 'A'", id="dup-row"),
    pytest.param(put(*SEATS_A, 2, "n", value="2"), f"{SEATS_A_PATH}[2].n", "duplicate seat number '2'",
                 id="dup-seat-number"),
    pytest.param(both(put(*SEATS_A, 1, "label", value="X"), put(*SEATS_A, 2, "label", value="X")),
                 f"{SEATS_A_PATH}[2]", "duplicate seat label 'X'", id="dup-explicit-label"),
    pytest.param(put(*SEATS_A, 3, "label", value="S1-A-2"), f"{SEATS_A_PATH}[3]", "duplicate seat label 'S1-A-2'",
                 id="label-collides-with-default"),
    pytest.param(put(*SEATS_A, 4, "x", value=200.5), f"{SEATS_A_PATH}[4]", "outside the canvas", id="x-outside"),
    pytest.param(put(*SEATS_A, 4, "y", value=-1), f"{SEATS_A_PATH}[4]", "outside the canvas", id="y-outside"),
    pytest.param(put(*SEATS_A, 4, "x", value=True), f"{SEATS_A_PATH}[4].x", "expected", id="bool-x"),
    pytest.param(put(*SEATS_A, 4, "w", value=False), f"{SEATS_A_PATH}[4].w", "expected", id="bool-w"),
    pytest.param(drop(*SEATS_A, 4, "y"), f"{SEATS_A_PATH}[4].y", "missing", id="missing-y"),
    pytest.param(put(*SEATS_A, 4, "n", value=5), f"{SEATS_A_PATH}[4].n", "expected string", id="number-n"),
    pytest.param(put(*SEATS_A, 4, "blocked", value="yes"), f"{SEATS_A_PATH}[4].blocked", "expected bool",
                 id="string-flag"),
    pytest.param(put(*SEATS_A, 4, "aisle_after", value=1), f"{SEATS_A_PATH}[4].aisle_after", "expected bool",
                 id="int-flag"),
    pytest.param(put(*SEATS_A, 4, value="S1-A-5"), f"{SEATS_A_PATH}[4]", "expected an object", id="seat-not-object"),
    pytest.param(put(*ROW_A, "seats", value={}), f"{SEATS_A_PATH}", "expected list", id="seats-not-list"),
    pytest.param(empty_all_rows, "stands", "no seats", id="empty-rows"),
    pytest.param(put("stands", value=[]), "stands", "no seats", id="no-stands"),
]


@pytest.mark.parametrize(("mutate", "json_path", "fragment"), REJECTIONS)
def test_rejects_with_file_and_json_path(
    tmp_path: Path, mutate: Callable[[dict], None], json_path: str, fragment: str
) -> None:
    doc = tiny_doc()
    mutate(doc)
    path = write(tmp_path, doc)
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {json_path}: "), message
    assert fragment in message, message
    assert "\n" not in message


def test_layout_error_is_bad_input_with_code() -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout({**tiny_doc(), "format": None}, origin="x.json")
    assert isinstance(info.value, BadInput)
    assert info.value.exit_code == 2
    assert info.value.as_dict() == {"error": "bad_layout", "message": str(info.value)}


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    path = write(tmp_path, [tiny_doc()])
    with pytest.raises(LayoutError, match="the top level must be a JSON object") as info:
        load_layout(path)
    assert str(info.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        pytest.param(b'{"format": "boxoffice-layout/1",\n  "name": }\n', "malformed JSON at line 2, column 11",
                     id="malformed"),
        pytest.param(b'{"format": "boxoffice-layout/1", "name": "x",}', "malformed JSON at line 1, column 46",
                     id="trailing-comma"),
        pytest.param(b"", "malformed JSON at line 1, column 1", id="empty-file"),
        pytest.param(b'{"name": "caf\xe9"}', "not UTF-8", id="latin-1"),
    ],
)
def test_rejects_undecodable_files(tmp_path: Path, raw: bytes, fragment: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(raw)
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    assert str(info.value).startswith(f"{path}: "), str(info.value)
    assert fragment in str(info.value)


@pytest.mark.parametrize("name", ["missing.json", "a-directory"])
def test_rejects_unreadable_path(tmp_path: Path, name: str) -> None:
    (tmp_path / "a-directory").mkdir()
    path = tmp_path / name
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    assert str(info.value).startswith(f"{path}: cannot read: "), str(info.value)


def test_loads_layout_names_its_origin() -> None:
    with pytest.raises(LayoutError, match=r"^upload\.json: name: missing$"):
        loads_layout(json.dumps({k: v for k, v in tiny_doc().items() if k != "name"}), origin="upload.json")


def test_rejects_more_than_max_seats() -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout(big_doc(MAX_SEATS + 1), origin="huge.json")
    # the first row holds 100,001 seats, so seat 200,001 is the 100,000th seat of the second row
    assert str(info.value) == (
        "huge.json: stands[0].sections[0].rows[1].seats[99999]: more than 200,000 seats; split the venue"
    )


# -- the shipped layouts ------------------------------------------------------------------------------------------
def _shipped(name: str) -> Layout:
    path = LAYOUTS / name
    if not path.exists():
        pytest.skip(f"{path} has not been generated yet")
    return load_layout(path)


@pytest.fixture(scope="module")
def stadium() -> Layout:
    return _shipped("stadium.json")


def test_stadium(stadium: Layout) -> None:
    assert stadium.name == "City Stadium"
    assert 60_000 <= stadium.capacity <= MAX_SEATS
    assert [s.code for s in stadium.stands] == ["N", "E", "S", "W"]
    assert len(stadium.zones) == 5
    assert {s.zone for s in stadium.seats} == {z.code for z in stadium.zones}  # every zone is on sale somewhere
    assert {s.stand for s in stadium.seats} == {"N", "E", "S", "W"}
    assert sum(s.accessible for s in stadium.seats) > 0
    assert sum(s.blocked for s in stadium.seats) > 0
    assert len(stadium.by_label) == stadium.capacity
    assert sum(len(r) for r in stadium.rows) == stadium.capacity


def test_courts() -> None:
    courts = _shipped("courts.json")
    assert courts.name == "Riverside Sports Hall"
    assert courts.capacity == 12
    assert courts.session_minutes == 60
    assert all(s.w * s.h > 8 * 8 for s in courts.seats)  # a court is one large "seat"
    assert len(courts.by_label) == 12
