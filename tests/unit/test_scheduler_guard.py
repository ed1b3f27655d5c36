"""A scheduled job logs an outage when it starts and when it ends, not on every run (the relay runs 5 times a
second: an outage of 40 s used to write 200 identical errors)."""

from __future__ import annotations

import logging

from boxoffice.errors import BackendUnavailable
from boxoffice.scheduler import Outages, _guarded


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


def test_an_outage_is_logged_once_for_all_the_jobs_whatever_its_wording(caplog):
    """Several jobs fail the same outage in different words (refused, reset, timed out): one line when it starts,
    one when the last of them works again — not one per job, nor one per change of wording."""
    state = {"down": True, "n": 0}
    wordings = ["database unavailable: connection failed: Connection refused",
                "database unavailable: server closed the connection unexpectedly",
                "the database did not answer in time"]

    def job() -> None:
        if state["down"]:
            state["n"] += 1
            raise BackendUnavailable(wordings[state["n"] % len(wordings)])

    outages = Outages()
    jobs = [_guarded(name, job, outages) for name in ("outbox relay", "sales window", "database hold sweep")]
    with caplog.at_level(logging.DEBUG, logger="boxoffice.scheduler"):
        for _ in range(50):
            for guarded in jobs:
                guarded()
        state["down"] = False
        jobs[0]()
        jobs[1]()
        assert not [r for r in caplog.records if "working again" in r.getMessage() and r.levelno >= logging.WARNING]
        jobs[2]()
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 2, loud
    assert loud[0].startswith("outbox relay: database unavailable") and "logged again when they work" in loud[0]
    assert "working again" in loud[1] and "150 failed run(s)" in loud[1] and "database" in loud[1]


def test_a_redis_outage_and_a_database_outage_are_two_outages(caplog):
    from boxoffice.errors import GroupMissing

    errors = [BackendUnavailable("Redis unavailable: ConnectionError: Error 111"),
              BackendUnavailable("database unavailable: Connection refused"),
              GroupMissing("NOGROUP No such key")]
    outages = Outages()
    jobs = [_guarded(f"job {i}", (lambda exc=exc: (_ for _ in ()).throw(exc)), outages) for i, exc in
            enumerate(errors)]
    with caplog.at_level(logging.WARNING, logger="boxoffice.scheduler"):
        for guarded in jobs:
            guarded()
            guarded()
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["job 0", "job 1"]
