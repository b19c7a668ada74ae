"""A crash-safe TinyDB storage: orjson, atomic replace, an in-memory read cache and deferred batches.

Every write serialises the whole database, writes it to a temp file in the same directory, fsyncs it,
``os.replace``-s it over the old file and fsyncs the directory, so a ``kill -9`` leaves either the old or the
new complete file. Reads are served from memory; the file is parsed once.
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage, TinyDB

from followtui.store.errors import StoreCorrupt, StoreError

Data = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic, fsynced writes and a read cache.

    ``batch()`` defers writes so that several table changes land in one file write at the end of the block.
    ``generation`` grows with every change of the in-memory state so callers can cache what they derive from it.
    """

    def __init__(self, path: str | os.PathLike[str], fsync: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self._fsync = fsync
        self._cache: Data | None = None
        self._batch_depth = 0
        self._dirty = False
        self._aborted = False
        self.generation = 0
        self.on_reload: list[Callable[[], None]] = []
        self._remove_stray_tmp()

    # -- Storage interface -------------------------------------------------------------------------------

    def read(self) -> Data | None:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    def write(self, data: Data) -> None:
        if self._aborted:
            raise StoreError("this transaction was rolled back by an earlier error")
        self.generation += 1
        if self._batch_depth:
            self._cache = data
            self._dirty = True
            return
        try:
            self._write_file(data)
        except BaseException:
            self.drop_cache()
            raise
        self._cache = data

    def close(self) -> None:
        self._cache = None

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

    @property
    def in_batch(self) -> bool:
        return self._batch_depth > 0

    def drop_cache(self) -> None:
        """Forget the in-memory state; the next read reloads the last good file."""
        self._cache = None
        self.generation += 1
        for callback in self.on_reload:
            callback()

    # -- file I/O ----------------------------------------------------------------------------------------

    def _load(self) -> Data | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreCorrupt(self.path, f"cannot read it: {exc.strerror or exc}") from exc
        if not raw.strip():
            return None
        try:
            with paused_gc():
                data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise StoreCorrupt(self.path, f"not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupt(self.path, "not a TinyDB database (expected an object of tables)")
        return data

    def _write_file(self, data: Data) -> None:
        payload = orjson.dumps(data)  # fails before any file is touched
        directory = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:  # mkstemp creates the file 0600, whatever the umask
                fh.write(payload)
                fh.flush()
                if self._fsync:
                    os.fsync(fh.fileno())
            tmp.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        if self._fsync and os.name != "nt":  # make the rename itself durable
            _fsync_dir(directory)

    def _remove_stray_tmp(self) -> None:
        """Temp files left by a writer killed mid-write hold nothing the real file lacks."""
        prefix = self.path.name + "."
        with contextlib.suppress(FileNotFoundError):
            for entry in self.path.parent.iterdir():
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        entry.unlink()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many containers: it would rescan them over and over (2x at 100k)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fsync_dir(directory: Path) -> None:
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def open_db(path: Path, fsync: bool = True, *, load: bool = True) -> TinyDB:
    """A TinyDB on an ``AtomicJSONStorage`` whose tables forget their caches when the storage reloads.

    With ``load`` (the default) the file is parsed now, so a corrupt file fails at open, not at the first keypress.
    """
    db = TinyDB(path, storage=AtomicJSONStorage, fsync=fsync)
    storage = storage_of(db)
    storage.on_reload.append(lambda: reset_tables(db))
    if load:
        storage.read()
    return db


def storage_of(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    if not isinstance(storage, AtomicJSONStorage):
        raise TypeError(f"expected an AtomicJSONStorage, got {type(storage).__name__}")
    return storage


def reset_tables(db: TinyDB) -> None:
    """Clear TinyDB's per-table query caches and next-id counters (stale after a rollback or a bulk write)."""
    for table in getattr(db, "_tables", {}).values():
        table.clear_cache()
        table._next_id = None
