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

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from boxoffice.errors import BadInput


def tr(text: str) -> str:
    return QCoreApplication.translate("day_report_pdf", text)


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


def report_html(report: dict[str, Any]) -> str:
    t = report["totals"]
    total_label = {"key": tr("Total")}
    meta = " · ".join([
        f"{tr('Time zone')}: {report['tz']}",
        f"{_when(report['start'])} – {_when(report['end'])}",
        f"{tr('Amounts in')} {report.get('currency', '')}",
        f"{tr('Made')} {_when(report['generated_at'])}",
    ])
    parts = [
        f"<h1>{html.escape(tr('Day report'))} {html.escape(str(report['day']))}</h1>",
        f'<p class="meta">{html.escape(meta)}</p>',
    ]
    if not report["sessions"]:
        parts.append(f"<p>{html.escape(tr('No orders or payments that day.'))}</p>")
    sections = [
        ("sessions", tr("Per session"), [
            ("key", tr("Session"), False), ("name", tr("Event"), False), ("starts_at", tr("Starts"), False),
            ("seats", tr("Sold"), True),
            ("comps", tr("Comps"), True), ("refunds", tr("Refunds"), True), ("refunded", tr("Refunded"), True),
            ("held", tr("Held now"), True), ("free", tr("Free now"), True),
            ("occupancy_pct", tr("Occupancy"), True), ("payments", tr("Payments"), True),
            ("gross", tr("Gross"), True)]),
        ("clerks", tr("Per clerk"), [
            ("key", tr("Clerk"), False), ("name", tr("Name"), False), ("orders", tr("Orders"), True),
            ("seats", tr("Seats"), True), ("refunds", tr("Refunds"), True), ("refunded", tr("Refunded"), True),
            ("m:cash", tr("Cash"), True), ("m:card", tr("Card"), True), ("m:voucher", tr("Voucher"), True),
            ("gross", tr("Gross"), True)]),
        ("methods", tr("Per payment method"), [
            ("key", tr("Method"), False), ("payments", tr("Payments"), True), ("refunds", tr("Refunds"), True),
            ("refunded", tr("Refunded"), True), ("gross", tr("Net"), True)]),
        ("types", tr("Per price type"), [
            ("key", tr("Type"), False), ("name", tr("Name"), False), ("seats", tr("Seats"), True),
            ("comps", tr("Comps"), True), ("gross", tr("Face value"), True)]),
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
    writer.setTitle(f"Day report {report['day']}")
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
