"""An in-memory, read-only snapshot of ``graph.json`` with O(1) lookups by account ID.

The snapshot shares the storage's parsed documents (no second copy of 100k accounts) and builds domain objects
lazily, caching them. A ``replace_graph`` swaps in a new snapshot; readers holding the old one are unaffected.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from followtui.domain.models import Account, Me, Post, Relationship
from followtui.store.atomic import paused_gc

Doc = dict[str, Any]
CHUNK = 5000
ACCOUNT_CACHE = 50_000  # Account objects kept; scans over everything should use ``account_doc``


def doc_key(account_id: str) -> str | None:
    """The key of an account in a table (``str(doc_id)``), or None for an ID that cannot be a doc ID."""
    if not account_id.isdecimal() or not account_id.isascii():
        return None
    return str(int(account_id))


def canonical_key(account_id: str) -> str:
    """The account ID itself, checked to be an X ID: a decimal string without leading zeros."""
    if account_id.isascii() and account_id.isdecimal() and (account_id[0] != "0" or account_id == "0"):
        return account_id
    raise ValueError(f"not an X account ID (expected a decimal string without leading zeros): {account_id!r}")


def require_key(account_id: str) -> int:
    """The doc ID for an X account ID."""
    return int(canonical_key(account_id))


class GraphView:
    """What ``graph.json`` holds, indexed for the UI."""

    def __init__(self, tables: Mapping[str, Mapping[str, Doc]] | None) -> None:
        tables = tables or {}
        self._accounts: Mapping[str, Doc] = tables.get("accounts", {})
        self._relationships: Mapping[str, Doc] = tables.get("relationships", {})
        meta = tables.get("meta", {}).get("1", {})
        me = meta.get("me")
        self.me: Me | None = Me.from_doc(me) if me else None
        self.mentions: tuple[Post, ...] = _posts(tables.get("mentions", {}))
        self.my_posts: tuple[Post, ...] = _posts(tables.get("my_posts", {}))
        followers: set[str] = set()
        following: set[str] = set()
        for key, doc in self._relationships.items():
            if doc.get("follower"):
                followers.add(key)
            if doc.get("following"):
                following.add(key)
        self.follower_ids = frozenset(followers)
        self.following_ids = frozenset(following)
        self._account_objs: OrderedDict[str, Account] = OrderedDict()
        self._rel_objs: dict[str, Relationship] = {}

    def __len__(self) -> int:
        return len(self._accounts)

    def account_ids(self) -> list[str]:
        return list(self._accounts)

    def account_doc(self, account_id: str) -> Mapping[str, Any] | None:
        doc = self._accounts.get(account_id)
        return None if doc is None else MappingProxyType(doc)

    def account(self, account_id: str) -> Account | None:
        obj = self._account_objs.get(account_id)
        if obj is None:
            doc = self._accounts.get(account_id)
            if doc is None:
                return None
            if len(self._account_objs) >= ACCOUNT_CACHE:
                self._account_objs.popitem(last=False)  # oldest first
            obj = self._account_objs[account_id] = Account.from_doc(doc)
        return obj

    def relationship(self, account_id: str) -> Relationship | None:
        obj = self._rel_objs.get(account_id)
        if obj is None:
            doc = self._relationships.get(account_id)
            if doc is None:
                return None
            obj = self._rel_objs[account_id] = Relationship.from_doc(doc)
        return obj

    def relationships(self) -> Iterator[Relationship]:
        keys = list(self._relationships)
        for start in range(0, len(keys), CHUNK):
            with paused_gc():  # building objects in bulk: spare the GC rescanning the whole graph
                chunk = [self.relationship(key) for key in keys[start : start + CHUNK]]
            yield from (rel for rel in chunk if rel is not None)


def _posts(table: Mapping[str, Doc]) -> tuple[Post, ...]:
    return tuple(Post.from_doc(doc) for _, doc in sorted(table.items(), key=lambda kv: int(kv[0])))


def build_graph_tables(
    *,
    me: Me | None,
    accounts: Iterable[Account],
    relationships: Iterable[Relationship],
    mentions: Iterable[Post],
    my_posts: Iterable[Post],
    format_version: int,
) -> dict[str, dict[str, Doc]]:
    """The complete content of ``graph.json`` in TinyDB's layout (table -> str(doc_id) -> document)."""
    me_doc = me.to_doc() if me else None
    return {
        "meta": {"1": {"format_version": format_version, "me": me_doc}},
        "accounts": {canonical_key(a.id): a.to_doc() for a in accounts},
        "relationships": {canonical_key(r.account_id): r.to_doc() for r in relationships},
        "mentions": {str(i): p.to_doc() for i, p in enumerate(mentions, 1)},
        "my_posts": {str(i): p.to_doc() for i, p in enumerate(my_posts, 1)},
    }
