"""The one place where errors become words for the person at the window.

A :class:`BoxOfficeError` carries a reason (a key of :data:`boxoffice.errors.REASONS`) and its arguments; the window
shows the reason's template translated (context "errors", from resources/translations) with the arguments filled in.
``str(exc)`` stays English: that is what the CLI and the logs print.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from boxoffice.errors import (
    REASONS,
    AuthenticationFailed,
    BackendUnavailable,
    BadInput,
    BoxOfficeError,
    PermissionDenied,
    SaleRefused,
)

from .i18n import word

#: arguments that are the backend's codes (a role, an order's or a hold's state): shown as translated words
CODED = ("role", "status", "state", "payment")


def reason_text(exc: BoxOfficeError) -> str:
    """The error's words in the window's language: its reason translated, else (no reason) its English message."""
    if exc.reason is None:
        return str(exc)
    template = QCoreApplication.translate("errors", REASONS[exc.reason])
    params = {k: word(v) if k in CODED and isinstance(v, str) else v for k, v in exc.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: English rather than nothing
        return str(exc)


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error raised by a service call."""
    if isinstance(exc, BackendUnavailable):
        return QCoreApplication.translate("messages", "Server unavailable"), reason_text(exc)
    if isinstance(exc, AuthenticationFailed):
        return QCoreApplication.translate("messages", "Sign-in failed"), reason_text(exc)
    if isinstance(exc, PermissionDenied):
        return QCoreApplication.translate("messages", "Not allowed"), reason_text(exc)
    if isinstance(exc, SaleRefused):
        return QCoreApplication.translate("messages", "Sale refused"), reason_text(exc)
    if isinstance(exc, BadInput):
        return QCoreApplication.translate("messages", "Check the input"), reason_text(exc)
    if isinstance(exc, BoxOfficeError):
        return QCoreApplication.translate("messages", "Box office"), reason_text(exc)
    return QCoreApplication.translate("messages", "Unexpected error"), f"{exc.__class__.__name__}: {exc}"
