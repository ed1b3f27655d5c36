"""The stream adapter turns every Redis failure into the project's errors: NOGROUP → GroupMissing (the consumer makes
the group again), anything else → BackendUnavailable with the driver's error chained (one log line per outage)."""

from __future__ import annotations

import pytest
import redis

from boxoffice.adapters.stream import EventStream, stream_key
from boxoffice.errors import BackendUnavailable, GroupMissing


class _Failing:
    """A Redis client whose every command raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, name: str):
        def command(*_args, **_kwargs):
            raise self.error

        return command


def test_stream_key_is_one_cluster_slot() -> None:
    assert stream_key("bo") == "bo:{outbox}:events"


def test_a_lost_group_is_group_missing() -> None:
    stream = EventStream(_Failing(redis.exceptions.ResponseError("NOGROUP No such key")), "bo")  # type: ignore[arg-type]
    with pytest.raises(GroupMissing) as caught:
        stream.read_new("inventory", "c1", 10, None)
    assert isinstance(caught.value, BackendUnavailable)
    assert isinstance(caught.value.__cause__, redis.exceptions.ResponseError)


@pytest.mark.parametrize("error", [redis.exceptions.ConnectionError("Connection refused"),
                                   redis.exceptions.TimeoutError("Timeout reading from socket"),
                                   redis.exceptions.ResponseError("WRONGTYPE Operation against a key")])
@pytest.mark.parametrize("call", [
    lambda s: s.read_pending("inventory", "c1", 10),
    lambda s: s.claim("inventory", "c1", 1000, 10),
    lambda s: s.ack("inventory", ["1-0"]),
    lambda s: s.count_failure("inventory", "1-0"),
    lambda s: s.give_up("inventory", "1-0"),
    lambda s: s.create_group("inventory"),
], ids=["read_pending", "claim", "ack", "count_failure", "give_up", "create_group"])
def test_every_redis_error_is_backend_unavailable(error: Exception, call) -> None:
    stream = EventStream(_Failing(error), "bo")  # type: ignore[arg-type]
    with pytest.raises(BackendUnavailable) as caught:
        call(stream)
    assert not isinstance(caught.value, GroupMissing)
    assert caught.value.__cause__ is error


def test_a_failed_publish_is_backend_unavailable() -> None:
    class _Pipe:
        def xadd(self, *_a, **_k) -> None:
            pass

        def execute(self) -> None:
            raise redis.exceptions.ConnectionError("Connection reset by peer")

    class _Client:
        def pipeline(self, transaction: bool) -> _Pipe:
            assert transaction is False
            return _Pipe()

    from datetime import datetime, timezone

    from boxoffice.adapters.stream import Outgoing

    stream = EventStream(_Client(), "bo")  # type: ignore[arg-type]
    with pytest.raises(BackendUnavailable, match="Connection reset"):
        stream.publish([Outgoing(1, "OrderPlaced", {"order_id": 1}, datetime.now(timezone.utc))])
