"""Every size and range limit of user input, in one place: the CLI, the services and the layout parser check these
before any SQL runs, so bad input is a :class:`~boxoffice.errors.BadInput` (exit 2) naming the field and the limit,
never a database error.

The limits follow the schema (``adapters/models.py``): a label is ``String(64)``, a code ``String(16)``, a name
``String(200)``, ids are ``Integer`` (sessions, venues) or ``BigInteger`` (orders, outbox messages), money is
``Numeric(12, 2)`` — an order of ``MAX_SEATS_PER_ORDER`` seats at ``MAX_PRICE`` still fits.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from ..errors import BadInput

MAX_INT4 = 2**31 - 1  #: largest session or venue id (PostgreSQL integer)
MAX_INT8 = 2**63 - 1  #: largest order or outbox message id (PostgreSQL bigint)

MAX_NAME = 200  #: venue and session names
MAX_LABEL = 64  #: seat labels
MAX_CODE = 16  #: zone, stand and section codes, row labels, seat numbers
MAX_ZONE_NAME = 100
MAX_KIND = 32
MAX_TEXT = 200  #: other display names in a layout (stands, sections)
MAX_REASON = 500  #: cancellation / exchange reasons
MAX_USERNAME = 64
MAX_TOKEN = 64
MAX_PRICE = Decimal("1000000.00")  #: per seat; 40 seats of it fit an order total (Numeric(12, 2))
MAX_SESSION_MINUTES = 31 * 24 * 60  #: a layout's default session length: at most 31 days
MIN_YEAR, MAX_YEAR = 2000, 2999  #: sessions start in these years

MAX_LAYOUT_BYTES = 64 * 1024 * 1024  #: a layout file (the shipped stadium of 80,000 seats is under 3 MB)
MAX_LAYOUT_DEPTH = 32  #: nesting of a layout document (the format itself needs 9)

#: characters never allowed in a seat label besides control/format characters: the CLI splits ``--seats`` on commas
LABEL_FORBIDDEN = ","


def check_id(field: str, value: int, maximum: int = MAX_INT4) -> int:
    """A positive whole number no larger than the column that stores it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(f"{field} must be a whole number, not {str(value)[:40]!r}")
    if not 1 <= value <= maximum:
        raise BadInput(f"{field} must be between 1 and {maximum}, not {str(value)[:40]}")
    return value


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def bad_char(value: str, invisible: bool = False) -> str | None:
    """Why ``value`` cannot be stored or shown: a NUL or other control character, a lone surrogate, and with
    ``invisible`` also format characters (zero-width space, bidi marks…) and spaces other than U+0020.
    ``None`` when it is fine."""
    if value.isprintable():  # no character of the categories Other or Separator, except the ASCII space
        return None
    for ch in value:
        cat = unicodedata.category(ch)
        if ch == "\x00":
            return "contains a NUL character"
        if cat == "Cs":
            return f"contains a lone surrogate {_describe(ch)}"
        if cat == "Cc":
            return f"contains a control character {_describe(ch)}"
        if invisible and (cat in ("Cf", "Co", "Cn", "Zl", "Zp") or (cat == "Zs" and ch != " ")):
            return f"contains an invisible or unusual character {_describe(ch)}"
    return None


def normalise(value: str) -> str:
    """NFC, surrounding white space removed."""
    return unicodedata.normalize("NFC", value).strip()


def label_key(label: str) -> str:
    """The case-insensitive form of a seat label (lookups where that is unambiguous)."""
    return unicodedata.normalize("NFC", normalise(label).casefold())


def check_text(field: str, value: object, maximum: int, *, invisible: bool = False, empty: bool = False) -> str:
    """A text field normalised (NFC, trimmed) and checked: a string, not empty (unless ``empty``), at most
    ``maximum`` characters, no control characters (and no invisible ones with ``invisible``)."""
    if not isinstance(value, str):
        raise BadInput(f"{field} must be text")
    why = bad_char(value, invisible)
    if why:
        raise BadInput(f"{field} {why}")
    text = normalise(value)
    if not text and not empty:
        raise BadInput(f"{field} must not be empty")
    if len(text) > maximum:
        raise BadInput(f"{field} is longer than {maximum} characters ({len(text)})")
    return text


def check_label(field: str, value: object) -> str:
    """A seat label as typed by a clerk or written in a layout: normalised, at most ``MAX_LABEL`` characters, no
    comma, no invisible character."""
    text = check_text(field, value, MAX_LABEL, invisible=True)
    if any(c in text for c in LABEL_FORBIDDEN):
        raise BadInput(f"{field} {text!r} contains a comma (seat lists are comma-separated)")
    return text


def check_price(field: str, value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadInput(f"{field} must be a non-negative amount with at most two decimals: {str(value)[:40]!r}")
    if value > MAX_PRICE:
        raise BadInput(f"{field} must be at most {MAX_PRICE}: {str(value)[:40]!r}")
    return value


def short(value: object, n: int = 40) -> str:
    """``repr`` of a value cut to ``n`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= n else text[: n - 1] + "…"
