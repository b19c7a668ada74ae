"""Typed modal dialogs: confirm, list picker, help and the full account view. Escape always answers "no"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from followtui.domain.list_limits import ListLimits
from followtui.domain.models import ListInfo
from followtui.domain.text import one_line
from followtui.tui.fuzzy import highlighted, ranked
from followtui.tui.list_words import PRIVATE, ListWords
from followtui.tui.screens.list_form import ListForm, ListFormScreen
from followtui.tui.widgets.choices import Choices


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

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        list_instead: bool = True,
        words: ListWords = PRIVATE,
        network: str = "X",
    ) -> None:
        super().__init__(id="unfollow-choice")
        self.question = question
        self.detail = detail
        self.list_instead = list_instead  # False for an account that is gone: there is nothing left to read
        self.words = words
        self.network = network  # where a gone account is gone from

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.question, style="bold"), id="question")
            hint = (
                f"{self.words.instead} keeps their posts a key away without them in your timeline."
                if self.list_instead
                else f"The account is gone from {self.network}: unfollowing only tidies up your following."
            )
            yield Static(Text(f"{self.detail}\n\n{hint}" if self.detail else hint), id="confirm-detail")
            with Horizontal(id="buttons"):
                yield Button("Unfollow (y)", variant="error", id="unfollow")
                if self.list_instead:
                    yield Button("List instead (l)", variant="primary", id="list")
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#list" if self.list_instead else "#unfollow", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.list_instead or parameters != ("list",)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id if event.button.id in ("unfollow", "list") else None)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)


@dataclass(frozen=True, slots=True)
class ListChoice:
    list_id: str  # "" with ``new_name``: a list to create first
    add: bool  # False: remove from the list
    new_name: str | None = None
    new_description: str = ""


NEW_LIST = "new-list"


class _PickerFilter(Input):
    """The picker's filter: ``space`` is not typed here, it toggles the highlighted list (a priority binding)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)


class ListPickerScreen(ModalScreen[ListChoice | None]):
    """Pick a list to put the account(s) on or take them off; type to filter (fuzzy).

    ``✓``: every target is on the list, ``–``: some are. ``space`` toggles the highlighted list at once through
    ``toggle`` and stays open, also while typing (it is never typed: the fuzzy filter ignores spaces anyway);
    ``enter`` toggles and closes. A new list is made only by choosing its own option, "Create private list …"
    (on Bluesky "Create list …, here only"), which opens the list form with the typed name (spaces and a
    description go there).
    """

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="picker_cancel"),
        Binding("space", "toggle_list", "Toggle", priority=True, id="picker_toggle"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(
        self,
        lists: list[ListInfo],
        members_of: set[str],
        who: str,
        *,
        partly: Mapping[str, int] | None = None,
        targets: int = 1,
        limits: ListLimits,
        toggle: Callable[[ListChoice], None] | None = None,
        words: ListWords = PRIVATE,
    ) -> None:
        super().__init__(id="list-picker")
        self.lists = lists
        self.limits = limits  # the network's, for a new list's name
        self.words = words
        self.targets = max(targets, 1)
        # how many of the targets each list holds: all (✓), some (–) or none
        self.on_count: dict[str, int] = {**(partly or {}), **dict.fromkeys(members_of, self.targets)}
        self.sizes = {info.id: len(info.member_ids) for info in lists}
        self.who = who
        self._toggle = toggle

    @property
    def members_of(self) -> set[str]:
        """IDs of the lists every target is on."""
        return {list_id for list_id, count in self.on_count.items() if count >= self.targets}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Lists for {self.who}", style="bold"))
            yield _PickerFilter(placeholder="filter lists, or a new list's name…", id="picker-filter")
            yield Choices(id="picker-options")
            hint = "space: toggle ✓   enter: toggle and close   ↓ then j k g G: move   escape: close"
            yield Static(Text(hint if self._toggle else hint.replace("space: toggle ✓   ", ""), style="dim"))

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, needle: str, keep: str | None = None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        keep_index = None
        for info, positions in ranked(needle, self.lists, lambda info: one_line(info.name)):
            count = self.on_count.get(info.id, 0)
            label = Text(no_wrap=True, overflow="ellipsis")
            mark = "✓ " if count >= self.targets else "– " if count else "  "
            label.append(mark, style="bold green" if count >= self.targets else "yellow")
            label.append_text(highlighted(one_line(info.name), positions, "bold underline cyan"))
            size = self.sizes.get(info.id, 0)
            label.append(f"  {info.visibility} · {size}", style="dim")
            if 0 < count < self.targets:
                label.append(f" · {count} of {self.targets} on it", style="dim yellow")
            if info.id == keep:
                keep_index = options.option_count
            options.add_option(Option(label, id=info.id))
        name = " ".join(needle.split())
        if name and all(info.name.casefold() != name.casefold() for info in self.lists):
            label = Text()
            label.append("+ ", style="bold cyan")
            label.append(self.words.create_option(name))
            limits = self.limits
            too_long = limits.name_length(name) > limits.name
            if too_long:
                label.append(f"  (too long: at most {limits.name} {limits.name_unit})", style="red")
            options.add_option(Option(label, id=NEW_LIST, disabled=too_long))
        if options.option_count:
            options.highlighted = keep_index if keep_index is not None else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event: events.Key) -> None:
        """Typing while the options have the focus goes on in the filter."""
        filter_input = self.query_one(Input)
        options = self.query_one(OptionList)
        bound = self.active_bindings.get(event.key)
        moving = self.focused is options and bound is not None and bound.node is options  # j k g G (or remapped)
        if self.focused is not filter_input and event.is_printable and event.character and not moving:
            filter_input.focus()
            filter_input.insert_text_at_cursor(event.character)
            event.stop()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.focus()  # j k g G move from here; any other letter goes on in the filter
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    def action_toggle_list(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        list_id = options.get_option_at_index(options.highlighted).id
        if list_id == NEW_LIST:
            self.notify("enter creates the list (space only toggles a list you have)", timeout=3)
            return
        if self._toggle is None or list_id is None:
            self._choose(list_id)  # no toggling here: like enter
            return
        choice = self._flip(list_id)
        self._toggle(choice)
        self._fill(self.query_one(Input).value, keep=list_id)

    def _flip(self, list_id: str) -> ListChoice:
        """Record the toggle here (all on it, or none) and say what it was."""
        count = self.on_count.get(list_id, 0)
        add = count < self.targets
        self.sizes[list_id] = self.sizes.get(list_id, 0) + (self.targets - count if add else -count)
        self.on_count[list_id] = self.targets if add else 0
        return ListChoice(list_id, add=add)

    def on_input_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, list_id: str | None) -> None:
        if list_id == NEW_LIST:
            name = " ".join(self.query_one(Input).value.split())
            self.app.push_screen(
                ListFormScreen(self.words.form_title, _accept, self.limits, name=name, new=True), self._created
            )
        elif list_id is not None:
            self.dismiss(self._flip(list_id))

    def _created(self, form: ListForm | None) -> None:
        if form is not None:
            self.dismiss(ListChoice("", add=True, new_name=form.name, new_description=form.description))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def _accept(_form: ListForm, done: Callable[[], None], _failed: Callable[[str], None]) -> None:
    """The picker's form saves nothing itself: the list is made with its members, in one write, once it closes."""
    done()


class TextScreen(ModalScreen[str | None]):
    """A scrollable page of text: the help and the full account view (which may close with an action to run)."""

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
