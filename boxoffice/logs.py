"""Logging of the window, the worker and the CLI: quiet on the terminal by default, a rotating file for the window and
the worker.

- ``BOXOFFICE_LOG_LEVEL`` sets the level of the terminal and of the file: ``WARNING`` (the default), ``INFO``,
  ``DEBUG``, ``ERROR``; levels of single loggers follow after commas, e.g. ``INFO,apscheduler=INFO`` or
  ``WARNING,boxoffice.services.outbox=DEBUG``. The CLI's ``-v`` still means INFO.
- APScheduler logs every run of every job at INFO (the outbox relay runs five times a second): its loggers stay at
  WARNING — "skipped: maximum number of running instances reached" at ERROR — unless ``BOXOFFICE_LOG_LEVEL`` names
  them; so does Alembic (its plugins, listed at INFO on every start).
- The window writes ``<data dir>/logs/app.log`` and ``boxoffice worker`` writes ``<data dir>/logs/worker.log``
  (``BOXOFFICE_DATA_DIR``, else the user data directory, e.g. ``~/.local/share/boxoffice``; the same directory with
  the embedded servers and with configured ones), rotated at 5 MB with 5 old files kept.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from .errors import BadInput

LEVEL_ENV = "BOXOFFICE_LOG_LEVEL"
DEFAULT_LEVEL = logging.WARNING
FILE_FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"
CONSOLE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
#: libraries that are loud at INFO, and their level unless BOXOFFICE_LOG_LEVEL names them (or a parent of theirs)
#: (Alembic lists its plugins at INFO whenever a process checks the schema)
QUIET = {"apscheduler": logging.WARNING, "apscheduler.scheduler": logging.ERROR, "alembic": logging.WARNING}
_LEVELS = {"CRITICAL": logging.CRITICAL, "ERROR": logging.ERROR, "WARNING": logging.WARNING,
           "WARN": logging.WARNING, "INFO": logging.INFO, "DEBUG": logging.DEBUG}


def _level(raw: str, spec: str) -> int:
    word = raw.strip().upper()
    if word in _LEVELS:
        return _LEVELS[word]
    if word.isdigit():
        return int(word)
    raise BadInput(f"{LEVEL_ENV}={spec!r}: {raw.strip()!r} is not a level "
                   f"(one of {', '.join(k for k in _LEVELS if k != 'WARN')})")


def parse_level(spec: str | None, default: int = DEFAULT_LEVEL) -> tuple[int, dict[str, int]]:
    """``"INFO,apscheduler=DEBUG"`` → ``(INFO, {"apscheduler": DEBUG})``; empty → ``(default, {})``."""
    level, loggers = default, {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        if eq:
            if not name.strip():
                raise BadInput(f"{LEVEL_ENV}={spec!r}: a logger name is missing before '='")
            loggers[name.strip()] = _level(value, spec or "")
        else:
            level = _level(name, spec or "")
    return level, loggers


def log_path(data_dir: Path, program: str) -> Path:
    """Where ``program`` (``app`` or ``worker``) writes its log."""
    return data_dir / "logs" / f"{program}.log"


_configured = False


class _Ours:
    """Marks the handlers :func:`setup` installs, so a second call replaces them instead of doubling every line."""


def setup(program: str | None = None, data_dir: Path | None = None, *, verbose: bool = False,
          env: dict[str, str] | None = None, console_format: str = CONSOLE_FORMAT,
          stream: TextIO | None = None, catch_unhandled: bool = False) -> Path | None:
    """Configure the root logger: a terminal handler, and with ``program`` and ``data_dir`` a rotating file. Returns
    the file's path (None without one, or when it cannot be opened — said once on the terminal). ``verbose`` (the
    CLI's -v) means at least INFO. Raises :class:`BadInput` on a bad ``BOXOFFICE_LOG_LEVEL``."""
    environ = os.environ if env is None else env
    level, loggers = parse_level(environ.get(LEVEL_ENV))
    if verbose:
        level = min(level, logging.INFO)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(getattr(h, "_boxoffice", None), _Ours)]:
        root.removeHandler(handler)
        handler.close()
    console = logging.StreamHandler(stream if stream is not None else sys.stderr)
    console.setFormatter(logging.Formatter(console_format))
    handlers: list[logging.Handler] = [console]
    path: Path | None = None
    problem = ""
    if program and data_dir is not None:
        path = log_path(data_dir, program)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            file = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        except OSError as exc:
            problem, path = f"no log file ({exc})", None
        else:
            file.setFormatter(logging.Formatter(FILE_FORMAT))
            handlers.append(file)
    for handler in handlers:
        handler._boxoffice = _Ours()  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    quiet_libraries(loggers)
    global _configured
    _configured = True
    if problem:
        logging.getLogger(__name__).warning("%s", problem)
    if catch_unhandled:
        _log_unhandled()
    return path


def quiet_libraries(loggers: dict[str, int] | None = None) -> None:
    """The levels of :data:`QUIET`, except for the loggers named in ``loggers`` (with their levels) and their
    children (which follow their named parent). :func:`setup` calls it; so does the scheduler's import when no
    setup ran (tests, benchmarks) — after a setup it leaves the levels alone."""
    if loggers is None and _configured:
        return
    loggers = loggers or {}
    for name, quiet in QUIET.items():
        asked = [n for n in loggers if name == n or name.startswith(n + ".")]
        logging.getLogger(name).setLevel(logging.NOTSET if asked else quiet)
    for name, value in loggers.items():
        logging.getLogger(name).setLevel(value)


def _log_unhandled() -> None:
    """Exceptions nobody caught (a Qt slot, a thread) go to the log — the file too — not to the terminal alone."""
    log = logging.getLogger("boxoffice.unhandled")

    def hook(kind, value, tb) -> None:  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unhandled exception", exc_info=(kind, value, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        log.error("unhandled exception in thread %s", getattr(args.thread, "name", "?"),
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
