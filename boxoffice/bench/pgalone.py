"""``boxoffice bench pg-alone``: the sale statement alone in PostgreSQL (pgbench) against the whole real path."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from ..config import load_settings
from ..domain.layout import parse_layout
from ..domain.synthetic import bench_layout_doc
from .common import machine_busy_s, real_worker, run_workers, split


def pgbench_sale_script(price: Decimal) -> str:
    """The sale statement (``SALE_SQL``, verbatim) as a pgbench script: each transaction sells two fresh adjacent
    seats, ``(client_id * stride + k) * 2`` and the next, with ``k`` counting the client's transactions."""
    import re

    from psycopg import sql

    from ..adapters import locks
    from ..adapters.repos.orders import SALE_SQL

    total = f"{price * 2:.2f}"
    values = {
        "ns": str(locks.INVENTORY), "sid": ":sid", "uid": ":uid", "n": "2", "method": "'cash'", "total": total,
        "token": "'pgbench-' || :run || '-' || :client_id || '-' || :k",
        "idx": "ARRAY[:a, :a + 1]", "labels": "ARRAY['s' || :a, 's' || (:a + 1)]", "zones": "ARRAY['G', 'G']",
        "prices": f"ARRAY[{price}, {price}]", "types": "ARRAY['adult', 'adult']",
        "audit": sql.Literal(json.dumps({"seats": ["s0", "s1"], "total": total, "payment": "cash"})).as_string(),
        "cname": "NULL", "cphone": "NULL",  # a walk-up sale: no customer noted
        # paid in cash, exact money, with no till required (the statement still looks for the clerk's open till)
        "t_methods": "ARRAY['cash']", "t_amounts": f"ARRAY[{total}]", "t_tendered": "ARRAY[NULL]::numeric[]",
        "need_till": "false",
    }
    body = re.sub(r"%\((\w+)\)s", lambda m: f"({values[m.group(1)]})", SALE_SQL)
    return "\\set k :k + 1\n\\set a (:client_id * :stride + :k) * 2\n" + " ".join(body.split()) + ";\n"


def _pgbench_binary() -> str:
    import shutil

    found = shutil.which("pgbench")
    if found:
        return found
    try:  # the embedded server's package ships one
        import pgserver

        bundled = os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin", "pgbench")
    except ImportError:
        bundled = ""
    if bundled and os.access(bundled, os.X_OK):
        return bundled
    raise RuntimeError("pgbench not found: install PostgreSQL's client programs (Debian: postgresql-client)")


@dataclass
class CeilingRun:
    clients: int
    sales: int
    transactions: int
    seconds: float
    machine_cpu_s: float | None

    @property
    def sales_per_s(self) -> float:
        return self.sales / self.seconds

    @property
    def cpu_ms_per_sale(self) -> float | None:
        return self.machine_cpu_s / self.sales * 1000 if self.machine_cpu_s is not None and self.sales else None


def pg_alone(args: Any) -> None:
    """The sale statement alone in PostgreSQL (pgbench, a C client: no Python, no Redis) against the whole real path,
    same servers, same invocation: how much of the database's own ceiling the box office reaches, and how much
    machine CPU a sale costs each way."""
    import subprocess
    import tempfile

    from sqlalchemy.engine import make_url

    from ..adapters.db import SALE_OPTIONS
    from ..bootstrap import build, resolve_servers
    from ..config import sqlalchemy_url

    pgbench = _pgbench_binary()
    # its clerks sell without till shifts (the statement still looks for one: the cost is measured)
    settings = replace(resolve_servers(load_settings()), require_till=False)
    clients = sorted(set(args.clients))
    settings = replace(settings, gate_min=max(settings.gate_min, max(clients) * 4))
    app = build(settings, migrate=True)
    assert settings.database_url
    url = make_url(sqlalchemy_url(settings.database_url)).set(drivername="postgresql")
    seats = args.seats
    name = f"bench pg-alone {datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    venue, _ = app.catalog.import_venue(parse_layout(bench_layout_doc(seats, name)))
    uid = app.accounts.ensure("bench", "Benchmark", "system")[0].user_id
    layout = app.catalog.layout(venue.venue_id)
    labels = [s.label for s in layout.seats]
    start = datetime.now(timezone.utc) + timedelta(days=1)
    report: dict[str, Any] = {"seats": seats, "seconds": args.seconds, "pg_alone": [], "real": []}
    print(f"pg-alone: the sale statement alone (pgbench, prepared, generic plan, {args.seconds:g} s a run) against "
          f"the real path ({args.requests:,} sales a run), {seats:,}-seat sessions")
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="boxoffice-sale-") as script:
            script.write(pgbench_sale_script(layout.zones[0].price))
            script.flush()
            pg_runs = []
            for c in clients:
                session, _ = app.catalog.create_session(venue.venue_id, f"pg-alone x{c}", start)
                run = secrets.token_hex(4)
                busy0 = machine_busy_s()
                done = subprocess.run(
                    [pgbench, "-n", "-M", "prepared", "-f", script.name, "-T", str(args.seconds),
                     "-c", str(c), "-j", str(c), "-D", "k=0", "-D", f"stride={seats // 2 // c}", "-D", f"run={run}",
                     "-D", f"sid={session.session_id}", "-D", f"uid={uid}",
                     url.render_as_string(hide_password=False)],
                    env=dict(os.environ, PGOPTIONS=SALE_OPTIONS), capture_output=True, text=True, check=False,
                )
                busy1 = machine_busy_s()
                if done.returncode != 0:
                    said = (done.stderr or done.stdout).strip().splitlines()
                    raise RuntimeError(f"pgbench failed: {next((ln for ln in said if 'ERROR' in ln), said[-1] if said else '')}")
                tx = next((int(line.split(":")[1]) for line in done.stdout.splitlines()
                           if line.startswith("number of transactions actually processed")), 0)
                with app.uow() as t:
                    sold = t.session.execute(text("SELECT count(*) FROM orders WHERE token LIKE :p"),
                                             {"p": f"pgbench-{run}-%"}).scalar_one()
                pg_runs.append(CeilingRun(c, sold, tx, float(args.seconds),
                                          busy1 - busy0 if busy0 is not None and busy1 is not None else None))
            real_runs = []
            pairs = [(2 * i, 2 * i + 1) for i in range(min(args.requests, seats // 2))]
            for c in clients:
                session, _ = app.catalog.create_session(venue.venue_id, f"real path x{c}", start)
                app.inventory.rebuild(session.session_id)
                fig = run_workers(real_worker, lambda w, c=c, sid=session.session_id: (settings, sid, labels,
                                                                               split(pairs, c)[w], "random", w),
                           c, f"real path x{c}", len(pairs))
                real_runs.append(CeilingRun(c, fig.successful, fig.db_transactions, fig.wall_s, fig.machine_cpu_s))
        print(f"\n{'':<28}{'clients':>8}{'sales/s':>10}{'refused':>9}{'machine CPU/sale':>18}")
        for label, runs in (("PostgreSQL alone (pgbench)", pg_runs), ("real path (box office)", real_runs)):
            for r in runs:
                cpu = f"{r.cpu_ms_per_sale:.2f} ms" if r.cpu_ms_per_sale is not None else "n/a"
                print(f"{label:<28}{r.clients:>8}{r.sales_per_s:>10,.0f}{r.transactions - r.sales:>9,}{cpu:>18}")
                label = ""
        for r in pg_runs:
            if r.sales < r.transactions * 0.99:
                print(f"note: pgbench with {r.clients} client(s) ran out of fresh seats; use fewer --seconds")
        best_pg = max(pg_runs, key=lambda r: r.sales_per_s)
        best_real = max(real_runs, key=lambda r: r.sales_per_s)
        print(f"\nratio real path / PostgreSQL alone, best of each: {best_real.sales_per_s / best_pg.sales_per_s:.2f} "
              f"({best_real.sales_per_s:,.0f} / {best_pg.sales_per_s:,.0f} sales/s)")
        cores = os.cpu_count() or 1
        if best_pg.cpu_ms_per_sale is not None:
            need = args.target * best_pg.cpu_ms_per_sale / 1000
            print(f"{args.target:,} sales/s would take {need:.2f} of this machine's {cores} cores for PostgreSQL "
                  f"alone (at its best run's {best_pg.cpu_ms_per_sale:.2f} ms a sale), leaving "
                  f"{max(0.0, (cores - need) / args.target * 1e6):,.0f} µs a sale for Redis and the client")
        report["pg_alone"] = [r.__dict__ for r in pg_runs]
        report["real"] = [r.__dict__ for r in real_runs]
    finally:
        for sid in [s.session_id for s in app.catalog.list_sessions() if s.venue_id == venue.venue_id]:
            app.store.drop(sid)
        app.catalog.delete_venue(venue.venue_id)
        app.close()
    if getattr(args, "json", False):
        print(json.dumps(report, default=str))
