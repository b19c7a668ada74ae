"""A crash-safe TinyDB storage: orjson, atomic replace, an in-memory read cache and deferred batches.

A whole write serialises the whole database, writes it to a temp file in the same directory, fsyncs it,
``os.replace``-s it over the old file and fsyncs the directory, so a ``kill -9`` leaves either the old or the
new complete file. Reads are served from memory; the file is parsed once.

With ``log=True`` (``state.json``), a batch whose changes are only whole-document ``put``s is instead one line
appended to an fsynced log next to the file (see ``statelog``): a keypress costs the same however big the file is.
The state's tables (``tables.LogTable``) write only through ``put``, so every transaction of the store is such a
batch; ``write`` (a whole database, from TinyDB's own ``drop_table`` and the like) rewrites the file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage, TinyDB

from followtui import gcpolicy
from followtui.durable import remove_stray_tmp, replacing
from followtui.store import statelog
from followtui.store.errors import StoreCorrupt, StoreError
from followtui.store.statelog import Data, StateLog
from followtui.store.tables import StateDB


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic, fsynced writes and a read cache.

    ``batch()`` defers writes so that several table changes land in one durable write at the end of the block.
    With ``log``, ``put`` changes go to the state log; ``compact()`` folds the log into the file.
    """

    def __init__(self, path: str | os.PathLike[str], fsync: bool = True, log: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self._fsync = fsync
        self._cache: Data | None = None
        self._batch_depth = 0
        self._dirty = False
        self._aborted = False
        self.on_reload: list[Callable[[], None]] = []
        self._log = StateLog(statelog.log_path(self.path), fsync=fsync) if log else None
        self._epoch = 0  # the file's epoch (see statelog); log lines carry it
        self._changes: dict[tuple[str, str], dict[str, Any] | None] = {}  # this batch's puts, if that is all
        self._whole = False  # this batch changed the data through ``write``: the file is rewritten
        self._remove_stray_tmp()

    # -- Storage interface -------------------------------------------------------------------------------

    def read(self) -> Data | None:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    def write(self, data: Data) -> None:
        if self._aborted:
            raise StoreError("this transaction was rolled back by an earlier error")
        if self._batch_depth:
            self._cache = data
            self._dirty = self._whole = True
            return
        try:
            self._write_file(data)  # outside a batch nothing is pending: a whole write
        except BaseException:
            self.drop_cache()
            raise
        self._cache = data

    def put(self, table: str, key: str, doc: dict[str, Any] | None) -> None:
        """Set one whole document (``None``: delete it); a batch of only these is one log line when committed."""
        if self._aborted:
            raise StoreError("this transaction was rolled back by an earlier error")
        with self.batch():
            data = self.read()
            if data is None:
                data = self._cache = {}
            statelog.apply(data, [(table, key, doc)])
            self._changes[(table, key)] = doc
            self._dirty = True

    def documents(self, table: str) -> Mapping[str, dict[str, Any]]:
        """The raw documents of ``table`` by key (read-only: the live cache)."""
        return (self.read() or {}).get(table, {})

    def compact(self) -> None:
        """Fold a non-empty log into the file (one atomic rewrite) and empty it (at open and close)."""
        if self._log is None or self._batch_depth:
            return
        data = self.read()
        if self._log.size == 0:
            return
        try:
            self._replace_file(data or {})
        except BaseException:
            self.drop_cache()
            raise

    def close(self) -> None:
        self._cache = None
        if self._log is not None:
            self._log.close()

    # -- batches -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Defer every write inside the block to one atomic write at its end; nothing is written on error.

        Re-entrant: a nested batch joins the outer one. If the block raises, the in-memory state is dropped and
        reloaded from disk (the last good state), and ``on_reload`` callbacks run.
        """
        if self._batch_depth:
            self._batch_depth += 1
            try:
                yield
            except BaseException:
                self._aborted = True  # the outer block must not commit a half-done change
                self.drop_cache()
                raise
            finally:
                self._batch_depth -= 1
            return
        self.read()  # make sure the state the block builds on is the file's
        self._batch_depth = 1
        self._dirty = False
        self._aborted = False
        self._changes.clear()
        self._whole = False
        try:
            yield
            if self._aborted:
                raise StoreError("a nested transaction failed; nothing was written")
            if self._dirty and self._cache is not None:
                self._write_file(self._cache)
        except BaseException:
            self.drop_cache()
            raise
        finally:
            self._batch_depth = 0
            self._dirty = False
            self._aborted = False
            self._changes.clear()
            self._whole = False

    def drop_cache(self) -> None:
        """Forget the in-memory state; the next read reloads the last good file."""
        self._cache = None
        for callback in self.on_reload:
            callback()

    # -- file I/O ----------------------------------------------------------------------------------------

    def _load(self) -> Data | None:
        data = self._read_file()
        if self._log is None:
            return data
        try:
            self._epoch = statelog.split_epoch(data) if data is not None else 0
        except ValueError as exc:
            raise StoreCorrupt(self.path, str(exc)) from exc
        replayed = data if data is not None else {}
        if self._log.replay(replayed, self._epoch, self.path.name) or data is not None:
            return replayed
        return None

    def _read_file(self) -> Data | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreCorrupt(self.path, f"cannot read it: {exc.strerror or exc}") from exc
        if not raw.strip():
            return None
        try:
            with gcpolicy.paused():
                data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise StoreCorrupt(self.path, f"not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupt(self.path, "not a TinyDB database (expected an object of tables)")
        return data

    def _write_file(self, data: Data) -> None:
        """Make ``data`` durable in one write: the batch's puts as one log line when they are all it changed and
        the log stays under ``statelog.COMPACT_BYTES``, else the whole file (which empties the log)."""
        if self._log is not None and self._changes and not self._whole:
            line = statelog.encode(self._epoch, [(t, k, doc) for (t, k), doc in self._changes.items()])
            if self._log.can_append(len(line)):
                self._log.append(line)
                return
        self._replace_file(data)

    def _replace_file(self, data: Data) -> None:
        if self._log is None:
            self._atomic_write(orjson.dumps(data))
            return
        if self._cache is None:
            self._load()  # the file's epoch and the log's size, as they are now
        epoch = self._epoch + 1
        self._atomic_write(orjson.dumps(statelog.with_epoch(data, epoch)))  # the log's lines are now folded in
        self._epoch = epoch
        self._log.clear()

    def _atomic_write(self, payload: bytes) -> None:
        with replacing(self.path, fsync=self._fsync) as fh:
            fh.write(payload)

    def _remove_stray_tmp(self) -> None:
        remove_stray_tmp(self.path)


def open_db(path: Path, fsync: bool = True, *, load: bool = True, log: bool = False) -> StateDB:
    """A TinyDB (``StateDB``: its tables write one document at a time) on an ``AtomicJSONStorage``.

    With ``load`` (the default) the file is parsed now, so a corrupt file fails at open, not at the first keypress.
    ``log``: keep whole-document puts in a state log next to the file (see ``AtomicJSONStorage``).
    """
    db = StateDB(path, storage=AtomicJSONStorage, fsync=fsync, log=log)
    if load:
        storage_of(db).read()
    return db


def storage_of(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    if not isinstance(storage, AtomicJSONStorage):
        raise TypeError(f"expected an AtomicJSONStorage, got {type(storage).__name__}")
    return storage
