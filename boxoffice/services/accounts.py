"""Users, roles, passwords and login.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when the parameters change). After
``MAX_FAILURES`` wrong passwords in a row an account is locked for ``LOCKOUT``; the error never says whether the
user was unknown, the password wrong or the account locked (the audit log says which). Logins, failures and lockouts
go to the audit log.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..adapters import locks
from ..adapters.uow import UnitOfWork, UowFactory
from ..errors import REASONS, AuthenticationFailed, BadInput, NotFound, NotSignedIn, PermissionDenied

ROLES = ("clerk", "supervisor")
MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")

#: the one answer to every refused sign-in (unknown user, wrong password, locked account): it confirms nothing
SIGN_IN_REFUSED = REASONS["sign_in_refused"]

SELLING_ROLES = ("clerk", "supervisor", "system")
SUPERVISOR_ROLES = ("supervisor",)


@dataclass(frozen=True)
class UserInfo:
    user_id: int
    username: str
    display_name: str
    role: str


class Accounts:
    CACHE_SECONDS = 30.0

    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow
        self.hasher = PasswordHasher()
        self._cache: dict[str, tuple[float, UserInfo]] = {}
        self._lock = threading.Lock()

    def get(self, username: str) -> UserInfo:
        with self._lock:
            hit = self._cache.get(username)
        if hit and time.monotonic() - hit[0] < self.CACHE_SECONDS:
            return hit[1]
        with self.uow() as tx:
            user = tx.accounts.user_named(username)
            if user is None:
                raise NotFound(reason="user_unknown", username=username)
            if not user.active:
                raise PermissionDenied(reason="user_deactivated", username=username)
            info = UserInfo(user.id, user.username, user.display_name, user.role)
        with self._lock:
            self._cache[username] = (time.monotonic(), info)
        return info

    def require(self, username: str, roles: tuple[str, ...]) -> UserInfo:
        user = self.get(username)
        if user.role not in roles:
            if tuple(roles) == SUPERVISOR_ROLES:
                raise PermissionDenied(reason="needs_supervisor", username=username, role=user.role)
            raise PermissionDenied(reason="role_refused", username=username, role=user.role)
        return user

    def may_add_user(self, actor: str | None, role: str) -> UserInfo | None:
        """Who may add an account: a supervisor; or, with ``actor`` None, anyone adding the first supervisor of a
        database that has none who can sign in. Returns the acting supervisor (None for the first account)."""
        if actor is not None:
            return self.require(actor, SUPERVISOR_ROLES)
        if self.has_supervisor():
            raise NotSignedIn(reason="add_user_needs_supervisor")
        if role != "supervisor":
            raise PermissionDenied(reason="first_user_supervisor")
        return None

    def has_supervisor(self, tx: UnitOfWork | None = None, excluding: tuple[str, ...] = ()) -> bool:
        """Is there an active supervisor with a password (one who can sign in), other than ``excluding``? (Inside
        the unit of work ``tx`` when given.)"""
        if tx is not None:
            return tx.accounts.has_supervisor(excluding)
        with self.uow() as tx:
            return tx.accounts.has_supervisor(excluding)

    def add_user(self, username: str, display_name: str, role: str, password: str,
                 actor: str | None = None) -> UserInfo:
        """Create a clerk or supervisor with a password, as the supervisor ``actor`` — or, with ``actor`` None, the
        first supervisor of a database that has none (checked again under a lock, so two first accounts cannot race).
        """
        by = self.may_add_user(actor, role)
        if not _USERNAME.match(username):
            raise BadInput(reason="bad_username")
        if role not in ROLES:
            raise BadInput(reason="bad_role", roles=", ".join(ROLES), role=role)
        if len(password) < MIN_PASSWORD:
            raise BadInput(reason="short_password", minimum=MIN_PASSWORD)
        with self.uow() as tx:
            if by is None:  # the first account: one at a time, and only while there is still no supervisor
                tx.locks.exclusive(locks.ACCOUNTS, 0)
                if self.has_supervisor(tx):
                    raise NotSignedIn(reason="add_user_needs_supervisor")
            if tx.accounts.user_exists(username):
                raise BadInput(reason="user_exists", username=username)
            user = tx.accounts.add_user(username, display_name.strip() or username, role,
                                        self.hasher.hash(password))
            tx.audit.record("user_added", by.user_id if by else user.id,
                            details={"role": role, "user": username, "first_account": by is None})
            info = UserInfo(user.id, user.username, user.display_name, user.role)
            tx.commit()
        return info

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise BadInput(reason="short_password", minimum=MIN_PASSWORD)
        with self.uow() as tx:
            user = tx.accounts.user_named(username)
            if user is None:
                raise NotFound(reason="user_unknown", username=username)
            user.password_hash = self.hasher.hash(password)
            user.failed_logins, user.locked_until = 0, None
            tx.commit()

    def login(self, username: str, password: str) -> UserInfo:
        """Check a password; count failures, lock after ``MAX_FAILURES`` in a row, audit every attempt."""
        return self._authenticate(username, password, "login")

    def verify_supervisor(self, username: str, password: str, *, for_user: UserInfo | None = None,
                          order_id: int | None = None) -> UserInfo:
        """A supervisor's name and password typed at another clerk's window (a "supervisor override"): the same
        argon2 check, failure count, lockout and audit as a sign-in (audited as ``override``); a right password of
        an account that is not a supervisor is a :class:`PermissionDenied`."""
        details = {"for": for_user.username if for_user else None, "order_id": order_id}
        info = self._authenticate(username, password, "override", details)
        if info.role not in SUPERVISOR_ROLES:
            raise PermissionDenied(reason="not_a_supervisor", username=username)
        return info

    def _authenticate(self, username: str, password: str, action: str, details: dict | None = None) -> UserInfo:
        """Every refusal answers the same words (:data:`SIGN_IN_REFUSED`), whether the user is unknown, the password
        wrong or the account locked; the audit log keeps the real reason (``details.reason``)."""
        now = datetime.now(timezone.utc)
        via = {"via": action, **(details or {})}
        with self.uow() as tx:
            user = tx.accounts.user_named(username, for_update=True)
            if user is None or not user.active or not user.password_hash:
                reason = "unknown_user" if user is None else "inactive" if not user.active else "no_password"
                tx.audit.record("login_failed", user.id if user is not None else None,
                                details={**via, "reason": reason, "username": username[:64]})
                tx.commit()
                raise AuthenticationFailed()
            if user.locked_until is not None and user.locked_until > now:
                tx.audit.record("login_refused", user.id,
                                details={**via, "reason": "locked", "locked_until": user.locked_until.isoformat()})
                tx.commit()
                raise AuthenticationFailed()
            try:
                self.hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_logins += 1
                locked = user.failed_logins >= MAX_FAILURES
                if locked:
                    user.locked_until, user.failed_logins = now + LOCKOUT, 0
                tx.audit.record("login_locked" if locked else "login_failed", user.id,
                                details={**via, "reason": "wrong_password"})
                tx.commit()
                raise AuthenticationFailed() from None
            if self.hasher.check_needs_rehash(user.password_hash):
                user.password_hash = self.hasher.hash(password)
            user.failed_logins, user.locked_until = 0, None
            tx.audit.record(action, user.id, details=details)
            info = UserInfo(user.id, user.username, user.display_name, user.role)
            tx.commit()
        return info

    def accounts_with_password(self, usernames: tuple[str, ...], password: str) -> list[str]:
        """Which of these accounts still open with ``password`` (demo mode: the demo accounts are untouched)."""
        with self.uow() as tx:
            rows = tx.accounts.password_hashes(usernames)
        out = []
        for name, hashed in rows:
            try:
                if hashed and self.hasher.verify(hashed, password):
                    out.append(name)
            except (VerificationError, InvalidHashError):
                pass
        return sorted(out, key=usernames.index)

    def ensure(self, username: str, display_name: str, role: str, password: str | None = None
               ) -> tuple[UserInfo, bool]:
        """Create the user unless it exists (demo data, benchmarks); give it ``password`` if it has none."""
        if role not in (*ROLES, "system"):
            raise BadInput(reason="unknown_role", role=role)
        with self.uow() as tx:
            user = tx.accounts.user_named(username)
            created = user is None
            if user is None:
                user = tx.accounts.add_user(username, display_name, role)
            if password and not user.password_hash:
                user.password_hash = self.hasher.hash(password)
            info = UserInfo(user.id, user.username, user.display_name, user.role)
            tx.commit()
        return info, created
