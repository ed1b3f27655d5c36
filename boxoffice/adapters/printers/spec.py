"""A printer named in one line of text: ``BOXOFFICE_PRINTER`` and the workstation's printer setting.

``pdf`` (the ticket PDF, the default) · ``system:NAME`` (a printer of this computer, through Qt) ·
``escpos:tcp://HOST:PORT`` (a network thermal printer; port 9100 when left out) · ``escpos:file:/PATH`` (a device
file such as /dev/usb/lp0, or a plain file) · ``escpos:usb:VID:PID`` (hexadecimal vendor and product ids) ·
``escpos:serial:DEVICE`` (/dev/ttyUSB0, COM3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import BadInput

KINDS = ("pdf", "system", "escpos")
TRANSPORTS = ("tcp", "file", "usb", "serial")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))$")
_HEX = re.compile(r"^(0x)?[0-9A-Fa-f]{1,4}$")


@dataclass(frozen=True)
class PrinterSpec:
    kind: str  # pdf | system | escpos
    name: str = ""  # system: the printer's name
    transport: str = ""  # escpos: tcp | file | usb | serial
    host: str = ""
    port: int = 9100
    path: str = ""  # escpos file or serial device
    vendor: int = 0  # escpos usb
    product: int = 0

    def __str__(self) -> str:
        if self.kind == "pdf":
            return "pdf"
        if self.kind == "system":
            return f"system:{self.name}"
        if self.transport == "tcp":
            return f"escpos:tcp://{self.host}:{self.port}"
        if self.transport == "usb":
            return f"escpos:usb:{self.vendor:04x}:{self.product:04x}"
        return f"escpos:{self.transport}:{self.path}"


def _bad(raw: str, detail: str) -> BadInput:
    return BadInput(reason="bad_printer", spec=raw, detail=detail)


def parse_printer(raw: str | None) -> PrinterSpec:
    """The printer ``raw`` names (None or empty: ``pdf``); anything else is a :class:`BadInput` saying what is
    wrong and what is accepted."""
    text = (raw or "").strip()
    if not text or text.lower() == "pdf":
        return PrinterSpec("pdf")
    if len(text) > 300 or not text.isprintable():
        raise _bad(text[:40], "too long or not printable")
    kind, sep, rest = text.partition(":")
    kind = kind.lower()
    if not sep or kind not in ("system", "escpos"):
        raise _bad(text, f"unknown kind {kind!r}")
    if kind == "system":
        if not rest.strip():
            raise _bad(text, "system: needs the printer's name")
        return PrinterSpec("system", name=rest.strip())
    transport, sep, target = rest.partition(":")
    transport = transport.lower()
    if transport == "tcp":
        if not target.startswith("//"):
            raise _bad(text, "a network printer is escpos:tcp://HOST:PORT")
        hostport = target[2:].rstrip("/")
        host, port = hostport, 9100
        m = re.match(r"^(.*):([0-9]{1,5})$", hostport)
        if m:
            host, port = m[1], int(m[2])
        if not 0 < port < 65536:
            raise _bad(text, f"port {port} is not 1-65535")
        if not host or not _HOST.match(host):
            raise _bad(text, f"{host!r} is not a host name or address")
        return PrinterSpec("escpos", transport="tcp", host=host.strip("[]"), port=port)
    if transport in ("file", "serial"):
        if not target.strip():
            raise _bad(text, f"escpos:{transport}: needs a path")
        return PrinterSpec("escpos", transport=transport, path=target.strip())
    if transport == "usb":
        vid, sep, pid = target.partition(":")
        if not sep or not _HEX.match(vid) or not _HEX.match(pid):
            raise _bad(text, "a USB printer is escpos:usb:VID:PID in hexadecimal (escpos:usb:04b8:0202)")
        return PrinterSpec("escpos", transport="usb", vendor=int(vid, 16), product=int(pid, 16))
    raise _bad(text, f"unknown ESC/POS connection {transport!r}; use tcp, file, usb or serial")
