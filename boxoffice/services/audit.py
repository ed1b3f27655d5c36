"""The audit log's one writer, for the services that import it from here: :func:`boxoffice.adapters.repos.audit.record`
(an entry added inside the caller's transaction)."""

from __future__ import annotations

from ..adapters.repos.audit import record as audit

__all__ = ["audit"]
