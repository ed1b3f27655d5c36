"""In-memory fakes of the adapters, for unit tests only (integration tests run on the real servers).

Each fake has a contract test in ``tests/contract`` that runs the same cases against the fake and the real adapter.
"""

from tests.fakes.seatstore import FakeClock, FakeSeatStore

__all__ = ["FakeClock", "FakeSeatStore"]
