"""Sign-ins of the ``boxoffice`` command (``boxoffice login``), the way ``gh auth login`` works.

A sign-in checks the password through :meth:`Accounts.login` (the window's lockout and audit) and creates a CLI
session: a random token handed to the client once, stored here only as its SHA-256 (a random 256-bit token needs no
slow hash), with its user, creation, expiry and last use. Every command that reads orders or changes data presents
the token; :meth:`CliSessions.authenticate` answers with the user, or :class:`NotSignedIn` when the token is unknown
(a copied-and-edited file), expired or revoked — whatever the client's file says. The role checks stay in the
services the command then calls with that user's name.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..adapters.repos import accounts, audit
from ..adapters.uow import UowFactory
from ..errors import BadInput, NotFound, NotSignedIn
from .accounts import SUPERVISOR_ROLES, Accounts, UserInfo

SIGN_IN = "sign in with `boxoffice login`"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """What ``boxoffice login`` keeps: the token (only here, never stored by the server) and its session."""

    token: str
    session_id: int
    username: str
    role: str
    expires_at: datetime


@dataclass(frozen=True)
class CliSessionInfo:
    session_id: int
    username: str
    role: str
    client: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str  # live | expired | revoked

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Caller:
    """The signed-in user of a command and the CLI session it came through."""

    user: UserInfo
    session_id: int
    expires_at: datetime

    @property
    def username(self) -> str:
        return self.user.username


class CliSessions:
    def __init__(self, uow: UowFactory, accounts: Accounts, hours: float = 8.0) -> None:
        self.uow = uow
        self.accounts = accounts
        self.hours = hours

    def sign_in(self, username: str, password: str, client: str = "") -> SignIn:
        """Check the password (lockout and audit as in the window) and open a CLI session for ``hours``."""
        user = self.accounts.login(username, password)
        token = secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(hours=self.hours)
        with self.uow() as tx:
            sid = accounts.add_cli_session(tx.session, user.user_id, token_hash(token), client[:200], expires)
            audit.record(tx.session, "cli_login", user.user_id,
                         details={"cli_session": sid, "client": client[:200], "expires_at": expires.isoformat()})
            tx.commit()
        return SignIn(token, sid, user.username, user.role, expires)

    def authenticate(self, token: str | None) -> Caller:
        """The user a token signs in, refreshing its last use; :class:`NotSignedIn` (exit 7) if the token is not one
        of a live session (unknown, edited, expired, revoked, its user deactivated)."""
        if not token:
            raise NotSignedIn()
        h = token_hash(token)
        with self.uow() as tx:
            row = accounts.touch_cli_session(tx.session, h)
            if row is None:
                why = accounts.why_not_live(tx.session, h)
                if why is None:
                    raise NotSignedIn(f"not signed in (the saved sign-in is not valid here): {SIGN_IN}")
                if why.revoked:
                    raise NotSignedIn(f"your sign-in was revoked: {SIGN_IN}")
                if why.expired:
                    raise NotSignedIn(f"your sign-in has expired: {SIGN_IN}")
                raise NotSignedIn("your account is deactivated")
            tx.commit()
        return Caller(UserInfo(row.user_id, row.username, row.display_name, row.role), row.id, row.expires_at)

    def sign_out(self, token: str) -> bool:
        """End the token's session (``boxoffice logout``); False if it was no live session."""
        with self.uow() as tx:
            row = accounts.end_cli_session(tx.session, token_hash(token))
            if row is not None:
                audit.record(tx.session, "cli_logout", row.user_id, details={"cli_session": row.id})
            tx.commit()
        return row is not None

    def list(self, username: str, include_ended: bool = False) -> list[CliSessionInfo]:
        """CLI sessions (live ones, or also the expired and revoked of the last 7 days); supervisors only."""
        self.accounts.require(username, SUPERVISOR_ROLES)
        with self.uow() as tx:
            rows = accounts.cli_sessions(tx.session, include_ended)
        return [CliSessionInfo(r.id, r.username, r.role, r.client, r.created_at, r.expires_at, r.last_used_at,
                               r.revoked_at, r.state) for r in rows]

    def revoke(self, username: str, session_id: int) -> CliSessionInfo:
        """A supervisor ends someone's CLI session at once; audited with both names."""
        actor = self.accounts.require(username, SUPERVISOR_ROLES)
        with self.uow() as tx:
            row = accounts.lock_cli_session(tx.session, session_id)
            if row is None:
                raise NotFound(f"no CLI session {session_id}")
            if row.revoked_at is not None:
                raise BadInput(f"CLI session {session_id} was revoked already")
            accounts.revoke_cli_session(tx.session, session_id, actor.user_id)
            audit.record(tx.session, "cli_session_revoked", actor.user_id,
                         details={"cli_session": session_id, "user": row.username})
            tx.commit()
        found = [s for s in self.list(username, include_ended=True) if s.session_id == session_id]
        return found[0]
