"""The outbox: every call to X not done yet, with what went wrong; retry it, or do a refused follow by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from followtui.domain.models import OutboxEntry, OutboxState
from followtui.domain.text import one_line
from followtui.services.outbox import RATE_LIMITED
from followtui.tui.widgets.choices import Choices

# the ones that need the user first
_ORDER = {
    OutboxState.MANUAL: 0,
    OutboxState.FAILED: 1,
    OutboxState.PENDING: 2,
    OutboxState.BY_HAND: 3,
    OutboxState.REQUESTED: 4,
}
_STYLE = {
    OutboxState.MANUAL: ("! refused", "bold red"),
    OutboxState.FAILED: ("✗ failed", "red"),
    OutboxState.PENDING: ("… waiting", "yellow"),
    OutboxState.BY_HAND: ("✓ by hand", "green"),
    OutboxState.REQUESTED: ("? requested", "cyan"),
}
SHOWN = frozenset(_ORDER)


@dataclass(frozen=True, slots=True)
class OutboxChoice:
    action: str  # "retry" or "by_hand"
    entry_id: str


class OutboxScreen(ModalScreen[OutboxChoice | None]):
    """Calls still owed to the network. ``r`` retries a failed or refused one; ``o`` follows by hand on x.com (a
    follow X refused through the API)."""

    BINDINGS = [
        Binding("escape,b", "dismiss_none", "Close", id="outbox_close"),
        Binding("r", "choose('retry')", "Retry", id="outbox_retry"),
        Binding("o", "choose('by_hand')", "Do it on x.com", id="outbox_by_hand"),
    ]

    def __init__(self, entries: list[OutboxEntry], describe: Callable[[OutboxEntry], str], network: str = "X") -> None:
        super().__init__(id="outbox")
        self.network = network
        self.entries = sorted((e for e in entries if e.state in SHOWN), key=lambda e: _ORDER[e.state])
        self.describe = describe

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Outbox: {len(self.entries)} calls to {self.network} not done yet", style="bold"))
            yield Choices(*[self._option(e) for e in self.entries], id="outbox-entries")
            hint = "r: retry a failed or refused call   escape: close"
            if self.network == "X":
                hint = "r: retry a failed or refused call   o: follow by hand on x.com   escape: close"
            yield Static(Text(hint if self.entries else "Nothing waiting. escape: close", style="dim"))

    def _option(self, entry: OutboxEntry) -> Option:
        label, style = _STYLE[entry.state]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{label:<10}", style=style)
        text.append(self.describe(entry))
        note = _note(entry, self.network)
        if note:
            text.append(f"\n  ↳ {note}", style="dim")
        return Option(text, id=entry.id)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
        options.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("by_hand",):
            return self.network == "X"  # only X refuses follows through the API: elsewhere, no by-hand key
        return True

    def action_choose(self, action: str) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        entry = self.entries[options.highlighted]
        if action == "retry" and entry.state not in (OutboxState.FAILED, OutboxState.MANUAL):
            self.notify("Only a failed or refused call can be retried.", severity="warning")
            return
        if action == "by_hand" and entry.state is not OutboxState.MANUAL:
            self.notify("Only a follow X refused can be done by hand.", severity="warning")
            return
        self.dismiss(OutboxChoice(action, entry.id))

    def on_option_list_option_selected(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.entries[options.highlighted].state is OutboxState.MANUAL:
            self.action_choose("by_hand")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def _note(entry: OutboxEntry, network: str) -> str:
    """What happened to the call, in words: the network's refusal, or when the next try is."""
    if entry.state is OutboxState.PENDING and entry.not_before is not None:
        when = f"{entry.not_before.astimezone():%H:%M}"
        if entry.error.startswith(RATE_LIMITED):
            return f"{network}'s rate limit: next try at {when}"
        return f"next try at {when} ({one_line(entry.error, 70)})" if entry.error else f"next try at {when}"
    return one_line(entry.error, 90)
