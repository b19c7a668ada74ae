"""The local cache: ``graph.json`` (large, rewritten by a sync) and ``state.json`` (small, written per keypress).

All reads are served from memory. Writes to ``state.json`` are serialised by one ``RLock`` and each public
write (or ``transaction()`` block) is one atomic, fsynced file write. Everything returned is an immutable domain
object, a copy, or a read-only view.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from followtui.domain.models import (
    Account,
    Decision,
    ListInfo,
    Me,
    Op,
    OutboxEntry,
    OutboxState,
    Post,
    Relationship,
    SyncInfo,
)
from followtui.domain.notes import Note
from followtui.store import codec
from followtui.store.atomic import AtomicJSONStorage, open_db, paused_gc, reset_tables, storage_of
from followtui.store.errors import StoreCorrupt, StoreError
from followtui.store.graph import GraphView, build_graph_tables, doc_key, require_key
from followtui.store.lock import DirLock

FORMAT_VERSION = 1
GRAPH_FILE = "graph.json"
STATE_FILE = "state.json"
META_ID = 1
FREEZE_GC_AT = 10_000
OPEN_STATES = frozenset({OutboxState.PENDING, OutboxState.FAILED})


class Store:
    """The open data directory. Create with ``Store.open(path)``; close with ``close()`` or ``with``."""

    def __init__(
        self, data_dir: Path, lock: DirLock, graph_db: TinyDB, state_db: TinyDB, *, freeze_gc: bool = True
    ) -> None:
        self.data_dir = data_dir
        self._dir_lock = lock
        self._gdb = graph_db
        self._sdb = state_db
        self._state = storage_of(state_db)
        self._lock = threading.RLock()
        self._graph_lock = threading.Lock()
        self._closed = False
        self._freeze_gc = freeze_gc
        self._graph = _graph_view(storage_of(graph_db))
        self._maybe_freeze()
        # decoded state, updated in step with each write; dropped when the storage reloads (rollback)
        self._decision_map: dict[str, Decision] | None = None
        self._outbox_map: dict[str, tuple[int, OutboxEntry]] | None = None  # creation order
        self._list_map: dict[str, tuple[int, ListInfo]] | None = None
        self._note_map: dict[str, Note] | None = None
        self._state.on_reload.append(self._forget_decoded)

    # -- lifecycle ---------------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, fsync: bool = True, freeze_gc: bool = True) -> Store:
        """Open (creating if needed) the cache in ``data_dir``; raises StoreLocked, StoreCorrupt, StoreError.

        With ``freeze_gc``, a large graph is moved out of the cyclic GC's reach (``gc.freeze()``) after loading
        and after each ``replace_graph``: otherwise every full collection rescans ~1M objects, and building
        objects from the graph gets 2-3x slower. The parsed JSON has no cycles; refcounting still frees it.
        """
        data_dir = Path(data_dir)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = DirLock(data_dir)
        lock.acquire()
        dbs: list[TinyDB] = []
        try:
            for name in (GRAPH_FILE, STATE_FILE):
                dbs.append(open_db(data_dir / name, fsync=fsync))
                _check_format(dbs[-1])
            return cls(data_dir, lock, dbs[0], dbs[1], freeze_gc=freeze_gc)
        except BaseException:
            for db in dbs:
                db.close()
            lock.release()
            raise

    def close(self) -> None:
        """Release the files and the lock; safe to call twice."""
        with self._graph_lock, self._lock:
            if self._closed:
                return
            self._closed = True
            self._graph = GraphView(None)  # let the parsed graph go
            self._gdb.close()
            self._sdb.close()
            self._dir_lock.release()

    def _maybe_freeze(self) -> None:
        if self._freeze_gc and len(self._graph) >= FREEZE_GC_AT:
            gc.freeze()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def graph_path(self) -> Path:
        return self.data_dir / GRAPH_FILE

    @property
    def state_path(self) -> Path:
        return self.data_dir / STATE_FILE

    # -- graph reads (lock-free: the snapshot is replaced, never mutated) -------------------------------

    def _view(self) -> GraphView:
        if self._closed:
            raise StoreError("the store is closed")
        return self._graph

    def me(self) -> Me | None:
        return self._view().me

    def account(self, account_id: str) -> Account | None:
        return self._view().account(account_id)

    def account_doc(self, account_id: str) -> Mapping[str, Any] | None:
        """The stored document (read-only view; do not mutate nested values) for fast scans."""
        return self._view().account_doc(account_id)

    def account_ids(self) -> list[str]:
        return self._view().account_ids()

    def account_count(self) -> int:
        return len(self._view())

    def relationship(self, account_id: str) -> Relationship | None:
        return self._view().relationship(account_id)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship; objects are built on first use and cached."""
        return self._view().relationships()

    def follower_ids(self) -> set[str]:
        return set(self._view().follower_ids)

    def following_ids(self) -> set[str]:
        return set(self._view().following_ids)

    def mentions(self) -> list[Post]:
        return list(self._view().mentions)

    def my_posts(self) -> list[Post]:
        return list(self._view().my_posts)

    def graph_empty(self) -> bool:
        """True until a sync (or the demo) has stored a graph."""
        view = self._view()
        return len(view) == 0 and view.me is None

    def replace_graph(
        self,
        *,
        me: Me | None,
        accounts: Iterable[Account],
        relationships: Iterable[Relationship],
        mentions: Iterable[Post],
        my_posts: Iterable[Post],
        lists: Iterable[ListInfo],
        sync: SyncInfo,
    ) -> None:
        """Replace the whole graph (one write of graph.json), then lists + sync info (one write of state.json).

        Membership changes still waiting in the outbox are re-applied to the incoming lists, and lists created here
        but not yet on X are kept, so a sync does not hide them. Runs outside the state lock: keypresses are not blocked by the large write.
        """
        with paused_gc():
            tables = build_graph_tables(
                me=me,
                accounts=accounts,
                relationships=relationships,
                mentions=mentions,
                my_posts=my_posts,
                format_version=FORMAT_VERSION,
            )
        lists = list(lists)
        with self._graph_lock:
            self._view()
            storage = storage_of(self._gdb)
            storage.write(tables)
            reset_tables(self._gdb)
            self._graph = _graph_view(storage)
            self._maybe_freeze()
        with self.transaction():
            lists = _overlay_list_ops(lists, self.outbox(OPEN_STATES))
            lists += [info for info in self.lists() if info.local]  # created here, not yet on X
            table = self._sdb.table("lists")
            table.truncate()
            table.insert_multiple(info.to_doc() for info in lists)
            self._list_map = None
            self.set_sync_info(sync)

    # -- state: transactions and counters --------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Every state write inside the block lands in one atomic write at its end, or none on error.

        Re-entrant. Holds the store's lock for the block, so keep network calls out of it.
        """
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            with self._state.batch():
                yield

    def next_seq(self) -> int:
        """The next decision sequence number (persisted in state meta with the transaction)."""
        return self._bump_counter("seq")

    def _bump_counter(self, name: str) -> int:
        with self.transaction():
            value = int(self._meta().get(name, 0)) + 1
            self._sdb.table("meta").update({name: value}, doc_ids=[META_ID])
            return value

    def _meta(self) -> Mapping[str, Any]:
        tables = self._state.read() or {}
        meta: Mapping[str, Any] = tables.get("meta", {}).get(str(META_ID), {})
        return meta

    def _tables(self) -> Mapping[str, Mapping[str, dict[str, Any]]]:
        if self._closed:
            raise StoreError("the store is closed")
        return self._state.read() or {}

    # -- decisions -----------------------------------------------------------------------------------------

    def _forget_decoded(self) -> None:
        self._note_map = None
        self._decision_map = None
        self._outbox_map = None
        self._list_map = None

    def _decisions(self) -> dict[str, Decision]:
        if self._decision_map is None:
            table = self._tables().get("decisions", {})
            decisions = (self._decode_decision(key, doc) for key, doc in table.items())
            self._decision_map = {d.account_id: d for d in decisions}
        return self._decision_map

    def _decode_decision(self, key: str, doc: Mapping[str, Any]) -> Decision:
        try:
            return codec.decision_from_doc(doc)
        except (KeyError, ValueError, TypeError) as exc:
            raise StoreCorrupt(self.state_path, f"bad decision record {key}: {exc}") from exc

    def decisions(self) -> dict[str, Decision]:
        """The current decision of every account that has one."""
        with self._lock:
            return dict(self._decisions())

    def decision(self, account_id: str) -> Decision | None:
        with self._lock:
            return self._decisions().get(account_id)

    def decision_history(self, account_id: str) -> list[Decision]:
        """The earlier decisions of an account, oldest first (the last one is what undo goes back to)."""
        key = doc_key(account_id)
        with self._lock:
            doc = self._tables().get("decisions", {}).get(key or "")
            if not doc:
                return []
            return [self._decode_decision(str(key), h) for h in doc.get("history") or ()]

    def put_decision(self, decision: Decision, history: Sequence[Decision]) -> None:
        """Set an account's current decision and the earlier ones (oldest first) that undo goes back to."""
        doc_id = require_key(decision.account_id)
        record = codec.decision_record(decision, history)
        with self.transaction():
            decisions = self._decisions()
            self._sdb.table("decisions").upsert(Document(record, doc_id=doc_id))
            decisions[decision.account_id] = decision

    def remove_decision(self, account_id: str) -> None:
        key = doc_key(account_id)
        if key is None:
            return
        with self.transaction():
            decisions = self._decisions()
            self._sdb.table("decisions").remove(doc_ids=[int(key)])
            decisions.pop(account_id, None)

    # -- notes ---------------------------------------------------------------------------------------------

    def _notes(self) -> dict[str, Note]:
        if self._note_map is None:
            notes: dict[str, Note] = {}
            for key, doc in self._tables().get("notes", {}).items():
                try:
                    note = Note.from_doc(doc)
                except (KeyError, ValueError, TypeError) as exc:
                    raise StoreCorrupt(self.state_path, f"bad note record {key}: {exc}") from exc
                notes[note.account_id] = note
            self._note_map = notes
        return self._note_map

    def notes(self) -> dict[str, Note]:
        """Every account's private note."""
        with self._lock:
            return dict(self._notes())

    def note(self, account_id: str) -> Note | None:
        with self._lock:
            return self._notes().get(account_id)

    def put_note(self, note: Note) -> None:
        """Set an account's note; an empty text removes it."""
        doc_id = require_key(note.account_id)
        with self.transaction():
            notes = self._notes()
            table = self._sdb.table("notes")
            if note.text:
                table.upsert(Document(note.to_doc(), doc_id=doc_id))
                notes[note.account_id] = note
            elif note.account_id in notes:
                table.remove(doc_ids=[doc_id])
                del notes[note.account_id]

    # -- outbox --------------------------------------------------------------------------------------------

    def _outbox(self) -> dict[str, tuple[int, OutboxEntry]]:
        if self._outbox_map is None:
            table = self._tables().get("outbox", {})
            entries: dict[str, tuple[int, OutboxEntry]] = {}
            for key in sorted(table, key=int):
                try:
                    entry = codec.entry_from_doc(table[key])
                except (KeyError, ValueError, TypeError) as exc:
                    raise StoreCorrupt(self.state_path, f"bad outbox record {key}: {exc}") from exc
                entries[entry.id] = (int(key), entry)
            self._outbox_map = entries
        return self._outbox_map

    def outbox(self, states: Collection[OutboxState] | None = None) -> list[OutboxEntry]:
        """Outbox entries in creation order, optionally only those in ``states``."""
        with self._lock:
            entries = self._outbox().values()
            if states is None:
                return [entry for _, entry in entries]
            return [entry for _, entry in entries if entry.state in states]

    def outbox_entry(self, entry_id: str) -> OutboxEntry | None:
        with self._lock:
            hit = self._outbox().get(entry_id)
        return hit[1] if hit else None

    def add_outbox(self, entry: OutboxEntry) -> None:
        """Append an entry (its ``id`` must be new); it is stored under a doc ID that is never reused."""
        with self.transaction():
            entries = self._outbox()
            if entry.id in entries:
                raise StoreError(f"outbox entry {entry.id} already exists")
            doc_id = self._bump_counter("outbox_n")
            self._sdb.table("outbox").insert(Document(codec.entry_to_doc(entry), doc_id=doc_id))
            entries[entry.id] = (doc_id, entry)

    def update_outbox(self, entry: OutboxEntry) -> None:
        """Replace the stored entry with the same ``id``."""
        with self.transaction():
            entries = self._outbox()
            hit = entries.get(entry.id)
            if hit is None:
                raise StoreError(f"no outbox entry {entry.id}")
            self._sdb.table("outbox").update(codec.entry_to_doc(entry), doc_ids=[hit[0]])
            entries[entry.id] = (hit[0], entry)

    # -- lists ---------------------------------------------------------------------------------------------

    def _lists(self) -> dict[str, tuple[int, ListInfo]]:
        if self._list_map is None:
            table = self._tables().get("lists", {})
            lists: dict[str, tuple[int, ListInfo]] = {}
            for key in sorted(table, key=int):
                try:
                    info = ListInfo.from_doc(table[key])
                except (KeyError, ValueError, TypeError) as exc:
                    raise StoreCorrupt(self.state_path, f"bad list record {key}: {exc}") from exc
                lists[info.id] = (int(key), info)
            self._list_map = lists
        return self._list_map

    def lists(self) -> list[ListInfo]:
        with self._lock:
            return [info for _, info in self._lists().values()]

    def list_info(self, list_id: str) -> ListInfo | None:
        with self._lock:
            hit = self._lists().get(list_id)
        return hit[1] if hit else None

    def put_list(self, info: ListInfo, *, replacing: str | None = None) -> None:
        """Insert or replace one owned list, matched by its ID (or by ``replacing``, when its ID changes)."""
        with self.transaction():
            table = self._sdb.table("lists")
            hit = self._lists().get(replacing or info.id)
            if hit is None:
                table.insert(info.to_doc())
            else:
                table.update(info.to_doc(), doc_ids=[hit[0]])
            self._list_map = None

    # -- sync info -----------------------------------------------------------------------------------------

    def sync_info(self) -> SyncInfo:
        with self._lock:
            return codec.sync_from_doc(self._tables().get("sync", {}).get(str(META_ID)))

    def set_sync_info(self, info: SyncInfo) -> None:
        doc = codec.sync_to_doc(info)
        with self.transaction():
            self._sdb.table("sync").upsert(Document(doc, doc_id=META_ID))


def _graph_view(storage: AtomicJSONStorage) -> GraphView:
    try:
        return GraphView(storage.read())
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise StoreCorrupt(storage.path, f"unexpected content ({type(exc).__name__}: {exc})") from exc


def _check_format(db: TinyDB) -> None:
    """Stamp a new file with the format version; refuse one written by a newer followtui."""
    storage = storage_of(db)
    meta = (storage.read() or {}).get("meta", {}).get(str(META_ID))
    if meta is None:
        db.table("meta").insert(Document({"format_version": FORMAT_VERSION}, doc_id=META_ID))
        return
    version = meta.get("format_version")
    if not isinstance(version, int):
        raise StoreCorrupt(storage.path, f"format_version is missing or not a number: {version!r}")
    if version > FORMAT_VERSION:
        raise StoreError(
            f"{storage.path} was written by a newer followtui (data format {version}; this one reads "
            f"{FORMAT_VERSION}). Upgrade followtui to open it."
        )


def _overlay_list_ops(lists: list[ListInfo], entries: Iterable[OutboxEntry]) -> list[ListInfo]:
    by_id = {info.id: info for info in lists}
    for entry in entries:
        info = by_id.get(entry.list_id or "")
        if info is None:
            continue
        members = info.member_ids
        if entry.op is Op.LIST_ADD and entry.account_id not in members:
            by_id[info.id] = replace(info, member_ids=(*members, entry.account_id))
        elif entry.op is Op.LIST_REMOVE and entry.account_id in members:
            by_id[info.id] = replace(info, member_ids=tuple(m for m in members if m != entry.account_id))
    return [by_id[info.id] for info in lists]
