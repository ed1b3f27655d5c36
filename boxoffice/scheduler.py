"""Background jobs (APScheduler): the outbox relay, the inventory consumer, the hold-expiry sweep, the settling of sales
whose database outcome was unknown, closing sales on time, and reconciliation.

Every app process runs them in a background scheduler; ``boxoffice worker`` runs them headless. Each job is safe to
run in many processes at once (SKIP LOCKED claims, a consumer group, idempotent scripts).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from .errors import BackendUnavailable, BoxOfficeError, GroupMissing
from .logs import quiet_libraries

if TYPE_CHECKING:
    from .bootstrap import App

log = logging.getLogger(__name__)
# APScheduler logs every run at INFO, and "skipped: maximum number of running instances reached" (a drain took longer
# than the interval) at WARNING: quiet unless BOXOFFICE_LOG_LEVEL asks (boxoffice/logs.py)
quiet_libraries()


def _kind(exc: BaseException) -> str:
    """What an outage is about: the database or Redis for a backend error (whatever its wording: refused, timed out,
    reset…), the exception's class otherwise."""
    if isinstance(exc, BackendUnavailable):
        return "Redis" if isinstance(exc, GroupMissing) or "redis" in str(exc).lower() else "database"
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


@dataclass
class _Outage:
    since: float
    jobs: set[str] = field(default_factory=set)
    failures: int = 0


class Outages:
    """The outages seen by the jobs of one scheduler, by kind (:func:`_kind`): the first job that fails a way logs
    it; the other jobs failing the same way only at DEBUG; the end is logged once, when the last of them works
    again. A database outage of a minute is two lines, not one per job per run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, _Outage] = {}

    def failed(self, kind: str, job: str) -> bool:
        """Count a failure; True when it starts an outage of this kind (log it)."""
        with self._lock:
            outage = self._open.get(kind)
            first = outage is None
            if outage is None:
                outage = self._open[kind] = _Outage(time.monotonic())
            outage.jobs.add(job)
            outage.failures += 1
            return first

    def recovered(self, kind: str, job: str) -> _Outage | None:
        """``job`` works again; the outage when it was the last job failing this way (log its end)."""
        with self._lock:
            outage = self._open.get(kind)
            if outage is None:
                return None
            outage.jobs.discard(job)
            if outage.jobs:
                return None
            del self._open[kind]
            return outage


class _Guarded:
    """A job that survives its failures: the next run tries again. An outage is logged when it starts and when it
    ends — not on every run in between (a relay runs five times a second), and not once per job (:class:`Outages`).
    A different kind of failure during an outage (a bug, say) is logged once too, with its stack trace."""

    def __init__(self, name: str, fn: Callable[[], object], outages: Outages | None = None) -> None:
        self.name = name
        self.fn = fn
        self.outages = outages if outages is not None else Outages()
        self.failing_since: float | None = None
        self.failures = 0
        self.kinds: set[str] = set()

    def __call__(self) -> None:
        try:
            self.fn()
        except Exception as exc:  # noqa: BLE001 - a job never dies
            self._failed(exc)
        else:
            if self.failing_since is not None:
                self._recovered()

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = time.monotonic()
        kind = _kind(exc)
        self.kinds.add(kind)
        if not self.outages.failed(kind, self.name):
            log.debug("%s: still failing: %s: %s", self.name, exc.__class__.__name__, exc)
        elif isinstance(exc, BoxOfficeError):
            log.warning("%s: %s (background jobs retry on their own; logged again when they work)", self.name, exc)
        else:
            log.error("%s failed", self.name, exc_info=exc)

    def _recovered(self) -> None:
        assert self.failing_since is not None
        for kind in sorted(self.kinds):
            outage = self.outages.recovered(kind, self.name)
            if outage is not None:
                what = kind if kind in ("database", "Redis") else kind.rpartition(".")[2]
                log.warning("%s: working again after %.1f s (%d failed run(s) of the background jobs; %s)",
                            self.name, time.monotonic() - outage.since, outage.failures, what)
        log.debug("%s: working again after %d failed run(s)", self.name, self.failures)
        self.failing_since, self.failures, self.kinds = None, 0, set()


def _guarded(name: str, fn: Callable[[], object], outages: Outages | None = None) -> _Guarded:
    return _Guarded(name, fn, outages)


def _while_redis_up(app: App, fn):  # noqa: ANN001, ANN202
    """Skip a Redis job while Redis is unreachable (degraded mode): the relay would spend its messages' attempts
    towards the dead letters on an outage; it catches up once the seat maps are rebuilt."""

    def job() -> None:
        if not app.health.down:
            fn()

    return job


def add_jobs(scheduler: BaseScheduler, app: App) -> BaseScheduler:
    s = app.settings
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    outages = Outages()  # one outage is logged once for all the jobs

    def guard(name: str, fn: Callable[[], object]) -> _Guarded:
        return _Guarded(name, fn, outages)

    scheduler.add_job(guard("outbox relay", _while_redis_up(app, app.relay.drain)), "interval",
                      seconds=s.relay_interval_s, id="outbox-relay", name="outbox-relay", **common)
    scheduler.add_job(guard("inventory consumer", _while_redis_up(app, lambda: app.consumer.drain())), "interval",
                      seconds=s.relay_interval_s, id="inventory-consumer", name="inventory-consumer", **common)
    scheduler.add_job(guard("Redis health", app.health.check), "interval", seconds=1, id="redis-health",
                      name="redis-health", **common)
    scheduler.add_job(guard("database hold sweep", app.degraded.sweep_holds), "interval",
                      seconds=s.sweep_interval_s, id="db-hold-sweep", name="db-hold-sweep", **common)
    scheduler.add_job(guard("hold sweep", _while_redis_up(app, app.inventory.sweep_expired_holds)), "interval",
                      seconds=s.sweep_interval_s, id="hold-sweep", name="hold-sweep", **common)
    # sales whose database outcome was unknown: settled as soon as the database answers again (one Redis read when
    # there are none), so an outage does not keep seats held for the whole hold lifetime
    scheduler.add_job(guard("unresolved sales", _while_redis_up(app, app.inventory.settle_unresolved)), "interval",
                      seconds=s.resolve_interval_s, id="unresolved-sales", name="unresolved-sales", **common)
    # sales close on time: the Redis flag, then the database status (one process per turn)
    scheduler.add_job(guard("sales window", _while_redis_up(app, app.sales.close_due)), "interval", seconds=1,
                      id="sales-window", name="sales-window", **common)
    if s.reconcile_mode != "off":
        scheduler.add_job(guard("reconciliation", _while_redis_up(app, app.reconciler.run_scheduled)), "interval",
                          seconds=s.reconcile_interval_s, id="reconcile", name="reconcile", **common)
    scheduler.add_job(
        guard("outbox purge", lambda: app.relay.purge_sent(datetime.now(timezone.utc) - timedelta(days=7))),
        "interval", hours=1, id="outbox-purge", name="outbox-purge", **common,
    )
    return scheduler


def background(app: App) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    add_jobs(scheduler, app)
    scheduler.start()
    return scheduler


def blocking(app: App) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=timezone.utc)
    add_jobs(scheduler, app)
    return scheduler
