"""The main screen's private notes (``n``) and the content-first toggle (``c``)."""

from __future__ import annotations

from followtui.domain.notes import Note
from followtui.tui.screens.main_base import MainBase
from followtui.tui.screens.note import NoteScreen


class NotesMixin(MainBase):
    """Edit the note on the highlighted account; hide or show follower counts."""

    def action_edit_note(self) -> None:
        account_id = self.accounts.highlighted
        if account_id is None:
            return
        note = self.session.notes.get(account_id)
        self.app.push_screen(
            NoteScreen(self._handle(account_id), note.text if note else ""),
            lambda text: self._save_note(account_id, text),
        )

    def _save_note(self, account_id: str, text: str | None) -> None:
        if text is None:
            return

        def saved(note: Note | None) -> None:
            who = self._handle(account_id)
            self.notify(f"✓ Note on {who} saved" if note else f"✓ Note on {who} removed", timeout=3)
            self.accounts.refresh_rows()
            self.changed([account_id])

        self._submit(lambda: self.session.undo.set_note(account_id, text), saved)

    def action_toggle_content_first(self) -> None:
        self.content_first = on = not self.content_first
        self._submit(lambda: self.session.ui_state.set_content_first(on), lambda _: None)  # remembered
        state = "on: follower counts are hidden" if self.content_first else "off"
        self.notify(f"Content first {state}.", timeout=3)
