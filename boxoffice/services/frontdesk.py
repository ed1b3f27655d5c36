"""The windows' one door to the services: :class:`FrontDesk`.

A window never holds the engine, the Redis client, the seat store or a service: it gets a ``FrontDesk`` and calls it
off the GUI thread (``ui/tasks.py``). The desk speaks the window's language — seat *indices* of the venue layout and
the signed-in :class:`UserInfo` the sign-in returned — and turns them into the services' requests. No Qt here.

Kinds of calls:

- the clerk's: sell, hold, release a hold, who holds a seat, best available, look up / cancel / exchange an order,
  ticket codes, the sessions overview, the sign-in and the demo;
- the live map: :meth:`follow` gives a follower of one session, :meth:`read_map` reads its next changes (a snapshot
  first, then the changes since the version it has) and tells the Redis health watcher when Redis does not answer;
  :meth:`degraded_picture` is the database's picture while Redis is down;
- the supervisor's: reconciliation reports and repairs, holds and force-release, outbox monitor, seat history and
  the charts' figures.

``Snapshot`` (and ``Hold``) are re-exported for the windows, which import nothing from ``boxoffice.adapters``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from ..adapters.printers.spec import parse_printer
from ..adapters.seatstore import SeatStore, Snapshot
from ..config import Settings
from ..domain.bitmap import bit
from ..domain.dayreport import DayReport
from ..domain.layout import Layout
from ..domain.pricing import PriceList
from ..domain.values import Hold, Receipt, SessionInfo, SessionStats, Tender
from ..embedded import ServerEvent, ServerEvents
from ..errors import BadInput, BoxOfficeError, SeatsUnavailable, TokenForeign
from .accounts import SELLING_ROLES, SUPERVISOR_ROLES, Accounts, UserInfo
from .aftersale import AfterSale
from .booking import Booking, SaleRequest
from .catalog import Catalog
from .degraded import DegradedSales
from .demo import DEMO_PASSWORD, DEMO_USERS, DemoResult, load_demo
from .health import RedisHealth
from .insights import Insights, SalesBucket, SeatEvent, StandOccupancy, TypeSales, ZoneRevenue
from .inventory import Inventory
from .livemap import LiveMap, MapChange, Resync
from .orders import Orders
from .outbox import DeadLetter, OutboxStatus, Relay
from .reconcile import CLASSES, Reconciler, RepairResult, SessionReport
from .reports import Reports, local_zone, write_csv
from .tickets import Reprinted, Tickets
from .tills import Tills

#: how many times a clerk may extend one hold (each time by the hold time): a customer deciding gets more time, a
#: forgotten hold still ends
MAX_HOLD_EXTENSIONS = 3

__all__ = ["MAX_HOLD_EXTENSIONS", "FrontDesk", "Hold", "LoginFacts", "SessionFigures", "SessionsPicture", "Snapshot"]


@dataclass(frozen=True)
class TicketSheet:
    """What a ticket PDF needs besides the receipt: each seat's signed code, the zones' names (by code) and the
    currency (ISO 4217) the amounts are in."""

    codes: tuple[tuple[str, str], ...]
    zone_names: dict[str, str]
    currency: str
    #: the price types' names by code ("child" → "Child"): printed on each ticket and receipt line
    type_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionsPicture:
    """What the sessions window shows: every session's stock, the outbox lag, the clerk's till, degraded mode."""

    rows: list[SessionStats]
    outbox_lag_s: float | None
    till: Decimal | None
    degraded: bool


@dataclass(frozen=True)
class LoginFacts:
    """Before the sign-in: how many sessions there are (none: offer the demo), and which demo accounts still have
    the demo password (listed on the sign-in dialog)."""

    sessions: int
    demo_accounts: list[str]


@dataclass(frozen=True)
class SessionFigures:
    """The supervisor's charts of one session."""

    session_id: int
    layout: Layout
    sales: list[SalesBucket]
    occupancy: list[StandOccupancy]
    revenue: list[ZoneRevenue]
    #: seats sold and revenue per price type (the venue's types in order)
    price_types: list[TypeSales] = field(default_factory=list)


class FrontDesk:
    """The application service the windows talk to (see the module docstring)."""

    def __init__(self, *, settings: Settings, store: SeatStore, catalog: Catalog, inventory: Inventory,
                 accounts: Accounts, orders: Orders, booking: Booking, aftersale: AfterSale, tickets: Tickets,
                 reconciler: Reconciler, insights: Insights, relay: Relay, health: RedisHealth,
                 degraded: DegradedSales, server_events: ServerEvents, reports: Reports,
                 tills: Tills | None = None) -> None:
        self._settings = settings
        self._store = store
        self._catalog = catalog
        self._inventory = inventory
        self._accounts = accounts
        self._orders = orders
        self._booking = booking
        self._aftersale = aftersale
        self._tickets = tickets
        self._reconciler = reconciler
        self._insights = insights
        self._relay = relay
        self._health = health
        self._degraded = degraded
        self._reports = reports
        self._tills = tills
        #: the embedded servers' supervisor's events (plain Python, filled by its thread; the status bar polls them)
        self.server_events = server_events
        self._label_maps: dict[int, dict[str, int]] = {}
        self._lock = threading.Lock()

    # -- plain settings the windows show ---------------------------------------------------------------------------
    @property
    def tickets_dir(self) -> Path:
        """Where the ticket PDFs of this process are written."""
        return self._settings.data_dir / "tickets"

    @property
    def reports_dir(self) -> Path:
        """Where the supervisor's day reports are saved unless they choose another place."""
        return self._settings.data_dir / "reports"

    @property
    def embedded(self) -> bool:
        """True when the app runs on the embedded servers (the status bar says so)."""
        url = self._settings.database_url
        return bool(url) and "host=/" in url  # type: ignore[operator]

    # -- sign-in, demo, sessions ---------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> UserInfo:
        return self._accounts.login(username, password)

    def login_facts(self) -> LoginFacts:
        return LoginFacts(
            len(self._catalog.list_sessions()),
            self._accounts.accounts_with_password(tuple(u for u, _, _ in DEMO_USERS), DEMO_PASSWORD),
        )

    def load_demo(self) -> DemoResult:
        return load_demo(self._catalog, self._inventory, self._accounts)

    def overview(self, user: UserInfo | None, include_ended: bool) -> SessionsPicture:
        """Every session not ended yet (or every one), the outbox lag, the user's till of today (None for a clerk
        while tills are required: the blind close), degraded mode."""
        now = datetime.now(timezone.utc)
        midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        # a clerk's takings of today would tell the expected cash of a blind close: with tills required, only a
        # supervisor (or admin) is shown them
        shown = user is not None and (not self._settings.require_till or user.role in SUPERVISOR_ROLES)
        till = self._orders.till_total(user.user_id, midnight) if shown else None
        rows = self._inventory.overview(None if include_ended else now)
        return SessionsPicture(rows, self._relay.pending_age_s(), till, self._health.down)

    def open_session(self, session_id: int) -> tuple[SessionInfo, Layout]:
        """The session and its layout, for a sale window (the layout is fetched once, here, per window)."""
        info = self._catalog.session(session_id)
        return info, self._catalog.layout(info.venue_id)

    def session_layout(self, session_id: int) -> Layout:
        return self._catalog.layout(self._catalog.venue_of(session_id))

    def is_degraded(self) -> bool:
        """True while Redis is unreachable and sales go through the database alone."""
        return self._health.down

    # -- selling ---------------------------------------------------------------------------------------------------
    def sell(self, user: UserInfo, session_id: int, seats: Sequence[int], payment: str = "cash",
             token: str | None = None, tendered: Decimal | None = None, *, customer_name: str | None = None,
             customer_phone: str | None = None, tenders: Sequence[Tender] = (), price_types: Sequence[str] = (),
             supervisor: str | None = None, supervisor_password: str | None = None) -> Receipt:
        """Sell these seats (indices) — or, with ``token``, finish the hold it names (exactly its seats).
        ``tendered``: the cash handed over (a cash sale not paid with exact money), kept for the receipt;
        ``tenders``: how the total is paid, one tender per method (split tender; ``payment`` and ``tendered`` are
        then not used). The customer's name and phone are optional (to find the order again); empty means an
        anonymous sale. ``price_types``: one per seat of ``seats``, in the same order (empty: all adult); a type
        that needs a supervisor (a comp) sold by a clerk needs ``supervisor`` and ``supervisor_password``.

        A :class:`SeatsUnavailable` it raises carries ``indices``: the seats (indices) that were just taken."""
        layout = self.session_layout(session_id)
        request = SaleRequest(session_id, user.username, seats=self._labels(layout, seats), payment=payment,
                              token=token, tendered=tendered, customer_name=customer_name,
                              customer_phone=customer_phone, tenders=tuple(tenders), price_types=tuple(price_types),
                              supervisor=supervisor or None, supervisor_password=supervisor_password)
        try:
            return self._booking.sell(request)
        except SeatsUnavailable as exc:
            raise self._with_indices(exc, layout) from None

    def price_list(self, session_id: int) -> PriceList:
        """The session's price types and each (zone, type)'s price (a price import reaches an open window within
        :data:`boxoffice.services.catalog.PRICE_LIST_TTL_S` seconds)."""
        return self._catalog.price_list(session_id)

    def hold(self, user: UserInfo, session_id: int, seats: Sequence[int]) -> Hold:
        """Hold these seats (indices) for the customer; ``sell(..., token=hold.token)`` finishes the sale."""
        layout = self.session_layout(session_id)
        try:
            return self._booking.hold(session_id, user.username, self._labels(layout, seats))
        except SeatsUnavailable as exc:
            raise self._with_indices(exc, layout) from None

    def release(self, session_id: int, token: str) -> None:
        """Give back what the hold under ``token`` took (the clerk is done with this customer)."""
        self._booking.compensate(session_id, token)

    def my_holds(self, user: UserInfo, session_id: int) -> list[Hold]:
        """The user's own live holds of this session, from the seat store (so a window opened again finds them),
        soonest expiry first, with their seats' labels. Holds of another clerk, over, or from before a rebuild of
        the seat map (they can never sell) are left out."""
        layout = self.session_layout(session_id)
        return [replace(h, labels=tuple(layout.seats[i].label for i in h.seats if i < layout.capacity))
                for h in self._store.hold_records(session_id)
                if h.state == "held" and h.clerk == user.username and not h.stale]

    def extend_hold(self, user: UserInfo, session_id: int, token: str) -> Hold:
        """Give the user's own live hold another hold time from now (``BOXOFFICE_HOLD_TTL``), at most
        :data:`MAX_HOLD_EXTENSIONS` times; the seat store refuses another clerk's hold, one that is over or expired."""
        self._accounts.require(user.username, SELLING_ROLES)
        hold = self._store.extend_hold(session_id, token, user.username, int(self._settings.hold_ttl_s * 1000),
                                       MAX_HOLD_EXTENSIONS)
        layout = self.session_layout(session_id)
        return replace(hold, labels=tuple(layout.seats[i].label for i in hold.seats if i < layout.capacity))

    def release_hold(self, user: UserInfo, session_id: int, token: str) -> int:
        """Give back the user's own hold (the customer left): refused for another clerk's hold, and for one whose
        sale was committed meanwhile (its seats are sold). Returns how many seats were freed (0: it was over, or
        Redis is unreachable — the hold then expires there on its own, as a compensation would)."""
        if self._health.down:
            return 0
        hold = self._store.hold(session_id, token)
        if hold is None or hold.state != "held":
            return 0
        if hold.clerk != user.username:
            raise TokenForeign(reason="hold_of_another_clerk")
        sold = self._orders.by_token(token)
        if sold is not None:
            raise BadInput(reason="hold_committed", order_id=sold.order_id)
        return self._store.release(session_id, token)

    def hold_of_seat(self, session_id: int, seat: int) -> Hold | None:
        """The live hold that has ``seat`` (who holds it, until when), if any."""
        return self._store.hold_of_seat(session_id, seat)

    def best_seats(self, session_id: int, count: int, zone: str | None, taken: bytes) -> tuple[int, ...] | None:
        """The best ``count`` adjacent seats free in ``taken`` (the window's live picture), in ``zone`` if given."""
        best = self._catalog.best_available(self._catalog.venue_of(session_id))
        return best.find(count, lambda i: bit(taken, i), zone)  # blocked seats are taken in the picture

    def rebuild(self, user: UserInfo, session_id: int, reason: str) -> str:
        """Rebuild the session's seat map in Redis from the database (supervisors; audited). Returns the epoch."""
        return self._inventory.rebuild_as(self._accounts, user.username, session_id, reason)

    def ticket_codes(self, receipt: Receipt) -> list[tuple[str, str]]:
        return self._tickets.codes(receipt)

    def ticket_sheet(self, receipt: Receipt) -> TicketSheet:
        """Everything the ticket PDF prints besides the receipt: signed codes, zone names, the currency."""
        layout = self.session_layout(receipt.session_id)
        types = {t.code: t.name for t in self._catalog.price_list(receipt.session_id).types}
        return TicketSheet(tuple(self._tickets.codes(receipt)), {z.code: z.name for z in layout.zones},
                           self._settings.currency, types)

    # -- printing and reprints ----------------------------------------------------------------------------------------
    @property
    def printer(self) -> str:
        """The printer of ``BOXOFFICE_PRINTER`` (a workstation's own setting overrides it: ui/printer_settings.py)."""
        return self._settings.printer

    def print_escpos(self, receipt: Receipt, spec: str, *, labels: Sequence[str] | None = None,
                     kick_drawer: bool = True) -> None:
        """Print the order's tickets (those of ``labels``) and receipt on the ESC/POS printer ``spec``; the drawer
        opens first on a cash order unless ``kick_drawer`` is False (a reprint). Blocking: off the GUI thread."""
        from ..adapters.printers import escpos_out

        job = self._tickets.order_print(receipt, self._settings.currency, labels)
        escpos_out.print_order(parse_printer(spec), job, kick_drawer=kick_drawer)

    @staticmethod
    def check_printer(spec: str) -> str:
        """``spec`` checked (BadInput saying what is wrong) and in its normal spelling."""
        return str(parse_printer(spec))

    def print_test_page(self, spec: str) -> None:
        """A test page on the ESC/POS printer ``spec`` (the printer settings dialog's "Test print")."""
        from ..adapters.printers import escpos_out

        escpos_out.print_test_page(parse_printer(spec))

    def reprint(self, user: UserInfo, order_id: int, *, seats: Sequence[str] | None = None,
                supervisor: str | None = None, supervisor_password: str | None = None) -> Reprinted:
        """Reprint the order's tickets (all, or the seats labelled ``seats``): older codes stop verifying; a
        second reprint needs a supervisor (acting, or ``supervisor`` and ``supervisor_password``)."""
        return self._tickets.reprint(order_id, user.username, seats, supervisor=supervisor,
                                     supervisor_password=supervisor_password)

    @property
    def currency(self) -> str:
        """The ISO 4217 code of every amount (``BOXOFFICE_CURRENCY``)."""
        return self._settings.currency

    # -- after the sale --------------------------------------------------------------------------------------------
    def find_order(self, query: str, session_id: int) -> Receipt:
        """An order by its number, its token, or a seat label of this session."""
        return self._orders.find(query, session_id, self._label_map(session_id))

    def find_orders(self, query: str, session_id: int) -> list[Receipt]:
        """The orders a look-up means: by number, token, a seat label of this session, or the customer's name or
        phone (newest first)."""
        return self._orders.search(query, session_id, self._label_map(session_id))

    def sessions_of(self, receipts: Iterable[Receipt]) -> dict[int, SessionInfo]:
        """The session (match: name, start) of each receipt's ``session_id``, by id: the look-up names each order's
        match, and warns when it is another window's."""
        return {sid: self._catalog.session(sid) for sid in sorted({r.session_id for r in receipts})}

    def cancel(self, user: UserInfo, order_id: int, reason: str, *, seats: Sequence[int] | None = None,
               supervisor: str | None = None, supervisor_password: str | None = None) -> Receipt:
        """Cancel the order and refund it — whole, or only ``seats`` (indices of some of its seats)."""
        labels = None
        if seats is not None:
            labels = self._labels(self.session_layout(self._orders.get(order_id).session_id), seats)
        return self._aftersale.cancel(order_id, user.username, reason, seats=labels, supervisor=supervisor,
                                      supervisor_password=supervisor_password)

    def paid_by_method(self, order_id: int) -> list[tuple[str, Decimal]]:
        """What the order still has paid per method (net of earlier refunds): the windows work out with it how a
        refund goes back (:func:`boxoffice.domain.tenders.refund_split`). Read-only."""
        return self._aftersale.paid_by_method(order_id)

    def refund_plan(self, order_id: int, amount: Decimal) -> list[tuple[str, Decimal]]:
        """How a refund of ``amount`` on the order goes back: [(method, amount)], card first, then voucher, then
        cash (what the cancel books). Read-only."""
        return self._aftersale.refund_plan(order_id, amount)

    def exchange(self, user: UserInfo, order_id: int, seats: Sequence[int], reason: str = "exchange", *,
                 replacing: Sequence[int] | None = None, supervisor: str | None = None,
                 supervisor_password: str | None = None) -> Receipt:
        """Move an order to these seats (indices) of its session — all its seats, or only ``replacing`` (indices of
        some of them). A refund on another clerk's or an earlier day's order needs a supervisor, as a cancel does."""
        layout = self.session_layout(self._orders.get(order_id).session_id)
        old = None if replacing is None else self._labels(layout, replacing)
        try:
            return self._aftersale.exchange(order_id, self._labels(layout, seats), user.username, reason,
                                            replacing=old, supervisor=supervisor,
                                            supervisor_password=supervisor_password)
        except SeatsUnavailable as exc:
            raise self._with_indices(exc, layout) from None

    # -- the live map ----------------------------------------------------------------------------------------------
    def follow(self, session_id: int) -> LiveMap:
        """A follower of one session's seat map: pass it to :meth:`read_map` (one follower per reading thread)."""
        return LiveMap(self._store, session_id)

    def read_map(self, follower: LiveMap, block_ms: int, *, note_outage: bool = True) -> list[MapChange | Resync]:
        """The follower's next changes (a :class:`Resync` snapshot first and whenever it cannot prove it saw every
        change), waiting up to ``block_ms`` for the first. A failure is raised; with ``note_outage`` an unreachable
        Redis also switches this process to degraded mode, as a failed sale would."""
        try:
            return follower.poll(block_ms=block_ms)
        except BoxOfficeError as exc:
            if note_outage:
                self._health.failed(exc)
            raise

    def degraded_picture(self, session_id: int) -> Snapshot | None:
        """While degraded, the session's taken/sold seats from the database (the seat map is not live then);
        ``None`` when Redis is healthy (the live map has the picture)."""
        return self._degraded.picture(session_id) if self._health.down else None

    def latest_server_event(self) -> ServerEvent | None:
        return self.server_events.latest()

    # -- the supervisor --------------------------------------------------------------------------------------------
    def check(self, user: UserInfo, session_id: int | None = None) -> list[SessionReport]:
        """Reconcile every current session (or one) now."""
        return self._reconciler.report(user.username, session_id)

    def repair(self, user: UserInfo, session_id: int, reason: str, classes: Iterable[str]) -> RepairResult:
        """Check the session again right now (two passes), then repair what is still found of ``classes``."""
        (fresh,) = self._reconciler.report(user.username, session_id)
        return self._reconciler.repair(user.username, fresh, reason, [c for c in classes if c in CLASSES])

    def holds(self, user: UserInfo, session_id: int) -> list[Hold]:
        return self._reconciler.holds(user.username, session_id)

    def force_release(self, user: UserInfo, session_id: int, token: str, reason: str) -> int:
        return self._reconciler.force_release(user.username, session_id, token, reason)

    def outbox(self, user: UserInfo) -> tuple[OutboxStatus, list[DeadLetter]]:
        return self._insights.outbox_status(user.username), self._insights.dead_letters(user.username)

    def retry_dead(self, user: UserInfo, message_ids: Sequence[int] | None, reason: str) -> int:
        """Requeue these dead letters (``None``: all); one retried meanwhile by someone else is skipped. Returns how
        many were requeued."""
        if message_ids is None:
            return self._insights.retry_dead(user.username, None, reason)
        done = 0
        for message_id in message_ids:
            try:
                done += self._insights.retry_dead(user.username, message_id, reason)
            except BadInput:
                pass  # retried meanwhile (another supervisor): nothing to do for it
        return done

    def seat_history(self, user: UserInfo, session_id: int, seat: int | str) -> list[SeatEvent]:
        """One seat's events, oldest first: ``seat`` is its index (clicked on a map) or the label a supervisor
        typed."""
        label = seat if isinstance(seat, str) else self.session_layout(session_id).seats[seat].label
        return self._insights.seat_history(user.username, session_id, label)

    def figures(self, user: UserInfo, session_id: int, tz: str) -> SessionFigures:
        """Sales over time (in time zone ``tz``), occupancy per stand and revenue per zone of a session."""
        name = user.username
        return SessionFigures(session_id, self.session_layout(session_id),
                              self._insights.sales_over_time(name, session_id, tz),
                              self._insights.occupancy_by_stand(name, session_id),
                              self._insights.revenue_by_zone(name, session_id),
                              self._insights.sales_by_price_type(name, session_id))

    # -- end-of-day reports (supervisors) ----------------------------------------------------------------------------
    @staticmethod
    def local_zone() -> str:
        """This machine's time zone (IANA name): the day report's default."""
        return local_zone()

    def day_report(self, user: UserInfo, day: date | str | None, tz: str | None) -> DayReport:
        """The end-of-day report of ``day`` in time zone ``tz`` (supervisors; PermissionDenied for a clerk)."""
        return self._reports.day(user.username, day, tz)

    @staticmethod
    def save_day_report_csv(report: DayReport, path: str | Path) -> Path:
        """The report as one CSV (UTF-8 with BOM, a ``section`` column); BadInput when the file cannot be written."""
        return write_csv(report, path)

    # -- the clerk's till (services/tills.py) -------------------------------------------------------------------------
    @property
    def workstation(self) -> str:
        """This machine's name for its till (BOXOFFICE_WORKSTATION or the host name)."""
        return self._settings.workstation

    @property
    def require_till(self) -> bool:
        return self._settings.require_till

    def _till_service(self) -> Tills:
        assert self._tills is not None, "FrontDesk built without the till service"
        return self._tills

    def till_status(self, user: UserInfo) -> dict:
        """The clerk's open till as they may see it (blind until counted); ``{"open": False}`` without one."""
        return self._till_service().status(user.username)

    def open_till(self, user: UserInfo, opening_float: Decimal, workstation: str | None = None) -> dict:
        return self._till_service().open(user.username, opening_float, workstation or self.workstation)

    def till_drop(self, user: UserInfo, amount: Decimal, reason: str | None = None) -> dict:
        return self._till_service().drop(user.username, amount, reason)

    def till_payout(self, user: UserInfo, amount: Decimal, reason: str) -> dict:
        return self._till_service().payout(user.username, amount, reason)

    def till_count(self, user: UserInfo, counted: Decimal | None = None, detail: dict[str, int] | None = None
                   ) -> dict:
        """Record the blind count; returns the report with the expected cash and the variance."""
        return self._till_service().count(user.username, counted, detail)

    def till_close(self, user: UserInfo, supervisor: str | None, password: str | None,
                   note: str | None = None) -> dict:
        """The supervisor's sign-off of the counted till (``note``: why, needed when the variance is not zero);
        returns the Z report."""
        return self._till_service().close(user.username, supervisor=supervisor, supervisor_password=password,
                                          note=note)

    def till_report(self, user: UserInfo, shift_id: int) -> dict:
        return self._till_service().report(user.username, shift_id)

    # -- indices <-> the services' labels --------------------------------------------------------------------------
    @staticmethod
    def _labels(layout: Layout, seats: Sequence[int]) -> tuple[str, ...]:
        """Seat indices → the labels the booking services take (an index outside the layout is bad input)."""
        outside = [i for i in seats if not 0 <= i < layout.capacity]
        if outside:
            raise BadInput(reason="seat_index_outside", index=outside[0], venue=layout.name)
        return tuple(layout.seats[i].label for i in seats)

    @staticmethod
    def _with_indices(exc: SeatsUnavailable, layout: Layout) -> SeatsUnavailable:
        """The services name taken seats by label: add their indices for the window."""
        exc.indices = tuple(layout.by_label[s].index for s in exc.seats  # type: ignore[attr-defined]
                            if s in layout.by_label)
        return exc

    def _label_map(self, session_id: int) -> dict[str, int]:
        venue_id = self._catalog.venue_of(session_id)
        with self._lock:
            found = self._label_maps.get(venue_id)
        if found is None:
            found = {s.label: s.index for s in self._catalog.layout(venue_id).seats}
            with self._lock:
                self._label_maps[venue_id] = found
        return found
