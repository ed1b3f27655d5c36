"""One error hierarchy for the whole application.

Every error a user can meet is a :class:`BoxOfficeError`. The CLI maps each class to an exit code and one readable
line; the UI maps each class to a message in one place. Backend failures are wrapped as :class:`BackendUnavailable`
with the cause chained.
"""

from __future__ import annotations

from collections.abc import Sequence


class BoxOfficeError(Exception):
    """Base of every error the application reports to a person."""

    exit_code = 1
    code = "error"

    def as_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": str(self)}


class BadInput(BoxOfficeError):
    """The request itself is wrong (unknown seat label, bad number, malformed file)."""

    exit_code = 2
    code = "bad_input"


class LayoutError(BadInput):
    """A venue layout file is malformed; the message names the file and the JSON path."""

    code = "bad_layout"


class NotFound(BadInput):
    """A referenced object (venue, session, order, user) does not exist."""

    code = "not_found"


class SeatsUnavailable(BoxOfficeError):
    """Some requested seats are taken (held, sold or blocked)."""

    exit_code = 3
    code = "seats_unavailable"

    def __init__(self, seats: Sequence[str], message: str | None = None) -> None:
        self.seats = tuple(seats)
        super().__init__(message or "seats unavailable: " + ", ".join(self.seats))

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "seats": list(self.seats)}


class SeatsTaken(SeatsUnavailable):
    """The seat store refused seats another sale holds or sold (or the layout blocks): ``indices`` are their seat
    indices, ``seats`` their labels (the indices as text where the caller gave the store no labels)."""

    def __init__(self, indices: Sequence[int], seats: Sequence[str] | None = None) -> None:
        self.indices = tuple(indices)
        super().__init__([str(i) for i in self.indices] if seats is None else seats)


class NoAdjacentSeats(SeatsUnavailable):
    """Best available found no run of adjacent free seats (stock may remain elsewhere)."""


class SaleRefused(BoxOfficeError):
    """The inventory refused the sale before any seat was touched (exit code 4)."""

    exit_code = 4
    code = "refused"


class SoldOut(SaleRefused):
    """Free stock is below the number of seats wanted."""

    code = "sold_out"


class NotOnSale(SaleRefused):
    """The session is closed or not (yet) known to the inventory."""

    code = "not_on_sale"


class RedisEmpty(NotOnSale):
    """The session has no seat map in Redis (flushed, or never warmed): the seat store answers this before anything
    else, and the caller rebuilds the map from the database and tries again."""

    def __init__(self, session_id: int) -> None:
        super().__init__(session_id)
        self.session_id = session_id

    def __str__(self) -> str:
        return f"session {self.session_id} has no seat map in Redis"


class SalesClosed(NotOnSale):
    """The session's sales window has closed (its close time passed, or a supervisor closed it)."""

    code = "sales_closed"

    def __init__(self, message: str = "sales for this session are closed") -> None:
        super().__init__(message)


class GateFull(SaleRefused):
    """Too many outstanding order tokens for the remaining stock; retry shortly."""

    code = "gate_full"


class TokenInvalid(SaleRefused):
    """The order token is unknown, used, for another session or from before a cache rebuild."""

    code = "token_invalid"


class TokenStale(TokenInvalid):
    """The token or its hold is from before a rebuild of the seat map (another epoch): its seats may have been
    given to someone else since, so it can no longer finish a sale."""

    code = "token_stale"

    def __init__(self, message: str = "the seat map was rebuilt; select the seats again") -> None:
        super().__init__(message)


class TokenUsed(TokenInvalid):
    """The token was already spent on a deduction; its hold tells what became of it."""

    code = "token_used"


class TokenExpired(TokenInvalid):
    """The order token's time to live has passed."""

    code = "token_expired"


class TokenForeign(TokenInvalid):
    """The token is another sale's: another clerk's, or for other seats or another number of seats. It resumes only
    its own clerk's sale with the same session and seats."""

    code = "token_foreign"

    def __init__(self, message: str = "this token belongs to another sale") -> None:
        super().__init__(message)


class TokenOrderCancelled(TokenInvalid):
    """The token's order exists but was cancelled: resuming it sells nothing and returns nothing; ``--json`` carries
    the order's ``status`` ("cancelled") and id."""

    code = "order_cancelled"

    def __init__(self, order_id: int, status: str = "cancelled") -> None:
        self.order_id, self.status = order_id, status
        super().__init__(f"the sale under this token is order {order_id}, which was {status}; start a new sale")

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "status": self.status, "order_id": self.order_id}


class BackendUnavailable(BoxOfficeError):
    """PostgreSQL or Redis cannot be reached or did not answer in time."""

    exit_code = 5
    code = "backend_unavailable"




class RedisUnreachable(BackendUnavailable):
    """Redis did not answer at all (connection refused, reset or closed, a timeout, still loading its data) — as
    opposed to a refused command or a script error. Degraded mode starts on this one only."""

    code = "redis_unreachable"

class GroupMissing(BackendUnavailable):
    """The consumer group (or the whole stream) is gone: Redis lost its data. Make the group again."""

    code = "stream_group_missing"


class DatabaseUnreachable(BackendUnavailable):
    """PostgreSQL could not be reached before anything was sent to it (connect refused, pool checkout failed): the
    request certainly did nothing there, so whatever it took in Redis can be given back at once."""

    code = "database_unreachable"


class LockTimeout(BackendUnavailable):
    """The seat rows stayed locked by another transaction longer than the lock timeout."""

    code = "lock_timeout"


class PermissionDenied(BoxOfficeError):
    """The acting user's role does not allow this operation (exit code 7, like every sign-in refusal)."""

    exit_code = 7
    code = "permission_denied"


class NotSignedIn(BoxOfficeError):
    """No valid sign-in: none made, or its CLI session expired, was revoked or its token is not one we issued."""

    exit_code = 7
    code = "not_signed_in"

    def __init__(self, message: str = "not signed in: sign in with `boxoffice login`") -> None:
        super().__init__(message)


class AuthenticationFailed(BoxOfficeError):
    """Unknown user or wrong password (deliberately not saying which)."""

    exit_code = 7
    code = "authentication_failed"


class AccountLocked(AuthenticationFailed):
    """Too many failed logins in a row; the account opens again after the lockout period."""

    code = "account_locked"
