from __future__ import annotations

from boxoffice.services.booking import SaleRequest


def test_sale_lands_in_database_and_redis(app, session):
    receipt = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-A-2", "S1-A-3")))
    assert receipt.seats == ("S1-A-2", "S1-A-3")
    stats = app.inventory.stats(session.session_id)
    assert (stats.sold_db, stats.taken_redis, stats.stock_redis) == (2, 3, 37)
