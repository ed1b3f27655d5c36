"""Background jobs (APScheduler): the outbox relay, the inventory consumer, the hold-expiry sweep and reconciliation.

Every app process runs them in a background scheduler; ``boxoffice worker`` runs them headless. Each job is safe to
run in many processes at once (SKIP LOCKED claims, a consumer group, idempotent scripts).
"""

from __future__ import annotations

import logging
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


def _guarded(name: str, fn):  # noqa: ANN001, ANN202
    """A job that logs a backend hiccup instead of dying; the next run tries again."""

    def job() -> None:
        try:
            fn()
        except BoxOfficeError as exc:
            log.warning("%s: %s", name, exc)
        except Exception:
            log.exception("%s failed", name)

    return job


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
