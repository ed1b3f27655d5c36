"""Bad input is never "internal", without servers: the layout parser and the label resolver refuse
every over-limit or unsellable value with a :class:`BadInput` naming the field (and for a layout, the JSON path) and
the limit — by example for each case of the issue, and by Hypothesis for generated hostile input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boxoffice.domain import limits
from boxoffice.domain.layout import Layout, load_layout, loads_layout, parse_layout
from boxoffice.domain.tickets import TicketCode, is_code, sign
from boxoffice.errors import BadInput, LayoutError, SeatsUnavailable
from boxoffice.services.booking import MAX_SEATS_PER_ORDER, Booking, SaleRequest
from tests.conftest import tiny_doc

SEAT = ("stands", 0, "sections", 0, "rows", 0, "seats")
SEAT_PATH = "stands[0].sections[0].rows[0].seats"


def mutated(*keys: Any, value: Any) -> dict:
    doc = tiny_doc()
    target = doc
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return doc


# -- each example of the issue ------------------------------------------------------------------------------------
LAYOUT_EXAMPLES = [
    pytest.param(mutated("zones", 0, "price", value="99999999999999999999.99"), "zones[0].price",
                 "must be at most 1000000.00", id="huge-price"),
    pytest.param(mutated(*SEAT, 3, "label", value="L" * 65), f"{SEAT_PATH}[3]", "longer than 64 characters",
                 id="label-over-64"),
    pytest.param(mutated("zones", 0, "code", value="Z" * 17), "zones[0].code", "longer than 16 characters",
                 id="zone-code-over-16"),
    pytest.param(mutated("name", value="V" * 201), "name", "longer than 200 characters", id="venue-name-over-200"),
    pytest.param(mutated("name", value="Tiny\x00Hall"), "name", "NUL character", id="nul-in-name"),
    pytest.param(mutated("stands", 0, "name", value="Main\x00"), "stands[0].name", "NUL character",
                 id="nul-in-stand-name"),
    pytest.param(mutated("extra", value={"note": "x\x00y"}), "extra.note", "NUL character", id="nul-anywhere"),
    pytest.param(mutated(*SEAT, 3, "label", value="X,Y"), f"{SEAT_PATH}[3]", "contains a comma", id="comma-label"),
    pytest.param(mutated(*SEAT, 3, "label", value="A\u200bB"), f"{SEAT_PATH}[3]",
                 "invisible or unusual character U+200B ZERO WIDTH SPACE", id="zero-width-label"),
    pytest.param(mutated(*SEAT, 3, "label", value="A\u00a0B"), f"{SEAT_PATH}[3]", "U+00A0", id="nbsp-label"),
    pytest.param(mutated("session_minutes", value=2**40), "session_minutes", "at most 44640", id="huge-minutes"),
    pytest.param(mutated("kind", value="k" * 33), "kind", "longer than 32 characters", id="kind-over-32"),
    pytest.param(mutated("extra", value=[float("inf")]), "extra", "infinite number", id="infinite-anywhere"),
]


@pytest.mark.parametrize(("doc", "path", "fragment"), LAYOUT_EXAMPLES)
def test_layout_limits_name_the_json_path_and_the_limit(doc: dict, path: str, fragment: str) -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout(doc, origin="v.json")
    assert str(info.value).startswith(f"v.json: {path}: "), str(info.value)
    assert fragment in str(info.value), str(info.value)
    assert info.value.exit_code == 2


def test_a_trailing_space_is_trimmed_so_the_seat_can_be_sold() -> None:
    layout = parse_layout(mutated(*SEAT, 3, "label", value="SP1 "))
    assert layout.seats[3].label == "SP1"
    assert Booking.resolve(layout, ["SP1"]) == (3,)


def test_labels_are_nfc_and_collide_when_equal_after_normalising() -> None:
    layout = parse_layout(mutated(*SEAT, 3, "label", value="Cafe\u0301"))
    assert layout.seats[3].label == "Caf\u00e9"
    assert Booking.resolve(layout, ["Caf\u00e9"]) == Booking.resolve(layout, ["Cafe\u0301"]) == (3,)
    doc = mutated(*SEAT, 3, "label", value="AB")
    doc["stands"][0]["sections"][0]["rows"][0]["seats"][4]["label"] = " AB"
    with pytest.raises(LayoutError, match=r"seats\[4\]: duplicate seat label 'AB'"):
        parse_layout(doc)


def test_json_nested_200000_levels_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"format": "boxoffice-layout/1", "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(LayoutError, match=r"nested deeper than 32 levels"):
        load_layout(path)
    doc = tiny_doc()
    doc["x"] = json.loads("[" * 40 + "]" * 40)  # deep enough to refuse, shallow enough to decode
    with pytest.raises(LayoutError, match=r"^<layout>: x(\[0\])+: nested deeper than 32 levels$"):
        parse_layout(doc)


def test_layout_files_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import boxoffice.domain.layout as layout_module

    monkeypatch.setattr(layout_module, "MAX_LAYOUT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(tiny_doc()))
    with pytest.raises(LayoutError, match=r"larger than 1,000 bytes"):
        load_layout(path)
    assert limits.MAX_LAYOUT_BYTES == 64 * 1024 * 1024


def test_a_stored_layout_is_read_without_the_import_limits() -> None:
    """A venue imported under older rules keeps selling: the catalog re-reads it with strict=False."""
    doc = mutated("zones", 0, "price", value="5000000.00")
    with pytest.raises(LayoutError):
        parse_layout(doc)
    assert parse_layout(doc, strict=False).zones[0].price == Decimal("5000000.00")


# -- labels typed by a clerk --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny() -> Layout:
    return parse_layout(tiny_doc())


def test_a_seat_named_twice(tiny: Layout) -> None:
    with pytest.raises(BadInput, match=r"^S1-A-4 is named twice$"):
        Booking.resolve(tiny, ["S1-A-4", "S1-A-5", "S1-A-4"])
    with pytest.raises(BadInput, match=r"^S1-A-4 is named twice$"):
        Booking.resolve(tiny, ["S1-A-4", "s1-a-4"])


def test_a_blocked_seat_says_so(tiny: Layout) -> None:
    with pytest.raises(SeatsUnavailable, match=r"^S1-A-1 is blocked \(not for sale\)$") as info:
        Booking.resolve(tiny, ["S1-A-2", "S1-A-1"])
    assert info.value.seats == ("S1-A-1",) and info.value.exit_code == 3


def test_labels_match_case_insensitively_when_unambiguous(tiny: Layout) -> None:
    assert Booking.resolve(tiny, ["s1-a-2", " S2-c-6 "]) == (1, 25)
    doc = tiny_doc()
    seats = doc["stands"][0]["sections"][0]["rows"][0]["seats"]
    seats[1]["label"], seats[2]["label"] = "Box a", "Box A"
    twins = parse_layout(doc)
    assert Booking.resolve(twins, ["Box a"]) == (1,) and Booking.resolve(twins, ["Box A"]) == (2,)
    with pytest.raises(BadInput, match=r"'BOX A' is ambiguous"):
        Booking.resolve(twins, ["BOX A"])


@pytest.mark.parametrize(
    ("labels", "fragment"),
    [
        pytest.param(["L" * 65], "seat label is longer than 64 characters (65)", id="over-64"),
        pytest.param(["A\u200bB"], "seat label contains an invisible or unusual character U+200B", id="zero-width"),
        pytest.param(["A\x00B"], "seat label contains a NUL character", id="nul"),
        pytest.param(["S1-A-2"] * (MAX_SEATS_PER_ORDER + 1), "at most 40 seats per order", id="too-many"),
        pytest.param(["S1-Z-9", "S1-Z-9"], "unknown seat label(s) for Tiny Hall: S1-Z-9", id="unknown-once"),
    ],
)
def test_typed_labels_over_the_limits(tiny: Layout, labels: list[str], fragment: str) -> None:
    with pytest.raises(BadInput) as info:
        Booking.resolve(tiny, labels)
    assert str(info.value).endswith(fragment) or fragment in str(info.value), str(info.value)
    assert not str(info.value).endswith("S1-Z-9, S1-Z-9")


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        pytest.param({"session_id": 2**31}, "session must be between 1 and 2147483647", id="session-int4"),
        pytest.param({"session_id": 0}, "session must be between 1 and 2147483647", id="session-zero"),
        pytest.param({"username": "a\x00b"}, "user name contains a NUL character", id="nul-user"),
        pytest.param({"username": "u" * 65}, "user name is longer than 64 characters", id="long-user"),
        pytest.param({"zone": "Z" * 17, "seats": (), "best": 2}, "zone is longer than 16 characters", id="long-zone"),
        pytest.param({"token": "t" * 65}, "token is longer than 64 characters", id="long-token"),
    ],
)
def test_sale_requests_over_the_limits(fields: dict, fragment: str) -> None:
    base: dict[str, Any] = {"session_id": 1, "username": "alice", "seats": ("S1-A-2",)}
    with pytest.raises(BadInput, match=fragment):
        SaleRequest(**{**base, **fields})


def test_not_a_ticket_code() -> None:
    assert is_code(sign(b"k", TicketCode(1, 2, 3)))
    assert not is_code("hello") and not is_code("BO1.1.2.3") and not is_code("BO1.1.2.3.!!")


# -- generated hostile input --------------------------------------------------------------------------------------
HOSTILE_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Mn"]), max_size=20),
    st.sampled_from(["", " ", "\x00", "X,Y", "SP1 ", "A\u200bB", "\ud800", "L" * 65, "Z" * 17, "V" * 201,
                     "99999999999999999999.99", "-0.001", "NaN", "Infinity", "1e999", "١٢٣"]),
    st.integers(min_value=17, max_value=5000).map(lambda n: "x" * n),
)
HOSTILE_VALUE = st.one_of(
    HOSTILE_TEXT, st.integers(), st.floats(), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=3), st.dictionaries(HOSTILE_TEXT, st.integers(), max_size=2),
)
FIELDS = [
    ("name",), ("kind",), ("session_minutes",), ("zones", 0, "code"), ("zones", 0, "name"), ("zones", 0, "price"),
    ("zones", 1, "color"), ("stands", 0, "code"), ("stands", 0, "name"), ("stands", 0, "sections", 0, "code"),
    ("stands", 0, "sections", 0, "zone"), ("stands", 0, "sections", 1, "rows", 0, "label"),
    (*SEAT, 2, "label"), (*SEAT, 2, "n"), (*SEAT, 2, "x"), (*SEAT, 5, "zone"), (*SEAT, 5, "blocked"),
    ("canvas", "width"), ("extra",), (*SEAT, 7, "extra"),
]


def _assert_storable(layout: Layout) -> None:
    """What an accepted layout holds fits the schema and can be sold from the CLI."""
    assert len(layout.name) <= limits.MAX_NAME and limits.bad_char(layout.name) is None
    for zone in layout.zones:
        assert len(zone.code) <= limits.MAX_CODE and zone.price <= limits.MAX_PRICE
    for seat in layout.seats:
        assert limits.check_label("label", seat.label) == seat.label
        assert max(len(seat.section), len(seat.row), len(seat.number), len(seat.zone)) <= limits.MAX_CODE
    json.dumps(dict(layout.source), allow_nan=False, ensure_ascii=False).encode()  # storable as JSONB (no NaN, no lone surrogate)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(FIELDS), HOSTILE_VALUE), min_size=1, max_size=4))
def test_generated_hostile_layouts_are_refused_or_storable(edits: list[tuple[tuple, Any]]) -> None:
    doc = tiny_doc()
    for keys, value in edits:
        target = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = copy.deepcopy(value)
    try:
        layout = parse_layout(doc, origin="gen.json")
    except LayoutError as exc:
        assert exc.exit_code == 2 and "\n" not in str(exc) and str(exc).startswith("gen.json: ")
        return
    _assert_storable(layout)


@settings(max_examples=200, deadline=None, database=None)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                     st.integers(1, 3000).map(lambda n: ("[" * n + "]" * n).encode()),
                     st.integers(1, 3000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
                     st.just(b"[" + b"9" * 5000 + b"]")))
def test_generated_layout_files_never_fail_otherwise(raw: bytes) -> None:
    try:
        loads_layout(raw, origin="gen.json")
    except LayoutError as exc:
        assert str(exc).startswith("gen.json: ") and exc.exit_code == 2


@settings(max_examples=300, deadline=None, database=None)
@given(labels=st.lists(st.one_of(HOSTILE_TEXT, st.sampled_from(["S1-A-2", "s1-a-3", " S2-D-10 ", "S1-A-1"])),
                       max_size=45))
def test_generated_typed_labels_resolve_or_are_refused(tiny: Layout, labels: list[str]) -> None:
    try:
        indices = Booking.resolve(tiny, labels)
    except (BadInput, SeatsUnavailable) as exc:
        assert exc.exit_code in (2, 3) and "\n" not in str(exc)
        return
    assert list(indices) == sorted(set(indices)) and 1 <= len(indices) <= MAX_SEATS_PER_ORDER
    assert not any(tiny.seats[i].blocked for i in indices)
