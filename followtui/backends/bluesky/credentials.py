"""Saved Bluesky sessions: one file (mode 0600, in a 0700 config dir) holding each signed-in account by DID.

A session is what ``com.atproto.server.createSession`` gave for an app password: the access and refresh tokens,
the account's DID and handle, and the PDS its DID document names. The app password itself is never stored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from followtui import paths
from followtui.backends.x.credentials import CredentialsError, atomic_write

FILE_NAME = "bluesky-credentials.json"
FILE_VERSION = 1
PLC_ENV = "FOLLOWTUI_BSKY_PLC_URL"  # tests and private networks: the PLC directory to resolve DIDs with
DEFAULT_PLC = "https://plc.directory"
DEFAULT_SERVICE = "https://bsky.social"


@dataclass(frozen=True, slots=True)
class BlueskySession:
    """One signed-in Bluesky account."""

    did: str
    handle: str
    pds: str  # the account's PDS, from its DID document
    access_jwt: str
    refresh_jwt: str
    service: str = DEFAULT_SERVICE  # where the user signed in (an entryway such as bsky.social, or the PDS)

    def with_tokens(self, access_jwt: str, refresh_jwt: str, handle: str | None = None) -> BlueskySession:
        return replace(self, access_jwt=access_jwt, refresh_jwt=refresh_jwt, handle=handle or self.handle)


def credentials_file() -> Path:
    return paths.config_dir() / FILE_NAME


def plc_url(env: Mapping[str, str] = os.environ) -> str:
    return (env.get(PLC_ENV) or DEFAULT_PLC).rstrip("/")


def load_sessions(path: Path | None = None) -> dict[str, BlueskySession]:
    """Every saved account, by DID (empty when none); raises CredentialsError for a broken file."""
    path = path or credentials_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise CredentialsError(f"cannot read {path} ({type(error).__name__}): run `followtui auth bluesky`") from None
    accounts = data.get("accounts") if isinstance(data, dict) and data.get("version") == FILE_VERSION else None
    if not isinstance(accounts, dict):
        raise CredentialsError(f"{path} is not a followtui Bluesky credentials file: run `followtui auth bluesky`")
    try:
        return {did: BlueskySession(**doc) for did, doc in accounts.items()}
    except TypeError:
        raise CredentialsError(f"{path} has a broken account entry: run `followtui auth bluesky`") from None


def find_session(sessions: Mapping[str, BlueskySession], account: str | None) -> BlueskySession | None:
    """The session for a DID or handle (``@`` optional); with one account saved, ``None`` picks it."""
    if account is None:
        return next(iter(sessions.values())) if len(sessions) == 1 else None
    name = account.removeprefix("@").lower()
    return sessions.get(account) or next((s for s in sessions.values() if s.handle.lower() == name), None)


def save_session(session: BlueskySession, path: Path | None = None) -> Path:
    """Add or replace ``session`` (by DID) in the file, atomically, mode 0600."""
    path = path or credentials_file()
    _private_dir(path.parent)
    sessions = load_sessions(path) if path.exists() else {}
    sessions[session.did] = session
    doc: dict[str, Any] = {"version": FILE_VERSION, "accounts": {d: asdict(s) for d, s in sessions.items()}}
    atomic_write(path, json.dumps(doc, indent=2).encode())
    return path


def delete_session(did: str, path: Path | None = None) -> bool:
    """Forget one account; whether it was saved. The file goes when it was the last one."""
    path = path or credentials_file()
    sessions = load_sessions(path)
    if sessions.pop(did, None) is None:
        return False
    if sessions:
        doc = {"version": FILE_VERSION, "accounts": {d: asdict(s) for d, s in sessions.items()}}
        atomic_write(path, json.dumps(doc, indent=2).encode())
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return True


def _private_dir(directory: Path) -> None:
    if directory.is_dir():
        return
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)
    except OSError as error:
        raise CredentialsError(f"cannot create {directory}: {error.strerror or type(error).__name__}") from None
