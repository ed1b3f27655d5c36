"""Tickets and receipts on a thermal ESC/POS printer, through python-escpos (network, file, USB, serial; Dummy in
tests).

What goes out, in this order: the cash drawer kick (ESC p) when the order was paid (partly) in cash — first, so the
drawer is open and the change counted while the tickets print —, then one ticket per seat (event, venue, date,
seat, zone name, price type, price and currency, the reprint mark, the signed code as a native QR code: GS ( k),
each followed by a cut (GS V), then the receipt (seats, tenders, cash given, change) and a last cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from escpos.escpos import Escpos

from ...domain.values import Receipt
from ...errors import BoxOfficeError
from .spec import PrinterSpec

#: the drawer connector pin kicked (2: the usual one on an RJ-12 drawer port)
DRAWER_PIN = 2
WIDTH = 42  # characters on a 80 mm roll in font A


@dataclass(frozen=True)
class OrderPrint:
    """Everything a printout of an order needs, in the words the gate and the customer read."""

    receipt: Receipt
    event: str
    venue: str
    starts_at: datetime
    codes: tuple[tuple[str, str], ...]  # (seat label, signed code), one per ticket to print
    currency: str
    zone_names: Mapping[str, str] = field(default_factory=dict)
    type_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def cash(self) -> bool:
        """Paid (partly) in cash: the drawer opens."""
        r = self.receipt
        return any(t.method == "cash" for t in r.tenders) or (not r.tenders and r.payment == "cash" and r.total > 0)


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"


def reprint_mark(number: int) -> str:
    """What a reprinted ticket says (nothing on the first print)."""
    return f"REPRINT {number}" if number > 0 else ""


def _row(left: str, right: str) -> str:
    gap = max(1, WIDTH - len(left) - len(right))
    return f"{left}{' ' * gap}{right}\n"


def render(p: Escpos, job: OrderPrint, *, kick_drawer: bool = True, with_receipt: bool = True) -> None:
    """Send the order's tickets (and receipt) to ``p``; the drawer kick first when ``kick_drawer`` and the order
    had a cash tender (a reprint does not open the drawer: no cash changes hands)."""
    r = job.receipt
    if kick_drawer and job.cash:
        p.cashdraw(DRAWER_PIN)
    lines = {ln.label: ln for ln in r.lines}
    when = f"{job.starts_at.astimezone():%Y-%m-%d %H:%M}"
    for n, (label, code) in enumerate(job.codes, start=1):
        ln = lines[label]
        p.set(align="center", bold=True, double_height=True, double_width=True)
        p.text(f"{job.event}\n")
        p.set(align="center", normal_textsize=True)
        p.text(f"{job.venue}\n{when}\n\n")
        p.set(align="left", bold=True, double_height=True)
        p.text(f"SEAT {label}\n")
        p.set(align="left", normal_textsize=True)
        p.text(f"Zone: {job.zone_names.get(ln.zone, ln.zone)}\n")
        p.text(f"Type: {job.type_names.get(ln.price_type, ln.price_type.capitalize())}\n")
        p.text(f"Price: {money(ln.price, job.currency)}\n")
        mark = reprint_mark(ln.reprint)
        if mark:
            p.set(align="center", bold=True, invert=True)
            p.text(f" {mark} \n")
            p.set(align="left", normal_textsize=True)
        p.set(align="center")  # the native QR symbol is placed by the line's alignment
        p.qr(code, size=6, native=True)
        p.set(align="center", normal_textsize=True)
        p.text(f"Order {r.order_id} - ticket {n} of {len(job.codes)}\n")
        p.cut()
    if not with_receipt:
        return
    p.set(align="center", bold=True)
    p.text(f"RECEIPT - ORDER {r.order_id}\n")
    p.set(align="left", normal_textsize=True)
    p.text(f"{job.event}\n{job.venue}, {when}\n")
    if any(ln.reprint for ln in r.lines):
        p.text(f"{reprint_mark(max(ln.reprint for ln in r.lines))}\n")
    p.text("-" * WIDTH + "\n")
    for ln in r.lines:
        kind = job.type_names.get(ln.price_type, ln.price_type.capitalize())
        p.text(_row(f"{ln.label} {job.zone_names.get(ln.zone, ln.zone)} {kind}", money(ln.price, job.currency)))
    p.text("-" * WIDTH + "\n")
    p.set(bold=True)
    p.text(_row("Total", money(r.total, job.currency)))
    p.set(normal_textsize=True)
    for t in r.tenders:
        p.text(_row(f"Paid {t.method}", money(t.amount, job.currency)))
        if t.tendered is not None:
            p.text(_row("Cash given", money(t.tendered, job.currency)))
            p.text(_row("Change", money(t.change, job.currency)))
    p.text(f"\nClerk {r.clerk}, {r.created_at.astimezone():%Y-%m-%d %H:%M:%S}\n")
    p.cut()


def open_printer(spec: PrinterSpec) -> Escpos:
    """The python-escpos printer ``spec`` names, connected (an unreachable printer is a BoxOfficeError)."""
    from escpos import printer

    try:
        if spec.transport == "tcp":
            p: Escpos = printer.Network(spec.host, spec.port, timeout=10)
        elif spec.transport == "file":
            p = printer.File(spec.path)
        elif spec.transport == "usb":
            p = printer.Usb(spec.vendor, spec.product)
        elif spec.transport == "serial":
            p = printer.Serial(spec.path)
        else:
            raise BoxOfficeError(reason="printer_failed", spec=str(spec), detail="not an ESC/POS printer")
        p.open()
    except BoxOfficeError:
        raise
    except Exception as exc:
        raise BoxOfficeError(reason="printer_failed", spec=str(spec), detail=str(exc) or type(exc).__name__) from exc
    return p


def print_order(spec: PrinterSpec, job: OrderPrint, *, kick_drawer: bool = True) -> None:
    """Print ``job`` on the ESC/POS printer ``spec`` (blocking: call it off the GUI thread)."""
    p = open_printer(spec)
    try:
        render(p, job, kick_drawer=kick_drawer)
    except BoxOfficeError:
        raise
    except Exception as exc:
        raise BoxOfficeError(reason="printer_failed", spec=str(spec), detail=str(exc) or type(exc).__name__) from exc
    finally:
        try:
            p.close()
        except Exception:  # noqa: BLE001 - closing a printer that failed: the first error is the one to say
            pass


def print_test_page(spec: PrinterSpec) -> None:
    """A short page naming the printer, with a QR code and a cut: the settings dialog's "Test print"."""
    p = open_printer(spec)
    try:
        p.set(align="center", bold=True)
        p.text("BOX OFFICE TEST PRINT\n")
        p.set(align="center", normal_textsize=True)
        p.text(f"{spec}\n")
        p.qr("BOXOFFICE TEST", size=5, native=True)
        p.cut()
    except Exception as exc:
        raise BoxOfficeError(reason="printer_failed", spec=str(spec), detail=str(exc) or type(exc).__name__) from exc
    finally:
        try:
            p.close()
        except Exception:  # noqa: BLE001
            pass
