"""Tickets and receipt as a PDF: one page per seat with a signed QR code, then the receipt."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from boxoffice.domain.values import Receipt, SessionInfo


def _qr_image(code: str) -> QImage:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return QImage.fromData(buffer.getvalue(), "PNG")


def write_tickets(path: Path, receipt: Receipt, session: SessionInfo, codes: list[tuple[str, str]]) -> Path:
    """Write ``path``; safe off the GUI thread (paints on a QPdfWriter, touches no widget)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(f"Order {receipt.order_id}")
    paint_tickets(writer, receipt, session, codes)
    return path


def paint_tickets(writer: QPagedPaintDevice, receipt: Receipt, session: SessionInfo,
                  codes: list[tuple[str, str]]) -> None:
    """One A6 page per seat, then the receipt, on a PDF writer or a printer."""
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A6), QPageLayout.Orientation.Portrait,
                                     QMarginsF(8, 8, 8, 8), QPageLayout.Unit.Millimeter))
    p = QPainter(writer)
    width, height = writer.width(), writer.height()
    title, body = QFont("DejaVu Sans", 14, QFont.Weight.Bold), QFont("DejaVu Sans", 9)
    when = session.starts_at.astimezone().strftime("%a %d %b %Y %H:%M")
    lines = {ln.label: ln for ln in receipt.lines}
    for n, (label, code) in enumerate(codes):
        if n:
            writer.newPage()
        line = lines[label]
        p.setFont(title)
        p.drawText(QRectF(0, 0, width, height * 0.12), Qt.AlignmentFlag.AlignLeft, session.name)
        p.setFont(body)
        p.drawText(QRectF(0, height * 0.12, width, height * 0.2), Qt.AlignmentFlag.AlignLeft,
                   f"{session.venue}\n{when}\nSeat {label}   zone {line.zone}   {line.price}")
        side = min(width, height * 0.55)
        p.drawImage(QRectF((width - side) / 2, height * 0.33, side, side), _qr_image(code))
        p.drawText(QRectF(0, height * 0.9, width, height * 0.1), Qt.AlignmentFlag.AlignCenter,
                   f"order {receipt.order_id} · {n + 1}/{len(codes)}")
    writer.newPage()
    p.setFont(title)
    p.drawText(QRectF(0, 0, width, height * 0.1), Qt.AlignmentFlag.AlignLeft, f"Receipt — order {receipt.order_id}")
    p.setFont(body)
    rows = "\n".join(f"{ln.label:<16} {ln.zone:<4} {ln.price:>8}" for ln in receipt.lines)
    p.drawText(QRectF(0, height * 0.1, width, height * 0.8), Qt.AlignmentFlag.AlignLeft,
               f"{session.name}\n{session.venue}, {when}\n\n{rows}\n\nTotal {receipt.total} ({receipt.payment})\n"
               f"Clerk {receipt.clerk}, {receipt.created_at.astimezone():%Y-%m-%d %H:%M}")
    p.end()
