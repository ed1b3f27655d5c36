"""The outbox's Redis Stream (DESIGN §5): publish, read, claim and acknowledge order events — the only code that
talks to Redis for the relay and the consumer.

Every Redis failure leaves here as a :class:`~boxoffice.errors.BackendUnavailable` with the driver's error chained;
a consumer group Redis lost (``NOGROUP``) as :class:`GroupMissing` (so the consumer makes it again).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import redis

from .redis_errors import redis_errors

#: entries kept in the stream (approximately): far more than a relay publishes while a consumer is away
MAX_LENGTH = 1_000_000



def stream_key(prefix: str) -> str:
    """One stream for all outbox messages; its own hash tag keeps it a single cluster slot."""
    return f"{prefix}:{{outbox}}:events"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class Outgoing:
    """One outbox row to publish."""

    id: int
    topic: str
    payload: Any  # the JSON value of the row
    created_at: datetime


@dataclass(frozen=True)
class Entry:
    """One stream entry as read: ``fields`` is None when the entry was trimmed away while pending."""

    stream_id: str
    fields: dict[str, str] | None

    def message_id(self) -> int:
        """The outbox row id (KeyError / ValueError when the entry does not carry a readable one)."""
        assert self.fields is not None
        return int(self.fields["id"])

    def payload(self) -> Any:
        """The event's JSON payload (KeyError / ValueError when it is missing or not JSON)."""
        assert self.fields is not None
        return json.loads(self.fields["payload"])


def _entries(items: Sequence[Any]) -> list[Entry]:
    return [Entry(_text(sid), None if f is None else {_text(k): _text(v) for k, v in f.items()}) for sid, f in items]


class EventStream:
    """The outbox stream of one installation (key prefix)."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self.key = stream_key(prefix)
        self._prefix = prefix

    def failures_key(self, group: str) -> str:
        return f"{self._prefix}:{{outbox}}:failures:{group}"

    # -- the relay ---------------------------------------------------------------------------------------------------
    @redis_errors()
    def publish(self, rows: Sequence[Outgoing]) -> None:
        """Append the rows in one pipelined round trip (not a transaction: consumers dedupe by message id)."""
        pipe = self._redis.pipeline(transaction=False)
        for row in rows:
            pipe.xadd(
                self.key,
                {"id": row.id, "topic": row.topic, "payload": json.dumps(row.payload),
                 "created_ms": int(row.created_at.timestamp() * 1000)},
                maxlen=MAX_LENGTH,
                approximate=True,
            )
        pipe.execute()

    @redis_errors()
    def length_and_pending(self, group: str) -> tuple[int, int]:
        """The stream's length and how many entries ``group`` read and did not acknowledge (0, 0 without a
        stream)."""
        try:
            length = int(self._redis.xlen(self.key))
            groups = {_text(g["name"]): g for g in self._redis.xinfo_groups(self.key)} if length else {}
        except redis.exceptions.ResponseError:
            return 0, 0
        return length, int(groups.get(group, {}).get("pending", 0))

    # -- the consumer ------------------------------------------------------------------------------------------------
    @redis_errors()
    def create_group(self, group: str) -> datetime | bool | None:
        """Make ``group`` (reading from the start) unless it exists. Returns False when it existed; otherwise the
        time of the stream's first entry (None for an empty stream): anything published before it is gone."""
        try:
            self._redis.xgroup_create(self.key, group, id="0", mkstream=True)
        except redis.exceptions.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
            return False
        first = self._redis.xrange(self.key, count=1)
        if not first:
            return None
        return datetime.fromtimestamp(int(_text(first[0][0]).split("-")[0]) / 1000, timezone.utc)

    @redis_errors()
    def read_pending(self, group: str, consumer: str, count: int) -> list[Entry]:
        """Entries delivered to ``consumer`` before and not acknowledged yet."""
        out: list[Entry] = []
        for _, items in self._redis.xreadgroup(group, consumer, {self.key: "0"}, count=count) or []:
            out += _entries(items)
        return out

    @redis_errors()
    def read_new(self, group: str, consumer: str, count: int, block_ms: int | None) -> list[Entry]:
        """Entries never delivered to the group, waiting up to ``block_ms`` for the first (None: not at all)."""
        out: list[Entry] = []
        for _, items in self._redis.xreadgroup(group, consumer, {self.key: ">"}, count=count, block=block_ms) or []:
            out += _entries(items)
        return out

    @redis_errors()
    def claim(self, group: str, consumer: str, idle_ms: int, count: int) -> list[Entry]:
        """Entries other consumers read and left unacknowledged for ``idle_ms``, now ``consumer``'s."""
        return _entries(self._redis.xautoclaim(self.key, group, consumer, idle_ms, "0-0", count=count)[1])

    @redis_errors()
    def ack(self, group: str, stream_ids: Sequence[str]) -> None:
        if stream_ids:
            self._redis.xack(self.key, group, *stream_ids)

    @redis_errors()
    def count_failure(self, group: str, stream_id: str) -> int:
        """One more failed try of an entry; returns how many it has had."""
        return int(self._redis.hincrby(self.failures_key(group), stream_id, 1))

    @redis_errors()
    def give_up(self, group: str, stream_id: str) -> None:
        """Acknowledge an entry that will never be applied and forget its failures."""
        self._redis.xack(self.key, group, stream_id)
        self._redis.hdel(self.failures_key(group), stream_id)
