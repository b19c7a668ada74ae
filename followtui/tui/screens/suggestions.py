"""Suggested lists by place and topic (``i``): each acts only on ``enter``, then leaves the page."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from followtui.domain.models import ListInfo
from followtui.domain.suggest import Suggestion
from followtui.domain.text import one_line
from followtui.services.session import Session
from followtui.tui.list_words import for_lists
from followtui.tui.widgets.choices import Choices
from followtui.tui.writer import SerialWriter

SHOWN_HANDLES = 5
HEADINGS = {"place": "Places (from the location field)", "topic": "Topics (from bios and hashtags)"}


class SuggestionsScreen(ModalScreen[int]):
    """``enter`` makes the highlighted list (private; on Bluesky kept on this machine) if needed and puts its
    people on it; ``escape`` closes.

    Dismissed with how many suggestions were acted on.
    """

    BINDINGS = [
        Binding("escape,i", "close", "Close", id="suggestions_close"),
    ]

    class Loaded(Message):
        def __init__(self, suggestions: list[Suggestion]) -> None:
            super().__init__()
            self.suggestions = suggestions

    def __init__(self, session: Session, writer: SerialWriter) -> None:
        super().__init__(id="suggestions")
        self.session = session
        self._writer = writer
        self.suggestions: list[Suggestion] = []
        self.acted = 0
        self.loaded = False
        self.words = for_lists(session.lists.keeps_new_lists_here)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text("Suggested lists", style="bold"), id="suggestions-title")
            yield Choices(id="suggestions-list")
            hint = f"enter: make the list ({self.words.kind}) and add these people   escape: close   nothing happens unasked"
            yield Static(Text(hint, style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="suggestions", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.session.triage.suggestions()))

    def on_suggestions_screen_loaded(self, message: Loaded) -> None:
        self.suggestions = message.suggestions
        self.loaded = True
        self._fill()

    def _fill(self, index: int = 0) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.suggestions:
            options.add_option(
                Option(Text("No suggestions: nobody left to group by place or topic.", style="italic"), disabled=True)
            )
            return
        for kind in ("place", "topic"):
            group = [(i, s) for i, s in enumerate(self.suggestions) if s.kind == kind]
            if not group:
                continue
            options.add_option(Option(Text(HEADINGS[kind], style="bold underline"), disabled=True))
            for position, suggestion in group:
                options.add_option(Option(self._label(suggestion), id=str(position)))
        enabled = [i for i in range(options.option_count) if not options.get_option_at_index(i).disabled]
        if enabled:
            options.highlighted = enabled[min(index, len(enabled) - 1)]

    def _label(self, suggestion: Suggestion) -> Text:
        triage = self.session.triage
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{one_line(suggestion.name, 25)}", style="bold")
        where = "add to your list" if suggestion.list_id else self.words.suggested
        text.append(f"  · {where} · {len(suggestion.account_ids)} people\n", style="cyan")
        text.append(f"  {one_line(suggestion.reason, 90)}\n", style="dim")
        handles = []
        for account_id in suggestion.account_ids[:SHOWN_HANDLES]:
            account = triage.account(account_id)
            handles.append(f"@{one_line(account.username, 16)}" if account else account_id)
        more = len(suggestion.account_ids) - SHOWN_HANDLES
        text.append("  " + ", ".join(handles) + (f" +{more}" if more > 0 else ""))
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        position = int(event.option.id)
        suggestion = self.suggestions[position]

        def write() -> ListInfo:
            known = self.session.lists.info(suggestion.list_id) if suggestion.list_id else None
            new_name = None if known is not None else suggestion.name
            list_id = self.session.undo.apply_list(suggestion.account_ids, suggestion.list_id, new_name, add=True)
            info = self.session.lists.info(list_id)
            assert info is not None
            return info

        def done(info: ListInfo) -> None:
            self.acted += 1
            self.suggestions = [s for s in self.suggestions if s is not suggestion]
            count = len(suggestion.account_ids)
            made = "Added" if suggestion.list_id else f"{self.words.created_list(info.name)} and added"
            where = f" to {one_line(info.name)}" if suggestion.list_id else ""
            sending = "" if info.kept_here else " · sending…"
            self.notify(f"✓ {made} {count} {'person' if count == 1 else 'people'}{where}: saved{sending}")
            self._fill(max(position - 1, 0))

        def failed(error: BaseException) -> None:
            message = str(error) if isinstance(error, ValueError) else f"Could not save: {error}"
            self.notify(message, severity="error", timeout=10)

        self._writer.submit(write, done, failed)

    def action_close(self) -> None:
        self.dismiss(self.acted)
