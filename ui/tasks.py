"""Service calls off the GUI thread, results back by signal (the Anki ``QueryOp`` pattern).

An op is a plain callable that touches no widget. Its result or its exception is delivered on the GUI thread through
the runner's signals, so slots may update widgets directly. Nobody waits for an op: a window closed (and deleted)
while its op runs is simply not called back — the runner skips the callbacks of an ``owner`` that is gone (by default
the QObject whose bound method ``on_done`` is).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)


class _Op(QRunnable):
    def __init__(self, op_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.op_id, self.fn, self.relay = op_id, fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread, shown by ui.messages
            self.relay.failed.emit(self.op_id, exc)
        else:
            self.relay.finished.emit(self.op_id, result)


class TaskRunner(QObject):
    """Runs ops on a thread pool; ``busy_changed`` tells whether any op is in flight."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self.on_op_finished)
        self._relay.failed.connect(self.on_op_failed)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._owners: dict[int, QObject] = {}
        self._quiet: set[int] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        quiet: bool = False,
        owner: QObject | None = None,
    ) -> int:
        """Run ``fn`` on the pool; ``quiet`` ops (periodic refreshes) do not count as busy. The callbacks are skipped
        when ``owner`` (default: the QObject of a bound-method ``on_done``) was deleted before the op finished."""
        op_id = next(self._ids)
        self._pending[op_id] = (on_done, on_error)
        owner = owner if owner is not None else getattr(on_done, "__self__", None)
        if isinstance(owner, QObject):
            self._owners[op_id] = owner
        if quiet:
            self._quiet.add(op_id)
        elif len(self._pending) - len(self._quiet) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Op(op_id, fn, self._relay))
        return op_id

    @property
    def busy(self) -> bool:
        return len(self._pending) > len(self._quiet)

    def _pop(self, op_id: int) -> tuple[Callable[[Any], None], Callable[[BaseException], None]] | None:
        callbacks = self._pending.pop(op_id)
        owner = self._owners.pop(op_id, None)
        if op_id in self._quiet:
            self._quiet.discard(op_id)
        elif not self.busy:
            self.busy_changed.emit(False)
        if owner is not None and not isValid(owner):
            log.debug("op %s finished after its window was deleted: not delivered", op_id)
            return None
        return callbacks

    @Slot(int, object)
    def on_op_finished(self, op_id: int, result: object) -> None:
        callbacks = self._pop(op_id)
        if callbacks is not None:
            callbacks[0](result)

    @Slot(int, object)
    def on_op_failed(self, op_id: int, exc: object) -> None:
        assert isinstance(exc, BaseException)
        callbacks = self._pop(op_id)
        if callbacks is not None:
            callbacks[1](exc)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """At the end of the process (never from a window): let the ops in flight finish."""
        self.pool.waitForDone(timeout_ms)
