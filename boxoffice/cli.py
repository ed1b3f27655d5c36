"""The ``boxoffice`` command: the GUI's twin for operators and scripts.

Exit codes: 0 ok · 2 bad input · 3 seats unavailable · 4 sold out or token refused · 5 backend unavailable ·
6 reconcile found drift · 7 not signed in, sign-in refused or role not allowed · 1 anything else. An error is one
readable line on stderr (a JSON object with ``--json``).

Identity: every command that reads orders or changes data acts as the user signed in with ``boxoffice login`` (a
CLI session whose token is kept in the user state directory); :func:`_signed_in` is the one way a command gets that
user, and the services it calls check the user's role.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from . import logs
from .domain import limits
from .domain import tenders as tender_rules
from .domain.values import PAYMENT_METHODS
from .errors import BadInput, BoxOfficeError, NotSignedIn, PermissionDenied

Handler = Callable[[argparse.Namespace], Any]


def _out(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, default=str))
    else:
        print(human)


CLI_LOG_FORMAT = "%(levelname)s %(message)s"


def write_pdf(kind: str, path: str, report: dict[str, Any]) -> None:
    """Write ``report`` (the JSON a report command prints) as a PDF with the writer registered for ``kind`` under the
    ``boxoffice.pdf`` entry points (pyproject.toml): the writers draw with Qt, which nothing under boxoffice/ imports."""
    from importlib.metadata import entry_points
    from pathlib import Path

    found = [ep for ep in entry_points(group="boxoffice.pdf") if ep.name == kind]
    if not found:
        raise BadInput(f"no PDF writer for {kind} reports is installed (pip install -e . installs them)")
    found[0].load()(Path(path), report)


def _app(args: argparse.Namespace, migrate: bool = False):  # noqa: ANN202
    from .bootstrap import build

    return build(migrate=migrate)


def _saved_token(args: argparse.Namespace):  # noqa: ANN202 - credentials.Saved | None
    from . import credentials
    from .config import load_settings

    return credentials.load(load_settings().state_dir)


def _caller(args: argparse.Namespace, app: Any = None, *, optional: bool = False) -> Any:
    """The signed-in user of this command (a :class:`~boxoffice.services.cli_sessions.Caller`), from the saved
    token checked against its CLI session in PostgreSQL: NotSignedIn (exit 7) when there is none, or it expired or
    was revoked. ``--user``, where a command still accepts it, must name that user (exit 7 otherwise).
    ``optional``: None instead of NotSignedIn when no sign-in was ever saved (``user add``'s first account)."""
    saved = _saved_token(args)  # read before connecting: "not signed in" needs no server
    if saved is None:
        if optional:
            return None
        raise NotSignedIn()
    app = app or _app(args)
    caller = app.cli_sessions.authenticate(saved.token)
    named = getattr(args, "user", None)
    if named is not None and named != caller.username:
        raise PermissionDenied(f"--user {named} is not the signed-in user ({caller.username}); "
                               "sign in as them with `boxoffice login`")
    return caller


def _signed_in(args: argparse.Namespace) -> tuple[Any, Any]:
    """(app, caller) for a command that acts as the signed-in user: the one helper every such command uses (the
    saved token is read first, so "not signed in" is answered without connecting)."""
    if _saved_token(args) is None:
        raise NotSignedIn()
    app = _app(args)
    return app, _caller(args, app)


def _iso(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
        dt = dt if dt.tzinfo else dt.astimezone()  # a naive time is local time
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {limits.short(value)}") from None
    return dt


def _positive(value: str, maximum: int = limits.MAX_INT4) -> int:
    """A positive whole number of ASCII digits, at most ``maximum`` (by default the largest session or venue id)."""
    text = value.strip()
    if not (text.isascii() and text.lstrip("+-").isdigit()) or len(text) > 30:
        raise argparse.ArgumentTypeError(f"not a whole number: {limits.short(value)}")
    n = int(text)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    if n > maximum:
        raise argparse.ArgumentTypeError(f"must be at most {maximum}: {value!r}")
    return n


def _big_id(value: str) -> int:
    """An order or outbox message number (PostgreSQL bigint)."""
    return _positive(value, limits.MAX_INT8)


def _positive_list(value: str) -> list[int]:
    """``1,2,4`` → [1, 2, 4]; each a positive whole number."""
    return [_positive(part.strip()) for part in value.split(",")]


# -- commands -----------------------------------------------------------------------------------------------------
def cmd_db_upgrade(args: argparse.Namespace) -> None:
    app = _app(args, migrate=True)
    _out(args, {"ok": True}, "database schema is up to date")
    app.close()


def cmd_demo(args: argparse.Namespace) -> None:
    from .services.demo import load_demo

    app = _app(args, migrate=True)
    res = load_demo(app.catalog, app.inventory, app.accounts)
    _out(
        args,
        res.__dict__,
        f"demo ready: {res.venues} venues, {res.sessions_total} sessions this week "
        f"({res.sessions_created} new), {res.users_created} new users (alice, bob: clerks; sam: supervisor)",
    )


def cmd_venue_import(args: argparse.Namespace) -> None:
    from .domain.layout import load_layout

    layout = load_layout(args.path)  # validate before touching any server
    app, caller = _signed_in(args)
    info, created = app.catalog.import_venue(layout, actor=caller.username)
    _out(
        args,
        {"venue_id": info.venue_id, "name": info.name, "seats": info.seats, "created": created},
        f"venue {info.venue_id} {info.name!r}: {info.seats} seats" + ("" if created else " (already imported)"),
    )


def cmd_venue_list(args: argparse.Namespace) -> None:
    venues = _app(args).catalog.list_venues()
    lines = [f"{v.venue_id:>4}  {v.name:<32} {v.kind:<10} {v.seats:>7} seats" for v in venues]
    _out(args, [v.as_dict() for v in venues], "\n".join(lines) or "no venues; try `boxoffice demo`")


def cmd_session_create(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    info, created = app.catalog.create_session(args.venue, args.name, args.starts, args.ends, args.sales_close,
                                               args.sales_open, actor=caller.username)
    if created:
        app.inventory.rebuild(info.session_id)
    _out(
        args,
        {**info.as_dict(), "created": created},
        f"session {info.session_id} {info.name!r} at {info.starts_at:%Y-%m-%d %H:%M %Z}, {info.capacity} seats"
        + ("" if created else " (already existed)"),
    )


def _sale_state(s: Any, now: datetime) -> str:
    if s.sales_open(now):
        return f"on sale until {s.sales_close_at.astimezone():%Y-%m-%d %H:%M}"
    if s.status == "onsale" and s.sales_open_at is not None and now < s.sales_open_at:
        return f"on sale from {s.sales_open_at.astimezone():%Y-%m-%d %H:%M}"
    return "closed"


def cmd_session_list(args: argparse.Namespace) -> None:
    now = datetime.now(timezone.utc)
    sessions = _app(args).catalog.list_sessions(None if args.all else now)
    lines = [
        f"{s.session_id:>5}  {s.starts_at:%Y-%m-%d %H:%M}  {s.venue:<24} {s.name:<28} {s.capacity:>7}  "
        f"{_sale_state(s, now)}"
        for s in sessions
    ]
    _out(args, [s.as_dict() for s in sessions],
         "\n".join(lines) or ("no sessions" if args.all else "no sessions still to come (--all lists ended ones)"))


def cmd_session_open(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    info = app.sales.open(app.accounts, caller.username, args.id, args.until, args.reason)
    _out(args, info.as_dict(), f"session {info.session_id} on sale until {info.sales_close_at:%Y-%m-%d %H:%M %Z}")


def cmd_session_close(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    info = app.sales.close(app.accounts, caller.username, args.id, args.reason)
    _out(args, info.as_dict(), f"session {info.session_id} closed: sales refused from now on")


def cmd_session_show(args: argparse.Namespace) -> None:
    st = _app(args).inventory.stats(args.id)
    human = (
        f"session {st.session_id} {st.name!r} at {st.venue} ({st.status})\n"
        f"  capacity {st.capacity}: sold {st.sold_db}, held {st.held_db}, blocked {st.blocked_db}, "
        f"free {st.free_db} (database)\n"
        f"  Redis: taken {st.taken_redis}, stock {st.stock_redis}, version {st.version}, live holds {st.live_holds}"
    )
    _out(args, st.as_dict(), human)


def cmd_sell(args: argparse.Namespace) -> None:
    from .domain.values import DEFAULT_PRICE_TYPE
    from .services.booking import SaleRequest
    from .services.degraded import sold_degraded

    seats = tuple(s for s in (args.seats or "").split(",") if s.strip())
    if args.seats is not None and not seats:
        raise BadInput("--seats needs at least one seat label")
    tenders = tender_rules.parse(args.pay) if args.pay else ()  # checked before anything is claimed
    types = tuple(t.strip() for t in (args.types or "").split(",") if t.strip())
    if args.types is not None and not types:
        raise BadInput("--types needs at least one price type")
    app, caller = _signed_in(args)
    override = {}
    if args.override_user:  # a supervisor approves a type that needs one (a comp): password from a prompt or stdin
        override = {"supervisor": args.override_user, "supervisor_password": _read_secret(
            f"password of supervisor {args.override_user}: ")}
    receipt = app.booking.sell(
        SaleRequest(
            session_id=args.session,
            username=caller.username,
            seats=seats,
            best=args.best,
            zone=args.zone,
            payment=args.payment,
            tenders=tenders,
            token=args.token,
            customer_name=args.name,
            customer_phone=args.phone,
            price_types=types,
            **override,
        )
    )
    _out(
        args,
        {
            "order_id": receipt.order_id,
            "session_id": receipt.session_id,
            "seats": list(receipt.seats),
            "total": str(receipt.total),
            "token": receipt.token,
            "payment": receipt.payment,
            "tenders": [t.as_dict() for t in receipt.tenders],
            "change": None if receipt.change is None else str(receipt.change),
            "degraded": sold_degraded(receipt),
            "lines": [{"seat": ln.label, "zone": ln.zone, "price_type": ln.price_type, "price": str(ln.price)}
                      for ln in receipt.lines],
        },
        f"order {receipt.order_id}: {', '.join(receipt.seats)} — total {receipt.total} ({_paid_human(receipt)})"
        + ("" if all(ln.price_type == DEFAULT_PRICE_TYPE for ln in receipt.lines) else
           "\n" + "\n".join(f"  {ln.label:<16} {ln.price_type:<16} {ln.price:>8}" for ln in receipt.lines)),
    )
    if sold_degraded(receipt):
        print("boxoffice: note: Redis is unreachable — sold from the database alone (degraded mode); the seat maps "
              "are rebuilt when it answers again", file=sys.stderr)


def _paid_human(r) -> str:  # noqa: ANN001 - a Receipt
    """``cash 50.00 (given 60.00, change 10.00) + card 90.00``, or the method alone for a sale paid one way."""
    if len(r.tenders) <= 1 and not r.change:
        return r.payment
    parts = [f"{t.method} {t.amount}" + (f" (given {t.tendered}, change {t.change})" if t.tendered is not None
                                          else "") for t in r.tenders]
    return " + ".join(parts)


def cmd_prices_import(args: argparse.Namespace) -> None:
    from pathlib import Path

    try:
        text = Path(args.path).read_text(encoding="utf-8")
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:  # read before touching any server
        raise BadInput(reason="price_list_unreadable", path=args.path, detail=str(exc)) from None
    app, caller = _signed_in(args)
    listed = app.pricing.import_list(doc, caller.username, venue_id=args.venue, session_id=args.session)
    scope = f"session {args.session}" if args.session else f"venue {args.venue}"
    _out(args, {"venue_id": args.venue, "session_id": args.session, **_price_list_dict(listed)},
         f"price list of {scope}: {', '.join(t.code for t in listed.types)}")


def _price_list_dict(listed) -> dict[str, Any]:  # noqa: ANN001 - a PriceList
    zones = sorted({z for z, _c in listed.prices})
    return {"zones": zones,
            "types": [{**t.as_dict(), "prices": {z: str(listed.prices[(z, t.code)]) for z in zones
                                                 if (z, t.code) in listed.prices}} for t in listed.types]}


def cmd_prices_list(args: argparse.Namespace) -> None:
    app = _app(args)
    app.catalog.session(args.session)  # NotFound for an unknown session
    listed = app.pricing.price_list(args.session)
    data = _price_list_dict(listed)
    width = max(len(t.code) for t in listed.types) + 2
    rows = ["".ljust(width) + "".join(f"{z:>12}" for z in data["zones"])]
    for t in data["types"]:
        flags = ("  needs a supervisor" if t["needs_supervisor"] else "") + (f"  ({t['notice']})" if t["notice"] else "")
        rows.append(t["code"].ljust(width) + "".join(f"{t['prices'].get(z, '—'):>12}" for z in data["zones"])
                    + flags)
    _out(args, {"session_id": args.session, **data}, "\n".join(rows))


def cmd_hold(args: argparse.Namespace) -> None:
    seats = tuple(s for s in args.seats.split(",") if s.strip())
    if not seats:
        raise BadInput("--seats needs at least one seat label")
    app, caller = _signed_in(args)
    hold = app.booking.hold(args.session, caller.username, seats)
    until = datetime.fromtimestamp(hold.expires_ms / 1000).astimezone()
    _out(args, {"session_id": args.session, "seats": list(seats), "token": hold.token, "expires_at": until},
         f"held {', '.join(seats)} until {until:%H:%M:%S}; finish the sale with "
         f"`boxoffice sell --session {args.session} --seats {','.join(seats)} --token {hold.token}`")


def cmd_order_show(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    r = app.orders.show(caller.username, args.id)
    _out(args, r.as_dict(), _order_human(r))


def _order_human(r) -> str:  # noqa: ANN001 - a Receipt
    lines = "\n".join(f"  {ln.label:<16} {ln.zone:<4} {ln.price:>8}" for ln in r.lines)
    return (f"order {r.order_id} ({r.status}) session {r.session_id}, by {r.clerk} at "
            f"{r.created_at:%Y-%m-%d %H:%M:%S}\n{lines}\n  total {r.total} ({_paid_human(r)})")


def cmd_order_cancel(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    override = {}
    if args.override_user:  # a supervisor approves: their password from a prompt or the first line of stdin
        override = {"supervisor": args.override_user, "supervisor_password": _read_secret(
            f"password of supervisor {args.override_user}: ")}
    if args.seats is None:
        r = app.aftersale.cancel(args.id, caller.username, args.reason, **override)
        _out(args, r.as_dict(), f"order {r.order_id} cancelled; refund {r.total} ({r.payment})")
        return
    seats = tuple(s for s in args.seats.split(",") if s.strip())
    if not seats:
        raise BadInput("--seats needs at least one seat label")
    before = app.orders.get(args.id).total
    r = app.aftersale.cancel(args.id, caller.username, args.reason, seats=seats, **override)
    refund = before - r.total if r.status == "paid" else before
    _out(args, {**r.as_dict(), "refund": str(refund)},
         f"order {r.order_id}: {', '.join(seats)} cancelled; refund {refund} ({r.payment})\n{_order_human(r)}")


def cmd_order_reprint(args: argparse.Namespace) -> None:
    """Reprint an order's tickets (the older codes stop verifying) and print them: on ``--printer``, else
    BOXOFFICE_PRINTER (an ESC/POS printer, a system printer, or the PDF, whose path is said)."""
    from pathlib import Path

    from .adapters.printers.escpos_out import print_order
    from .adapters.printers.spec import parse_printer

    spec = parse_printer(args.printer) if args.printer is not None else None  # a bad spec refused before anything
    seats = None
    if args.seats is not None:
        seats = tuple(s.strip() for s in args.seats.split(",") if s.strip())
        if not seats:
            raise BadInput(reason="name_a_seat_to_reprint")
    app, caller = _signed_in(args)
    spec = spec or parse_printer(app.settings.printer)
    override = {}
    if args.supervisor:  # the password from the first line of standard input, or asked at a terminal
        password = (sys.stdin.readline().rstrip("\r\n") if args.supervisor_password_stdin
                    else _read_secret(f"password of supervisor {args.supervisor}: "))
        override = {"supervisor": args.supervisor, "supervisor_password": password}
    done = app.tickets.reprint(args.id, caller.username, seats, **override)
    labels = tuple(done.numbers)
    job = app.tickets.order_print(done.receipt, app.settings.currency, labels)
    where = str(spec)
    if spec.kind == "escpos":
        print_order(spec, job, kick_drawer=False)
    else:
        number = max(new for _, new in done.numbers.values())
        path = app.settings.data_dir / "tickets" / f"order-{done.receipt.order_id}-reprint-{number}.pdf"
        from .services.frontdesk import TicketSheet

        sheet = TicketSheet(job.codes, dict(job.zone_names), job.currency, dict(job.type_names))
        write_pdf("tickets", str(path), {"receipt": done.receipt, "session": app.catalog.session(
            done.receipt.session_id), "sheet": sheet, "printer": str(spec)})
        where = str(spec) if spec.kind == "system" else str(Path(path))
    codes = dict(job.codes)
    out = {**done.as_dict(), "printer": str(spec), "printed_to": where, "codes": codes}
    human = "\n".join(f"  {label:<16} reprint {new} (was {old})" for label, (old, new) in done.numbers.items())
    _out(args, out, f"order {done.receipt.order_id}: {len(labels)} ticket(s) reprinted, printed to {where}\n{human}")


def cmd_order_exchange(args: argparse.Namespace) -> None:
    seats = tuple(s for s in args.seats.split(",") if s.strip())
    replacing = None
    if args.replacing is not None:
        replacing = tuple(s for s in args.replacing.split(",") if s.strip())
    app, caller = _signed_in(args)
    override = {}
    if args.override_user:
        override = {"supervisor": args.override_user, "supervisor_password": _read_secret(
            f"password of supervisor {args.override_user}: ")}
    r = app.aftersale.exchange(args.id, seats, caller.username, args.reason, replacing=replacing, **override)
    _out(args, r.as_dict(), _order_human(r))


def cmd_order_find(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    app.accounts.require(caller.username, ("clerk", "supervisor"))
    labels = None
    if args.session is not None:
        labels = {st.label: st.index for st in app.catalog.layout(app.catalog.venue_of(args.session)).seats}
    found = app.orders.search(args.query, args.session, labels)
    _out(args, [r.as_dict() for r in found], "\n".join(_order_human(r) for r in found))


def cmd_outbox_status(args: argparse.Namespace) -> None:
    st = _app(args).relay.status()

    def age(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f} s"

    _out(args, st.as_dict(),
         f"pending {st.pending}, in flight {st.in_flight}, dead {st.dead}, sent {st.sent}\n"
         f"oldest pending {age(st.oldest_pending_age_s)}, lag (oldest not yet applied) {age(st.lag_s)}\n"
         f"stream length {st.stream_length}, delivered but not acknowledged {st.consumer_pending}")


def cmd_outbox_drain(args: argparse.Namespace) -> None:
    app = _app(args)
    published = app.relay.drain()
    applied = app.consumer.drain()
    _out(args, {"published": published, "applied": applied}, f"published {published}, applied {applied}")


def cmd_outbox_retry_dead(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    n = app.insights.retry_dead(caller.username, args.id, args.reason)
    _out(args, {"retried": n}, f"{n} dead letter(s) queued again")


def cmd_worker(args: argparse.Namespace) -> None:
    import signal
    import threading

    from .config import load_settings
    from .scheduler import blocking

    # the terminal as for every command, and a rotating file: <data dir>/logs/worker.log
    log_file = logs.setup("worker", load_settings().data_dir, verbose=args.verbose, console_format=CLI_LOG_FORMAT,
                          catch_unhandled=True)
    app = _app(args)
    scheduler = blocking(app)

    stopping: list[threading.Thread] = []

    def stop(signum: int, _frame: object) -> None:
        # Not in the handler itself: it runs on the main thread, which may hold one of the scheduler's locks right
        # then, and shutdown(wait=True) waits for job threads that may need that lock (a deadlock seen under load).
        logging.getLogger(__name__).info("signal %s: finishing the running jobs", signum)
        if not stopping:
            stopping.append(threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, name="worker-stop"))
            stopping[0].start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    jobs = ", ".join(job.name for job in scheduler.get_jobs())
    where = f"; log file {log_file}" if log_file is not None else ""
    print(f"worker running: {jobs} (SIGTERM stops it{where})", flush=True)
    scheduler.start()  # returns once the scheduler is shut down
    for thread in stopping:
        thread.join()  # the running jobs have finished
    app.close()
    print("worker stopped", flush=True)


def _read_password() -> str:
    """A new password: from a prompt (typed twice) at a terminal, else the first line of standard input."""
    first = _read_secret("password: ")
    if sys.stdin.isatty() and _read_secret("again: ") != first:
        raise BadInput("the two passwords differ")
    return first


def _read_secret(prompt: str) -> str:
    """One password, asked once at a terminal, else the first line of standard input — never from an argument."""
    import getpass

    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> None:
    """A signed-in supervisor adds an account; on a database with no supervisor yet, anyone adds the first one."""
    app = _app(args)
    caller = _caller(args, app, optional=True)
    actor = caller.username if caller else None
    app.accounts.may_add_user(actor, args.role)  # refuse before asking for a password
    password = _read_password()
    info = app.accounts.add_user(args.name, args.display or args.name, args.role, password, actor=actor)
    _out(args, {"user_id": info.user_id, "username": info.username, "role": info.role},
         f"user {info.username} ({info.role}) added")


def _client() -> str:
    """Where a sign-in comes from, shown by ``user sessions``: the OS login and the host."""
    import getpass
    import socket

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return f"{who}@{socket.gethostname()}"


def cmd_login(args: argparse.Namespace) -> None:
    """Sign in (like ``gh auth login``): password from a prompt or, with --password-stdin, the first line of
    standard input — never from an argument. The token is saved in the user state directory, mode 0600."""
    import getpass

    from . import credentials
    from .config import load_settings

    settings = load_settings()
    name = args.user
    if not name:
        if not sys.stdin.isatty():
            raise BadInput("no terminal to ask for the user name: use --user NAME")
        name = input("user: ").strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("password: ")
    else:
        raise BadInput("no terminal to ask for the password: pipe it with --password-stdin")
    if not name or not password:
        raise BadInput("a sign-in needs a user name and a password")
    app = _app(args)
    previous = credentials.load(settings.state_dir)
    signed = app.cli_sessions.sign_in(name, password, _client())
    path = credentials.save(settings.state_dir, signed.token, signed.username, signed.session_id)
    if previous is not None and previous.token != signed.token:
        app.cli_sessions.sign_out(previous.token)  # one sign-in per state directory: the one it replaces ends
    _out(args, {"username": signed.username, "role": signed.role, "session_id": signed.session_id,
                "expires_at": signed.expires_at, "token_file": str(path)},
         f"signed in as {signed.username} ({signed.role}) until {signed.expires_at.astimezone():%Y-%m-%d %H:%M %Z}")


def cmd_logout(args: argparse.Namespace) -> None:
    """End this state directory's CLI session on the server and forget its token."""
    from . import credentials
    from .config import load_settings

    state_dir = load_settings().state_dir
    saved = credentials.load(state_dir)
    if saved is None:
        credentials.forget(state_dir)
        _out(args, {"signed_out": False}, "not signed in")
        return
    ended = _app(args).cli_sessions.sign_out(saved.token)
    credentials.forget(state_dir)
    _out(args, {"signed_out": True, "username": saved.username, "session_ended": ended},
         f"signed out {saved.username}" + ("" if ended else " (the sign-in had already ended)"))


def cmd_whoami(args: argparse.Namespace) -> None:
    _, caller = _signed_in(args)
    u = caller.user
    _out(args, {"username": u.username, "display_name": u.display_name, "role": u.role,
                "session_id": caller.session_id, "expires_at": caller.expires_at},
         f"{u.username} ({u.display_name}, {u.role}); signed in until "
         f"{caller.expires_at.astimezone():%Y-%m-%d %H:%M %Z} (CLI session {caller.session_id})")


def cmd_user_sessions(args: argparse.Namespace) -> None:
    """A supervisor lists the CLI sessions (live ones; --all adds the ended ones), or revokes one."""
    app, caller = _signed_in(args)
    if args.revoke is not None:
        done = app.cli_sessions.revoke(caller.username, args.revoke)
        _out(args, done.as_dict(), f"CLI session {done.session_id} of {done.username} revoked")
        return
    rows = app.cli_sessions.list(caller.username, include_ended=args.all)

    def when(v: datetime | None) -> str:
        return "—" if v is None else f"{v.astimezone():%Y-%m-%d %H:%M}"

    lines = [f"{r.session_id:>5}  {r.username:<16} {r.role:<10} {r.state:<8} since {when(r.created_at)}  "
             f"until {when(r.expires_at)}  last used {when(r.last_used_at)}  {r.client}"
             + ("   ← this one" if r.session_id == caller.session_id else "") for r in rows]
    _out(args, [r.as_dict() for r in rows], "\n".join(lines) or "no CLI sessions")


def cmd_ticket_verify(args: argparse.Namespace) -> int:
    app, caller = _signed_in(args)
    check = app.tickets.verify_as(caller.username, args.code)
    _out(args, check.__dict__, f"{'VALID' if check.valid else 'INVALID'}: {check.reason}"
         + (f" (order {check.order_id}, seat {check.seat})" if check.order_id else ""))
    return 0 if check.valid else 1


def cmd_cache_rebuild(args: argparse.Namespace) -> None:
    app, caller = _signed_in(args)
    user = caller.username
    if args.session is not None:
        epoch = app.inventory.rebuild_as(app.accounts, user, args.session, args.reason)
        _out(args, {"sessions": [args.session], "epoch": epoch}, f"session {args.session} rebuilt (epoch {epoch})")
    else:
        ids = app.inventory.rebuild_all_as(app.accounts, user, args.reason)
        _out(args, {"sessions": ids}, f"{len(ids)} sessions rebuilt from the database")


def _drift_lines(report: Any) -> list[str]:
    head = (f"session {report.session_id}  {report.name} ({report.venue}) {report.starts_at:%Y-%m-%d %H:%M}  "
            + ("consistent" if report.consistent else report.severity.upper()))
    lines = [head]
    for d in report.drifts:
        what = ", ".join(d.labels[:12]) + (f" … (+{len(d.labels) - 12})" if len(d.labels) > 12 else "")
        lines.append(f"  {d.kind:<17}{len(d.seats) or 1:>6}  {what or d.detail}")
    return lines


def cmd_reconcile(args: argparse.Namespace) -> int:
    """Exit 0 when every checked session is consistent, 6 when drift remains (after --repair: what it could not fix)."""
    app, caller = _signed_in(args)
    rec = app.reconciler
    user = caller.username
    reports = rec.report(user, args.session)
    repairs = []
    if args.repair and any(not r.consistent for r in reports):
        for r in reports:
            if not r.consistent:
                repairs.append(rec.repair(user, r, args.reason))
        checked = {r.session_id for r in repairs}
        reports = [rec.report(user, r.session_id)[0] if r.session_id in checked else r for r in reports]
    drifting = [r for r in reports if not r.consistent]
    # tills: orders of the checked sessions whose tenders do not add up to their seats' prices
    mismatched = app.tills.tender_mismatches(user, [r.session_id for r in reports])
    human = []
    for res in repairs:
        for kind, labels in res.repaired.items():
            human.append(f"repaired session {res.session_id} {kind}: {', '.join(labels[:12])}")
        for kind, why in res.skipped.items():
            human.append(f"not repaired session {res.session_id} {kind}: {why}")
    for r in reports:
        if not r.consistent or args.session is not None:
            human += _drift_lines(r)
    human.append(f"{len(reports)} session(s) checked: "
                 + (f"{len(drifting)} with drift" if drifting else "all consistent"))
    human += [f"tender mismatch: order {m['order_id']} (till {m['shift_id']}) paid {m['paid_net']}, its seats cost "
              f"{m['live_total']}" for m in mismatched]
    human.append(f"tender check: {len(mismatched)} order(s) whose tenders do not add up" if mismatched
                 else "tender check: every till order's tenders add up to its seats")
    _out(args, {"consistent": not drifting and not mismatched, "sessions": [r.as_dict() for r in reports],
                "repairs": [x.as_dict() for x in repairs], "tender_mismatches": mismatched}, "\n".join(human))
    return 6 if drifting or mismatched else 0


def _money_arg(value: str) -> Any:
    """An amount of money: at most two decimals, from 0."""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {limits.short(value)}") from None
    if not amount.is_finite():
        raise argparse.ArgumentTypeError(f"not an amount: {limits.short(value)}")
    try:
        return limits.check_price("the amount", amount)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _variance_words(variance: str | None) -> str:
    """" (short 3.00)" / " (over 3.00)" after a variance other than zero."""
    from decimal import Decimal

    if not variance or Decimal(variance) == 0:
        return ""
    return f" ({'short' if Decimal(variance) < 0 else 'over'} {abs(Decimal(variance))})"


def _till_human(r: dict[str, Any]) -> str:
    """A till report (X, Z or a clerk's blind status) as lines."""
    if not r.get("open", True) and "shift_id" not in r:
        return f"no till open for {r['clerk']}"
    head = (f"{r['kind']} report — till {r['shift_id']} of {r['clerk']} on {r['workstation']} ({r['status']}), "
            f"opened {r['opened_at']}" + (f", closed {r['closed_at']}" if r.get("closed_at") else ""))
    if r.get("blind"):  # a clerk before their count: counts only, no amount
        n = r["counts"]
        return "\n".join([head, (f"  {n['orders']} orders, {n['seats']} seats, {n['refunds']} refunds, "
                                 f"{n['drops']} drops, {n['payouts']} payouts"),
                           "  amounts: hidden until the drawer is counted (blind close)"])
    c = r["cash"]
    out = [head, f"  opening float {r['opening_float']} {r['currency']}",
           (f"  cash taken {c['cash_taken']}, change {c['change']}, cash refunds {c['cash_refunds']}, "
           f"payouts {c['payouts']}, drops {c['drops']}"),
           f"  expected {r['expected']}, counted {r['counted'] or '—'}, variance {r['variance'] or '—'}"
           + _variance_words(r["variance"])]
    if r.get("note"):
        out.append(f"  note: {r['note']}")
    if r.get("signed_off_by"):
        out.append(f"  signed off by {r['signed_off_by']}")
    for method, v in r["by_method"].items():
        out.append(f"  {method:<8} payments {v['payments']:>10}  refunds {v['refunds']:>10}  net {v['net']:>10}")
    for o in r["orders"]:
        seats = ", ".join(f"{x['label']} {x['zone']} {x['price_type']} {x['price']}" for x in o["seats"])
        flags = f"  [{', '.join(o['flags'])}]" if o["flags"] else ""
        out.append(f"  order {o['order_id']}: {seats}{flags}")
    for cand in r.get("candidates", []):
        why = "; ".join(cand["matches"] or cand["flags"]) or f"closest by {cand['distance']}"
        out.append(f"  could explain the variance: order {cand['order_id']} ({why})")
    for m in r.get("mismatches", []):
        out.append(f"  TENDER MISMATCH order {m['order_id']}: paid {m['paid_net']}, seats {m['live_total']}")
    return "\n".join(out)


def cmd_till(args: argparse.Namespace) -> None:
    """``boxoffice till open|status|drop|payout|close|report``, as the signed-in user."""
    app, caller = _signed_in(args)
    tills, user = app.tills, caller.username
    if args.sub == "open":
        workstation = args.workstation or app.settings.workstation
        r = tills.open(user, args.float, workstation)
        _out(args, r, f"till {r['shift_id']} open on {r['workstation']} with a float of {r['opening_float']}")
    elif args.sub == "status":
        r = tills.status(user)
        _out(args, r, _till_human(r))
    elif args.sub in ("drop", "payout"):
        r = getattr(tills, args.sub)(user, args.amount, args.reason)
        _out(args, r, f"{args.sub} of {args.amount} recorded on till {r['shift_id']}")
    elif args.sub == "close":
        from .domain.till import parse_count

        detail = parse_count(args.count) if args.count is not None else None
        override = {}
        if args.supervisor:
            if not args.supervisor_password_stdin and not sys.stdin.isatty():
                raise BadInput("--supervisor needs --supervisor-password-stdin (no terminal to ask)")
            override = {"supervisor": args.supervisor, "supervisor_password": _read_secret(
                f"password of supervisor {args.supervisor}: ")}
        r = tills.close(user, args.counted, detail, note=args.note, **override)
        _out(args, r, _till_human(r))
    else:  # report
        r = tills.report(user, args.id)
        if args.pdf:
            write_pdf("till", args.pdf, r)
        _out(args, r, _till_human(r) + (f"\nPDF written to {args.pdf}" if args.pdf else ""))


def cmd_bench_rush(args: argparse.Namespace) -> None:
    from .bench import rush

    rush(args)


def cmd_bench_pg_alone(args: argparse.Namespace) -> None:
    from .bench import pg_alone

    pg_alone(args)


def cmd_bench_outbox(args: argparse.Namespace) -> None:
    from .bench import outbox

    outbox(args)


def cmd_chaos(args: argparse.Namespace) -> int:
    """Exit 0 only if every scenario healed on its own (1 otherwise, the failed checks named)."""
    from .chaos import chaos

    return chaos(args)


def _report_date(value: str) -> str:
    from datetime import date

    try:
        date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {limits.short(value)}") from None
    return value.strip()


def _report_zone(value: str) -> str:
    from .services.reports import zone_of

    try:
        return zone_of(value)[0]
    except BadInput:
        raise argparse.ArgumentTypeError(f"unknown time zone {limits.short(value)}") from None


def _day_report_human(d: dict[str, Any]) -> str:
    t = d["totals"]
    out = [f"day report {d['day']} ({d['tz']}, {d['start']} to {d['end']}), amounts in {d['currency']}"]
    if not d["sessions"]:
        return out[0] + "\n  no orders or payments that day"
    out.append("  sessions:")
    for r in [*d["sessions"], t["sessions"]]:
        out.append(f"    {r['key']:>6} {r['name'][:36]:<36} sold {r['seats']:>5}  comps {r['comps']:>4}  "
                   f"refunds {r['refunds']:>3} ({r['refunded']})  held {r['held']:>4}  free {r['free']:>6}  "
                   f"{r['occupancy_pct']:>5}%  gross {r['gross']}")
    out.append("  clerks:")
    for r in [*d["clerks"], t["clerks"]]:
        methods = "  ".join(f"{m} {v}" for m, v in r["by_method"].items())
        out.append(f"    {r['key']:<12} orders {r['orders']:>4}  seats {r['seats']:>5}  refunds {r['refunds']:>3} "
                   f"({r['refunded']})  gross {r['gross']}  [{methods}]")
    out.append("  payment methods:")
    for r in [*d["methods"], t["methods"]]:
        out.append(f"    {r['key']:<8} payments {r['payments']:>12}  refunds {r['refunds']:>3} ({r['refunded']})  "
                   f"net {r['gross']}")
    out.append("  price types:")
    for r in [*d["types"], t["types"]]:
        out.append(f"    {r['key']:<12} {r['name'][:20]:<20} seats {r['seats']:>5}  gross {r['gross']}")
    return "\n".join(out)


def cmd_report_day(args: argparse.Namespace) -> None:
    from .services.reports import write_csv

    app, caller = _signed_in(args)
    report = app.reports.day(caller.username, args.date, args.tz)
    data = report.to_dict()
    written = []
    if args.csv:
        written.append(str(write_csv(report, args.csv)))
    if args.pdf:
        write_pdf("day", args.pdf, data)
        written.append(args.pdf)
    human = _day_report_human(data)
    if written:
        human += "\n" + "\n".join(f"written: {p}" for p in written)
    _out(args, data, human)


# -- parser -------------------------------------------------------------------------------------------------------
def _user_arg(q: argparse.ArgumentParser) -> None:
    """The old ``--user NAME``: still accepted from scripts, but it must name the signed-in user (exit 7)."""
    q.add_argument("--user", help=argparse.SUPPRESS)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # the error line already starts with "boxoffice: "; name the subcommand after it ("boxoffice: sell: …")
        command = self.prog.removeprefix("boxoffice").strip()
        raise BadInput(f"{command}: {message}" if command else message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="boxoffice", description="Box office operations (the GUI's twin).")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def leaf(parent: Any, name: str, fn: Handler, help: str, json_flag: bool = True) -> argparse.ArgumentParser:
        q = parent.add_parser(name, help=help, description=help)
        q.set_defaults(fn=fn)
        if json_flag:
            q.add_argument("--json", action="store_true", help="machine-readable output")
        return q

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    leaf(db, "upgrade", cmd_db_upgrade, "apply Alembic migrations")
    leaf(sub, "demo", cmd_demo, "load both layouts, a week of sessions and demo users (idempotent)")

    venue = sub.add_parser("venue", help="venues").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(venue, "import", cmd_venue_import, "import a layout file (docs/layout-format.md)")
    q.add_argument("path")
    leaf(venue, "list", cmd_venue_list, "list venues")

    session = sub.add_parser("session", help="sessions").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(session, "create", cmd_session_create, "create a session and warm its seat map")
    q.add_argument("--venue", type=_positive, required=True)
    q.add_argument("--name", required=True)
    q.add_argument("--starts", type=_iso, required=True, help="ISO 8601, e.g. 2026-12-01T19:30:00+01:00")
    q.add_argument("--ends", type=_iso, help="ISO 8601 (default: the start plus the venue's session length)")
    q.add_argument("--sales-close", type=_iso,
                   help="when sales close (default: a match one hour after it starts, a time slot at its end)")
    q.add_argument("--sales-open", type=_iso, help="when sales open (default: now)")
    q = leaf(session, "list", cmd_session_list, "list sessions not ended yet")
    q.add_argument("--all", action="store_true", help="ended sessions too")
    for name, fn, help_ in (("open", cmd_session_open, "put a session on sale now (supervisor)"),
                            ("close", cmd_session_close, "stop a session's sales now (supervisor)")):
        q = leaf(session, name, fn, help_)
        q.add_argument("id", type=_positive)
        _user_arg(q)
        q.add_argument("--reason", help="recorded in the audit log")
        if name == "open":
            q.add_argument("--until", type=_iso, help="sales close then (needed when the sales window has passed)")
    q = leaf(session, "show", cmd_session_show, "database and Redis figures of one session")
    q.add_argument("id", type=_positive)

    q = leaf(sub, "sell", cmd_sell, "sell seats through the booking path")
    q.add_argument("--session", type=_positive, required=True)
    what = q.add_mutually_exclusive_group(required=True)
    what.add_argument("--seats", help="comma-separated seat labels, e.g. N1-A-1,N1-A-2")
    what.add_argument("--best", type=_positive, help="best available N adjacent seats")
    q.add_argument("--zone", help="price zone for --best")
    _user_arg(q)
    paid = q.add_mutually_exclusive_group()
    paid.add_argument("--payment", choices=PAYMENT_METHODS, default="cash", help="how the whole amount is paid")
    paid.add_argument("--pay", metavar="METHOD:AMOUNT,...",
                      help="split tender, e.g. cash:50,card:90 (the amounts add up to the total; cash:50/60 when 60 "
                           "was handed over for a cash share of 50)")
    q.add_argument("--token", help="finish an interrupted sale with its token (returns the same order)")
    q.add_argument("--name", help="the customer's name (optional: to find the order again)")
    q.add_argument("--phone", help="the customer's phone (optional: to find the order again)")
    q.add_argument("--types", help="comma-separated price types, one per seat in the order of --seats (or N for "
                                   "--best N), e.g. child,adult,comp (default: all adult)")
    q.add_argument("--override-user", metavar="SUPERVISOR",
                   help="a supervisor approves a type that needs one (a complimentary ticket); password from a "
                        "prompt or the first line of standard input")

    prices = sub.add_parser("prices", help="price types and price lists").add_subparsers(
        dest="sub", required=True, parser_class=_Parser)
    q = leaf(prices, "import", cmd_prices_import,
             "import a price list (docs/price-types.md) for a venue or one session (supervisor)")
    q.add_argument("path")
    scope = q.add_mutually_exclusive_group(required=True)
    scope.add_argument("--venue", type=_positive)
    scope.add_argument("--session", type=_positive)
    q = leaf(prices, "list", cmd_prices_list, "a session's price types and prices per zone")
    q.add_argument("--session", type=_positive, required=True)

    q = leaf(sub, "hold", cmd_hold, "hold seats for a customer; finish with `sell --token` (or let it expire)")
    q.add_argument("--session", type=_positive, required=True)
    q.add_argument("--seats", required=True, help="comma-separated seat labels")
    _user_arg(q)

    order = sub.add_parser("order", help="orders").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(order, "show", cmd_order_show, "show one order")
    q.add_argument("id", type=_big_id)
    q = leaf(order, "find", cmd_order_find,
             "find orders by number, token, seat label (with --session), customer name or phone")
    q.add_argument("query")
    q.add_argument("--session", type=_positive, help="the session whose seat labels are looked up")
    _user_arg(q)
    q = leaf(order, "cancel", cmd_order_cancel, "cancel an order (or some of its seats) and refund it")
    q.add_argument("id", type=_big_id)
    _user_arg(q)
    q.add_argument("--reason", required=True)
    q.add_argument("--seats", help="comma-separated seat labels: cancel only these seats of the order (a partial "
                                   "refund)")
    q.add_argument("--override-user", metavar="SUPERVISOR",
                   help="a supervisor approves (needed unless you sold the order today); password from a prompt or "
                        "the first line of standard input")
    q = leaf(order, "reprint", cmd_order_reprint, "print an order's tickets again (the older codes stop verifying)",
             json_flag=True)
    q.add_argument("id", type=_big_id)
    _user_arg(q)
    q.add_argument("--seats", help="comma-separated seat labels: reprint only these seats' tickets")
    q.add_argument("--supervisor", metavar="NAME", help="a supervisor approves (a second reprint needs one)")
    q.add_argument("--supervisor-password-stdin", action="store_true",
                   help="read the supervisor's password from the first line of standard input")
    q.add_argument("--printer", metavar="SPEC",
                   help="pdf, system:NAME, escpos:tcp://HOST:PORT, escpos:file:/PATH, escpos:usb:VID:PID or "
                        "escpos:serial:DEVICE (default BOXOFFICE_PRINTER)")
    q = leaf(order, "exchange", cmd_order_exchange, "move an order to other seats of its session")
    q.add_argument("id", type=_big_id)
    q.add_argument("--seats", required=True,
                   help="comma-separated new seat labels (as many as the order has, or as --replacing names)")
    q.add_argument("--replacing", help="comma-separated seat labels of the order: move only these")
    _user_arg(q)
    q.add_argument("--reason", default="exchange")
    q.add_argument("--override-user", metavar="SUPERVISOR",
                   help="a supervisor approves a refund on another clerk's or an earlier day's order; password from "
                        "a prompt or the first line of standard input")

    ticket = sub.add_parser("ticket", help="tickets").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(ticket, "verify", cmd_ticket_verify, "check a scanned ticket code (exit 0 valid, 1 not)")
    q.add_argument("code")

    user = sub.add_parser("user", help="accounts").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(user, "add", cmd_user_add, "add a clerk or supervisor (password from a prompt or standard input)")
    q.add_argument("name")
    q.add_argument("--role", choices=("clerk", "supervisor"), required=True)
    q.add_argument("--display", help="full name shown in the window")
    q = leaf(user, "sessions", cmd_user_sessions, "supervisors: list CLI sign-ins, or revoke one")
    q.add_argument("--revoke", type=_positive, metavar="ID", help="end this CLI session now")
    q.add_argument("--all", action="store_true", help="also the expired and revoked ones of the last 7 days")

    q = leaf(sub, "login", cmd_login, "sign in (password from a prompt, or --password-stdin)")
    q.add_argument("--user", help="user name (asked for when missing)")
    q.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    leaf(sub, "logout", cmd_logout, "end this sign-in and forget its token")
    leaf(sub, "whoami", cmd_whoami, "the signed-in user, role and sign-in expiry")

    outbox = sub.add_parser("outbox", help="the outbox").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    leaf(outbox, "status", cmd_outbox_status, "pending, in flight, dead, oldest age, lag")
    leaf(outbox, "drain", cmd_outbox_drain, "publish everything pending and apply it now")
    q = leaf(outbox, "retry-dead", cmd_outbox_retry_dead, "queue dead letters again")
    q.add_argument("--id", type=_big_id, help="only this message")
    q.add_argument("--reason", default="boxoffice outbox retry-dead", help="reason written to the audit log")
    leaf(sub, "worker", cmd_worker, "run the background jobs headless (outbox relay, inventory consumer, sweeps, sales window, ...)", json_flag=False)

    cache = sub.add_parser("cache", help="Redis seat maps").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(cache, "rebuild", cmd_cache_rebuild, "rebuild seat maps from the database (bumps the epoch)")
    q.add_argument("--session", type=_positive)
    q.add_argument("--reason", default="boxoffice cache rebuild", help="reason written to the audit log")

    till = sub.add_parser("till", help="the clerk's till: open, drops, payouts, blind close, X/Z reports"
                          ).add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(till, "open", cmd_till, "open your till with a float")
    q.add_argument("--float", type=_money_arg, required=True, metavar="AMOUNT", help="the cash in the drawer")
    q.add_argument("--workstation", help="this till's name (default: BOXOFFICE_WORKSTATION or the host name)")
    leaf(till, "status", cmd_till, "your open till (blind: no expected cash before the count)")
    for name, help_ in (("drop", "cash taken from the drawer to the safe"), ("payout", "cash paid out of the drawer")):
        q = leaf(till, name, cmd_till, help_)
        q.add_argument("amount", type=_money_arg)
        q.add_argument("--reason", required=name == "payout", help="recorded with it and in the audit log")
    q = leaf(till, "close", cmd_till, "count your drawer (blind) and close the till with a supervisor's sign-off")
    counted = q.add_mutually_exclusive_group(required=True)
    counted.add_argument("--counted", type=_money_arg, metavar="AMOUNT", help="the counted cash, a total")
    counted.add_argument("--count", metavar="DxN,...", help="by denomination, e.g. 50x3,20x5,0.5x4")
    q.add_argument("--supervisor", metavar="NAME", help="the supervisor signing off (not needed if you are one)")
    q.add_argument("--supervisor-password-stdin", action="store_true",
                   help="read the supervisor's password from the first line of standard input")
    q.add_argument("--note", help="a note kept with the close")
    q = leaf(till, "report", cmd_till, "the X (open) or Z (closed) report of a till")
    q.add_argument("id", type=_positive)
    q.add_argument("--pdf", metavar="PATH", help="also write it as a PDF")

    q = leaf(sub, "reconcile", cmd_reconcile,
             "compare Redis, the orders and the stock ledger (exit 0 consistent, 6 drift remains)")
    q.add_argument("--session", type=_positive, help="only this session (default: every session not ended yet)")
    q.add_argument("--repair", action="store_true", help="repair what was found, then check again")
    _user_arg(q)
    q.add_argument("--reason", default="boxoffice reconcile --repair", help="reason written to the audit log")

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="sub", required=True, parser_class=_Parser)
    q = leaf(bench, "rush", cmd_bench_rush, "a ticket rush through the real path vs a DB-only path", json_flag=True)
    q.add_argument("--seats", type=_positive, default=2000, help="seats in the rushed session")
    q.add_argument("--requests", type=_positive, default=20000, help="purchase attempts")
    q.add_argument("--workers", type=_positive, default=4, help="worker processes (2 per core is plenty)")
    q.add_argument("--per-order", type=_positive, default=2, help="seats per request")
    q.add_argument("--pick", choices=("map", "random"), default="map",
                   help="map: each request takes a random free run from a live view of the map refreshed every "
                        "100 ms (clerks at live maps); random: uniformly random seats, free or not")
    q.add_argument("--skip-baseline", action="store_true", help="only the real path")
    q.add_argument("--degraded", action="store_true",
                   help="also rush the degraded path (Redis unreachable: the database alone sells) in this invocation")
    q = leaf(bench, "pg-alone", cmd_bench_pg_alone,
             "the sale statement alone in PostgreSQL (pgbench) vs the whole real path: the database's own ceiling",
             json_flag=True)
    q.add_argument("--seats", type=_positive, default=200_000, help="seats in each session (two per sale)")
    q.add_argument("--seconds", type=_positive, default=8, help="length of each pgbench run")
    q.add_argument("--requests", type=_positive, default=4000, help="sales in each real-path run")
    q.add_argument("--clients", type=_positive_list, default=[1, 2, 4],
                   help="comma-separated client counts (pgbench connections, real-path worker processes)")
    q.add_argument("--target", type=_positive, default=1500, help="sales/s to cost out against the figures")
    q = leaf(bench, "outbox", cmd_bench_outbox, "outbox drain throughput and commit-to-applied latency in a rush")
    q.add_argument("--messages", type=_positive, default=20000, help="backlog drained for the throughput figure")
    q.add_argument("--rush-seats", type=_positive, default=6000)
    q.add_argument("--rush-requests", type=_positive, default=2000)
    q.add_argument("--workers", type=_positive, default=4)

    report = sub.add_parser("report", help="reports (supervisors)").add_subparsers(dest="sub", required=True,
                                                                                 parser_class=_Parser)
    q = leaf(report, "day", cmd_report_day, "the end-of-day report: per session, clerk, payment method and price "
                                            "type (supervisors)")
    q.add_argument("--date", type=_report_date, help="the day, YYYY-MM-DD (default: today in --tz)")
    q.add_argument("--tz", type=_report_zone, help="IANA time zone of the day, e.g. Europe/Lisbon (default: this "
                                                   "machine's)")
    q.add_argument("--csv", metavar="PATH", help="also write one CSV (UTF-8 with BOM, a section column)")
    q.add_argument("--pdf", metavar="PATH", help="also write a PDF (A4, a table per section)")

    q = leaf(sub, "chaos", cmd_chaos, "fault scenarios with concurrent sellers; checks that each heals on its own "
             "(exit 0 only if all do)")
    q.add_argument("--scenario", action="append", metavar="NAME", help="run only this scenario (repeatable)")
    q.add_argument("--quick", action="store_true", help="every scenario shortened (the test suite runs this)")
    q.add_argument("--seed", type=_positive, help="seed of the random choices")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # pgserver asks platformdirs for a runtime dir
    as_json = "--json" in (argv if argv is not None else sys.argv[1:])
    try:
        args = build_parser().parse_args(argv)
        # WARNING unless -v (INFO) or BOXOFFICE_LOG_LEVEL says otherwise; APScheduler quiet (boxoffice/logs.py)
        logs.setup(verbose=args.verbose, console_format=CLI_LOG_FORMAT)
        return int(args.fn(args) or 0)
    except BoxOfficeError as exc:
        _err(as_json, exc.as_dict(), f"boxoffice: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err(as_json, {"error": "interrupted", "message": "interrupted"}, "boxoffice: interrupted")
        return 130
    except Exception as exc:  # the last resort: still one readable line, never a traceback
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        _err(as_json, {"error": "internal", "message": f"{exc.__class__.__name__}: {exc}"},
             f"boxoffice: internal error: {exc.__class__.__name__}: {exc}")
        return 1


def _err(as_json: bool, data: dict[str, Any], line: str) -> None:
    print(json.dumps(data) if as_json else line.replace("\n", " "), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
