"""``followtui auth``: sign in to X (OAuth 2.0 with PKCE), show who is signed in, or sign out.

The client ID comes from ``--client-id`` or ``$FOLLOWTUI_X_CLIENT_ID``; a confidential client's secret only from
``$FOLLOWTUI_X_CLIENT_SECRET`` (a flag would land in the shell history).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from followtui.backends.x.constants import DEFAULT_REDIRECT
from followtui.cli import auth_bluesky
from followtui.config import Config

ENV_CLIENT_ID = "FOLLOWTUI_X_CLIENT_ID"
ENV_CLIENT_SECRET = "FOLLOWTUI_X_CLIENT_SECRET"  # noqa: S105 (a variable name)
REDIRECT_TIMEOUT = 300.0

NO_CLIENT_ID = (
    "no X client ID: create an app at https://developer.x.com (Projects & Apps), turn on OAuth 2.0 "
    "(type: Native App, callback URI {redirect}), then run `followtui auth --client-id ID`, "
    f"set {ENV_CLIENT_ID}, or put client_id under [x] in the config"
)
NOT_SIGNED_IN = "Not signed in. Run `followtui auth` to sign in to X (see `followtui auth --help`)."


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    auth = sub.add_parser(
        "auth",
        parents=[common],
        help="sign in to X or Bluesky (auth bluesky), list the accounts (--status), or sign out (--logout)",
        description=(
            "Sign in to X with OAuth 2.0 (PKCE) through your browser. Needs the OAuth 2.0 Client ID of your own "
            f"X app (--client-id or ${ENV_CLIENT_ID}); a confidential app's secret is read from "
            f"${ENV_CLIENT_SECRET} only. `followtui auth bluesky --handle you.bsky.social` signs in to Bluesky "
            "with an app password (Settings, Privacy and security, App passwords; never your main password)."
        ),
    )
    auth.add_argument(
        "network", nargs="?", choices=["x", "bluesky"], default="x", help="the network to sign in to (default: x)"
    )
    what = auth.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="show who is signed in and with what (no network)")
    what.add_argument("--logout", action="store_true", help="remove the saved credentials (file and keyring)")
    auth.add_argument(
        "--client-id",
        help=f"your X app's OAuth 2.0 Client ID (default: ${ENV_CLIENT_ID}, or [x] client_id in the config)",
    )
    auth.add_argument(
        "--redirect-uri",
        default=DEFAULT_REDIRECT,
        help="the callback URI registered in your app (default: %(default)s)",
    )
    auth.add_argument(
        "--paste", action="store_true", help="paste the URL the browser lands on instead of catching it locally"
    )
    auth.add_argument("--no-browser", action="store_true", help="only print the URL to open")
    auth.add_argument(
        "--store",
        choices=["file", "keyring", "auto"],
        default="file",
        help="where the secrets go: the credentials file (0600), the system keyring, or the keyring when there "
        "is one (default: %(default)s)",
    )
    auth_bluesky.add_arguments(auth)


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui import paths

    path = paths.credentials_file()
    if getattr(args, "status", False):
        return status(path, data_dir)
    if args.network == "bluesky":
        return auth_bluesky.logout(args) if getattr(args, "logout", False) else auth_bluesky.run(args)
    if getattr(args, "logout", False):
        return logout(path)
    if not args.client_id and config.client_id:
        args.client_id = config.client_id
    try:
        return sign_in(args, path, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        print("\nfollowtui: sign-in cancelled", file=sys.stderr)
        return 130


def fail(message: str) -> int:
    print(f"followtui: {message}", file=sys.stderr)
    return 1


def status(path: Path, data_dir: Path | None = None) -> int:
    """Print who is signed in (offline), then every account's cache under ``data_dir``; 1 when nobody is
    signed in and there is no cache."""
    from followtui.backends.x.credentials import CredentialsError, describe, is_from_env, load_credentials

    try:
        creds = load_credentials(path)
    except CredentialsError as error:
        return fail(str(error))
    bluesky = auth_bluesky.status_lines()
    for line in bluesky:
        print(line)
    if creds is None:
        print(NOT_SIGNED_IN)
    else:
        print(f"Signed in: {describe(creds, path=path)}")
        if is_from_env(creds) and path.exists():
            print(f"(the environment overrides the credentials saved in {path})")
    caches = _caches(data_dir) if data_dir is not None else []
    for line in caches:
        print(line)
    return 0 if creds is not None or bluesky or caches else 1


def _caches(data_dir: Path) -> list[str]:
    """``Caches in DIR:`` and one line per account with a cache there (the one opened last marked)."""
    from followtui.services.accounts import cached_accounts, has_legacy_cache, read_last

    found = list(cached_accounts(data_dir))
    old = has_legacy_cache(data_dir)
    if not found and not old:
        return []
    last = read_last(data_dir)
    lines = [f"Caches in {data_dir}:"]
    lines += [f"  {ref.label}: {ref.dir}" + ("  (opened last)" if ref.key == last else "") for ref in found]
    if old:
        lines.append(f"  a cache from before accounts: {data_dir} (moved into its account's folder on the next open)")
    return lines


def logout(path: Path) -> int:
    """Remove the saved credentials, file and keyring entry."""
    from followtui.backends.x.credentials import CredentialsError, credentials_from_env, delete_credentials

    try:
        removed = delete_credentials(path)
    except CredentialsError as error:
        return fail(str(error))
    print(f"Signed out: removed {path}." if removed else "Not signed in: nothing to remove.")
    try:
        from_env = credentials_from_env() is not None
    except CredentialsError:
        from_env = True
    if from_env:
        print("Note: FOLLOWTUI_X_* environment variables still hold credentials; unset them too.")
    return 0


def sign_in(args: argparse.Namespace, path: Path, stdin: TextIO, stdout: TextIO) -> int:
    """The PKCE flow: print/open the URL, get the redirect (caught or pasted), exchange, save."""
    import requests

    from followtui.backends.x import oauth
    from followtui.backends.x.credentials import CredentialsError, keyring_available, keyring_name, save_credentials
    from followtui.backends.x.http import api_base_from_env

    redirect_uri: str = args.redirect_uri
    client_id = (args.client_id or os.environ.get(ENV_CLIENT_ID, "")).strip()
    if not client_id:
        return fail(NO_CLIENT_ID.format(redirect=redirect_uri))
    client_secret = os.environ.get(ENV_CLIENT_SECRET, "").strip() or None
    if not redirect_uri.startswith(("http://", "https://")):
        return fail(f"--redirect-uri must be an http(s) URL, not {redirect_uri!r}")
    try:
        api_base_from_env()
    except ValueError as error:
        return fail(str(error))
    store = args.store
    if store == "keyring" and not keyring_available():
        return fail("--store keyring: no usable system keyring (pip install 'followtui[keyring]' and a backend)")
    if store == "auto":
        store = "keyring" if keyring_available() else "file"
    paste = args.paste or not oauth.is_loopback(redirect_uri)

    catcher: oauth.RedirectCatcher | None = None
    try:
        if not paste:
            catcher = oauth.RedirectCatcher(redirect_uri)  # listening before the URL is shown
        sign_in, url = oauth.start_authorization(client_id, redirect_uri, client_secret)
        print(f"Open this URL in a browser and authorize followtui:\n\n  {url}\n", file=stdout, flush=True)
        if not args.no_browser and not _open_browser(url):
            print("(No browser to open here: open the URL yourself.)", file=stdout, flush=True)
        if catcher is not None:
            print(f"Waiting for X to send the browser back to {redirect_uri} … (Ctrl-C to cancel)", file=stdout)
            stdout.flush()
            response_url = catcher.wait(REDIRECT_TIMEOUT)
        else:
            print(
                f"After you authorize, the browser goes to a page under {redirect_uri} (it may not load: that is fine).\n"
                "Paste that full URL from the address bar here, within 30 seconds:",
                file=stdout,
                flush=True,
            )
            response_url = stdin.readline().strip()
            if not response_url:
                return fail("no URL pasted: run `followtui auth` again")
        creds = oauth.finish_authorization(sign_in, response_url)
        saved = save_credentials(creds, path, store=store)
    except oauth.SignInError as error:
        return fail(str(error))
    except CredentialsError as error:
        return fail(str(error))
    except requests.RequestException as error:
        return fail(oauth.network_problem(error))
    finally:
        if catcher is not None:
            catcher.close()

    where = f"Credentials saved to {saved} (mode 0600)."
    if store == "keyring":
        where = f"Secrets saved to the system keyring ({keyring_name()}); the rest to {saved} (mode 0600)."
    print(f"Signed in as @{creds.username}. {where}", file=stdout)
    missing = [scope for scope in oauth.SCOPES if scope not in creds.scope] if creds.scope else []
    if missing:
        print(f"Note: X did not grant {', '.join(missing)}; some actions may be refused.", file=stdout)
    if not creds.refresh_token:
        print("Note: no refresh token: sign in again when the token expires (about 2 hours).", file=stdout)
    print("Next: `followtui sync` reads your graph (or press r in the app).", file=stdout)
    return 0


def _open_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; False when there is none (a text browser would take the terminal)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    import webbrowser  # here: every start of the app builds the parser, few sign in

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
