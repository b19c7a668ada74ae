"""Errors the store raises; every message is meant to be shown to the user as is."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The local cache cannot be used (closed, too new, inconsistent)."""


class StoreCorrupt(StoreError):
    """A data file cannot be read or parsed. It is left untouched for the user to inspect or restore."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} is damaged: {reason}. followtui left it untouched; move it aside to start afresh "
            "(graph.jsonl can be rebuilt by a sync; state.json holds your decisions and pending actions)."
        )
        self.path = path
        self.reason = reason


class StoreLocked(StoreError):
    """Another followtui process (or another Store in this one) has the data directory open."""

    def __init__(self, data_dir: Path, holder: str = "") -> None:
        who = f" (pid {holder})" if holder else ""
        super().__init__(f"another followtui{who} is using {data_dir}; close it first")
        self.data_dir = data_dir
