"""``boxoffice sell --pay cash:50/60,card:90``: split tender from the command line — the order's tenders in the JSON
and in ``order show``; a --pay that does not add up, or cannot be read, is exit 2 with one readable line and writes
nothing; with tills required, a sale without an open till is exit 4."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from boxoffice.bootstrap import App
from boxoffice.domain.values import SessionInfo
from tests.e2e.test_cli import as_user, cli


def test_a_split_sale_from_the_command_line(app: App, env: dict[str, str], session: SessionInfo) -> None:
    sid = str(session.session_id)
    sale = cli(as_user(env, "alice"), "sell", "--session", sid, "--seats", "S1-A-2,S2-C-1",
               "--pay", "cash:12.50/20,card:20", "--json")  # 20 + 12.50
    assert sale["payment"] == "split" and sale["total"] == "32.50" and sale["change"] == "7.50"
    assert sale["tenders"] == [{"method": "cash", "amount": "12.50", "tendered": "20.00"},
                               {"method": "card", "amount": "20.00", "tendered": None}]
    shown = cli(as_user(env, "alice"), "order", "show", str(sale["order_id"]))
    assert "total 32.50 (cash 12.50 (given 20.00, change 7.50) + card 20.00)" in shown


@pytest.mark.parametrize(("pay", "words"), [
    ("cash:10,card:20", "the tenders add up to 30.00, the order costs 32.50"),
    ("cash:32.50,cash:0.00", "a tender's amount must be more than 0"),
    ("bitcoin:32.50", "a tender is METHOD:AMOUNT with a method of cash, card, voucher, not 'bitcoin:32.50'"),
    ("card:32.50/40", "the cash given is for cash payments only"),
])
def test_a_bad_pay_is_exit_2_and_sells_nothing(app: App, env: dict[str, str], session: SessionInfo, pay: str,
                                               words: str) -> None:
    sid = session.session_id
    line = cli(as_user(env, "alice"), "sell", "--session", str(sid), "--seats", "S1-A-4,S2-C-3", "--pay", pay,
               code=2)
    assert words in line, line
    with app.uow() as tx:
        assert tx.session.execute(text("SELECT count(*) FROM orders WHERE session_id = :s"),
                                  {"s": sid}).scalar_one() == 0


def test_with_tills_required_a_sale_without_one_is_exit_4(app: App, env: dict[str, str],
                                                          session: SessionInfo) -> None:
    required = {**as_user(env, "bob"), "BOXOFFICE_REQUIRE_TILL": "yes"}
    line = cli(required, "sell", "--session", str(session.session_id), "--seats", "S1-A-6", code=4)
    assert line == ("boxoffice: no till is open for 'bob': open one (`boxoffice till open --float AMOUNT`, or Till → "
                    "Open in the window) before selling")
    assert app.store.snapshot(session.session_id).stock == app.catalog.layout(session.venue_id).capacity - sum(
        1 for s in app.catalog.layout(session.venue_id).seats if s.blocked)
