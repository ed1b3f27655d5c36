"""One error hierarchy for the whole application.

Every error a user can meet is a :class:`BoxOfficeError`. It carries a ``code`` (its class's: the CLI's ``--json``
``error`` field and exit code) and, for the words a person reads, a ``reason`` (a key of :data:`REASONS`) with its
``params``. ``str(exc)`` is the English text (the CLI and the logs print it); the UI translates the reason's template
and fills in the params (ui/messages.py), so a window speaks the clerk's language. Backend failures are wrapped as
:class:`BackendUnavailable` with the cause chained.
"""

from __future__ import annotations

from collections.abc import Sequence


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate collects
    """Marks ``text`` for translation under ``context`` (lupdate reads this file; nothing here imports Qt)."""
    return text


#: The English templates of every reason an error can give, by reason key. ``str.format`` fields are the error's
#: ``params`` (already text or numbers: a list of seats arrives joined). The UI translates the template in context
#: "errors"; the translation keeps the same fields (a test checks).
REASONS: dict[str, str] = {
    # sign-in and roles
    "sign_in_refused": QT_TRANSLATE_NOOP("errors", "unknown user or wrong password, or the account is locked for a "
                                                   "while"),
    "user_unknown": QT_TRANSLATE_NOOP("errors", "no user named {username!r}"),
    "user_deactivated": QT_TRANSLATE_NOOP("errors", "user {username!r} is deactivated"),
    "needs_supervisor": QT_TRANSLATE_NOOP("errors", "user {username!r} ({role}) may not do this: it needs a "
                                                    "supervisor"),
    "supervisor_screen": QT_TRANSLATE_NOOP("errors", "user {username!r} ({role}) may not open the supervisor screen"),
    "role_refused": QT_TRANSLATE_NOOP("errors", "user {username!r} ({role}) may not do this"),
    "not_a_supervisor": QT_TRANSLATE_NOOP("errors", "{username!r} is not a supervisor: this needs a supervisor's "
                                                    "name and password"),
    "add_user_needs_supervisor": QT_TRANSLATE_NOOP("errors", "adding a user needs a signed-in supervisor: sign in "
                                                             "with `boxoffice login`"),
    "first_user_supervisor": QT_TRANSLATE_NOOP("errors", "this database has no supervisor yet: add the first one "
                                                         "with `boxoffice user add NAME --role supervisor`"),
    "bad_username": QT_TRANSLATE_NOOP("errors", "a user name is 2–32 lower-case letters, digits, '.', '_' or '-', "
                                                "starting with a letter"),
    "bad_role": QT_TRANSLATE_NOOP("errors", "role must be one of {roles}, not {role!r}"),
    "unknown_role": QT_TRANSLATE_NOOP("errors", "unknown role {role!r}"),
    "short_password": QT_TRANSLATE_NOOP("errors", "a password needs at least {minimum} characters"),
    "user_exists": QT_TRANSLATE_NOOP("errors", "user {username!r} exists already"),
    "not_signed_in": QT_TRANSLATE_NOOP("errors", "not signed in: sign in with `boxoffice login`"),
    # orders: look-up, cancel, exchange
    "order_not_found": QT_TRANSLATE_NOOP("errors", "no order with id {order_id}"),
    "order_number_not_found": QT_TRANSLATE_NOOP("errors", "no order with number {number}"),
    "order_query_empty": QT_TRANSLATE_NOOP("errors", "type an order number, a token, a seat label, or a customer's "
                                                     "name or phone"),
    "order_query_too_long": QT_TRANSLATE_NOOP("errors", "type an order number, a token, a seat label, or a "
                                                        "customer's name or phone (at most 200 characters)"),
    "seat_never_sold": QT_TRANSLATE_NOOP("errors", "seat {seat} has never been sold in this session"),
    "order_query_not_found": QT_TRANSLATE_NOOP("errors", "no order with number, token or seat {query!r}"),
    "cancel_needs_reason": QT_TRANSLATE_NOOP("errors", "a cancellation needs a reason"),
    "order_status": QT_TRANSLATE_NOOP("errors", "order {order_id} is {status}"),
    "cancel_needs_supervisor": QT_TRANSLATE_NOOP("errors", "cancelling order {order_id} needs a supervisor: a clerk "
                                                           "cancels alone only orders they sold themselves today"),
    "exchange_count": QT_TRANSLATE_NOOP("errors", "an exchange keeps the number of seats: the order has {old}, "
                                                  "{new} named"),
    "exchange_kept": QT_TRANSLATE_NOOP("errors", "order {order_id} already has {seats}; name only seats it does not "
                                                 "have yet"),
    "session_status": QT_TRANSLATE_NOOP("errors", "session {session_id} is {status}"),
    "order_changed": QT_TRANSLATE_NOOP("errors", "order {order_id} changed meanwhile; look it up again"),
    # selling
    "seats_unavailable": QT_TRANSLATE_NOOP("errors", "seats unavailable: {seats}"),
    "seat_already_sold": QT_TRANSLATE_NOOP("errors", "a seat of this order is already sold (database check)"),
    "seat_blocked": QT_TRANSLATE_NOOP("errors", "{seats} is blocked (not for sale)"),
    "seats_blocked": QT_TRANSLATE_NOOP("errors", "{seats} are blocked (not for sale)"),
    "no_adjacent": QT_TRANSLATE_NOOP("errors", "no {count} adjacent free seats"),
    "no_adjacent_in_zone": QT_TRANSLATE_NOOP("errors", "no {count} adjacent free seats in zone {zone}"),
    "best_kept_taken": QT_TRANSLATE_NOOP("errors", "the best {count} seats kept being taken by other sales; try "
                                                   "again"),
    "best_not_whole": QT_TRANSLATE_NOOP("errors", "best available needs a whole number of seats"),
    "best_range": QT_TRANSLATE_NOOP("errors", "best available takes 1 to {maximum} seats, not {count}"),
    "bad_payment": QT_TRANSLATE_NOOP("errors", "payment must be one of {methods}, not {payment!r}"),
    "tendered_not_cash": QT_TRANSLATE_NOOP("errors", "the cash given is for cash payments only"),
    "cash_short": QT_TRANSLATE_NOOP("errors", "the cash given ({tendered}) does not cover the total {total}"),
    "seats_or_best": QT_TRANSLATE_NOOP("errors", "name the seats or ask for the best N, not both and not neither"),
    "unknown_zone": QT_TRANSLATE_NOOP("errors", "unknown zone {zone!r}; this venue has {known}"),
    "no_seats_named": QT_TRANSLATE_NOOP("errors", "no seats named"),
    "too_many_seats": QT_TRANSLATE_NOOP("errors", "at most {maximum} seats per order ({count} named)"),
    "ambiguous_label": QT_TRANSLATE_NOOP("errors", "seat label {label!r} is ambiguous in {venue}: type it exactly "
                                                   "({twins})"),
    "unknown_labels": QT_TRANSLATE_NOOP("errors", "unknown seat label(s) for {venue}: {labels}"),
    "unknown_label": QT_TRANSLATE_NOOP("errors", "unknown seat label {label!r} for {venue}"),
    "seat_named_twice": QT_TRANSLATE_NOOP("errors", "{seat} is named twice"),
    "seat_index_outside": QT_TRANSLATE_NOOP("errors", "seat index {index} is outside {venue}"),
    "sales_closed": QT_TRANSLATE_NOOP("errors", "sales for this session are closed"),
    "sales_not_open": QT_TRANSLATE_NOOP("errors", "sales for session {session_id} are not open yet"),
    "redis_empty": QT_TRANSLATE_NOOP("errors", "session {session_id} has no seat map in Redis"),
    "token_unknown": QT_TRANSLATE_NOOP("errors", "unknown order token"),
    "token_foreign": QT_TRANSLATE_NOOP("errors", "this token belongs to another sale"),
    "token_stale": QT_TRANSLATE_NOOP("errors", "the seat map was rebuilt; select the seats again"),
    "token_expired": QT_TRANSLATE_NOOP("errors", "the order token has expired; start the sale again"),
    "token_used": QT_TRANSLATE_NOOP("errors", "the order token was already used"),
    "token_wrong_session": QT_TRANSLATE_NOOP("errors", "the order token does not belong to session {session_id}"),
    "token_wrong_count": QT_TRANSLATE_NOOP("errors", "the order token was issued for {issued} seats, not {wanted}"),
    "seats_wanted_bad": QT_TRANSLATE_NOOP("errors", "seats wanted must be a positive whole number, not {wanted!r}"),
    "seat_index_bad": QT_TRANSLATE_NOOP("errors", "seat index {index} is repeated or outside session {session_id}"),
    # the seat store's answers about a clerk's hold
    "hold_over": QT_TRANSLATE_NOOP("errors", "the hold is over ({state}); select the seats again"),
    "hold_expired": QT_TRANSLATE_NOOP("errors", "the hold has expired; select the seats again"),
    "hold_foreign": QT_TRANSLATE_NOOP("errors", "this hold is another clerk's"),
    "hold_extend_limit": QT_TRANSLATE_NOOP("errors", "this hold was already extended {times} times; sell the seats "
                                                     "or give them back"),
    "token_hold_ended": QT_TRANSLATE_NOOP("errors", "the hold under this token was {state}; start again"),
    "token_no_seats": QT_TRANSLATE_NOOP("errors", "this token has no held seats; name the seats to use it"),
    "token_without_order": QT_TRANSLATE_NOOP("errors", "the sale under this token was {state} without an order; "
                                                       "start again"),
    "order_cancelled": QT_TRANSLATE_NOOP("errors", "the sale under this token is order {order_id}, which was "
                                                   "{status}; start a new sale"),
    # the servers
    "map_not_live_held": QT_TRANSLATE_NOOP("errors", "the seat map is not live and these seats are held in it: press "
                                                     "Enter again once it is back (usually within seconds), or Esc "
                                                     "and select the seats again to sell them from the database"),
    "db_down_held": QT_TRANSLATE_NOOP("errors", "the database could not be reached, so nothing was sold; the seats "
                                                "stay held for this customer: sell again (token {token}) when it "
                                                "answers ({detail})"),
    "db_down_released": QT_TRANSLATE_NOOP("errors", "the database could not be reached, so nothing was sold and the "
                                                    "seats were given back; sell again when it answers ({detail})"),
    "sale_outcome_unknown": QT_TRANSLATE_NOOP("errors", "the database did not answer, so whether this sale was saved "
                                                        "is unknown; its seats stay held and are settled as soon as "
                                                        "the database answers again; retry with token {token} to "
                                                        "finish this sale"),
    "token_unreadable": QT_TRANSLATE_NOOP("errors", "order token {token} is in use, but its order could not be read "
                                                    "back"),
    "rebuild_in_progress": QT_TRANSLATE_NOOP("errors", "another process is still rebuilding the seat maps after an "
                                                       "outage"),
    "redis_unreachable": QT_TRANSLATE_NOOP("errors", "Redis unreachable"),
    "redis_unavailable": QT_TRANSLATE_NOOP("errors", "Redis unavailable: {detail}"),
    "redis_refused": QT_TRANSLATE_NOOP("errors", "Redis refused a command: {detail}"),
    "redis_group_missing": QT_TRANSLATE_NOOP("errors", "Redis stream group missing: {detail}"),
    "db_unavailable": QT_TRANSLATE_NOOP("errors", "database unavailable: {detail}"),
    "db_unreachable": QT_TRANSLATE_NOOP("errors", "database unreachable: {detail}"),
    "db_pool_dropped": QT_TRANSLATE_NOOP("errors", "database unreachable: every pooled connection had been dropped "
                                                   "by the server"),
    "db_timeout": QT_TRANSLATE_NOOP("errors", "the database did not answer in time"),
    "lock_timeout": QT_TRANSLATE_NOOP("errors", "the seats are locked by another sale for too long; try again"),
    "sold_out": QT_TRANSLATE_NOOP("errors", "session {session_id} has {free} free seats, {wanted} wanted"),
    "gate_full": QT_TRANSLATE_NOOP("errors", "session {session_id}: {outstanding} sales already in progress for the "
                                             "seats left; retry"),
    "sales_open_at": QT_TRANSLATE_NOOP("errors", "sales for session {session_id} open at {opens}"),
    # supervisor actions
    "repair_needs_reason": QT_TRANSLATE_NOOP("errors", "a repair needs a reason"),
    "rebuild_needs_reason": QT_TRANSLATE_NOOP("errors", "a rebuild needs a reason"),
    "retry_needs_reason": QT_TRANSLATE_NOOP("errors", "a retry needs a reason"),
    "release_needs_reason": QT_TRANSLATE_NOOP("errors", "releasing a hold needs a reason"),
    "unknown_drift_classes": QT_TRANSLATE_NOOP("errors", "unknown drift class(es): {unknown}; known: {known}"),
    "no_live_hold": QT_TRANSLATE_NOOP("errors", "no live hold {token} in session {session_id}"),
    "hold_committed": QT_TRANSLATE_NOOP("errors", "the sale under this hold was committed (order {order_id}); it is "
                                                  "not a hold any more"),
    "order_search_not_found": QT_TRANSLATE_NOOP("errors", "no order with number, token, seat, customer name or "
                                                          "phone {query!r}"),
    "phone_chars": QT_TRANSLATE_NOOP("errors", "the customer's phone takes digits, spaces, dashes and a leading +"),
    "phone_digits": QT_TRANSLATE_NOOP("errors", "the customer's phone must have 4 to 20 digits"),
    "order_has_no_seat": QT_TRANSLATE_NOOP("errors", "order {order_id} has no seat {seats}"),
    "name_a_seat_to_cancel": QT_TRANSLATE_NOOP("errors", "name at least one seat of the order to cancel"),
    "name_a_seat_to_move": QT_TRANSLATE_NOOP("errors", "name at least one seat of the order to move"),
    "exchange_moves": QT_TRANSLATE_NOOP("errors", "an exchange keeps the number of seats: {old} to move, {new} named"),
    "exchange_refund_needs_supervisor": QT_TRANSLATE_NOOP(
        "errors", "this exchange refunds {amount} on order {order_id}: it needs a supervisor, as a cancel does (a "
                  "clerk refunds alone only orders they sold themselves today)"),
    "hold_of_another_clerk": QT_TRANSLATE_NOOP("errors", "this hold is another clerk's"),
    "unknown_time_zone": QT_TRANSLATE_NOOP("errors", "unknown time zone {tz!r}"),
    # split tender (services/booking.py, aftersale.py)
    "till_not_open": QT_TRANSLATE_NOOP("errors", "no till is open for {username!r}: open one (`boxoffice till open "
                                                 "--float AMOUNT`, or Till → Open in the window) before selling"),
    "bad_tender": QT_TRANSLATE_NOOP("errors", "a tender is METHOD:AMOUNT with a method of {methods}, not {tender!r}"),
    "tender_not_positive": QT_TRANSLATE_NOOP("errors", "a tender's amount must be more than 0, not {amount}"),
    "tenders_total": QT_TRANSLATE_NOOP("errors", "the tenders add up to {paid}, the order costs {total}"),
    "tendered_with_tenders": QT_TRANSLATE_NOOP("errors", "with split tenders, give the cash handed over in the "
                                                         "cash tender (cash:AMOUNT/GIVEN)"),
    "tender_method_twice": QT_TRANSLATE_NOOP("errors", "{method} is named twice: give one amount per method"),
    "cash_refund_needs_till": QT_TRANSLATE_NOOP("errors", "{amount} goes back in cash, paid from a till: {username!r} "
                                                          "has none open (open a till first)"),
    # till shifts (services/tills.py)
    "bad_count": QT_TRANSLATE_NOOP("errors", "a count is DENOMINATIONxPIECES, e.g. 50x3,20x5,0.5x4, not {part}"),
    "bad_count_pieces": QT_TRANSLATE_NOOP("errors", "the number of {denomination} pieces must be a whole number "
                                                    "from 0 to {maximum}, not {pieces}"),
    "count_too_long": QT_TRANSLATE_NOOP("errors", "a count lists at most {maximum} denominations"),
    "count_total_or_detail": QT_TRANSLATE_NOOP("errors", "give the counted cash as a total or by denomination, one "
                                                         "of the two"),
    "till_already_open": QT_TRANSLATE_NOOP("errors", "{username!r} already has till {shift_id} open on "
                                                     "{workstation}: close it first"),
    "workstation_in_use": QT_TRANSLATE_NOOP("errors", "workstation {workstation!r} already has an open till "
                                                      "({username!r}, till {shift_id})"),
    "bad_workstation": QT_TRANSLATE_NOOP("errors", "a workstation name is 1 to 100 printable characters"),
    "till_amount_not_positive": QT_TRANSLATE_NOOP("errors", "a {kind} must be more than 0, not {amount}"),
    "payout_needs_reason": QT_TRANSLATE_NOOP("errors", "a payout needs a reason"),
    "till_shift_not_found": QT_TRANSLATE_NOOP("errors", "no till shift with id {shift_id}"),
    "till_not_yours": QT_TRANSLATE_NOOP("errors", "till {shift_id} is {owner!r}'s: a clerk sees only their own tills"),
    "till_already_counted": QT_TRANSLATE_NOOP("errors", "till {shift_id} was already counted ({counted}): a blind "
                                                        "count is not repeated; a supervisor signs the close off"),
    "till_not_counted": QT_TRANSLATE_NOOP("errors", "till {shift_id} has not been counted yet: count the drawer "
                                                    "first"),
    "till_close_needs_supervisor": QT_TRANSLATE_NOOP("errors", "closing a till needs a supervisor's sign-off: their "
                                                               "name and password"),
    "till_counted": QT_TRANSLATE_NOOP("errors", "{username!r}'s till {shift_id} is counted and waits for a "
                                                "supervisor's sign-off: it takes no more sales, refunds, drops or "
                                                "payouts until it is closed"),
    "cash_refund_till_counted": QT_TRANSLATE_NOOP("errors", "no cash refund of {amount}: {username!r}'s till "
                                                            "{shift_id} is counted and waits for its sign-off"),
    "till_variance_needs_note": QT_TRANSLATE_NOOP("errors", "till {shift_id} has a variance of {variance}: signing "
                                                            "off a close that does not balance needs a note saying "
                                                            "why"),
    # price types (services/pricing.py)
    "price_type_needs_supervisor": QT_TRANSLATE_NOOP("errors", "a {price_type} ticket needs a supervisor: a "
                                                               "supervisor's name and password approve it"),
    "unknown_price_type": QT_TRANSLATE_NOOP("errors", "unknown price type {price_type!r}; this venue sells {known}"),
    "no_price_for_type": QT_TRANSLATE_NOOP("errors", "price type {price_type!r} has no price in zone {zone}"),
    "price_types_count": QT_TRANSLATE_NOOP("errors", "{types} price type(s) named for {seats} seat(s): name one per "
                                                     "seat, or none (all {default})"),
    "price_list_not_object": QT_TRANSLATE_NOOP("errors", "a price list is a JSON object with a \"types\" list "
                                                         "(docs/price-types.md)"),
    "price_list_unreadable": QT_TRANSLATE_NOOP("errors", "{path}: not a JSON price list: {detail}"),
    "price_list_field": QT_TRANSLATE_NOOP("errors", "{where}: expected {expected}"),
    "price_list_empty": QT_TRANSLATE_NOOP("errors", "the price list names no price type"),
    "price_list_too_long": QT_TRANSLATE_NOOP("errors", "the price list has {count} types: at most {maximum}"),
    "price_type_bad_code": QT_TRANSLATE_NOOP("errors", "{where}: a price type code is 1 to 16 lower-case letters, "
                                                       "digits or '_', not {code!r}"),
    "price_type_twice": QT_TRANSLATE_NOOP("errors", "{where}: price type {code!r} is listed twice"),
    "price_type_no_prices": QT_TRANSLATE_NOOP("errors", "{where}: price type {code!r} has no price in any zone"),
    "price_list_unknown_zone": QT_TRANSLATE_NOOP("errors", "{where}: unknown zone {zone!r}; the venue's zones are "
                                                           "{known}"),
    "price_list_bad_price": QT_TRANSLATE_NOOP("errors", "{where}: {price!r} is not a price: write 12.00 (fixed), "
                                                        "+3.00 or -5.00 (from the adult price) or -50% (a percentage "
                                                        "of it)"),
    "price_list_bad_percent": QT_TRANSLATE_NOOP("errors", "{where}: {price!r}: a percentage has a sign and lies "
                                                          "between -100% and +1000%"),
    "price_list_negative": QT_TRANSLATE_NOOP("errors", "{where}: {price!r} makes {result} in zone {zone}: a price "
                                                       "cannot be negative"),
    "price_list_too_high": QT_TRANSLATE_NOOP("errors", "{where}: {price!r} makes {result}: a price is at most "
                                                       "{maximum}"),
    "prices_scope": QT_TRANSLATE_NOOP("errors", "name the venue or the session the price list is for (one of them)"),
    # tickets and printers (services/tickets.py, adapters/printers)
    "reprint_needs_supervisor": QT_TRANSLATE_NOOP("errors", "order {order_id} was reprinted already: reprint "
                                                            "{reprint} needs a supervisor (a supervisor's name and "
                                                            "password approve it)"),
    "name_a_seat_to_reprint": QT_TRANSLATE_NOOP("errors", "name at least one seat of the order to reprint"),
    "bad_printer": QT_TRANSLATE_NOOP("errors", "{spec!r} is not a printer ({detail}): use pdf, system:NAME, "
                                               "escpos:tcp://HOST:PORT, escpos:file:/PATH, escpos:usb:VID:PID or "
                                               "escpos:serial:DEVICE"),
    "unknown_system_printer": QT_TRANSLATE_NOOP("errors", "no system printer named {name!r}; this computer has: "
                                                          "{available}"),
    "printer_failed": QT_TRANSLATE_NOOP("errors", "printing on {spec} failed: {detail}"),
    # day reports (services/reports.py)
    "bad_report_date": QT_TRANSLATE_NOOP("errors", "not a date (YYYY-MM-DD): {value!r}"),
    "report_not_written": QT_TRANSLATE_NOOP("errors", "could not write the report to {path}: {detail}"),
}


class BoxOfficeError(Exception):
    """Base of every error the application reports to a person.

    ``reason`` (a key of :data:`REASONS`) and its ``params`` say what happened in words the UI translates; an error
    raised with a plain message (``reason`` None) is shown as that message under a translated title."""

    exit_code = 1
    code = "error"
    #: the reason of an instance made without a message or a reason of its own (classes whose words never vary)
    default_reason: str | None = None

    def __init__(self, message: str | None = None, /, *, reason: str | None = None, **params: object) -> None:
        if reason is None and message is None:
            reason = self.default_reason
        if reason is not None and reason not in REASONS:
            raise KeyError(f"unknown error reason {reason!r}")
        self.reason = reason
        self.params: dict[str, object] = params
        if message is None:
            message = REASONS[reason].format(**params) if reason is not None else ""
        super().__init__(message)

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

    def __init__(self, seats: Sequence[str], message: str | None = None, /, *, reason: str | None = None,
                 **params: object) -> None:
        self.seats = tuple(seats)
        if message is None and reason is None:
            reason = "seats_unavailable"
        super().__init__(message, reason=reason, **({"seats": ", ".join(self.seats)} | params))

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
        super().__init__(reason="redis_empty", session_id=session_id)
        self.session_id = session_id


class SalesClosed(NotOnSale):
    """The session's sales window has closed (its close time passed, or a supervisor closed it)."""

    code = "sales_closed"

    default_reason = "sales_closed"


class TillNotOpen(SaleRefused):
    """The clerk has no open till shift and BOXOFFICE_REQUIRE_TILL is on (the default): nothing was sold."""

    code = "till_not_open"

    def __init__(self, username: str) -> None:
        super().__init__(reason="till_not_open", username=username)


class TillCounted(SaleRefused):
    """The clerk's till is counted and waits for the supervisor's sign-off: it takes nothing more (exit code 4)."""

    code = "till_counted"

    def __init__(self, username: str, shift_id: int) -> None:
        super().__init__(reason="till_counted", username=username, shift_id=shift_id)


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

    default_reason = "token_stale"


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

    default_reason = "token_foreign"


class TokenOrderCancelled(TokenInvalid):
    """The token's order exists but was cancelled: resuming it sells nothing and returns nothing; ``--json`` carries
    the order's ``status`` ("cancelled") and id."""

    code = "order_cancelled"

    def __init__(self, order_id: int, status: str = "cancelled") -> None:
        self.order_id, self.status = order_id, status
        super().__init__(reason="order_cancelled", order_id=order_id, status=status)

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

    default_reason = "not_signed_in"


class AuthenticationFailed(BoxOfficeError):
    """Unknown user or wrong password (deliberately not saying which)."""

    exit_code = 7
    code = "authentication_failed"
    default_reason = "sign_in_refused"


class AccountLocked(AuthenticationFailed):
    """Too many failed logins in a row; the account opens again after the lockout period."""

    code = "account_locked"
