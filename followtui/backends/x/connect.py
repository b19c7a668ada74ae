"""Build the X backend from saved or environment credentials."""

from __future__ import annotations

from pathlib import Path

from followtui.backends.meter import RequestMeter
from followtui.backends.x.backend import XBackend
from followtui.backends.x.credentials import Credentials, OAuth2Credentials, is_from_env
from followtui.backends.x.http import DEFAULT_TIMEOUT, api_base_from_env
from followtui.backends.x.oauth import TokenKeeper


def x_backend(creds: Credentials, *, path: Path | None, timeout: float, meter: RequestMeter) -> XBackend:
    """The backend for ``creds``; a refreshed OAuth 2.0 token is saved back to ``path`` (unless from the env).

    Raises ValueError when ``FOLLOWTUI_X_API_BASE`` is not a URL.
    """
    base = api_base_from_env()
    timeouts = (DEFAULT_TIMEOUT[0], timeout)
    if isinstance(creds, OAuth2Credentials):
        keeper = TokenKeeper(creds, None if is_from_env(creds) else path)
        return XBackend.oauth2(keeper, user_id=creds.user_id, base=base, timeout=timeouts, meter=meter)
    return XBackend.oauth1(
        creds.consumer_key,
        creds.consumer_secret,
        creds.access_token,
        creds.access_secret,
        base=base,
        timeout=timeouts,
        meter=meter,
    )
