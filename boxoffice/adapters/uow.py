"""Unit of work: a transaction that rolls back unless ``commit()`` is called (cosmicpython), with error mapping.

Services open one with ``with uow() as tx:``; repositories and SQL helpers never commit. The unit of work hands out
the repositories bound to its session: ``tx.sessions.venue(venue_id)`` is
``repos.sessions.venue(tx.session, venue_id)``. Services call them that way, so a unit test runs a service on the
in-memory unit of work of ``tests/fakes/repos.py`` instead (same attribute names, same functions).
"""

from __future__ import annotations

import functools
import inspect
import select
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import ModuleType
from typing import Any

import psycopg.errors
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import BackendUnavailable, BoxOfficeError, DatabaseUnreachable, LockTimeout
from . import locks as _locks
from .repos import accounts as _accounts
from .repos import audit as _audit
from .repos import holds as _holds
from .repos import ledger as _ledger
from .repos import orders as _orders
from .repos import outbox as _outbox
from .repos import pricing as _pricing
from .repos import reports as _reports
from .repos import sessions as _sessions
from .repos import tills as _tills


def translate_driver(orig: BaseException | None, *, invalidated: bool = False) -> BoxOfficeError | None:
    """Map driver (psycopg) failures that are about the backend, not about the request, to typed errors."""
    if isinstance(orig, psycopg.errors.LockNotAvailable):
        return LockTimeout(reason="lock_timeout")
    if isinstance(orig, psycopg.errors.QueryCanceled):
        return BackendUnavailable(reason="db_timeout")
    if isinstance(orig, psycopg.OperationalError) or invalidated:
        return BackendUnavailable(reason="db_unavailable", detail=str(orig))
    return None


def translate(exc: SQLAlchemyError) -> BoxOfficeError | None:
    """The same mapping for SQLAlchemy's wrapped errors."""
    invalidated = isinstance(exc, DBAPIError) and exc.connection_invalidated
    mapped = translate_driver(getattr(exc, "orig", None), invalidated=invalidated)
    if mapped is None and isinstance(exc, OperationalError):
        return BackendUnavailable(reason="db_unavailable", detail=str(exc))
    return mapped


class Bound:
    """A query module whose functions get the unit of work's session as their first argument: ``bound.f(*a)`` is
    ``module.f(session, *a)``. Anything else of the module (constants, classes) is passed through as it is."""

    def __init__(self, module: ModuleType, session: Session) -> None:
        self._module = module
        self._session = session

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        if inspect.isfunction(value):
            value = functools.partial(value, self._session)
        setattr(self, name, value)  # bound once per unit of work
        return value


def _repository(module: ModuleType) -> functools.cached_property[Bound]:
    def bound(self: UnitOfWork) -> Bound:
        return Bound(module, self.session)

    bound.__doc__ = f"{module.__name__}, bound to this unit of work's session"
    return functools.cached_property(bound)


class UnitOfWork:
    """One transaction; its repositories (``tx.orders``, ``tx.sessions``, ...) run inside it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.committed = False

    accounts = _repository(_accounts)
    audit = _repository(_audit)
    holds = _repository(_holds)
    ledger = _repository(_ledger)
    locks = _repository(_locks)
    orders = _repository(_orders)
    outbox = _repository(_outbox)
    pricing = _repository(_pricing)
    reports = _repository(_reports)
    sessions = _repository(_sessions)
    tills = _repository(_tills)

    def commit(self) -> None:
        self.session.commit()
        self.committed = True


#: what services are given: a callable that opens one transaction (``with uow() as tx:``)
UowFactory = Callable[[], AbstractContextManager[UnitOfWork]]


def unit_of_work_factory(factory: sessionmaker[Session]) -> UowFactory:
    @contextmanager
    def uow() -> Iterator[UnitOfWork]:
        session = factory()
        try:
            yield UnitOfWork(session)
        except SQLAlchemyError as exc:
            mapped = translate(exc)
            if mapped is not None:
                raise mapped from exc
            raise
        finally:
            try:
                session.rollback()  # no-op after commit; undoes everything otherwise
            except SQLAlchemyError:
                pass
            session.close()

    return uow


StatementFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]


def single_statement_factory(engine: Engine) -> StatementFactory:
    """The driver connection of an autocommit pool: each statement is its own transaction — one round trip, no
    BEGIN/COMMIT — and runs straight on psycopg (server-side prepared), skipping SQLAlchemy's statement
    compilation and result wrapping, client CPU that every sale would pay.

    ``engine`` should be made for this (see :func:`boxoffice.adapters.db.make_statement_engine`): switching the
    isolation level per checkout, pinging and resetting on return would triple the round trips of a sale. A
    connection that broke is invalidated, so the pool opens a fresh one next time.

    Failures are told apart by where they happen: one while checking a connection out (the server refused or could
    not be reached, the pool was exhausted, the idle connection had been dropped and no new one could be opened) is
    a :class:`DatabaseUnreachable` — the statement certainly never reached the server; one while the statement runs
    is a :class:`BackendUnavailable` whose outcome the caller must treat as unknown.
    """

    @contextmanager
    def statement() -> Iterator[psycopg.Connection[Any]]:
        raw = _checkout(engine)  # DatabaseUnreachable: nothing was sent
        conn = raw.driver_connection
        try:
            yield conn
        except psycopg.Error as exc:
            mapped = translate_driver(exc)
            if mapped is not None:
                raise mapped from exc
            raise
        finally:
            # broken, or left mid-statement or mid-transaction (an interrupt): never hand it to the next sale
            if conn.broken or conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
                raw.invalidate()
            raw.close()

    return statement


#: most idle connections one checkout discards as dropped before giving up (a restarted server drops them all)
_MAX_DROPPED = 64


def _checkout(engine: Engine) -> Any:
    """A pooled connection that the server has not dropped while it sat idle, or :class:`DatabaseUnreachable`.

    The sale pool does not ping (a round trip per sale). Instead an idle connection is checked for something to read
    — a server that shut down, restarted or terminated the backend has sent its FATAL message or closed the socket —
    with one non-blocking poll: such a connection is discarded *before* the statement is sent on it, and the pool
    opens a fresh one. So a database that went away makes the sale fail here, before sending, not in the middle.
    """
    for _ in range(_MAX_DROPPED):
        try:
            raw = engine.raw_connection()
        except Exception as exc:  # connect refused, timeout, pool exhausted: nothing was sent
            orig = getattr(exc, "orig", None) or exc
            raise DatabaseUnreachable(reason="db_unreachable", detail=str(orig).strip()) from exc
        if not _dropped(raw.driver_connection):
            return raw
        raw.invalidate()
        raw.close()
    raise DatabaseUnreachable(reason="db_pool_dropped")


def _dropped(conn: psycopg.Connection[Any]) -> bool:
    """True when an idle connection is closed or the server already wrote to it (a FATAL notice, the end of the
    stream): an idle autocommit connection that never LISTENs receives nothing while the server keeps it."""
    if conn.closed or conn.broken:
        return True
    try:
        fd = conn.pgconn.socket
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            return bool(poller.poll(0))
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError, psycopg.Error):
        return True
