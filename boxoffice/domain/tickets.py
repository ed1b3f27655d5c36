"""Ticket codes: what the QR code on a ticket carries, signed so a forged or altered ticket is detected.

``BO1.<order>.<session>.<seat index>.<signature>`` where the signature is the first 16 bytes of
HMAC-SHA256(secret, "BO1.<order>.<session>.<seat>"), base32 without padding (QR alphanumeric mode stays small).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

PREFIX = "BO1"


@dataclass(frozen=True)
class TicketCode:
    order_id: int
    session_id: int
    seat_index: int


def _signature(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, body.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def sign(secret: bytes, ticket: TicketCode) -> str:
    body = f"{PREFIX}.{ticket.order_id}.{ticket.session_id}.{ticket.seat_index}"
    return f"{body}.{_signature(secret, body)}"


_SHAPE = re.compile(r"^BO1\.([0-9]{1,19})\.([0-9]{1,10})\.([0-9]{1,10})\.([A-Z2-7]{26})$")


def is_code(code: str) -> bool:
    """Whether ``code`` has the shape of a ticket code at all (its signature is not checked)."""
    return _SHAPE.match(code.strip().upper()) is not None


def parse(secret: bytes, code: str) -> TicketCode | None:
    """The ticket a code stands for, or ``None`` when it is malformed or its signature does not match."""
    if not is_code(code):
        return None
    parts = code.strip().upper().split(".")
    body = ".".join(parts[:4])
    if not hmac.compare_digest(_signature(secret, body), parts[4]):
        return None
    return TicketCode(int(parts[1]), int(parts[2]), int(parts[3]))
