"""Signed ticket codes: round trip, and every kind of forgery is refused (BO2 with price type and reprint; BO1
still read as an adult ticket, first print)."""

from __future__ import annotations

import re

import pytest

from boxoffice.domain.tickets import TicketCode, is_code, parse, sign, sign_legacy, type_in_code

KEY = b"k" * 32
QR_ALNUM = re.compile(r"^[A-Z0-9 $%*+\-./:]+$")


def test_round_trip():
    t = TicketCode(123, 7, 4567, "child", 2)
    code = sign(KEY, t)
    assert code.startswith("BO2.123.7.4567.CHILD.2.") and parse(KEY, code) == t
    assert parse(KEY, code.lower()) == t  # scanners may change case
    assert QR_ALNUM.match(code), "every character is in QR alphanumeric mode"


def test_defaults_are_adult_first_print():
    code = sign(KEY, TicketCode(1, 2, 3))
    assert code.startswith("BO2.1.2.3.ADULT.0.") and parse(KEY, code) == TicketCode(1, 2, 3, "adult", 0)


def test_legacy_codes_read_as_adult_first_print():
    code = sign_legacy(KEY, TicketCode(123, 7, 4567))
    assert code.startswith("BO1.123.7.4567.") and is_code(code)
    assert parse(KEY, code) == TicketCode(123, 7, 4567, "adult", 0)


@pytest.mark.parametrize(("code", "shown"), [("vip_member", "VIP-MEMBER"), ("kid's", "KID-S"), ("_x", "T-X"),
                                             ("", "T"), ("a" * 40, "A" * 32)])
def test_any_type_code_fits_qr_alphanumeric_mode(code, shown):
    assert type_in_code(code) == shown
    signed = sign(KEY, TicketCode(1, 2, 3, code))
    assert QR_ALNUM.match(signed) and parse(KEY, signed) is not None


@pytest.mark.parametrize("tamper", [
    lambda c: c.replace(".4567.", ".4568."),  # another seat
    lambda c: c.replace("BO2.123.", "BO2.124."),  # another order
    lambda c: c.replace(".CHILD.", ".ADULT."),  # another price type (a child ticket passed off as adult)
    lambda c: c.replace(".CHILD.2.", ".CHILD.3."),  # a later reprint number (an old ticket passed off as new)
    lambda c: c.replace(".CHILD.2.", ".CHILD.0."),
    lambda c: c.replace("BO2.", "BO1.").replace(".CHILD.2.", "."),  # downgraded to the old format
    lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # damaged signature
    lambda c: c.rsplit(".", 1)[0],  # no signature
    lambda c: "XX" + c,
    lambda c: "",
])
def test_forged_or_damaged_codes_are_refused(tamper):
    code = sign(KEY, TicketCode(123, 7, 4567, "child", 2))
    assert tamper(code) != code
    assert parse(KEY, tamper(code)) is None


def test_another_installations_key_does_not_verify():
    assert parse(b"other" * 8, sign(KEY, TicketCode(1, 1, 1))) is None
    assert parse(b"other" * 8, sign_legacy(KEY, TicketCode(1, 1, 1))) is None
