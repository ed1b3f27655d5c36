"""Settings from the environment. Reading settings does no I/O beyond ``os.environ``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .errors import BadInput

APP_NAME = "boxoffice"


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise BadInput(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise BadInput(f"{name}={raw!r} must be positive")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once by :func:`load_settings`."""

    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    redis_prefix: str = "bo"
    token_ttl_s: float = 30.0
    hold_ttl_s: float = 600.0
    lock_timeout_ms: int = 2000
    #: outstanding tokens allowed per free seat (the gate of DESIGN §2 step 1), and a floor for small stock
    gate_per_free_seat: float = 2.0
    gate_min: int = 64
    ticket_secret: str | None = None
    #: outbox relay and consumer (DESIGN §5)
    outbox_batch: int = 500
    outbox_lease_s: float = 30.0
    outbox_max_attempts: int = 8
    outbox_backoff_s: float = 0.5
    outbox_backoff_max_s: float = 300.0
    #: a message published this long ago and still not applied is published again (the stream lost it: a Redis
    #: restart without persistence, a failover); reconciliation counts only younger messages as in flight
    outbox_redeliver_s: float = 90.0
    consumer_claim_idle_ms: int = 30_000
    consumer_max_failures: int = 5
    relay_interval_s: float = 0.2
    sweep_interval_s: float = 15.0
    #: how often every process looks for sales whose database outcome was unknown, to settle them once it answers
    resolve_interval_s: float = 2.0
    #: reconciliation (DESIGN §6): how often the job checks every session, and what it does with drift
    reconcile_interval_s: float = 60.0
    reconcile_mode: str = "repair"  # off | report | repair (the safe classes)
    #: a difference must still be there this long after it was first seen to count as drift (not a sale in flight)
    reconcile_confirm_s: float = 0.5
    #: Redis unreachable: ``auto`` sells from the database alone until it answers again, ``off`` refuses (exit 5)
    degraded: str = "auto"
    #: record an outage in the audit log, so the first process to see Redis again rebuilds the seat maps (False only
    #: for processes pointed at a dead address on purpose: ``bench rush --degraded``)
    record_outages: bool = True
    #: where the CLI keeps its sign-in token (``boxoffice login``), and how long a CLI session lasts
    state_dir: Path = field(default_factory=lambda: Path(platformdirs.user_state_dir(APP_NAME)))
    cli_session_hours: float = 8.0
    #: the currency of every price and payment (ISO 4217 code); receipts and the windows format amounts with it in
    #: the window's locale
    currency: str = "EUR"
    #: a sale needs its clerk's open till shift (BOXOFFICE_REQUIRE_TILL=no: sales without a till, paid into none)
    require_till: bool = True
    #: where tickets and receipts print (BOXOFFICE_PRINTER; a workstation's own setting overrides it in the window):
    #: pdf | system:NAME | escpos:tcp://HOST:PORT | escpos:file:/PATH | escpos:usb:VID:PID | escpos:serial:DEVICE
    printer: str = "pdf"
    #: this machine's name for its till (BOXOFFICE_WORKSTATION, else the host name): one open till per workstation
    workstation: str = field(default_factory=lambda: _hostname())

    @property
    def embedded(self) -> bool:
        return self.database_url is None or self.redis_url is None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data_dir = env.get("BOXOFFICE_DATA_DIR")
    prefix = env.get("BOXOFFICE_REDIS_PREFIX", "bo")
    if not prefix or any(c in prefix for c in "{}: "):
        raise BadInput(f"BOXOFFICE_REDIS_PREFIX={prefix!r} must be non-empty without braces, colons or spaces")
    return Settings(
        database_url=env.get("BOXOFFICE_DATABASE_URL") or None,
        redis_url=env.get("BOXOFFICE_REDIS_URL") or None,
        data_dir=Path(data_dir).expanduser() if data_dir else Path(platformdirs.user_data_dir(APP_NAME)),
        redis_prefix=prefix,
        token_ttl_s=_float(env, "BOXOFFICE_TOKEN_TTL", 30.0),
        hold_ttl_s=_float(env, "BOXOFFICE_HOLD_TTL", 600.0),
        lock_timeout_ms=int(_float(env, "BOXOFFICE_LOCK_TIMEOUT_MS", 2000)),
        ticket_secret=env.get("BOXOFFICE_TICKET_SECRET") or None,
        outbox_lease_s=_float(env, "BOXOFFICE_OUTBOX_LEASE", 30.0),
        outbox_redeliver_s=_float(env, "BOXOFFICE_OUTBOX_REDELIVER", 3 * _float(env, "BOXOFFICE_OUTBOX_LEASE", 30.0)),
        consumer_claim_idle_ms=int(_float(env, "BOXOFFICE_CLAIM_IDLE_MS", 30_000)),
        relay_interval_s=_float(env, "BOXOFFICE_RELAY_INTERVAL", 0.2),
        resolve_interval_s=_float(env, "BOXOFFICE_RESOLVE_INTERVAL", 2.0),
        reconcile_interval_s=_float(env, "BOXOFFICE_RECONCILE_INTERVAL", 60.0),
        reconcile_mode=_choice(env, "BOXOFFICE_RECONCILE_MODE", ("off", "report", "repair"), "repair"),
        reconcile_confirm_s=_float(env, "BOXOFFICE_RECONCILE_CONFIRM", 0.5),
        degraded=_choice(env, "BOXOFFICE_DEGRADED", ("auto", "off"), "auto"),
        state_dir=(Path(env["BOXOFFICE_STATE_DIR"]).expanduser() if env.get("BOXOFFICE_STATE_DIR")
                   else Path(platformdirs.user_state_dir(APP_NAME))),
        cli_session_hours=_float(env, "BOXOFFICE_CLI_SESSION_HOURS", 8.0),
        currency=_currency(env),
        require_till=_choice(env, "BOXOFFICE_REQUIRE_TILL", ("yes", "no"), "yes") == "yes",
        printer=_printer(env),
        workstation=(env.get("BOXOFFICE_WORKSTATION") or "").strip() or _hostname(),
    )


def _hostname() -> str:
    import socket

    return socket.gethostname() or "localhost"


def _currency(env: dict[str, str]) -> str:
    """``BOXOFFICE_CURRENCY``: an ISO 4217 code such as EUR, CNY or GBP (three letters; default EUR)."""
    raw = (env.get("BOXOFFICE_CURRENCY") or "EUR").strip().upper()
    if len(raw) != 3 or not raw.isascii() or not raw.isalpha():
        raise BadInput(f"BOXOFFICE_CURRENCY={raw!r} must be an ISO 4217 currency code such as EUR, CNY or GBP")
    return raw


def _printer(env: dict[str, str]) -> str:
    """``BOXOFFICE_PRINTER``, checked (see boxoffice/adapters/printers/spec.py), in its normal spelling."""
    from .adapters.printers.spec import parse_printer

    raw = env.get("BOXOFFICE_PRINTER")
    try:
        return str(parse_printer(raw))
    except BadInput as exc:
        raise BadInput(f"BOXOFFICE_PRINTER: {exc}") from None


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or default).strip().lower()
    if raw not in allowed:
        raise BadInput(f"{name}={raw!r} must be one of {', '.join(allowed)}")
    return raw


def sqlalchemy_url(url: str) -> str:
    """Accept ``postgres://``, ``postgresql://`` or ``postgresql+psycopg://`` and use the psycopg 3 driver."""
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    raise BadInput(f"BOXOFFICE_DATABASE_URL must be a postgresql:// URL, got {url.split('://')[0]}://…")
