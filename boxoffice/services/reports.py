"""End-of-day reports for supervisors: :meth:`Reports.day` builds the day's settlement (domain/dayreport.py) from
the orders and payments made in one local day, :func:`write_csv` saves it for a spreadsheet.

The day is a calendar day in a time zone (default: this machine's): from local midnight to the next local midnight,
so a day across a daylight-saving change has 23 or 25 hours. Seats and orders count by the order's ``created_at``,
money by the payment row's ``created_at`` (a refund today of yesterday's sale is today's money).

"Held" and "free" are the session's seats right now: held = seats of live holds in Redis (its seat store) plus the
seats the database holds (degraded mode); when Redis does not answer, the database's alone.
"""

from __future__ import annotations

import csv
import logging
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..adapters.seatstore import SeatStore
from ..adapters.uow import UowFactory
from ..domain import dayreport
from ..domain.dayreport import DayReport
from ..errors import BackendUnavailable, BadInput
from .accounts import SUPERVISOR_ROLES, Accounts

log = logging.getLogger(__name__)


def local_zone() -> str:
    """The IANA name of this machine's time zone ("UTC" when it cannot be told)."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name() or "UTC"
        ZoneInfo(name)
    except Exception:  # noqa: BLE001 - no zone database, an odd /etc/localtime: the day is a UTC day
        return "UTC"
    return name


def zone_of(tz: str | None) -> tuple[str, ZoneInfo]:
    """(name, zone) of ``tz`` (None or empty: the machine's); BadInput ``unknown_time_zone`` for an unknown one."""
    name = (tz or "").strip() or local_zone()
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(reason="unknown_time_zone", tz=name) from None


def parse_day(value: date | str | None, zone: ZoneInfo) -> date:
    """A date, or YYYY-MM-DD text; None: today in ``zone``."""
    if value is None:
        return datetime.now(zone).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(reason="bad_report_date", value=value) from None


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight starting ``day`` and the next local midnight, aware (a DST day is 23 or 25 hours)."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    nxt = day + timedelta(days=1)
    return start, datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)


class Reports:
    def __init__(self, uow: UowFactory, store: SeatStore, accounts: Accounts, currency: str) -> None:
        self.uow = uow
        self.store = store
        self.accounts = accounts
        self.currency = currency

    def day(self, username: str, day: date | str | None = None, tz: str | None = None) -> DayReport:
        """The end-of-day report of ``day`` (default today) in ``tz`` (default the machine's zone). Supervisors only
        (PermissionDenied otherwise); BadInput for a bad date or zone."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        name, zone = zone_of(tz)
        the_day = parse_day(day, zone)
        start, end = day_bounds(the_day, zone)
        with self.uow() as tx:
            lines = tx.reports.day_lines(start, end)
            orders = tx.reports.day_orders(start, end)
            money = tx.reports.day_money(start, end)
            refunds = tx.reports.day_refunds(start, end)
            sids = sorted({r[0] for r in (*lines, *orders, *money, *refunds)})
            facts_rows = tx.reports.session_facts(sids) if sids else []
            clerks = sorted({r[1] for r in (*lines, *orders, *money, *refunds)})
            clerk_names = tx.reports.display_names(clerks) if clerks else {}
            types = tx.reports.type_names(sids) if sids else []
        facts = []
        for r in facts_rows:
            held = int(r.held) + self._held_in_redis(r.id)
            facts.append(dayreport.SessionFacts(
                r.id, r.name, r.venue, r.starts_at.astimezone(zone), int(r.capacity), int(r.sold), held,
                max(0, int(r.capacity) - int(r.sold) - held - int(r.blocked))))
        return dayreport.build(
            the_day, name, start, end, datetime.now(timezone.utc).astimezone(zone), self.currency,
            sessions=facts,
            lines=[dayreport.LineGroup(*r) for r in lines],
            orders=[dayreport.OrderGroup(*r) for r in orders],
            money=[dayreport.MoneyGroup(*r) for r in money],
            refunds=[dayreport.RefundGroup(*r) for r in refunds],
            clerk_names=clerk_names, type_names=dict(types), type_order=[c for c, _ in types])

    def _held_in_redis(self, session_id: int) -> int:
        """Seats of the session's live holds in the seat store (0 when Redis does not answer)."""
        try:
            holds = self.store.hold_records(session_id)
        except BackendUnavailable as exc:
            log.info("day report: Redis unreachable, held seats from the database alone (%s)", exc)
            return 0
        now_ms = int(time.time() * 1000)
        return sum(len(h.seats) for h in holds if h.state == "held" and h.expires_ms > now_ms)


def write_csv(report: DayReport, path: str | Path) -> Path:
    """One CSV of every section (a ``section`` column, one header row, a ``TOTAL`` row after each section), UTF-8
    with a byte-order mark so that Excel reads names in any script; amounts with a decimal point."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=dayreport.CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(report.csv_rows())
    except OSError as exc:
        raise BadInput(reason="report_not_written", path=str(path), detail=exc.strerror or str(exc)) from None
    return path
