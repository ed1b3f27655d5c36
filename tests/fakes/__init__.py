"""In-memory fakes of the adapters, for unit tests only (integration tests run on the real servers).

Each fake has a contract test in ``tests/contract`` that runs the same cases against the fake and the real adapter.
"""

from tests.fakes.repos import FakeDatabase, FakeUnitOfWork
from tests.fakes.seatstore import FakeClock, FakeSeatStore
from tests.fakes.stream import FakeEventStream

__all__ = ["FakeClock", "FakeDatabase", "FakeEventStream", "FakeSeatStore", "FakeUnitOfWork"]
