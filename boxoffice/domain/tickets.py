"""Ticket codes: what the QR code on a ticket carries, signed so a forged or altered ticket is detected.

``BO2.<order>.<session>.<seat index>.<TYPE>.<reprint>.<signature>``: the price type (upper case: the gate reads it
without the database) and the reprint number (0: the first print; a code of an older print is refused once the
ticket was reprinted). The signature is the first 16 bytes of HMAC-SHA256(secret, everything before it), base32
without padding. Every character is in the QR alphanumeric set (A-Z 0-9 $%*+-./:), so the code stays small.

The first format, ``BO1.<order>.<session>.<seat>.<signature>``, is still read: as an ``ADULT`` ticket, first print.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from .values import DEFAULT_PRICE_TYPE

PREFIX = "BO2"
LEGACY_PREFIX = "BO1"
#: a price type as a code carries it: upper-case letters, digits, '-' and '_'-turned-'-' (QR alphanumeric)
_TYPE = r"[A-Z0-9][A-Z0-9-]{0,31}"


@dataclass(frozen=True)
class TicketCode:
    order_id: int
    session_id: int
    seat_index: int
    price_type: str = DEFAULT_PRICE_TYPE
    reprint: int = 0


def _signature(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, body.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def type_in_code(price_type: str) -> str:
    """A price type as the code carries it: upper case, every character outside A-Z 0-9 as '-' (QR alphanumeric
    mode has no '_'), at most 32 characters. The verifier compares the same form on both sides."""
    shown = re.sub(r"[^A-Z0-9]", "-", price_type.strip().upper())[:32]
    if not shown or shown[0] == "-":
        shown = "T" + shown[:31]  # a type code starting with a sign still fits the shape
    return shown


def type_of_code(shown: str) -> str:
    """The price type code (as the database keeps it: lower case) a ticket code's TYPE field stands for."""
    return shown.lower()


def sign(secret: bytes, ticket: TicketCode) -> str:
    if ticket.reprint < 0:
        raise ValueError("a reprint number is 0 or more")
    body = (f"{PREFIX}.{ticket.order_id}.{ticket.session_id}.{ticket.seat_index}."
            f"{type_in_code(ticket.price_type)}.{ticket.reprint}")
    return f"{body}.{_signature(secret, body)}"


def sign_legacy(secret: bytes, ticket: TicketCode) -> str:
    """A first-format (BO1) code, as tickets printed before price types and reprints carry (for tests)."""
    body = f"{LEGACY_PREFIX}.{ticket.order_id}.{ticket.session_id}.{ticket.seat_index}"
    return f"{body}.{_signature(secret, body)}"


_LEGACY = re.compile(r"^BO1\.([0-9]{1,19})\.([0-9]{1,10})\.([0-9]{1,10})\.([A-Z2-7]{26})$")
_SHAPE = re.compile(rf"^BO2\.([0-9]{{1,19}})\.([0-9]{{1,10}})\.([0-9]{{1,10}})\.({_TYPE})\.([0-9]{{1,5}})"
                    r"\.([A-Z2-7]{26})$")


def is_code(code: str) -> bool:
    """Whether ``code`` has the shape of a ticket code at all, either format (its signature is not checked)."""
    text = code.strip().upper()
    return _SHAPE.match(text) is not None or _LEGACY.match(text) is not None


def parse(secret: bytes, code: str) -> TicketCode | None:
    """The ticket a code stands for, or ``None`` when it is malformed or its signature does not match."""
    text = code.strip().upper()
    m = _SHAPE.match(text)
    if m is not None:
        body, sig = text.rsplit(".", 1)
        if not hmac.compare_digest(_signature(secret, body), sig):
            return None
        return TicketCode(int(m[1]), int(m[2]), int(m[3]), type_of_code(m[4]), int(m[5]))
    m = _LEGACY.match(text)
    if m is not None:
        body, sig = text.rsplit(".", 1)
        if not hmac.compare_digest(_signature(secret, body), sig):
            return None
        return TicketCode(int(m[1]), int(m[2]), int(m[3]))
    return None
