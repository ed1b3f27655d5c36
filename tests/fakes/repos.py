"""In-memory fakes of the repositories (:mod:`boxoffice.adapters.repos`), a fake unit of work that hands them out, and a
fake driver connection that runs the sale statement — for unit tests of the services.

:class:`FakeDatabase` holds the tables; ``db.uow`` is a :data:`~boxoffice.adapters.uow.UowFactory` (``with db.uow()
as tx:`` gives ``tx.sessions``, ``tx.orders``, ... with the same functions as the real modules, minus the session
argument) and ``db.single_statement`` a :data:`~boxoffice.adapters.uow.StatementFactory` whose connection answers
:data:`~boxoffice.adapters.repos.orders.SALE_SQL` (so ``orders.place(conn, sale)`` runs unchanged). A unit of work
that ends without ``commit()`` puts every table back as it was. Rows are plain namespaces with the columns the
services read. ``tests/contract/test_repos_contract.py`` runs the sale statement's outcomes, the ledger and the
database picture on these fakes and on PostgreSQL.

Not modelled: concurrency (row and advisory locks are recorded in ``db.locks``, nothing waits), the outbox relay's
leases and back-off, CLI sessions, holds of degraded mode, reports.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import psycopg.errors

from boxoffice.adapters.repos import orders as real_orders
from boxoffice.domain.drift import DbPicture
from boxoffice.domain.events import OrderEvent, session_of
from boxoffice.domain.layout import Layout, Seat
from boxoffice.domain.values import SessionInfo, Tender
from boxoffice.errors import BadInput
from tests.fakes.seatstore import FakeClock

Row = SimpleNamespace
TWO = Decimal("0.01")


def _money(value: Any) -> Decimal:
    return Decimal(value).quantize(TWO)


@dataclass
class Tables:
    """Every table the fakes keep, by primary key (what a rolled-back unit of work restores)."""

    users: dict[int, Row] = field(default_factory=dict)
    venues: dict[int, Row] = field(default_factory=dict)
    sessions: dict[int, Row] = field(default_factory=dict)
    seats: dict[tuple[int, int], Row] = field(default_factory=dict)  # (session, seat) -> status, order_id
    orders: dict[int, Row] = field(default_factory=dict)
    lines: dict[int, Row] = field(default_factory=dict)
    payments: list[Row] = field(default_factory=list)
    outbox: dict[int, Row] = field(default_factory=dict)
    inbox: set[tuple[str, int]] = field(default_factory=set)
    audit: list[Row] = field(default_factory=list)
    ledger: dict[tuple[int, str], list[Any]] = field(default_factory=dict)  # (session, zone) -> [sold, revenue]
    open_tills: dict[int, int] = field(default_factory=dict)  # user id -> their open till shift's id


class FakeDatabase:
    """The tables, the clock (``clock.ms``: the database's ``now()``) and the factories a service is built with."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.t = Tables()
        self._ids = itertools.count(1)
        self.locks: list[tuple[str, int, int]] = []  # (mode, namespace, key) of every advisory lock taken
        self.commits = 0
        #: raised by the next sale statement — before it runs, or (``sale_fault_after``) after it committed
        self.sale_fault: BaseException | None = None
        self.sale_fault_after = False

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock() / 1000, timezone.utc)

    # -- the factories ----------------------------------------------------------------------------------------------
    @contextmanager
    def uow(self) -> Iterator[FakeUnitOfWork]:
        saved = copy.deepcopy(self.t)
        tx = FakeUnitOfWork(self)
        try:
            yield tx
        finally:
            if not tx.committed and self.t != saved:
                self.t = saved  # rolled back (rows read before are stale now, as ORM objects would be)

    @contextmanager
    def single_statement(self) -> Iterator[FakeConnection]:
        yield FakeConnection(self)

    # -- test set-up --------------------------------------------------------------------------------------------------
    def add_user(self, username: str, role: str = "clerk", password_hash: str | None = None) -> Row:
        with self.uow() as tx:
            user = tx.accounts.add_user(username, username.title(), role, password_hash)
            tx.commit()
        return user

    def outbox_rows(self, topic: str | None = None) -> list[Row]:
        return [r for r in self.t.outbox.values() if topic is None or r.topic == topic]

    def audit_rows(self, action: str | None = None) -> list[Row]:
        return [r for r in self.t.audit if action is None or r.action == action]

    def seat_status(self, session_id: int, seat: int) -> str:
        return self.t.seats[(session_id, seat)].status

    # -- the sale statement -------------------------------------------------------------------------------------------
    def sale_status(self, session_id: int) -> str | None:
        """``_SALE_STATUS`` of orders.py: the status, or ``sales_closed`` / ``not_open`` by the database clock."""
        row = self.t.sessions.get(session_id)
        if row is None:
            return None
        now = self.now()
        if row.status != "onsale":
            return row.status
        if now >= row.sales_close_at:
            return "sales_closed"
        if row.sales_open_at is not None and now < row.sales_open_at:
            return "not_open"
        return row.status

    def run_sale(self, p: Mapping[str, Any]) -> Row:
        """SALE_SQL over its parameters (:meth:`boxoffice.adapters.repos.orders.Sale.params`): the verdict row, the
        order written only when the session is on sale and every requested seat row is free; a token already used or
        a seat with a live line is the unique violation PostgreSQL raises (nothing written)."""
        t, sid, idx = self.t, p["sid"], list(p["idx"])
        locked = sorted((i, t.seats[(sid, i)].status) for i in idx if (sid, i) in t.seats)
        status = self.sale_status(sid)
        free = sum(1 for _, st in locked if st == "free")
        taken = [i for i, st in locked if st != "free"] or None
        till = t.open_tills.get(p["uid"])
        if status != "onsale" or free != p["n"] or (till is None and p["need_till"]):
            return Row(order_id=None, created_at=None, session_status=status, taken=taken, lines=None, till_id=till)
        if any(o.token == p["token"] for o in t.orders.values()):
            raise FakeUniqueViolation(real_orders.TOKEN_USED)
        if any(ln.active and ln.session_id == sid and ln.seat_idx in idx for ln in t.lines.values()):
            raise FakeUniqueViolation(real_orders.SEAT_SOLD)
        now = self.now()
        order = Row(id=self.next_id(), token=p["token"], session_id=sid, user_id=p["uid"], status="paid",
                    total=_money(p["total"]), payment_method=p["method"], created_at=now,
                    customer_name=p.get("cname"), customer_phone=p.get("cphone"))
        t.orders[order.id] = order
        seats = [Seat(i, label, "", "", "", "", zone, 0.0, 0.0) for i, label, zone in
                 zip(idx, p["labels"], p["zones"], strict=True)]
        added = self._lines(order.id, sid, seats, [_money(x) for x in p["prices"]])
        lines = [added[i] for i in sorted(idx)]
        for i in idx:
            t.seats[(sid, i)].status, t.seats[(sid, i)].order_id = "sold", order.id
        for method, amount, given in zip(p["t_methods"], p["t_amounts"], p["t_tendered"], strict=True):
            t.payments.append(Row(order_id=order.id, kind="payment", method=method, amount=_money(amount),
                                  tendered=None if given is None else _money(given), created_at=now, shift_id=till))
        payload = {"order_id": order.id, "session_id": sid, "token": p["token"], "seats": idx, "lines": lines,
                   "zones": list(p["zones"]), "prices": [str(_money(x)) for x in p["prices"]],
                   "total": str(_money(p["total"]))}
        self._append("OrderPlaced", order.id, payload)
        self._audit("sale", p["uid"], session_id=sid, order_id=order.id, details=json.loads(p["audit"]))
        return Row(order_id=order.id, created_at=now, session_status=status, taken=taken, lines=lines, till_id=till)

    # -- rows several fakes write ---------------------------------------------------------------------------------
    def _lines(self, order_id: int, session_id: int, seats: Sequence[Seat], prices: Sequence[Decimal]
               ) -> dict[int, int]:
        out = {}
        for st, price in zip(seats, prices, strict=True):
            line = Row(id=self.next_id(), order_id=order_id, session_id=session_id, seat_idx=st.index, label=st.label,
                       zone=st.zone, price=_money(price), active=True, ended=None, price_type="adult", reprint=0)
            self.t.lines[line.id] = line
            out[st.index] = line.id
        return out

    def _append(self, topic: str, aggregate_id: int, payload: Any) -> int:
        now = self.now()
        row = Row(id=self.next_id(), topic=topic, aggregate_id=aggregate_id, payload=json.loads(json.dumps(payload)),
                  status="pending", attempts=0, available_at=now, lease_until=None, last_error=None, created_at=now,
                  sent_at=None, applied_at=None)
        self.t.outbox[row.id] = row
        return row.id

    def _audit(self, action: str, actor_id: int | None, **fields: Any) -> int:
        details = fields.pop("details", None)
        at = fields.pop("at", None) or self.now()
        row = Row(id=self.next_id(), actor_id=actor_id, action=action, at=at,
                  details=json.loads(json.dumps(details or {}, default=str)),
                  **{"session_id": None, "order_id": None, "reason": None, **fields})
        self.t.audit.append(row)
        return row.id


class FakeUniqueViolation(psycopg.errors.UniqueViolation):
    """The driver's unique violation, naming its constraint as PostgreSQL's diagnostics do."""

    def __init__(self, constraint: str) -> None:
        super().__init__(f'duplicate key value violates unique constraint "{constraint}"')
        self._constraint = constraint

    @property
    def diag(self) -> Any:  # type: ignore[override]
        return SimpleNamespace(constraint_name=self._constraint)


class FakeConnection:
    """What ``orders.place`` uses of a psycopg connection: ``cursor(...).execute(SALE_SQL, params).fetchone()``."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._row: Row | None = None

    def cursor(self, row_factory: Any = None) -> FakeConnection:
        return self

    def execute(self, sql: str, params: Mapping[str, Any], prepare: bool | None = None) -> FakeConnection:
        if sql != real_orders.SALE_SQL:
            raise AssertionError("the fake connection runs the sale statement only")
        fault, after = self.db.sale_fault, self.db.sale_fault_after
        self.db.sale_fault = None
        if fault is not None and not after:
            raise fault
        self._row = self.db.run_sale(params)
        if fault is not None:
            raise fault  # committed, but the answer is lost
        return self

    def fetchone(self) -> Row | None:
        return self._row


class _Repo:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    @property
    def t(self) -> Tables:
        return self.db.t


# -- the repositories -------------------------------------------------------------------------------------------------
class FakeAccounts(_Repo):
    def user_named(self, username: str, *, for_update: bool = False) -> Row | None:
        return next((u for u in self.t.users.values() if u.username == username), None)

    def user_exists(self, username: str) -> bool:
        return self.user_named(username) is not None

    def has_supervisor(self, excluding: Sequence[str] = ()) -> bool:
        return any(u.role == "supervisor" and u.active and u.password_hash and u.username not in excluding
                   for u in self.t.users.values())

    def add_user(self, username: str, display_name: str, role: str, password_hash: str | None = None) -> Row:
        if self.user_exists(username):
            raise AssertionError(f"unique violation: user {username}")
        user = Row(id=self.db.next_id(), username=username, display_name=display_name, role=role,
                   password_hash=password_hash, failed_logins=0, locked_until=None, active=True)
        self.t.users[user.id] = user
        return user

    def password_hashes(self, usernames: Sequence[str]) -> list[tuple[str, str | None]]:
        return [(u.username, u.password_hash) for u in self.t.users.values() if u.username in usernames and u.active]


class FakeAudit(_Repo):
    def record(self, action: str, actor_id: int | None, *, session_id: int | None = None,
               order_id: int | None = None, reason: str | None = None, details: dict[str, Any] | None = None,
               at: datetime | None = None) -> int:
        return self.db._audit(action, actor_id, session_id=session_id, order_id=order_id, reason=reason,
                              details=details, at=at)


class FakeLocks(_Repo):
    def exclusive(self, namespace: int, key: int) -> None:
        self.db.locks.append(("exclusive", namespace, key))

    def shared(self, namespace: int, key: int) -> None:
        self.db.locks.append(("shared", namespace, key))

    def shared_many(self, namespace: int, keys: Iterable[int]) -> None:
        for key in sorted(set(keys)):
            self.shared(namespace, key)


class FakeSessions(_Repo):
    def venue_named(self, name: str) -> Row | None:
        return next((v for v in self.t.venues.values() if v.name == name), None)

    def venue(self, venue_id: int) -> Row | None:
        return self.t.venues.get(venue_id)

    def venues(self) -> list[Row]:
        return [self.t.venues[k] for k in sorted(self.t.venues)]

    def venue_layout(self, venue_id: int) -> dict[str, Any] | None:
        v = self.t.venues.get(venue_id)
        return None if v is None else v.layout

    def add_venue(self, layout: Layout) -> Row:
        if self.venue_named(layout.name) is not None:
            raise AssertionError(f"unique violation: venue {layout.name}")
        row = Row(id=self.db.next_id(), name=layout.name, kind=layout.kind, capacity=layout.capacity,
                  session_minutes=layout.session_minutes, checksum=layout.checksum,
                  layout=json.loads(json.dumps(dict(layout.source))),
                  blocked=tuple(s.index for s in layout.seats if s.blocked))
        self.t.venues[row.id] = row
        return row

    def delete_venue(self, venue_id: int) -> None:
        t = self.t
        sids = {s.id for s in t.sessions.values() if s.venue_id == venue_id}
        t.outbox = {k: r for k, r in t.outbox.items() if session_of(r.payload) not in sids}
        t.audit = [r for r in t.audit if r.session_id not in sids]
        oids = {o.id for o in t.orders.values() if o.session_id in sids}
        t.orders = {k: o for k, o in t.orders.items() if k not in oids}
        t.lines = {k: ln for k, ln in t.lines.items() if ln.order_id not in oids}
        t.payments = [p for p in t.payments if p.order_id not in oids]
        t.seats = {k: r for k, r in t.seats.items() if k[0] not in sids}
        t.ledger = {k: r for k, r in t.ledger.items() if k[0] not in sids}
        t.sessions = {k: s for k, s in t.sessions.items() if k not in sids}
        t.venues.pop(venue_id, None)

    def session_at(self, venue_id: int, name: str, starts_at: datetime) -> Row | None:
        return next((s for s in self.t.sessions.values()
                     if s.venue_id == venue_id and s.name == name and s.starts_at == starts_at), None)

    def add_session(self, venue_row: Row, **fields: Any) -> Row:
        row = Row(id=self.db.next_id(), venue_id=venue_row.id, capacity=venue_row.capacity,
                  **{"status": "onsale", "sales_open_at": None, **fields, "created_at": self.db.now()})
        self.t.sessions[row.id] = row
        for i in range(venue_row.capacity):
            self.t.seats[(row.id, i)] = Row(status="blocked" if i in venue_row.blocked else "free", order_id=None)
        return row

    def sessions_with_venue(self, since: datetime | None = None) -> list[tuple[Row, str]]:
        rows = sorted(self.t.sessions.values(), key=lambda s: (s.starts_at, s.id))
        return [(s, self.t.venues[s.venue_id].name) for s in rows if since is None or s.ends_at >= since]

    def session_with_venue(self, session_id: int) -> tuple[Row, str] | None:
        s = self.t.sessions.get(session_id)
        return None if s is None else (s, self.t.venues[s.venue_id].name)

    def lock_session(self, session_id: int) -> Row | None:
        return self.t.sessions.get(session_id)

    def now(self) -> datetime:
        return self.db.now()

    def lock_seats(self, session_id: int, seats: Sequence[int]) -> list[Row]:
        return [Row(seat_idx=i, **vars(self.t.seats[(session_id, i)])) for i in sorted(seats)
                if (session_id, i) in self.t.seats]

    def taken_seats(self, session_id: int) -> list[tuple[int, str]]:
        return [(i, r.status) for (sid, i), r in sorted(self.t.seats.items()) if sid == session_id
                and r.status != "free"]

    def free_among(self, session_id: int, seats: Sequence[int]) -> set[int]:
        return {i for i in seats if (row := self.t.seats.get((session_id, i))) is not None and row.status == "free"}

    def mark(self, session_id: int, seats: Sequence[int], status: str, order_id: int | None = None, *,
             of_order: int | None = None, was: str | None = None) -> None:
        for i in seats:
            row = self.t.seats.get((session_id, i))
            if row is None or (of_order is not None and row.order_id != of_order) or (was is not None
                                                                                       and row.status != was):
                continue
            row.status, row.order_id = status, order_id


class FakeOrders(_Repo):
    def sale_status(self, session_id: int) -> str | None:
        return self.db.sale_status(session_id)

    def order_with_clerk(self, *, order_id: int | None = None, token: str | None = None) -> tuple[Row, str] | None:
        found = (self.t.orders.get(order_id) if order_id is not None
                 else next((o for o in self.t.orders.values() if o.token == token), None))
        return None if found is None else (found, self.t.users[found.user_id].username)

    def shown_lines(self, order: Row) -> list[Row]:
        shown = [ln for ln in self.t.lines.values() if ln.order_id == order.id
                 and (ln.active if order.status == "paid" else ln.ended == "cancelled")]
        return sorted(shown, key=lambda ln: ln.seat_idx)

    def orders_of_customer(self, *, name: str | None = None, phone: str | None = None, limit: int = 50
                           ) -> list[int]:
        """As the real query: a name matches any part (case-insensitive), a phone its whole or its last digits."""
        found = [o.id for o in self.t.orders.values()
                 if (name and o.customer_name and name.lower() in o.customer_name.lower())
                 or (phone and o.customer_phone and o.customer_phone.endswith(phone))]
        return sorted(found, reverse=True)[:limit]

    def last_order_of_seat(self, session_id: int, seat_idx: int) -> int | None:
        had = [ln for ln in self.t.lines.values() if ln.session_id == session_id and ln.seat_idx == seat_idx]
        return max(had, key=lambda ln: (ln.active, ln.id)).order_id if had else None

    def taken_in_by(self, user_id: int, since: datetime) -> Decimal:
        mine = {o.id for o in self.t.orders.values() if o.user_id == user_id}
        return sum(((p.amount if p.kind == "payment" else -p.amount) for p in self.t.payments
                    if p.order_id in mine and p.created_at >= since), Decimal("0"))

    def lock_order(self, order_id: int) -> Row | None:
        o = self.t.orders.get(order_id)
        if o is None:
            return None
        FakeLocks(self.db).shared(real_orders.locks.INVENTORY, o.session_id)
        return Row(id=o.id, session_id=o.session_id, status=o.status, token=o.token, payment_method=o.payment_method,
                   user_id=o.user_id, created_at=o.created_at, session_status=self.t.sessions[o.session_id].status)

    def live_lines(self, order_id: int) -> list[Row]:
        return sorted((ln for ln in self.t.lines.values() if ln.order_id == order_id and ln.active),
                      key=lambda ln: ln.seat_idx)

    def end_lines(self, order_id: int, why: str, seats: Sequence[int] | None = None) -> None:
        for ln in self.live_lines(order_id):
            if seats is None or ln.seat_idx in seats:
                ln.active, ln.ended = False, why

    def add_lines(self, order_id: int, session_id: int, seats: Sequence[Seat], prices: Sequence[Decimal],
                  types: Sequence[str] | None = None) -> dict[int, int]:
        if any(ln.active and ln.session_id == session_id and ln.seat_idx in {s.index for s in seats}
               for ln in self.t.lines.values()):
            raise AssertionError(f"unique violation: {real_orders.SEAT_SOLD}")
        out = self.db._lines(order_id, session_id, seats, prices)
        for st, kind in zip(seats, types or (), strict=False):
            self.t.lines[out[st.index]].price_type = kind
        return out

    def set_status(self, order_id: int, status: str) -> None:
        self.t.orders[order_id].status = status

    def set_total(self, order_id: int, total: Decimal) -> None:
        self.t.orders[order_id].total = _money(total)

    def tendered(self, order_id: int) -> Decimal | None:
        """The cash handed over with the order's cash payment, as the real query reads it."""
        first = next((pay for pay in self.t.payments if pay.order_id == order_id and pay.kind == "payment"
                      and pay.method == "cash"), None)
        return getattr(first, "tendered", None) if first is not None else None

    def tenders(self, order_id: int) -> tuple[Tender, ...]:
        return tuple(Tender(pay.method, pay.amount, getattr(pay, "tendered", None)) for pay in self.t.payments
                     if pay.order_id == order_id and pay.kind == "payment")

    def net_paid_by_method(self, order_id: int) -> list[tuple[str, Decimal]]:
        net: dict[str, Decimal] = {}
        for pay in self.t.payments:
            if pay.order_id == order_id:
                net[pay.method] = net.get(pay.method, Decimal("0.00")) + (pay.amount if pay.kind == "payment"
                                                                           else -pay.amount)
        return list(net.items())

    def add_payment(self, order_id: int, kind: str, method: str, amount: Decimal, shift_id: int | None = None
                    ) -> None:
        self.t.payments.append(Row(order_id=order_id, kind=kind, method=method, amount=_money(amount),
                                   created_at=self.db.now(), shift_id=shift_id))


class FakePricing(_Repo):
    """A venue with no price types of its own: adult at the layout's zone prices."""

    def types(self, venue_id: int) -> tuple[Any, ...]:
        return ()

    def prices(self, venue_id: int, session_id: int | None) -> dict[tuple[str, str], Decimal]:
        return {}


class FakeTills(_Repo):
    def open_shift_id(self, user_id: int) -> int | None:
        return self.t.open_tills.get(user_id)


class FakeOutbox(_Repo):
    def append(self, event: OrderEvent) -> int:
        return self.db._append(event.topic, event.order_id, event.to_payload())

    def append_payload(self, topic: str, aggregate_id: int, payload: Any) -> int:
        return self.db._append(topic, aggregate_id, payload)

    def capacities(self, payloads: Iterable[object]) -> dict[int, int]:
        sids = {sid for p in payloads if (sid := session_of(p)) is not None}
        return {sid: self.t.sessions[sid].capacity for sid in sids if sid in self.t.sessions}

    def redeliver(self, older_than_s: float, before: datetime | None = None) -> int:
        limit = self.db.now() - timedelta(seconds=max(0.0, older_than_s))
        if before is not None:
            limit = min(limit, before)
        n = 0
        for r in self.t.outbox.values():
            if r.status == "sent" and r.applied_at is None and r.sent_at < limit:
                r.status, r.available_at, r.lease_until, r.attempts = "pending", self.db.now(), None, 0
                n += 1
        return n

    def requeue_dead(self, message_id: int | None = None) -> int:
        rows = [r for r in self.t.outbox.values() if r.status == "dead" and message_id in (None, r.id)]
        if message_id is not None and not rows:
            raise BadInput(f"outbox message {message_id} is not a dead letter")
        for r in rows:
            r.status, r.attempts, r.available_at, r.lease_until = "pending", 0, self.db.now(), None
        return len(rows)

    def order_of_token(self, token: str) -> int | None:
        for o in self.t.orders.values():
            if o.token == token:
                return o.id
        return next((r.aggregate_id for r in self.t.outbox.values()
                     if r.topic == "OrderChanged" and r.payload.get("token") == token), None)

    def record_processed(self, consumer: str, ids: Sequence[int]) -> set[int]:
        fresh = {i for i in ids if (consumer, i) not in self.t.inbox}
        self.t.inbox |= {(consumer, i) for i in fresh}
        for i in fresh:
            if i in self.t.outbox:
                self.t.outbox[i].applied_at = self.db.now()
        return fresh

    def dead_letter(self, message_id: int, error: str) -> None:
        row = self.t.outbox.get(message_id)
        if row is not None:
            row.status, row.last_error = "dead", error[:2000]

    def adopt_lost(self, consumer: str, ids: Sequence[int]) -> None:
        self.t.inbox |= {(consumer, i) for i in ids}
        for i in ids:
            r = self.t.outbox[i]
            r.applied_at, r.status, r.available_at, r.lease_until, r.attempts = (self.db.now(), "pending",
                                                                                  self.db.now(), None, 0)


class FakeLedger(_Repo):
    def add(self, totals: Mapping[tuple[int, str], tuple[int, Decimal]]) -> None:
        for key in sorted(totals):
            had = self.t.ledger.setdefault(key, [0, Decimal("0.00")])
            had[0] += totals[key][0]
            had[1] = _money(had[1] + totals[key][1])

    def overwrite(self, session_id: int, zones: Mapping[str, tuple[int, Decimal]]) -> None:
        for zone, (n, revenue) in zones.items():
            self.t.ledger[(session_id, zone)] = [n, _money(revenue)]

    def snapshot(self) -> None:
        """One snapshot of the whole database: the fake has nothing running concurrently."""

    def fill_pictures(self, pictures: Mapping[int, DbPicture], bound_s: float, consumer: str) -> None:
        t, now = self.t, self.db.now()
        for sid in pictures:
            if sid in t.sessions:
                pictures[sid].on_sale = t.sessions[sid].status == "onsale"
        live = {(ln.session_id, ln.seat_idx): ln for ln in t.lines.values() if ln.active}
        for (sid, idx), row in t.seats.items():
            if sid in pictures and row.status != "free":
                line = live.get((sid, idx))
                sold = row.status == "sold" and row.order_id is not None and line is not None
                owner = f"{row.order_id}:{line.id}" if sold else ""
                pictures[sid].seats[idx] = (row.status, owner)
        truth: dict[tuple[int, str], list[Any]] = {}
        for ln in live.values():
            if ln.session_id in pictures:
                had = truth.setdefault((ln.session_id, ln.zone), [0, Decimal("0")])
                had[0], had[1] = had[0] + 1, had[1] + ln.price
        for (sid, zone), (n, revenue) in truth.items():
            pictures[sid].truth[zone] = (n, revenue)
        for r in sorted(t.outbox.values(), key=lambda r: r.id):
            sid = r.payload.get("session_id") if isinstance(r.payload, dict) else None
            if sid not in pictures or (consumer, r.id) in t.inbox:
                continue
            since = r.sent_at if r.status == "sent" else r.available_at
            in_flight = r.status != "dead" and since > now - timedelta(seconds=bound_s)
            pictures[sid].note_message(r.id, r.topic, r.status, r.payload, in_flight=in_flight)
        for (sid, zone), (sold, revenue) in t.ledger.items():
            if sid in pictures:
                pictures[sid].ledger[zone] = (sold, revenue)

    def pictures(self, infos: Sequence[SessionInfo], bound_s: float, consumer: str) -> dict[int, DbPicture]:
        out = {i.session_id: DbPicture(i.capacity, i.status == "onsale") for i in infos}
        self.fill_pictures(out, bound_s, consumer)
        return out

    def taken_seats(self, session_id: int) -> list[tuple[int, str, int | None, int | None]]:
        out = []
        for (sid, idx), row in sorted(self.t.seats.items()):
            if sid == session_id and row.status != "free":
                line = next((ln.id for ln in self.t.lines.values() if ln.session_id == sid and ln.seat_idx == idx
                             and ln.order_id == row.order_id and ln.active), None)
                out.append((idx, row.status, row.order_id, line))
        return out

    def ended_lines(self, session_id: int) -> dict[int, int]:
        out: dict[int, int] = {}
        for ln in self.t.lines.values():
            if ln.session_id == session_id and not ln.active:
                out[ln.seat_idx] = max(out.get(ln.seat_idx, 0), ln.id)
        return out

    def orders_of_tokens(self, tokens: Sequence[str]) -> dict[str, tuple[int, list[int], list[int]]]:
        out = {}
        for o in self.t.orders.values():
            lines = sorted((ln for ln in self.t.lines.values() if ln.order_id == o.id and ln.active),
                           key=lambda ln: ln.seat_idx)
            if o.token in tokens and lines:
                out[o.token] = (o.id, [ln.seat_idx for ln in lines], [ln.id for ln in lines])
        for r in self.t.outbox.values():
            if r.topic == "OrderChanged" and r.payload.get("token") in tokens:
                added = r.payload["added"]
                out[r.payload["token"]] = (r.aggregate_id, list(added["seats"]), list(added["lines"]))
        return out

    def sold_by_session(self, session_ids: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for ln in self.t.lines.values():
            if ln.active and ln.session_id in session_ids:
                out[ln.session_id] = out.get(ln.session_id, 0) + 1
        return out

    def seat_counts(self, session_id: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for (sid, _), row in self.t.seats.items():
            if sid == session_id:
                out[row.status] = out.get(row.status, 0) + 1
        return out


class FakeUnitOfWork:
    """What a service uses of :class:`boxoffice.adapters.uow.UnitOfWork`: ``commit()`` and the repositories. It has
    no ``session``: a service that still passes ``tx.session`` to a query fails here."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.committed = False
        self.accounts = FakeAccounts(db)
        self.audit = FakeAudit(db)
        self.ledger = FakeLedger(db)
        self.locks = FakeLocks(db)
        self.orders = FakeOrders(db)
        self.outbox = FakeOutbox(db)
        self.sessions = FakeSessions(db)
        self.tills = FakeTills(db)
        self.pricing = FakePricing(db)

    def commit(self) -> None:
        self.committed = True
        self.db.commits += 1
