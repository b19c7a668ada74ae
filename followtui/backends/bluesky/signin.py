"""Sign in to Bluesky with a handle and an app password; resolve the account's PDS from its DID document.

A main password is refused: the server says which kind was used in the access token's ``scope``
(``com.atproto.access`` for the main password, ``com.atproto.appPass`` / ``appPassPrivileged`` for an app
password), and a main password with email two-factor asks for a code (``AuthFactorTokenRequired``). The session
made with a main password is deleted again at once.
"""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
from atproto_client import Client, models
from atproto_client import exceptions as sdk
from atproto_client.request import Request
from atproto_core.did_doc import DidDocument, is_valid_did_doc
from atproto_identity.did.resolver import DidResolver
from atproto_server.auth.jwt import get_jwt_payload

from followtui.backends.bluesky.credentials import BlueskySession
from followtui.domain.text import one_line

MAIN_PASSWORD_SCOPE = "com.atproto.access"  # noqa: S105 (a scope name)
APP_PASSWORDS = "Settings → Privacy and security → App passwords"
NOT_APP_PASSWORD = (
    "that is your account's main password: followtui signs in only with an app password. Create one in Bluesky "
    f"({APP_PASSWORDS}) and run `followtui auth bluesky` again. (The session just made was signed out.)"
)
TWO_FACTOR = f"the server asks for an email code: that is your main password. Use an app password ({APP_PASSWORDS})."


class SignInError(Exception):
    """Signing in failed; the message says why and what to do (never holds a secret)."""


def sign_in(handle: str, app_password: str, *, service: str, plc: str, timeout: float = 30.0) -> BlueskySession:
    """A new session for ``handle`` at ``service`` (an entryway or the PDS), with the PDS its DID names."""
    client = Client(base_url=service, request=Request(timeout=httpx.Timeout(timeout, connect=5.0)))
    data = models.ComAtprotoServerCreateSession.Data(identifier=handle.removeprefix("@"), password=app_password)
    try:
        answer = client.com.atproto.server.create_session(data)
    except sdk.AtProtocolError as exc:
        raise SignInError(_refusal(exc, service)) from None
    if get_jwt_payload(answer.access_jwt).scope == MAIN_PASSWORD_SCOPE:
        _sign_out(client, answer.refresh_jwt)
        raise SignInError(NOT_APP_PASSWORD)
    pds = pds_of(answer.did, answer.did_doc, plc=plc, timeout=timeout)
    return BlueskySession(answer.did, answer.handle, pds, answer.access_jwt, answer.refresh_jwt, service.rstrip("/"))


def pds_of(did: str, did_doc: Any, *, plc: str, timeout: float) -> str:
    """The PDS endpoint in the account's DID document (the one the session gave, else resolved: PLC or did:web)."""
    if not (did_doc and is_valid_did_doc(did_doc)):
        try:
            did_doc = DidResolver(plc_url=plc, timeout=timeout).resolve_without_validation(did)
        except Exception as exc:
            raise SignInError(f"could not resolve {did} at {plc} ({type(exc).__name__})") from None
    endpoint = DidDocument.from_dict(did_doc).get_pds_endpoint() if did_doc and is_valid_did_doc(did_doc) else None
    if not endpoint:
        raise SignInError(f"the DID document of {did} names no PDS")
    return str(endpoint).rstrip("/")


def _refusal(exc: sdk.AtProtocolError, service: str) -> str:
    if isinstance(exc, sdk.RateLimitExceededError):
        when = f" after {exc.reset_at.astimezone():%H:%M}" if exc.reset_at else " later"
        return f"too many sign-in attempts: try again{when}"
    if isinstance(exc, sdk.NetworkError) and exc.response is None:
        return f"cannot reach {service} ({type(exc.__cause__ or exc).__name__})"
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    name, message = str(getattr(content, "error", "") or ""), str(getattr(content, "message", "") or "")
    if name == "AuthFactorTokenRequired":
        return TWO_FACTOR
    if name == "AccountTakedown":
        return "this account is taken down: Bluesky does not let it sign in"
    if name == "AuthenticationRequired" or getattr(response, "status_code", 0) == 401:
        return f"wrong handle or app password ({one_line(message or name, 120)}); use an app password ({APP_PASSWORDS})"
    status = getattr(response, "status_code", "?")
    return f"{service} refused the sign-in ({status} {one_line(f'{name}: {message}', 200)})"


def _sign_out(client: Client, refresh_jwt: str) -> None:
    """Best effort: end the session a main password made (``com.atproto.server.deleteSession``)."""
    with contextlib.suppress(sdk.AtProtocolError):
        client.com.atproto.server.delete_session(headers={"Authorization": f"Bearer {refresh_jwt}"})
