"""The day report's day: local midnight to local midnight (daylight-saving days are 23 or 25 hours), checked zones
and dates (no servers)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from boxoffice.errors import BadInput
from boxoffice.services.reports import day_bounds, local_zone, parse_day, zone_of


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25),
                                            (date(2026, 12, 3), 24)])
def test_a_local_day_across_a_clock_change(day, hours):
    start, end = day_bounds(day, ZoneInfo("Europe/Lisbon"))
    assert (start.hour, end.hour, start.date(), end.date()) == (0, 0, day, day + timedelta(days=1))
    assert end.timestamp() - start.timestamp() == hours * 3600  # real elapsed time (Python's wall-clock - says 24 h)


def test_zones_and_dates_are_checked():
    assert zone_of("Asia/Tokyo")[0] == "Asia/Tokyo"
    assert zone_of(None)[0] == local_zone() and zone_of("  ")[0] == local_zone()
    for bad in ("Mars/Olympus", "../etc/passwd", "Europe/"):
        with pytest.raises(BadInput) as exc:
            zone_of(bad)
        assert exc.value.reason == "unknown_time_zone"
    assert parse_day(" 2026-02-28 ", ZoneInfo("UTC")) == date(2026, 2, 28)
    for bad in ("2026-02-29", "28/02/2026", "", "today"):
        with pytest.raises(BadInput) as exc:
            parse_day(bad, ZoneInfo("UTC"))
        assert exc.value.reason == "bad_report_date"
