"""Named failpoints for crash and failure tests (DESIGN §9).

``BOXOFFICE_FAILPOINTS="sale.before_commit=raise,relay.after_publish=exit"`` arms failpoints in a process; tests in
the same process use :func:`armed`. Actions: ``raise`` (raise :class:`FailpointHit`), ``exit`` (``os._exit(86)``,
a crash without cleanup), ``sleep:<seconds>``. Unarmed failpoints cost one dict lookup.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

_armed: dict[str, str] = {}


class FailpointHit(RuntimeError):
    pass


def _load(spec: str) -> dict[str, str]:
    out = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, action = item.partition("=")
        out[name.strip()] = action.strip() or "raise"
    return out


_armed.update(_load(os.environ.get("BOXOFFICE_FAILPOINTS", "")))


def failpoint(name: str) -> None:
    action = _armed.get(name)
    if action is None:
        return
    if action == "exit":
        os._exit(86)
    if action.startswith("sleep:"):
        time.sleep(float(action.split(":", 1)[1]))
        return
    raise FailpointHit(name)


@contextmanager
def armed(name: str, action: str = "raise") -> Iterator[None]:
    previous = _armed.get(name)
    _armed[name] = action
    try:
        yield
    finally:
        if previous is None:
            _armed.pop(name, None)
        else:
            _armed[name] = previous
