"""Edit the private note on an account: free text, where ``#words`` become tags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from followtui.domain.notes import MAX_NOTE, tags_of


class NoteScreen(ModalScreen[str | None]):
    """``ctrl+s`` saves (an empty note deletes it); ``escape`` leaves it as it was."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note_cancel"),
    ]

    def __init__(self, who: str, text: str) -> None:
        super().__init__(id="note")
        self.who = who
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Private note on {self.who}", style="bold"))
            yield TextArea(self.text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(id="note-tags")
            hint = "ctrl+s: save   escape: cancel   #words become tags; only you see this, it never leaves your cache"
            yield Static(Text(hint, style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self._show_tags(self.text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._show_tags(event.text_area.text)

    def _show_tags(self, text: str) -> None:
        tags = tags_of(text)
        line = Text("tags: ", style="dim")
        line.append(" ".join(f"#{t}" for t in tags) if tags else "none", style="cyan" if tags else "dim")
        if len(text) > MAX_NOTE:
            line.append(f"   too long: kept to the first {MAX_NOTE} characters", style="red")
        self.query_one("#note-tags", Static).update(line)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
