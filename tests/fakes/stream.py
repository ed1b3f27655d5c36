"""``FakeEventStream``: the outbox stream adapter (:class:`boxoffice.adapters.stream.EventStream`) in memory, for unit
tests of the consumer.

Entries carry the fields the relay writes (``id``, ``topic``, ``payload`` as JSON); a consumer group delivers each
entry once to ``read_new`` and keeps it pending until ``ack`` / ``give_up``. Not modelled: idle times (``claim``
hands over every entry pending for another consumer at once), trimming, blocking reads, several streams.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from boxoffice.adapters.stream import Entry, Outgoing


class FakeEventStream:
    def __init__(self, key: str = "fake:{outbox}:stream") -> None:
        self.key = key
        self.entries: list[tuple[str, dict[str, str]]] = []
        self.groups: dict[str, dict[str, Any]] = {}  # group -> {"next": index, "pending": {stream id: consumer}}
        self.failures: dict[tuple[str, str], int] = {}
        self.acked: list[str] = []

    def add(self, message_id: int | str, topic: str, payload: Any) -> str:
        """Append an entry as the relay publishes it (``payload`` any JSON value; a str is taken as raw text)."""
        stream_id = f"{len(self.entries) + 1}-0"
        raw = payload if isinstance(payload, str) else json.dumps(payload)
        self.entries.append((stream_id, {"id": str(message_id), "topic": topic, "payload": raw}))
        return stream_id

    def publish(self, rows: Sequence[Outgoing]) -> None:
        for row in rows:
            self.add(row.id, row.topic, row.payload)

    def create_group(self, group: str) -> datetime | bool | None:
        if group in self.groups:
            return False
        self.groups[group] = {"next": 0, "pending": {}}
        return None

    def _entry(self, stream_id: str) -> Entry:
        fields = next((f for sid, f in self.entries if sid == stream_id), None)
        return Entry(stream_id, None if fields is None else dict(fields))

    def read_pending(self, group: str, consumer: str, count: int) -> list[Entry]:
        mine = [sid for sid, who in self.groups[group]["pending"].items() if who == consumer]
        return [self._entry(sid) for sid in mine[:count]]

    def read_new(self, group: str, consumer: str, count: int, block_ms: int | None) -> list[Entry]:
        g = self.groups[group]
        fresh = self.entries[g["next"]: g["next"] + count]
        g["next"] += len(fresh)
        for sid, _ in fresh:
            g["pending"][sid] = consumer
        return [self._entry(sid) for sid, _ in fresh]

    def claim(self, group: str, consumer: str, idle_ms: int, count: int) -> list[Entry]:
        g = self.groups[group]
        theirs = [sid for sid, who in g["pending"].items() if who != consumer][:count]
        for sid in theirs:
            g["pending"][sid] = consumer
        return [self._entry(sid) for sid in theirs]

    def ack(self, group: str, stream_ids: Sequence[str]) -> None:
        for sid in stream_ids:
            if self.groups[group]["pending"].pop(sid, None) is not None:
                self.acked.append(sid)

    def count_failure(self, group: str, stream_id: str) -> int:
        self.failures[(group, stream_id)] = self.failures.get((group, stream_id), 0) + 1
        return self.failures[(group, stream_id)]

    def give_up(self, group: str, stream_id: str) -> None:
        self.ack(group, [stream_id])
        self.failures.pop((group, stream_id), None)

    def pending(self, group: str) -> list[str]:
        return list(self.groups[group]["pending"])
