"""The HTTP session under tweepy: every request gets a timeout, and may be sent to another host.

tweepy hard-codes ``https://api.twitter.com`` (and its OAuth 2.0 handler the same host for tokens), with no
timeout. A transport adapter mounted on the session for the X hosts rewrites the URL to ``FOLLOWTUI_X_API_BASE``
when it is set (tests, proxies) and applies a default timeout to every request.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

X_HOSTS = ("https://api.twitter.com/", "https://api.x.com/")
API_BASE_ENV = "FOLLOWTUI_X_API_BASE"
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)

ResponseHook = Callable[..., Any]


class XAdapter(HTTPAdapter):
    """Sends requests for one X host to ``base`` instead (when given), always with a timeout."""

    def __init__(self, host: str, base: str | None, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.host = host
        self.base = base
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if self.base and request.url and request.url.startswith(self.host):
            request.url = self.base + "/" + request.url[len(self.host) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def configure_session(
    session: requests.Session,
    *,
    base: str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    hooks: Iterable[ResponseHook] = (),
) -> requests.Session:
    """Mount the X adapter on ``session`` (tweepy's ``client.session`` or an ``OAuth2UserHandler``)."""
    for host in X_HOSTS:
        session.mount(host, XAdapter(host, base, timeout))
    session.hooks["response"].extend(hooks)
    keep_secrets_out_of_logs()
    return session


def keep_secrets_out_of_logs() -> None:
    """tweepy, requests-oauthlib and oauthlib log request headers and token bodies at DEBUG: never let them.

    Their loggers get an explicit WARNING level, so even a root logger at DEBUG (``logging.basicConfig``) does not
    pass a bearer token, refresh token or PKCE verifier on. Nothing they log at WARNING holds a secret.
    """
    for name in SECRET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


SECRET_LOGGERS = ("tweepy", "requests_oauthlib", "oauthlib", "urllib3")


def api_base_from_env() -> str | None:
    """``FOLLOWTUI_X_API_BASE`` without its trailing slash, or None; raises ValueError if it is not a URL."""
    value = os.environ.get(API_BASE_ENV, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{API_BASE_ENV} must be a URL such as http://127.0.0.1:8080, not {value!r}")
    return value.rstrip("/")
