"""The ``boxoffice`` command's saved sign-in: one small file in the user state directory, readable by its user only.

``BOXOFFICE_STATE_DIR`` overrides the directory (platformdirs' user state dir by default), so two operators on one
machine — or two tests — keep separate sign-ins. The file holds the token; the server holds only its hash, and a
token is worth nothing once its session is revoked or expired, whatever the file says.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInput

FILE_NAME = "cli-session.json"


@dataclass(frozen=True)
class Saved:
    token: str
    username: str
    session_id: int


def path(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def save(state_dir: Path, token: str, username: str, session_id: int) -> Path:
    """Write the sign-in atomically: directory 0700 (when made here), file 0600 from the moment it exists."""
    try:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"cannot make the state directory {state_dir}: {exc.strerror}") from None
    target = path(state_dir)
    tmp = target.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    data = json.dumps({"token": token, "username": username, "session_id": session_id}).encode()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    return target


def load(state_dir: Path) -> Saved | None:
    """The saved sign-in, or None when there is none (or it is unreadable: it then signs no one in)."""
    try:
        doc = json.loads(path(state_dir).read_text())
        return Saved(str(doc["token"]), str(doc.get("username", "")), int(doc.get("session_id", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget(state_dir: Path) -> bool:
    try:
        path(state_dir).unlink()
        return True
    except FileNotFoundError:
        return False
