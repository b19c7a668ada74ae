"""TinyDB's ``Table`` with writes that cost one document, not the whole table: the state's tables.

TinyDB's own writes all go through ``Table._update_table``, which re-keys every document of the table (str -> int
-> str) and hands the whole database to ``Storage.write``: O(table) per write before any I/O, and a rewrite of
``state.json`` per keypress. ``LogTable`` is the ``table_class`` of ``StateDB`` (TinyDB's documented extension
point) and overrides the public write methods (``insert``, ``insert_multiple``, ``update``, ``remove``,
``truncate``; ``upsert`` is TinyDB's own, built on them) so that each changed document is one ``put`` on the
storage (``atomic.AtomicJSONStorage``): a transaction of them is one line appended to ``state.log``
(``statelog``), whatever the table's size. Reads are TinyDB's own: ``get(doc_id=…)`` is O(1) on the cached data;
``all``, iteration and ``search`` copy each document, O(table), as in TinyDB.

Measured (tinydb 4.9.0, this machine; docs/PERFORMANCE.md): one ``upsert`` by doc ID through TinyDB's ``Table``
on a ``MemoryStorage`` costs 0.42 ms at 1,000 documents, 8.3 ms at 20,000 and 55 ms at 100,000; through
``LogTable`` 0.016-0.025 ms at each size (the log append, without its fsync). What TinyDB cannot do cheaply stays
outside it: a query by condition scans the table, so the store keeps decoded maps and indexes (``outbox``) for
what a keypress looks up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any, Protocol

from tinydb import Storage, TinyDB
from tinydb.queries import QueryLike
from tinydb.table import Document, Table


class DocumentStorage(Protocol):
    """What ``LogTable`` needs of its storage (``atomic.AtomicJSONStorage``)."""

    on_reload: list[Callable[[], None]]

    def put(self, table: str, key: str, doc: dict[str, Any] | None) -> None: ...

    def documents(self, table: str) -> Mapping[str, Mapping[str, Any]]: ...

    def batch(self) -> Any: ...


class LogTable(Table):
    """A table whose writes are whole-document puts on its storage (see the module docstring)."""

    def __init__(
        self,
        storage: Storage,
        name: str,
        cache_size: int = Table.default_query_cache_capacity,
        persist_empty: bool = False,
    ) -> None:
        super().__init__(storage, name, cache_size=cache_size, persist_empty=persist_empty)
        if not hasattr(storage, "put"):
            raise TypeError(f"LogTable needs a storage with put(), not {type(storage).__name__}")
        self._docs: DocumentStorage = storage  # type: ignore[assignment]
        self._last_id: int | None = None  # the highest doc ID handed out or seen (computed once, then kept)
        self._docs.on_reload.append(self._forget)

    def _forget(self) -> None:
        self.clear_cache()
        self._last_id = None

    def _raw(self) -> Mapping[str, Mapping[str, Any]]:
        return self._docs.documents(self.name)

    def _new_id(self) -> int:
        if self._last_id is None:
            self._last_id = max((int(key) for key in self._raw()), default=0)
        self._last_id += 1
        return self._last_id

    def _seen_id(self, doc_id: int) -> None:
        if self._last_id is not None and doc_id > self._last_id:
            self._last_id = doc_id

    def put(self, doc_id: int, document: Mapping[str, Any] | None) -> None:
        """Set the whole document ``doc_id`` (created if new; ``None`` removes it). Not in TinyDB's ``Table``:
        ``update`` and ``upsert`` merge fields, and a stored record must not keep a field its new version lacks."""
        self._docs.put(self.name, str(doc_id), None if document is None else dict(document))
        if document is not None:
            self._seen_id(doc_id)
        self.clear_cache()

    # -- TinyDB's write API ---------------------------------------------------------------------------------

    def insert(self, document: Mapping[str, Any]) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        doc_ids: list[int] = []
        with self._docs.batch():
            for document in documents:
                if not isinstance(document, Mapping):
                    raise ValueError("Document is not a Mapping")
                doc_id = document.doc_id if isinstance(document, Document) else self._new_id()
                if str(doc_id) in self._raw():
                    raise ValueError(f"Document with ID {doc_id} already exists")
                self.put(doc_id, document)
                doc_ids.append(doc_id)
        return doc_ids

    def update(
        self,
        fields: Mapping[str, Any] | Callable[[MutableMapping[str, Any]], None],
        cond: QueryLike | None = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        updated: list[int] = []
        with self._docs.batch():
            raw = self._raw()
            for doc_id in self._targets(cond, doc_ids):
                new = dict(raw[str(doc_id)])
                if callable(fields):
                    fields(new)
                else:
                    new.update(fields)
                self.put(doc_id, new)
                updated.append(doc_id)
        return updated

    def remove(self, cond: QueryLike | None = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if cond is None and doc_ids is None:
            raise RuntimeError("Use truncate() to remove all documents")
        removed = self._targets(cond, doc_ids)
        with self._docs.batch():
            for doc_id in removed:
                self.put(doc_id, None)
        return removed

    def truncate(self) -> None:
        with self._docs.batch():
            for key in list(self._raw()):
                self.put(int(key), None)
        self._last_id = None

    def _targets(self, cond: QueryLike | None, doc_ids: Iterable[int] | None) -> list[int]:
        """The existing documents named by ``doc_ids`` (missing ones skipped, as TinyDB does), else by ``cond``."""
        raw = self._raw()
        if doc_ids is not None:
            return [doc_id for doc_id in doc_ids if str(doc_id) in raw]
        if cond is None:
            return [int(key) for key in raw]
        return [int(key) for key, doc in raw.items() if cond(doc)]


class StateDB(TinyDB):
    """A TinyDB whose tables are ``LogTable``s."""

    table_class = LogTable

    def table(self, name: str, **kwargs: Any) -> LogTable:
        table = super().table(name, **kwargs)
        assert isinstance(table, LogTable)
        return table
