"""Composition root: settings → servers → engine, Redis client, seat store, services.

Nothing here runs at import. ``build()`` connects (starting the embedded servers when no URLs are configured),
checks that both backends answer and returns an :class:`App` holding every service.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import cached_property

import redis
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from .adapters.db import make_engine, make_statement_engine, schema_revisions, upgrade
from .adapters.redis_errors import probe as redis_probe
from .adapters.seatstore import SeatStore
from .adapters.stream import EventStream
from .adapters.uow import UowFactory, single_statement_factory, unit_of_work_factory
from .config import Settings, load_settings
from .embedded import ServerEvent, ServerEvents, embedded_servers
from .errors import BackendUnavailable, BadInput, BoxOfficeError
from .services.accounts import Accounts
from .services.aftersale import AfterSale
from .services.booking import Booking
from .services.catalog import Catalog
from .services.cli_sessions import CliSessions
from .services.consumer import InventoryConsumer
from .services.degraded import DegradedSales
from .services.frontdesk import FrontDesk
from .services.health import RedisHealth
from .services.insights import Insights
from .services.inventory import Inventory
from .services.orders import Orders
from .services.outbox import Relay
from .services.pricing import Pricing
from .services.reconcile import Reconciler
from .services.reports import Reports
from .services.saleswindow import SalesWindow
from .services.tickets import Tickets
from .services.tills import Tills

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: Engine
    sale_engine: Engine
    redis: redis.Redis
    store: SeatStore
    events: EventStream
    uow: UowFactory
    catalog: Catalog
    inventory: Inventory
    accounts: Accounts
    orders: Orders
    booking: Booking
    aftersale: AfterSale
    relay: Relay
    consumer: InventoryConsumer
    tickets: Tickets
    reconciler: Reconciler
    insights: Insights
    #: sign-ins of the ``boxoffice`` command
    cli_sessions: CliSessions
    #: sales windows: the supervisor's session open / close and the job closing sessions on time
    sales: SalesWindow
    #: Redis reachable? (degraded mode: selling from the database while it is not)
    health: RedisHealth
    degraded: DegradedSales
    #: end-of-day reports (supervisors)
    reports: Reports
    #: price lists: import per venue or session, read a session's (issue 14)
    pricing: Pricing
    #: till shifts: open, drops and payouts, the blind count and close, X/Z reports
    tills: Tills
    probe: redis.Redis | None = None
    #: what the embedded servers' supervisor saw in this process (empty with configured servers); plain Python for
    #: the window to poll: ``recent()``, ``latest()``, ``subscribe(callback)``
    server_events: ServerEvents = field(default_factory=ServerEvents)

    @cached_property
    def desk(self) -> FrontDesk:
        """What the windows get instead of this App: the one application service they call (``ui/`` never sees the
        engine, the Redis client, the seat store or a service)."""
        return FrontDesk(
            settings=self.settings, store=self.store, catalog=self.catalog, inventory=self.inventory,
            accounts=self.accounts, orders=self.orders, booking=self.booking, aftersale=self.aftersale,
            tickets=self.tickets, reconciler=self.reconciler, insights=self.insights, relay=self.relay,
            health=self.health, degraded=self.degraded, server_events=self.server_events,
            reports=self.reports, tills=self.tills,
        )

    def is_degraded(self) -> bool:
        """True while Redis is unreachable and sales go through the database alone."""
        return self.health.down

    def recent_server_events(self) -> list[ServerEvent]:
        """The supervisor's recent events (restarts of the embedded PostgreSQL / Valkey), oldest first."""
        return self.server_events.recent()

    def close(self) -> None:
        self.health.close()
        if self.probe is not None:
            self.probe.close()
        self.engine.dispose()
        self.sale_engine.dispose()
        self.store.close()
        self.redis.close()


def resolve_servers(settings: Settings) -> Settings:
    """Fill in the embedded servers' URLs for whatever is not configured."""
    if not settings.embedded:
        return settings
    from .embedded import start_embedded

    urls = start_embedded(settings.data_dir)
    return replace(
        settings,
        database_url=settings.database_url or urls.database_url,
        redis_url=settings.redis_url or urls.redis_url,
    )


def make_redis(url: str) -> redis.Redis:
    try:
        return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)
    except ValueError as exc:
        raise BadInput(f"BOXOFFICE_REDIS_URL is not a Redis URL: {exc}") from None


def build(settings: Settings | None = None, *, migrate: bool = False, pool_size: int = 5) -> App:
    settings = resolve_servers(settings or load_settings())
    assert settings.database_url and settings.redis_url
    engine = make_engine(settings.database_url, pool_size=pool_size, lock_timeout_ms=settings.lock_timeout_ms)
    client = make_redis(settings.redis_url)
    redis_up = check_backends(engine, client, degraded=settings.degraded == "auto")
    if migrate:
        upgrade(engine)
    else:
        current, head = schema_revisions(engine)
        if current != head:
            raise BackendUnavailable(
                f"the database schema is at revision {current or 'none'}, this version needs {head}: "
                "run `boxoffice db upgrade`"
            )
    store = SeatStore(client, settings.redis_prefix, settings.gate_per_free_seat, settings.gate_min)
    uow = unit_of_work_factory(sessionmaker(engine, expire_on_commit=False))
    catalog = Catalog(uow)
    inventory = Inventory(uow, store, catalog)
    accounts = Accounts(uow)
    catalog.accounts = accounts
    orders = Orders(uow, accounts)
    sale_engine = make_statement_engine(
        settings.database_url, pool_size=pool_size, lock_timeout_ms=settings.lock_timeout_ms
    )
    booking = Booking(
        uow, store, catalog, inventory, accounts, orders, settings, single_statement_factory(sale_engine)
    )
    events = EventStream(client, settings.redis_prefix)
    relay = Relay(uow, events, settings)
    degraded = DegradedSales(booking, inventory)
    probe = redis.Redis.from_url(settings.redis_url, socket_timeout=1, socket_connect_timeout=1)
    health = RedisHealth(settings.degraded, probe=redis_probe(probe), recover=degraded.recover,
                         on_down=degraded.note_outage if settings.record_outages else None)
    booking.health, booking.degraded, inventory.health = health, degraded, health
    if not redis_up:
        health.mark_down("at start", quiet=True)
    elif health.enabled:
        try:  # Redis is back after an outage nobody has rebuilt after yet (every process that saw it has exited)
            degraded.recover(wait_s=0)
        except BoxOfficeError as exc:  # another process is rebuilding: sell from the database until it is done
            health.mark_down(f"waiting for the rebuild after an outage: {exc}", quiet=True, note=False)
    return App(
        settings=settings,
        engine=engine,
        sale_engine=sale_engine,
        redis=client,
        store=store,
        uow=uow,
        catalog=catalog,
        inventory=inventory,
        accounts=accounts,
        orders=orders,
        booking=booking,
        aftersale=AfterSale(uow, booking, accounts, orders),
        relay=relay,
        consumer=InventoryConsumer(uow, store, events, settings),
        events=events,
        tickets=Tickets(uow, orders, settings.ticket_secret, catalog),
        reconciler=Reconciler(uow, store, catalog, inventory, accounts, settings),
        insights=Insights(uow, store, catalog, accounts, relay),
        cli_sessions=CliSessions(uow, accounts, settings.cli_session_hours),
        sales=SalesWindow(uow, store, catalog),
        server_events=server_events(settings),
        health=health,
        degraded=degraded,
        reports=Reports(uow, store, accounts, settings.currency),
        pricing=Pricing(uow, catalog, accounts),
        tills=Tills(uow, accounts, settings.currency),
        probe=probe,
    )


def server_events(settings: Settings) -> ServerEvents:
    """The events of the embedded servers this process supervises under the data dir, if it joined them (by
    :func:`resolve_servers`, here or earlier in the process); a log that stays empty otherwise."""
    servers = embedded_servers(settings.data_dir)
    return servers.events if servers is not None else ServerEvents()


def check_backends(engine: Engine, client: redis.Redis, *, degraded: bool = False) -> bool:
    """Raise when a backend does not answer; with ``degraded``, an unreachable Redis only returns False (the app
    starts selling from the database)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise BackendUnavailable(f"PostgreSQL unavailable at {engine.url.render_as_string()}: {exc.orig or exc}") from exc
    try:
        client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        if degraded:
            log.info("Redis unreachable at start (%s): selling from the database", exc)
            return False
        raise BackendUnavailable(f"Redis unavailable: {exc}") from exc
    except redis.exceptions.RedisError as exc:
        raise BackendUnavailable(f"Redis unavailable: {exc}") from exc
    return True
