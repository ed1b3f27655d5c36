"""Is Redis reachable? One answer per process, kept without asking Redis before every sale (DESIGN §6).

The state changes only when a Redis call fails because Redis did not answer (connection refused or reset, a timeout:
:func:`redis_unreachable`) — never because a script refused something. From then on the services sell from the
database alone (:mod:`boxoffice.services.degraded`) and a watcher thread pings Redis about once a second with a short
timeout. When it answers, the watcher runs the recovery (every current session rebuilt from the database, once
across processes) and only then reports Redis healthy again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

from ..errors import RedisUnreachable

log = logging.getLogger(__name__)

DEGRADED_MODES = ("auto", "off")


def redis_unreachable(exc: BaseException) -> bool:
    """True for a :class:`BackendUnavailable` caused by Redis not answering (connection refused / reset / closed,
    a timeout, still loading its data) — not for a refusal, a script error or a database failure."""
    return isinstance(exc, RedisUnreachable)


class RedisHealth:
    """``healthy`` or ``down since T``. Reading :attr:`down` costs an attribute read; the services call
    :meth:`failed` with the error of a Redis call that failed, and go on from the database when it answers True."""

    PROBE_INTERVAL_S = 1.0

    def __init__(self, mode: str = "off", probe: Callable[[], object] | None = None,
                 recover: Callable[[bool], object] | None = None,
                 on_down: Callable[[str], bool] | None = None) -> None:
        if mode not in DEGRADED_MODES:
            raise ValueError(f"degraded mode must be one of {DEGRADED_MODES}, not {mode!r}")
        self.mode = mode
        self._probe = probe
        self._recover = recover
        self._on_down = on_down
        self._noted = True  # whether this outage was recorded (on_down answered True)
        self._down_since: float | None = None
        self._failures = 0
        self._check_failures = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        #: how many times this process saw Redis come back (tests and the window read it)
        self.recoveries = 0

    @property
    def enabled(self) -> bool:
        return self.mode == "auto"

    @property
    def down(self) -> bool:
        return self._down_since is not None

    @property
    def down_since(self) -> datetime | None:
        since = self._down_since
        return None if since is None else datetime.fromtimestamp(since, timezone.utc)

    def failed(self, exc: BaseException) -> bool:
        """A Redis call failed with ``exc``: True when it means Redis is unreachable and degraded mode is on (the
        caller then goes on from the database); False when the caller should raise as before."""
        if not self.enabled or not redis_unreachable(exc):
            return False
        self.mark_down(str(exc))
        return True

    def mark_down(self, why: str, *, quiet: bool = False, note: bool = True) -> None:
        """Redis is unreachable: go degraded (``quiet``: log it as information, e.g. found so at start; ``note``
        False: not an outage to record, only a rebuild to wait for)."""
        with self._lock:
            self._failures += 1
            new = self._down_since is None
            if new:
                self._down_since = time.time()
                log.log(logging.INFO if quiet else logging.WARNING,
                        "Redis unreachable (%s): selling from the database until it answers again", why)
        if new and note and self._on_down is not None:
            self._noted = bool(self._on_down(why))
        with self._lock:
            if self._watcher is None and self._probe is not None and not self._stop.is_set():
                self._watcher = threading.Thread(target=self._watch, name="redis-health", daemon=True)
                self._watcher.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.PROBE_INTERVAL_S):
            with self._lock:
                failures = self._failures
            assert self._probe is not None
            try:
                self._probe()
                if self._recover is not None:
                    self._recover(not self._noted)
            except Exception as exc:  # noqa: BLE001 - still down, or the rebuild failed half-way: try again in a second
                log.debug("Redis still unreachable: %s", exc)
                continue
            with self._lock:
                if self._failures != failures:
                    continue  # a call failed again while we recovered: not healthy yet
                self._down_since, self._watcher = None, None
                self.recoveries += 1
            log.warning("Redis answers again: the seat maps were rebuilt from the database; selling live")
            return

    #: consecutive failed health checks that count as an outage (a failed sale counts at once)
    CHECK_FAILURES = 2

    def check(self) -> None:
        """One cheap probe while healthy (the scheduler runs it every second, so a process that is not selling — the
        worker, an idle window — also notices an outage: its relay then stops spending attempts). Two failures in a
        row count, so one slow answer of a busy Redis does not start a rebuild."""
        if not self.enabled or self.down or self._probe is None:
            return
        try:
            self._probe()
        except RedisUnreachable as exc:
            self._check_failures += 1
            if self._check_failures >= self.CHECK_FAILURES:
                self._check_failures = 0
                self.mark_down(f"health check: {exc}")
        else:
            self._check_failures = 0

    def close(self) -> None:
        self._stop.set()
        watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout=5)

    def wait_healthy(self, timeout_s: float) -> bool:
        """Wait until Redis is healthy again (tests, benchmarks); True when it is."""
        deadline = time.monotonic() + timeout_s
        while self.down and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.down
