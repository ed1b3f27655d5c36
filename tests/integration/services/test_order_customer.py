"""An optional customer name and phone on a sale, and finding orders by number, token, seat label, name or phone
(real servers). Walk-up sales stay anonymous, and a named sale is still the one sale statement."""

from __future__ import annotations

import json
import secrets

import pytest
from sqlalchemy import text

from boxoffice.bench.common import SaleStatementCounter
from boxoffice.errors import BadInput, NotFound
from tests.conftest import run_cli_as
from tests.integration.services.test_booking import sell


def labels(app, session) -> dict[str, int]:
    return {s.label: s.index for s in app.catalog.layout(session.venue_id).seats}


def stored(app, order_id: int) -> tuple[str | None, str | None]:
    with app.uow() as tx:
        return tuple(tx.session.execute(text("SELECT customer_name, customer_phone FROM orders WHERE id = :o"),
                                        {"o": order_id}).one())


def test_a_walk_up_sale_stays_anonymous_and_a_named_sale_is_one_statement(app, session):
    sid = session.session_id
    anonymous = sell(app, sid, "S1-A-2")
    assert stored(app, anonymous.order_id) == (None, None)
    assert "customer_name" not in anonymous.as_dict()  # what `sell --json` / `order show --json` print is unchanged
    with SaleStatementCounter(app.booking) as statements:
        named = sell(app, sid, "S1-A-3", customer_name="  Hana Bell ", customer_phone="+44 (0)7700-900 123")
    assert statements.count == 1
    assert stored(app, named.order_id) == ("Hana Bell", "+4407700900123")
    assert (named.customer_name, named.customer_phone) == ("Hana Bell", "+4407700900123")
    shown = app.orders.get(named.order_id)
    assert (shown.customer_name, shown.customer_phone) == ("Hana Bell", "+4407700900123")
    assert sell(app, sid, "S1-A-4", customer_name="", customer_phone=" ").customer_name is None  # empty: anonymous


@pytest.mark.parametrize("phone", ["12", "call me", "+1+2345", "1" * 21])
def test_a_phone_that_is_not_one_is_refused(app, session, phone):
    with pytest.raises(BadInput, match="phone"):
        sell(app, session.session_id, "S1-B-2", customer_phone=phone)


def test_find_by_number_token_seat_name_and_phone(app, session):
    sid = session.session_id
    tag = secrets.token_hex(3)
    phone = "06" + str(int(secrets.token_hex(4), 16))[:8]
    a = sell(app, sid, "S1-B-3", "S1-B-4", customer_name=f"Marie Dupont {tag}", customer_phone=phone)
    b = sell(app, sid, "S2-C-7", customer_name=f"Jean dupont {tag}")
    plain = sell(app, sid, "S2-C-8")
    by_label = labels(app, session)
    search = app.orders.search

    def ids(query: str) -> list[int]:
        return [r.order_id for r in search(query, sid, by_label)]

    assert ids(str(a.order_id))[0] == a.order_id
    assert ids(a.token) == [a.order_id]
    assert ids("S2-C-7")[0] == b.order_id
    assert ids("s2-c-7")[0] == b.order_id  # typed in lower case
    assert ids(f"DUPONT {tag}") == [b.order_id, a.order_id]  # any part, any case, newest first
    assert ids(f"marie dupont {tag}") == [a.order_id]
    assert ids(phone) == [a.order_id]
    assert ids(phone[-6:]) == [a.order_id]  # its last digits
    assert ids(f"{phone[:2]} {phone[2:5]}-{phone[5:]}") == [a.order_id]  # as typed, with spaces and dashes
    with pytest.raises(NotFound):
        search(f"nobody {tag}", sid, by_label)
    with pytest.raises(NotFound):
        search("S2-C-9", sid, by_label)  # never sold
    assert plain.order_id not in ids(f"dupont {tag}")


def test_the_cli_sells_with_a_name_and_finds_the_order(app, session, env):
    sid = str(session.session_id)
    tag = secrets.token_hex(3)
    sold = run_cli_as(env, "alice", "sell", "--session", sid, "--seats", "S1-B-9", "--name", f"Ada {tag}",
                      "--phone", "0123 456 789", "--json")
    assert sold.returncode == 0, sold.stderr
    order_id = json.loads(sold.stdout)["order_id"]
    assert stored(app, order_id) == (f"Ada {tag}", "0123456789")
    found = run_cli_as(env, "alice", "order", "find", f"ada {tag}", "--json")
    assert found.returncode == 0, found.stderr
    assert [o["order_id"] for o in json.loads(found.stdout)] == [order_id]
    by_seat = run_cli_as(env, "alice", "order", "find", "S1-B-9", "--session", sid)
    assert by_seat.returncode == 0 and f"order {order_id} (paid)" in by_seat.stdout
    part = run_cli_as(env, "alice", "sell", "--session", sid, "--seats", "S1-B-7,S1-B-8", "--json")
    pid = json.loads(part.stdout)["order_id"]
    cancelled = run_cli_as(env, "alice", "order", "cancel", str(pid), "--reason", "one less", "--seats", "S1-B-8")
    assert cancelled.returncode == 0, cancelled.stderr
    assert "S1-B-8 cancelled; refund 20.00" in cancelled.stdout
    assert app.orders.get(pid).seats == ("S1-B-7",)
