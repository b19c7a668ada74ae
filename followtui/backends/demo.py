"""The offline demo backend: serves a ``DemoGraph`` in-process and applies writes to its own copy."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from followtui.backends.base import BackendError, Forbidden, NotFound, Page
from followtui.demo.generator import DemoGraph
from followtui.domain.models import Account, AccountState, ListInfo, Me, Post

PAGE_SIZE = 1000
_GONE = (AccountState.SUSPENDED, AccountState.DELETED)


class DemoBackend:
    """A ``Backend`` over an in-memory graph: reads are instant, writes wait ``delay`` seconds.

    Writes are idempotent like X's ("already following" is a success). ``faults`` maps a method name
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
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.delay = delay
        self.faults: dict[str, list[BackendError]] = faults if faults is not None else {}
        self._sleep = sleep
        self._page_size = page_size
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
        self._lists = {lst.id: lst for lst in graph.lists}
        self._mentions = list(graph.mentions)
        self._next_list = max((int(i) for i in self._lists if i.isdigit()), default=10**18) + 1

    # ---- reads

    def me(self) -> Me:
        self._fault("me")
        return self._me

    def followers(self, cursor: str | None = None) -> Page:
        self._fault("followers")
        with self._lock:
            return self._page(self._followers, cursor)

    def following(self, cursor: str | None = None) -> Page:
        self._fault("following")
        with self._lock:
            return self._page(self._following, cursor)

    def owned_lists(self) -> list[ListInfo]:
        self._fault("owned_lists")
        with self._lock:
            return list(self._lists.values())

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        self._fault("recent_posts")
        account = self._account(account_id)
        return sorted(account.posts, key=lambda p: int(p.id), reverse=True)[:limit]

    def mentions(self) -> list[Post]:
        self._fault("mentions")
        return list(self._mentions)

    # ---- writes

    def follow(self, account_id: str) -> None:
        self._write("follow")
        with self._lock:
            self._account(account_id)
            if account_id not in self._following:
                self._following.insert(0, account_id)

    def unfollow(self, account_id: str) -> None:
        self._write("unfollow")
        with self._lock:
            self._account(account_id, gone_ok=True)
            if account_id in self._following:
                self._following.remove(account_id)

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        self._write("create_list")
        if not name.strip() or len(name) > 25:
            raise Forbidden("A list name must be 1 to 25 characters long.")
        with self._lock:
            info = ListInfo(id=str(self._next_list), name=name, description=description, private=private)
            self._next_list += 1
            self._lists[info.id] = info
            return info

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

    # ---- helpers

    def _fault(self, method: str) -> None:
        queued = self.faults.get(method)
        if queued:
            raise queued.pop(0)

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

    def _page(self, ids: list[str], cursor: str | None) -> Page:
        start = _decode_cursor(cursor)
        chunk = ids[start : start + self._page_size]
        end = start + len(chunk)
        accounts = [self._accounts[i] for i in chunk if self._accounts[i].state not in _GONE]
        missing = [i for i in chunk if self._accounts[i].state in _GONE]
        return Page(accounts, _encode_cursor(end) if end < len(ids) else None, missing)


def _encode_cursor(offset: int) -> str:
    return f"demo-{offset:x}"


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.startswith("demo-"):
        raise BackendError(f"Invalid page cursor: {cursor!r}")
    try:
        return int(cursor[5:], 16)
    except ValueError:
        raise BackendError(f"Invalid page cursor: {cursor!r}") from None
