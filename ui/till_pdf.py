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
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

#: lupdate reads translate("TillPdf", "...") and QT_TRANSLATE_NOOP("TillPdf", "...") with a literal context
translate = QCoreApplication.translate


#: the words of the trace's flags
FLAG_TEXT = {
    "cash_no_change": QT_TRANSLATE_NOOP("TillPdf", "cash, no change recorded"),
    "cash_refund": QT_TRANSLATE_NOOP("TillPdf", "cash refund"),
    "comp": QT_TRANSLATE_NOOP("TillPdf", "comp / supervisor type"),
    "split": QT_TRANSLATE_NOOP("TillPdf", "split tender"),
    "tender_mismatch": QT_TRANSLATE_NOOP("TillPdf", "TENDERS DO NOT ADD UP"),
}


def variance_words(variance: str | None) -> str:
    """"short 3.00" / "over 3.00" for a variance other than zero ("" for none or zero)."""
    if not variance or Decimal(variance) == 0:
        return ""
    amount = abs(Decimal(variance))
    if Decimal(variance) < 0:
        return translate("TillPdf", "short {0}").format(amount)
    return translate("TillPdf", "over {0}").format(amount)


def candidate_why(cand: dict[str, Any]) -> str:
    """Why an order could explain the variance: its cash figure equal to the variance, its flags, or else its cash
    in this till and how far that is from the variance (never empty)."""
    why = "; ".join(cand["matches"]) or flag_words(cand["flags"])
    if why:
        return why
    cash = ", ".join(cand.get("cash", []))
    if cash:
        return translate("TillPdf", "cash {0}, {1} from the variance").format(cash, cand["distance"])
    return translate("TillPdf", "{0} from the variance").format(cand["distance"])


def flag_words(flags: list[str]) -> str:
    return ", ".join(translate("TillPdf", FLAG_TEXT.get(f, f)) for f in flags)


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


#: the labels used inside f-strings (lupdate reads no call inside an f-string): marked here, translated
#: per call by :func:`_labels`
_LABELS = (
    QT_TRANSLATE_NOOP("TillPdf", "till"),
    QT_TRANSLATE_NOOP("TillPdf", "Clerk"),
    QT_TRANSLATE_NOOP("TillPdf", "Workstation"),
    QT_TRANSLATE_NOOP("TillPdf", "Opened"),
    QT_TRANSLATE_NOOP("TillPdf", "Closed"),
    QT_TRANSLATE_NOOP("TillPdf", "Signed off by"),
    QT_TRANSLATE_NOOP("TillPdf", "Count by denomination"),
    QT_TRANSLATE_NOOP("TillPdf", "By payment method"),
    QT_TRANSLATE_NOOP("TillPdf", "Method"),
    QT_TRANSLATE_NOOP("TillPdf", "Payments"),
    QT_TRANSLATE_NOOP("TillPdf", "Refunds"),
    QT_TRANSLATE_NOOP("TillPdf", "Net"),
    QT_TRANSLATE_NOOP("TillPdf", "Drops and payouts"),
    QT_TRANSLATE_NOOP("TillPdf", "Orders that could explain the variance"),
    QT_TRANSLATE_NOOP("TillPdf", "order"),
    QT_TRANSLATE_NOOP("TillPdf", "Tender check: mismatches"),
    QT_TRANSLATE_NOOP("TillPdf", "paid"),
    QT_TRANSLATE_NOOP("TillPdf", "seats"),
    QT_TRANSLATE_NOOP("TillPdf", "Orders and seats"),
    QT_TRANSLATE_NOOP("TillPdf", "Order"),
    QT_TRANSLATE_NOOP("TillPdf", "Seats"),
    QT_TRANSLATE_NOOP("TillPdf", "Tenders"),
    QT_TRANSLATE_NOOP("TillPdf", "Flags"),
    QT_TRANSLATE_NOOP("TillPdf", "change"),
    QT_TRANSLATE_NOOP("TillPdf", "Z report (till closed)"),
    QT_TRANSLATE_NOOP("TillPdf", "X report (till open)"),
    QT_TRANSLATE_NOOP("TillPdf", "Opening float"),
    QT_TRANSLATE_NOOP("TillPdf", "Expected cash"),
    QT_TRANSLATE_NOOP("TillPdf", "hidden until the drawer is counted"),
    QT_TRANSLATE_NOOP("TillPdf", "Cash taken"),
    QT_TRANSLATE_NOOP("TillPdf", "Change given"),
    QT_TRANSLATE_NOOP("TillPdf", "Cash refunds"),
    QT_TRANSLATE_NOOP("TillPdf", "Payouts"),
    QT_TRANSLATE_NOOP("TillPdf", "Drops"),
    QT_TRANSLATE_NOOP("TillPdf", "Counted"),
    QT_TRANSLATE_NOOP("TillPdf", "Variance"),
    QT_TRANSLATE_NOOP("TillPdf", "Orders"),
    QT_TRANSLATE_NOOP("TillPdf", "Note"),
    QT_TRANSLATE_NOOP("TillPdf", "Amounts are hidden until the drawer is counted."),
    QT_TRANSLATE_NOOP("TillPdf", "(no reason)"),
)


def _labels() -> dict[str, str]:
    return {text: translate("TillPdf", text) for text in _LABELS}


def report_html(r: dict[str, Any]) -> str:
    """The report as HTML for a QTextDocument (also what the window's X report view shows)."""
    lb = _labels()
    e = escape
    cur = e(str(r.get("currency", "")))
    kind = lb["Z report (till closed)"] if r["kind"] == "Z" else lb["X report (till open)"]
    parts = [
        "<html><body style='font-family: DejaVu Sans, sans-serif; font-size: 9pt'>",
        f"<h2>{e(kind)} — {e(lb['till'])} {r['shift_id']}</h2>",
        f"<p>{e(lb['Clerk'])}: <b>{e(r['clerk'])}</b> · {e(lb['Workstation'])}: {e(r['workstation'])}<br>"
        f"{e(lb['Opened'])}: {e(_time(r['opened_at']))}"
        + (f" · {e(lb['Closed'])}: {e(_time(r['closed_at']))}" if r.get("closed_at") else "")
        + (f"<br>{e(lb['Signed off by'])}: <b>{e(r['signed_off_by'])}</b>" if r.get("signed_off_by") else "")
        + "</p>",
    ]
    if r.get("blind"):  # a clerk before their count: counts only, no amount
        n = r["counts"]
        rows_ = [(lb["Orders"], n["orders"]), (lb["Seats"], n["seats"]), (lb["Refunds"], n["refunds"]),
                 (lb["Drops"], n["drops"]), (lb["Payouts"], n["payouts"])]
        parts.append("<table border='1' cellspacing='0' cellpadding='3'>"
                     + "".join(f"<tr><td>{e(a)}</td><td align='right'>{b}</td></tr>" for a, b in rows_)
                     + f"</table><p><i>{e(lb['Amounts are hidden until the drawer is counted.'])}</i></p>"
                     "</body></html>")
        return "".join(parts)
    rows: list[tuple[str, str]] = [(lb["Opening float"], r["opening_float"])]
    c = r["cash"]
    rows += [(lb["Cash taken"], c["cash_taken"]), (lb["Change given"], c["change"]),
             (lb["Cash refunds"], c["cash_refunds"]), (lb["Payouts"], c["payouts"]), (lb["Drops"], c["drops"]),
             (lb["Expected cash"], r["expected"]), (lb["Counted"], r["counted"] or "—"),
             (lb["Variance"], r["variance"] or "—")]
    if variance_words(r.get("variance")):
        rows.append(("", variance_words(r.get("variance"))))
    if r.get("note"):
        rows.append((lb["Note"], r["note"]))
    parts.append("<table border='1' cellspacing='0' cellpadding='3'>"
                 + "".join(f"<tr><td>{e(a)}</td><td align='right'>{e(str(b))}"
                           f"{' ' + cur if _is_amount(b) else ''}</td></tr>" for a, b in rows)
                 + "</table>")
    if r.get("count"):
        parts.append(f"<p>{e(lb['Count by denomination'])}: "
                     + ", ".join(f"{e(k)} × {n}" for k, n in r["count"].items()) + "</p>")
    parts.append(f"<h3>{e(lb['By payment method'])}</h3><table border='1' cellspacing='0' cellpadding='3'>"
                 f"<tr><th>{e(lb['Method'])}</th><th>{e(lb['Payments'])}</th><th>{e(lb['Refunds'])}</th>"
                 f"<th>{e(lb['Net'])}</th></tr>")
    for method, v in r["by_method"].items():
        parts.append(f"<tr><td>{e(method)}</td><td align='right'>{e(v['payments'])}</td>"
                     f"<td align='right'>{e(v['refunds'])}</td><td align='right'>{e(v['net'])}</td></tr>")
    parts.append("</table>")
    if r.get("movements"):
        parts.append(f"<h3>{e(lb['Drops and payouts'])}</h3><ul>")
        for m in r["movements"]:
            parts.append(f"<li>{e(m['kind'])} {e(m['amount'])} {cur} — {e(m['reason'] or lb['(no reason)'])} ({e(m['actor'])})</li>")
        parts.append("</ul>")
    if r.get("candidates"):
        parts.append(f"<h3>{e(lb['Orders that could explain the variance'])}</h3><ol>")
        for cand in r["candidates"]:
            why = candidate_why(cand)
            parts.append(f"<li>{e(lb['order'])} {cand['order_id']}: {e(why)} — {e(', '.join(cand['seats']))}</li>")
        parts.append("</ol>")
    if r.get("mismatches"):
        parts.append(f"<h3>{e(lb['Tender check: mismatches'])}</h3><ul>")
        for m in r["mismatches"]:
            parts.append(f"<li>{e(lb['order'])} {m['order_id']}: {e(lb['paid'])} {e(m['paid_net'])}, "
                         f"{e(lb['seats'])} {e(m['live_total'])}</li>")
        parts.append("</ul>")
    parts.append(f"<h3>{e(lb['Orders and seats'])}</h3><table border='1' cellspacing='0' cellpadding='3'>"
                 f"<tr><th>{e(lb['Order'])}</th><th>{e(lb['Seats'])}</th><th>{e(lb['Tenders'])}</th>"
                 f"<th>{e(lb['Flags'])}</th></tr>")
    for o in r["orders"]:
        seats = "<br>".join(f"{e(s['label'])} {e(s['zone'])} {e(s['price_type'])} {e(s['price'])}"
                            + ("" if s.get("live", True) else f" ({e(s.get('ended') or '')})") for s in o["seats"])
        tenders = "<br>".join(
            f"{e(t['kind'])} {e(t['method'])} {e(t['amount'])}"
            + (f" / {e(t['tendered'])} ({e(lb['change'])} {e(t['change'])})" if t.get("tendered") else "")
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
    writer.setTitle(translate("TillPdf", "{0} report, till {1}").format(report["kind"], report["shift_id"]))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(report_html(report))
    doc.print_(writer)
