"""Window tests: feeds that are still finishing their last read when the run ends are waited for once, as main.py does
at exit (a QThread destroyed while it runs aborts the process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _feeds_finish_before_exit() -> Iterator[None]:
    yield
    from ui.live_feed import wait_for_feeds

    assert wait_for_feeds(15_000), "a live feed's thread did not finish"
