"""Redis driver errors become the project's :class:`~boxoffice.errors.BackendUnavailable`, here and nowhere else.

Every adapter that talks to Redis (the seat store, the stream) wraps its calls with :func:`redis_errors`, as a
decorator or a ``with`` block, so a service never sees a ``redis.exceptions`` class. The driver's error stays chained
as the cause: the health check tells an outage (connection, timeout) from a refused command by it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from types import TracebackType
from typing import ParamSpec, TypeVar

import redis.exceptions

from ..errors import BackendUnavailable, GroupMissing, RedisUnreachable

P = ParamSpec("P")
R = TypeVar("R")


def probe(client: redis.Redis) -> Callable[[], object]:
    """A health probe: ``PING`` on ``client``, its driver errors mapped like every other Redis call."""
    return redis_errors()(client.ping)


def backend_error(exc: redis.exceptions.RedisError) -> BackendUnavailable:
    """The project's error for a Redis driver error (chain the driver's as its cause)."""
    if isinstance(exc, redis.exceptions.ResponseError):
        if str(exc).startswith("NOGROUP"):  # a stream's consumer group (or the stream) is gone: Redis lost data
            return GroupMissing(reason="redis_group_missing", detail=str(exc))
        return BackendUnavailable(reason="redis_refused", detail=str(exc))
    if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return RedisUnreachable(reason="redis_unavailable", detail=f"{exc.__class__.__name__}: {exc}")
    return BackendUnavailable(reason="redis_unavailable", detail=f"{exc.__class__.__name__}: {exc}")


class RedisErrors:
    """Context manager and decorator: a Redis driver error raised inside becomes :class:`BackendUnavailable` (see
    :func:`backend_error`). It keeps no state, so one instance serves every use: :func:`redis_errors`."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> bool:
        if isinstance(exc, redis.exceptions.RedisError):
            raise backend_error(exc) from exc
        return False

    def __call__(self, fn: Callable[P, R]) -> Callable[P, R]:
        @wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except redis.exceptions.RedisError as exc:
                raise backend_error(exc) from exc

        return wrapper


_REDIS_ERRORS = RedisErrors()


def redis_errors() -> RedisErrors:
    """``with redis_errors():`` around Redis calls, or ``@redis_errors()`` on an adapter method."""
    return _REDIS_ERRORS
