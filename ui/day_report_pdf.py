"""The end-of-day report as a PDF (A4 landscape: the sessions' table has eleven columns): a heading, then one table per section (sessions, clerks, payment methods,
price types), each with its totals row; each section after the first starts on a new page.

``write_day_report(path, report)`` takes the report's JSON (``DayReport.to_dict()``, what ``boxoffice report day
--json`` prints). It is the ``day`` writer of the ``boxoffice.pdf`` entry points (the CLI's ``--pdf``) and the
supervisor screen's. Drawn by Qt's rich text (QTextDocument: it breaks long tables across pages and repeats nothing
by hand) onto a QPdfWriter; a QApplication is created when there is none (offscreen works).
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from boxoffice.errors import BadInput

#: lupdate reads translate("DayReportPdf", "...") with a literal context (a bare tr() it cannot place)
translate = QCoreApplication.translate


_CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans', sans-serif; font-size: 8.5pt; color: #27364a; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 11.5pt; margin-top: 10pt; margin-bottom: 4pt; }
p.meta { color: #556677; margin: 2pt 0 6pt 0; }
table { border-collapse: collapse; }
th { background-color: #27364a; color: white; font-weight: bold; padding: 3pt; }
td { padding: 2.5pt 4pt; border-bottom: 1px solid #cfd8e3; }
td.n, th.n { text-align: right; }
tr.total td { font-weight: bold; background-color: #e8edf3; border-top: 1.5px solid #27364a; }
.newpage { page-break-before: always; }
"""


def _table(columns: list[tuple[str, str, bool]], rows: list[dict[str, Any]], total: dict[str, Any]) -> str:
    """columns: (key, heading, numeric); a key "m:cash" reads row["by_method"]["cash"]."""
    def cell(row: dict[str, Any], key: str) -> str:
        if key.startswith("m:"):
            return str((row.get("by_method") or {}).get(key[2:], ""))
        if key == "occupancy_pct" and row.get(key) not in (None, ""):
            return f"{row[key]} %"
        if key == "starts_at" and row.get(key):
            return _when(row[key])
        v = row.get(key, "")
        return "" if v is None else str(v)

    head = "".join(f'<th class="{"n" if num else ""}">{html.escape(h)}</th>' for _, h, num in columns)
    body = []
    for row, cls in [*((r, "") for r in rows), (total, "total")]:
        tds = "".join(f'<td class="{"n" if num else ""}">{html.escape(cell(row, k))}</td>' for k, _, num in columns)
        body.append(f'<tr class="{cls}">{tds}</tr>')
    return (f'<table width="100%" cellspacing="0" cellpadding="3">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _when(value: Any) -> str:
    """An ISO time as "YYYY-MM-DD HH:MM" (its own offset kept implicit: the zone is named on the same line)."""
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


#: the labels used inside f-strings (lupdate reads no call inside an f-string): marked here, translated
#: per call by :func:`_labels`
_LABELS = (
    QT_TRANSLATE_NOOP("DayReportPdf", "Time zone"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Amounts in"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Made"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Day report"),
    QT_TRANSLATE_NOOP("DayReportPdf", "No orders or payments that day."),
    QT_TRANSLATE_NOOP("DayReportPdf", "Total"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Per session"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Session"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Event"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Starts"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Sold"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Comps"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Refunds"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Refunded"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Held now"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Free now"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Occupancy"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Payments"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Gross"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Per clerk"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Clerk"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Name"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Orders"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Seats"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Cash"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Card"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Voucher"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Per payment method"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Method"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Net"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Per price type"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Type"),
    QT_TRANSLATE_NOOP("DayReportPdf", "Face value"),
)


def _labels() -> dict[str, str]:
    return {text: translate("DayReportPdf", text) for text in _LABELS}


def report_html(report: dict[str, Any]) -> str:
    lb = _labels()
    t = report["totals"]
    total_label = {"key": lb["Total"]}
    meta = " · ".join([
        f"{lb['Time zone']}: {report['tz']}",
        f"{_when(report['start'])} – {_when(report['end'])}",
        f"{lb['Amounts in']} {report.get('currency', '')}",
        f"{lb['Made']} {_when(report['generated_at'])}",
    ])
    parts = [
        f"<h1>{html.escape(lb['Day report'])} {html.escape(str(report['day']))}</h1>",
        f'<p class="meta">{html.escape(meta)}</p>',
    ]
    if not report["sessions"]:
        parts.append(f"<p>{html.escape(lb['No orders or payments that day.'])}</p>")
    sections = [
        ("sessions", lb["Per session"], [
            ("key", lb["Session"], False), ("name", lb["Event"], False), ("starts_at", lb["Starts"], False),
            ("seats", lb["Sold"], True),
            ("comps", lb["Comps"], True), ("refunds", lb["Refunds"], True), ("refunded", lb["Refunded"], True),
            ("held", lb["Held now"], True), ("free", lb["Free now"], True),
            ("occupancy_pct", lb["Occupancy"], True), ("payments", lb["Payments"], True),
            ("gross", lb["Gross"], True)]),
        ("clerks", lb["Per clerk"], [
            ("key", lb["Clerk"], False), ("name", lb["Name"], False), ("orders", lb["Orders"], True),
            ("seats", lb["Seats"], True), ("refunds", lb["Refunds"], True), ("refunded", lb["Refunded"], True),
            ("m:cash", lb["Cash"], True), ("m:card", lb["Card"], True), ("m:voucher", lb["Voucher"], True),
            ("gross", lb["Gross"], True)]),
        ("methods", lb["Per payment method"], [
            ("key", lb["Method"], False), ("payments", lb["Payments"], True), ("refunds", lb["Refunds"], True),
            ("refunded", lb["Refunded"], True), ("gross", lb["Net"], True)]),
        ("types", lb["Per price type"], [
            ("key", lb["Type"], False), ("name", lb["Name"], False), ("seats", lb["Seats"], True),
            ("comps", lb["Comps"], True), ("gross", lb["Face value"], True)]),
    ]
    for i, (key, title, columns) in enumerate(sections):
        if not report["sessions"]:
            break
        cls = ' class="newpage"' if i > 0 else ""
        parts.append(f"<h2{cls}>{html.escape(title)}</h2>")
        parts.append(_table(columns, report[key], {**t[key], **total_label}))
    return f"<html><head><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"


def write_day_report(path: Path, report: dict[str, Any]) -> None:
    """Write ``report`` (the day report's JSON) to ``path`` as an A4 PDF; BadInput when it cannot be written."""
    if QGuiApplication.instance() is None:
        # a QApplication, not just a QGuiApplication: a window opened later in the same process (a test run, a
        # script) needs one, and Qt allows one application object per process
        write_day_report._app = QApplication([])  # type: ignore[attr-defined] # kept alive for the process
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab"):
            pass
    except OSError as exc:
        raise BadInput(reason="report_not_written", path=str(path), detail=exc.strerror or str(exc)) from None
    writer = QPdfWriter(str(path))
    writer.setTitle(translate("DayReportPdf", "Day report {0}").format(report["day"]))
    writer.setCreator("boxoffice")
    writer.setResolution(96)  # vector output: the resolution only maps the document's pixels to the page
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(14, 14, 14, 14), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(report_html(report))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))  # the page's own margins, no second margin of print_
    doc.print_(writer)
