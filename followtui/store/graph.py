"""An in-memory, read-only snapshot of the graph (``graph.jsonl``) with O(1) lookups by account ID.

The snapshot holds the file's rows (``store/rows.py``) and builds documents and domain objects from them on demand,
caching the objects. A ``replace_graph`` swaps in a new snapshot; readers holding the old one are unaffected.
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson

from followtui import gcpolicy
from followtui.domain.models import Account, AccountState, Me, Post, Relationship
from followtui.domain.queues import search_text
from followtui.durable import replacing
from followtui.store.graphfile import GraphData
from followtui.store.rows import (
    A_MUTED,
    A_POSTS,
    A_STATE,
    R_FOLLOWER,
    R_FOLLOWER_FIRST_SEEN,
    R_FOLLOWING,
    SEARCH_COLUMNS,
    Doc,
    Row,
    account_doc,
    account_row,
    post_doc,
    post_row,
    relationship_doc,
    relationship_row,
)

CHUNK = 5000
_ACTIVE = (str(AccountState.ACTIVE), "", None)  # a row's state; empty or missing reads as active (from_doc)
ACCOUNT_CACHE = 50_000  # Account objects kept; scans over everything should use ``account_doc``


def doc_key(account_id: str) -> str | None:
    """The key of an account in a table (``str(doc_id)``), or None for an ID that cannot be a doc ID."""
    if not account_id.isdecimal() or not account_id.isascii():
        return None
    return str(int(account_id))


def canonical_key(account_id: str) -> str:
    """The account ID itself, checked to be an X ID (a decimal string without leading zeros) or a DID (Bluesky)."""
    if account_id.isascii() and account_id.isdecimal() and (account_id[0] != "0" or account_id == "0"):
        return account_id
    if account_id.startswith("did:") and account_id.isascii() and account_id.isprintable() and " " not in account_id:
        return account_id
    raise ValueError(f"not an X account ID (a decimal string without leading zeros) nor a DID: {account_id!r}")


_DID_KEYS = 2**63  # X IDs are below 2**63 (63-bit snowflakes): a DID's doc IDs are in [2**63, 2**64)


def did_key(did: str, after: int | None = None) -> int:
    """A doc ID for a DID's document in a state table: a hash of it in a range no X ID reaches, or the one after
    ``after`` in that range (where a colliding DID's document is)."""
    if after is not None:
        return _DID_KEYS + (after - _DID_KEYS + 1) % _DID_KEYS
    digest = hashlib.blake2b(did.encode(), digest_size=8).digest()
    return _DID_KEYS + int.from_bytes(digest, "big") % _DID_KEYS


class GraphView:
    """What ``graph.jsonl`` holds, indexed for the UI."""

    def __init__(self, data: GraphData | None) -> None:
        data = data or GraphData()
        self._data = data
        self._rows: Mapping[str, Row] = data.accounts
        self._rels: Mapping[str, Row] = data.relationships
        self.me: Me | None = Me.from_doc(data.me) if data.me else None
        self.mentions: tuple[Post, ...] = tuple(Post.from_doc(post_doc(p)) for p in data.mentions)
        self.my_posts: tuple[Post, ...] = tuple(Post.from_doc(post_doc(p)) for p in data.my_posts)
        self.follower_ids = frozenset(k for k, r in self._rels.items() if r[R_FOLLOWER])
        self.following_ids = frozenset(k for k, r in self._rels.items() if r[R_FOLLOWING])
        self._account_objs: OrderedDict[str, Account] = OrderedDict()
        self._rel_objs: dict[str, Relationship] = {}
        self._one_way: list[str] | None = None
        self._text_index: TextIndex | None = None
        self._index_lock = threading.Lock()

    def text_index(self) -> TextIndex:
        """The search index over every account, built on first use (0.1–0.2 s at 100k; a worker warms it)."""
        with self._index_lock:
            if self._text_index is None:
                self._text_index = TextIndex(self._rows)
            return self._text_index

    def one_way_followers(self) -> list[str]:
        """Followers the user does not follow, newest first (by first seen, then ID, both descending).

        Computed once per snapshot from the rows (no objects): the timestamps are all ``format_time`` strings,
        which sort like the times they stand for. Do not mutate the list.
        """
        if self._one_way is None:
            rels = self._rels
            ids = sorted(self.follower_ids - self.following_ids, reverse=True)
            # stable: equal times (everyone a sync first saw together) keep the ID order; no tuples made
            ids.sort(key=lambda key: rels[key][R_FOLLOWER_FIRST_SEEN] or "", reverse=True)
            self._one_way = ids
        return self._one_way

    def __len__(self) -> int:
        return len(self._rows)

    def account_ids(self) -> list[str]:
        return list(self._rows)

    def with_accounts(self, accounts: Iterable[Account]) -> GraphData:
        """This snapshot with ``accounts`` in place of its accounts (the other rows are shared, not copied)."""
        data = self._data
        return GraphData(data.me, account_rows(accounts), data.relationships, data.mentions, data.my_posts)

    def account_ids_with_posts(self) -> set[str]:
        """The accounts whose recent posts are cached (from the rows: no objects built)."""
        return {key for key, row in self._rows.items() if row[A_POSTS]}

    def muted_account_ids(self) -> set[str]:
        """The accounts muted on X (from an archive; from the rows)."""
        return {key for key, row in self._rows.items() if row[A_MUTED]}

    def inactive_account_ids(self) -> set[str]:
        """The accounts known to be suspended or deleted (from the rows)."""
        return {key for key, row in self._rows.items() if row[A_STATE] not in _ACTIVE}

    def account_doc(self, account_id: str) -> Mapping[str, Any] | None:
        """The account's document, made from its row (read-only, like every document the store hands out)."""
        row = self._rows.get(account_id)
        return None if row is None else MappingProxyType(account_doc(row))

    def account(self, account_id: str) -> Account | None:
        obj = self._account_objs.get(account_id)
        if obj is None:
            row = self._rows.get(account_id)
            if row is None:
                return None
            if len(self._account_objs) >= ACCOUNT_CACHE:
                self._account_objs.popitem(last=False)  # oldest first
            obj = self._account_objs[account_id] = Account.from_doc(account_doc(row))
        return obj

    def relationship(self, account_id: str) -> Relationship | None:
        obj = self._rel_objs.get(account_id)
        if obj is None:
            row = self._rels.get(account_id)
            if row is None:
                return None
            obj = self._rel_objs[account_id] = Relationship.from_doc(relationship_doc(row))
        return obj

    def relationship_doc(self, account_id: str) -> Doc | None:
        row = self._rels.get(account_id)
        return None if row is None else relationship_doc(row)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship, built on the fly (not cached: 100k objects would stay in memory)."""
        keys = list(self._rels)
        for start in range(0, len(keys), CHUNK):
            with gcpolicy.paused():  # building objects in bulk: spare the GC rescanning the whole graph
                chunk = [
                    self._rel_objs.get(k) or Relationship.from_doc(relationship_doc(self._rels[k]))
                    for k in keys[start : start + CHUNK]
                ]
            yield from chunk


class TextIndex:
    """Every account's search text (handle, name, bio, location) in one buffer, so a word is found by ``find`` in C.

    Texts are joined with NUL, which no filter word holds, so a match never spans two accounts. The text is kept
    as UTF-8 bytes (a substring of the UTF-8 is a substring of the text), with byte offsets.
    """

    SEP = b"\x00"

    def __init__(self, rows: Mapping[str, Row]) -> None:
        keys: list[str] = []
        starts = array("q")
        parts: list[bytes] = []
        offset = 0
        columns, sep = SEARCH_COLUMNS, self.SEP
        for key, row in rows.items():
            text = search_text(row[c] for c in columns).encode().replace(sep, b" ")
            keys.append(key)
            starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self._keys = keys
        self._starts = starts
        self._text = sep.join(parts)  # UTF-8: a quarter of a str with one emoji in it

    def find(self, word: str) -> set[str]:
        """The keys whose text contains ``word`` (already case-folded)."""
        out: set[str] = set()
        needle = word.encode()
        if not needle or self.SEP in needle:
            return out
        text, starts, keys = self._text, self._starts, self._keys
        pos = text.find(needle)
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            out.add(keys[k])
            if k + 1 >= len(starts):
                break
            pos = text.find(needle, starts[k + 1])  # one hit per account is enough
        return out

    def find_all(self, words: Iterable[str]) -> set[str]:
        """The keys whose text contains every word."""
        found: set[str] | None = None
        for word in sorted(words, key=len, reverse=True):  # the longest word first: usually the fewest hits
            hits = self.find(word)
            found = hits if found is None else found & hits
            if not found:
                break
        return found or set()


def account_rows(accounts: Iterable[Account], docs: Mapping[str, tuple[Account, Doc]] | None = None) -> dict[str, Row]:
    """The accounts' rows by ID; ``docs`` as in ``build_graph``."""
    known = docs or {}
    rows: dict[str, Row] = {}
    for a in accounts:
        hit = known.get(a.id)
        rows[canonical_key(a.id)] = account_row(hit[1] if hit is not None and hit[0] is a else a.to_doc())
    return rows


def build_graph(
    *,
    me: Me | None,
    accounts: Iterable[Account],
    relationships: Iterable[Relationship],
    mentions: Iterable[Post],
    my_posts: Iterable[Post],
    docs: Mapping[str, tuple[Account, Doc]] | None = None,
) -> GraphData:
    """The complete content of ``graph.jsonl``, as rows.

    ``docs``: documents already made (by the sync, for its journal), each used only for the very object it was
    made from; the others are made here.
    """
    data = GraphData(me=me.to_doc() if me else None, accounts=account_rows(accounts, docs))
    for r in relationships:
        key = r.account_id if r.account_id in data.accounts else canonical_key(r.account_id)  # checked above
        data.relationships[key] = relationship_row(r.to_doc())
    data.mentions.extend(post_row(p.to_doc()) for p in mentions)
    data.my_posts.extend(post_row(p.to_doc()) for p in my_posts)
    return data


HEAD_VERSION = 2  # 2: written next to graph.jsonl
HEAD_ACCOUNTS = 500  # the first pages of New followers: enough rows to read and act on while the rest loads


class GraphHead:
    """What the first screen needs, from ``graph-head.json``: a small file written next to ``graph.jsonl``.

    It holds the user, their conversations, every one-way follower's ID (newest first) and the documents of the
    first ``HEAD_ACCOUNTS`` undecided ones, so the app shows New followers in a few milliseconds while the large
    graph loads in the background. It is a cache: it is used only while ``graph.jsonl`` has the size and mtime it
    records, and anything it lacks is read from the full graph.
    """

    def __init__(self, doc: Mapping[str, Any]) -> None:
        me = doc.get("me")
        self.me: Me | None = Me.from_doc(me) if me else None
        self.format_version = int(doc["format_version"])
        self.count = int(doc["count"])
        self.mentions = tuple(Post.from_doc(p) for p in doc.get("mentions") or ())
        self.my_posts = tuple(Post.from_doc(p) for p in doc.get("my_posts") or ())
        self._one_way: list[str] = [str(i) for i in doc["one_way"]]
        self._accounts: dict[str, Doc] = dict(doc.get("accounts") or {})
        self._relationships: dict[str, Doc] = dict(doc.get("relationships") or {})
        self._account_objs: dict[str, Account] = {}

    def one_way_followers(self) -> list[str]:
        return self._one_way

    def used_up(self, decisions: Mapping[str, object]) -> bool:
        """Most of its accounts were decided about since it was written: the next start needs a new one."""
        left = sum(1 for i in self._accounts if i not in decisions)
        return left < HEAD_ACCOUNTS // 2 and len(self._one_way) > left

    def __contains__(self, account_id: object) -> bool:
        return account_id in self._accounts

    def account(self, account_id: str) -> Account | None:
        obj = self._account_objs.get(account_id)
        if obj is None and account_id in self._accounts:
            obj = self._account_objs[account_id] = Account.from_doc(self._accounts[account_id])
        return obj

    def account_doc(self, account_id: str) -> Mapping[str, Any] | None:
        doc = self._accounts.get(account_id)
        return None if doc is None else MappingProxyType(doc)

    def relationship(self, account_id: str) -> Relationship | None:
        doc = self._relationships.get(account_id)
        return None if doc is None else Relationship.from_doc(doc)

    @classmethod
    def load(cls, path: Path, graph_path: Path) -> GraphHead | None:
        """The head, or None when there is none or it does not match ``graph.jsonl`` (then load the full graph)."""
        try:
            raw = path.read_bytes()
            stat = graph_path.stat()
            doc = orjson.loads(raw)
            if doc.get("v") != HEAD_VERSION or doc.get("graph") != [stat.st_size, stat.st_mtime_ns]:
                return None
            return cls(doc)
        except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
            return None

    @staticmethod
    def write(path: Path, graph_path: Path, view: GraphView, decided: Collection[str], format_version: int) -> None:
        """Write the head of ``view`` (which must be what ``graph_path`` holds now); atomic, not fsynced (a cache)."""
        one_way = view.one_way_followers()
        first = [i for i in one_way if i not in decided][:HEAD_ACCOUNTS]
        stat = graph_path.stat()
        doc = {
            "v": HEAD_VERSION,
            "graph": [stat.st_size, stat.st_mtime_ns],
            "format_version": format_version,
            "count": len(view),
            "me": view.me.to_doc() if view.me else None,
            "mentions": [p.to_doc() for p in view.mentions],
            "my_posts": [p.to_doc() for p in view.my_posts],
            "one_way": one_way,
            "accounts": {i: dict(doc) for i in first if (doc := view.account_doc(i)) is not None},
            "relationships": {i: doc for i in first if (doc := view.relationship_doc(i)) is not None},
        }
        with replacing(path, fsync=False) as fh:
            fh.write(orjson.dumps(doc))
