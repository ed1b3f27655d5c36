"""The stock ledger, and the database's picture of a session's seats (DESIGN §5, §6): what the consumer adds to the
ledger, what a ledger repair writes, what Redis is rebuilt from and what the reconciler compares Redis with.

Everything runs inside the caller's transaction: nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from ...domain.drift import DbPicture
from ...domain.values import SessionInfo

_ADD = text(
    """
    INSERT INTO stock_ledger (session_id, zone, sold, revenue)
    SELECT * FROM unnest(CAST(:sids AS int[]), CAST(:zones AS text[]), CAST(:sold AS int[]),
                         CAST(:revenue AS numeric[]))
    ON CONFLICT (session_id, zone) DO UPDATE
       SET sold = stock_ledger.sold + EXCLUDED.sold, revenue = stock_ledger.revenue + EXCLUDED.revenue,
           updated_at = now()
    """
)
_OVERWRITE = text(
    "INSERT INTO stock_ledger (session_id, zone, sold, revenue) "
    "SELECT :sid, z, n, r FROM unnest(CAST(:z AS text[]), CAST(:n AS int[]), CAST(:r AS numeric[])) AS x(z, n, r) "
    "ON CONFLICT (session_id, zone) DO UPDATE SET sold = EXCLUDED.sold, revenue = EXCLUDED.revenue, "
    "updated_at = now()"
)
_LEDGER = text("SELECT session_id, zone, sold, revenue FROM stock_ledger WHERE session_id = ANY(:sids)")
_SNAPSHOT = text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
_STATUSES = text("SELECT id, status FROM sessions WHERE id = ANY(:sids)")
_DB_SEATS = text(
    "SELECT ss.session_id, ss.seat_idx, ss.status, ss.order_id, ol.id AS line_id FROM session_seats ss "
    "LEFT JOIN order_lines ol ON ol.session_id = ss.session_id AND ol.seat_idx = ss.seat_idx AND ol.active "
    "WHERE ss.session_id = ANY(:sids) AND ss.status <> 'free'"
)
#: live order lines per zone and the outbox messages the consumer has not applied, read in ONE statement so a sale
#: committing meanwhile is in both or in neither
_TRUTH_AND_BACKLOG = text(
    """
    SELECT 'truth' AS part, session_id, zone, count(*)::int AS n, sum(price) AS revenue,
           NULL::bigint AS id, NULL::text AS topic, NULL::text AS status, NULL::jsonb AS payload
      FROM order_lines WHERE session_id = ANY(:sids) AND active GROUP BY session_id, zone
    UNION ALL
    SELECT CASE WHEN o.status <> 'dead' AND CASE WHEN o.status = 'sent' THEN o.sent_at ELSE o.available_at END
                     > now() - make_interval(secs => :bound) THEN 'in flight' ELSE 'message' END,
           (o.payload->>'session_id')::int, NULL, NULL, NULL, o.id, o.topic, o.status, o.payload
      FROM outbox o
     WHERE o.payload->>'session_id' = ANY(:sid_texts)
       AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = :consumer AND i.message_id = o.id)
    """
)
#: a session's taken seats with the live order line of each sold one (what its Redis picture is rebuilt from)
_TAKEN_SEATS = text(
    "SELECT ss.seat_idx, ss.status, ss.order_id, ol.id AS line_id FROM session_seats ss "
    "LEFT JOIN order_lines ol ON ol.session_id = ss.session_id AND ol.seat_idx = ss.seat_idx "
    "AND ol.order_id = ss.order_id AND ol.active "
    "WHERE ss.session_id = :sid AND ss.status <> 'free'"
)
_ENDED_LINES = text(
    "SELECT seat_idx, max(id) FROM order_lines WHERE session_id = :sid AND NOT active GROUP BY seat_idx"
)
#: the committed order (or exchange) of each token: order id, seats and order lines
_ORDERS_OF_TOKENS = text(
    "SELECT o.token, o.id, array_agg(l.seat_idx ORDER BY l.seat_idx), "
    "array_agg(l.id ORDER BY l.seat_idx) FROM orders o "
    "JOIN order_lines l ON l.order_id = o.id "
    "WHERE o.token = ANY(:t) AND l.active GROUP BY o.token, o.id "
    "UNION ALL "
    "SELECT payload->>'token', aggregate_id, "
    "ARRAY(SELECT jsonb_array_elements_text(payload->'added'->'seats')::int), "
    "ARRAY(SELECT jsonb_array_elements_text(payload->'added'->'lines')::int) "
    "FROM outbox WHERE topic = 'OrderChanged' AND payload->>'token' = ANY(:t)"
)
_SOLD_BY_SESSION = text(
    "SELECT session_id, count(*) FROM order_lines WHERE session_id = ANY(:ids) AND active GROUP BY session_id"
)
_SEAT_COUNTS = text("SELECT status, count(*) FROM session_seats WHERE session_id = :sid GROUP BY status")


# -- the ledger -----------------------------------------------------------------------------------------------------
def add(session: Session, totals: Mapping[tuple[int, str], tuple[int, Decimal]]) -> None:
    """Add (seats, revenue) to each (session, zone), in one order for every caller (no deadlock between them)."""
    keys = sorted(totals)
    session.execute(_ADD, {"sids": [k[0] for k in keys], "zones": [k[1] for k in keys],
                           "sold": [totals[k][0] for k in keys], "revenue": [totals[k][1] for k in keys]})


def overwrite(session: Session, session_id: int, zones: Mapping[str, tuple[int, Decimal]]) -> None:
    """Set the session's ledger of each zone to (seats, revenue) (a ledger repair)."""
    names = sorted(zones)
    session.execute(_OVERWRITE, {"sid": session_id, "z": names, "n": [zones[z][0] for z in names],
                                 "r": [zones[z][1] for z in names]})


# -- the reconciler's picture ---------------------------------------------------------------------------------------
def snapshot(session: Session) -> None:
    """Make the caller's (fresh, read-only) transaction read one snapshot of the whole database."""
    session.execute(_SNAPSHOT)


def fill_pictures(session: Session, pictures: Mapping[int, DbPicture], bound_s: float, consumer: str) -> None:
    """The database side of each session in ``pictures``: on-sale status, non-free seats with their owners, live
    order lines, the messages ``consumer`` has not applied (in flight within ``bound_s``) and the ledger."""
    sids = sorted(pictures)
    # the on-sale status in this snapshot, not the one listed before Redis was read: the sales-window job (or a
    # supervisor) may have closed the session in between, and a stale status would look like drift twice over
    for sid, status in session.execute(_STATUSES, {"sids": sids}):
        pictures[sid].on_sale = status == "onsale"
    for sid, idx, status, order_id, line_id in session.execute(_DB_SEATS, {"sids": sids}):
        owner = f"{order_id}:{line_id}" if status == "sold" and order_id is not None and line_id else ""
        pictures[sid].seats[idx] = (status, owner)
    rows = session.execute(_TRUTH_AND_BACKLOG, {"sids": sids, "sid_texts": [str(x) for x in sids],
                                                "consumer": consumer, "bound": bound_s}).all()
    for part, sid, zone, n, revenue, message_id, topic, status, payload in rows:
        picture = pictures.get(sid)
        if picture is None:
            continue
        if part == "truth":
            picture.truth[zone] = (int(n), Decimal(revenue))
        else:
            picture.note_message(int(message_id), topic, status, payload, in_flight=part == "in flight")
    for sid, zone, sold, revenue in session.execute(_LEDGER, {"sids": sids}):
        pictures[sid].ledger[zone] = (int(sold), Decimal(revenue))


# -- what Redis is built from -----------------------------------------------------------------------------------------
def taken_seats(session: Session, session_id: int) -> Sequence[tuple[int, str, int | None, int | None]]:
    """(seat, status, order id, live line id) of every seat of the session that is not free."""
    return [tuple(r) for r in session.execute(_TAKEN_SEATS, {"sid": session_id})]  # type: ignore[misc]


def ended_lines(session: Session, session_id: int) -> dict[int, int]:
    """The latest ended order line of each seat that had one."""
    return dict(session.execute(_ENDED_LINES, {"sid": session_id}).all())  # type: ignore[arg-type]


def orders_of_tokens(session: Session, tokens: Sequence[str]) -> dict[str, tuple[int, list[int], list[int]]]:
    """The committed order of each token that has one (a sale's, or an exchange's): order id, seats, lines."""
    return {token: (order_id, list(seats), list(lines))
            for token, order_id, seats, lines in session.execute(_ORDERS_OF_TOKENS, {"t": list(tokens)})}


def sold_by_session(session: Session, session_ids: Sequence[int]) -> dict[int, int]:
    """Live order lines (seats sold) of each session that has any."""
    return dict(session.execute(_SOLD_BY_SESSION, {"ids": list(session_ids)}).all())  # type: ignore[arg-type]


def seat_counts(session: Session, session_id: int) -> dict[str, int]:
    """Seats of the session per status."""
    return dict(session.execute(_SEAT_COUNTS, {"sid": session_id}).all())  # type: ignore[arg-type]


def pictures(session: Session, infos: Sequence[SessionInfo], bound_s: float, consumer: str) -> dict[int, DbPicture]:
    """The database side of the given sessions (see :func:`fill_pictures`)."""
    out = {i.session_id: DbPicture(i.capacity, i.status == "onsale") for i in infos}
    fill_pictures(session, out, bound_s, consumer)
    return out
