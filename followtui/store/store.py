"""The local cache: ``graph.jsonl`` (large, rewritten by a sync) and ``state.json`` (small; TinyDB) with its log.

All reads are served from memory. Writes to the state are serialised by one ``RLock`` and each public write (or
``transaction()`` block) is one durable write. Every state table is a ``tables.LogTable``, whose writes are
whole-document puts and deletes, so every transaction (a decision, an undo, a note, a list created, renamed or
deleted, an outbox change, the sync info) is one line appended to ``state.log``; ``state.json`` is rewritten only
when the log is compacted (at open, at close, past ``statelog.COMPACT_BYTES``; ``store/statelog.py``). The state's
documents are read through TinyDB (``get(doc_id=…)``, iteration) into decoded maps kept in step with each write,
and the outbox into an index (``store/outbox.py``) whose finished entries ``archive_outbox`` moves to
``outbox-history.jsonl``. Everything returned is an immutable domain object, a copy, or a read-only view.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from tinydb.table import Document

from followtui import gcpolicy
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
from followtui.domain.undo import UndoStep
from followtui.durable import remove_stray_tmp
from followtui.store import codec
from followtui.store.atomic import open_db, storage_of
from followtui.store.errors import StoreCorrupt, StoreError
from followtui.store.graph import GraphHead, GraphView, build_graph, canonical_key, did_key, doc_key
from followtui.store.graphfile import (
    GRAPH_FILE,
    LEGACY_GRAPH_FILE,
    GraphData,
    read_graph,
    read_legacy,
    write_graph,
)
from followtui.store.lock import DirLock
from followtui.store.outbox import HISTORY_FILE, History, OutboxIndex
from followtui.store.statelog import log_path
from followtui.store.tables import StateDB

FORMAT_VERSION = 2  # 2: graph.jsonl (rows, read line by line) instead of graph.json (format 1, migrated at open)
HEAD_FILE = "graph-head.json"  # the first screen's part of graph.jsonl (see GraphHead); a cache
STATE_FILE = "state.json"
CACHE_FILES = (GRAPH_FILE, HEAD_FILE, STATE_FILE, log_path(Path(STATE_FILE)).name, HISTORY_FILE)  # the lock aside
META_ID = 1
T = TypeVar("T")
OPEN_STATES = frozenset({OutboxState.PENDING, OutboxState.FAILED})


class Store:
    """The open data directory. Create with ``Store.open(path)``; close with ``close()`` or ``with``."""

    def __init__(
        self,
        data_dir: Path,
        lock: DirLock,
        state_db: StateDB,
        *,
        fsync: bool = True,
        head: GraphHead | None = None,
    ) -> None:
        self.data_dir = data_dir
        self._dir_lock = lock
        self._fsync = fsync
        self._sdb = state_db
        self._state = storage_of(state_db)
        self._lock = threading.RLock()
        self._graph_lock = threading.RLock()
        self._closed = False
        self._head = head  # until the full graph is loaded (``load_graph``): the first screen's part of it
        self._head_ok = head is not None  # graph-head.json matches graph.jsonl
        self._graph: GraphView | None = None
        if head is None:
            self._graph = GraphView(read_graph(self.graph_path))
        self._history = History(data_dir / HISTORY_FILE, fsync=fsync)
        # decoded state, updated in step with each write; dropped when the storage reloads (rollback)
        self._decision_map: dict[str, Decision] | None = None
        self._outbox_index: OutboxIndex | None = None
        self._list_map: dict[str, tuple[int, ListInfo]] | None = None
        self._note_map: dict[str, Note] | None = None
        self._state.on_reload.append(self._forget_decoded)

    # -- lifecycle ---------------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, fsync: bool = True) -> Store:
        """Open (creating if needed) the cache in ``data_dir``; raises StoreLocked, StoreCorrupt, StoreError.

        The cyclic GC is paused while the graph is parsed or built; freezing the loaded session is the app's
        start-up's to decide (``gcpolicy``).
        """
        data_dir = Path(data_dir)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = DirLock(data_dir)
        lock.acquire()
        dbs: list[StateDB] = []
        try:
            _migrate_graph(data_dir, fsync=fsync)
            for name in (GRAPH_FILE, HEAD_FILE):
                remove_stray_tmp(data_dir / name)
            dbs.append(open_db(data_dir / STATE_FILE, fsync=fsync, log=True))  # keypresses append to state.log
            _check_format(dbs[-1])
            storage_of(dbs[-1]).compact()  # fold in what the last run left in state.log
            head = GraphHead.load(data_dir / HEAD_FILE, data_dir / GRAPH_FILE)
            if head is not None and head.format_version > FORMAT_VERSION:
                head = None
            # without a head, graph.jsonl is read now; with one, later, by load_graph
            return cls(data_dir, lock, dbs[0], fsync=fsync, head=head)
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
            self._head = None
            try:
                with contextlib.suppress(OSError, StoreError):  # if it fails, state.log still holds it all
                    self._state.compact()  # fold state.log into state.json
            finally:
                self._sdb.close()
                self._dir_lock.release()

    def load_graph(self) -> None:
        """Read ``graph.jsonl`` now if only its head was loaded at open (the app calls this in a worker once
        the first page is shown; any read the head cannot answer calls it too). Refreshes a missing, stale or
        used-up head for the next start."""
        head = self._head
        self._full()
        with self._graph_lock:
            if not self._head_ok or (head is not None and head.used_up(self.decisions())):
                self._write_head()

    @property
    def graph_loaded(self) -> bool:
        return self._graph is not None

    def _full(self) -> GraphView:
        graph = self._graph
        if graph is not None:
            return graph
        with self._graph_lock:
            if self._closed:
                raise StoreError("the store is closed")
            if self._graph is None:
                self._graph = GraphView(read_graph(self.graph_path))
                self._head = None
            return self._graph

    def _write_head(self) -> None:
        """Write ``graph-head.json`` for the graph now loaded (best effort: it is a cache)."""
        graph = self._graph
        if graph is None or len(graph) == 0:
            return
        now = datetime.now(UTC)
        with self._lock:
            decided = {i for i, d in self._decisions().items() if d.active(now)}
        with contextlib.suppress(OSError):
            GraphHead.write(self.data_dir / HEAD_FILE, self.graph_path, graph, decided, FORMAT_VERSION)
            self._head_ok = True

    def _quick(self) -> GraphView | GraphHead:
        """The head while the full graph is not loaded, else the graph."""
        if self._closed:
            raise StoreError("the store is closed")
        if self._graph is not None:
            return self._graph
        return self._head or self._full()

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
        return self._full()

    def me(self) -> Me | None:
        return self._quick().me

    def account(self, account_id: str) -> Account | None:
        quick = self._quick()
        if isinstance(quick, GraphHead) and account_id in quick:
            return quick.account(account_id)
        return self._view().account(account_id)

    def account_doc(self, account_id: str) -> Mapping[str, Any] | None:
        """The stored document (read-only view; do not mutate nested values) for fast scans."""
        quick = self._quick()
        if isinstance(quick, GraphHead) and account_id in quick:
            return quick.account_doc(account_id)
        return self._view().account_doc(account_id)

    def account_ids(self) -> list[str]:
        return self._view().account_ids()

    def account_ids_with_posts(self) -> set[str]:
        """The accounts whose recent posts are cached."""
        return self._view().account_ids_with_posts()

    def muted_account_ids(self) -> set[str]:
        """The accounts muted on X (known from a data archive)."""
        return self._view().muted_account_ids()

    def inactive_account_ids(self) -> set[str]:
        """The accounts known to be suspended or deleted."""
        return self._view().inactive_account_ids()

    def relationship(self, account_id: str) -> Relationship | None:
        quick = self._quick()
        if isinstance(quick, GraphHead) and account_id in quick:
            return quick.relationship(account_id)
        return self._view().relationship(account_id)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship; objects are built on first use and cached."""
        return self._view().relationships()

    def follower_ids(self) -> set[str]:
        return set(self._view().follower_ids)

    def following_ids(self) -> set[str]:
        return set(self._view().following_ids)

    def followed(self) -> frozenset[str]:
        """The IDs the user follows (the snapshot's own set: no copy)."""
        return self._view().following_ids

    def search(self, words: Iterable[str]) -> set[str]:
        """The accounts whose handle, name, bio or location contains every (case-folded) word."""
        return self._view().text_index().find_all(words)

    def warm_search(self) -> None:
        """Build the search index now (it is built on first use otherwise)."""
        self._view().text_index()

    def one_way_followers(self) -> Sequence[str]:
        """Followers the user does not follow, newest first; computed once per graph (read-only)."""
        return self._quick().one_way_followers()

    def in_head(self, account_ids: Iterable[str]) -> bool:
        """Whether reading these accounts needs no parse of the full graph (it is loaded, or they are in the head)."""
        quick = self._quick()
        return not isinstance(quick, GraphHead) or all(i in quick for i in account_ids)

    def mentions(self) -> list[Post]:
        return list(self._quick().mentions)

    def my_posts(self) -> list[Post]:
        return list(self._quick().my_posts)

    def graph_empty(self) -> bool:
        """True until a sync (or the demo) has stored a graph."""
        quick = self._quick()
        count = quick.count if isinstance(quick, GraphHead) else len(quick)
        return count == 0 and quick.me is None

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
        docs: Mapping[str, tuple[Account, dict[str, Any]]] | None = None,
    ) -> None:
        """Replace the whole graph (one write of graph.jsonl), then lists + sync info (one write of state.json).

        ``docs``: account documents already made from these very ``Account`` objects (see ``build_graph``).

        What the user did to lists and X may not show yet is kept (see ``_overlay_list_ops``): membership changes
        still waiting in the outbox, lists created here, renames and deletions, so a sync neither hides nor
        resurrects them. Runs outside the state lock: keypresses are not blocked by the large write.
        """
        with gcpolicy.paused():
            data = build_graph(
                me=me, accounts=accounts, relationships=relationships, mentions=mentions, my_posts=my_posts, docs=docs
            )
        lists = list(lists)
        with self._graph_lock:
            self._view()
            self._install(data)
        with self.transaction():
            lists = _overlay_list_ops(lists, self.lists(), self.outbox(), sync.last_sync)
            self._replace_lists(lists)
            self.set_sync_info(sync)

    def replace_accounts(self, accounts: Iterable[Account]) -> None:
        """Replace every account, keeping the relationships, posts, lists and sync info (one write of graph.jsonl)."""
        with self._graph_lock:
            with gcpolicy.paused():
                data = self._view().with_accounts(accounts)
            self._install(data)

    def _install(self, data: GraphData) -> None:
        """Write ``data`` as the graph and serve it from now on (with the graph lock held)."""
        write_graph(self.graph_path, data, fsync=self._fsync)
        self._graph = GraphView(data)
        self._head = None
        self._write_head()

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
            self._put_doc("meta", META_ID, {**self._meta(), name: value})
            return value

    def _put_doc(self, table: str, doc_id: int, doc: dict[str, Any] | None) -> None:
        """Set (``None``: delete) one whole document of a state table, inside a transaction: one change of the
        transaction's state.log line (``tables.LogTable``)."""
        self._sdb.table(table).put(doc_id, doc)

    def _meta(self) -> Mapping[str, Any]:
        return self._doc("meta", META_ID) or {}

    def _doc(self, table: str, doc_id: int) -> Mapping[str, Any] | None:
        """One stored document (TinyDB's ``get``: O(1), a shallow copy)."""
        if self._closed:
            raise StoreError("the store is closed")
        doc = self._sdb.table(table).get(doc_id=doc_id)
        assert not isinstance(doc, list)
        return doc

    def _documents(self, table: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every document of a state table with its doc ID (TinyDB's iteration), for building the decoded maps."""
        if self._closed:
            raise StoreError("the store is closed")
        for doc in self._sdb.table(table):
            yield doc.doc_id, doc

    def _decoded(self, table: str, decode: Callable[[dict[str, Any]], T]) -> Iterator[tuple[int, T]]:
        for doc_id, doc in self._documents(table):
            try:
                yield doc_id, decode(doc)
            except (KeyError, ValueError, TypeError) as exc:
                raise StoreCorrupt(self.state_path, f"bad {table.removesuffix('s')} record {doc_id}: {exc}") from exc

    # -- decisions -----------------------------------------------------------------------------------------

    def _forget_decoded(self) -> None:
        self._note_map = None
        self._decision_map = None
        self._outbox_index = None
        self._list_map = None

    def _decisions(self) -> dict[str, Decision]:
        if self._decision_map is None:
            decisions = self._decoded("decisions", codec.decision_from_doc)
            self._decision_map = {d.account_id: d for _, d in decisions}
        return self._decision_map

    def decisions(self) -> dict[str, Decision]:
        """The current decision of every account that has one."""
        with self._lock:
            return dict(self._decisions())

    def decision(self, account_id: str) -> Decision | None:
        with self._lock:
            return self._decisions().get(account_id)

    def decision_history(self, account_id: str) -> list[Decision]:
        """The earlier decisions of an account, oldest first (the last one is what undo goes back to)."""
        with self._lock:
            key = self._slot("decisions", account_id, free=False)
            doc = self._doc("decisions", key) if key is not None else None
            if not doc:
                return []
            try:
                return [codec.decision_from_doc(h) for h in doc.get("history") or ()]
            except (KeyError, ValueError, TypeError) as exc:
                raise StoreCorrupt(self.state_path, f"bad decision record {key}: {exc}") from exc

    def all_decisions(self) -> list[tuple[Decision, bool]]:
        """Every stored decision with whether it is the account's current one (earlier ones are kept for undo);
        in no order. O(decisions): call it from a worker."""
        with self._lock:
            current = list(self._decisions().values())
            try:
                earlier = [
                    codec.decision_from_doc(h)
                    for _, doc in self._documents("decisions")
                    for h in doc.get("history") or ()
                ]
            except (KeyError, ValueError, TypeError) as exc:
                raise StoreCorrupt(self.state_path, f"bad decision record: {exc}") from exc
        return [(d, True) for d in current] + [(d, False) for d in earlier]

    def put_decision(self, decision: Decision, history: Sequence[Decision]) -> None:
        """Set an account's current decision and the earlier ones (oldest first) that undo goes back to."""
        record = codec.decision_record(decision, history)
        with self.transaction():
            decisions = self._decisions()
            doc_id = self._slot("decisions", decision.account_id, free=True)
            assert doc_id is not None
            self._put_doc("decisions", doc_id, record)
            decisions[decision.account_id] = decision

    def remove_decision(self, account_id: str) -> None:
        with self.transaction():
            key = self._slot("decisions", account_id, free=False)
            if key is None:
                return
            decisions = self._decisions()
            self._sdb.table("decisions").remove(doc_ids=[key])
            decisions.pop(account_id, None)

    def _slot(self, table: str, account_id: str, *, free: bool) -> int | None:
        """The doc ID of an account's document in ``table`` (decisions, notes): its X ID, or for a DID (Bluesky)
        ``did_key``'s hash of it, past any other DID's document there. None when it has none, unless ``free``:
        then the free doc ID to put it at. Raises ValueError for an ID that is neither."""
        key = doc_key(account_id)
        if key is not None:
            return int(key)
        canonical_key(account_id)
        doc_id = did_key(account_id)
        while (doc := self._doc(table, doc_id)) is not None and doc.get("account_id") != account_id:
            doc_id = did_key(account_id, doc_id)  # a hash collision: 1 in 2**63 per pair of DIDs
        return doc_id if doc is not None or free else None

    def _reachable_seqs(self) -> set[int]:
        """The sequence numbers of every decision undo can still reach (current ones and their histories)."""
        seqs: set[int] = set()
        for _, doc in self._documents("decisions"):
            seqs.add(int(doc.get("seq", 0)))
            seqs.update(int(h.get("seq", 0)) for h in doc.get("history") or ())
        return seqs

    # -- notes ---------------------------------------------------------------------------------------------

    def _notes(self) -> dict[str, Note]:
        if self._note_map is None:
            self._note_map = {note.account_id: note for _, note in self._decoded("notes", Note.from_doc)}
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
        with self.transaction():
            notes = self._notes()
            doc_id = self._slot("notes", note.account_id, free=True)
            assert doc_id is not None
            if note.text:
                self._put_doc("notes", doc_id, note.to_doc())
                notes[note.account_id] = note
            elif note.account_id in notes:
                self._put_doc("notes", doc_id, None)
                del notes[note.account_id]

    # -- undo steps ----------------------------------------------------------------------------------------

    def push_undo(self, step: UndoStep, *, keep: int) -> UndoStep:
        """Store ``step`` as the newest undo step (its ``id`` is given here); only the newest ``keep`` stay."""
        with self.transaction():
            step = replace(step, id=self._bump_counter("undo_n"))
            self._put_doc("undo", step.id, step.to_doc())
            for doc_id in [i for i, _ in self._documents("undo") if i <= step.id - keep]:
                self._put_doc("undo", doc_id, None)
        return step

    def undo_steps(self) -> list[UndoStep]:
        """The stored undo steps, newest first (at most the ``keep`` of ``push_undo``)."""
        with self._lock:
            return [step for _, step in sorted(self._decoded("undo", UndoStep.from_doc), reverse=True)]

    def last_undo(self) -> UndoStep | None:
        """The newest undo step, if any."""
        with self._lock:
            newest = max((doc_id for doc_id, _ in self._documents("undo")), default=None)
            if newest is None:
                return None
            doc = self._doc("undo", newest)
            assert doc is not None
            try:
                return UndoStep.from_doc(dict(doc))
            except (KeyError, ValueError, TypeError) as exc:
                raise StoreCorrupt(self.state_path, f"bad undo record {newest}: {exc}") from exc

    def put_undo(self, step: UndoStep) -> None:
        """Replace a stored undo step (same ``id``)."""
        with self.transaction():
            self._put_doc("undo", step.id, step.to_doc())

    def drop_undo(self, step_id: int) -> None:
        """Forget an undo step (it was undone)."""
        with self.transaction():
            self._put_doc("undo", step_id, None)

    # -- outbox --------------------------------------------------------------------------------------------

    def _outbox(self) -> OutboxIndex:
        if self._outbox_index is None:
            self._outbox_index = OutboxIndex(self._decoded("outbox", codec.entry_from_doc))
        return self._outbox_index

    def outbox(self, states: Collection[OutboxState] | None = None) -> list[OutboxEntry]:
        """Outbox entries the state keeps, in creation order, optionally only those in ``states``.

        Finished entries (done, cancelled) stay for a day (and while undo can reach their decision), then
        ``archive_outbox`` moves them to ``outbox_history()``. Asking for unfinished states only reads an index.
        """
        with self._lock:
            return self._outbox().all(states)

    def open_outbox(self, account_id: str | None = None, list_id: str | None = None) -> list[OutboxEntry]:
        """The unfinished entries (pending, failed, manual, by hand) of an account and/or a list, in creation
        order; O(those entries), however big the outbox."""
        with self._lock:
            return self._outbox().unfinished(account_id, list_id)

    def outbox_for_seq(self, seq: int) -> OutboxEntry | None:
        """The newest kept entry made for the decision with sequence number ``seq`` (O(1))."""
        with self._lock:
            return self._outbox().for_seq(seq)

    def outbox_entry(self, entry_id: str) -> OutboxEntry | None:
        with self._lock:
            return self._outbox().get(entry_id)

    def add_outbox(self, entry: OutboxEntry) -> None:
        """Append an entry (its ``id`` must be new); it is stored under a doc ID that is never reused."""
        self.add_outbox_many([entry])

    def update_outbox(self, entry: OutboxEntry) -> None:
        """Replace the stored entry with the same ``id``."""
        self.update_outbox_many([entry])

    def add_outbox_many(self, new: Sequence[OutboxEntry]) -> None:
        """``add_outbox`` for a batch (a list change of thousands of accounts), in one transaction."""
        with self.transaction(), gcpolicy.paused():
            entries = self._outbox()
            seen: set[str] = set()
            for entry in new:
                if entry.id in entries or entry.id in seen:
                    raise StoreError(f"outbox entry {entry.id} already exists")
                seen.add(entry.id)
            if not new:
                return
            first = int(self._meta().get("outbox_n", 0)) + 1
            self._sdb.table("meta").update({"outbox_n": first + len(new) - 1}, doc_ids=[META_ID])
            for i, entry in enumerate(new):
                self._put_doc("outbox", first + i, codec.entry_to_doc(entry))
                entries.set(first + i, entry)

    def update_outbox_many(self, changed: Sequence[OutboxEntry]) -> None:
        """``update_outbox`` for a batch, in one transaction."""
        with self.transaction():
            entries = self._outbox()
            missing = [entry.id for entry in changed if entry.id not in entries]
            if missing:
                raise StoreError(f"no outbox entry {missing[0]}")
            for entry in changed:
                doc_id = entries.doc_id(entry.id)
                assert doc_id is not None
                self._put_doc("outbox", doc_id, codec.entry_to_doc(entry))
                entries.set(doc_id, entry)

    def archive_outbox(self, now: datetime) -> int:
        """Move the finished entries the state no longer needs to the history file; how many (see ``outbox``).

        The history is appended (fsynced) first, then the entries are deleted from the state in one transaction.
        """
        with self.transaction(), gcpolicy.paused():  # thousands of containers made, none in cycles
            entries = self._outbox()
            retired = entries.retire(now, self._reachable_seqs() if len(entries) else ())
            if not retired:
                return 0
            self._history.append(retired)
            for entry in retired:
                doc_id = entries.doc_id(entry.id)
                assert doc_id is not None
                self._put_doc("outbox", doc_id, None)
                entries.drop(entry.id)
            return len(retired)

    def outbox_history(self) -> list[OutboxEntry]:
        """The finished entries moved out of the state, oldest first (read from the history file: not per key)."""
        return self._history.read()

    # -- lists ---------------------------------------------------------------------------------------------

    def _lists(self) -> dict[str, tuple[int, ListInfo]]:
        if self._list_map is None:
            self._list_map = {info.id: (doc_id, info) for doc_id, info in self._decoded("lists", ListInfo.from_doc)}
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
            lists = self._lists()
            hit = lists.get(replacing or info.id)
            if hit is None:
                lists[info.id] = (table.insert(info.to_doc()), info)
                return
            self._put_doc("lists", hit[0], info.to_doc())
            if replacing and replacing != info.id:
                self._list_map = None  # the order stays the stored one
            else:
                lists[info.id] = (hit[0], info)

    def remove_list(self, list_id: str) -> None:
        """Forget one owned list (no-op if unknown)."""
        with self.transaction():
            hit = self._lists().pop(list_id, None)
            if hit is not None:
                self._put_doc("lists", hit[0], None)

    def _replace_lists(self, lists: Iterable[ListInfo]) -> None:
        table = self._sdb.table("lists")
        table.truncate()
        table.insert_multiple(info.to_doc() for info in lists)
        self._list_map = None

    # -- sync info -----------------------------------------------------------------------------------------

    def sync_info(self) -> SyncInfo:
        with self._lock:
            doc = self._doc("sync", META_ID)
            return codec.sync_from_doc(dict(doc) if doc is not None else None)

    def set_sync_info(self, info: SyncInfo) -> None:
        with self.transaction():
            self._put_doc("sync", META_ID, codec.sync_to_doc(info))


def _migrate_graph(data_dir: Path, *, fsync: bool) -> None:
    """Turn a format-1 ``graph.json`` into ``graph.jsonl`` (once; a crash midway redoes it or finds it done)."""
    legacy = data_dir / LEGACY_GRAPH_FILE
    if not legacy.exists():
        return
    target = data_dir / GRAPH_FILE
    if not target.exists():
        data, version = read_legacy(legacy)
        if version > FORMAT_VERSION:
            raise StoreError(f"{legacy} was written by a newer followtui (data format {version}). Upgrade followtui.")
        write_graph(target, data, fsync=fsync)
    (data_dir / HEAD_FILE).unlink(missing_ok=True)
    legacy.unlink()


def _check_format(db: StateDB) -> None:
    """Stamp a new file (or an older format's) with the format version; refuse one written by a newer followtui.

    The stamp keeps an older followtui away from a directory it would misread (it knows neither graph.jsonl nor
    anything written since).
    """
    storage = storage_of(db)
    meta = db.table("meta").get(doc_id=META_ID)
    if meta is None:
        db.table("meta").insert(Document({"format_version": FORMAT_VERSION}, doc_id=META_ID))
        return
    assert not isinstance(meta, list)
    version = meta.get("format_version")
    if not isinstance(version, int):
        raise StoreCorrupt(storage.path, f"format_version is missing or not a number: {version!r}")
    if version < FORMAT_VERSION:
        db.table("meta").update({"format_version": FORMAT_VERSION}, doc_ids=[META_ID])
    if version > FORMAT_VERSION:
        raise StoreError(
            f"{storage.path} was written by a newer followtui (data format {version}; this one reads "
            f"{FORMAT_VERSION}). Upgrade followtui to open it."
        )


def _overlay_list_ops(
    incoming: list[ListInfo], local: list[ListInfo], entries: Iterable[OutboxEntry], sync_started: datetime | None
) -> list[ListInfo]:
    """The lists a sync read from X, with what the user did that X may not show yet.

    A list with a delete call (sent or not: an X list ID is never reused) stays deleted. A list's name and
    description stay as here while its update call is unsent, or was sent after the sync started (the sync may
    have read the list before). A list created here stays: not yet on X, or created there after the sync started.
    Membership changes still unsent, or sent after the sync started, are re-applied.
    """
    here = {info.id: info for info in local}
    by_id = {info.id: info for info in incoming}
    deleted: set[str] = set()
    for entry in entries:
        list_id = entry.list_id or ""
        if entry.state is OutboxState.CANCELLED or not list_id:
            continue
        since = entry.state in OPEN_STATES or (
            sync_started is not None and entry.attempted_at is not None and entry.attempted_at >= sync_started
        )
        if entry.op is Op.LIST_DELETE:
            deleted.add(list_id)
        elif entry.op is Op.LIST_CREATE and since and list_id in here and list_id not in by_id:
            by_id[list_id] = here[list_id]
            incoming = [*incoming, here[list_id]]
        elif entry.op is Op.LIST_UPDATE and since and list_id in here and list_id in by_id:
            mine = here[list_id]
            by_id[list_id] = replace(by_id[list_id], name=mine.name, description=mine.description)
        elif entry.op in (Op.LIST_ADD, Op.LIST_REMOVE) and since and list_id in by_id:
            info = by_id[list_id]
            members = info.member_ids
            if entry.op is Op.LIST_ADD and entry.account_id not in members:
                by_id[list_id] = replace(info, member_ids=(*members, entry.account_id))
            elif entry.op is Op.LIST_REMOVE and entry.account_id in members:
                by_id[list_id] = replace(info, member_ids=tuple(m for m in members if m != entry.account_id))
    kept = [by_id[info.id] for info in incoming if info.id not in deleted]
    return kept + [info for info in local if info.local and info.id not in by_id]  # created here, not yet on X
