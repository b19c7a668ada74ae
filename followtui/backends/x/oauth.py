"""Signing in to X with OAuth 2.0 Authorization Code + PKCE, and keeping the user token fresh.

``start_authorization`` gives the URL to open; the browser comes back to the redirect URI, caught by
``RedirectCatcher`` (loopback http) or pasted by the user; ``finish_authorization`` trades the code for a token
and looks up who signed in. ``TokenKeeper`` hands the backend a current bearer token, refreshing it when needed.
Every HTTP call goes through ``configure_session`` so ``FOLLOWTUI_X_API_BASE`` can point it at a fake server.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
import tweepy
from oauthlib.oauth2 import WebApplicationClient  # type: ignore[import-untyped]
from oauthlib.oauth2.rfc6749.errors import (  # type: ignore[import-untyped]
    InsecureTransportError,
    MismatchingStateError,
    OAuth2Error,
)
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session  # type: ignore[import-untyped]

from followtui.backends.base import AuthError, Transient
from followtui.backends.x.constants import DEFAULT_REDIRECT
from followtui.backends.x.credentials import CredentialsError, OAuth2Credentials, save_credentials
from followtui.backends.x.http import api_base_from_env, configure_session, keep_secrets_out_of_logs

SCOPES = ("tweet.read", "users.read", "follows.read", "follows.write", "list.read", "list.write", "offline.access")
TOKEN_URL = "https://api.twitter.com/2/oauth2/token"  # noqa: S105 - tweepy's; configure_session may send it elsewhere
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
REFRESH_MARGIN = timedelta(seconds=60)
RESIGN = "run `followtui auth` to sign in again"

log = logging.getLogger(__name__)

keep_secrets_out_of_logs()  # these libraries log tokens, codes and Authorization headers at DEBUG


class SignInError(Exception):
    """Signing in failed; the message is one line to show as is (never a code, verifier or token)."""


class AuthorizationDenied(SignInError):
    """The user did not authorize the app (``error=access_denied``)."""


class StateMismatch(SignInError):
    """The redirect does not belong to this sign-in attempt."""


class RedirectTimeout(SignInError):
    """The browser never came back to the loopback redirect URI."""


class TokenEndpointError(SignInError):
    """X's token endpoint refused the exchange or answered with an HTTP error."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_loopback(redirect_uri: str) -> bool:
    """Whether ``redirect_uri`` is ``http://`` on this machine (so it can be caught by a local server)."""
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def network_problem(error: requests.RequestException) -> str:
    """A one-line description of a network error: the host and what went wrong, never a URL's query."""
    url = error.request.url if error.request is not None else None
    if isinstance(url, bytes):
        url = url.decode("utf-8", "replace")
    host = urlsplit(url).netloc if url else "X"
    if isinstance(error, requests.Timeout):
        what = "timed out"
    elif isinstance(error, requests.ConnectionError):
        what = "cannot connect"
    else:
        what = type(error).__name__
    return f"could not reach {host}: {what}"


def _scrub(text: str, *secrets: str | None) -> str:
    """``text`` on one line with every given secret blanked out."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return " ".join(text.split())


# --- authorization ------------------------------------------------------------------------------------------------


AUTHORIZE_URL = "https://twitter.com/i/oauth2/authorize"


@dataclass(frozen=True)
class Authorization:
    """One sign-in attempt: the OAuth session, and the PKCE verifier and state it sent (secrets: never logged)."""

    session: OAuth2Session
    client_id: str
    client_secret: str | None
    verifier: str
    state: str


def start_authorization(
    client_id: str, redirect_uri: str = DEFAULT_REDIRECT, client_secret: str | None = None
) -> tuple[Authorization, str]:
    """A PKCE sign-in (keep it for ``finish_authorization``) and the authorization URL to open in a browser.

    Built on requests-oauthlib's and oauthlib's public API (what ``tweepy.OAuth2UserHandler`` does inside), so
    the verifier and the state are ours to read, not the session's private attributes.
    """
    client = WebApplicationClient(client_id)
    session = OAuth2Session(client=client, redirect_uri=redirect_uri, scope=list(SCOPES))
    configure_session(session, base=api_base_from_env())
    session.register_compliance_hook("access_token_response", _check_token_response)
    verifier = client.create_code_verifier(128)
    url, state = session.authorization_url(
        AUTHORIZE_URL, code_challenge=client.create_code_challenge(verifier, "S256"), code_challenge_method="S256"
    )
    return Authorization(session, client_id, client_secret, verifier, str(state)), str(url)


def _check_token_response(response: requests.Response) -> requests.Response:
    """Let oauthlib report OAuth errors (``{"error": ...}``); turn any other HTTP error into a clear one."""
    if response.status_code < 400:
        return response
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error" in body:
        return response
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("detail") or body.get("title") or "")
    suffix = f": {detail}" if detail else ""
    raise TokenEndpointError(f"X's token endpoint answered {response.status_code} {response.reason}{suffix}")


def finish_authorization(
    sign_in: Authorization, redirect_response_url: str, *, clock: Callable[[], datetime] = utc_now
) -> OAuth2Credentials:
    """Trade the code in the redirect URL for a token (at once: codes live 30 s), then ask X who signed in."""
    url = redirect_response_url.strip()
    params = dict(parse_qsl(urlsplit(url).query))
    code = params.get("code")
    verifier = sign_in.verifier
    if "error" in params:
        error = params["error"]
        if error == "access_denied":
            raise AuthorizationDenied(
                "you did not authorize followtui at X (access_denied): run `followtui auth` to retry"
            )
        detail = _scrub(params.get("error_description") or error)
        raise SignInError(f"X refused the authorization: {detail} ({_scrub(error)})")
    if params.get("state") != sign_in.state:
        raise StateMismatch(
            "the redirect URL does not belong to this sign-in (state mismatch): run `followtui auth` again"
        )
    if not code:
        raise SignInError(
            "the redirect URL has no authorization code: give the full URL from the browser's address bar"
        )
    if is_loopback(url):
        url = "https" + url[len("http") :]  # oauthlib insists on https; this only concerns parsing the URL
    started = clock()
    try:
        token = sign_in.session.fetch_token(
            TOKEN_URL,
            authorization_response=url,
            auth=HTTPBasicAuth(sign_in.client_id, sign_in.client_secret) if sign_in.client_secret is not None else None,
            include_client_id=True,
            code_verifier=sign_in.verifier,
        )
    except Warning as warning:  # oauthlib raises a bare Warning when X grants other scopes than asked
        token = getattr(warning, "token", None)
        if token is None:
            raise
    except MismatchingStateError:
        raise StateMismatch("the redirect URL does not belong to this sign-in (state mismatch)") from None
    except InsecureTransportError:
        raise SignInError("the redirect URI must use https (or http on 127.0.0.1/localhost)") from None
    except OAuth2Error as error:
        detail = _scrub(str(error.description or error.error), code, verifier)
        raise TokenEndpointError(f"X refused the sign-in: {detail} ({error.error})") from None
    access_token = str(token["access_token"])
    refresh_token = token.get("refresh_token")
    expires_in = token.get("expires_in")
    scope = token.get("scope") or []
    user_id, username = _who_am_i(access_token)
    return OAuth2Credentials(
        access_token=access_token,
        refresh_token=str(refresh_token) if refresh_token else None,
        expires_at=started + timedelta(seconds=float(expires_in)) if expires_in else None,
        scope=tuple(scope.split() if isinstance(scope, str) else scope),
        client_id=sign_in.client_id,
        client_secret=sign_in.client_secret,
        user_id=user_id,
        username=username,
        source="sign-in",
    )


def _who_am_i(access_token: str) -> tuple[str, str]:
    """The signed-in user's id and username (``GET /2/users/me``)."""
    client = tweepy.Client(access_token)
    configure_session(client.session, base=api_base_from_env())
    try:
        response = client.get_me(user_auth=False)
    except tweepy.TweepyException as error:
        detail = _scrub(str(error), access_token)
        raise SignInError(f"signed in, but X would not say who you are (GET /2/users/me): {detail}") from None
    user = response.data
    if user is None:
        raise SignInError("signed in, but X's answer to GET /2/users/me holds no user")
    return str(user.id), str(user.username)


# --- the loopback redirect ------------------------------------------------------------------------------------------

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>followtui</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>followtui</h1><p>{message}</p></body></html>"""


class _OneShotServer(HTTPServer):
    expected_path = "/"
    result: str | None = None


class _OneShotServer6(_OneShotServer):
    address_family = socket.AF_INET6


class _RedirectHandler(BaseHTTPRequestHandler):
    server: _OneShotServer
    timeout = 10  # a browser that connects and sends nothing must not hang the wait

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        if parts.path != self.server.expected_path:
            self._answer(404, "Nothing here.")
        elif "code" not in query and "error" not in query:
            self._answer(400, "Waiting for X to send you back here after you authorize followtui.")
        else:
            self.server.result = self.path
            if "error" in query:
                self._answer(200, "Sign-in cancelled. You can close this tab and go back to the terminal.")
            else:
                self._answer(200, "followtui got X's answer. You can close this tab and go back to the terminal.")

    def _answer(self, status: int, message: str) -> None:
        body = _PAGE.format(message=message).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request line holds the authorization code."""


class RedirectCatcher:
    """A one-shot HTTP server on a loopback redirect URI. Create it (it listens at once), then ``wait()``."""

    def __init__(self, redirect_uri: str) -> None:
        if not is_loopback(redirect_uri):
            raise SignInError(f"cannot catch the redirect to {redirect_uri}: only http://127.0.0.1 or localhost")
        parts = urlsplit(redirect_uri)
        host = "127.0.0.1" if parts.hostname == "localhost" else str(parts.hostname)
        port = parts.port or 80
        server_class = _OneShotServer6 if ":" in host else _OneShotServer
        try:
            self._server = server_class((host, port), _RedirectHandler)
        except OSError as error:
            raise SignInError(
                f"cannot listen on {parts.netloc} for the redirect ({error.strerror or error}): "
                "free that port, or use --paste"
            ) from None
        self._server.expected_path = parts.path or "/"
        self._origin = f"{parts.scheme}://{parts.netloc}"

    def wait(self, timeout: float = 300) -> str:
        """The full redirect URL the browser was sent to; ``RedirectTimeout`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self._server.result is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RedirectTimeout(f"no answer from the browser within {timeout:g} s: run `followtui auth` again")
            self._server.timeout = min(remaining, 1.0)
            self._server.handle_request()
        return self._origin + self._server.result

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> RedirectCatcher:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


# --- keeping the token fresh --------------------------------------------------------------------------------------


class TokenKeeper:
    """The current OAuth 2.0 bearer token for the backend, refreshed when due; safe to share between threads.

    A rotated token is saved to ``path`` (when given) the way it was stored before (file or keyring).
    """

    def __init__(self, creds: OAuth2Credentials, path: Path | None, clock: Callable[[], datetime] = utc_now) -> None:
        self._creds = creds
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._session = configure_session(requests.Session(), base=api_base_from_env())

    def bearer(self) -> str:
        """The access token, refreshed first when it expires within a minute and a refresh token exists."""
        with self._lock:
            creds = self._creds
            due = creds.expires_at is not None and creds.expires_at - self._clock() <= REFRESH_MARGIN
            if due and creds.refresh_token:
                try:
                    self._refresh_locked()
                except Transient:
                    if creds.expires_at is not None and creds.expires_at <= self._clock():
                        raise
                    # still valid for a few seconds: use it, and try again next time
            return self._creds.access_token

    def refresh(self, failed_token: str | None = None) -> str:
        """Refresh now (after a 401). Given the token that failed, a refresh another thread just did is reused."""
        with self._lock:
            if failed_token is None or failed_token == self._creds.access_token:
                self._refresh_locked()
            return self._creds.access_token

    def _refresh_locked(self) -> None:
        creds = self._creds
        if not creds.refresh_token:
            raise AuthError(f"X refused the saved credentials: {RESIGN} (there is no refresh token)")
        started = self._clock()
        auth = HTTPBasicAuth(creds.client_id, creds.client_secret) if creds.client_secret else None
        form = {"grant_type": "refresh_token", "refresh_token": creds.refresh_token, "client_id": creds.client_id}
        try:
            response = self._session.post(TOKEN_URL, data=form, auth=auth, headers={"Accept": "application/json"})
        except requests.RequestException as error:
            raise Transient(f"cannot refresh the X token: {network_problem(error)}") from None
        secrets = (creds.refresh_token, creds.access_token, creds.client_secret)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 500:
            raise Transient(f"cannot refresh the X token: X answered {response.status_code} {response.reason}")
        if response.status_code >= 400 or not isinstance(body, dict) or not body.get("access_token"):
            detail = f"{response.status_code} {response.reason}"
            if isinstance(body, dict) and (said := body.get("error_description") or body.get("error")):
                detail += f": {said}"
            raise AuthError(f"X refused the saved credentials: {RESIGN} ({_scrub(detail, *secrets)})")
        expires_in = body.get("expires_in")
        scope = body.get("scope")
        self._creds = replace(
            creds,
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or creds.refresh_token),
            expires_at=started + timedelta(seconds=float(expires_in)) if expires_in else None,
            scope=tuple(scope.split()) if isinstance(scope, str) and scope else creds.scope,
        )
        if self._path is not None:
            try:
                save_credentials(self._creds, self._path)
            except CredentialsError as error:  # the new token works for this run; the next start may need a sign-in
                log.warning("could not save the refreshed X token: %s", error)
