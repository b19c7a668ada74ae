"""The Bluesky backend: the ``Backend`` protocol over the ``atproto`` SDK's ``Client`` (XRPC to the user's PDS).

Reads go through the PDS, which serves the ``app.bsky.*`` views from the AppView; the answers are taken as JSON
(``invoke_query``) and converted in ``convert``. Follower, following and list-member pages (100 a page) carry
plain profile views without counts, so each page is completed with ``getProfiles`` (25 a call); an account it no
longer returns stays unhydrated (unknown, never zero).

Writes are records in the user's repository. The crash rule: an answer lost on the way (a timeout, a kill) must
never make a second record, so every create first looks for the record: in the newest page of the collection on
the PDS (no lag: it is the repository itself) and, for follows and list members, in the AppView's views. Deletes
are idempotent (deleting a missing record succeeds).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from atproto_client import Client, models
from atproto_client.client.session import Session, SessionEvent
from atproto_client.request import Request

from followtui.backends.base import AuthError, FollowState, NotFound, Page, Refused
from followtui.backends.bluesky import convert
from followtui.backends.bluesky.credentials import BlueskySession
from followtui.backends.bluesky.errors import SIGN_IN_AGAIN, AccountGone, SessionExpired, translate
from followtui.backends.meter import RequestMeter
from followtui.domain.models import AccountState, ListInfo, Me, Post, format_time

PAGE = 100  # getFollowers, getFollows, getList, getLists, listRecords, getAuthorFeed, listNotifications
PROFILES_BATCH = 25  # getProfiles
LOOKUP_LIMIT = 100
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
FOLLOW = "app.bsky.graph.follow"
LIST = "app.bsky.graph.list"
LIST_ITEM = "app.bsky.graph.listitem"

Json = dict[str, Any]


class BlueskyBackend:
    """Calls one account's PDS through one SDK ``Client``; blocking, thread-safe (run it off the UI thread)."""

    name = "bluesky"
    network_name = "Bluesky"

    def __init__(
        self,
        client: Client,
        session: BlueskySession,
        *,
        on_session: Callable[[BlueskySession], None] | None = None,
        meter: RequestMeter | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = PAGE,
    ) -> None:
        self._client = client
        self._page = page_size  # follower, following and member pages (smaller in tests)
        self._session = session
        self._on_session = on_session
        self._clock = clock
        self._lock = threading.Lock()
        self.meter = meter or RequestMeter()
        client.on_session_change(self._session_changed)
        client.login(session_string=_sdk_session(session).encode(), fetch_bsky_profile=False)

    @classmethod
    def connect(
        cls,
        session: BlueskySession,
        *,
        on_session: Callable[[BlueskySession], None] | None = None,
        meter: RequestMeter | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        page_size: int = PAGE,
        hooks: Sequence[Callable[[httpx.Response], None]] = (),
    ) -> BlueskyBackend:
        """A client for ``session``'s PDS, every response metered (``ratelimit-*`` headers), then ``hooks``."""
        meter = meter or RequestMeter()
        request = Request(timeout=timeout, event_hooks={"response": [meter_hook(meter), *hooks]})
        client = Client(base_url=session.pds, request=request)
        return cls(client, session, on_session=on_session, meter=meter, page_size=page_size)

    @property
    def did(self) -> str:
        return self._session.did

    @property
    def session(self) -> BlueskySession:
        return self._session

    # ---- reads

    def me(self) -> Me:
        view = self._query("app.bsky.actor.getProfile", models.AppBskyActorGetProfile.Params(actor=self.did))
        doc = convert.account_doc(view)
        metrics = doc["public_metrics"]
        followers, following = metrics["followers_count"], metrics["following_count"]
        return Me(self.did, doc["username"], doc["name"], followers or 0, following or 0)  # Me: 0 when unknown

    def followers(self, cursor: str | None = None) -> Page:
        params = models.AppBskyGraphGetFollowers.Params(actor=self.did, limit=self._page, cursor=cursor)
        return self._profile_page(self._query("app.bsky.graph.getFollowers", params), "followers", cursor)

    def following(self, cursor: str | None = None) -> Page:
        params = models.AppBskyGraphGetFollows.Params(actor=self.did, limit=self._page, cursor=cursor)
        return self._profile_page(self._query("app.bsky.graph.getFollows", params), "follows", cursor)

    def lookup(self, account_ids: Sequence[str]) -> Page:
        """Profiles by DID; the ones the AppView no longer serves are told apart in ``Page.gone``."""
        ids = list(dict.fromkeys(account_ids))
        if len(ids) > LOOKUP_LIMIT:
            raise Refused(f"At most {LOOKUP_LIMIT} accounts per lookup.")
        found = self._profiles(ids)
        gone: dict[str, AccountState] = {}
        for did in ids:
            if did not in found:
                state = self._gone_state(did)
                if state is None:  # back meanwhile
                    found.update(self._profiles([did]))
                else:
                    gone[did] = state
        return Page.of_docs([convert.account_doc(found[d]) for d in ids if d in found], None, gone)

    def owned_lists(self) -> list[ListInfo]:
        out: list[ListInfo] = []
        for body in self._pages(
            "app.bsky.graph.getLists",
            lambda c: models.AppBskyGraphGetLists.Params(actor=self.did, limit=PAGE, cursor=c),
        ):
            out += [
                convert.list_info(v)
                for v in body.get("lists") or ()
                if v.get("purpose") == convert.CURATE_LIST and (v.get("creator") or {}).get("did") == self.did
            ]
        return out

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        params = models.AppBskyGraphGetList.Params(list=list_id, limit=self._page, cursor=cursor)
        body = self._query("app.bsky.graph.getList", params)
        views = [item.get("subject") or {} for item in body.get("items") or ()]
        return self._profile_page({"items": views, "cursor": body.get("cursor")}, "items", cursor)

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        return self._feed(account_id, limit)

    def mentions(self, limit: int = 100) -> list[Post]:
        """Replies, mentions and quotes of the user (``listNotifications``): the conversation signal."""
        out: list[Post] = []
        for body in self._pages(
            "app.bsky.notification.listNotifications",
            lambda c: models.AppBskyNotificationListNotifications.Params(
                limit=min(PAGE, max(1, limit)), cursor=c, reasons=list(convert.CONVERSATION_REASONS)
            ),
        ):
            out += convert.notification_posts(body, self.did)
            if len(out) >= limit:
                break
        return out[:limit]

    def my_posts(self, limit: int = 100) -> list[Post]:
        return self._feed(self.did, limit)

    # ---- writes

    def follow(self, account_id: str) -> FollowState:
        """A follow record, unless one is there (maybe from an earlier try whose answer was lost). Bluesky has no
        follow requests: the answer is always "following"."""
        if not self._follow_records(account_id, deep=False):
            self._create(FOLLOW, {"$type": FOLLOW, "subject": account_id, "createdAt": self._now()})
        return FollowState.FOLLOWING

    def follow_state(self, account_id: str) -> FollowState:
        """Whether the user follows the account: a record in the newest page of the repository (where a write shows
        at once; the outbox asks this before it retries a follow) or the AppView's ``viewer.following``."""
        return FollowState.FOLLOWING if self._follow_records(account_id, deep=False) else FollowState.NONE

    def unfollow(self, account_id: str) -> None:
        """Delete the follow record(s) for the account: ``viewer.following``, else found in the repository."""
        uris = self._follow_records(account_id, deep=False) or self._follow_records(account_id, deep=True)
        for uri in uris:
            self._delete(FOLLOW, uri)

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        """A curate list (public: Bluesky has no private lists); an identical one made just before is reused."""
        for uri, value in self._records(LIST, deep=False):
            if value.get("name") == name and (value.get("description") or "") == description:
                return ListInfo(uri, name, description, private=False)
        record: Json = {"$type": LIST, "purpose": convert.CURATE_LIST, "name": name, "createdAt": self._now()}
        if description:
            record["description"] = description
        uri = self._create(LIST, record)
        return ListInfo(uri, name, description, private=False)

    def update_list(self, list_id: str, name: str, description: str) -> None:
        value = self._get_record(LIST, list_id)
        value.update(name=name, description=description)
        data = {"repo": self.did, "collection": LIST, "rkey": convert.rkey_of(list_id), "record": value}
        self._call("POST com.atproto.repo.putRecord", lambda: self._client.com.atproto.repo.put_record(data))

    def delete_list(self, list_id: str) -> None:
        """Delete the list and its member records; ``NotFound`` if the list is gone already."""
        self._get_record(LIST, list_id)
        for uri, value in self._records(LIST_ITEM, deep=True):
            if value.get("list") == list_id:
                self._delete(LIST_ITEM, uri)
        self._delete(LIST, list_id)

    def add_list_member(self, list_id: str, account_id: str) -> None:
        if self._list_items(list_id, account_id):
            return
        self._create(LIST_ITEM, {"$type": LIST_ITEM, "subject": account_id, "list": list_id, "createdAt": self._now()})

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        for uri in self._list_items(list_id, account_id):
            self._delete(LIST_ITEM, uri)

    # ---- helpers: reads

    def _profile_page(self, body: Json, key: str, cursor: str | None) -> Page:
        views = [v for v in body.get(key) or () if v.get("did")]
        detailed = self._profiles([v["did"] for v in views])
        docs = [convert.account_doc(detailed.get(v["did"], v)) for v in views]
        next_cursor = body.get("cursor") or None
        if not views or next_cursor == cursor:
            next_cursor = None  # an empty page, or a cursor that does not move: the end
        return Page.of_docs(docs, next_cursor)

    def _profiles(self, dids: Sequence[str]) -> dict[str, Json]:
        """Detailed views by DID, 25 a call; accounts the AppView does not serve are left out."""
        out: dict[str, Json] = {}
        for start in range(0, len(dids), PROFILES_BATCH):
            batch = list(dids[start : start + PROFILES_BATCH])
            body = self._query("app.bsky.actor.getProfiles", models.AppBskyActorGetProfiles.Params(actors=batch))
            out.update((v["did"], v) for v in body.get("profiles") or () if v.get("did"))
        return out

    def _gone_state(self, did: str) -> AccountState | None:
        """Why the AppView leaves an account out: taken down, deactivated or deleted (None: it is there)."""
        try:
            self._query("app.bsky.actor.getProfile", models.AppBskyActorGetProfile.Params(actor=did))
        except AccountGone as exc:
            return exc.state
        except NotFound:
            return AccountState.DELETED
        return None

    def _feed(self, actor: str, limit: int) -> list[Post]:
        out: list[Post] = []
        for body in self._pages(
            "app.bsky.feed.getAuthorFeed",
            lambda c: models.AppBskyFeedGetAuthorFeed.Params(
                actor=actor, limit=min(PAGE, max(1, limit)), cursor=c, filter="posts_with_replies"
            ),
        ):
            out += convert.feed_posts(body, actor)
            if len(out) >= limit:
                break
        return out[:limit]

    def _pages(self, nsid: str, params: Callable[[str | None], Any]) -> Iterator[Json]:
        cursor: str | None = None
        while True:
            body = self._query(nsid, params(cursor))
            yield body
            following = body.get("cursor") or None
            if following is None or following == cursor:
                return
            cursor = following

    def _query(self, nsid: str, params: Any) -> Json:
        response = self._call(f"GET {nsid}", lambda: self._client.invoke_query(nsid, params=params))
        content = response.content
        if not isinstance(content, dict):
            raise translate(ValueError("not JSON"))
        return content

    # ---- helpers: records

    def _records(self, collection: str, *, deep: bool) -> Iterator[tuple[str, Json]]:
        """(URI, value) of the user's records in ``collection``, newest first: one page, or all (``deep``)."""
        for body in self._pages(
            "com.atproto.repo.listRecords",
            lambda c: models.ComAtprotoRepoListRecords.Params(
                repo=self.did, collection=collection, limit=PAGE, cursor=c
            ),
        ):
            for record in body.get("records") or ():
                if isinstance(record.get("value"), dict) and record.get("uri"):
                    yield str(record["uri"]), record["value"]
            if not deep:
                return

    def _follow_records(self, did: str, *, deep: bool) -> list[str]:
        """The user's follow records for ``did``: from the repository, and (not deep) the AppView's view."""
        uris = [uri for uri, value in self._records(FOLLOW, deep=deep) if value.get("subject") == did]
        if not deep:
            view = self._profiles([did]).get(did)
            named = convert.following_uri(view) if view else None
            if named and named not in uris:
                uris.append(named)
        return uris

    def _list_items(self, list_id: str, did: str) -> list[str]:
        """The list-item records putting ``did`` on the list: newest in the repository, and the AppView's list."""
        uris = [
            u for u, v in self._records(LIST_ITEM, deep=False) if v.get("list") == list_id and v.get("subject") == did
        ]
        try:
            for body in self._pages(
                "app.bsky.graph.getList",
                lambda c: models.AppBskyGraphGetList.Params(list=list_id, limit=PAGE, cursor=c),
            ):
                uris += [
                    str(item["uri"])
                    for item in body.get("items") or ()
                    if (item.get("subject") or {}).get("did") == did and item.get("uri") not in uris
                ]
        except NotFound:
            pass  # the AppView does not know the list (yet): the repository's answer stands
        return uris

    def _get_record(self, collection: str, uri: str) -> Json:
        params = models.ComAtprotoRepoGetRecord.Params(repo=self.did, collection=collection, rkey=convert.rkey_of(uri))
        body = self._query("com.atproto.repo.getRecord", params)
        value = body.get("value")
        if not isinstance(value, dict):
            raise NotFound(f"no record {uri}")
        return dict(value)

    def _create(self, collection: str, record: Json) -> str:
        data = {"repo": self.did, "collection": collection, "record": record}
        answer = self._call(
            "POST com.atproto.repo.createRecord", lambda: self._client.com.atproto.repo.create_record(data)
        )
        return str(answer.uri)

    def _delete(self, collection: str, uri: str) -> None:
        data = {"repo": self.did, "collection": collection, "rkey": convert.rkey_of(uri)}
        self._call("POST com.atproto.repo.deleteRecord", lambda: self._client.com.atproto.repo.delete_record(data))

    def _now(self) -> str:
        return format_time(self._clock())

    # ---- helpers: calls and the session

    def _call(self, endpoint: str, call: Callable[[], Any]) -> Any:
        """One SDK call as backend errors, with one session refresh and retry when the server says it expired."""
        try:
            return self._guarded(endpoint, call)
        except SessionExpired:
            self._refresh()
            try:
                return self._guarded(endpoint, call)
            except SessionExpired as exc:
                raise AuthError(SIGN_IN_AGAIN.format(why=str(exc))) from None

    def _guarded(self, endpoint: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as exc:
            raise translate(exc, endpoint=endpoint, clock=self._clock) from None

    def _refresh(self) -> None:
        """``com.atproto.server.refreshSession`` with the refresh token; AuthError when it is refused."""
        with self._lock:
            headers = {"Authorization": f"Bearer {self._session.refresh_jwt}"}
            try:
                answer = self._guarded(
                    "POST com.atproto.server.refreshSession",
                    lambda: self._client.com.atproto.server.refresh_session(headers=headers),
                )
            except (SessionExpired, AuthError) as exc:
                raise AuthError(SIGN_IN_AGAIN.format(why=str(exc).split("(", 1)[-1].rstrip("):. "))) from None
            fresh = self._session.with_tokens(answer.access_jwt, answer.refresh_jwt, answer.handle)
            self._client.login(session_string=_sdk_session(fresh).encode(), fetch_bsky_profile=False)

    def _session_changed(self, event: SessionEvent, session: Session) -> None:
        fresh = self._session.with_tokens(session.access_jwt, session.refresh_jwt, session.handle)
        if fresh == self._session:
            return
        self._session = fresh
        if self._on_session is not None:
            self._on_session(fresh)


def _sdk_session(session: BlueskySession) -> Session:
    return Session(session.handle, session.did, session.access_jwt, session.refresh_jwt, session.pds)


def meter_hook(meter: RequestMeter) -> Callable[[httpx.Response], None]:
    """An httpx response hook recording each XRPC call and its ``ratelimit-*`` headers in ``meter``."""

    def record(response: httpx.Response) -> None:
        request = response.request
        nsid = urlsplit(str(request.url)).path.removeprefix("/xrpc/")
        headers = response.headers
        reset = _int(headers.get("ratelimit-reset"))
        meter.record(
            f"{request.method} {nsid}",
            ok=response.status_code < 400,
            limit=_int(headers.get("ratelimit-limit")),
            remaining=_int(headers.get("ratelimit-remaining")),
            reset_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
        )

    return record


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
