"""The atproto SDK's exceptions as the backend errors of ``backends.base``, with messages safe to show.

XRPC errors carry a name (``error``) and a message. The names followtui tells apart (lexicons of
``com.atproto.server.*`` and what the reference PDS and AppView answer):

- ``ExpiredToken``: the access token expired: refresh it once, then retry.
- ``InvalidToken``, ``AuthenticationRequired``, ``AuthMissing``: the session is gone: sign in again.
- ``AccountTakedown`` / ``AccountDeactivated`` and "Profile not found": the *other* account is suspended by a
  moderation service, deactivated by its owner, or deleted (``AccountGone``); on the user's own session call the
  user's account is taken down (``AuthError``).
- ``RateLimitExceeded`` (429) with ``ratelimit-reset`` (Unix seconds): ``RateLimited``.
- a network error, a timeout or a 5xx: ``Transient``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from atproto_client import exceptions as sdk

from followtui.backends.base import AuthError, BackendError, Forbidden, NotFound, RateLimited, Refused, Transient
from followtui.domain.models import AccountState
from followtui.domain.text import one_line

SIGN_IN_AGAIN = "Bluesky refused the saved session ({why}): run `followtui auth bluesky` to sign in again."
DEFAULT_RATE_WAIT = timedelta(minutes=5)  # a 429 without ratelimit-reset: one AppView window
EXPIRED = frozenset({"ExpiredToken"})
SIGNED_OUT = frozenset({"InvalidToken", "AuthenticationRequired", "AuthMissing", "AccountTakedown"})
GONE = {"AccountTakedown": AccountState.SUSPENDED, "AccountDeactivated": AccountState.DEACTIVATED}
NOT_FOUND = frozenset({"RecordNotFound", "RepoNotFound", "NotFound", "UnknownList"})


class AccountGone(NotFound):
    """The account is taken down, deactivated or deleted (not one that merely unfollowed)."""

    def __init__(self, state: AccountState, detail: str) -> None:
        super().__init__(detail)
        self.state = state


class SessionExpired(BackendError):
    """The access token expired: the backend refreshes it and retries once."""


def translate(exc: Exception, *, endpoint: str = "", clock: Callable[[], datetime] | None = None) -> BackendError:
    """The backend error for an SDK exception (anything else is returned as a ``Transient``)."""
    now = (clock or (lambda: datetime.now(UTC)))()
    if isinstance(exc, sdk.RateLimitExceededError):
        return RateLimited(exc.reset_at or now + DEFAULT_RATE_WAIT, endpoint)
    if isinstance(exc, sdk.NetworkError):  # transport errors, timeouts, 409/413/502
        status = exc.response.status_code if exc.response is not None else None
        what = f"answered {status}" if status else f"could not be reached ({type(exc.__cause__ or exc).__name__})"
        return Transient(f"Bluesky {what}; will try again")
    if isinstance(exc, sdk.RequestErrorBase) and exc.response is not None:
        return _from_response(exc)
    if isinstance(exc, sdk.LoginRequiredError):
        return AuthError(SIGN_IN_AGAIN.format(why="no session"))
    return Transient(f"Bluesky sent an answer that could not be read ({type(exc).__name__})")


def _from_response(exc: sdk.RequestErrorBase) -> BackendError:
    response = exc.response
    assert response is not None
    status = response.status_code
    name, message = _error(response.content)
    detail = one_line(f"{name}: {message}" if message else name or f"status {status}", 300)
    if name in EXPIRED:
        return SessionExpired(detail)
    if name in GONE:
        return AccountGone(GONE[name], detail)
    if name in SIGNED_OUT or status == 401:
        return AuthError(SIGN_IN_AGAIN.format(why=detail))
    if "not found" in message.lower() and "profile" in message.lower():
        return AccountGone(AccountState.DELETED, detail)
    if name in NOT_FOUND or status == 404 or (name == "InvalidRequest" and "not found" in message.lower()):
        return NotFound(detail)
    if status >= 500:
        return Transient(f"Bluesky had a server error ({status}); will try again")
    if status == 403:
        return Forbidden(detail)
    return Refused(detail)


def _error(content: object) -> tuple[str, str]:
    """The XRPC error name and message of a response body (an ``XrpcError`` model, a dict, or bytes)."""
    name = getattr(content, "error", None)
    message = getattr(content, "message", None)
    if isinstance(content, dict):
        name, message = content.get("error"), content.get("message")
    return (str(name) if name else ""), (str(message) if message else "")
