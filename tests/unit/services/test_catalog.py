"""The catalog's logic on fakes: importing layouts, creating sessions, refusing bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from boxoffice.domain.layout import parse_layout
from boxoffice.errors import BadInput, NotFound, PermissionDenied
from boxoffice.services.booking import SaleRequest
from tests.unit.services.conftest import TINY, tiny_layout

START = datetime(2027, 3, 1, 19, 30, tzinfo=timezone.utc)


def test_importing_a_layout_stores_the_venue_once(world):
    layout = tiny_layout()
    venue, created = world.catalog.import_venue(layout, actor="sam")
    assert created and (venue.name, venue.seats) == ("Tiny Hall", 40)
    again, created = world.catalog.import_venue(tiny_layout())
    assert not created and again == venue
    assert [e.details for e in world.db.audit_rows("venue_imported")] == [
        {"venue_id": venue.venue_id, "name": "Tiny Hall", "seats": 40}]
    world.catalog._layouts.clear()  # a fresh process reads the layout back from the database
    assert world.catalog.layout(venue.venue_id).checksum == layout.checksum
    assert world.catalog.list_venues() == [venue]


def test_a_different_layout_under_a_known_name_is_refused(world):
    world.catalog.import_venue(tiny_layout())
    doc = json.loads(TINY.read_text())
    doc["zones"][0]["price"] = "99.00"
    with pytest.raises(BadInput, match="already exists with a different layout"):
        world.catalog.import_venue(parse_layout(doc))
    assert len(world.db.t.venues) == 1


def test_only_a_supervisor_imports_or_creates(world):
    with pytest.raises(PermissionDenied):
        world.catalog.import_venue(tiny_layout(), actor="alice")
    venue, _ = world.catalog.import_venue(tiny_layout())
    with pytest.raises(PermissionDenied):
        world.catalog.create_session(venue.venue_id, "Final", START, actor="alice")
    assert world.db.t.sessions == {} and world.db.audit_rows() == []


def test_a_session_gets_its_seat_rows_and_default_window(world):
    venue, _ = world.catalog.import_venue(tiny_layout())
    info, created = world.catalog.create_session(venue.venue_id, "Open day", START, actor="sam")
    assert created and info.status == "onsale" and info.capacity == 40
    assert info.ends_at == START + timedelta(minutes=120)  # the venue's session length
    assert info.sales_close_at == info.ends_at  # a hall: sales close at the end of the slot
    assert world.db.seat_status(info.session_id, 0) == "blocked"  # blocked in the layout
    assert {world.db.seat_status(info.session_id, i) for i in range(1, 40)} == {"free"}
    assert world.db.audit_rows("session_created")[0].session_id == info.session_id
    same, created = world.catalog.create_session(venue.venue_id, "Open day", START)
    assert not created and same == info
    assert world.catalog.session(info.session_id) == info and world.catalog.venue_of(info.session_id) == venue.venue_id


def test_a_stadium_match_closes_an_hour_after_kick_off(world):
    doc = json.loads(TINY.read_text())
    doc["kind"], doc["name"] = "stadium", "Tiny Ground"
    venue, _ = world.catalog.import_venue(parse_layout(doc))
    info, _ = world.catalog.create_session(venue.venue_id, "Derby", START)
    assert info.sales_close_at == START + timedelta(hours=1)


@pytest.mark.parametrize("kwargs, error", [
    ({"starts_at": datetime(2027, 3, 1, 19, 30)}, "needs a time zone"),
    ({"ends_at": START - timedelta(minutes=1)}, "must end after it starts"),
    ({"sales_open_at": START + timedelta(days=1)}, "must open before they close"),
    ({"starts_at": datetime(1900, 1, 1, tzinfo=timezone.utc)}, "in the years"),
    ({"name": "  "}, "name"),
])
def test_bad_session_input_is_refused_and_nothing_is_written(world, kwargs, error):
    venue, _ = world.catalog.import_venue(tiny_layout())
    args = {"venue_id": venue.venue_id, "name": "Gala", "starts_at": START, **kwargs}
    with pytest.raises(BadInput, match=error):
        world.catalog.create_session(**args)
    assert world.db.t.sessions == {} and world.db.t.seats == {}


def test_an_unknown_venue_is_not_found(world):
    with pytest.raises(NotFound):
        world.catalog.create_session(12345, "Gala", START)
    with pytest.raises(NotFound):
        world.catalog.layout(12345)


def test_deleting_a_venue_takes_its_sessions_and_orders(world):
    info = world.new_session()
    world.booking.sell(SaleRequest(info.session_id, "alice", seats=("S1-A-2",)))
    world.catalog.delete_venue(info.venue_id)
    assert world.db.t.venues == {} and world.db.t.sessions == {} and world.db.t.orders == {}
    assert world.db.outbox_rows() == [] and world.catalog.list_sessions() == []
