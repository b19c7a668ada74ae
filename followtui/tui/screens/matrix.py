"""The list matrix (``m``): who is on which list, toggled cell by cell, with the panes' filter language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from followtui.domain.filters import refusal
from followtui.domain.models import AccountState, ListInfo, OutboxEntry
from followtui.domain.text import one_line
from followtui.services.session import Session
from followtui.services.triage import MatrixScope
from followtui.tui import format as fmt
from followtui.tui.list_words import for_lists
from followtui.tui.screens.dialogs import ListChoice, ListPickerScreen
from followtui.tui.screens.suggestions import SuggestionsScreen
from followtui.tui.widgets.footer import KeyBar
from followtui.tui.widgets.matrix_grid import MatrixGrid, row_label
from followtui.tui.writer import SerialWriter

T = TypeVar("T")

SCOPES = tuple(MatrixScope)


@dataclass(frozen=True, slots=True)
class MatrixData:
    ids: list[str]
    lists: list[ListInfo]
    members: dict[str, set[str]]
    scope_ids: frozenset[str]  # every account in the scope, before the filter
    filter_text: str
    scope: MatrixScope


class MatrixScreen(Screen[None]):
    """Accounts against lists. ``space`` toggles a cell, ``v`` marks, ``a`` puts the marked on a list."""

    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Filter: words, is:unlisted, list:NAME, not:list:NAME",
            id="matrix_filter",
        ),
        Binding(
            "s", "scope", "Scope", tooltip="Rows: accounts you follow, your followers, or everyone", id="matrix_scope"
        ),
        Binding(
            "a",
            "add_marked",
            "Add to list",
            tooltip="Put the marked (or highlighted) accounts on a list",
            id="matrix_add",
        ),
        Binding("i", "suggestions", "Suggest", tooltip="Suggested lists by place and topic", id="matrix_suggestions"),
        Binding(
            "escape,m",
            "back",
            "Back",
            tooltip="Clear the filter or the marks, then back to the panes",
            id="matrix_back",
        ),
    ]

    class Loaded(Message):
        def __init__(self, data: MatrixData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, session: Session, writer: SerialWriter, scope: MatrixScope = MatrixScope.FOLLOWING) -> None:
        super().__init__(id="matrix")
        self.session = session
        self._writer = writer
        self.scope = scope
        self.filter_text = ""
        self.members: dict[str, set[str]] = {}
        self.scope_ids: frozenset[str] = frozenset()
        self.unlisted = 0
        self.loaded = False
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-header")
        yield MatrixGrid(self._label, id="matrix-grid")
        yield Input(
            placeholder='filter: words, is:unlisted, list:NAME, not:list:"Berlin tech" — enter keeps, escape clears',
            id="matrix-filter",
        )
        yield KeyBar()  # fits the width: ? and q always shown

    def on_mount(self) -> None:
        self.query_one("#matrix-filter", Input).display = False
        self.grid.focus()
        self._header()
        self.load()

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    def _label(self, account_id: str) -> Text:
        account = self.session.triage.account(account_id)
        if account is None:
            return row_label("", fmt.NOT_LOOKED_UP, account_id)
        if not account.username:  # known by ID only: gone from X, or not looked up yet
            gone = account.state is not AccountState.ACTIVE
            return row_label("", str(account.state) if gone else fmt.NOT_LOOKED_UP, account_id)
        return row_label(account.username, account.name)

    # -- loading -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def load(self) -> None:
        triage = self.session.triage
        scope, filter_text = self.scope, self.filter_text
        lists = triage.lists()
        result = triage.matrix(scope, filter_text)
        everyone = result.ids if not filter_text else triage.matrix(scope).ids
        members = {info.id: set(info.member_ids) for info in lists}
        self.post_message(self.Loaded(MatrixData(result.ids, lists, members, frozenset(everyone), filter_text, scope)))

    def on_matrix_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        if data.scope is not self.scope or data.filter_text != self.filter_text:
            return  # a newer load is on its way
        self.members = data.members
        self.scope_ids = data.scope_ids
        listed = set().union(*data.members.values()) if data.members else set()
        self.unlisted = len(self.scope_ids - listed)
        grid = self.grid
        grid.empty_text = "No match for the filter." if data.filter_text else "Nobody here yet."
        grid.show(data.ids, data.lists, self.members, keep=grid.account_id)
        self.loaded = True
        self._header()

    def _header(self) -> None:
        header = self.query_one("#matrix-header", Static)
        text = self._header_text(short=False)
        if header.content_size.width and text.cell_len > header.content_size.width:  # 80 columns: short words
            text = self._header_text(short=True)
        header.update(text)

    def _header_text(self, *, short: bool) -> Text:
        grid = self.grid
        dot = " · " if short else "  ·  "
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" Matrix" if short else " Lists matrix", style="bold")
        text.append(f"{dot}{self.scope.value}", style="cyan")
        count = f"{len(grid.ids):,}" if short else f"{len(grid.ids):,} accounts"
        text.append(f"{dot}{count}" if self.loaded else f"{dot}loading…")
        text.append(dot)
        unlisted = f"{self.unlisted:,} on no list" if short else f"{self.unlisted:,} accounts on no list"
        text.append(unlisted, style="bold yellow" if self.unlisted else "green")
        if grid.marked:
            text.append(f"{dot}{len(grid.marked)} marked", style="bold magenta")
        if self.filter_text:
            text.append(f"{dot}filter: {one_line(self.filter_text, 30)}", style="cyan")
        info = grid.list_info
        if info is not None:
            size = len(self.members.get(info.id, ()))
            column = "" if short else "column: "
            text.append(f"{dot}{column}{one_line(info.name, 25)} ({info.visibility} · {size})", style="bold")
        return text

    def on_resize(self) -> None:
        self._header()

    @on(MatrixGrid.Moved)
    def _moved(self) -> None:
        self._header()

    # -- toggling ----------------------------------------------------------------------------------

    @on(MatrixGrid.Toggled)
    def _toggled(self, event: MatrixGrid.Toggled) -> None:
        account_id, list_id = event.account_id, event.list_id
        add = account_id not in self.members.get(list_id, set())
        self._set(account_id, list_id, add)  # at once on screen; the write follows in order

        def failed(error: BaseException) -> None:
            self._set(account_id, list_id, not add)
            self.notify(str(error) if isinstance(error, ValueError) else f"Could not save: {error}", severity="error")

        def done(_entries: list[OutboxEntry]) -> None:
            pass  # already on screen

        self._submit(lambda: self.session.undo.change_membership([account_id], list_id, add=add), done, failed)

    def _set(self, account_id: str, list_id: str, on_it: bool) -> None:
        was_listed = any(account_id in m for m in self.members.values())
        (self.members.setdefault(list_id, set()).add if on_it else self.members.setdefault(list_id, set()).discard)(
            account_id
        )
        listed = any(account_id in m for m in self.members.values())
        if account_id in self.scope_ids and listed != was_listed:
            self.unlisted += -1 if listed else 1
        self.grid.refresh()
        self._header()

    # -- keys --------------------------------------------------------------------------------------

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.loaded = False
        self._header()
        self.notify(f"Rows: {self.scope.value}.", timeout=2)
        self.load()

    def action_filter(self) -> None:
        field = self.query_one("#matrix-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#matrix-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, self.load)

    @on(Input.Submitted, "#matrix-filter")
    def _filter_submitted(self) -> None:
        unknown = self.session.triage.parse_filter(self.filter_text).unknown
        if unknown:  # refused: every row again, the text stays to be fixed
            self.filter_text = ""
            self.load()
            names = [info.name for info in self.session.triage.lists()]
            self.notify(refusal(unknown, names), severity="warning", timeout=12)
            return
        self.grid.focus()

    def action_back(self) -> None:
        field = self.query_one("#matrix-filter", Input)
        if field.display:
            field.value = ""
            field.display = False
            self.grid.focus()
        elif self.grid.marked:
            self.grid.marked.clear()
            self.grid.refresh()
            self._header()
        else:
            self.dismiss(None)

    def action_add_marked(self) -> None:
        grid = self.grid
        targets = grid.marked_ids() or ([grid.account_id] if grid.account_id else [])
        if not targets:
            return
        wanted = set(targets)
        lists = grid.columns
        counts = {info.id: len(wanted & self.members.get(info.id, set())) for info in lists}
        who = self._who(targets)
        picker = ListPickerScreen(
            lists,
            {k for k, v in counts.items() if v == len(wanted)},
            who,
            partly={k: v for k, v in counts.items() if v},
            targets=len(wanted),
            limits=self.session.lists.limits,
            toggle=lambda choice: self._apply(targets, choice, close=False),
            words=for_lists(self.session.lists.keeps_new_lists_here),
        )
        self.app.push_screen(picker, lambda choice: self._apply(targets, choice, close=True))

    def _who(self, ids: list[str]) -> str:
        if len(ids) > 1:
            return f"{len(ids)} accounts"
        account = self.session.triage.account(ids[0])
        return f"@{one_line(account.username)}" if account else ids[0]

    def _apply(self, targets: list[str], choice: ListChoice | None, *, close: bool) -> None:
        if choice is None:
            return

        def write() -> ListChoice:
            list_id = self.session.undo.apply_list(targets, choice.list_id, choice.new_name, add=choice.add)
            return ListChoice(list_id, choice.add, choice.new_name)

        def done(result: ListChoice) -> None:
            name = result.new_name or next((i.name for i in self.grid.columns if i.id == result.list_id), "the list")
            verb = "Added" if result.add else "Removed"
            self.notify(f"✓ {verb} {self._who(targets)} {'to' if result.add else 'from'} {one_line(name)}: saved")
            if close:
                self.grid.marked.clear()
            self.load()

        self._submit(write, done)

    def action_suggestions(self) -> None:
        def back(_acted: int | None) -> None:
            self.load()

        self.app.push_screen(SuggestionsScreen(self.session, self._writer), back)

    # -- plumbing ----------------------------------------------------------------------------------

    def _submit(
        self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None] | None = None
    ) -> None:
        self._writer.submit(job, done, failed or self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, ValueError) else f"Could not save: {error}"
        self.notify(message, severity="error", timeout=10)
