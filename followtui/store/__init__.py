"""The local cache on TinyDB: ``graph.json`` (accounts, rewritten by a sync) and ``state.json`` (decisions,
outbox, lists; written on every keypress), both crash-safe, plus a single-instance lock."""

from followtui.store.errors import StoreCorrupt, StoreError, StoreLocked
from followtui.store.store import FORMAT_VERSION, Store

__all__ = ["FORMAT_VERSION", "Store", "StoreCorrupt", "StoreError", "StoreLocked"]
