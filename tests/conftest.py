"""Shared fixtures: real PostgreSQL and real Redis/Valkey, isolated per test run.

With ``BOXOFFICE_DATABASE_URL`` / ``BOXOFFICE_REDIS_URL`` set, the run creates its own database on that server and
uses its own Redis key prefix, and removes both afterwards. Without them it starts the embedded PostgreSQL and Valkey
in a temporary data directory, exactly as a newcomer's machine would.
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy.engine import make_url

from boxoffice.bootstrap import App, build
from boxoffice.config import Settings, sqlalchemy_url
from boxoffice.domain.layout import Layout, parse_layout
from boxoffice.domain.values import SessionInfo

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent

#: the layer marker of each top-level test directory (``pytest -m unit`` runs the unit tests alone: no server starts)
LAYERS = {"unit": "unit", "integration": "integration", "contract": "integration", "ui": "ui", "e2e": "e2e"}
#: test modules that run for minutes (concurrency races, fault scenarios, benchmarks): ``-m "not slow"`` skips them
SLOW_MODULES = {"test_race.py", "test_chaos.py", "test_bench.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its layer, from the directory it lives in, and the slow modules ``slow``."""
    for item in items:
        parts = item.path.resolve().relative_to(TESTS).parts
        layer = LAYERS.get(parts[0]) if len(parts) > 1 else None
        if layer is None:
            raise pytest.UsageError(f"{item.nodeid}: a test lives under one of tests/{{{','.join(LAYERS)}}}/")
        item.add_marker(getattr(pytest.mark, layer))
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
#: the password of the test accounts alice, bob (clerks) and sam (supervisor), for ``boxoffice login``
TEST_PASSWORD = "boxoffice"
DATA = Path(__file__).resolve().parent / "data"


def _server_url(db_url: str, database: str) -> str:
    return make_url(sqlalchemy_url(db_url)).set(database=database).render_as_string(hide_password=False)


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    run = secrets.token_hex(4)
    db_url = os.environ.get("BOXOFFICE_DATABASE_URL")
    redis_url = os.environ.get("BOXOFFICE_REDIS_URL")
    # Not under pytest's temp root: that is 0700, and as root the embedded PostgreSQL runs as user "pgserver".
    data_dir = Path(tempfile.mkdtemp(prefix="boxoffice-test-"))
    # atexit runs last-in first-out: the servers (registered by start_embedded) stop before the directory goes.
    atexit.register(shutil.rmtree, data_dir, True)
    if not (db_url and redis_url):
        from boxoffice.embedded import start_embedded

        urls = start_embedded(data_dir)
        db_url, redis_url = db_url or urls.database_url, redis_url or urls.redis_url
    test_db = f"bo_test_{run}"
    admin = _plain(_server_url(db_url, "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{test_db}"')
    prefix = f"bot{run}"
    yield Settings(
        database_url=_plain(_server_url(db_url, test_db)),
        redis_url=redis_url,
        data_dir=data_dir,
        redis_prefix=prefix,
        token_ttl_s=30,
        hold_ttl_s=600,
        lock_timeout_ms=2000,
        require_till=False,  # the till tests build an App that requires one (tests/integration/services/test_tills.py)
    )
    client = redis.Redis.from_url(redis_url)
    names = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(names), 500):
        client.delete(*names[start : start + 500])
    client.close()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{test_db}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[App]:
    application = build(settings, migrate=True, pool_size=20)
    application.accounts.ensure("alice", "Alice Martin", "clerk", TEST_PASSWORD)
    application.accounts.ensure("bob", "Bob Chen", "clerk", TEST_PASSWORD)
    application.accounts.ensure("sam", "Sam Okafor", "supervisor", TEST_PASSWORD)
    yield application
    application.close()


@pytest.fixture(scope="session")
def env(settings: Settings, app: App) -> dict[str, str]:
    """Environment for subprocesses (CLI, racing workers) pointing at this run's servers (migrated, with the test
    accounts: ``app``). Its ``BOXOFFICE_STATE_DIR`` is empty: nobody is signed in (see :func:`cli_login`)."""
    out = dict(os.environ)
    out.update(
        BOXOFFICE_DATABASE_URL=settings.database_url or "",
        BOXOFFICE_REDIS_URL=settings.redis_url or "",
        BOXOFFICE_REDIS_PREFIX=settings.redis_prefix,
        BOXOFFICE_DATA_DIR=str(settings.data_dir),
        BOXOFFICE_STATE_DIR=_state_dir("nobody"),
        BOXOFFICE_REQUIRE_TILL="no",
    )
    return out


def tiny_doc() -> dict:
    return json.loads((DATA / "tiny.json").read_text())


def make_layout(doc: dict | None = None, name: str | None = None) -> Layout:
    doc = copy.deepcopy(doc or tiny_doc())
    doc["name"] = name or f"{doc['name']} {secrets.token_hex(4)}"
    return parse_layout(doc)


def make_session(app: App, layout: Layout | None = None, name: str = "Test session") -> SessionInfo:
    """A fresh venue (unique name) with one on-sale session, warmed in Redis."""
    venue, _ = app.catalog.import_venue(layout or make_layout())
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    info, _ = app.catalog.create_session(venue.venue_id, name, start)
    app.inventory.rebuild(info.session_id)
    return info


@pytest.fixture
def session(app: App) -> SessionInfo:
    return make_session(app)


def run_cli(env: dict[str, str], *args: str, input: str | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boxoffice.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=input,
        timeout=timeout,
    )


def _state_dir(who: str) -> str:
    path = tempfile.mkdtemp(prefix=f"boxoffice-state-{who}-")
    atexit.register(shutil.rmtree, path, True)
    return path


def cli_login(env: dict[str, str], user: str, password: str = TEST_PASSWORD) -> dict[str, str]:
    """Sign ``user`` in with ``boxoffice login --user NAME --password-stdin`` in a state directory of its own, and
    return the environment that acts as them (a fresh CLI session each call)."""
    signed = {**env, "BOXOFFICE_STATE_DIR": _state_dir(user)}
    done = run_cli(signed, "login", "--user", user, "--password-stdin", input=password + "\n")
    assert done.returncode == 0, f"boxoffice login --user {user}: {done.stderr}"
    return signed


_signed_in: dict[tuple[str, str, str], str] = {}


def signed_in_env(env: dict[str, str], user: str) -> dict[str, str]:
    """``env`` acting as ``user`` through one CLI session kept for the whole run (per database and user): for
    tests that only need *someone* signed in. Tests that revoke or expire sessions use :func:`cli_login`."""
    key = (env.get("BOXOFFICE_DATABASE_URL", ""), env.get("BOXOFFICE_REDIS_PREFIX", ""), user)
    if key not in _signed_in:
        _signed_in[key] = cli_login(env, user)["BOXOFFICE_STATE_DIR"]
    return {**env, "BOXOFFICE_STATE_DIR": _signed_in[key]}


def run_cli_as(env: dict[str, str], user: str, *args: str, input: str | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``boxoffice ARGS`` as the signed-in ``user``."""
    return run_cli(signed_in_env(env, user), *args, input=input, timeout=timeout)
