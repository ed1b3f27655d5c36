"""The sale (DESIGN §2): order token → atomic Redis deduction → one locked PostgreSQL transaction → confirm.

Failure answers: refusals (sold out, gate full, not on sale) come from Redis before PostgreSQL is touched; a seat
conflict in Redis is a :class:`SeatsUnavailable` naming the seats; if the database step fails, the compensation script
gives back exactly the bits this sale set; if the outcome is ambiguous (the connection dropped during COMMIT) the
order is looked up by its token, and a retry with the same token returns the existing order, never a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ..adapters.repos import orders
from ..adapters.seatstore import Hold, SeatStore
from ..adapters.uow import StatementFactory, UowFactory
from ..config import Settings
from ..domain import limits
from ..domain import tenders as tender_rules
from ..domain.bitmap import bit
from ..domain.layout import Layout, Seat
from ..domain.pricing import PriceList
from ..domain.values import DEFAULT_PRICE_TYPE, PAYMENT_METHODS, Receipt, ReceiptLine, Tender
from ..errors import (
    BackendUnavailable,
    BadInput,
    BoxOfficeError,
    DatabaseUnreachable,
    LockTimeout,
    NoAdjacentSeats,
    NotOnSale,
    PermissionDenied,
    RedisEmpty,
    SaleRefused,
    SalesClosed,
    SeatsTaken,
    SeatsUnavailable,
    TillCounted,
    TillNotOpen,
    TokenForeign,
    TokenInvalid,
    TokenOrderCancelled,
    TokenStale,
)
from ..failpoints import failpoint
from .accounts import SELLING_ROLES, SUPERVISOR_ROLES, Accounts, UserInfo
from .catalog import Catalog
from .health import RedisHealth
from .inventory import Inventory
from .orders import Orders, customer_name, customer_phone

if TYPE_CHECKING:
    from .degraded import DegradedSales

log = logging.getLogger(__name__)

MAX_SEATS_PER_ORDER = 40


def no_adjacent(count: int, zone: str | None) -> NoAdjacentSeats:
    """Best available found no ``count`` adjacent free seats (in ``zone`` if given)."""
    if zone:
        return NoAdjacentSeats([], reason="no_adjacent_in_zone", count=count, zone=zone)
    return NoAdjacentSeats([], reason="no_adjacent", count=count)


def not_on_sale(session_id: int, status: str | None) -> NotOnSale:
    """The refusal for a session status other than ``onsale`` from the sale statement's verdict
    (:data:`boxoffice.adapters.repos.orders.SALE_SQL`)."""
    if status in ("closed", "sales_closed"):
        return SalesClosed()
    if status == "not_open":
        return NotOnSale(reason="sales_not_open", session_id=session_id)
    return NotOnSale(reason="session_status", session_id=session_id, status=status or "unknown")


@dataclass(frozen=True)
class SaleRequest:
    session_id: int
    username: str
    seats: tuple[str, ...] = ()
    best: int | None = None
    zone: str | None = None
    payment: str = "cash"
    token: str | None = None  # resume an interrupted sale: returns its order, never a second one
    customer_name: str | None = None  # optional: who bought it (to find the order again); never required
    customer_phone: str | None = None
    tendered: Decimal | None = None  # the cash handed over (cash sales; None: exact money), kept for the receipt
    #: split tender: how the total is paid (amounts must add up to it; ``payment`` and ``tendered`` are then unused);
    #: empty: the whole amount by ``payment``
    tenders: tuple[Tender, ...] = ()
    #: the price type of each seat, in the order of ``seats`` (or of the seats best N chooses); empty: all adult
    price_types: tuple[str, ...] = ()
    #: a supervisor approving a type that needs one (a complimentary ticket) at a clerk's window
    supervisor: str | None = None
    supervisor_password: str | None = None

    def __post_init__(self) -> None:
        """Limits checked before anything reaches Redis or PostgreSQL (domain/limits.py)."""
        object.__setattr__(self, "customer_name", customer_name(self.customer_name))
        object.__setattr__(self, "customer_phone", customer_phone(self.customer_phone))
        limits.check_id("session", self.session_id)
        limits.check_text("user name", self.username, limits.MAX_USERNAME)
        if self.zone is not None:
            limits.check_text("zone", self.zone, limits.MAX_CODE, invisible=True)
        if self.token is not None:
            limits.check_text("token", self.token, limits.MAX_TOKEN, invisible=True)
        if self.best is not None and (isinstance(self.best, bool) or not isinstance(self.best, int)):
            raise BadInput(reason="best_not_whole")
        if self.tendered is not None:
            if self.payment != "cash":
                raise BadInput(reason="tendered_not_cash")
            limits.check_price("the cash given", self.tendered)
        for t in self.tenders:
            limits.check_price("a tender", t.amount)
            if t.tendered is not None:
                limits.check_price("the cash given", t.tendered)
        for code in self.price_types:
            limits.check_text("price type", code, limits.MAX_CODE, invisible=True)
        count = len(self.seats) if self.seats else self.best
        if self.price_types and count is not None and len(self.price_types) != count:
            raise BadInput(reason="price_types_count", types=len(self.price_types), seats=count,
                           default=DEFAULT_PRICE_TYPE)

    def tenders_for(self, total: Decimal) -> tuple[Tender, ...]:
        """How ``total`` is paid, checked: the split tenders, or the whole by ``payment`` (nothing for a total of
        0, a complimentary order)."""
        if self.tenders:
            return tender_rules.check(self.tenders, total)
        if total == 0:
            return ()
        if self.tendered is not None and self.tendered < total:
            raise BadInput(reason="cash_short", tendered=self.tendered, total=total)
        return (Tender(self.payment, total, self.tendered),)


class Booking:
    MAX_ATTEMPTS = 3

    def __init__(
        self,
        uow: UowFactory,
        store: SeatStore,
        catalog: Catalog,
        inventory: Inventory,
        accounts: Accounts,
        orders: Orders,
        settings: Settings,
        single_statement: StatementFactory,
    ) -> None:
        self.uow = uow
        self.store = store
        self.catalog = catalog
        self.inventory = inventory
        self.accounts = accounts
        self.orders = orders
        self.settings = settings
        self.single_statement = single_statement
        #: Redis reachable? and the database-only path used while it is not (set by bootstrap; degraded mode)
        self.health = RedisHealth("off")
        self.degraded: DegradedSales | None = None

    # -- public -----------------------------------------------------------------------------------------------------
    def sell(self, req: SaleRequest) -> Receipt:
        if req.payment not in PAYMENT_METHODS:
            raise BadInput(reason="bad_payment", methods=", ".join(PAYMENT_METHODS), payment=req.payment)
        if req.tenders and req.tendered is not None:
            raise BadInput(reason="tendered_with_tenders")
        if bool(req.seats) == (req.best is not None):
            raise BadInput(reason="seats_or_best")
        user = self.accounts.require(req.username, SELLING_ROLES)
        layout = self.catalog.layout(self.catalog.venue_of(req.session_id))
        indices = self.resolve(layout, req.seats) if req.seats else ()
        prices = self.catalog.price_list(req.session_id)
        types = req.price_types or (DEFAULT_PRICE_TYPE,) * (len(indices) or int(req.best or 0))
        approval = [prices.type(code) for code in dict.fromkeys(types) if prices.type(code).needs_supervisor]
        if approval and user.role not in SUPERVISOR_ROLES:
            if not req.supervisor:
                raise PermissionDenied(reason="price_type_needs_supervisor", price_type=approval[0].code)
            self.accounts.verify_supervisor(req.supervisor, req.supervisor_password or "", for_user=user)
        if indices:  # checked again (best N) once the seats are chosen: sale_of
            req.tenders_for(sale_total(layout, prices, indices, seat_types(layout, req, indices)))
        if req.best is not None:
            if not 1 <= req.best <= MAX_SEATS_PER_ORDER:
                raise BadInput(reason="best_range", maximum=MAX_SEATS_PER_ORDER, count=req.best)
            if req.zone is not None and req.zone not in layout.zone_by_code:
                known = ", ".join(z.code for z in layout.zones)
                raise BadInput(reason="unknown_zone", zone=req.zone, known=known)
        if self.health.down and self.degraded is not None:
            return self.degraded.sell(req, user, layout, indices)
        try:
            return self._sell(req, user, layout, indices)
        except BackendUnavailable as exc:
            if self.degraded is None or not self.health.failed(exc):
                raise
            return self.degraded.sell(req, user, layout, indices)

    def _sell(self, req: SaleRequest, user: UserInfo, layout: Layout, indices: tuple[int, ...]) -> Receipt:
        if req.token:
            return self._resume(req, user, layout, indices)
        if indices:
            token = self.claim(req.session_id, user, indices)
            return self._complete(req, user, layout, token, indices)
        wanted = int(req.best or 0)
        for _attempt in range(self.MAX_ATTEMPTS):
            token = self._issue(req.session_id, user, wanted)
            try:
                chosen = self._choose_best(req, layout)
                self.store.deduct(req.session_id, token, chosen, user.username, self._hold_ms)
            except SeatsTaken:
                continue  # another window took the best seats first (the token is spent): start again from step 1
            except NoAdjacentSeats:
                self.store.discard_token(req.session_id, token)
                raise
            return self._complete(req, user, layout, token, chosen)
        raise NoAdjacentSeats([], reason="best_kept_taken", count=wanted)

    @staticmethod
    def resolve(layout: Layout, labels: Sequence[str]) -> tuple[int, ...]:
        """Seat labels → distinct seat indices in ascending order.

        Labels are normalised (NFC, trimmed) and matched exactly, else case-insensitively where only one seat of the
        venue has that spelling. An unknown, ambiguous, overlong or invisible-character label, a seat named twice
        and too many seats are a :class:`BadInput`; a seat the layout blocks is :class:`SeatsUnavailable`."""
        named = [label for label in labels if isinstance(label, str) and label.strip()]
        if not named:
            raise BadInput(reason="no_seats_named")
        if len(named) > MAX_SEATS_PER_ORDER:
            raise BadInput(reason="too_many_seats", maximum=MAX_SEATS_PER_ORDER, count=len(named))
        seats: list[Seat] = []
        unknown: list[str] = []
        for raw in named:
            label = limits.check_label("seat label", raw)
            seat = layout.by_label.get(label)
            if seat is None:
                key = limits.label_key(label)
                seat = layout.by_key.get(key)
                if seat is None and key in layout.by_key:
                    twins = [s.label for s in layout.seats if limits.label_key(s.label) == key]
                    raise BadInput(reason="ambiguous_label", label=label, venue=layout.name,
                                   twins=", ".join(twins[:4]))
            if seat is None:
                if label not in unknown:
                    unknown.append(label)
            else:
                seats.append(seat)
        if unknown:
            raise BadInput(reason="unknown_labels", venue=layout.name, labels=", ".join(unknown[:10]))
        seen: set[int] = set()
        for seat in seats:
            if seat.index in seen:
                raise BadInput(reason="seat_named_twice", seat=seat.label)
            seen.add(seat.index)
        blocked = [seat.label for seat in seats if seat.blocked]
        if blocked:
            raise SeatsUnavailable(blocked, reason="seat_blocked" if len(blocked) == 1 else "seats_blocked")
        return tuple(sorted(seen))

    # -- steps ------------------------------------------------------------------------------------------------------
    @property
    def _hold_ms(self) -> int:
        return int(self.settings.hold_ttl_s * 1000)

    @property
    def _token_ms(self) -> int:
        return int(self.settings.token_ttl_s * 1000)

    def _issue(self, session_id: int, user: UserInfo, wanted: int) -> str:
        return self._warm_retry(
            session_id, lambda: self.store.issue_token(session_id, user.username, wanted, self._token_ms).token
        )

    def _issue_and_deduct(self, session_id: int, user: UserInfo, indices: Sequence[int], layout: Layout) -> str:
        """Steps 1 and 2 for named seats in one Redis round trip."""
        return self._warm_retry(
            session_id,
            lambda: self.store.issue_and_deduct(
                session_id, user.username, indices, self._token_ms, self._hold_ms, lambda i: layout.seats[i].label
            )[0].token,
        )

    def _warm_retry(self, session_id: int, step: Callable[[], str]) -> str:
        try:
            return step()
        except RedisEmpty:
            self._rewarm(session_id)
            try:
                return step()
            except RedisEmpty:
                raise NotOnSale(reason="redis_empty", session_id=session_id) from None

    def _rewarm(self, session_id: int) -> None:
        """Redis lost the session (flush, restart): rebuild it from the database, once for all racing clerks."""
        if self.store.try_lock(session_id, "rebuild", 30_000):
            try:
                if not self.store.snapshot(session_id).present:
                    log.warning("session %s missing from Redis: rebuilding from the database", session_id)
                    self.inventory.rebuild(session_id)
            finally:
                self.store.unlock(session_id, "rebuild")

    def _choose_best(self, req: SaleRequest, layout: Layout) -> tuple[int, ...]:
        assert req.best is not None
        taken = self.store.snapshot(req.session_id).taken
        best = self.catalog.best_available(self.catalog.venue_of(req.session_id))
        chosen = best.find(req.best, lambda i: bit(taken, i), req.zone)
        if chosen is None:
            raise no_adjacent(req.best, req.zone)
        return chosen

    @staticmethod
    def same_sale(req: SaleRequest, indices: Sequence[int], seats: Sequence[int]) -> bool:
        """Does a resumed request ask for the token's seats: the same seats when named, the same number for best N."""
        if indices:
            return set(indices) == set(seats)
        return req.best is None or req.best == len(seats)

    def check_resumed(self, req: SaleRequest, user: UserInfo, indices: Sequence[int], existing: Receipt) -> None:
        """The order a token already made is returned only to its clerk, for its session and seats, while paid."""
        if existing.session_id != req.session_id or existing.clerk != user.username:
            raise TokenForeign()
        if existing.status != "paid":
            raise TokenOrderCancelled(existing.order_id, existing.status)
        if not self.same_sale(req, indices, [ln.seat_index for ln in existing.lines]):
            raise TokenForeign()

    def _resume(self, req: SaleRequest, user: UserInfo, layout: Layout, indices: tuple[int, ...]) -> Receipt:
        """A token resumes only its own sale: its clerk, its session, its seats — else :class:`TokenForeign` (checked
        first, so another clerk learns nothing of the sale); a cancelled order is a :class:`TokenOrderCancelled`."""
        assert req.token
        existing = self.orders.by_token(req.token)
        if existing is not None:
            self.check_resumed(req, user, indices, existing)
            self._confirm(existing)
            return existing
        hold = self.store.hold(req.session_id, req.token)
        if hold is None and self.degraded is not None and self.degraded.has_hold(req.token):
            receipt = self.degraded.finish_hold(req, user, layout, indices)  # held while Redis was down
            self._confirm(receipt)
            return receipt
        if hold is None:
            if not indices:
                raise TokenInvalid(reason="token_no_seats")
            clerk = self.store.token_clerk(req.session_id, req.token)
            if clerk is not None and clerk != user.username:
                raise TokenForeign()
            self.store.deduct(req.session_id, req.token, indices, user.username, self._hold_ms,
                              lambda i: layout.seats[i].label)
            return self._complete(req, user, layout, req.token, indices)
        if hold.clerk != user.username:
            raise TokenForeign()
        if hold.state != "held":
            raise TokenInvalid(reason="token_without_order", state=hold.state)
        if hold.stale:
            # Held before a rebuild of the seat map: the rebuilt map does not have its seats, which another clerk
            # may hold or have sold since. Finishing it would beat that newer hold; end it (release.lua frees no
            # bit of another epoch) and let the clerk select again.
            self._compensate(req.session_id, req.token, "stale")
            raise TokenStale()
        if not self.same_sale(req, indices, hold.seats):
            raise TokenForeign()
        return self._complete(req, user, layout, req.token, hold.seats, held_before=True)

    def _complete(
        self, req: SaleRequest, user: UserInfo, layout: Layout, token: str, indices: Sequence[int],
        held_before: bool = False,
    ) -> Receipt:
        """Step 3 and its failure answers. ``held_before``: the hold was made by an earlier call (the clerk held the
        seats for the customer, H, and is now finishing the sale): while the database is away it stays the
        customer's for its lifetime and the clerk retries with its token, instead of being given back."""
        try:
            receipt = self._commit(req, user, layout, token, indices)
        except (SeatsUnavailable, NotOnSale, LockTimeout):
            self._compensate(req.session_id, token)  # the statement ran and committed nothing
            raise
        except DatabaseUnreachable as exc:
            if held_before:
                raise DatabaseUnreachable(reason="db_down_held", token=token, detail=str(exc)) from exc
            # No connection could be had: the statement was never sent, so nothing can commit — give the seats
            # back now rather than when the hold expires (a long outage would otherwise drain the stock).
            self._compensate(req.session_id, token)
            raise DatabaseUnreachable(reason="db_down_released", detail=str(exc)) from exc
        except Exception as exc:
            # Outcome unknown (connection lost around COMMIT, a crash point): ask the database by token before
            # giving any seat back — PostgreSQL is the system of record.
            try:
                existing = self.orders.by_token(token)
            except BoxOfficeError:
                # Still no answer: keep the hold, and have the unresolved-sales job settle it (confirm if the order
                # exists, release if not) as soon as the database answers again — not when the hold expires. A hold
                # made earlier for the customer stays theirs; the outbox confirms it if the order was saved.
                if not held_before:
                    self.settle_later(req.session_id, token)
                log.error("sale %s: outcome unknown, hold kept until the database answers again", token)
                raise BackendUnavailable(reason="sale_outcome_unknown", token=token) from exc
            if existing is None:
                self._compensate(req.session_id, token)
                raise
            receipt = existing
        self._confirm(receipt)
        return receipt

    def hold(self, session_id: int, username: str, labels: Sequence[str]) -> Hold:
        """Steps 1 and 2 only: the seats are the clerk's until the hold expires (``hold_ttl_s``); finish with
        ``sell(SaleRequest(..., seats=labels, token=hold.token))``, or let it expire (the sweep releases it)."""
        user = self.accounts.require(username, SELLING_ROLES)
        layout = self.catalog.layout(self.catalog.venue_of(session_id))
        indices = self.resolve(layout, labels)
        if self.health.down and self.degraded is not None:
            return self.degraded.hold(session_id, user, indices)
        try:
            token = self.claim(session_id, user, indices)
        except BackendUnavailable as exc:
            if self.degraded is None or not self.health.failed(exc):
                raise
            return self.degraded.hold(session_id, user, indices)
        found = self.store.hold(session_id, token)
        assert found is not None
        return found

    def claim(self, session_id: int, user: UserInfo, indices: Sequence[int]) -> str:
        """Steps 1 and 2 for named seats (used by exchanges); returns the token holding them."""
        layout = self.catalog.layout(self.catalog.venue_of(session_id))
        return self._issue_and_deduct(session_id, user, indices, layout)

    def compensate(self, session_id: int, token: str) -> None:
        """Give back what the hold under ``token`` took (nothing committed uses it)."""
        self._compensate(session_id, token)

    def settle_later(self, session_id: int, token: str) -> None:
        """The outcome of the database step under ``token`` is unknown and the database does not answer: record the
        token as unresolved, so :meth:`Inventory.settle_unresolved` (a scheduled job in every process) confirms or
        releases its hold as soon as the database answers again. If Redis fails too, the hold sweep settles it when
        the hold expires."""
        try:
            self.store.mark_unresolved(session_id, token)
        except BoxOfficeError:
            log.exception("recording %s as unresolved failed; the hold sweep settles it when it expires", token)

    def _compensate(self, session_id: int, token: str, reason: str = "compensate") -> None:
        if self.health.down:
            return  # Redis unreachable: the hold expires there and the sweep releases it (no order has its token)
        try:
            self.store.release(session_id, token, reason)
        except BoxOfficeError as exc:
            self.health.failed(exc)
            log.exception("compensation for %s failed; the hold expires on its own", token)

    def _confirm(self, receipt: Receipt) -> None:
        """After commit the sale stands; a Redis hiccup here is repaired by the outbox consumer and the sweep."""
        if self.health.down:
            return  # Redis unreachable: the outbox consumer and the rebuild after the outage bring it up to date
        try:
            self.store.confirm(receipt.session_id, receipt.token, [ln.seat_index for ln in receipt.lines],
                               receipt.order_id, [ln.line_id for ln in receipt.lines])
        except BoxOfficeError as exc:
            self.health.failed(exc)
            log.exception("confirming %s in Redis failed; the outbox will confirm it", receipt.token)

    def _commit(
        self, req: SaleRequest, user: UserInfo, layout: Layout, token: str, indices: Sequence[int]
    ) -> Receipt:
        sale = sale_of(req, user, layout, self.catalog.price_list(req.session_id), token, indices,
                       need_till=self.settings.require_till)
        failpoint("sale.before_db")
        with self.single_statement() as conn:
            row = orders.place(conn, sale)
        if row.violated == orders.SEAT_SOLD:
            raise SeatsUnavailable([s.label for s in sale.seats], reason="seat_already_sold")
        if row.violated == orders.TOKEN_USED:
            existing = self.orders.by_token(token)
            if existing is not None:
                return existing
            raise BackendUnavailable(reason="token_unreadable", token=token)
        if row.order_id is None:
            if row.session_status != "onsale":
                raise not_on_sale(req.session_id, row.session_status)
            if sale.need_till and row.till_id is None and not row.taken:
                with self.uow() as tx:  # the failure path only: a sale that went through asked nothing more
                    raise till_refusal(user, tx.tills.current_shift_id(user.user_id))
            raise SeatsUnavailable([layout.seats[i].label for i in row.taken] if row.taken
                                   else [s.label for s in sale.seats])
        assert row.created_at is not None and row.lines is not None
        order_id, created_at = row.order_id, row.created_at
        failpoint("sale.after_commit")
        return sold_receipt(sale, user, order_id, created_at, row.lines)


def till_refusal(user: UserInfo, current_shift: int | None) -> SaleRefused:
    """Why a sale found no till to take it: none open (:class:`TillNotOpen`), or the open one is counted and waits
    for its sign-off (:class:`TillCounted`)."""
    return TillNotOpen(user.username) if current_shift is None else TillCounted(user.username, current_shift)


def sale_total(layout: Layout, prices: PriceList, indices: Sequence[int], types: Sequence[str]) -> Decimal:
    """What these seats cost, each at its zone's price for its type (``types`` in ascending seat order)."""
    seats = sorted(indices)
    return sum((prices.price(layout.seats[i].zone, t) for i, t in zip(seats, types, strict=True)), Decimal("0.00"))


def seat_types(layout: Layout, req: SaleRequest, indices: Sequence[int]) -> tuple[str, ...]:
    """The request's price types in ascending seat order: ``req.price_types`` name one per seat in the order of
    ``req.seats`` (or, for best N, of the chosen seats in ascending order); none: every seat adult."""
    if not req.price_types:
        return (DEFAULT_PRICE_TYPE,) * len(indices)
    if len(req.price_types) != len(indices):
        raise BadInput(reason="price_types_count", types=len(req.price_types), seats=len(indices),
                       default=DEFAULT_PRICE_TYPE)
    if not req.seats:
        return tuple(req.price_types)
    named = [label for label in req.seats if isinstance(label, str) and label.strip()]
    by_seat = {Booking.resolve(layout, [label])[0]: code for label, code in zip(named, req.price_types, strict=True)}
    return tuple(by_seat[i] for i in sorted(indices))


def sale_of(req: SaleRequest, user: UserInfo, layout: Layout, prices: PriceList, token: str, indices: Sequence[int],
            degraded: bool = False, need_till: bool = False) -> orders.Sale:
    """What the sale statement writes for these seats: each at its zone's price for its type, in ascending seat
    order, paid as the request says (the tenders must add up to the total, the cash handed over cover its share)."""
    seats = tuple(layout.seats[i] for i in sorted(indices))
    types = seat_types(layout, req, indices)
    line_prices = tuple(prices.price(s.zone, t) for s, t in zip(seats, types, strict=True))
    paid = req.tenders_for(sum(line_prices, Decimal("0.00")))
    return orders.Sale(req.session_id, user.user_id, token, tender_rules.method_of(paid) if paid else req.payment,
                       seats, line_prices, degraded, req.customer_name, req.customer_phone, tenders=paid,
                       types=types, need_till=need_till)


def sold_receipt(sale: orders.Sale, user: UserInfo, order_id: int, created_at: datetime, lines: Sequence[int]
                 ) -> Receipt:
    """The receipt of an order the sale statement wrote (``lines``: its order lines, in seat order)."""
    return Receipt(
        order_id=order_id, session_id=sale.session_id, token=sale.token, status="paid", clerk=user.username,
        payment=sale.payment, total=sale.total, created_at=created_at, tendered=sale.tendered,
        customer_name=sale.customer_name, customer_phone=sale.customer_phone, tenders=sale.tenders,
        lines=tuple(ReceiptLine(st.index, st.label, st.zone, p, line, t)
                    for st, p, line, t in zip(sale.seats, sale.prices, lines, sale.seat_types, strict=True)),
    )
