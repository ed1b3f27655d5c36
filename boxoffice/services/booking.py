"""The sale (DESIGN §2): order token → atomic Redis deduction → one locked PostgreSQL transaction → confirm.

Failure answers: refusals (sold out, gate full, not on sale) come from Redis before PostgreSQL is touched; a seat
conflict in Redis is a :class:`SeatsUnavailable` naming the seats; if the database step fails, the compensation script
gives back exactly the bits this sale set; if the outcome is ambiguous (the connection dropped during COMMIT) the
order is looked up by its token, and a retry with the same token returns the existing order, never a second one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import psycopg
from psycopg.rows import namedtuple_row

from ..adapters import locks
from ..adapters.seatstore import Hold, SeatStore
from ..adapters.uow import StatementFactory, UowFactory
from ..config import Settings
from ..domain import limits
from ..domain.bitmap import bit
from ..domain.layout import Layout, Seat
from ..domain.values import PAYMENT_METHODS, Receipt, ReceiptLine
from ..errors import (
    BackendUnavailable,
    BadInput,
    BoxOfficeError,
    DatabaseUnreachable,
    LockTimeout,
    NoAdjacentSeats,
    NotOnSale,
    RedisEmpty,
    SalesClosed,
    SeatsTaken,
    SeatsUnavailable,
    TokenForeign,
    TokenInvalid,
    TokenOrderCancelled,
    TokenStale,
)
from ..failpoints import failpoint
from .accounts import SELLING_ROLES, Accounts, UserInfo
from .catalog import Catalog
from .health import RedisHealth
from .inventory import Inventory
from .orders import Orders

if TYPE_CHECKING:
    from .degraded import DegradedSales

log = logging.getLogger(__name__)

MAX_SEATS_PER_ORDER = 40

#: The whole database step as ONE statement, run as its own transaction (autocommit): lock the requested seat rows
#: in ascending order (FOR UPDATE, bounded by lock_timeout), check that all are free and the session on sale (its
#: status ``onsale`` and ``now()`` inside its sales window: ``session_status`` says ``sales_closed`` / ``not_open``
#: otherwise, see :func:`not_on_sale`), and only
#: then insert the order, its lines, the payment, the outbox row and the audit entry and mark the seats sold.
#: The shared advisory lock keeps a rebuild (which takes it exclusively) from reading the database mid-sale.
#: One round trip instead of five keeps the row locks short under a rush. It runs on the driver (psycopg placeholders).
SALE_SQL = """
    WITH gate AS (
        SELECT pg_advisory_xact_lock_shared(%(ns)s, %(sid)s)
    ), locked AS (
        SELECT ss.seat_idx, ss.status
          FROM gate, session_seats ss
         WHERE ss.session_id = %(sid)s AND ss.seat_idx = ANY(%(idx)s)
         ORDER BY ss.seat_idx
           FOR UPDATE OF ss
    ), verdict AS (
        SELECT (SELECT CASE WHEN status <> 'onsale' THEN status
                            WHEN now() >= sales_close_at THEN 'sales_closed'
                            WHEN now() < sales_open_at THEN 'not_open'
                            ELSE status END
                  FROM sessions WHERE id = %(sid)s) AS session_status,
               (SELECT count(*) FROM locked WHERE status = 'free') AS free,
               (SELECT array_agg(seat_idx ORDER BY seat_idx) FROM locked WHERE status <> 'free') AS taken
    ), o AS (
        INSERT INTO orders (token, session_id, user_id, total, payment_method)
        SELECT %(token)s, %(sid)s, %(uid)s, %(total)s, %(method)s FROM verdict
         WHERE verdict.session_status = 'onsale' AND verdict.free = %(n)s
        RETURNING id, created_at
    ), l AS (
        INSERT INTO order_lines (order_id, session_id, seat_idx, label, zone, price)
        SELECT o.id, %(sid)s, x.idx, x.label, x.zone, x.price
          FROM o, unnest(CAST(%(idx)s AS int[]), CAST(%(labels)s AS text[]), CAST(%(zones)s AS text[]),
                         CAST(%(prices)s AS numeric[])) AS x(idx, label, zone, price)
        RETURNING id, seat_idx
    ), u AS (
        UPDATE session_seats ss SET status = 'sold', order_id = o.id, updated_at = now()
          FROM o WHERE ss.session_id = %(sid)s AND ss.seat_idx = ANY(%(idx)s)
    ), p AS (
        INSERT INTO payments (order_id, method, amount) SELECT o.id, %(method)s, %(total)s FROM o
    ), ob AS (
        INSERT INTO outbox (topic, aggregate_id, payload)
        SELECT 'OrderPlaced', o.id, CAST(%(payload)s AS jsonb)
               || jsonb_build_object('order_id', o.id, 'lines', (SELECT jsonb_agg(id ORDER BY seat_idx) FROM l))
          FROM o
    ), a AS (
        INSERT INTO audit_log (actor_id, action, session_id, order_id, details)
        SELECT %(uid)s, 'sale', %(sid)s, o.id, CAST(%(audit)s AS jsonb) FROM o
    )
    SELECT o.id AS order_id, o.created_at, v.session_status, v.taken,
           (SELECT array_agg(id ORDER BY seat_idx) FROM l) AS lines
      FROM verdict v LEFT JOIN o ON true
    """


#: the session's sale status as SALE_SQL's verdict computes it, for statements that check it on their own (a hold
#: in the database while Redis is down)
SESSION_SALE_STATUS_SQL = (
    "SELECT CASE WHEN status <> 'onsale' THEN status WHEN now() >= sales_close_at THEN 'sales_closed' "
    "WHEN now() < sales_open_at THEN 'not_open' ELSE status END FROM sessions WHERE id = :sid"
)


def not_on_sale(session_id: int, status: str | None) -> NotOnSale:
    """The refusal for a session status other than ``onsale`` from SALE_SQL's verdict."""
    if status in ("closed", "sales_closed"):
        return SalesClosed()
    if status == "not_open":
        return NotOnSale(f"sales for session {session_id} are not open yet")
    return NotOnSale(f"session {session_id} is {status or 'unknown'}")


@dataclass(frozen=True)
class SaleRequest:
    session_id: int
    username: str
    seats: tuple[str, ...] = ()
    best: int | None = None
    zone: str | None = None
    payment: str = "cash"
    token: str | None = None  # resume an interrupted sale: returns its order, never a second one

    def __post_init__(self) -> None:
        """Limits checked before anything reaches Redis or PostgreSQL (domain/limits.py)."""
        limits.check_id("session", self.session_id)
        limits.check_text("user name", self.username, limits.MAX_USERNAME)
        if self.zone is not None:
            limits.check_text("zone", self.zone, limits.MAX_CODE, invisible=True)
        if self.token is not None:
            limits.check_text("token", self.token, limits.MAX_TOKEN, invisible=True)
        if self.best is not None and (isinstance(self.best, bool) or not isinstance(self.best, int)):
            raise BadInput("best available needs a whole number of seats")


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
            raise BadInput(f"payment must be one of {', '.join(PAYMENT_METHODS)}, not {req.payment!r}")
        if bool(req.seats) == (req.best is not None):
            raise BadInput("name the seats or ask for the best N, not both and not neither")
        user = self.accounts.require(req.username, SELLING_ROLES)
        layout = self.catalog.layout(self.catalog.venue_of(req.session_id))
        indices = self.resolve(layout, req.seats) if req.seats else ()
        if req.best is not None:
            if not 1 <= req.best <= MAX_SEATS_PER_ORDER:
                raise BadInput(f"best available takes 1 to {MAX_SEATS_PER_ORDER} seats, not {req.best}")
            if req.zone is not None and req.zone not in layout.zone_by_code:
                known = ", ".join(z.code for z in layout.zones)
                raise BadInput(f"unknown zone {req.zone!r}; this venue has {known}")
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
        raise NoAdjacentSeats([], f"the best {wanted} seats kept being taken by other sales; try again")

    @staticmethod
    def resolve(layout: Layout, labels: Sequence[str]) -> tuple[int, ...]:
        """Seat labels → distinct seat indices in ascending order.

        Labels are normalised (NFC, trimmed) and matched exactly, else case-insensitively where only one seat of the
        venue has that spelling. An unknown, ambiguous, overlong or invisible-character label, a seat named twice
        and too many seats are a :class:`BadInput`; a seat the layout blocks is :class:`SeatsUnavailable`."""
        named = [label for label in labels if isinstance(label, str) and label.strip()]
        if not named:
            raise BadInput("no seats named")
        if len(named) > MAX_SEATS_PER_ORDER:
            raise BadInput(f"at most {MAX_SEATS_PER_ORDER} seats per order ({len(named)} named)")
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
                    raise BadInput(f"seat label {label!r} is ambiguous in {layout.name}: "
                                   f"type it exactly ({', '.join(twins[:4])})")
            if seat is None:
                if label not in unknown:
                    unknown.append(label)
            else:
                seats.append(seat)
        if unknown:
            raise BadInput(f"unknown seat label(s) for {layout.name}: {', '.join(unknown[:10])}")
        seen: set[int] = set()
        for seat in seats:
            if seat.index in seen:
                raise BadInput(f"{seat.label} is named twice")
            seen.add(seat.index)
        blocked = [seat.label for seat in seats if seat.blocked]
        if blocked:
            raise SeatsUnavailable(blocked, f"{', '.join(blocked)} {'is' if len(blocked) == 1 else 'are'} "
                                            "blocked (not for sale)")
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
                raise NotOnSale(f"session {session_id} has no seat map in Redis") from None

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
            where = f" in zone {req.zone}" if req.zone else ""
            raise NoAdjacentSeats([], f"no {req.best} adjacent free seats{where}")
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
                raise TokenInvalid("this token has no held seats; name the seats to use it")
            clerk = self.store.token_clerk(req.session_id, req.token)
            if clerk is not None and clerk != user.username:
                raise TokenForeign()
            self.store.deduct(req.session_id, req.token, indices, user.username, self._hold_ms,
                              lambda i: layout.seats[i].label)
            return self._complete(req, user, layout, req.token, indices)
        if hold.clerk != user.username:
            raise TokenForeign()
        if hold.state != "held":
            raise TokenInvalid(f"the sale under this token was {hold.state} without an order; start again")
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
                raise DatabaseUnreachable(
                    f"the database could not be reached, so nothing was sold; the seats stay held for this customer: "
                    f"sell again (token {token}) when it answers ({exc})"
                ) from exc
            # No connection could be had: the statement was never sent, so nothing can commit — give the seats
            # back now rather than when the hold expires (a long outage would otherwise drain the stock).
            self._compensate(req.session_id, token)
            raise DatabaseUnreachable(
                f"the database could not be reached, so nothing was sold and the seats were given back; "
                f"sell again when it answers ({exc})"
            ) from exc
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
                raise BackendUnavailable(
                    f"the database did not answer, so whether this sale was saved is unknown; its seats stay held "
                    f"and are settled as soon as the database answers again; retry with token {token} to finish "
                    f"this sale"
                ) from exc
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
        seats = [layout.seats[i] for i in sorted(indices)]
        prices = [layout.zone_by_code[s.zone].price for s in seats]
        total = sum(prices, Decimal("0.00"))
        idx = [s.index for s in seats]
        labels = [s.label for s in seats]
        payload = {
            "session_id": req.session_id,
            "token": token,
            "seats": idx,
            "zones": [s.zone for s in seats],
            "prices": [str(p) for p in prices],
            "total": str(total),
        }
        failpoint("sale.before_db")
        try:
            with self.single_statement() as conn:
                row = conn.cursor(row_factory=namedtuple_row).execute(
                    SALE_SQL,
                    {
                        "ns": locks.INVENTORY,
                        "token": token,
                        "sid": req.session_id,
                        "uid": user.user_id,
                        "total": total,
                        "method": req.payment,
                        "n": len(idx),
                        "idx": idx,
                        "labels": labels,
                        "zones": [x.zone for x in seats],
                        "prices": prices,
                        "payload": json.dumps(payload),
                        "audit": json.dumps({"seats": labels, "total": str(total), "payment": req.payment}),
                    },
                    prepare=True,
                ).fetchone()
        except psycopg.IntegrityError as exc:
            constraint = exc.diag.constraint_name or ""
            if constraint == "uq_order_lines_live_seat":
                raise SeatsUnavailable(labels, "a seat of this order is already sold (database check)") from None
            if constraint == "uq_orders_token":
                existing = self.orders.by_token(token)
                if existing is not None:
                    return existing
            raise
        assert row is not None  # the statement always returns its verdict row
        if row.order_id is None:
            if row.session_status != "onsale":
                raise not_on_sale(req.session_id, row.session_status)
            raise SeatsUnavailable([layout.seats[i].label for i in row.taken] if row.taken else labels)
        order_id, created_at = row.order_id, row.created_at
        failpoint("sale.after_commit")
        return Receipt(
            order_id=order_id,
            session_id=req.session_id,
            token=token,
            status="paid",
            clerk=user.username,
            payment=req.payment,
            total=total,
            created_at=created_at,
            lines=tuple(ReceiptLine(st.index, st.label, st.zone, p, line)
                        for st, p, line in zip(seats, prices, row.lines, strict=True)),
        )
