"""The reconciler's comparison is pure: every seat state pair maps to one class (or none)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.adapters.seatstore import Hold, Inspection, Snapshot
from boxoffice.domain.bitmap import make_bitmap
from boxoffice.domain.drift import DbPicture, classify, classify_seats, expected_ledger

CAP = 16
NOW = 1_000_000


def inspection(taken=(), sold=(), owners=None, holds=(), stock=None, present=True) -> Inspection:
    taken, sold = set(taken), set(sold)
    snap = Snapshot(1, 7, make_bitmap(CAP, taken), make_bitmap(CAP, sold),
                    CAP - len(taken) if stock is None else stock, CAP if present else None, "e1" if present else None)
    return Inspection(snap, True, dict(owners or {}), tuple(holds), NOW)


def hold(seats, live=True, epoch="e1", state="held") -> Hold:
    return Hold("t", state, tuple(seats), NOW + (1000 if live else -1000), "bob", epoch)


SOLD_DB = {3: ("sold", "10:100")}


@pytest.mark.parametrize(
    ("db_seats", "insp", "expected"),
    [
        ({}, inspection(), {}),
        (SOLD_DB, inspection(taken={3}, sold={3}, owners={3: "10:100"}), {}),
        (SOLD_DB, inspection(), {"lost_seat": [3]}),
        (SOLD_DB, inspection(taken={3}), {"unconfirmed_sale": [3]}),
        (SOLD_DB, inspection(taken={3}, sold={3}, owners={3: "10:99"}), {"unconfirmed_sale": [3]}),
        (SOLD_DB, inspection(taken={3}, holds=[hold([3])]), {}),  # committing right now
        ({}, inspection(taken={3}, sold={3}, owners={3: "10:100"}), {"stale_sale": [3]}),
        ({}, inspection(taken={5}), {"orphan_hold": [5]}),
        ({}, inspection(taken={5}, holds=[hold([5])]), {}),  # a live hold
        ({}, inspection(taken={5}, holds=[hold([5], live=False)]), {"orphan_hold": [5]}),
        ({}, inspection(taken={5}, holds=[hold([5], epoch="old")]), {"orphan_hold": [5]}),
        ({}, inspection(sold={6}), {"unknown": [6]}),
        ({0: ("blocked", "")}, inspection(taken={0}), {}),
        ({0: ("blocked", "")}, inspection(), {"lost_seat": [0]}),
        ({0: ("blocked", "")}, inspection(taken={0}, sold={0}), {"unknown": [0]}),
    ],
)
def test_seat_classes(db_seats, insp, expected):
    assert classify_seats(DbPicture(CAP, True, dict(db_seats)), insp) == expected


def test_session_level_classes():
    assert classify(DbPicture(CAP, True), inspection(present=False)) == {"redis_missing": ["no seat map keys"]}
    found = classify(DbPicture(CAP, True), inspection(taken={2}, holds=[hold([2])], stock=CAP))
    assert list(found) == ["stale_stock"]
    assert "unknown_session" in classify(DbPicture(CAP + 1, True), inspection())


def test_ledger_expectation_subtracts_the_backlog():
    db = DbPicture(CAP, True, truth={"A": (3, Decimal("60"))}, backlog={"A": (1, Decimal("20")), "B": (-1, Decimal("-5"))},
                   ledger={"A": (2, Decimal("40")), "B": (1, Decimal("5"))})
    assert expected_ledger(db) == {"A": (2, Decimal("40")), "B": (1, Decimal("5"))}
    assert "ledger_behind" not in classify(db, inspection())
    db.ledger["A"] = (1, Decimal("20"))
    assert classify(db, inspection())["ledger_behind"] == ["zone A: ledger 1 seats / 20.00, orders say 2 / 40.00"]
