"""The offline demo backend: serves a ``DemoGraph`` (X's or Bluesky's) in-process and applies writes to its own copy."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from followtui.backends.base import BackendError, FollowState, Forbidden, NotFound, Page, Refused
from followtui.backends.meter import RequestMeter
from followtui.demo.bluesky import LIST, at_uri, tid, tid_value
from followtui.demo.generator import DemoGraph
from followtui.domain.list_limits import BLUESKY_LISTS, X_LISTS
from followtui.domain.models import Account, AccountState, ListInfo, Me, Op, OutboxEntry, Post, post_order

PAGE_SIZE = 1000
BSKY_PAGE_SIZE = 100  # getFollowers, getFollows, getList
_X_ENDPOINTS = {
    "me": "GET /2/users/me",
    "followers": "GET /2/users/:id/followers",
    "following": "GET /2/users/:id/following",
    "lookup": "GET /2/users",
    "owned_lists": "GET /2/users/:id/owned_lists",
    "list_members": "GET /2/lists/:id/members",
    "recent_posts": "GET /2/users/:id/tweets",
    "mentions": "GET /2/users/:id/mentions",
    "my_posts": "GET /2/users/:id/tweets",
    "follow": "POST /2/users/:id/following",
    "unfollow": "DELETE /2/users/:id/following/:id",
    "create_list": "POST /2/lists",
    "update_list": "PUT /2/lists/:id",
    "delete_list": "DELETE /2/lists/:id",
    "add_list_member": "POST /2/lists/:id/members",
    "remove_list_member": "DELETE /2/lists/:id/members/:id",
}
# The XRPC calls the Bluesky backend makes for each, as its meter names them: none has a price, Bluesky is free.
_BSKY_ENDPOINTS = {
    "me": "GET app.bsky.actor.getProfile",
    "followers": "GET app.bsky.graph.getFollowers",
    "following": "GET app.bsky.graph.getFollows",
    "lookup": "GET app.bsky.actor.getProfiles",
    "owned_lists": "GET app.bsky.graph.getLists",
    "list_members": "GET app.bsky.graph.getList",
    "recent_posts": "GET app.bsky.feed.getAuthorFeed",
    "mentions": "GET app.bsky.notification.listNotifications",
    "my_posts": "GET app.bsky.feed.getAuthorFeed",
    "follow": "POST com.atproto.repo.createRecord",
    "unfollow": "POST com.atproto.repo.deleteRecord",
    "create_list": "POST com.atproto.repo.createRecord",
    "update_list": "POST com.atproto.repo.putRecord",
    "delete_list": "POST com.atproto.repo.deleteRecord",
    "add_list_member": "POST com.atproto.repo.createRecord",
    "remove_list_member": "POST com.atproto.repo.deleteRecord",
}
LIST_PAGE_SIZE = 100
LOOKUP_LIMIT = 100
_GONE = (AccountState.SUSPENDED, AccountState.DELETED, AccountState.DEACTIVATED)


class DemoBackend:
    """A ``Backend`` over an in-memory graph: reads are instant, writes wait ``delay`` seconds.

    Writes are idempotent like X's ("already following" is a success). Every call is counted by ``meter`` under
    the endpoint it stands for, so the demo shows what the same work would cost: on X, under X's endpoints and
    prices; on Bluesky (a graph of DIDs: ``network``), under its XRPC methods, which cost nothing, with its page
    size, list limits and list IDs (AT URIs). ``faults`` maps a method name
    (``"follow"``, ``"followers"``, ...) to errors raised, first one first, before that method does
    anything else; the lists are consumed in place, so tests can add faults at any time.
    """

    name = "demo"

    def __init__(
        self,
        graph: DemoGraph,
        delay: float = 0.15,
        sleep: Callable[[float], None] = time.sleep,
        faults: dict[str, list[BackendError]] | None = None,
        page_size: int | None = None,
        meter: RequestMeter | None = None,
    ) -> None:
        self.network = graph.network
        bluesky = self.network == "bluesky"
        self.network_name = "Bluesky" if bluesky else "X"
        self.delay = delay
        self.meter = meter or RequestMeter()
        self.faults: dict[str, list[BackendError]] = faults if faults is not None else {}
        self._sleep = sleep
        self._page_size = page_size or (BSKY_PAGE_SIZE if bluesky else PAGE_SIZE)
        self._endpoints = _BSKY_ENDPOINTS if bluesky else _X_ENDPOINTS
        self._lock = threading.Lock()
        self._me = graph.me
        self._accounts = {a.id: a for a in graph.accounts}
        rels = graph.relationships
        # Newest first, like X's follower and following lists.
        self._followers = [
            r.account_id
            for r in sorted(rels, key=lambda r: r.follower_first_seen or graph.last_sync, reverse=True)
            if r.follower
        ]
        self._following = [
            r.account_id
            for r in sorted(rels, key=lambda r: r.following_first_seen or graph.last_sync, reverse=True)
            if r.following
        ]
        self._lists = {lst.id: lst for lst in graph.lists if not lst.kept_here}  # the network never saw those
        self._mentions = list(graph.mentions)
        self._my_posts = list(graph.my_posts)
        self._next_list = max((int(i) for i in self._lists if i.isdigit()), default=10**18) + 1
        # Bluesky: the next list's record key (a TID), after every list's and the graph's last sync
        synced = (graph.last_sync - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) << 10
        self._next_tid = max([synced, *(key for i in self._lists if (key := _list_tid(i)) is not None)]) + 1

    # ---- reads

    def me(self) -> Me:
        self._fault("me")
        return self._me

    def followers(self, cursor: str | None = None) -> Page:
        self._fault("followers")
        with self._lock:
            page = self._page(self._followers, cursor)
        self._count("followers", len(page.accounts))
        return page

    def following(self, cursor: str | None = None) -> Page:
        self._fault("following")
        with self._lock:
            page = self._page(self._following, cursor)
        self._count("following", len(page.accounts))
        return page

    def lookup(self, account_ids: Sequence[str]) -> Page:
        self._fault("lookup")
        if len(account_ids) > LOOKUP_LIMIT:
            raise Refused(f"At most {LOOKUP_LIMIT} accounts per lookup.")
        found = [self._accounts[i] for i in account_ids if i in self._accounts]
        accounts = [a for a in found if a.state not in _GONE]
        gone = {a.id: a.state for a in found if a.state in _GONE}
        gone.update({i: AccountState.DELETED for i in account_ids if i not in self._accounts})
        self._count("lookup", len(accounts), own=False)
        return Page(accounts, None, gone)

    def owned_lists(self) -> list[ListInfo]:
        self._fault("owned_lists")
        with self._lock:
            lists = [replace(info, member_ids=()) for info in self._lists.values()]
        self._count("owned_lists", len(lists))
        return lists

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        self._fault("list_members")
        with self._lock:
            members = list(self._list(list_id).member_ids)
            page = self._page(members, cursor, LIST_PAGE_SIZE)
        self._count("list_members", len(page.accounts), own=False)
        return page

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        self._fault("recent_posts")
        account = self._account(account_id)
        posts = sorted(account.posts, key=post_order, reverse=True)[:limit]
        self._count("recent_posts", len(posts), own=False)
        return posts

    def mentions(self, limit: int = 100) -> list[Post]:
        self._fault("mentions")
        posts = sorted(self._mentions, key=post_order, reverse=True)[:limit]
        self._count("mentions", len(posts))
        return posts

    def my_posts(self, limit: int = 100) -> list[Post]:
        self._fault("my_posts")
        posts = sorted(self._my_posts, key=post_order, reverse=True)[:limit]
        self._count("my_posts", len(posts))
        return posts

    # ---- writes

    def follow(self, account_id: str) -> FollowState:
        self._write("follow")
        with self._lock:
            self._account(account_id)
            if account_id not in self._following:
                self._following.insert(0, account_id)
        return FollowState.FOLLOWING

    def follow_state(self, account_id: str) -> FollowState:
        with self._lock:
            return FollowState.FOLLOWING if account_id in self._following else FollowState.NONE

    def unfollow(self, account_id: str) -> None:
        self._write("unfollow")
        with self._lock:
            self._account(account_id, gone_ok=True)
            if account_id in self._following:
                self._following.remove(account_id)

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        """A new list; on Bluesky a curate list, public whatever ``private`` says (Bluesky has no private lists)."""
        self._write("create_list")
        if self.network == "bluesky":
            self._check_bsky_list(name, description)
        elif not name.strip() or len(name) > X_LISTS.name:
            raise Forbidden(f"A list name must be 1 to {X_LISTS.name} characters long.")
        with self._lock:
            if self.network == "bluesky":
                list_id, private = at_uri(self._me.id, LIST, _tid_of(self._next_tid)), False
                self._next_tid += 1
            else:
                list_id = str(self._next_list)
                self._next_list += 1
            info = ListInfo(id=list_id, name=name, description=description, private=private)
            self._lists[info.id] = info
            return info

    def update_list(self, list_id: str, name: str, description: str) -> None:
        self._write("update_list")
        if self.network == "bluesky":
            self._check_bsky_list(name, description)
        elif not name.strip() or len(name) > X_LISTS.name or len(description) > X_LISTS.description:
            raise Refused(
                f"A list name must be 1 to {X_LISTS.name} characters, a description at most {X_LISTS.description}."
            )
        with self._lock:
            info = self._list(list_id)
            self._lists[list_id] = replace(info, name=name, description=description)

    def delete_list(self, list_id: str) -> None:
        self._write("delete_list")
        with self._lock:
            self._list(list_id)
            del self._lists[list_id]

    def add_list_member(self, list_id: str, account_id: str) -> None:
        self._write("add_list_member")
        with self._lock:
            info = self._list(list_id)
            self._account(account_id)
            if account_id not in info.member_ids:
                self._lists[list_id] = replace(info, member_ids=(*info.member_ids, account_id))

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        self._write("remove_list_member")
        with self._lock:
            info = self._list(list_id)
            self._account(account_id, gone_ok=True)
            members = tuple(m for m in info.member_ids if m != account_id)
            self._lists[list_id] = replace(info, member_ids=members)

    # ---- what earlier runs sent

    def replay(self, sent: Iterable[OutboxEntry], lists: Mapping[str, ListInfo]) -> None:
        """Apply the calls an earlier run made (done, in the order they were made), as X would still show them.

        The demo graph is generated afresh in each process; without this, a sync in a new process (``followtui
        sync --demo``) would read a demo X that never saw the follows, unfollows and list changes made in the app.
        ``lists`` are the cache's lists by ID: a list created here takes its name and description from there (the
        outbox keeps no names). No delay, no faults and no requests are counted: nothing is sent now.
        """
        with self._lock:
            for entry in sent:
                with suppress(NotFound):
                    self._apply(entry, lists)

    def _apply(self, entry: OutboxEntry, lists: Mapping[str, ListInfo]) -> None:
        list_id = entry.list_id or ""
        if entry.op is Op.FOLLOW and entry.account_id in self._accounts and entry.account_id not in self._following:
            self._following.insert(0, entry.account_id)
        elif entry.op is Op.UNFOLLOW and entry.account_id in self._following:
            self._following.remove(entry.account_id)
        elif entry.op is Op.LIST_CREATE and list_id and list_id not in self._lists:
            mine = lists.get(list_id)
            name = mine.name if mine else entry.detail or "list"
            private = (mine.private if mine else True) and self.network != "bluesky"
            info = ListInfo(list_id, name, mine.description if mine else "", private)
            self._lists[list_id] = info
            if list_id.isdigit():
                self._next_list = max(self._next_list, int(list_id) + 1)  # X never gives an ID twice
            if (key := _list_tid(list_id)) is not None:
                self._next_tid = max(self._next_tid, key + 1)  # nor does a PDS give a record key twice
        elif entry.op is Op.LIST_UPDATE and (mine := lists.get(list_id)) is not None:
            self._lists[list_id] = replace(self._list(list_id), name=mine.name, description=mine.description)
        elif entry.op is Op.LIST_DELETE:
            self._lists.pop(list_id, None)
        elif entry.op is Op.LIST_ADD and entry.account_id in self._accounts:
            info = self._list(list_id)
            if entry.account_id not in info.member_ids:
                self._lists[list_id] = replace(info, member_ids=(*info.member_ids, entry.account_id))
        elif entry.op is Op.LIST_REMOVE:
            info = self._list(list_id)
            self._lists[list_id] = replace(info, member_ids=tuple(m for m in info.member_ids if m != entry.account_id))

    # ---- helpers

    def _check_bsky_list(self, name: str, description: str) -> None:
        """The lexicon's limits on a list record, as the PDS checks them (a 400: refused)."""
        problem = BLUESKY_LISTS.name_problem(name.strip()) or BLUESKY_LISTS.description_problem(description)
        if problem:
            raise Refused(problem)

    def _fault(self, method: str) -> None:
        queued = self.faults.get(method)
        endpoint = self._endpoints.get(method)
        if queued:
            if endpoint:
                self.meter.record(endpoint, ok=False)
            raise queued.pop(0)
        if endpoint:
            self.meter.record(endpoint)

    def _count(self, method: str, resources: int, own: bool = True) -> None:
        self.meter.count(self._endpoints[method], resources, own=own)

    def _write(self, method: str) -> None:
        """A write's round trip: the wait, then any injected fault."""
        if self.delay > 0:
            self._sleep(self.delay)
        self._fault(method)

    def _account(self, account_id: str, gone_ok: bool = False) -> Account:
        account = self._accounts.get(account_id)
        if account is None or (account.state in _GONE and not gone_ok):
            raise NotFound(f"No account with ID {account_id}.")
        return account

    def _list(self, list_id: str) -> ListInfo:
        info = self._lists.get(list_id)
        if info is None:
            raise NotFound(f"No list with ID {list_id}.")
        return info

    def _page(self, ids: list[str], cursor: str | None, size: int | None = None) -> Page:
        start = _decode_cursor(cursor)
        chunk = ids[start : start + (size or self._page_size)]
        end = start + len(chunk)
        accounts = [self._accounts[i] for i in chunk if self._accounts[i].state not in _GONE]
        gone = {i: self._accounts[i].state for i in chunk if self._accounts[i].state in _GONE}
        return Page(accounts, _encode_cursor(end) if end < len(ids) else None, gone)


def _list_tid(list_id: str) -> int | None:
    """The TID of a Bluesky list's AT URI (None for an X list ID)."""
    return tid_value(list_id.rsplit("/", 1)[-1]) if list_id.startswith("at://") else None


def _tid_of(value: int) -> str:
    return tid(value >> 10, value & 0x3FF)


def _encode_cursor(offset: int) -> str:
    return f"demo-{offset:x}"


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.startswith("demo-"):
        raise Refused(f"Invalid page cursor: {cursor!r}")
    try:
        return int(cursor[5:], 16)
    except ValueError:
        raise Refused(f"Invalid page cursor: {cursor!r}") from None
