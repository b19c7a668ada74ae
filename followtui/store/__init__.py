"""The local cache: ``graph.jsonl`` (accounts as rows, rewritten by a sync) and ``state.json`` on TinyDB (decisions,
outbox, lists; a keypress appends to ``state.log``), all crash-safe, plus a single-instance lock."""

from followtui.store.errors import StoreCorrupt, StoreError, StoreLocked
from followtui.store.store import FORMAT_VERSION, Store

__all__ = ["FORMAT_VERSION", "Store", "StoreCorrupt", "StoreError", "StoreLocked"]
