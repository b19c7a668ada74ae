"""``followtui auth bluesky``: sign in to Bluesky with a handle and an app password (never the main password).

The app password is read from ``$FOLLOWTUI_BSKY_APP_PASSWORD`` or typed at a hidden prompt (a flag would land in
the shell history); it is not stored: only the session it made (access and refresh tokens, mode 0600).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TextIO

ENV_PASSWORD = "FOLLOWTUI_BSKY_APP_PASSWORD"  # noqa: S105 (a variable name)
SIGN_IN_ADVICE = (
    "Use an app password, never your main password: create one in Bluesky under Settings → Privacy and security → "
    "App passwords."
)


def add_arguments(auth: argparse.ArgumentParser) -> None:
    """The Bluesky options of ``followtui auth``."""
    auth.add_argument("--handle", help="bluesky: your handle, e.g. maria.bsky.social (asked when not given)")
    auth.add_argument(
        "--service",
        help="bluesky: where to sign in (default: https://bsky.social; or your own PDS's URL)",
    )


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    from followtui.backends.bluesky.credentials import DEFAULT_SERVICE, credentials_file, plc_url, save_session
    from followtui.backends.bluesky.signin import SignInError, sign_in
    from followtui.backends.x.credentials import CredentialsError

    print(SIGN_IN_ADVICE, file=stdout, flush=True)
    handle = (args.handle or "").strip() or _ask("Handle: ", stdin, stdout)
    if not handle:
        return _fail("no handle given")
    password = os.environ.get(ENV_PASSWORD, "").strip() or _ask_secret("App password: ", stdin, stdout)
    if not password:
        return _fail("no app password given")
    service = (args.service or DEFAULT_SERVICE).rstrip("/")
    try:
        session = sign_in(handle, password, service=service, plc=plc_url())
        saved = save_session(session, credentials_file())
    except (SignInError, CredentialsError) as error:
        return _fail(str(error))
    print(f"Signed in to Bluesky as @{session.handle} ({session.did}, PDS {session.pds}).", file=stdout)
    print(f"Session saved to {saved} (mode 0600); the app password is not stored.", file=stdout)
    return 0


def logout(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """Forget a saved Bluesky session (``--handle``, or the only one)."""
    stdout = stdout or sys.stdout
    from followtui.backends.bluesky.credentials import credentials_file, delete_session, find_session, load_sessions
    from followtui.backends.x.credentials import CredentialsError

    try:
        session = find_session(load_sessions(credentials_file()), args.handle)
        if session is None:
            print("Not signed in to Bluesky with that account (name it with --handle).", file=stdout)
            return 1
        delete_session(session.did, credentials_file())
    except CredentialsError as error:
        return _fail(str(error))
    print(f"Signed out of Bluesky: forgot @{session.handle}.", file=stdout)
    return 0


def status_lines(path: Path | None = None) -> list[str]:
    """One line per saved Bluesky account (no network, no secrets)."""
    from followtui.backends.bluesky.credentials import load_sessions
    from followtui.backends.x.credentials import CredentialsError

    try:
        sessions = load_sessions(path)
    except CredentialsError as error:
        return [f"Bluesky: {error}"]
    return [f"Bluesky: @{s.handle} ({s.did}) on {s.pds}" for s in sessions.values()]


def _ask(prompt: str, stdin: TextIO, stdout: TextIO) -> str:
    print(prompt, end="", file=stdout, flush=True)
    return stdin.readline().strip()


def _ask_secret(prompt: str, stdin: TextIO, stdout: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass(prompt).strip()
    return _ask(prompt, stdin, stdout)


def _fail(message: str) -> int:
    print(f"followtui: {message}", file=sys.stderr)
    return 1
