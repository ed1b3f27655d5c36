"""The end-of-day report on real servers: a day with known sales (two sessions, two clerks, cash / card / voucher /
split tenders, a child and a comp ticket, a full and a partial refund, a held seat, sales either side of local
midnight). The report's figures are checked against the figures known by hand and against figures this test computes
on its own from the orders and payments rows (ORM queries); the CSV read back and the PDF are checked too.

The test's orders and payments are moved to a day of their own far in the future (their ``created_at``), so no other
test's sales fall in it.
"""

from __future__ import annotations

import csv
import random
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from boxoffice.adapters import models
from boxoffice.cli import write_pdf
from boxoffice.domain.values import PAYMENT_METHODS, Tender
from boxoffice.errors import BadInput, PermissionDenied
from boxoffice.services.booking import SaleRequest
from boxoffice.services.reports import write_csv
from tests.conftest import TEST_PASSWORD, make_session

TZ = "America/New_York"


def pdf_pages(path, png: str | None = None) -> int:
    """The PDF's page count (Qt's PDF reader); with ``png``, its first page rendered there to look at."""
    from pathlib import Path

    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument(None)
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    if png:
        Path(png).parent.mkdir(exist_ok=True)
        assert doc.render(0, QSize(1403, 992)).save(png)
    return doc.pageCount()
D = Decimal


def _add_price_types(app, venue_id: int) -> None:
    with app.uow() as tx:
        s = tx.session
        s.add_all([
            models.PriceType(venue_id=venue_id, code="adult", name="Adult", position=0),
            models.PriceType(venue_id=venue_id, code="child", name="Child", position=1, notice="check proof of age"),
            models.PriceType(venue_id=venue_id, code="comp", name="Complimentary", position=2, needs_supervisor=True),
            models.ZonePrice(venue_id=venue_id, zone="A", price_type="child", price=D("10.00")),
            models.ZonePrice(venue_id=venue_id, zone="B", price_type="child", price=D("6.00")),
            models.ZonePrice(venue_id=venue_id, zone="A", price_type="comp", price=D("0.00")),
            models.ZonePrice(venue_id=venue_id, zone="B", price_type="comp", price=D("0.00")),
        ])
        tx.commit()


def _open_till(app, username: str) -> int:
    with app.uow() as tx:
        user = tx.session.execute(select(models.User).where(models.User.username == username)).scalar_one()
        shift = models.TillShift(user_id=user.id, workstation=f"report-test-{secrets.token_hex(4)}",
                                 opening_float=D("100.00"))
        tx.session.add(shift)
        tx.session.flush()
        tx.commit()
        return shift.id


def _close_tills(app, ids: list[int]) -> None:
    with app.uow() as tx:
        tx.session.execute(update(models.TillShift).where(models.TillShift.id.in_(ids))
                           .values(status="closed", closed_at=datetime.now().astimezone()))
        tx.commit()


def _move(app, order_id: int, at: datetime, refunds_at: datetime | None = None) -> None:
    """The order and its payments made at ``at`` (its refunds at ``refunds_at``)."""
    with app.uow() as tx:
        s = tx.session
        s.execute(update(models.Order).where(models.Order.id == order_id).values(created_at=at))
        s.execute(update(models.Payment).where(models.Payment.order_id == order_id, models.Payment.kind == "payment")
                  .values(created_at=at))
        if refunds_at is not None:
            s.execute(update(models.Payment).where(models.Payment.order_id == order_id,
                                                   models.Payment.kind == "refund").values(created_at=refunds_at))
        tx.commit()


@pytest.fixture(scope="module")
def day(app):
    """The known day: returns (date, session ids, order ids by name, till ids)."""
    zone = ZoneInfo(TZ)
    the_day = date(2035, 1, 1) + timedelta(days=random.randrange(3000))
    s1, s2 = make_session(app, name="Report match one"), make_session(app, name="Report match two")
    for s in (s1, s2):
        _add_price_types(app, s.venue_id)
    tills = [_open_till(app, u) for u in ("alice", "bob", "sam")]

    def sell(sid, user, seats, **kw):
        return app.booking.sell(SaleRequest(sid, user, seats=tuple(seats), **kw)).order_id

    a, b = s1.session_id, s2.session_id
    o = {
        "o1": sell(a, "alice", ["S1-A-2", "S1-A-3"], payment="cash", tendered=D("50.00")),
        "o2": sell(a, "alice", ["S1-A-4", "S1-A-5"], price_types=("adult", "child"),
                   tenders=(Tender("cash", D("10.00")), Tender("card", D("20.00")))),
        "o3": sell(a, "bob", ["S2-C-1", "S2-C-2"], payment="card"),
        "o4": sell(a, "bob", ["S1-B-1", "S1-B-2"], price_types=("comp", "adult"), payment="card",
                   supervisor="sam", supervisor_password=TEST_PASSWORD),
        "o5": sell(b, "alice", ["S1-A-2"], tenders=(Tender("voucher", D("20.00")),)),
        "o6": sell(b, "bob", ["S2-C-1", "S2-C-2"], price_types=("child", "child"), payment="cash"),
        "o7": sell(b, "alice", ["S1-A-3"], payment="cash"),
        "o8": sell(b, "bob", ["S1-A-4"], payment="cash"),
    }
    app.aftersale.cancel(o["o3"], "sam", "match ticket returned")
    app.aftersale.cancel(o["o2"], "sam", "child could not come", seats=["S1-A-5"])
    app.booking.hold(a, "alice", ["S1-A-9"])
    noon = datetime.combine(the_day, time(12), zone)
    for i, name in enumerate(("o1", "o2", "o3", "o4", "o5", "o6")):
        _move(app, o[name], noon + timedelta(minutes=i), refunds_at=noon + timedelta(hours=3))
    _move(app, o["o7"], datetime.combine(the_day, time(0), zone))  # the first instant of the day: in it
    _move(app, o["o8"], datetime.combine(the_day, time(0), zone) - timedelta(milliseconds=1))  # the day before
    yield the_day, (a, b), o, tills
    _close_tills(app, tills)


# -- the test's own figures, from the rows ---------------------------------------------------------------------------
def independent(app, the_day: date) -> dict:
    zone = ZoneInfo(TZ)
    start = datetime.combine(the_day, time(0), zone)
    end = datetime.combine(the_day + timedelta(days=1), time(0), zone)
    with app.uow() as tx:
        s = tx.session
        users = {u.id: u.username for u in s.execute(select(models.User)).scalars()}
        def plain(q, *cols):  # rows as plain values (the ORM objects do not outlive the transaction)
            return [SimpleNamespace(**{c: getattr(r, c) for c in cols}) for r in s.execute(q).scalars()]

        orders = plain(select(models.Order).where(models.Order.created_at >= start, models.Order.created_at < end),
                       "id", "user_id", "session_id")
        order_ids = [o.id for o in orders]
        lines = plain(select(models.OrderLine).where(models.OrderLine.order_id.in_(order_ids), models.OrderLine.active),
                      "order_id", "session_id", "price", "price_type")
        pays = plain(select(models.Payment).where(models.Payment.created_at >= start, models.Payment.created_at < end),
                     "order_id", "kind", "method", "amount", "shift_id", "created_at")
        pay_orders = {o.id: o for o in plain(select(models.Order).where(
            models.Order.id.in_({p.order_id for p in pays})), "id", "user_id", "session_id")}
        shifts = {t.id: t.user_id for t in s.execute(select(models.TillShift)).scalars()}
        comp_types = {(t.venue_id, t.code) for t in s.execute(select(models.PriceType)).scalars()
                      if t.needs_supervisor}
        venue_of = {x.id: x.venue_id for x in s.execute(select(models.Session)).scalars()}
    seller = {o.id: users[o.user_id] for o in orders}
    fig: dict = {"session": defaultdict(lambda: defaultdict(D)), "clerk": defaultdict(lambda: defaultdict(D)),
                 "method": defaultdict(lambda: defaultdict(D)), "type": defaultdict(lambda: defaultdict(D))}
    for o in orders:
        fig["clerk"][users[o.user_id]]["orders"] += 1
    for ln in lines:
        comp = ln.price == 0 or (venue_of[ln.session_id], ln.price_type) in comp_types
        fig["session"][ln.session_id]["seats"] += 1
        fig["session"][ln.session_id]["comps"] += comp
        fig["clerk"][seller[ln.order_id]]["seats"] += 1
        fig["type"][ln.price_type]["seats"] += 1
        fig["type"][ln.price_type]["gross"] += ln.price
    refund_ops: dict = defaultdict(set)
    for p in pays:
        order = pay_orders[p.order_id]
        handler = users[shifts[p.shift_id]] if p.shift_id is not None else users[order.user_id]
        sign = 1 if p.kind == "payment" else -1
        for key, f in ((order.session_id, fig["session"]), (handler, fig["clerk"]), (p.method, fig["method"])):
            f[key]["gross"] += sign * p.amount
            f[key]["payments" if p.kind == "payment" else "refunded"] += p.amount
        fig["clerk"][handler][p.method] += sign * p.amount
        if p.kind == "refund":
            fig["method"][p.method]["refunds"] += 1
            refund_ops[("session", order.session_id)].add((p.order_id, p.created_at))
            refund_ops[("clerk", handler)].add((p.order_id, p.created_at))
    for (kind, key), ops in refund_ops.items():
        fig[kind][key]["refunds"] = len(ops)
    return fig


def test_day_report_matches_known_and_independent_figures(app, day, tmp_path):
    the_day, (a, b), _orders, _ = day
    report = app.reports.day("sam", the_day, TZ)
    assert report.day == the_day and report.tz == TZ
    assert report.start == datetime.combine(the_day, time(0), ZoneInfo(TZ))

    # figures known by hand
    t = report.totals
    assert t["methods"]["payments"] == D("167.00")  # 40 + 10 + 20 + 25 + 20 + 20 + 12 + 20 (o7 at 00:00)
    assert t["methods"]["refunded"] == D("35.00") and t["methods"]["refunds"] == 2  # o3 card 25, o2's child card 10
    assert t["methods"]["gross"] == D("132.00")
    methods = {m.key: m for m in report.methods}
    assert [m.key for m in report.methods] == list(PAYMENT_METHODS)
    assert (methods["cash"].gross, methods["card"].gross, methods["voucher"].gross) == (D("82.00"), D("30.00"),
                                                                                        D("20.00"))
    sessions = {int(s.key): s for s in report.sessions}
    assert set(sessions) == {a, b}
    s1, s2 = sessions[a], sessions[b]
    assert (s1.seats, s1.comps, s1.refunds, s1.refunded, s1.payments, s1.gross) == (5, 1, 2, D("35.00"), D("115.00"),
                                                                                    D("80.00"))
    assert (s1.held, s1.sold_now, s1.capacity, s1.free, s1.occupancy_pct) == (1, 5, 40, 33, D("12.5"))
    assert (s2.seats, s2.comps, s2.refunds, s2.gross, s2.sold_now, s2.held, s2.free) == (4, 0, 0, D("52.00"), 5, 0, 34)
    clerks = {c.key: c for c in report.clerks}
    assert set(clerks) == {"alice", "bob", "sam"}
    assert clerks["alice"].name == "Alice Martin"
    assert (clerks["alice"].orders, clerks["alice"].seats, clerks["alice"].gross) == (4, 5, D("110.00"))
    assert (clerks["bob"].orders, clerks["bob"].seats, clerks["bob"].gross) == (3, 4, D("57.00"))
    assert (clerks["sam"].orders, clerks["sam"].refunds, clerks["sam"].gross) == (0, 2, D("-35.00"))
    assert clerks["sam"].by_method == {"cash": D("0.00"), "card": D("-35.00"), "voucher": D("0.00")}
    types = {x.key: x for x in report.types}
    assert [x.key for x in report.types] == ["adult", "child", "comp"]  # the venue's order
    assert (types["adult"].seats, types["adult"].gross) == (6, D("120.00"))
    assert (types["child"].seats, types["child"].gross, types["child"].name) == (2, D("12.00"), "Child")
    assert (types["comp"].seats, types["comp"].comps, types["comp"].gross) == (1, 1, D("0.00"))
    assert t["sessions"]["seats"] == t["types"]["seats"] == t["clerks"]["seats"] == 9
    assert t["clerks"]["gross"] == t["sessions"]["gross"] == D("132.00")

    # figures the test computes on its own from the rows
    fig = independent(app, the_day)
    for s in report.sessions:
        f = fig["session"][int(s.key)]
        assert (s.seats, s.comps, s.refunds, s.refunded, s.payments, s.gross) == (
            f["seats"], f["comps"], f["refunds"], f["refunded"], f["payments"], f["gross"]), s.key
    assert {int(k) for k in fig["session"]} == set(sessions)
    for c in report.clerks:
        f = fig["clerk"][c.key]
        assert (c.orders, c.seats, c.refunds, c.refunded, c.payments, c.gross) == (
            f["orders"], f["seats"], f["refunds"], f["refunded"], f["payments"], f["gross"]), c.key
        assert c.by_method == {m: f[m] for m in PAYMENT_METHODS}, c.key
    assert set(fig["clerk"]) == set(clerks)
    for m in report.methods:
        f = fig["method"][m.key]
        assert (m.payments, m.refunds, m.refunded, m.gross) == (f["payments"], f["refunds"], f["refunded"], f["gross"])
    for x in report.types:
        assert (x.seats, x.gross) == (fig["type"][x.key]["seats"], fig["type"][x.key]["gross"])
    assert set(fig["type"]) == set(types)

    # the CSV read back: the same figures
    path = write_csv(report, tmp_path / "day.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads names in any script
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by = {(r["section"], r["key"]): r for r in rows}
    assert [r["section"] for r in rows].count("sessions") == 3  # two sessions and the totals row
    for s in report.sessions:
        r = by[("sessions", s.key)]
        assert (int(r["seats"]), int(r["comps"]), int(r["refunds"]), D(r["refunded"]), int(r["held"]),
                int(r["free"]), D(r["occupancy_pct"]), D(r["payments"]), D(r["gross"])) == (
            s.seats, s.comps, s.refunds, s.refunded, s.held, s.free, s.occupancy_pct, s.payments, s.gross)
    for c in report.clerks:
        r = by[("clerks", c.key)]
        assert (r["name"], int(r["orders"]), int(r["seats"]), D(r["gross"])) == (c.name, c.orders, c.seats, c.gross)
        assert {m: D(r[m]) for m in PAYMENT_METHODS} == c.by_method
    for m in report.methods:
        r = by[("methods", m.key)]
        assert (D(r["payments"]), int(r["refunds"]), D(r["refunded"]), D(r["gross"])) == (m.payments, m.refunds,
                                                                                         m.refunded, m.gross)
    for x in report.types:
        r = by[("types", x.key)]
        assert (int(r["seats"]), D(r["gross"])) == (x.seats, x.gross)
    assert D(by[("methods", "TOTAL")]["gross"]) == D("132.00")
    assert int(by[("types", "TOTAL")]["seats"]) == 9

    # the PDF: through the CLI's writer lookup (the ``boxoffice.pdf`` entry point ``day``)
    pdf = tmp_path / "day.pdf"
    write_pdf("day", str(pdf), report.to_dict())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(pdf, "/tmp/boxoffice-shots/day_report_page1.png") == 4  # a page per section: none of them is longer than a page


def test_midnight_sales_land_on_their_local_day(app, day):
    the_day, (_a, b), _orders, _ = day
    before = app.reports.day("sam", the_day - timedelta(days=1), TZ)
    # only o8 (one millisecond before local midnight) is the day before's
    assert [(int(s.key), s.seats, s.gross) for s in before.sessions] == [(b, 1, D("20.00"))]
    assert [(c.key, c.orders, c.by_method["cash"]) for c in before.clerks] == [("bob", 1, D("20.00"))]
    # in UTC local midnight is 04:00 or 05:00: o7 and o8, either side of it, are both on the UTC day
    utc = app.reports.day("sam", the_day, "UTC")
    assert utc.totals["methods"]["payments"] == D("187.00")
    assert {int(s.key): s.seats for s in utc.sessions}[b] == 5
    after = app.reports.day("sam", the_day + timedelta(days=1), TZ)
    assert after.empty and after.totals["methods"]["gross"] == D("0.00")


def test_a_clerk_is_refused_and_bad_input_is_named(app, day):
    with pytest.raises(PermissionDenied):
        app.reports.day("alice", None, TZ)
    with pytest.raises(PermissionDenied):
        app.insights.sales_by_price_type("bob", day[1][0])
    # the charts' split by price type: the live lines of the whole session, whatever the day
    assert [(t.code, t.sold, t.revenue) for t in app.insights.sales_by_price_type("sam", day[1][0])] == [
        ("adult", 4, D("80.00")), ("child", 0, D("0.00")), ("comp", 1, D("0.00"))]  # o1 2, o2 1, o4 1 + the comp
    with pytest.raises(BadInput) as bad:
        app.reports.day("sam", "2026-02-30", TZ)
    assert bad.value.reason == "bad_report_date"
    with pytest.raises(BadInput) as bad:
        app.reports.day("sam", None, "Mars/Olympus")
    assert bad.value.reason == "unknown_time_zone"
