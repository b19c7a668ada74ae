"""A fake X API v2 on loopback, checked against X's OpenAPI spec, for the real ``tweepy.Client``.

    with FakeX(World.generate(followers=500, seed=1)) as fx:
        client = tweepy.Client(bearer_token=fx.world.app_token)
        point_client_at(client, fx.base_url)
        client.get_users_followers(fx.world.me_id, max_results=1000)
    assert not fx.violations

See ``world`` (the data), ``server`` (the HTTP side, faults, rate limits, OAuth 2.0) and ``spec`` (the checks).
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from tests.fakex.server import FakeX, Recorded
from tests.fakex.world import DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_URI, FOLLOWTUI_SCOPES, World, make_user

REAL_HOSTS = ("https://api.twitter.com", "https://api.x.com")

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_REDIRECT_URI",
    "FOLLOWTUI_SCOPES",
    "REAL_HOSTS",
    "FakeX",
    "Recorded",
    "RewriteAdapter",
    "World",
    "make_user",
    "point_client_at",
]


class RewriteAdapter(HTTPAdapter):
    """Sends ``prefix…`` requests to ``base…`` instead, ignoring proxies; ``timeout`` applies when none is given."""

    def __init__(self, base: str, prefix: str, timeout: float | None = None) -> None:
        super().__init__()
        self.base, self.prefix, self.timeout = base.rstrip("/"), prefix, timeout

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        if url.startswith(self.prefix):
            request.url = self.base + url[len(self.prefix) :]
        timeout = self.timeout if timeout is None else timeout
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})


def point_client_at(client_or_session: Any, base_url: str, *, timeout: float | None = None) -> requests.Session:
    """Route a ``tweepy.Client`` (its ``.session``) or any ``requests.Session`` (e.g. ``OAuth2UserHandler``) for
    tweepy's hard-coded ``https://api.twitter.com`` (and ``api.x.com``) to ``base_url``; returns the session."""
    session = client_or_session if isinstance(client_or_session, requests.Session) else client_or_session.session
    for host in REAL_HOSTS:
        session.mount(host, RewriteAdapter(base_url, host, timeout))
    return session
