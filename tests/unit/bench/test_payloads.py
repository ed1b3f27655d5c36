"""The benchmarks' outbox messages are OrderPlaced events as the relay and the consumer read them."""

from __future__ import annotations

import json
from decimal import Decimal

from boxoffice.bench.common import placed_payload
from boxoffice.bench.outbox import synthetic_backlog
from boxoffice.domain.events import parse


def test_a_benchmark_order_payload_parses_as_order_placed():
    event = parse("OrderPlaced", placed_payload(7, 3, "tok", [4, 5], [11, 12]), capacity=6)
    assert (event.order_id, event.session_id, event.token) == (7, 3, "tok")
    assert event.added is not None and event.ended is None
    assert event.added.seats == (4, 5) and event.added.lines == (11, 12)
    assert event.added.zones == ("G", "G") and event.added.prices == (Decimal("30.00"), Decimal("30.00"))


def test_every_message_of_the_synthetic_backlog_parses_and_places_its_own_seat():
    rows = synthetic_backlog(9, 0, 50)
    assert [r["oid"] for r in rows] == list(range(1, 51))
    for i, row in enumerate(rows):
        event = parse("OrderPlaced", json.loads(row["payload"]), capacity=50)
        assert (event.order_id, event.session_id, event.seats()) == (i + 1, 9, [i])


def test_the_pgbench_script_fills_every_parameter_of_the_sale_statement():
    """pgbench runs SALE_SQL verbatim: a parameter the statement gains must get a value in the script (it raised
    KeyError once a sale carried the cash given)."""
    import re
    from decimal import Decimal

    from boxoffice.adapters.repos.orders import SALE_SQL
    from boxoffice.bench.pgalone import pgbench_sale_script

    script = pgbench_sale_script(Decimal("20.00"))
    assert re.findall(r"%\((\w+)\)s", SALE_SQL)  # the statement has parameters …
    assert "%(" not in script  # … and the script fills every one
