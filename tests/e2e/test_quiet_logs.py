"""The terminal is not flooded (issue 13, item 11): the window and the worker, run as real processes for a few
seconds, write (almost) nothing on the terminal by default; APScheduler's per-run lines stay out even with -v; a
database outage is logged once when it starts and once when it ends, for all the background jobs together; the
lines go to a rotating file in the data directory too."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from boxoffice.config import Settings
from boxoffice.domain.values import SessionInfo
from tests.conftest import ROOT
from tests.tcpproxy import TcpProxy

#: a line the logging module wrote (the CLI's format and the window's), not a traceback's continuation
RECORD = re.compile(r"^(\S+ \S+ )?(DEBUG|INFO|WARNING|ERROR|CRITICAL) ")


def records(text: str) -> list[str]:
    return [line for line in text.splitlines() if RECORD.match(line)]


def start_worker(env: dict[str, str], *flags: str) -> tuple[subprocess.Popen[str], str]:
    worker = subprocess.Popen([sys.executable, "-m", "boxoffice.cli", *flags, "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    first = worker.stdout.readline()
    assert "worker running" in first, (first, worker.stderr.read() if worker.poll() is not None else "")
    return worker, first


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (process.returncode, out, err)
    return out, err


def test_the_worker_is_quiet_even_with_v_and_says_where_its_log_file_is(env: dict[str, str], tmp_path: Path) -> None:
    run_env = {**env, "BOXOFFICE_DATA_DIR": str(tmp_path)}
    run_env.pop("BOXOFFICE_LOG_LEVEL", None)
    worker, first = start_worker(run_env, "-v")
    time.sleep(4)  # the relay and the consumer run 5 times a second, two jobs every second: ~100 runs
    _, err = stop(worker)
    lines = records(err)
    assert not [line for line in lines if "apscheduler" in line or "Running job" in line or "executed" in line], err
    assert len(lines) <= 3, err  # -v: the worker's own INFO lines (the signal), not one per job run
    log_file = tmp_path / "logs" / "worker.log"
    assert f"log file {log_file}" in first
    assert "finishing the running jobs" in log_file.read_text()  # the INFO line of -v, in the file too

    # APScheduler's lines when asked for
    worker, _ = start_worker({**run_env, "BOXOFFICE_LOG_LEVEL": "WARNING,apscheduler=INFO"})
    time.sleep(2)
    _, err = stop(worker)
    assert len([line for line in records(err) if "Running job" in line]) >= 5, err


def test_a_database_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    env: dict[str, str], settings: Settings, session: SessionInfo, tmp_path: Path
) -> None:
    url = make_url(settings.database_url)
    if not url.host:
        pytest.skip("the proxy needs a TCP database URL")
    proxy = TcpProxy((url.host, url.port or 5432))
    try:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        run_env = {**env, "BOXOFFICE_DATABASE_URL": proxied, "BOXOFFICE_DATA_DIR": str(tmp_path)}
        run_env.pop("BOXOFFICE_LOG_LEVEL", None)
        worker, _ = start_worker(run_env)
        time.sleep(2)
        proxy.down()  # ~6 s without the database: the relay alone fails 30 times, the sales window 6 times
        time.sleep(6)
        proxy.up()
        deadline = time.monotonic() + 30
        log_file = tmp_path / "logs" / "worker.log"
        while "working again" not in (log_file.read_text() if log_file.exists() else ""):
            assert time.monotonic() < deadline and worker.poll() is None, "the jobs never said they work again"
            time.sleep(0.2)
        time.sleep(1)
        _, err = stop(worker)
    finally:
        proxy.close()
    lines = records(err)
    assert err.count("background jobs retry on their own") == 1, err  # the server's message may run over lines
    started = [line for line in lines if "database unavailable" in line]
    ended = [line for line in lines if "working again" in line]
    assert len(started) == 1 and len(ended) == 1 and "database" in ended[0], err
    assert len(lines) <= 3, err  # the start, the end — and no line per job or per run
    in_file = log_file.read_text()
    assert "background jobs retry on their own" in in_file and "working again" in in_file


def test_the_window_writes_nothing_on_the_terminal_while_it_waits_and_logs_to_its_file(
    env: dict[str, str], session: SessionInfo, tmp_path: Path
) -> None:
    """The window with its background jobs, waiting at the sign-in for 5 s (over 9,000 lines in 8 minutes before)."""
    run_env = {**env, "BOXOFFICE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "BOXOFFICE_LANG": "en"}
    run_env.pop("BOXOFFICE_LOG_LEVEL", None)
    log_file = tmp_path / "logs" / "app.log"
    window = started_window(run_env, log_file, 6)
    _, err = stop(window)
    assert records(err) == [], err

    # BOXOFFICE_LOG_LEVEL=INFO shows the application's INFO lines — still not APScheduler's per-run ones
    info_dir = tmp_path / "info"
    window = started_window({**run_env, "BOXOFFICE_LOG_LEVEL": "info", "BOXOFFICE_DATA_DIR": str(info_dir)},
                            info_dir / "logs" / "app.log", 6)
    _, err = stop(window)
    assert not [line for line in records(err) if "apscheduler" in line], err
    assert len(records(err)) <= 10, err


def started_window(env: dict[str, str], log_file: Path, seconds: float) -> subprocess.Popen[str]:
    """main.py, left running ``seconds`` after it opened its log file (its SIGTERM handler is set by then)."""
    window = subprocess.Popen([sys.executable, "main.py"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not log_file.exists():
        assert time.monotonic() < deadline and window.poll() is None, window.communicate()
        time.sleep(0.1)
    time.sleep(seconds)
    assert window.poll() is None, window.communicate()
    return window


def test_a_bad_log_level_is_said_once_and_the_window_starts_anyway(env: dict[str, str], tmp_path: Path) -> None:
    run_env = {**env, "BOXOFFICE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
               "BOXOFFICE_LOG_LEVEL": "loud"}
    window = started_window(run_env, tmp_path / "logs" / "app.log", 3)
    assert window.poll() is None, window.communicate()
    _, err = stop(window)
    (line,) = records(err)
    assert "BOXOFFICE_LOG_LEVEL='loud'" in line and "logging at WARNING" in line
    done = subprocess.run([sys.executable, "-m", "boxoffice.cli", "session", "list"], env=run_env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("boxoffice: BOXOFFICE_LOG_LEVEL='loud'"), done.stderr
