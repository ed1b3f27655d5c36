"""Engine, connection checks and Alembic upgrade."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from ..config import sqlalchemy_url
from ..errors import BackendUnavailable
from . import locks

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _connect_args(connect_timeout: int, lock_timeout_ms: int, options: str = "") -> dict[str, object]:
    return {
        "connect_timeout": connect_timeout,
        "application_name": "boxoffice",
        "options": f"-c lock_timeout={int(lock_timeout_ms)} -c statement_timeout=60000 {options}".strip(),
    }


def make_engine(url: str, *, pool_size: int = 5, connect_timeout: int = 5, lock_timeout_ms: int = 2000) -> Engine:
    """An engine whose connections never wait for a row lock longer than ``lock_timeout_ms``."""
    return create_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args=_connect_args(connect_timeout, lock_timeout_ms),
    )


#: server options of the sale connections (see :func:`make_statement_engine`)
SALE_OPTIONS = "-c plan_cache_mode=force_generic_plan"


def make_statement_engine(url: str, *, pool_size: int = 5, connect_timeout: int = 5,
                          lock_timeout_ms: int = 2000) -> Engine:
    """An engine for single-statement transactions (the sale): autocommit connections, no ping on checkout and no
    rollback on return — one round trip per statement. A connection the server dropped fails its statement, is
    discarded by the pool, and the caller's ambiguity handling looks the outcome up on a fresh one.

    Its prepared statements always run their generic plan: left to choose, PostgreSQL re-plans the sale statement
    (array parameters make the generic plan look dear) on every call, which doubled its CPU per sale."""
    return create_engine(
        sqlalchemy_url(url),
        isolation_level="AUTOCOMMIT",
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        pool_reset_on_return=None,
        connect_args=_connect_args(connect_timeout, lock_timeout_ms, SALE_OPTIONS),
    )


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # imported when needed: it costs every CLI call a third of a second

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; serialised by an advisory lock so parallel starters don't collide."""
    from alembic import command

    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": locks.MIGRATIONS})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise BackendUnavailable(f"database upgrade failed: {exc.__class__.__name__}: {exc}") from exc


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's revision, the code's head revision)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision(), head
