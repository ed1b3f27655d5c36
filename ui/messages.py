"""The one place where errors become words for the person at the window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from boxoffice.errors import (
    AuthenticationFailed,
    BackendUnavailable,
    BadInput,
    BoxOfficeError,
    PermissionDenied,
    SaleRefused,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error raised by a service call."""
    if isinstance(exc, BackendUnavailable):
        return tr("Server unavailable"), str(exc)
    if isinstance(exc, AuthenticationFailed):
        return tr("Sign-in failed"), str(exc)
    if isinstance(exc, PermissionDenied):
        return tr("Not allowed"), str(exc)
    if isinstance(exc, SaleRefused):
        return tr("Sale refused"), str(exc)
    if isinstance(exc, BadInput):
        return tr("Check the input"), str(exc)
    if isinstance(exc, BoxOfficeError):
        return tr("Box office"), str(exc)
    return tr("Unexpected error"), f"{exc.__class__.__name__}: {exc}"
