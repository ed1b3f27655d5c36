"""Redis driver errors become BackendUnavailable in one place (adapters/redis_errors.py), with the cause kept."""

from __future__ import annotations

import pytest
import redis.exceptions

from boxoffice.adapters.redis_errors import redis_errors
from boxoffice.errors import BackendUnavailable, BoxOfficeError


@redis_errors()
def _raises(exc: BaseException) -> None:
    raise exc


@pytest.mark.parametrize("driver_error, message", [
    (redis.exceptions.ConnectionError("Connection refused"), "Redis unavailable: ConnectionError: Connection refused"),
    (redis.exceptions.TimeoutError("Timeout reading"), "Redis unavailable: TimeoutError: Timeout reading"),
    (redis.exceptions.ResponseError("ERR unknown command"), "Redis refused a command: ERR unknown command"),
])
def test_a_driver_error_becomes_backend_unavailable_with_its_cause(driver_error, message):
    with pytest.raises(BackendUnavailable) as info:
        _raises(driver_error)
    assert str(info.value) == message and info.value.__cause__ is driver_error
    with pytest.raises(BackendUnavailable) as info:
        with redis_errors():
            raise driver_error
    assert str(info.value) == message and info.value.__cause__ is driver_error


def test_other_errors_pass_unchanged():
    for other in (ValueError("x"), BackendUnavailable("already ours"), KeyboardInterrupt()):
        with pytest.raises(type(other)) as info:
            _raises(other)
        assert info.value is other
        with pytest.raises(type(other)) as info:
            with redis_errors():
                raise other
        assert info.value is other
    assert _raises.__name__ == "_raises"
    with redis_errors():
        pass


def test_the_error_is_one_the_application_reports():
    assert issubclass(BackendUnavailable, BoxOfficeError)

