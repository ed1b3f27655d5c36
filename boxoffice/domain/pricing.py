"""Price types and a session's price list: what each zone costs for each type (adult, child, complimentary, …).

A venue with no price types of its own sells one type, ``adult``, at its zones' prices (the layout's). A price is
venue-wide or for one session (the session's wins). Pure: the database picture comes from
``adapters/repos/pricing.py``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..errors import BadInput
from . import limits
from .limits import MAX_PRICE
from .values import DEFAULT_PRICE_TYPE, AsDict

if TYPE_CHECKING:
    from .layout import Layout  # the layout parses its price types with this module


@dataclass(frozen=True)
class PriceTypeInfo(AsDict):
    code: str
    name: str
    #: a sale of this type needs a supervisor (a complimentary ticket)
    needs_supervisor: bool = False
    #: what the gate checks ("check proof of age"); shown by ``ticket verify``
    notice: str | None = None


ADULT = PriceTypeInfo(DEFAULT_PRICE_TYPE, "Adult")


@dataclass(frozen=True)
class PriceList:
    """The types on sale (display order; the default first) and the price of each (zone, type)."""

    types: tuple[PriceTypeInfo, ...]
    prices: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)

    @classmethod
    def of_layout(cls, layout: Layout, types: tuple[PriceTypeInfo, ...] = (),
                  prices: Mapping[tuple[str, str], Decimal] | None = None) -> PriceList:
        """The layout's zone prices as the ``adult`` price of each zone, overlaid with ``prices``; ``types`` in their
        order (``adult`` first when not among them)."""
        merged = {(z.code, DEFAULT_PRICE_TYPE): z.price for z in layout.zones}
        merged.update(prices or {})
        listed = tuple(types)
        if not any(t.code == DEFAULT_PRICE_TYPE for t in listed):
            listed = (ADULT, *listed)
        return cls(listed, merged)

    def type(self, code: str) -> PriceTypeInfo:
        for t in self.types:
            if t.code == code:
                return t
        raise BadInput(reason="unknown_price_type", price_type=code,
                       known=", ".join(t.code for t in self.types))

    def price(self, zone: str, code: str) -> Decimal:
        """The price of one seat of ``zone`` sold as ``code``: BadInput when the type is unknown or has no price in
        that zone."""
        self.type(code)
        found = self.prices.get((zone, code))
        if found is None:
            raise BadInput(reason="no_price_for_type", price_type=code, zone=zone)
        return found

    def next_type(self, code: str) -> str:
        """The type after ``code`` in display order (wrapping round): what the window's type key cycles through."""
        codes = [t.code for t in self.types]
        return codes[(codes.index(code) + 1) % len(codes)] if code in codes else codes[0]


# -- price list documents (docs/price-types.md) ---------------------------------------------------------------------
#: a price type's code: what the CLI's ``--types`` and the order lines carry
CODE = re.compile(r"^[a-z0-9_]{1,16}$")
#: the complimentary type's code: needs a supervisor unless the list says otherwise
COMPLIMENTARY = "comp"
#: a zone key of a type's prices naming every zone the type does not name itself
EVERY_ZONE = "*"
MAX_TYPES = 32
MAX_TYPE_NAME = 100
MAX_NOTICE = 200
#: ``12.00`` fixed; ``+3.00`` / ``-5.00`` from the adult price; ``-50%`` / ``+10%`` a percentage of it
_RULE = re.compile(r"^(?P<sign>[+-])?(?P<amount>[0-9]{1,7}(?:\.[0-9]{1,2})?)(?P<percent>%)?$")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PriceRule:
    """One zone's price of a type as written: fixed, or an offset (absolute or percent) from the adult price."""

    text: str
    kind: str  # "fixed" | "offset" | "percent"
    amount: Decimal  # signed for offsets and percentages

    def apply(self, adult: Decimal) -> Decimal:
        if self.kind == "fixed":
            return self.amount
        if self.kind == "offset":
            return adult + self.amount
        return (adult * (Decimal(100) + self.amount) / Decimal(100)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TypeSpec:
    """A price type as a price list writes it: its rules per zone (``*``: every other zone) and, when the list
    says, whether it needs a supervisor (None: a complimentary type does)."""

    code: str
    name: str
    needs_supervisor: bool | None
    notice: str | None
    rules: tuple[tuple[str, PriceRule], ...]


def parse_rule(where: str, raw: object) -> PriceRule:
    text = raw.strip() if isinstance(raw, str) else raw
    m = _RULE.match(text) if isinstance(text, str) else None
    if m is None:
        raise BadInput(reason="price_list_bad_price", where=where, price=str(raw)[:40])
    amount = Decimal(m["amount"]) * (-1 if m["sign"] == "-" else 1)
    if m["percent"]:
        if m["sign"] is None or not Decimal(-100) <= amount <= Decimal(1000):
            raise BadInput(reason="price_list_bad_percent", where=where, price=text)
        return PriceRule(text, "percent", amount)
    if m["sign"] is None:
        if amount > MAX_PRICE:
            raise BadInput(reason="price_list_too_high", where=where, price=text, result=amount, maximum=MAX_PRICE)
        return PriceRule(text, "fixed", amount.quantize(_CENT))
    return PriceRule(text, "offset", amount.quantize(_CENT))


def _text(entry: Mapping[str, Any], where: str, key: str, maximum: int, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadInput(reason="price_list_field", where=f"{where}.{key}", expected="text")
    value = limits.normalise(value)
    if len(value) > maximum or limits.bad_char(value):
        raise BadInput(reason="price_list_field", where=f"{where}.{key}",
                       expected=f"text of at most {maximum} visible characters")
    return value


def parse_types(entries: object, zones: Collection[str], where: str = "types") -> tuple[TypeSpec, ...]:
    """The ``types`` list of a price list (or the ``price_types`` section of a layout), checked against the venue's
    zone codes. :class:`BadInput` names the place and what is wrong."""
    if not isinstance(entries, list):
        raise BadInput(reason="price_list_field", where=where, expected="a list of price types")
    if not entries:
        raise BadInput(reason="price_list_empty")
    if len(entries) > MAX_TYPES:
        raise BadInput(reason="price_list_too_long", count=len(entries), maximum=MAX_TYPES)
    specs: list[TypeSpec] = []
    seen: set[str] = set()
    for k, entry in enumerate(entries):
        at = f"{where}[{k}]"
        if not isinstance(entry, dict):
            raise BadInput(reason="price_list_field", where=at, expected="an object")
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            raise BadInput(reason="price_type_bad_code", where=f"{at}.code", code=str(code)[:40])
        if code in seen:
            raise BadInput(reason="price_type_twice", where=f"{at}.code", code=code)
        seen.add(code)
        name = _text(entry, at, "name", MAX_TYPE_NAME)
        notice = _text(entry, at, "notice", MAX_NOTICE, required=False)
        needs = entry.get("needs_supervisor")
        if needs is not None and not isinstance(needs, bool):
            raise BadInput(reason="price_list_field", where=f"{at}.needs_supervisor", expected="true or false")
        prices = entry.get("prices")
        if not isinstance(prices, dict):
            raise BadInput(reason="price_list_field", where=f"{at}.prices",
                           expected='an object of zone: price, e.g. {"A": "-40%"}')
        if not prices:
            raise BadInput(reason="price_type_no_prices", where=f"{at}.prices", code=code)
        rules: list[tuple[str, PriceRule]] = []
        for zone, raw in prices.items():
            if zone != EVERY_ZONE and zone not in zones:
                raise BadInput(reason="price_list_unknown_zone", where=f"{at}.prices", zone=zone,
                               known=", ".join(sorted(zones)))
            rules.append((zone, parse_rule(f"{at}.prices.{zone}", raw)))
        assert name is not None
        specs.append(TypeSpec(code, name, needs, notice, tuple(rules)))
    return tuple(specs)


def parse_price_list(doc: object, zones: Collection[str]) -> tuple[TypeSpec, ...]:
    """A price list document: ``{"types": [...]}``."""
    if not isinstance(doc, dict) or "types" not in doc:
        raise BadInput(reason="price_list_not_object")
    return parse_types(doc["types"], zones)


def resolve(specs: Sequence[TypeSpec], zone_prices: Mapping[str, Decimal], where: str = "types"
            ) -> tuple[tuple[PriceTypeInfo, ...], dict[tuple[str, str], Decimal]]:
    """Fixed prices of every (zone, type) the list names: offsets and percentages apply to the zone's adult price —
    the list's own ``adult`` price of the zone when it gives one (itself resolved from the layout's), else the
    layout's zone price (``zone_prices``). A percentage rounds half up to the cent. A type needs a supervisor when the
    list says so, else when it is the complimentary type (``comp``) or every price of it is 0."""
    adult = dict(zone_prices)
    ordered = sorted(specs, key=lambda s: s.code != DEFAULT_PRICE_TYPE)  # adult first: the others follow it
    out: dict[tuple[str, str], Decimal] = {}
    infos: dict[str, PriceTypeInfo] = {}
    for spec in ordered:
        k = next(i for i, s in enumerate(specs) if s is spec)
        named = {z for z, _r in spec.rules if z != EVERY_ZONE}
        base = dict(zone_prices) if spec.code == DEFAULT_PRICE_TYPE else adult
        for zone, rule in spec.rules:
            for z in ([zone] if zone != EVERY_ZONE else [z for z in zone_prices if z not in named]):
                result = rule.apply(base[z])
                at = f"{where}[{k}].prices.{zone}"
                if result < 0:
                    raise BadInput(reason="price_list_negative", where=at, price=rule.text, result=result, zone=z)
                if result > MAX_PRICE:
                    raise BadInput(reason="price_list_too_high", where=at, price=rule.text, result=result,
                                   maximum=MAX_PRICE)
                out[(z, spec.code)] = result
        if spec.code == DEFAULT_PRICE_TYPE:
            adult.update({z: p for (z, _c), p in out.items()})
        mine = [p for (_z, c), p in out.items() if c == spec.code]
        needs = spec.needs_supervisor
        if needs is None:
            needs = spec.code == COMPLIMENTARY or (bool(mine) and all(p == 0 for p in mine))
        infos[spec.code] = PriceTypeInfo(spec.code, spec.name, needs, spec.notice)
    return tuple(infos[s.code] for s in specs), out
