"""``FakeEventStream``: the outbox stream adapter (:class:`boxoffice.adapters.stream.EventStream`) in memory, for unit
tests of the consumer.

Entries carry the fields the relay writes (``id``, ``topic``, ``payload`` as JSON); a consumer group delivers each
entry once to ``read_new`` and keeps it pending until ``ack`` / ``give_up``; ``claim`` hands over (to anyone, its
reader included, as XAUTOCLAIM does) what was delivered ``idle_ms`` ago or more by the clock (milliseconds, moved by
the test). Not modelled: trimming, blocking reads, several streams.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from boxoffice.adapters.stream import Entry, Outgoing
from tests.fakes.seatstore import FakeClock


class FakeEventStream:
    def __init__(self, clock: Callable[[], int] | None = None, key: str = "fake:{outbox}:stream") -> None:
        self.clock: Callable[[], int] = clock or FakeClock()
        self.key = key
        self.entries: list[tuple[str, dict[str, str]]] = []
        self.groups: dict[str, dict[str, Any]] = {}  # group -> {"next": index, "pending": {id: (consumer, ms)}}
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
        g = self.groups[group]
        mine = [sid for sid, (who, _) in g["pending"].items() if who == consumer][:count]
        for sid in mine:
            g["pending"][sid] = (consumer, self.clock())
        return [self._entry(sid) for sid in mine]

    def read_new(self, group: str, consumer: str, count: int, block_ms: int | None) -> list[Entry]:
        g = self.groups[group]
        fresh = self.entries[g["next"]: g["next"] + count]
        g["next"] += len(fresh)
        for sid, _ in fresh:
            g["pending"][sid] = (consumer, self.clock())
        return [self._entry(sid) for sid, _ in fresh]

    def claim(self, group: str, consumer: str, idle_ms: int, count: int) -> list[Entry]:
        g = self.groups[group]
        idle = [sid for sid, (_, ms) in g["pending"].items() if self.clock() - ms >= idle_ms][:count]
        for sid in idle:
            g["pending"][sid] = (consumer, self.clock())
        return [self._entry(sid) for sid in idle]

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
