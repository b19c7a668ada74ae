"""The account picker (``a``): every account followtui knows, on every network; Enter opens one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from followtui.domain.text import one_line
from followtui.services.accounts import AccountRef
from followtui.tui.widgets.choices import Choices


class AccountPickerScreen(ModalScreen[AccountRef | None]):
    """Pick the account to triage; the one open now is marked and picking it again changes nothing."""

    BINDINGS = [Binding("escape,a", "dismiss_none", "Close", id="accounts_close")]

    def __init__(self, accounts: Sequence[AccountRef], current: AccountRef | None) -> None:
        super().__init__(id="account-picker")
        self.accounts = list(accounts)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text("Switch account", style="bold"))
            yield Choices(*[self._option(ref) for ref in self.accounts], id="account-choices")
            yield Static(Text("enter: open   escape: stay", style="dim"))

    def _option(self, ref: AccountRef) -> Option:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(one_line(ref.label, 60))
        if self.current is not None and ref.dir == self.current.dir:
            text.append("  (open now)", style="dim")
        return Option(text)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = next((i for i, ref in enumerate(self.accounts) if self.current and ref.dir == self.current.dir), 0)
        options.highlighted = current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = self.accounts[event.option_index]
        self.dismiss(None if self.current is not None and chosen.dir == self.current.dir else chosen)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
