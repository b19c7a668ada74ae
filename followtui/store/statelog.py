"""An append-only log of whole-document changes next to a JSON state file (``state.json`` -> ``state.log``).

A keypress changes a few small documents; rewriting the whole state file for it costs time that grows with the
number of stored decisions. Instead each committed transaction of document puts is one line appended to the log
and fsynced; the state file is rewritten only now and then (compaction), which empties the log.

A line is ``[epoch, [[table, key, doc-or-null], ...]]`` (null deletes the document). ``epoch`` is the state file's
epoch when the line was written; every rewrite of the state file stores the next epoch, so after a crash between
the rewrite and the emptying of the log, the lines already folded into the file (older epoch) are skipped, and a
later change the rewrite held (a deletion, say) is never undone by replaying an older put.

A kill during an append leaves a torn last line (no newline, or not JSON): it was never acknowledged, so it is
dropped and cut off. A bad line before the last one is corruption and raises ``StoreCorrupt``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from followtui.durable import fsync_dir, write_all
from followtui.store.errors import StoreCorrupt, StoreError

Data = dict[str, dict[str, Any]]
Change = tuple[str, str, dict[str, Any] | None]  # table, key, whole document (None: deleted)

_datasync = getattr(os, "fdatasync", os.fsync)  # data and size, not mtime (macOS has no fdatasync)
COMPACT_BYTES = 1 << 20  # a commit that would grow the log past this rewrites the state file instead
EPOCH_TABLE = "_statelog"  # in the state file: {"1": {"epoch": n}}; hidden from TinyDB by the storage
_EPOCH_KEY = "1"


def log_path(state_path: Path) -> Path:
    return state_path.with_suffix(".log")


def split_epoch(data: Data) -> int:
    """Remove the epoch record from a loaded state file; its epoch (0 if none)."""
    record = data.pop(EPOCH_TABLE, {}).get(_EPOCH_KEY, {})
    epoch = record.get("epoch", 0) if isinstance(record, dict) else None
    if not isinstance(epoch, int) or epoch < 0:
        raise ValueError(f"bad {EPOCH_TABLE} record: {record!r}")
    return epoch


def with_epoch(data: Mapping[str, dict[str, Any]], epoch: int) -> dict[str, Any]:
    """The state file's content: ``data`` plus its epoch record (a shallow copy)."""
    return {**data, EPOCH_TABLE: {_EPOCH_KEY: {"epoch": epoch}}}


def apply(data: Data, changes: Iterable[Change]) -> None:
    for table, key, doc in changes:
        if doc is None:
            data.get(table, {}).pop(key, None)
        else:
            data.setdefault(table, {})[key] = doc


class StateLog:
    """The log file: read and replay it, append one fsynced line per commit, empty it. Not thread-safe (the
    store's lock serialises its users). Created 0600 on the first append."""

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        self._fsync = fsync
        self._fd: int | None = None
        self.size = 0  # bytes of complete lines (what ``read`` kept, plus appends)
        self._damaged = False  # a failed append could not be taken back: only ``clear`` (or ``read``) may follow

    def replay(self, data: Data, epoch: int, state_name: str) -> int:
        """Apply the lines of ``epoch`` to ``data`` (the state file's content) in order; how many there were.

        Older lines are already in the file; a newer one means the file is older than the log: corruption."""
        applied = 0
        for number, line_epoch, changes in self.read():
            if line_epoch > epoch:
                raise StoreCorrupt(
                    self.path, f"line {number} is newer than {state_name} (epoch {line_epoch} > {epoch})"
                )
            if line_epoch == epoch:
                apply(data, changes)
                applied += 1
        return applied

    def read(self) -> list[tuple[int, int, list[Change]]]:
        """The complete lines as (line number, epoch, changes), in order. A torn last line is cut off the file."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self.size = 0
            return []
        except OSError as exc:
            raise StoreCorrupt(self.path, f"cannot read it: {exc.strerror or exc}") from exc
        entries: list[tuple[int, int, list[Change]]] = []
        offset = 0
        lines = raw.split(b"\n")
        for number, line in enumerate(lines[:-1], start=1):
            try:
                entries.append((number, *_parse(line)))
            except (orjson.JSONDecodeError, ValueError) as exc:
                if number == len(lines) - 1 and not lines[-1] and isinstance(exc, orjson.JSONDecodeError):
                    break  # the last line, cut short by a kill: never acknowledged
                raise StoreCorrupt(self.path, f"line {number} is damaged ({exc})") from exc
            offset += len(line) + 1
        if offset != len(raw):
            self._cut(offset)
        self.size = offset
        self._damaged = False
        return entries

    def can_append(self, length: int) -> bool:
        """Whether a line of ``length`` bytes fits under ``COMPACT_BYTES`` (else the state file is rewritten)."""
        return not self._damaged and self.size + length <= COMPACT_BYTES

    def append(self, line: bytes) -> None:
        """Add one line (see ``encode``) and make it durable; on failure the log is left as it was (or an error
        says it could not be)."""
        if self._damaged:
            raise StoreError(f"{self.path} has a damaged tail; the state file must be rewritten first")
        fd = self._open()
        try:
            write_all(fd, line)
            if self._fsync:
                _datasync(fd)
        except BaseException:
            self._undo(fd)
            raise
        self.size += len(line)

    def clear(self) -> None:
        """Empty the log (durably): after the state file holds everything in it."""
        if self.size == 0 and not self._damaged:
            return
        fd = self._open()
        os.ftruncate(fd, 0)
        if self._fsync:
            os.fsync(fd)
        self.size = 0
        self._damaged = False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        if self._fd is None:
            created = not self.path.exists()
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            self._fd = os.open(self.path, flags, 0o600)
            if created and self._fsync and os.name != "nt":
                fsync_dir(self.path.parent)  # the new name must survive a crash too
        return self._fd

    def _undo(self, fd: int) -> None:
        """Take a failed append back, so a partial line never becomes a damaged middle line."""
        try:
            os.ftruncate(fd, self.size)
        except OSError as exc:
            self._damaged = True
            raise StoreError(f"{self.path}: a failed append could not be taken back ({exc})") from exc

    def _cut(self, offset: int) -> None:
        try:
            with self.path.open("r+b") as fh:
                fh.truncate(offset)
                if self._fsync:
                    os.fsync(fh.fileno())
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot cut off its torn last line ({exc})") from exc


def encode(epoch: int, changes: Iterable[Change]) -> bytes:
    """One log line (orjson escapes newlines inside strings, so the line has none)."""
    return orjson.dumps([epoch, [list(change) for change in changes]]) + b"\n"


def _parse(line: bytes) -> tuple[int, list[Change]]:
    value = orjson.loads(line)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and value[0] >= 0):
        raise ValueError("expected [epoch, changes]")
    epoch, raw_changes = value
    if not isinstance(raw_changes, list):
        raise ValueError("expected a list of changes")
    changes: list[Change] = []
    for change in raw_changes:
        if not (isinstance(change, list) and len(change) == 3):
            raise ValueError("expected [table, key, document]")
        table, key, doc = change
        if not (isinstance(table, str) and isinstance(key, str) and (doc is None or isinstance(doc, dict))):
            raise ValueError(f"bad change {change!r:.80}")
        changes.append((table, key, doc))
    return epoch, changes
