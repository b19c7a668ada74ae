"""The X API v2 backend: the ``Backend`` protocol over the real ``tweepy.Client``.

tweepy's exceptions, network errors and partial errors become the backend errors of ``backends.base``, with
messages safe to show (X's own words, cleaned; never a token); ``errors.classify`` tells them apart.
``wait_on_rate_limit`` stays off: a 429 becomes ``RateLimited`` with the reset time (or ``UsageCapped``), and the
caller decides when to try again. tweepy hands back the raw response
(``return_type=requests.Response``): its body is parsed with orjson and converted here, several times faster than
the stdlib parser and tweepy's model objects on pages of 1,000 users. Field lists go to tweepy as lists: it joins
lists with commas but would send a tuple as a repeated query parameter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson
import requests
import tweepy

from followtui.backends.base import AuthError, BackendError, FollowState, Forbidden, Page, Refused, Transient
from followtui.backends.meter import RequestMeter, endpoint_of
from followtui.backends.x import convert
from followtui.backends.x.errors import classify
from followtui.backends.x.http import DEFAULT_TIMEOUT, configure_session
from followtui.domain.models import ListInfo, Me, Post
from followtui.domain.xlimits import FOLLOWS_PAGE, LISTS_PAGE, LOOKUP_BATCH, POSTS_PAGE_MAX, POSTS_PAGE_MIN

SIGN_IN_AGAIN = "X refused the saved credentials ({status}): run `followtui auth` to sign in again."
_ALREADY = ("already", "duplicate")

Json = Mapping[str, Any]


class TokenSource(Protocol):
    """An OAuth 2.0 user token that can be refreshed (``oauth.TokenKeeper``)."""

    def bearer(self) -> str: ...

    def refresh(self) -> str: ...


class XBackend:
    """Calls X through one ``tweepy.Client``; blocking, thread-safe (run it off the UI thread)."""

    name = "x"
    network_name = "X"

    def __init__(
        self,
        client: tweepy.Client,
        *,
        user_id: str,
        tokens: TokenSource | None = None,
        meter: RequestMeter | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self._user_auth = tokens is None and client.access_token is not None  # OAuth 1.0a user context
        self._tokens = tokens
        self._me_id = user_id
        self._clock = clock
        self._refresh_lock = threading.Lock()
        self.meter = meter or RequestMeter()
        client.session.hooks["response"].append(self._on_response)

    @classmethod
    def oauth2(
        cls,
        tokens: TokenSource,
        *,
        user_id: str,
        base: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        meter: RequestMeter | None = None,
    ) -> XBackend:
        """With an OAuth 2.0 user token (refreshed through ``tokens`` when X says it expired)."""
        client = tweepy.Client(tokens.bearer(), return_type=requests.Response, wait_on_rate_limit=False)
        configure_session(client.session, base=base, timeout=timeout)
        return cls(client, user_id=user_id, tokens=tokens, meter=meter)

    @classmethod
    def oauth1(
        cls,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_secret: str,
        *,
        base: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        meter: RequestMeter | None = None,
    ) -> XBackend:
        """With OAuth 1.0a user context (the user ID is the access token's prefix, as X issues them)."""
        client = tweepy.Client(
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            access_token=access_token,
            access_token_secret=access_secret,
            return_type=requests.Response,
            wait_on_rate_limit=False,
        )
        configure_session(client.session, base=base, timeout=timeout)
        return cls(client, user_id=access_token.partition("-")[0], meter=meter)

    # ---- reads

    def me(self) -> Me:
        body = self._call(lambda ua: self._client.get_me(user_fields=["public_metrics"], user_auth=ua))
        data = body.get("data") or {}
        if "id" not in data:
            raise Transient("X answered /2/users/me without a user")
        user = convert.account(data)
        self._me_id = user.id
        self.meter.count("GET /2/users/me", 1)
        return Me(user.id, user.username, user.name, user.followers_count or 0, user.following_count or 0)

    def _user_id(self) -> str:
        """The signed-in user's ID (one /2/users/me call when the credentials did not say it)."""
        if not self._me_id:
            self.me()
        return self._me_id

    def followers(self, cursor: str | None = None) -> Page:
        return self._follow_page(self._client.get_users_followers, "followers", cursor)

    def following(self, cursor: str | None = None) -> Page:
        return self._follow_page(self._client.get_users_following, "following", cursor)

    def lookup(self, account_ids: Sequence[str]) -> Page:
        ids = list(dict.fromkeys(account_ids))
        if len(ids) > LOOKUP_BATCH:
            raise Refused(f"At most {LOOKUP_BATCH} accounts per lookup.")
        if not ids:
            return Page([])
        body = self._call(
            lambda ua: self._client.get_users(ids=ids, user_fields=list(convert.USER_FIELDS), user_auth=ua)
        )
        page = _page(body, paged=False)
        self.meter.count("GET /2/users", len(page.accounts))
        return page

    def owned_lists(self) -> list[ListInfo]:
        out: list[ListInfo] = []
        token: str | None = None
        while True:
            body = self._call(partial(self._owned_lists_page, token))
            found = [convert.list_info(item) for item in body.get("data") or () if "id" in item]
            self.meter.count("GET /2/users/:id/owned_lists", len(found), own=True)
            out += found
            token = convert.next_token(body)
            if token is None:
                return out

    def _owned_lists_page(self, token: str | None, user_auth: bool) -> Json:
        body: Json = self._client.get_owned_lists(
            self._user_id(),
            max_results=LISTS_PAGE,
            pagination_token=token,
            list_fields=list(convert.LIST_FIELDS),
            user_auth=user_auth,
        )
        return body

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        body = self._call(
            lambda ua: self._client.get_list_members(
                list_id,
                max_results=LISTS_PAGE,
                pagination_token=cursor,
                user_fields=list(convert.USER_FIELDS),
                user_auth=ua,
            )
        )
        page = _page(body)
        self.meter.count("GET /2/lists/:id/members", len(page.accounts))
        return page

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        return self._posts(self._client.get_users_tweets, "tweets", account_id, limit)

    def mentions(self, limit: int = 100) -> list[Post]:
        return self._posts(self._client.get_users_mentions, "mentions", self._user_id(), limit)

    def my_posts(self, limit: int = 100) -> list[Post]:
        return self._posts(self._client.get_users_tweets, "tweets", self._user_id(), limit)

    # ---- writes (X's answers are idempotent: "already following" is a success)

    def follow(self, account_id: str) -> FollowState:
        body = self._write(lambda ua: self._client.follow_user(account_id, user_auth=ua))
        data = body.get("data") or {}
        return (
            FollowState.REQUESTED if data.get("pending_follow") and not data.get("following") else FollowState.FOLLOWING
        )

    def follow_state(self, account_id: str) -> FollowState:
        body = self._call(
            lambda ua: self._client.get_user(id=account_id, user_fields=["connection_status"], user_auth=ua)
        )
        self.meter.count("GET /2/users/:id", 1)
        status = (body.get("data") or {}).get("connection_status") or ()
        if "following" in status:
            return FollowState.FOLLOWING
        return FollowState.REQUESTED if "follow_request_sent" in status else FollowState.NONE

    def unfollow(self, account_id: str) -> None:
        self._write(lambda ua: self._client.unfollow_user(account_id, user_auth=ua))

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        body = self._call(
            lambda ua: self._client.create_list(name, description=description or None, private=private, user_auth=ua)
        )
        data = body.get("data") or {}
        if "id" not in data:
            raise Transient("X created the list but did not say its ID")
        return ListInfo(
            id=str(data["id"]), name=str(data.get("name") or name), description=description, private=private
        )

    def update_list(self, list_id: str, name: str, description: str) -> None:
        self._call(lambda ua: self._client.update_list(list_id, name=name, description=description, user_auth=ua))

    def delete_list(self, list_id: str) -> None:
        self._call(lambda ua: self._client.delete_list(list_id, user_auth=ua))

    def add_list_member(self, list_id: str, account_id: str) -> None:
        self._write(lambda ua: self._client.add_list_member(list_id, account_id, user_auth=ua))

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        self._write(lambda ua: self._client.remove_list_member(list_id, account_id, user_auth=ua))

    # ---- helpers

    def _follow_page(self, method: Callable[..., Any], which: str, cursor: str | None) -> Page:
        body = self._call(
            lambda ua: method(
                self._user_id(),
                max_results=FOLLOWS_PAGE,
                pagination_token=cursor,
                user_fields=list(convert.USER_FIELDS),
                user_auth=ua,
            )
        )
        page = _page(body)
        self.meter.count(f"GET /2/users/:id/{which}", len(page.accounts), own=True)
        return page

    def _posts(self, method: Callable[..., Any], which: str, account_id: str, limit: int) -> list[Post]:
        size = max(POSTS_PAGE_MIN, min(POSTS_PAGE_MAX, limit))
        body = self._call(
            lambda ua: method(account_id, max_results=size, tweet_fields=list(convert.TWEET_FIELDS), user_auth=ua)
        )
        found = convert.posts(body)[:limit]
        self.meter.count(f"GET /2/users/:id/{which}", len(found), own=account_id == self._me_id)
        return found

    def _write(self, call: Callable[[bool], Any]) -> Json:
        try:
            return self._call(call)
        except (Forbidden, Refused) as exc:
            if not any(word in exc.detail.lower() for word in _ALREADY):
                raise
            return {}

    def _call(self, call: Callable[[bool], Any]) -> Json:
        """One API call, with one token refresh and retry when an OAuth 2.0 token turns out expired."""
        if self._tokens is not None:
            self._set_bearer(self._tokens.bearer)
        try:
            return self._guarded(call)
        except _Expired:
            if self._tokens is None:
                raise AuthError(SIGN_IN_AGAIN.format(status="401 Unauthorized")) from None
            self._set_bearer(self._tokens.refresh)
            try:
                return self._guarded(call)
            except _Expired:
                raise AuthError(SIGN_IN_AGAIN.format(status="401 Unauthorized")) from None

    def _set_bearer(self, get: Callable[[], str]) -> None:
        with self._refresh_lock:
            token = get()
            if token != self._client.bearer_token:
                self._client.bearer_token = token

    def _guarded(self, call: Callable[[bool], Any]) -> Json:
        try:
            answer = call(self._user_auth)
            if not isinstance(answer, requests.Response):
                return answer  # type: ignore[no-any-return]  # a dict: tweepy switches to it for its own lookups
            body = orjson.loads(answer.content) if answer.content else {}
            return body if isinstance(body, dict) else {}
        except tweepy.Unauthorized:
            raise _Expired from None
        except tweepy.HTTPException as exc:
            raise classify(exc, self._clock()) from None
        except requests.Timeout:
            raise Transient("X did not answer in time; will try again") from None
        except requests.RequestException as exc:
            raise Transient(f"cannot reach X ({type(exc).__name__}); will try again") from None
        except ValueError as exc:  # an answer that is not JSON, or a field tweepy cannot parse
            raise Transient(f"X sent an answer that could not be read ({type(exc).__name__})") from None
        except TypeError as exc:  # tweepy: no OAuth 1.0a access token for a user-context call
            raise AuthError(f"These credentials cannot make this call ({exc}); run `followtui auth`.") from None

    def _on_response(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        request = response.request
        endpoint = endpoint_of(request.method or "GET", urlsplit(request.url or "").path)
        headers = response.headers
        reset = _int(headers.get("x-rate-limit-reset"))
        self.meter.record(
            endpoint,
            ok=response.status_code < 400,
            limit=_int(headers.get("x-rate-limit-limit")),
            remaining=_int(headers.get("x-rate-limit-remaining")),
            reset_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
        )


def _page(body: Json, *, paged: bool = True) -> Page:
    """A page of users with their documents made straight from the JSON (the sync stores those)."""
    next_cursor = convert.next_token(body) if paged else None
    errors = body.get("errors") or ()
    return Page.of_docs(convert.account_docs(body), next_cursor, convert.gone(errors), convert.hidden(errors))


class _Expired(BackendError):
    """A 401: the token may just need a refresh."""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
