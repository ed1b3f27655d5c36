"""Ticket verification against the database: valid, exchanged away, cancelled, forged; one key per installation."""

from __future__ import annotations

from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.services.booking import SaleRequest
from boxoffice.services.tickets import Tickets
from tests.conftest import run_cli, run_cli_as


def _sold(app, session: SessionInfo) -> tuple[Receipt, dict[str, str]]:
    """S1-B-1 and S1-B-2 sold on one order, and their ticket codes by seat."""
    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-B-1", "S1-B-2")))
    return r, dict(app.tickets.codes(r))


def _forged(code: str, session: SessionInfo) -> str:
    """The code with its seat index changed from 10 (S1-B-1) to 12 (S1-B-3): the signature no longer fits."""
    forged = code.replace(f".{session.session_id}.10.", f".{session.session_id}.12.")
    assert forged != code
    return forged


def test_an_order_has_a_code_for_each_of_its_seats(app, session):
    _, codes = _sold(app, session)
    assert set(codes) == {"S1-B-1", "S1-B-2"}


def test_a_sold_seats_code_verifies_with_its_order_and_seat(app, session):
    r, codes = _sold(app, session)
    check = app.tickets.verify(codes["S1-B-1"])
    assert (check.valid, check.order_id, check.seat) == (True, r.order_id, "S1-B-1")


def test_a_forged_code_is_refused(app, session):
    _, codes = _sold(app, session)
    assert not app.tickets.verify(_forged(codes["S1-B-1"], session)).valid


def test_the_key_is_the_installations_so_another_service_verifies_the_same_codes(app, session):
    _, codes = _sold(app, session)
    assert Tickets(app.uow, app.orders).verify(codes["S1-B-2"]).valid


def test_the_cli_verifies_a_code_for_a_signed_in_user(app, session, env):
    _, codes = _sold(app, session)
    done = run_cli_as(env, "alice", "ticket", "verify", codes["S1-B-2"], "--json")
    assert done.returncode == 0 and '"valid": true' in done.stdout


def test_the_cli_exits_1_on_a_forged_code(app, session, env):
    _, codes = _sold(app, session)
    assert run_cli_as(env, "alice", "ticket", "verify", _forged(codes["S1-B-1"], session)).returncode == 1


def test_the_cli_verifies_only_for_a_signed_in_user(app, session, env):
    _, codes = _sold(app, session)
    assert run_cli(env, "ticket", "verify", codes["S1-B-2"]).returncode == 7  # it reads an order: signed in only


def test_after_an_exchange_the_old_seats_code_is_refused_and_the_new_seats_codes_verify(app, session):
    r, codes = _sold(app, session)
    app.aftersale.exchange(r.order_id, ["S1-B-3", "S1-B-4"], "bob")
    assert "no longer on the order" in app.tickets.verify(codes["S1-B-1"]).reason
    new_codes = dict(app.tickets.codes(app.orders.get(r.order_id)))
    assert set(new_codes) == {"S1-B-3", "S1-B-4"}
    assert app.tickets.verify(new_codes["S1-B-3"]).valid


def test_a_cancelled_orders_code_is_refused(app, session):
    r, codes = _sold(app, session)
    app.aftersale.cancel(r.order_id, "alice", "test")
    check = app.tickets.verify(codes["S1-B-1"])
    assert not check.valid and "cancelled" in check.reason
