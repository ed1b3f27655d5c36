"""Users: enough to attribute every sale to a person (passwords and login come with the clerk window)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import select

from ..adapters import models as m
from ..errors import BadInput, NotFound, PermissionDenied
from .catalog import UowFactory

SELLING_ROLES = ("clerk", "supervisor", "system")


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
        self._cache: dict[str, tuple[float, UserInfo]] = {}
        self._lock = threading.Lock()

    def get(self, username: str) -> UserInfo:
        with self._lock:
            hit = self._cache.get(username)
        if hit and time.monotonic() - hit[0] < self.CACHE_SECONDS:
            return hit[1]
        with self.uow() as tx:
            user = tx.session.execute(select(m.User).where(m.User.username == username)).scalar_one_or_none()
            if user is None:
                raise NotFound(f"no user named {username!r}")
            if not user.active:
                raise PermissionDenied(f"user {username!r} is deactivated")
            info = UserInfo(user.id, user.username, user.display_name, user.role)
        with self._lock:
            self._cache[username] = (time.monotonic(), info)
        return info

    def require(self, username: str, roles: tuple[str, ...]) -> UserInfo:
        user = self.get(username)
        if user.role not in roles:
            raise PermissionDenied(f"user {username!r} ({user.role}) may not do this")
        return user

    def ensure(self, username: str, display_name: str, role: str) -> tuple[UserInfo, bool]:
        """Create the user unless it exists (demo data, benchmarks)."""
        if role not in ("clerk", "supervisor", "system"):
            raise BadInput(f"unknown role {role!r}")
        with self.uow() as tx:
            user = tx.session.execute(select(m.User).where(m.User.username == username)).scalar_one_or_none()
            created = user is None
            if created:
                user = m.User(username=username, display_name=display_name, role=role)
                tx.session.add(user)
                tx.session.flush()
            info = UserInfo(user.id, user.username, user.display_name, user.role)
            tx.commit()
        return info, created
