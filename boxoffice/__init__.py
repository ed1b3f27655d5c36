"""Box office: the non-Qt core (domain, services, adapters). Never imports PySide6."""

from __future__ import annotations

__version__ = "0.1.0"
