"""Typed modal dialogs: confirm, list picker, help and the full account view. Escape always answers "no"."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from followtui.domain.models import ListInfo
from followtui.domain.queues import matches
from followtui.domain.text import one_line
from followtui.services.actions import MAX_LIST_NAME


class ConfirmScreen(ModalScreen[bool]):
    """Ask before a batch or an unfollow; ``y``/enter confirm, ``n``/escape decline."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.question, style="bold"), id="question")
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class UnfollowScreen(ModalScreen[str | None]):
    """Unfollow, or keep them readable on a list instead: ``y`` unfollows, ``l`` lists then unfollows."""

    BINDINGS = [
        Binding("y", "answer('unfollow')", "Unfollow", id="unfollow_yes"),
        Binding("l", "answer('list')", "List instead", id="unfollow_list"),
        Binding("n,escape", "answer('')", "Cancel", id="unfollow_no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__(id="unfollow-choice")
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.question, style="bold"), id="question")
            hint = "A private list keeps their posts a key away without them in your timeline."
            yield Static(Text(f"{self.detail}\n\n{hint}" if self.detail else hint), id="confirm-detail")
            with Horizontal(id="buttons"):
                yield Button("Unfollow (y)", variant="error", id="unfollow")
                yield Button("List instead (l)", variant="primary", id="list")
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#list", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id if event.button.id in ("unfollow", "list") else None)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)


@dataclass(frozen=True, slots=True)
class ListChoice:
    list_id: str  # "" with ``new_name``: a list to create first
    add: bool  # False: remove from the list
    new_name: str | None = None


NEW_LIST = "new-list"


class ListPickerScreen(ModalScreen[ListChoice | None]):
    """Pick a list to add the account(s) to, or to take them off; type to filter."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="picker_cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, lists: list[ListInfo], members_of: set[str], who: str) -> None:
        super().__init__()
        self.lists = lists
        self.members_of = members_of  # IDs of the lists every target is already on
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Lists for {self.who}", style="bold"))
            yield Input(placeholder="filter lists…", id="picker-filter")
            yield OptionList(id="picker-options")
            yield Static(
                Text("enter: add / remove ✓   type a new name to create a private list   escape: cancel", style="dim")
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, needle: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for info in self.lists:
            if needle and not matches(info.name.casefold(), needle):
                continue
            label = Text()
            label.append("✓ " if info.id in self.members_of else "  ", style="bold green")
            label.append(one_line(info.name, 40))
            label.append(f"  {'private' if info.private else 'public'} · {len(info.member_ids)}", style="dim")
            options.add_option(Option(label, id=info.id))
        name = " ".join(needle.split())
        if name and all(info.name.casefold() != name.casefold() for info in self.lists):
            label = Text()
            label.append("+ ", style="bold cyan")
            label.append(f"New private list “{one_line(name, 40)}”")
            if len(name) > MAX_LIST_NAME:
                label.append(f"  (too long: at most {MAX_LIST_NAME} characters)", style="red")
            options.add_option(Option(label, id=NEW_LIST, disabled=len(name) > MAX_LIST_NAME))
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    def on_input_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, list_id: str | None) -> None:
        if list_id == NEW_LIST:
            name = " ".join(self.query_one(Input).value.split())
            self.dismiss(ListChoice("", add=True, new_name=name))
        elif list_id is not None:
            self.dismiss(ListChoice(list_id, add=list_id not in self.members_of))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """A scrollable page of text: the help and the full account view."""

    BINDINGS = [
        Binding("escape,q,enter", "close", "Close", id="close_page"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def __init__(self, body: RenderableType, *, page_id: str) -> None:
        super().__init__(id=page_id)
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(self.body)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
