"""The embedded servers are supervised (faults issue, item 6).

Real processes on real servers, each test with a data directory of its own (never the machine's servers): a process
attached to the embedded PostgreSQL and Valkey restarts one that was killed with SIGKILL, on the same data directory
and socket, so data written before is there again; exactly one process restarts it; and the last process to leave
stops whatever server is running then, including one restarted by another process.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import psycopg
import pytest
import redis

from boxoffice.embedded import server_processes

ROOT = Path(__file__).resolve().parents[2]
ANSWER_WITHIN_S = 5.0

# A process using the embedded servers, as the window or `boxoffice worker` does: it joins (starting them if it is
# the first), prints their URLs and then every supervisor event as one JSON line each, and leaves when its standard
# input closes (a normal exit: the atexit hooks run).
ATTACHED = r"""
import json, os, sys
from pathlib import Path
from boxoffice import embedded

data_dir = Path(sys.argv[1])
urls = embedded.start_embedded(data_dir)
servers = getattr(embedded, "embedded_servers", lambda d: None)(data_dir)
if servers is not None:
    servers.events.subscribe(lambda e: print(json.dumps(
        {"event": e.kind, "server": e.server, "server_pid": e.server_pid, "by_pid": e.by_pid,
         "at": e.at.timestamp()}), flush=True))
print(json.dumps({"database_url": urls.database_url, "redis_url": urls.redis_url}), flush=True)
sys.stdin.read()
"""


class Attached:
    """One attached process and the lines it printed."""

    def __init__(self, data_dir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("BOXOFFICE_DATABASE_URL", "BOXOFFICE_REDIS_URL")}
        env.update(PYTHONPATH=str(ROOT), BOXOFFICE_DATA_DIR=str(data_dir))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ATTACHED, str(data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=str(ROOT),
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.next(timeout=120)
        assert "database_url" in first, first
        self.urls = first

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with_json = line.strip()
            if with_json.startswith("{"):
                self.lines.put(json.loads(with_json))

    def next(self, timeout: float) -> dict[str, Any]:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"process {self.proc.pid} printed nothing in {timeout} s") from None

    def events(self, until: float) -> list[dict[str, Any]]:
        seen = []
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return seen
            try:
                seen.append(self.lines.get(timeout=left))
            except queue.Empty:
                return seen

    @property
    def pid(self) -> int:
        return self.proc.pid

    def leave(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=90) == 0


def pid_in(path: Path) -> int:
    return int(path.read_text().splitlines()[0])


def wait_gone(data_dir: Path, timeout: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while (left := server_processes(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not under pytest's temp root (0700): as root the embedded PostgreSQL runs as user "pgserver".
    directory = Path(tempfile.mkdtemp(prefix="bo-supervised-")).resolve()
    yield directory
    for proc in server_processes(directory):  # a failed test must not leave servers behind
        proc.kill()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def attach(data_dir: Path) -> Iterator[Any]:
    started: list[Attached] = []

    def start() -> Attached:
        started.append(Attached(data_dir))
        return started[-1]

    yield start
    for p in started:
        if p.proc.poll() is None:
            with_stop = p.proc
            os.kill(with_stop.pid, signal.SIGCONT)
            with_stop.kill()
            with_stop.wait(timeout=30)


def answers_postgres(url: str) -> int | None:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return conn.execute("SELECT x FROM supervised").fetchone()[0]
    except psycopg.Error:
        return None


def answers_valkey(url: str) -> bytes | None:
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return client.get("supervised")
        finally:
            client.close()
    except redis.RedisError:
        return None


def kill_and_time(pidfile: Path, probe: Any, expected: Any) -> float:
    """SIGKILL the server named by ``pidfile``; seconds until ``probe()`` returns ``expected`` again (max 30)."""
    old = pid_in(pidfile)
    os.kill(old, signal.SIGKILL)
    killed = time.monotonic()
    while time.monotonic() - killed < 30:
        if probe() == expected:
            took = time.monotonic() - killed
            assert pid_in(pidfile) != old
            print(f"{pidfile.name}: answering again {took:.2f} s after SIGKILL")
            return took
        time.sleep(0.05)
    raise AssertionError(f"{pidfile.parent.name} still not answering 30 s after SIGKILL")


def write_data(urls: dict[str, str]) -> None:
    with psycopg.connect(urls["database_url"], autocommit=True) as conn:
        conn.execute("CREATE TABLE supervised (x int)")
        conn.execute("INSERT INTO supervised VALUES (42)")
    client = redis.Redis.from_url(urls["redis_url"])
    client.set("supervised", b"kept")
    client.close()


def test_a_killed_server_is_restarted_with_its_data_and_stopped_by_the_last_process(data_dir: Path, attach: Any) -> None:
    p1 = attach()
    urls = p1.urls
    write_data(urls)

    took_pg = kill_and_time(data_dir / "postgres" / "postmaster.pid", lambda: answers_postgres(urls["database_url"]), 42)
    took_valkey = kill_and_time(data_dir / "valkey" / "valkey.pid", lambda: answers_valkey(urls["redis_url"]), b"kept")
    assert took_pg < ANSWER_WITHIN_S and took_valkey < ANSWER_WITHIN_S, (took_pg, took_valkey)

    events = p1.events(until=time.monotonic() + 1.5)
    for server in ("postgresql", "valkey"):
        kinds = [(e["event"], e["by_pid"]) for e in events if e["server"] == server]
        assert ("down", None) in kinds and ("restarted", p1.pid) in kinds, events

    p1.leave()
    assert wait_gone(data_dir) == []


def test_a_server_restarted_by_a_second_process_is_stopped_by_the_first_leaving_last(
    data_dir: Path, attach: Any
) -> None:
    p1 = attach()  # starts the servers
    p2 = attach()  # joins them
    urls = p1.urls
    assert p2.urls == urls
    write_data(urls)

    os.kill(p1.pid, signal.SIGSTOP)  # only p2 can notice: it must restart them
    try:
        took_pg = kill_and_time(data_dir / "postgres" / "postmaster.pid",
                                lambda: answers_postgres(urls["database_url"]), 42)
        took_valkey = kill_and_time(data_dir / "valkey" / "valkey.pid", lambda: answers_valkey(urls["redis_url"]),
                                    b"kept")
    finally:
        os.kill(p1.pid, signal.SIGCONT)
    assert took_pg < ANSWER_WITHIN_S and took_valkey < ANSWER_WITHIN_S, (took_pg, took_valkey)
    deadline = time.monotonic() + 5  # the restarter notes who it was just after the server answers
    restarts: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:  # written whole (replaced, never truncated): a reader sees the old record or the new one
            restarts = json.loads((data_dir / "restarts.json").read_text())
        except FileNotFoundError:
            restarts = {}
        if restarts.keys() >= {"postgresql", "valkey"}:
            break
        time.sleep(0.1)
    assert restarts["postgresql"]["by_pid"] == p2.pid and restarts["valkey"]["by_pid"] == p2.pid, restarts
    restarted = {pidfile: pid_in(data_dir / pidfile) for pidfile in ("postgres/postmaster.pid", "valkey/valkey.pid")}

    # p1, woken up, sees that p2 restarted both (and restarts nothing itself)
    events = p1.events(until=time.monotonic() + 3)
    assert {(e["server"], e["event"], e["by_pid"]) for e in events} == {
        ("postgresql", "restarted", p2.pid), ("valkey", "restarted", p2.pid)
    }, events

    p2.leave()  # the restarter leaves first: p1 still uses the servers
    time.sleep(1)
    assert answers_postgres(urls["database_url"]) == 42 and answers_valkey(urls["redis_url"]) == b"kept"
    assert {f: pid_in(data_dir / f) for f in restarted} == restarted

    p1.leave()  # the last one out stops the servers p2 started
    assert wait_gone(data_dir) == []


def test_two_attached_processes_restart_a_dead_server_once(data_dir: Path, attach: Any) -> None:
    p1, p2 = attach(), attach()
    urls = p1.urls
    write_data(urls)
    pg_log, valkey_log = data_dir / "postgres" / "log", data_dir / "valkey" / "valkey.log"
    starts = pg_log.read_text().count("starting PostgreSQL"), valkey_log.read_text().count("Ready to accept")

    took_pg = kill_and_time(data_dir / "postgres" / "postmaster.pid", lambda: answers_postgres(urls["database_url"]), 42)
    took_valkey = kill_and_time(data_dir / "valkey" / "valkey.pid", lambda: answers_valkey(urls["redis_url"]), b"kept")
    assert took_pg < ANSWER_WITHIN_S and took_valkey < ANSWER_WITHIN_S, (took_pg, took_valkey)

    time.sleep(2 * 0.5 + 1)  # both supervisors have looked again since
    assert (pg_log.read_text().count("starting PostgreSQL"), valkey_log.read_text().count("Ready to accept")) == (
        starts[0] + 1, starts[1] + 1)  # each server started once more: by one process, not by both
    restarters = set()
    for p in (p1, p2):
        events = [e for e in p.events(until=time.monotonic() + 0.5) if e["event"] == "restarted"]
        assert {e["server"] for e in events} == {"postgresql", "valkey"}, events
        restarters |= {(e["server"], e["by_pid"]) for e in events}
    assert len(restarters) == 2 and {by for _, by in restarters} <= {p1.pid, p2.pid}, restarters  # both agree who

    p1.leave()
    p2.leave()
    assert wait_gone(data_dir) == []


def test_the_app_carries_the_supervisor_events_of_its_embedded_servers(app: Any, settings: Any) -> None:
    from boxoffice.embedded import embedded_servers

    servers = embedded_servers(settings.data_dir)
    if servers is None:
        pytest.skip("the configured servers are not embedded: nothing to supervise")
    assert app.server_events is servers.events and app.recent_server_events() == servers.events.recent()


def test_an_app_keeps_working_through_restarts_and_reports_them(data_dir: Path) -> None:
    """In this process: the App built on the embedded servers reconnects its pools after each server was killed and
    restarted, and its ``server_events`` tell what happened."""
    from boxoffice.bootstrap import build
    from boxoffice.config import Settings
    from boxoffice.embedded import embedded_servers, start_embedded

    urls = start_embedded(data_dir)
    servers = embedded_servers(data_dir)
    assert servers is not None
    app = build(Settings(database_url=urls.database_url, redis_url=urls.redis_url, data_dir=data_dir), migrate=True)
    try:
        assert app.server_events is servers.events and app.recent_server_events() == []
        app.redis.set("supervised", b"kept")
        with app.engine.connect() as conn:  # a pooled connection the restart will break
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1

        for pidfile in (data_dir / "postgres" / "postmaster.pid", data_dir / "valkey" / "valkey.pid"):
            os.kill(pid_in(pidfile), signal.SIGKILL)
            deadline = time.monotonic() + ANSWER_WITHIN_S
            while time.monotonic() < deadline and not (
                (latest := app.server_events.latest()) and latest.kind == "restarted"
                and latest.server == ("postgresql" if pidfile.name == "postmaster.pid" else "valkey")
            ):
                time.sleep(0.05)
            assert latest is not None and latest.kind == "restarted" and latest.by_this_process, app.recent_server_events()

        with app.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
        assert app.redis.get("supervised") == b"kept"
        assert [(e.server, e.kind) for e in app.recent_server_events()] == [
            ("postgresql", "down"), ("postgresql", "restarted"), ("valkey", "down"), ("valkey", "restarted")]
    finally:
        app.close()
        servers.release()  # this process was the only one: the servers stop
    assert wait_gone(data_dir) == []
