"""Reprints and price types on tickets, against the real servers: the code carries the type and the print number;
a reprint makes the older codes invalid ("replaced by reprint N"); a second reprint needs a supervisor; audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from boxoffice.adapters import models
from boxoffice.domain.tickets import TicketCode, sign_legacy
from boxoffice.domain.values import SessionInfo
from boxoffice.errors import AuthenticationFailed, BadInput, PermissionDenied
from boxoffice.services.booking import SaleRequest
from tests.conftest import TEST_PASSWORD


def _child_type(app, session: SessionInfo) -> None:
    """The session's venue sells a CHILD type (the gate checks proof of age) at 8.00 in both zones."""
    with app.uow() as tx:
        tx.session.add(models.PriceType(venue_id=session.venue_id, code="child", name="Child", position=1,
                                        notice="check proof of age"))
        for zone in ("A", "B"):
            tx.session.add(models.ZonePrice(venue_id=session.venue_id, zone=zone, price_type="child",
                                            price=Decimal("8.00")))
        tx.commit()
    app.catalog.forget_prices()


def _sell(app, session: SessionInfo, seats=("S1-B-1", "S1-B-2"), types=()):
    return app.booking.sell(SaleRequest(session.session_id, "alice", seats=seats, price_types=types))


def test_the_code_carries_the_price_type_and_verify_shows_its_notice(app, session):
    _child_type(app, session)
    r = _sell(app, session, types=("adult", "child"))
    codes = dict(app.tickets.codes(r))
    assert ".CHILD.0." in codes["S1-B-2"] and ".ADULT.0." in codes["S1-B-1"]
    child = app.tickets.verify(codes["S1-B-2"])
    assert (child.valid, child.reason, child.price_type, child.notice) == (
        True, "valid — CHILD: check proof of age", "child", "check proof of age")
    adult = app.tickets.verify(codes["S1-B-1"])
    assert (adult.valid, adult.reason, adult.notice) == (True, "valid — ADULT", None)


def test_a_legacy_code_still_verifies_as_adult(app, session):
    r = _sell(app, session, seats=("S1-B-3",))
    code = sign_legacy(app.tickets.secret(), TicketCode(r.order_id, r.session_id, r.lines[0].seat_index))
    check = app.tickets.verify(code)
    assert check.valid and check.price_type == "adult"


def test_a_reprint_replaces_the_old_codes_and_is_audited(app, session):
    r = _sell(app, session)
    old = dict(app.tickets.codes(r))
    done = app.tickets.reprint(r.order_id, "alice")
    assert done.numbers == {"S1-B-1": (0, 1), "S1-B-2": (0, 1)}
    assert all(ln.reprint == 1 for ln in done.receipt.lines)
    new = dict(app.tickets.codes(done.receipt))
    for label in old:
        refused = app.tickets.verify(old[label])
        assert (refused.valid, refused.reason) == (False, "replaced by reprint 1")
        assert app.tickets.verify(new[label]).valid and ".ADULT.1." in new[label]
    with app.uow() as tx:
        rows = tx.session.execute(select(models.AuditLog.details).where(
            models.AuditLog.order_id == r.order_id, models.AuditLog.action == "reprint")).scalars().all()
    assert len(rows) == 1
    assert rows[0]["old"] == {"S1-B-1": 0, "S1-B-2": 0}
    assert rows[0]["new"] == {"S1-B-1": 1, "S1-B-2": 1}


def test_a_reprint_of_named_seats_leaves_the_others_alone(app, session):
    r = _sell(app, session)
    done = app.tickets.reprint(r.order_id, "alice", seats=["S1-B-2"])
    assert {ln.label: ln.reprint for ln in done.receipt.lines} == {"S1-B-1": 0, "S1-B-2": 1}
    assert app.tickets.verify(dict(app.tickets.codes(r))["S1-B-1"]).valid
    with pytest.raises(BadInput, match="has no seat S1-A-9"):
        app.tickets.reprint(r.order_id, "alice", seats=["S1-A-9"])


def test_a_second_reprint_needs_a_supervisor(app, session):
    r = _sell(app, session)
    app.tickets.reprint(r.order_id, "alice")
    with pytest.raises(PermissionDenied) as refused:
        app.tickets.reprint(r.order_id, "alice")
    assert refused.value.reason == "reprint_needs_supervisor" and "reprint 2" in str(refused.value)
    assert all(ln.reprint == 1 for ln in app.orders.get(r.order_id).lines), "nothing written"
    with pytest.raises(AuthenticationFailed):
        app.tickets.reprint(r.order_id, "alice", supervisor="sam", supervisor_password="wrong password")
    with pytest.raises(PermissionDenied, match="not a supervisor"):
        app.tickets.reprint(r.order_id, "alice", supervisor="bob", supervisor_password=TEST_PASSWORD)
    done = app.tickets.reprint(r.order_id, "alice", supervisor="sam", supervisor_password=TEST_PASSWORD)
    assert done.numbers["S1-B-1"] == (1, 2)
    assert app.tickets.verify(dict(app.tickets.codes(r))["S1-B-1"]).reason == "replaced by reprint 2"
    with app.uow() as tx:
        audit = tx.session.execute(select(models.AuditLog.details).where(
            models.AuditLog.order_id == r.order_id, models.AuditLog.action == "reprint")
            .order_by(models.AuditLog.id.desc())).scalars().first()
    assert audit["approved_by"] == "sam"
    # a supervisor acting reprints again alone
    assert app.tickets.reprint(r.order_id, "sam").numbers["S1-B-2"] == (2, 3)


def test_a_cancelled_order_is_not_reprinted(app, session):
    r = _sell(app, session)
    app.aftersale.cancel(r.order_id, "alice", "changed plans")
    with pytest.raises(BadInput, match="cancelled"):
        app.tickets.reprint(r.order_id, "alice")
