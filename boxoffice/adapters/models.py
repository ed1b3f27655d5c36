"""SQLAlchemy 2 typed models. The schema is created by Alembic (boxoffice/migrations), never by create_all."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Money = Numeric(12, 2)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('clerk', 'supervisor', 'system')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(Text)
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = _now()


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    capacity: Mapped[int] = mapped_column(Integer)
    session_minutes: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    layout: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _now()


class PriceZone(Base):
    __tablename__ = "price_zones"
    __table_args__ = (UniqueConstraint("venue_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal] = mapped_column(Money)
    color: Mapped[str] = mapped_column(String(7))


class Seat(Base):
    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("venue_id", "label"),)

    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(64))
    stand: Mapped[str] = mapped_column(String(16))
    section: Mapped[str] = mapped_column(String(16))
    row_label: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str] = mapped_column(String(16))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    accessible: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    blocked: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Session(Base):
    """A sellable event at a venue: a match, a concert, one court-hour."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("status IN ('onsale', 'closed')", name="status"),
        UniqueConstraint("venue_id", "name", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), server_default="onsale")
    #: the sales window: a sale is refused before ``sales_open_at`` (NULL: open since creation) and from
    #: ``sales_close_at`` on, by the sale statement and by the Redis scripts alike (migration 0008)
    sales_open_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sales_close_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _now()


class SessionSeat(Base):
    """Per-session inventory row of one seat: the system of record for who has it."""

    __tablename__ = "session_seats"
    __table_args__ = (
        CheckConstraint("status IN ('free', 'held', 'sold', 'blocked')", name="status"),
        # No index on the columns a sale changes, and room on every page: selling a seat is a HOT update.
        {"postgresql_with": {"fillfactor": 80}},
    )

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    seat_idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(8), server_default="free")
    order_id: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = _now()


class SeatHold(Base):
    """A hold made while Redis was unreachable (degraded mode): its seats are ``held`` in ``session_seats`` until
    the sale under its token finishes, or the hold sweep releases it after ``expires_at``."""

    __tablename__ = "seat_holds"
    __table_args__ = (
        CheckConstraint("state IN ('held', 'sold', 'released')", name="state"),
        Index("ix_seat_holds_live", "expires_at", postgresql_where=text("state = 'held'")),
    )

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seats: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    state: Mapped[str] = mapped_column(String(8), server_default="held")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _now()


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("status IN ('paid', 'cancelled')", name="status"),
        # partial: an anonymous sale (most of them) writes no entry (migration 0009)
        Index("ix_orders_customer_name", text("lower(customer_name)"),
              postgresql_where=text("customer_name IS NOT NULL")),
        Index("ix_orders_customer_phone", "customer_phone", postgresql_where=text("customer_phone IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), server_default="paid")
    total: Mapped[Decimal] = mapped_column(Money)
    payment_method: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = _now()
    #: who bought it, when the clerk noted it (optional: walk-up sales stay anonymous)
    customer_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    customer_phone: Mapped[str | None] = mapped_column(String(32), nullable=True)


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        # the last line of defence: one live sale per seat and session, whatever Redis says
        Index(
            "uq_order_lines_live_seat",
            "session_id",
            "seat_idx",
            unique=True,
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(Integer)
    seat_idx: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    zone: Mapped[str] = mapped_column(String(16))
    price: Mapped[Decimal] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    #: why a line stopped being live: 'cancelled', 'exchanged', or 'returned' (a partial cancel)
    ended: Mapped[str | None] = mapped_column(String(16))
    #: the seat's price type (``adult`` unless the clerk chose another; migration 0011)
    price_type: Mapped[str] = mapped_column(String(16), server_default="adult")
    #: the print number of its ticket: 0 the first print, n the n-th reprint; a ticket code with another is refused
    reprint: Mapped[int] = mapped_column(SmallInteger, server_default="0")


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("method IN ('cash', 'card', 'voucher')", name="method"),
        CheckConstraint("kind IN ('payment', 'refund')", name="kind"),
        CheckConstraint("tendered IS NULL OR tendered >= amount", name="tendered"),
        CheckConstraint("tendered IS NULL OR method = 'cash'", name="tendered_cash"),
        Index("ix_payments_shift_id", "shift_id", postgresql_where=text("shift_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), server_default="payment")
    method: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Money)
    #: the cash the customer handed over for a cash sale (NULL: exact money, or a card); change = tendered - amount
    tendered: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[datetime] = _now()
    #: the till shift the money went into (a payment) or came out of (a refund); NULL when no till was open and
    #: BOXOFFICE_REQUIRE_TILL=no (migration 0011)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("till_shifts.id"))


class TillShift(Base):
    """A clerk's till on a workstation: opened with a float, closed by a blind count, signed off by a supervisor."""

    __tablename__ = "till_shifts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("opening_float >= 0", name="float"),
        Index("uq_till_shifts_open_user", "user_id", unique=True, postgresql_where=text("status = 'open'")),
        Index("uq_till_shifts_open_workstation", "workstation", unique=True,
              postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(8), server_default="open")
    opening_float: Mapped[Decimal] = mapped_column(Money)
    opened_at: Mapped[datetime] = _now()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the clerk's blind count (a total), and by denomination when counted so ({"50.00": 3, ...})
    counted: Mapped[Decimal | None] = mapped_column(Money)
    counted_detail: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: computed at close: float + cash taken - change - cash refunds - payouts - drops; variance = counted - expected
    expected: Mapped[Decimal | None] = mapped_column(Money)
    variance: Mapped[Decimal | None] = mapped_column(Money)
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)


class CashMovement(Base):
    """Cash taken out of a till other than change and refunds: a drop (to the safe) or a payout."""

    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('drop', 'payout')", name="kind"),
        CheckConstraint("amount > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("till_shifts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = _now()


class PriceType(Base):
    """A price type of a venue (adult, child, senior, complimentary, …): its name, whether a supervisor must approve a
    sale of it, and what the gate checks (``notice``, shown by ``ticket verify``)."""

    __tablename__ = "price_types"
    __table_args__ = (UniqueConstraint("venue_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    needs_supervisor: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    notice: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, server_default="0")


class ZonePrice(Base):
    """The price of one zone for one price type: venue-wide (``session_id`` NULL) or for one session (wins)."""

    __tablename__ = "zone_prices"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price"),
        Index("uq_zone_prices_entry", "venue_id", text("coalesce(session_id, 0)"), "zone", "price_type", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    zone: Mapped[str] = mapped_column(String(16))
    price_type: Mapped[str] = mapped_column(String(16))
    price: Mapped[Decimal] = mapped_column(Money)


class Outbox(Base):
    """Messages written in the same transaction as the business change; drained by the relay (DESIGN §5)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'dead')", name="status"),
        Index("ix_outbox_pending", "id", postgresql_where=text("status = 'pending'")),  # the claim order
        # published, not applied yet: what the relay publishes again when the stream lost it
        Index("ix_outbox_unapplied", "sent_at", postgresql_where=text("status = 'sent' AND applied_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(8), server_default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    available_at: Mapped[datetime] = _now()
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: when the inventory consumer applied it (set in the transaction that writes its inbox row)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = _now()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    session_id: Mapped[int | None] = mapped_column(Integer, index=True)
    order_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class StockLedger(Base):
    """The inventory's final stock deduction (DESIGN §4): seats sold and revenue per session and price zone,
    applied by the outbox consumer exactly once per message."""

    __tablename__ = "stock_ledger"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    zone: Mapped[str] = mapped_column(String(16), primary_key=True)
    sold: Mapped[int] = mapped_column(Integer, server_default="0")
    revenue: Mapped[Decimal] = mapped_column(Money, server_default="0")
    updated_at: Mapped[datetime] = _now()


class Inbox(Base):
    """Processed message ids per consumer, written in the same transaction as the consumer's effect."""

    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(32), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = _now()


class AppSecret(Base):
    """Secrets shared by every process of one installation (the ticket signing key), made on first use."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _now()


class CliSession(Base):
    """A sign-in of the ``boxoffice`` command (``boxoffice login``): the client keeps a random token, the database
    only its SHA-256. Valid until ``expires_at`` unless ``revoked_at`` is set (logout, a supervisor's revoke)."""

    __tablename__ = "cli_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client: Mapped[str] = mapped_column(String(200), server_default="")
    created_at: Mapped[datetime] = _now()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
