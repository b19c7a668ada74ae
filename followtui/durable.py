"""Durable file replacement: what a ``kill -9`` at any moment cannot break.

A new version of a file is written to a 0600 temp file in the same directory, fsynced, renamed over the old one,
and the directory is fsynced, so the file is always either the old version or the new one. A writer killed
midway leaves only a temp file, which holds nothing the real file lacks (``remove_stray_tmp``).
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
