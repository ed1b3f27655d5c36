"""Signed ticket codes: round trip, and every kind of forgery is refused."""

from __future__ import annotations

import pytest

from boxoffice.domain.tickets import TicketCode, parse, sign

KEY = b"k" * 32


def test_round_trip():
    t = TicketCode(123, 7, 4567)
    code = sign(KEY, t)
    assert code.startswith("BO1.123.7.4567.") and parse(KEY, code) == t
    assert parse(KEY, code.lower()) == t  # scanners may change case


@pytest.mark.parametrize("tamper", [
    lambda c: c.replace(".4567.", ".4568."),  # another seat
    lambda c: c.replace("BO1.123.", "BO1.124."),  # another order
    lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # damaged signature
    lambda c: c.rsplit(".", 1)[0],  # no signature
    lambda c: "XX" + c,
    lambda c: "",
])
def test_forged_or_damaged_codes_are_refused(tamper):
    assert parse(KEY, tamper(sign(KEY, TicketCode(123, 7, 4567)))) is None


def test_another_installations_key_does_not_verify():
    assert parse(b"other" * 8, sign(KEY, TicketCode(1, 1, 1))) is None
