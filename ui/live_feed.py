"""The live seat map's feed: one session's changes read through the FrontDesk on a worker thread.

A :class:`LiveFeed` is a QObject moved to a QThread of its own (a blocking read of up to a quarter of a second at a
time would hold a pool thread of the task runner for the window's whole life). It emits, on its thread, and Qt
delivers on the GUI thread:

- ``resynced(Snapshot)``: start again from this picture (at start, after a gap, a rebuild, a reconnect);
- ``changed(list[MapChange])``: changes in order;
- ``failed(str)``: a read failed (Redis does not answer): the map is not live; the feed retries every second;
- ``recovered()``: a read succeeded again after failures.

:meth:`LiveFeed.stop` never waits: it asks the loop to end after its current read, and the thread ends on its own.
Feeds that are still finishing are kept alive here (a QThread must not be destroyed while it runs); the process
waits for them once at exit (:func:`wait_for_feeds`).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from boxoffice.errors import BoxOfficeError
from boxoffice.services.frontdesk import FrontDesk
from boxoffice.services.livemap import MapChange, Resync

from .messages import describe

log = logging.getLogger(__name__)

#: feeds whose thread has not finished yet (stopped or not): kept referenced until it has
_RUNNING: set[LiveFeed] = set()
_RUNNING_LOCK = threading.Lock()


class _Keeper(QObject):
    """Lives on the GUI thread: told (queued) when a feed's thread finished, it lets go of the feeds that are done
    — there, not on the finishing thread, where dropping the last reference would destroy a running QThread."""

    @Slot()
    def reap(self) -> None:
        with _RUNNING_LOCK:
            done = [f for f in _RUNNING if f.stopping and f.thread_.wait(100)]
            _RUNNING.difference_update(done)


_keeper: _Keeper | None = None


def _the_keeper() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    return _keeper


class LiveFeed(QObject):
    """Follows one session through ``desk`` on its own thread (see the module docstring)."""

    resynced = Signal(object)
    changed = Signal(object)
    failed = Signal(str)
    recovered = Signal()

    #: the longest a read waits for the first change (and so the longest the loop takes to see a stop request
    #: while Redis answers)
    BLOCK_MS = 250
    #: after a failed read, the next one starts this much later
    RETRY_S = 1.0

    def __init__(self, desk: FrontDesk, session_id: int, *, note_outage: bool = True) -> None:
        super().__init__()  # no parent: it moves to its own thread, and outlives its window while it finishes
        self.desk, self.session_id, self.note_outage = desk, session_id, note_outage
        self._stop = threading.Event()
        #: reads started and failed so far (tests and diagnostics read them)
        self.reads = 0
        self.failures = 0
        self.thread_ = QThread()
        self.thread_.setObjectName(f"live-feed-{session_id}")
        self.moveToThread(self.thread_)
        self.thread_.started.connect(self.run)  # direct: started is emitted on the feed's thread, where it lives
        self.thread_.finished.connect(_the_keeper().reap)  # queued to the GUI thread

    def start(self) -> None:
        with _RUNNING_LOCK:
            _RUNNING.add(self)
        self.thread_.start()

    def stop(self) -> None:
        """Ask the feed to end after its current read; returns at once (nothing is delivered after the window that
        owned the receivers is gone: Qt drops queued signals to deleted receivers)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def is_running(self) -> bool:
        return self.thread_.isRunning()

    @Slot()
    def run(self) -> None:
        """The loop, on the feed's thread; the thread ends with it, whatever happens."""
        try:
            self._loop()
        finally:
            self._stop.set()
            self.thread_.quit()

    def _loop(self) -> None:
        follower = self.desk.follow(self.session_id)
        failing = False
        while not self._stop.is_set():
            self.reads += 1
            try:
                events = self.desk.read_map(follower, self.BLOCK_MS, note_outage=self.note_outage)
            except BoxOfficeError as exc:
                self.failures += 1
                failing = True
                if not self._stop.is_set():
                    self.failed.emit(describe(exc)[1])  # in the window's language
                self._stop.wait(self.RETRY_S)
                continue
            except Exception:  # a bug: say so in the log and on the window, and keep trying like for an outage
                log.exception("live feed of session %s: read failed", self.session_id)
                self.failures += 1
                failing = True
                if not self._stop.is_set():
                    self.failed.emit(QCoreApplication.translate(
                        "LiveFeed", "the live map's read failed unexpectedly (see the log)"))
                self._stop.wait(self.RETRY_S)
                continue
            if self._stop.is_set():
                break
            if failing:
                failing = False
                self.recovered.emit()
            changes = [e for e in events if isinstance(e, MapChange)]
            for e in events:
                if isinstance(e, Resync):
                    self.resynced.emit(e.snapshot)
            if changes:
                self.changed.emit(changes)


def running_feeds() -> int:
    """How many feeds' threads have not finished yet."""
    with _RUNNING_LOCK:
        return len(_RUNNING)


def wait_for_feeds(timeout_ms: int = 10_000) -> bool:
    """At the end of the process (never from a window): stop every feed and wait for their threads. True when all
    finished in time."""
    with _RUNNING_LOCK:
        feeds = list(_RUNNING)
    for feed in feeds:
        feed.stop()
    done = all(feed.thread_.wait(timeout_ms) for feed in feeds)
    with _RUNNING_LOCK:
        _RUNNING.difference_update(f for f in feeds if f.thread_.isFinished())
    return done
