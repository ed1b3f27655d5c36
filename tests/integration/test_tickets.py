"""Ticket verification against the database: valid, exchanged away, cancelled, forged; one key per installation."""

from __future__ import annotations

from boxoffice.services.booking import SaleRequest
from boxoffice.services.tickets import Tickets
from tests.conftest import run_cli, run_cli_as


def test_tickets_verify_against_the_orders(app, session, env):
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-B-1", "S1-B-2")))
    codes = dict(app.tickets.codes(r))
    assert set(codes) == {"S1-B-1", "S1-B-2"}
    check = app.tickets.verify(codes["S1-B-1"])
    assert (check.valid, check.order_id, check.seat) == (True, r.order_id, "S1-B-1")
    forged = codes["S1-B-1"].replace(f".{session.session_id}.10.", f".{session.session_id}.12.")
    assert not app.tickets.verify(forged).valid
    # the key is the installation's, shared through PostgreSQL: another process verifies the same codes
    assert Tickets(app.uow, app.orders).verify(codes["S1-B-2"]).valid
    done = run_cli_as(env, "alice", "ticket", "verify", codes["S1-B-2"], "--json")
    assert done.returncode == 0 and '"valid": true' in done.stdout
    assert run_cli_as(env, "alice", "ticket", "verify", forged).returncode == 1
    assert run_cli(env, "ticket", "verify", codes["S1-B-2"]).returncode == 7  # it reads an order: signed in only

    app.aftersale.exchange(r.order_id, ["S1-B-3", "S1-B-4"], "bob")
    assert "no longer on the order" in app.tickets.verify(codes["S1-B-1"]).reason
    new_codes = dict(app.tickets.codes(app.orders.get(r.order_id)))
    assert app.tickets.verify(new_codes["S1-B-3"]).valid
    app.aftersale.cancel(r.order_id, "alice", "test")
    check = app.tickets.verify(new_codes["S1-B-3"])
    assert not check.valid and "cancelled" in check.reason
