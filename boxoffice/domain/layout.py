"""Venue layouts: the documented JSON format (docs/layout-format.md) and its validating loader.

The order of seats in the file is the seat index, which is the seat's bit in the Redis bitmap.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import BadInput, LayoutError
from . import limits
from .limits import (
    MAX_CODE,
    MAX_KIND,
    MAX_LABEL,
    MAX_LAYOUT_BYTES,
    MAX_LAYOUT_DEPTH,
    MAX_NAME,
    MAX_PRICE,
    MAX_SESSION_MINUTES,
    MAX_TEXT,
    MAX_ZONE_NAME,
)
from .pricing import TypeSpec, parse_types, resolve

FORMAT = "boxoffice-layout/1"
MAX_SEATS = 200_000
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class Zone:
    code: str
    name: str
    price: Decimal
    color: str


@dataclass(frozen=True, slots=True)
class Stand:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Seat:
    index: int
    label: str
    stand: str
    section: str
    row: str
    number: str
    zone: str
    x: float
    y: float
    w: float = 8.0
    h: float = 8.0
    r: float = 0.0
    accessible: bool = False
    blocked: bool = False
    aisle_after: bool = False


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    session_minutes: int
    width: float
    height: float
    focus: tuple[float, float]
    zones: tuple[Zone, ...]
    stands: tuple[Stand, ...]
    seats: tuple[Seat, ...]
    checksum: str = ""
    source: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: the layout's optional ``price_types`` section (docs/price-types.md), stored as the venue's price list on import
    price_types: tuple[TypeSpec, ...] = field(default=(), repr=False, compare=False)

    @property
    def capacity(self) -> int:
        return len(self.seats)

    @cached_property
    def blocked_count(self) -> int:
        return sum(1 for s in self.seats if s.blocked)

    @cached_property
    def by_label(self) -> dict[str, Seat]:
        return {seat.label: seat for seat in self.seats}

    @cached_property
    def by_key(self) -> dict[str, Seat | None]:
        """Case-insensitive label → seat; ``None`` where two labels differ only in case (ambiguous)."""
        out: dict[str, Seat | None] = {}
        for seat in self.seats:
            key = limits.label_key(seat.label)
            out[key] = None if key in out else seat
        return out

    @cached_property
    def zone_by_code(self) -> dict[str, Zone]:
        return {zone.code: zone for zone in self.zones}

    @cached_property
    def rows(self) -> tuple[tuple[int, ...], ...]:
        """Seat indices grouped by physical row, in row order."""
        rows: list[tuple[int, ...]] = []
        current: list[int] = []
        key = None
        for seat in self.seats:
            seat_key = (seat.section, seat.row)
            if seat_key != key and current:
                rows.append(tuple(current))
                current = []
            key = seat_key
            current.append(seat.index)
        if current:
            rows.append(tuple(current))
        return tuple(rows)

    def price_of(self, index: int) -> Decimal:
        return self.zone_by_code[self.seats[index].zone].price


class _Reader:
    """Walks the JSON document and raises LayoutError naming the file and the JSON path."""

    def __init__(self, origin: str, strict: bool = True) -> None:
        self.origin = origin
        self.strict = strict

    def fail(self, path: str, message: str) -> LayoutError:
        return LayoutError(f"{self.origin}: {path}: {message}" if path else f"{self.origin}: {message}")

    def get(self, obj: Mapping[str, Any], path: str, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if default is ...:
                raise self.fail(where, "missing")
            return default
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a number field must not accept true/false
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            names = " or ".join(k.__name__.replace("str", "string").replace("float", "number") for k in kinds)
            raise self.fail(where, f"expected {names}, got {json.dumps(value)[:40]}")
        return value

    def text(self, obj: Mapping[str, Any], path: str, key: str, default: Any = ..., maximum: int = MAX_TEXT) -> str:
        value = self.get(obj, path, key, str, default)
        where = f"{path}.{key}" if path else key
        if isinstance(value, str) and not value.strip():
            raise self.fail(where, "must not be empty")
        if self.strict:
            why = limits.bad_char(value)
            if why:
                raise self.fail(where, why)
            if len(value.strip()) > maximum:
                raise self.fail(where, f"longer than {maximum} characters ({len(value.strip())})")
        return value

    def label(self, path: str, raw: str) -> str:
        """A seat label normalised (NFC, trimmed); on import also refused when it could never be typed or sold."""
        label = limits.normalise(raw)
        if self.strict:
            why = limits.bad_char(raw, invisible=True)
            if why:
                raise self.fail(path, f"seat label {raw!r} {why}")
            if any(c in label for c in limits.LABEL_FORBIDDEN):
                raise self.fail(path, f"seat label {label!r} contains a comma (seat lists are comma-separated)")
            if len(label) > MAX_LABEL:
                raise self.fail(path, f"seat label longer than {MAX_LABEL} characters ({len(label)})")
        return label

    def number(self, obj: Mapping[str, Any], path: str, key: str, default: Any = ...) -> float:
        value = float(self.get(obj, path, key, (int, float), default))
        if not math.isfinite(value):
            raise self.fail(f"{path}.{key}" if path else key, f"must be a finite number, got {value}")
        return value

    def items(self, obj: Mapping[str, Any], path: str, key: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        where = f"{path}.{key}" if path else key
        for i, item in enumerate(self.get(obj, path, key, list)):
            if not isinstance(item, dict):
                raise self.fail(f"{where}[{i}]", "expected an object")
            yield f"{where}[{i}]", item


def _path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def check_document(doc: Any, rd: _Reader) -> None:
    """Every value of the document can be stored as JSONB and nothing is nested deeper than ``MAX_LAYOUT_DEPTH``:
    no NUL character or lone surrogate in any string or key, no infinite number (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_LAYOUT_DEPTH:
            raise rd.fail(_path(_find(doc, value)), f"nested deeper than {MAX_LAYOUT_DEPTH} levels")
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict):
            for k in value:
                if not isinstance(k, str) or (not k.isprintable() and limits.bad_char(k)):
                    raise rd.fail(_path(_find(doc, value)), f"key {limits.short(k)} {limits.bad_char(str(k))}")
        for v in children:
            if isinstance(v, str):
                if not v.isprintable():
                    why = limits.bad_char(v)
                    if why and "control" not in why:  # a tab or newline in a field nobody reads is harmless
                        raise rd.fail(_path(_find(doc, v)), why)
            elif isinstance(v, dict | list):
                stack.append((v, depth + 1))
            elif isinstance(v, float) and not math.isfinite(v):
                raise rd.fail(_path(_find(doc, value)), f"contains an infinite number ({v})")


def _find(doc: Any, target: Any) -> tuple[str | int, ...]:
    """The JSON path of ``target`` (by identity) in ``doc``, for error messages; depth-first, bounded."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, parts = stack.pop()
        if value is target:
            return parts
        if len(parts) > MAX_LAYOUT_DEPTH + 1:
            continue
        if isinstance(value, dict):
            stack.extend((v, (*parts, k)) for k, v in value.items() if isinstance(v, dict | list | str))
        elif isinstance(value, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(value) if isinstance(v, dict | list | str))
    return ()


def parse_layout(doc: Any, origin: str = "<layout>", strict: bool = True) -> Layout:
    """Validate a decoded layout document and build the :class:`Layout`.

    ``strict`` (an import) also enforces the limits of :mod:`boxoffice.domain.limits`; a layout already stored is
    parsed with ``strict=False`` so that a venue imported under older rules keeps selling. Seat labels are
    normalised (NFC, trimmed) either way."""
    rd = _Reader(origin, strict)
    if not isinstance(doc, dict):
        raise rd.fail("", "the top level must be a JSON object")
    if strict:
        check_document(doc, rd)
    fmt = doc.get("format")
    if fmt != FORMAT:
        raise rd.fail("format", f"expected {FORMAT!r}, got {fmt!r}")
    name = limits.normalise(rd.text(doc, "", "name", maximum=MAX_NAME))
    kind = rd.text(doc, "", "kind", "venue", maximum=MAX_KIND)
    minutes = rd.get(doc, "", "session_minutes", int, 120)
    if minutes <= 0:
        raise rd.fail("session_minutes", "must be positive")
    if strict and minutes > MAX_SESSION_MINUTES:
        raise rd.fail("session_minutes", f"must be at most {MAX_SESSION_MINUTES} (31 days)")
    canvas = rd.get(doc, "", "canvas", dict)
    width, height = rd.number(canvas, "canvas", "width"), rd.number(canvas, "canvas", "height")
    if width <= 0 or height <= 0:
        raise rd.fail("canvas", "width and height must be positive")
    focus_doc = rd.get(doc, "", "focus", dict, {"x": width / 2, "y": height / 2})
    focus = (rd.number(focus_doc, "focus", "x"), rd.number(focus_doc, "focus", "y"))
    if not (0 <= focus[0] <= width and 0 <= focus[1] <= height):
        raise rd.fail("focus", f"({focus[0]:g}, {focus[1]:g}) is outside the canvas {width:g}×{height:g}")

    zones: dict[str, Zone] = {}
    for path, z in rd.items(doc, "", "zones"):
        code = rd.text(z, path, "code", maximum=MAX_CODE)
        if code in zones:
            raise rd.fail(f"{path}.code", f"duplicate zone code {code!r}")
        raw_price = rd.get(z, path, "price", str)
        try:
            price = Decimal(raw_price)
        except InvalidOperation:
            raise rd.fail(f"{path}.price", f"not a decimal amount: {raw_price!r}") from None
        if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
            raise rd.fail(f"{path}.price", f"must be a non-negative amount with at most two decimals: {raw_price!r}")
        if strict and price > MAX_PRICE:
            raise rd.fail(f"{path}.price", f"must be at most {MAX_PRICE}, got {limits.short(raw_price)}")
        color = rd.text(z, path, "color")
        if not _COLOR.match(color):
            raise rd.fail(f"{path}.color", f"expected #rrggbb, got {color!r}")
        zones[code] = Zone(code, rd.text(z, path, "name", maximum=MAX_ZONE_NAME), price.quantize(Decimal("0.01")),
                           color.lower())
    if not zones:
        raise rd.fail("zones", "a venue needs at least one price zone")

    stands: dict[str, Stand] = {}
    sections: set[str] = set()
    labels: dict[str, str] = {}
    seats: list[Seat] = []
    for spath, st in rd.items(doc, "", "stands"):
        scode = rd.text(st, spath, "code", maximum=MAX_CODE)
        if scode in stands:
            raise rd.fail(f"{spath}.code", f"duplicate stand code {scode!r}")
        stands[scode] = Stand(scode, rd.text(st, spath, "name"))
        for secpath, sec in rd.items(st, spath, "sections"):
            seccode = rd.text(sec, secpath, "code", maximum=MAX_CODE)
            if seccode in sections:
                raise rd.fail(f"{secpath}.code", f"duplicate section code {seccode!r}")
            sections.add(seccode)
            seczone = rd.text(sec, secpath, "zone")
            if seczone not in zones:
                raise rd.fail(f"{secpath}.zone", f"unknown zone {seczone!r}")
            row_labels: set[str] = set()
            for rpath, row in rd.items(sec, secpath, "rows"):
                rlabel = rd.text(row, rpath, "label", maximum=MAX_CODE)
                if rlabel in row_labels:
                    raise rd.fail(f"{rpath}.label", f"duplicate row label {rlabel!r} in section {seccode!r}")
                row_labels.add(rlabel)
                numbers: set[str] = set()
                for path, s in rd.items(row, rpath, "seats"):
                    n = rd.text(s, path, "n", maximum=MAX_CODE)
                    if n in numbers:
                        raise rd.fail(f"{path}.n", f"duplicate seat number {n!r} in row {rlabel!r}")
                    numbers.add(n)
                    label = rd.label(path, rd.text(s, path, "label", f"{seccode}-{rlabel}-{n}", maximum=10**9))
                    if label in labels:
                        raise rd.fail(path, f"duplicate seat label {label!r} (also at {labels[label]})")
                    labels[label] = path
                    zone = rd.text(s, path, "zone", seczone)
                    if zone not in zones:
                        raise rd.fail(f"{path}.zone", f"unknown zone {zone!r}")
                    x, y = rd.number(s, path, "x"), rd.number(s, path, "y")
                    if not (0 <= x <= width and 0 <= y <= height):
                        raise rd.fail(path, f"position ({x}, {y}) is outside the canvas {width:g}×{height:g}")
                    w, h = rd.number(s, path, "w", 8.0), rd.number(s, path, "h", 8.0)
                    if w <= 0 or h <= 0:
                        raise rd.fail(path, "w and h must be positive")
                    seats.append(
                        Seat(
                            index=len(seats),
                            label=label,
                            stand=scode,
                            section=seccode,
                            row=rlabel,
                            number=n,
                            zone=zone,
                            x=x,
                            y=y,
                            w=w,
                            h=h,
                            r=rd.number(s, path, "r", 0.0),
                            accessible=rd.get(s, path, "accessible", bool, False),
                            blocked=rd.get(s, path, "blocked", bool, False),
                            aisle_after=rd.get(s, path, "aisle_after", bool, False),
                        )
                    )
                    if len(seats) > MAX_SEATS:
                        raise rd.fail(path, f"more than {MAX_SEATS:,} seats; split the venue")
    if not seats:
        raise rd.fail("stands", "the venue has no seats")
    price_types: tuple[TypeSpec, ...] = ()
    if doc.get("price_types") is not None:
        try:
            price_types = parse_types(doc["price_types"], tuple(zones), "price_types")
            resolve(price_types, {z.code: z.price for z in zones.values()}, "price_types")  # no negative result
        except BadInput as exc:
            raise rd.fail("", str(exc)) from None
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    return Layout(
        name=name,
        kind=kind,
        session_minutes=minutes,
        width=width,
        height=height,
        focus=focus,
        zones=tuple(zones.values()),
        stands=tuple(stands.values()),
        seats=tuple(seats),
        checksum=hashlib.sha256(canonical).hexdigest(),
        source=doc,
        price_types=price_types,
    )


def loads_layout(text: str | bytes, origin: str = "<layout>") -> Layout:
    if len(text) > MAX_LAYOUT_BYTES:
        raise LayoutError(f"{origin}: larger than {MAX_LAYOUT_BYTES:,} bytes; split the venue")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LayoutError(f"{origin}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise LayoutError(f"{origin}: not UTF-8 text: {exc.reason}") from None
    except RecursionError:
        raise LayoutError(f"{origin}: nested deeper than {MAX_LAYOUT_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise LayoutError(f"{origin}: malformed JSON: {str(exc)[:120]}") from None
    return parse_layout(doc, origin)


def load_layout(path: str | Path) -> Layout:
    """Read and validate a layout file; every problem is a :class:`LayoutError` naming the file."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_LAYOUT_BYTES + 1)
    except OSError as exc:
        raise LayoutError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return loads_layout(data, origin=str(path))
