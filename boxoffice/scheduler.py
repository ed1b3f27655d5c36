"""Background jobs (APScheduler): the outbox relay, the inventory consumer, the hold-expiry sweep, the settling of sales
whose database outcome was unknown, closing sales on time, and reconciliation.

Every app process runs them in a background scheduler; ``boxoffice worker`` runs them headless. Each job is safe to
run in many processes at once (SKIP LOCKED claims, a consumer group, idempotent scripts).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from .errors import BoxOfficeError

if TYPE_CHECKING:
    from .bootstrap import App

log = logging.getLogger(__name__)
# "skipped: maximum number of running instances reached" only means a drain took longer than the interval
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


class _Guarded:
    """A job that survives its failures: the next run tries again. An outage is logged when it starts and when it
    ends — not on every run in between (a relay runs five times a second)."""

    def __init__(self, name: str, fn: Callable[[], object]) -> None:
        self.name = name
        self.fn = fn
        self.failing_since: float | None = None
        self.failures = 0
        self.last_error = ""

    def __call__(self) -> None:
        try:
            self.fn()
        except Exception as exc:  # noqa: BLE001 - a job never dies
            self._failed(exc)
        else:
            if self.failing_since is not None:
                log.warning("%s: working again after %.1f s (%d failed run(s))", self.name,
                            time.monotonic() - self.failing_since, self.failures)
                self.failing_since, self.failures, self.last_error = None, 0, ""

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        error = f"{exc.__class__.__name__}: {exc}"
        first = self.failing_since is None
        if first:
            self.failing_since = time.monotonic()
        if not first and error == self.last_error:
            log.debug("%s: still failing: %s", self.name, error)
        elif isinstance(exc, BoxOfficeError):
            log.warning("%s: %s%s", self.name, exc, " (logged again when it works)" if first else "")
        else:
            log.error("%s failed", self.name, exc_info=exc)
        self.last_error = error


def _guarded(name: str, fn: Callable[[], object]) -> _Guarded:
    return _Guarded(name, fn)


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
    scheduler.add_job(_guarded("outbox relay", _while_redis_up(app, app.relay.drain)), "interval",
                      seconds=s.relay_interval_s, id="outbox-relay", name="outbox-relay", **common)
    scheduler.add_job(_guarded("inventory consumer", _while_redis_up(app, lambda: app.consumer.drain())), "interval",
                      seconds=s.relay_interval_s, id="inventory-consumer", name="inventory-consumer", **common)
    scheduler.add_job(_guarded("Redis health", app.health.check), "interval", seconds=1, id="redis-health",
                      name="redis-health", **common)
    scheduler.add_job(_guarded("database hold sweep", app.degraded.sweep_holds), "interval",
                      seconds=s.sweep_interval_s, id="db-hold-sweep", name="db-hold-sweep", **common)
    scheduler.add_job(_guarded("hold sweep", _while_redis_up(app, app.inventory.sweep_expired_holds)), "interval",
                      seconds=s.sweep_interval_s, id="hold-sweep", name="hold-sweep", **common)
    # sales whose database outcome was unknown: settled as soon as the database answers again (one Redis read when
    # there are none), so an outage does not keep seats held for the whole hold lifetime
    scheduler.add_job(_guarded("unresolved sales", _while_redis_up(app, app.inventory.settle_unresolved)), "interval",
                      seconds=s.resolve_interval_s, id="unresolved-sales", name="unresolved-sales", **common)
    # sales close on time: the Redis flag, then the database status (one process per turn)
    scheduler.add_job(_guarded("sales window", _while_redis_up(app, app.sales.close_due)), "interval", seconds=1,
                      id="sales-window", name="sales-window", **common)
    if s.reconcile_mode != "off":
        scheduler.add_job(_guarded("reconciliation", _while_redis_up(app, app.reconciler.run_scheduled)), "interval",
                          seconds=s.reconcile_interval_s, id="reconcile", name="reconcile", **common)
    scheduler.add_job(
        _guarded("outbox purge", lambda: app.relay.purge_sent(datetime.now(timezone.utc) - timedelta(days=7))),
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
