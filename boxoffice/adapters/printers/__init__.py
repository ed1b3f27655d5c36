"""Printers without Qt: which printer a workstation prints on (:mod:`.spec`, ``BOXOFFICE_PRINTER``), and tickets
and receipts on thermal ESC/POS printers through python-escpos (:mod:`.escpos_out`). The system printers and the
PDF are Qt's (ui/printing.py)."""

from .spec import PrinterSpec, parse_printer

__all__ = ["PrinterSpec", "parse_printer"]
