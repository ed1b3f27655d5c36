"""The services of a sale wired on in-memory fakes (tests/fakes): no server, no network."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from boxoffice.config import Settings
from boxoffice.domain.layout import Layout, parse_layout
from boxoffice.domain.values import SessionInfo
from boxoffice.services.accounts import Accounts
from boxoffice.services.aftersale import AfterSale
from boxoffice.services.booking import Booking
from boxoffice.services.catalog import Catalog
from boxoffice.services.inventory import Inventory
from boxoffice.services.orders import Orders
from tests.fakes.repos import FakeDatabase
from tests.fakes.seatstore import FakeClock, FakeSeatStore

TINY = Path(__file__).resolve().parents[2] / "data" / "tiny.json"
PASSWORD = "boxoffice"


def tiny_layout(name: str = "Tiny Hall") -> Layout:
    doc = json.loads(TINY.read_text())
    doc["name"] = name
    return parse_layout(doc)


@dataclass
class World:
    clock: FakeClock
    db: FakeDatabase
    store: FakeSeatStore
    settings: Settings
    accounts: Accounts
    catalog: Catalog
    inventory: Inventory
    orders: Orders
    booking: Booking
    aftersale: AfterSale

    def new_session(self, layout: Layout | None = None, name: str = "Match", **window: datetime) -> SessionInfo:
        """A venue (the tiny hall unless given) with one session on sale from now, warmed in the seat store."""
        venue, _ = self.catalog.import_venue(layout or tiny_layout())
        start = self.db.now() + timedelta(days=1)
        info, _ = self.catalog.create_session(venue.venue_id, name, start, **window)
        self.inventory.rebuild(info.session_id)
        return info

    def taken(self, session_id: int) -> set[int]:
        """Seats taken in the seat store."""
        bits = self.store.snapshot(session_id).taken
        return {i for i in range(len(bits) * 8) if bits[i >> 3] & (0x80 >> (i & 7))}


@pytest.fixture
def world() -> World:
    clock = FakeClock()  # now: a clerk cancels alone only what they sold today (local time)
    db, store = FakeDatabase(clock), FakeSeatStore(clock)
    settings = Settings(redis_prefix="unit", hold_ttl_s=600, token_ttl_s=30, reconcile_confirm_s=0, require_till=False)
    accounts = Accounts(db.uow)
    accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # fast: the check is not under test
    catalog = Catalog(db.uow)
    catalog.accounts = accounts
    inventory = Inventory(db.uow, store, catalog)
    orders = Orders(db.uow, accounts)
    booking = Booking(db.uow, store, catalog, inventory, accounts, orders, settings, db.single_statement)
    aftersale = AfterSale(db.uow, booking, accounts, orders)
    hashed = accounts.hasher.hash(PASSWORD)
    db.add_user("alice", "clerk", hashed)
    db.add_user("bob", "clerk", hashed)
    db.add_user("sam", "supervisor", hashed)
    return World(clock, db, store, settings, accounts, catalog, inventory, orders, booking, aftersale)
