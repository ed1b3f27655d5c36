"""Where an order's tickets and receipt go: the one entry :func:`print_order`, by the workstation's printer setting.

- ``pdf``: the ticket PDF (ui/tickets_pdf.py), written under the tickets folder; its path is the answer;
- ``system:NAME``: a printer of this computer through Qt's print support (QPrinterInfo finds it by name; an unknown
  name is refused with the printers this computer has), painted with the same :func:`paint_tickets` as the PDF;
- ``escpos:…``: a thermal printer through python-escpos (boxoffice/adapters/printers, reached through the desk):
  the cash drawer opens first on a cash order, then the tickets print.

Every route blocks: call it on the task runner (ui/tasks.py), never on the GUI thread. Painting on a QPrinter or a
QPdfWriter touches no widget, so it runs on a worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.errors import BadInput, BoxOfficeError
from boxoffice.services.frontdesk import FrontDesk, TicketSheet

from .tickets_pdf import paint_tickets, write_tickets


def printer_names() -> list[str]:
    """The printers this computer has (Qt's print support)."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def system_printer(name: str) -> QPrinter:
    """A QPrinter on the system printer ``name``; an unknown name is a BadInput naming the printers there are."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull() or info.printerName() != name:
        raise BadInput(reason="unknown_system_printer", name=name, available=", ".join(printer_names()) or "none")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName("tickets")
    return printer


def print_order(receipt: Receipt, session: SessionInfo, codes: TicketSheet, spec: str, *,
                desk: FrontDesk | None = None, pdf_path: Path | None = None, kick_drawer: bool = True) -> Path | str:
    """Print the tickets of ``codes`` and the receipt on the printer ``spec`` and say where they went (the PDF's
    path, or the printer's name). ``desk`` is needed for ESC/POS; ``pdf_path`` for the PDF; ``kick_drawer`` False on a
    reprint (no cash changes hands). Blocking."""
    spec = (spec or "pdf").strip()
    kind = spec.split(":", 1)[0].lower()
    if kind == "pdf" or not spec:
        assert pdf_path is not None, "the PDF route needs a path"
        return write_tickets(pdf_path, receipt, session, codes)
    if kind == "system":
        name = spec.split(":", 1)[1].strip()
        printer = system_printer(name)
        paint_tickets(printer, receipt, session, codes)
        return name
    if kind == "escpos":
        assert desk is not None, "the ESC/POS route goes through the desk"
        desk.print_escpos(receipt, spec, labels=[label for label, _ in codes.codes], kick_drawer=kick_drawer)
        return spec
    raise BadInput(reason="bad_printer", spec=spec, detail=f"unknown kind {kind!r}")


def write_tickets_report(path: Path, report: dict[str, Any]) -> None:
    """The ``boxoffice.pdf`` entry point ``tickets`` (the CLI's ``order reprint``): ``report`` holds the objects
    (``receipt``, ``session``, ``sheet``) and the ``printer`` — ``pdf`` writes ``path``, ``system:NAME`` prints."""
    if QGuiApplication.instance() is None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        write_tickets_report.app = QGuiApplication([])  # type: ignore[attr-defined] - kept alive for the call
    spec = str(report.get("printer") or "pdf")
    if not spec.startswith(("pdf", "system:")):
        raise BoxOfficeError(reason="bad_printer", spec=spec, detail="not a PDF or a system printer")
    print_order(report["receipt"], report["session"], report["sheet"], spec, pdf_path=path)
