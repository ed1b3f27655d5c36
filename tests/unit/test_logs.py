"""boxoffice/logs.py: BOXOFFICE_LOG_LEVEL, APScheduler quiet unless asked, the rotating file (issue 13, item 11)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from boxoffice import logs
from boxoffice.errors import BadInput


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in (*logs.QUIET, "boxoffice.services.outbox")}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def test_levels_from_the_environment() -> None:
    assert logs.parse_level(None) == (logging.WARNING, {})
    assert logs.parse_level("") == (logging.WARNING, {})
    assert logs.parse_level("info") == (logging.INFO, {})
    assert logs.parse_level("DEBUG, apscheduler=info ,boxoffice.services.outbox=debug") == (
        logging.DEBUG, {"apscheduler": logging.INFO, "boxoffice.services.outbox": logging.DEBUG})
    assert logs.parse_level("apscheduler=INFO") == (logging.WARNING, {"apscheduler": logging.INFO})
    assert logs.parse_level("15") == (15, {})
    for bad in ("loud", "INFO,=DEBUG", "apscheduler=chatty"):
        with pytest.raises(BadInput, match="BOXOFFICE_LOG_LEVEL"):
            logs.parse_level(bad)


def test_quiet_by_default_with_a_rotating_file_in_the_data_dir(tmp_path: Path) -> None:
    out = io.StringIO()
    path = logs.setup("app", tmp_path, env={}, stream=out)
    assert path == tmp_path / "logs" / "app.log" == logs.log_path(tmp_path, "app")
    file = next(h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler))
    assert (file.maxBytes, file.backupCount) == (logs.MAX_BYTES, logs.BACKUPS)
    logging.getLogger("boxoffice.x").info("an info line")
    logging.getLogger("apscheduler.executors.default").warning("a scheduler warning")
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox-relay"')
    logging.getLogger("apscheduler.scheduler").warning("skipped: maximum number of running instances reached")
    logging.getLogger("boxoffice.x").warning("a warning")
    for handler in logging.getLogger().handlers:
        handler.flush()
    shown = out.getvalue().splitlines()
    assert [line.split(": ", 1)[1] for line in shown] == ["a scheduler warning", "a warning"]
    assert path.read_text().count("\n") == 2 and "a warning" in path.read_text()

    # a second setup replaces the handlers: no line twice
    out2 = io.StringIO()
    logs.setup("app", tmp_path, env={logs.LEVEL_ENV: "INFO"}, stream=out2)
    logging.getLogger("boxoffice.x").info("once")
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox-relay"')
    assert out.getvalue().count("once") == 0 and out2.getvalue().count("once") == 1
    assert "Running job" not in out2.getvalue()  # INFO for the application, APScheduler still quiet


def test_apscheduler_when_asked_and_the_cli_verbose_flag(tmp_path: Path) -> None:
    out = io.StringIO()
    assert logs.setup(env={logs.LEVEL_ENV: "apscheduler=INFO"}, stream=out, verbose=True) is None  # no file
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox-relay"')
    logging.getLogger("apscheduler.scheduler").info("Scheduler started")  # follows its named parent
    logging.getLogger("boxoffice.x").info("-v: INFO")
    logging.getLogger("boxoffice.x").debug("not this")
    text = out.getvalue()
    assert "Running job" in text and "Scheduler started" in text and "-v: INFO" in text and "not this" not in text


def test_a_log_file_that_cannot_be_opened_is_said_and_the_terminal_still_works(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the directory should be")
    out = io.StringIO()
    assert logs.setup("worker", tmp_path, env={}, stream=out) is None
    logging.getLogger("boxoffice.x").error("still shown")
    assert "no log file" in out.getvalue() and "still shown" in out.getvalue()
