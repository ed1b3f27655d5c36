"""Unit of work: a transaction that rolls back unless ``commit()`` is called (cosmicpython), with error mapping.

Services open one with ``with uow() as tx:``; repositories and SQL helpers never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg.errors
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import BackendUnavailable, BoxOfficeError, LockTimeout


def translate(exc: SQLAlchemyError) -> BoxOfficeError | None:
    """Map database failures that are about the backend (not about the request) to typed errors."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, psycopg.errors.LockNotAvailable):
        return LockTimeout("the seats are locked by another sale for too long; try again")
    if isinstance(orig, psycopg.errors.QueryCanceled):
        return BackendUnavailable("the database did not answer in time")
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return BackendUnavailable(f"database unavailable: {orig or exc}")
    return None


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.committed = False

    def commit(self) -> None:
        self.session.commit()
        self.committed = True


def unit_of_work_factory(factory: sessionmaker[Session]) -> Callable[[], AbstractContextManager[UnitOfWork]]:
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


StatementFactory = Callable[[], AbstractContextManager[Connection]]


def single_statement_factory(engine: Engine) -> StatementFactory:
    """Connections in autocommit mode: each statement is its own transaction — one round trip, no BEGIN/COMMIT.

    ``engine`` should be made for this (see :func:`boxoffice.adapters.db.make_statement_engine`): switching the
    isolation level per checkout, pinging and resetting on return would triple the round trips of a sale.
    """

    @contextmanager
    def statement() -> Iterator[Connection]:
        try:
            with engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            mapped = translate(exc)
            if mapped is not None:
                raise mapped from exc
            raise

    return statement
