"""A till's X or Z report as an A4 PDF (Qt's PDF writer): header, the cash figures, the per-method table, and the
trace — every order of the shift with its seats, tenders and flags, and the orders that could explain a variance.

``write_till_report(path, report)`` is the ``till`` writer of the ``boxoffice.pdf`` entry points (the CLI's
``till report --pdf``); ``report`` is the dict :meth:`boxoffice.services.tills.Tills.report` returns (its JSON). A
blind report (a clerk's, before the count) has no expected cash, and neither has its PDF.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument


def _tr(text: str) -> str:
    return QCoreApplication.translate("till", text)


#: the words of the trace's flags
FLAG_TEXT = {
    "cash_no_change": "cash, no change recorded",
    "cash_refund": "cash refund",
    "comp": "comp / supervisor type",
    "split": "split tender",
    "tender_mismatch": "TENDERS DO NOT ADD UP",
}


def flag_words(flags: list[str]) -> str:
    return ", ".join(_tr(FLAG_TEXT.get(f, f)) for f in flags)


def _time(iso: str | None) -> str:
    """An ISO time of the report in this machine's local time, to the minute."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    except ValueError:
        return iso


def _is_amount(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def report_html(r: dict[str, Any]) -> str:
    """The report as HTML for a QTextDocument (also what the window's X report view shows)."""
    e = escape
    cur = e(str(r.get("currency", "")))
    kind = _tr("Z report (till closed)") if r["kind"] == "Z" else _tr("X report (till open)")
    parts = [
        "<html><body style='font-family: DejaVu Sans, sans-serif; font-size: 9pt'>",
        f"<h2>{e(kind)} — {e(_tr('till'))} {r['shift_id']}</h2>",
        f"<p>{e(_tr('Clerk'))}: <b>{e(r['clerk'])}</b> · {e(_tr('Workstation'))}: {e(r['workstation'])}<br>"
        f"{e(_tr('Opened'))}: {e(_time(r['opened_at']))}"
        + (f" · {e(_tr('Closed'))}: {e(_time(r['closed_at']))}" if r.get("closed_at") else "")
        + (f"<br>{e(_tr('Signed off by'))}: <b>{e(r['signed_off_by'])}</b>" if r.get("signed_off_by") else "")
        + "</p>",
    ]
    rows: list[tuple[str, str]] = [(_tr("Opening float"), r["opening_float"])]
    if r.get("blind"):
        rows.append((_tr("Expected cash"), _tr("hidden until the drawer is counted")))
    else:
        c = r["cash"]
        rows += [(_tr("Cash taken"), c["cash_taken"]), (_tr("Change given"), c["change"]),
                 (_tr("Cash refunds"), c["cash_refunds"]), (_tr("Payouts"), c["payouts"]), (_tr("Drops"), c["drops"]),
                 (_tr("Expected cash"), r["expected"]), (_tr("Counted"), r["counted"] or "—"),
                 (_tr("Variance"), r["variance"] or "—")]
    parts.append("<table border='1' cellspacing='0' cellpadding='3'>"
                 + "".join(f"<tr><td>{e(a)}</td><td align='right'>{e(str(b))}"
                           f"{' ' + cur if _is_amount(b) else ''}</td></tr>" for a, b in rows)
                 + "</table>")
    if r.get("count"):
        parts.append(f"<p>{e(_tr('Count by denomination'))}: "
                     + ", ".join(f"{e(k)} × {n}" for k, n in r["count"].items()) + "</p>")
    parts.append(f"<h3>{e(_tr('By payment method'))}</h3><table border='1' cellspacing='0' cellpadding='3'>"
                 f"<tr><th>{e(_tr('Method'))}</th><th>{e(_tr('Payments'))}</th><th>{e(_tr('Refunds'))}</th>"
                 f"<th>{e(_tr('Net'))}</th></tr>")
    for method, v in r["by_method"].items():
        parts.append(f"<tr><td>{e(method)}</td><td align='right'>{e(v['payments'])}</td>"
                     f"<td align='right'>{e(v['refunds'])}</td><td align='right'>{e(v['net'])}</td></tr>")
    parts.append("</table>")
    if r.get("movements"):
        parts.append(f"<h3>{e(_tr('Drops and payouts'))}</h3><ul>")
        for m in r["movements"]:
            parts.append(f"<li>{e(m['kind'])} {e(m['amount'])} {cur} — {e(m['reason'] or '')} ({e(m['actor'])})</li>")
        parts.append("</ul>")
    if r.get("candidates"):
        parts.append(f"<h3>{e(_tr('Orders that could explain the variance'))}</h3><ol>")
        for cand in r["candidates"]:
            why = "; ".join(cand["matches"]) or flag_words(cand["flags"]) or _tr("closest cash amount")
            parts.append(f"<li>{e(_tr('order'))} {cand['order_id']}: {e(why)} — {e(', '.join(cand['seats']))}</li>")
        parts.append("</ol>")
    if r.get("mismatches"):
        parts.append(f"<h3>{e(_tr('Tender check: mismatches'))}</h3><ul>")
        for m in r["mismatches"]:
            parts.append(f"<li>{e(_tr('order'))} {m['order_id']}: {e(_tr('paid'))} {e(m['paid_net'])}, "
                         f"{e(_tr('seats'))} {e(m['live_total'])}</li>")
        parts.append("</ul>")
    parts.append(f"<h3>{e(_tr('Orders and seats'))}</h3><table border='1' cellspacing='0' cellpadding='3'>"
                 f"<tr><th>{e(_tr('Order'))}</th><th>{e(_tr('Seats'))}</th><th>{e(_tr('Tenders'))}</th>"
                 f"<th>{e(_tr('Flags'))}</th></tr>")
    for o in r["orders"]:
        seats = "<br>".join(f"{e(s['label'])} {e(s['zone'])} {e(s['price_type'])} {e(s['price'])}"
                            + ("" if s.get("live", True) else f" ({e(s.get('ended') or '')})") for s in o["seats"])
        tenders = "<br>".join(
            f"{e(t['kind'])} {e(t['method'])} {e(t['amount'])}"
            + (f" / {e(t['tendered'])} ({e(_tr('change'))} {e(t['change'])})" if t.get("tendered") else "")
            for t in o.get("tenders", []))
        parts.append(f"<tr><td>{o['order_id']}</td><td>{seats}</td><td>{tenders}</td>"
                     f"<td>{e(flag_words(o['flags']))}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)


def write_till_report(path: Path, report: dict[str, Any]) -> None:
    """Write ``report`` as an A4 PDF at ``path`` (creates a QGuiApplication when none exists: offscreen works)."""
    if QCoreApplication.instance() is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a CLI on a server: no screen needed
        QGuiApplication(sys.argv[:1])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(150)
    writer.setTitle(_tr("{0} report, till {1}").format(report["kind"], report["shift_id"]))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(report_html(report))
    doc.print_(writer)
