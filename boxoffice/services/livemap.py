"""Following one session's seat map live: a snapshot, then every change in order (DESIGN §3 change stream).

Every change to a session's seats bumps its version by one and appends ``{v, op, seats}`` to the session's stream,
in the same script. A follower reads the snapshot and the stream position atomically, then applies changes while
their versions follow on; a version gap (trimmed stream, missed entries), a rebuild or repair, or a reconnect makes it take a
fresh snapshot instead. No Qt here: the clerk window runs :meth:`LiveMap.poll` on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.seatstore import SeatStore, Snapshot
from ..errors import BackendUnavailable

#: ops that set seats taken, and ops that free them
TAKING = frozenset({"hold", "sold"})
FREEING = frozenset({"release", "free"})
#: ops after which a follower takes a fresh snapshot: a rebuild, or a reconciliation repair (seats either way)
RESYNCING = frozenset({"rebuild", "repair"})


@dataclass(frozen=True)
class MapChange:
    version: int
    op: str
    seats: tuple[int, ...]

    @property
    def taken(self) -> bool:
        return self.op in TAKING


@dataclass(frozen=True)
class Resync:
    """Start again from this snapshot (after a gap, a rebuild or a reconnect)."""

    snapshot: Snapshot
    reason: str


class LiveMap:
    def __init__(self, store: SeatStore, session_id: int) -> None:
        self.store = store
        self.session_id = session_id
        self.version = -1
        self.position = "0-0"
        self._stale = True

    def snapshot(self) -> Snapshot:
        """Take the picture and the stream position it corresponds to."""
        snap, self.position = self.store.snapshot_with_position(self.session_id)
        self.version = snap.version
        self._stale = False
        return snap

    def poll(self, block_ms: int = 1000) -> list[MapChange | Resync]:
        """Changes since the last call, waiting up to ``block_ms`` for the first; a :class:`Resync` replaces them
        whenever the follower cannot prove it saw every change."""
        if self._stale:
            reason = "start" if self.version < 0 else "reconnect"
            return [Resync(self.snapshot(), reason)]
        try:
            entries = self.store.read_changes(self.session_id, self.position, block_ms)
        except BackendUnavailable:
            self._stale = True  # whatever happened while we were cut off, the next poll starts from a snapshot
            raise
        out: list[MapChange | Resync] = []
        for entry_id, version, op, seats in entries:
            if version <= self.version:  # already in the snapshot
                self.position = entry_id
                continue
            if op in RESYNCING or version != self.version + 1:
                reason = op if op in RESYNCING else f"gap: version {self.version} then {version}"
                return [Resync(self.snapshot(), reason)]
            self.version, self.position = version, entry_id
            out.append(MapChange(version, op, tuple(int(i) for i in seats.split(",") if i)))
        return out
