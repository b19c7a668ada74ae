"""An append-only journal of JSON lines, each fsynced before ``append`` returns.

The sync, the profile lookups (hydrate) and the archive import each keep one: a run writes every answer it got
here (a sync also the cursor of the next page) before it goes on, so a run killed at any point resumes from its
last complete line; a run that cannot resume begins with ``restart(header)``. A line is complete when it parses
and ends with a newline; a torn tail (the write a ``kill -9`` interrupted) is cut off when the journal is opened,
before anything is appended.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from followtui.durable import fsync_dir
from followtui.store.errors import StoreError


class Journal:
    """Open with ``Journal.open(path)``: ``records`` holds every complete line already there."""

    def __init__(self, path: Path, records: list[dict[str, Any]], fsync: bool) -> None:
        self.path = path
        self.records = records
        self._fsync = fsync
        self._file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")

    @classmethod
    def open(cls, path: Path, *, fsync: bool = True) -> Journal:
        records: list[dict[str, Any]] = []
        good_end = 0
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = b""
        except OSError as error:
            raise StoreError(f"cannot read {path}: {error.strerror}") from error
        start = 0
        while start < len(raw):
            end = raw.find(b"\n", start)
            if end < 0:
                break  # torn tail: no newline
            try:
                record = orjson.loads(raw[start:end])
            except orjson.JSONDecodeError:
                break  # torn or damaged: everything from here on is dropped
            if not isinstance(record, dict):
                break
            records.append(record)
            start = good_end = end + 1
        if good_end < len(raw):
            with path.open("r+b") as f:
                f.truncate(good_end)
                _sync(f.fileno(), fsync)
        path.parent.mkdir(parents=True, exist_ok=True)
        journal = cls(path, records, fsync)
        if not raw:
            _sync_dir(path.parent, fsync)
        return journal

    def append(self, record: Mapping[str, Any]) -> None:
        """Write one record; durable when this returns."""
        line = orjson.dumps(record) + b"\n"
        self._file.write(line)
        self._file.flush()
        _sync(self._file.fileno(), self._fsync)
        self.records.append(dict(record))

    def restart(self, header: Mapping[str, Any]) -> None:
        """Empty the journal and write ``header`` as its first record: how every run that does not resume begins.

        Durable when this returns; a kill before that leaves an empty journal (nothing to resume) or the old one.
        """
        os.ftruncate(self._file.fileno(), 0)  # O_APPEND: the header goes to the new end
        self.records = []
        self.append(header)

    def close(self) -> None:
        self._file.close()

    def discard(self) -> None:
        """Close and delete the journal (its work is safely elsewhere now)."""
        self.close()
        self.path.unlink(missing_ok=True)
        _sync_dir(self.path.parent, self._fsync)


def _sync(fd: int, enabled: bool) -> None:
    if enabled:
        os.fsync(fd)


def _sync_dir(directory: Path, enabled: bool) -> None:
    if enabled and os.name == "posix":
        fsync_dir(directory)
