"""A scheduled job logs an outage when it starts and when it ends, not on every run (the relay runs 5 times a
second: an outage of 40 s used to write 200 identical errors)."""

from __future__ import annotations

import logging

from boxoffice.errors import BackendUnavailable
from boxoffice.scheduler import _guarded


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(caplog):
    state = {"down": True}

    def job() -> None:
        if state["down"]:
            raise BackendUnavailable("Redis unavailable: ConnectionError: Connection refused")

    guarded = _guarded("outbox relay", job)
    with caplog.at_level(logging.DEBUG, logger="boxoffice.scheduler"):
        for _ in range(200):
            guarded()
        state["down"] = False
        guarded()
        guarded()
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 2, [r.getMessage() for r in loud]
    assert "Connection refused" in loud[0].getMessage()
    assert "working again" in loud[1].getMessage() and "200 failed run(s)" in loud[1].getMessage()


def test_a_different_error_during_an_outage_is_logged_too(caplog):
    errors = iter([BackendUnavailable("Redis unavailable"), BackendUnavailable("Redis unavailable"),
                   ValueError("a bug")])

    def job() -> None:
        raise next(errors)

    guarded = _guarded("inventory consumer", job)
    with caplog.at_level(logging.WARNING, logger="boxoffice.scheduler"):
        for _ in range(3):
            guarded()
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.ERROR]
    assert caplog.records[1].exc_info is not None  # an unexpected error keeps its stack trace
