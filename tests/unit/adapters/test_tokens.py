"""Order tokens: what the seat store hands out."""

from __future__ import annotations


def test_an_order_token_never_starts_with_a_dash():
    """`boxoffice sell --token T`: argparse takes a T starting with "-" for an option (a CI run met one: 1 in 64)."""
    from boxoffice.adapters.seatstore.store import order_token

    tokens = [order_token() for _ in range(3000)]
    assert all(len(t) == 24 and not t.startswith("-") for t in tokens)
    assert len(set(tokens)) == len(tokens)
