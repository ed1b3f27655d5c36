"""The Redis key layout of the seat store (the key contract, DESIGN §3).

Every key of a session carries the hash tag ``{s<id>}``, so each script touches one cluster slot:
``<prefix>:{s<id>}:meta|seats|sold|stock|tokens|holds|ver|changes|owners|unresolved``, and per token
``<prefix>:{s<id>}:tok:<token>`` / ``hold:<token>``, per lock ``lock:<name>``. Outside the sessions:
``<prefix>:{unresolved}:sessions`` and ``<prefix>:turn:<job>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SessionKeys:
    meta: str
    seats: str
    sold: str
    stock: str
    tokens: str
    holds: str
    ver: str
    changes: str
    owners: str
    #: sorted set token -> ms: sales whose database outcome is unknown, to settle when the database answers again
    unresolved: str
    prefix: str

    @classmethod
    def of(cls, prefix: str, session_id: int) -> SessionKeys:
        p = f"{prefix}:{{s{session_id}}}:"
        return cls(
            meta=p + "meta",
            seats=p + "seats",
            sold=p + "sold",
            stock=p + "stock",
            tokens=p + "tokens",
            holds=p + "holds",
            ver=p + "ver",
            changes=p + "changes",
            owners=p + "owners",
            unresolved=p + "unresolved",
            prefix=p,
        )

    def tok(self, token: str) -> str:
        return f"{self.prefix}tok:{token}"

    def hold(self, token: str) -> str:
        return f"{self.prefix}hold:{token}"

    def lock(self, name: str) -> str:
        return f"{self.prefix}lock:{name}"


def unresolved_index(prefix: str) -> str:
    """The sessions that may have unresolved sales (a set of session ids; its own slot — it only finds them)."""
    return f"{prefix}:{{unresolved}}:sessions"


def job_lock(prefix: str, job: str) -> str:
    """The lock a scheduled job takes so that one process of the installation runs it at a time."""
    return f"{prefix}:turn:{job}"
