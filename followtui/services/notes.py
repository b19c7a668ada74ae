"""Private notes and tags: written to the local cache only, never sent anywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from followtui.domain.notes import Note, normalise
from followtui.store.store import Store


class Notes:
    """Read and write the user's notes; each write is one durable store write."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def get(self, account_id: str) -> Note | None:
        return self.store.note(account_id)

    def set(self, account_id: str, text: str) -> Note | None:
        """Save the note (control characters stripped, at most MAX_NOTE characters); empty text deletes it."""
        note = Note(account_id, normalise(text), self.clock())
        self.store.put_note(note)
        return note if note.text else None
