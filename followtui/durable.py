"""Durable writes: what a ``kill -9`` at any moment cannot break. The one place that renames or appends durably.

``replacing``: a new version of a file is written to a 0600 temp file in the same directory, fsynced, renamed over
the old one, and the directory is fsynced, so the file is always either the old version or the new one. A writer
killed midway leaves only a temp file, which holds nothing the real file lacks (``remove_stray_tmp``).

``append_lines``: whole lines added to a 0600 file of lines, synced before it returns. A writer killed midway
leaves a last line without its newline; it is cut off before the next append, so it never swallows a new line.
The readers (the outbox history, the posts read on demand) skip such a last line.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def replacing(path: Path, *, fsync: bool = True, prefix: str | None = None) -> Iterator[BinaryIO]:
    """A binary temp file to write ``path``'s new content to; it replaces ``path`` when the block ends cleanly.

    On an error the temp file is removed and ``path`` is untouched. ``prefix`` names the temp file (default
    ``<name>.``, which ``remove_stray_tmp`` recognises).
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=prefix or path.name + ".", suffix=".tmp", dir=directory)  # mode 0600
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if fsync and os.name == "posix":  # make the rename itself durable
        fsync_dir(directory)


_datasync = getattr(os, "fdatasync", os.fsync)  # data and size, not mtime (macOS has no fdatasync)


def append_lines(path: Path, payload: bytes, *, fsync: bool = True) -> None:
    """Append ``payload`` (lines, each ending in a newline) to ``path`` in one write, durable when this returns."""
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if not created:
            _cut_torn_tail(fd)
        write_all(fd, payload)
        if fsync:
            _datasync(fd)
    finally:
        os.close(fd)
    if created and fsync and os.name == "posix":  # the new name must survive a crash too
        fsync_dir(path.parent)


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until all of ``data`` is written."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(f"wrote nothing of {len(view)} bytes")
        view = view[written:]


def _cut_torn_tail(fd: int) -> None:
    """Cut off a last line without its newline (synced with the append that follows)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return
    os.lseek(fd, size - 1, os.SEEK_SET)
    if os.read(fd, 1) == b"\n":
        return
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while len(data) < size:  # rare: read it all
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    os.ftruncate(fd, data.rfind(b"\n") + 1)


def fsync_dir(directory: Path) -> None:
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def remove_stray_tmp(path: Path) -> None:
    """Remove the temp files ``replacing`` left for ``path`` when its writer was killed."""
    prefix = path.name + "."
    with contextlib.suppress(FileNotFoundError):
        for entry in path.parent.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    entry.unlink()
