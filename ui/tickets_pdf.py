"""Tickets and receipt as a PDF: one page per seat with a signed QR code, then the receipt.

Each ticket names its price type ("Child") and, when printed again, says so ("REPRINT 2"): its code carries the
print number, so the earlier print no longer passes the gate.

Every word is translated (context "tickets"), dates and amounts are written by the window's locale, amounts in the
currency of ``BOXOFFICE_CURRENCY``, zones by their names. The receipt shows the cash given and the change when the
sale recorded them (also on a reprint: they are kept with the payment).
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.services.frontdesk import TicketSheet

from .i18n import TIMESTAMP, money, when, word

Codes = TicketSheet | list[tuple[str, str]]


def _qr_image(code: str) -> QImage:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return QImage.fromData(buffer.getvalue(), "PNG")


def _sheet(codes: Codes) -> TicketSheet:
    """A bare list of (label, code) pairs prints zone codes and amounts in the default currency."""
    return codes if isinstance(codes, TicketSheet) else TicketSheet(tuple(codes), {}, "EUR")


def write_tickets(path: Path, receipt: Receipt, session: SessionInfo, sheet: Codes) -> Path:
    """Write ``path``; safe off the GUI thread (paints on a QPdfWriter, touches no widget)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(QCoreApplication.translate("tickets", "Order {0}").format(receipt.order_id))
    paint_tickets(writer, receipt, session, sheet)
    return path


def type_name(sheet: TicketSheet, code: str) -> str:
    """A price type's name as the venue calls it ("Child"), its code capitalised when the sheet does not name it."""
    return sheet.type_names.get(code) or code.capitalize()


def reprint_mark(number: int) -> str:
    """What a reprinted ticket says ("REPRINT 2"); nothing on the first print."""
    return QCoreApplication.translate("tickets", "REPRINT {0}").format(number) if number > 0 else ""


def receipt_rows(receipt: Receipt, sheet: Codes) -> list[tuple[str, str]]:
    """The receipt's lines below the seats, as (what, amount) pairs, in the window's language."""
    sheet = _sheet(sheet)
    cur = sheet.currency
    rows = [(QCoreApplication.translate("tickets", "Total"), money(receipt.total, cur))]
    if len(receipt.tenders) > 1:  # split tender: each one, and the cash handed over with its change
        for t in receipt.tenders:
            rows.append((QCoreApplication.translate("tickets", "Paid: {0}").format(word(t.method)),
                         money(t.amount, cur)))
            if t.tendered is not None:
                rows.append((QCoreApplication.translate("tickets", "Cash given"), money(t.tendered, cur)))
                rows.append((QCoreApplication.translate("tickets", "Change"), money(t.change, cur)))
        return rows
    if receipt.payment == "card":
        rows.append((QCoreApplication.translate("tickets", "Paid by card"), money(receipt.total, cur)))
    else:
        tendered = receipt.tendered if receipt.tendered is not None else receipt.total
        rows.append((QCoreApplication.translate("tickets", "Cash given"), money(tendered, cur)))
        rows.append((QCoreApplication.translate("tickets", "Change"), money(tendered - receipt.total, cur)))
    return rows


def receipt_columns(fm: QFontMetricsF, width: float, rows: list[tuple[str, str, str]]) -> tuple[float, float, float]:
    """The receipt's seat lines' columns (label, zone · type, price): the label and price columns as wide as their
    widest text plus a gap, the middle one takes the rest (it used to get a fixed share, which cut "Complimentary")."""
    gap = fm.horizontalAdvance("  ")
    label_w = max((fm.horizontalAdvance(a) for a, _b, _c in rows), default=0.0) + gap
    price_w = max((fm.horizontalAdvance(c) for _a, _b, c in rows), default=0.0) + gap
    label_w, price_w = min(label_w, width * 0.3), min(price_w, width * 0.3)
    return label_w, width - label_w - price_w, price_w


def middle_lines(fm: QFontMetricsF, room: float, zone: str, type_: str) -> list[str]:
    """"Zone · Type" on one line when it fits the middle column, else the zone and the type on a line each (cut with
    "…" only when one alone is wider than the column)."""
    one = f"{zone} · {type_}"
    if fm.horizontalAdvance(one) <= room:
        return [one]
    return [fm.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in (zone, type_)]


def paint_tickets(writer: QPagedPaintDevice, receipt: Receipt, session: SessionInfo, codes: Codes) -> None:
    """One A6 page per seat, then the receipt, on a PDF writer or a printer."""
    sheet = _sheet(codes)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A6), QPageLayout.Orientation.Portrait,
                                     QMarginsF(8, 8, 8, 8), QPageLayout.Unit.Millimeter))
    p = QPainter(writer)
    width, height = writer.width(), writer.height()
    title, body = QFont("DejaVu Sans", 14, QFont.Weight.Bold), QFont("DejaVu Sans", 9)
    starts = when(session.starts_at)
    lines = {ln.label: ln for ln in receipt.lines}

    def zone(code: str) -> str:
        return sheet.zone_names.get(code, code)

    for n, (label, code) in enumerate(sheet.codes):
        if n:
            writer.newPage()
        line = lines[label]
        p.setFont(title)
        p.drawText(QRectF(0, 0, width, height * 0.12), Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                   session.name)
        p.setFont(body)
        p.drawText(QRectF(0, height * 0.12, width, height * 0.2), Qt.AlignmentFlag.AlignLeft,
                   f"{session.venue}\n{starts}\n" + QCoreApplication.translate("tickets", "Seat {0} · {1} · {2}")
                   .format(label, zone(line.zone), money(line.price, sheet.currency))
                   + "\n" + type_name(sheet, line.price_type))
        if line.reprint:
            p.save()
            p.setFont(title)
            p.setPen(Qt.GlobalColor.darkRed)
            p.drawText(QRectF(0, height * 0.27, width, height * 0.06), Qt.AlignmentFlag.AlignCenter,
                       reprint_mark(line.reprint))
            p.restore()
        side = min(width, height * 0.55)
        p.drawImage(QRectF((width - side) / 2, height * 0.33, side, side), _qr_image(code))
        p.drawText(QRectF(0, height * 0.9, width, height * 0.1), Qt.AlignmentFlag.AlignCenter,
                   QCoreApplication.translate("tickets", "Order {0} · ticket {1} of {2}")
                   .format(receipt.order_id, n + 1, len(sheet.codes)))
    if sheet.codes:  # the receipt on a page of its own (a test page has no tickets)
        writer.newPage()
    p.setFont(title)
    p.drawText(QRectF(0, 0, width, height * 0.1), Qt.AlignmentFlag.AlignLeft,
               QCoreApplication.translate("tickets", "Receipt — order {0}").format(receipt.order_id))
    p.setFont(body)
    step = p.fontMetrics().height() * 1.15
    y = height * 0.1
    p.drawText(QRectF(0, y, width, step * 2), Qt.AlignmentFlag.AlignLeft, f"{session.name}\n{session.venue}, {starts}")
    y += step * 3
    left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
    if any(ln.reprint for ln in receipt.lines):
        p.drawText(QRectF(0, y - step, width, step), left, reprint_mark(max(ln.reprint for ln in receipt.lines)))
    fm = QFontMetricsF(p.fontMetrics())
    rows = [(ln.label, "", money(ln.price, sheet.currency)) for ln in receipt.lines]
    label_w, middle_w, price_w = receipt_columns(fm, width, rows)
    for ln, (_label, _middle, price) in zip(receipt.lines, rows, strict=True):
        # seat | zone name · price type (two lines when long) | price, the price right-aligned
        middle = middle_lines(fm, middle_w, zone(ln.zone), type_name(sheet, ln.price_type))
        p.drawText(QRectF(0, y, label_w, step), left, ln.label)
        for k, text in enumerate(middle):
            p.drawText(QRectF(label_w, y + k * step, middle_w, step), left, text)
        p.drawText(QRectF(label_w + middle_w, y, price_w, step), right, price)
        y += step * len(middle)
    y += step * 0.5
    p.drawLine(int(width * 0.55), int(y), int(width), int(y))
    y += step * 0.3
    for what, amount in receipt_rows(receipt, sheet):
        p.drawText(QRectF(0, y, width * 0.7, step), left, what)
        p.drawText(QRectF(width * 0.7, y, width * 0.3, step), right, amount)
        y += step
    y += step
    p.drawText(QRectF(0, y, width, step * 2), left,
               QCoreApplication.translate("tickets", "Clerk {0}, {1}").format(
                   receipt.clerk, when(receipt.created_at, TIMESTAMP)))
    p.end()
