"""What the app remembers about how it was left (content first), in a small JSON file next to the cache.

A preference, not a decision: a missing or unreadable file gives the defaults. Written whole through a temp file
(``durable.replacing``), from the writer thread, never the UI thread.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from followtui.durable import replacing

UI_STATE_FILE = "ui-state.json"


@dataclass(slots=True)
class UiState:
    """The remembered UI settings of one data directory; ``path`` None keeps them in memory only."""

    path: Path | None = None
    content_first: bool | None = None  # None: never toggled here, the config's ``[ui] content_first`` holds
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path) -> UiState:
        path = data_dir / UI_STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        value = data.get("content_first") if isinstance(data, dict) else None
        return cls(path, value if isinstance(value, bool) else None)

    def set_content_first(self, on: bool) -> None:
        """Remember ``on`` and write the file (blocking: call it from the writer thread)."""
        with self._lock:
            self.content_first = on
            if self.path is None:
                return
            with replacing(self.path) as fh:
                fh.write(json.dumps({"content_first": on}).encode())
