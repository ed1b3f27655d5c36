"""Users, the CLI's sign-ins (``cli_sessions``) and the installation's shared secrets (``app_secrets``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from .. import models


# -- users ------------------------------------------------------------------------------------------------------------
def user_named(s: Session, username: str, *, for_update: bool = False) -> models.User | None:
    q = select(models.User).where(models.User.username == username)
    if for_update:
        q = q.with_for_update()
    return s.execute(q).scalar_one_or_none()


def user_exists(s: Session, username: str) -> bool:
    return s.execute(select(models.User.id).where(models.User.username == username)).first() is not None


def has_supervisor(s: Session, excluding: Sequence[str] = ()) -> bool:
    """Is there an active supervisor with a password (one who can sign in), other than ``excluding``?"""
    u = models.User
    return s.execute(
        select(u.id).where(u.role == "supervisor", u.active, u.password_hash.is_not(None),
                           u.username.not_in(list(excluding))).limit(1)
    ).first() is not None


def add_user(s: Session, username: str, display_name: str, role: str, password_hash: str | None = None
             ) -> models.User:
    user = models.User(username=username, display_name=display_name, role=role, password_hash=password_hash)
    s.add(user)
    s.flush()
    return user


def password_hashes(s: Session, usernames: Sequence[str]) -> list[tuple[str, str | None]]:
    """(user name, password hash) of those of the active accounts named."""
    u = models.User
    return [(r.username, r.password_hash) for r in
            s.execute(select(u.username, u.password_hash).where(u.username.in_(list(usernames)), u.active))]


# -- CLI sessions -----------------------------------------------------------------------------------------------------
def add_cli_session(s: Session, user_id: int, token_hash: str, client: str, expires_at: datetime) -> int:
    c = models.CliSession
    return s.execute(
        insert(c).values(user_id=user_id, token_hash=token_hash, client=client, expires_at=expires_at).returning(c.id)
    ).scalar_one()


def _live(c: type[models.CliSession]) -> Any:
    return (c.revoked_at.is_(None)) & (c.expires_at > func.now())


def touch_cli_session(s: Session, token_hash: str) -> Any:
    """Mark the live session of this token (its user active) as used now; returns (id, expires_at, user_id,
    username, display_name, role), or None when the token is not one of a live session."""
    c, u = models.CliSession, models.User
    return s.execute(
        update(c).where(c.token_hash == token_hash, u.id == c.user_id, _live(c), u.active)
        .values(last_used_at=func.now())
        .returning(c.id, c.expires_at, u.id.label("user_id"), u.username, u.display_name, u.role)
        .execution_options(synchronize_session=False)
    ).one_or_none()


def why_not_live(s: Session, token_hash: str) -> Any:
    """(revoked, expired, inactive) of the session of this token, or None when no session has it."""
    c, u = models.CliSession, models.User
    return s.execute(
        select(c.revoked_at.is_not(None).label("revoked"), (c.expires_at <= func.now()).label("expired"),
               (~u.active).label("inactive"))
        .join(u, u.id == c.user_id).where(c.token_hash == token_hash)
    ).one_or_none()


def end_cli_session(s: Session, token_hash: str) -> Any:
    """Revoke the live session of this token by its own user (a sign-out); returns (id, user_id) or None."""
    c = models.CliSession
    return s.execute(
        update(c).where(c.token_hash == token_hash, _live(c)).values(revoked_at=func.now(), revoked_by=c.user_id)
        .returning(c.id, c.user_id).execution_options(synchronize_session=False)
    ).one_or_none()


def cli_sessions(s: Session, include_ended: bool, ended_within: timedelta = timedelta(days=7)) -> list[Any]:
    """Live CLI sessions (and, with ``include_ended``, those created within ``ended_within``), with their user and
    state (live, expired, revoked), by id."""
    c, u = models.CliSession, models.User
    state = case((c.revoked_at.is_not(None), "revoked"), (c.expires_at <= func.now(), "expired"), else_="live")
    q = (select(c.id, u.username, u.role, c.client, c.created_at, c.expires_at, c.last_used_at, c.revoked_at,
                state.label("state"))
         .join(u, u.id == c.user_id).order_by(c.id))
    shown = _live(c)
    if include_ended:
        shown = shown | (c.created_at > func.now() - ended_within)
    return list(s.execute(q.where(shown)).all())


def lock_cli_session(s: Session, session_id: int) -> Any:
    """(id, user_id, username, revoked_at) of the CLI session, its row locked FOR UPDATE; None if there is none."""
    c, u = models.CliSession, models.User
    return s.execute(
        select(c.id, c.user_id, u.username, c.revoked_at).join(u, u.id == c.user_id).where(c.id == session_id)
        .with_for_update(of=c)
    ).one_or_none()


def revoke_cli_session(s: Session, session_id: int, by_user_id: int) -> None:
    c = models.CliSession
    s.execute(update(c).where(c.id == session_id).values(revoked_at=func.now(), revoked_by=by_user_id)
              .execution_options(synchronize_session=False))


# -- shared secrets ---------------------------------------------------------------------------------------------------
def app_secret(s: Session, name: str, candidate: bytes) -> bytes:
    """The installation's secret ``name``, stored as ``candidate`` if it has none yet (the first caller wins)."""
    a = models.AppSecret
    s.execute(pg_insert(a).values(name=name, value=candidate).on_conflict_do_nothing())
    return s.execute(select(a.value).where(a.name == name)).scalar_one()
