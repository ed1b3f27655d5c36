"""PostgreSQL advisory locks: the namespaces and the only place their SQL is written.

A session's inventory lock (``INVENTORY``) is taken shared by every sale, cancel and exchange and exclusively by
anything that rewrites the whole picture of a session (a cache rebuild, a hold settlement, a repair). A session's
stock ledger lock (``LEDGER``) is taken shared by the stream consumer and exclusively by a ledger repair. The
accounts lock serialises the "first account is a supervisor" rule. All are transaction-scoped: they end with the
transaction that took them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

#: a session's inventory: sales share it, a rebuild or a repair takes it exclusively
INVENTORY = 7243
#: a session's stock ledger: the consumer shares it, a ledger repair takes it exclusively
LEDGER = 7244
#: the accounts table as a whole (key 0): creating the first account
ACCOUNTS = 7245
#: schema migrations (a single-key lock, outside the two-key namespaces above)
MIGRATIONS = 7243190

_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(:ns, :key)")
_SHARED = text("SELECT pg_advisory_xact_lock_shared(:ns, :key)")
_SHARED_MANY = text("SELECT pg_advisory_xact_lock_shared(:ns, key) FROM unnest(CAST(:keys AS int[])) AS key")

#: SQL fragments for statements that take the lock themselves (one round trip); ``:ns`` / ``%(ns)s`` is bound to
#: the namespace by the caller
SHARED_FRAGMENT = "pg_advisory_xact_lock_shared"


def exclusive(s: Session, namespace: int, key: int) -> None:
    """Take ``(namespace, key)`` exclusively until the transaction ends."""
    s.execute(_EXCLUSIVE, {"ns": namespace, "key": key})


def shared(s: Session, namespace: int, key: int) -> None:
    """Take ``(namespace, key)`` shared until the transaction ends."""
    s.execute(_SHARED, {"ns": namespace, "key": key})


def shared_many(s: Session, namespace: int, keys: Iterable[int]) -> None:
    """Take ``(namespace, k)`` shared for every key, in ascending order (so two callers never deadlock)."""
    s.execute(_SHARED_MANY, {"ns": namespace, "keys": sorted(set(keys))})
