"""The history of decisions (``H``) and the snoozed view (``W``): change or undo any decision from there.

Rows come from ``services.history`` in a worker; the list is virtual (it paints only the rows on screen), so a
history of 100,000 decisions costs one query, not a table of 100,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from followtui.domain.models import DecisionKind
from followtui.domain.text import one_line
from followtui.services.decisions import Undone
from followtui.services.history import HistoryRow
from followtui.services.queue import Guarded
from followtui.services.session import Session
from followtui.tui.screens.dialogs import ConfirmScreen
from followtui.tui.screens.main import DECISION_VERBS as VERBS
from followtui.tui.widgets.account_list import AccountList
from followtui.tui.widgets.footer import KeyBar
from followtui.tui.writer import SerialWriter

T = TypeVar("T")

KIND_STYLE = {
    DecisionKind.FOLLOW: "green",
    DecisionKind.SKIP: "yellow",
    DecisionKind.SNOOZE: "cyan",
    DecisionKind.UNFOLLOW: "red",
    DecisionKind.KEEP: "magenta",
    DecisionKind.NEVER: "bold red",
}


class HistoryList(AccountList):
    """The rows of the history: an ``AccountList`` over row keys, without marks."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "toggle_mark"


class HistoryScreen(Screen[bool]):
    """Every decision, newest first (or the snoozes, soonest back first); dismissed with whether it changed any."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Clear the filter; back to triage", id="history_close"),
        Binding("slash", "filter", "Filter", tooltip="Filter: words in the handle or name, or a kind", id="filter"),
        Binding("z", "undo", "Undo", tooltip="Undo the highlighted decision", id="undo"),
        Binding("f", "decide('follow')", "Follow", tooltip="Change it: follow back", id="follow"),
        Binding("s", "decide('skip')", "Skip", tooltip="Change it: skip", id="skip"),
        Binding("w", "decide('snooze')", "Wait", tooltip="Change it: snooze again", id="wait"),
        Binding("u", "decide('unfollow')", "Unfollow", tooltip="Change it: unfollow (asks first)", id="unfollow"),
        Binding("p", "decide('keep')", "Pin", tooltip="Change it: keep", id="pin"),
        Binding("x", "decide('never')", "Never", tooltip="Change it: never follow", id="never"),
        Binding("H", "mode(False)", "History", tooltip="Every decision, newest first", id="history"),
        Binding("W", "mode(True)", "Snoozed", tooltip="Who is snoozed, and when they come back", id="snoozed"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[HistoryRow], snoozed: bool, needle: str) -> None:
            super().__init__()
            self.rows = rows
            self.snoozed = snoozed
            self.needle = needle

    def __init__(self, session: Session, writer: SerialWriter, *, snoozed: bool = False) -> None:
        super().__init__()
        self.session = session
        self._writer = writer
        self.snoozed = snoozed
        self.needle = ""
        self.rows: dict[str, HistoryRow] = {}
        self.changed = False
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="history-header")
        yield HistoryList(self._render_row, empty_text="Loading…", id="history-rows")
        yield Input(
            placeholder="filter: words in the handle or name, or a kind (skip, wait, pin…)", id="history-filter"
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#history-filter", Input).display = False
        self.rows_list.focus()
        self._header()
        self.load()

    @property
    def rows_list(self) -> HistoryList:
        return self.query_one(HistoryList)

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        history = self.session.history
        snoozed, needle = self.snoozed, self.needle
        rows = history.snoozed(needle) if snoozed else history.decisions(needle)
        self.post_message(self.Loaded(rows, snoozed, needle))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        if (message.snoozed, message.needle) != (self.snoozed, self.needle):
            return  # a newer query is on its way
        keep = self.rows_list.highlighted
        self.rows = {row.key: row for row in message.rows}
        nothing = "Nobody is snoozed." if self.snoozed else "No decisions yet."
        self.rows_list.empty_text = "No match for the filter." if self.needle else nothing
        self.rows_list.set_ids(list(self.rows), keep=keep)
        self._header()

    def _header(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        title = "Snoozed: who comes back, and when" if self.snoozed else "History: every decision, newest first"
        text.append(f" {title}", style="bold")
        text.append(f"  ·  {len(self.rows):,}", style="dim")
        if self.needle:
            text.append(f"  ·  filter: {one_line(self.needle, 40)}", style="cyan")
        text.append("  ·  z undoes, f s w u p x change it, W / H switch views", style="dim")
        self.query_one("#history-header", Static).update(text)

    # -- rows ----------------------------------------------------------------------------------------

    def _render_row(self, key: str, _marked: bool) -> Text:
        row = self.rows.get(key)
        text = Text(no_wrap=True, overflow="ellipsis")
        if row is None:
            return text
        decision = row.decision
        now = self.session.clock()
        if self.snoozed:
            until = decision.until or decision.decided_at
            text.append(f" {_back_in(until, now):<16}", style="bold cyan" if until > now else "bold green")
            text.append(f"{_local(until):%a %d %b %H:%M}  ", style="dim")
        else:
            text.append(f" {_local(decision.decided_at):%Y-%m-%d %H:%M}  ", style="dim")
            text.append(f"{decision.kind.label:<14}", style=KIND_STYLE[decision.kind] if row.current else "dim")
        account = self.session.triage.account(decision.account_id)
        handle = f"@{one_line(account.username, 20)}" if account and account.username else decision.account_id
        text.append(f"{handle:<22}", style="bold" if row.current else "dim")
        if account is not None and account.name:
            text.append(one_line(account.name, 30), style="" if row.current else "dim")
        if not row.current:
            text.append("  (replaced by a later decision)", style="dim italic")
        return text

    def _highlighted(self) -> HistoryRow | None:
        key = self.rows_list.highlighted
        return self.rows.get(key) if key else None

    def _handle(self, account_id: str) -> str:
        account = self.session.triage.account(account_id)
        return f"@{one_line(account.username)}" if account and account.username else account_id

    # -- keys ----------------------------------------------------------------------------------------

    def action_back(self) -> None:
        filter_input = self.query_one("#history-filter", Input)
        if filter_input.display:
            filter_input.value = ""
            filter_input.display = False
            self.rows_list.focus()
            return
        self.dismiss(self.changed)

    def action_mode(self, snoozed: bool) -> None:
        if snoozed != self.snoozed:
            self.snoozed = snoozed
            self.rows = {}
            self.rows_list.set_ids([])
            self._header()
            self.load()

    def action_filter(self) -> None:
        filter_input = self.query_one("#history-filter", Input)
        filter_input.display = True
        filter_input.focus()

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, self.load)

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self) -> None:
        self.rows_list.focus()

    def action_undo(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        who = self._handle(row.decision.account_id)
        if not row.current:
            self.notify(f"A later decision stands for {who}: undo that one.", severity="warning", markup=False)
            return
        account_id = row.decision.account_id
        self._submit(lambda: self.session.undo.undo_decision(account_id), lambda undone: self._undone(undone, who))

    def _undone(self, undone: Undone | None, who: str) -> None:
        if undone is None:
            self.notify("Nothing to undo.")
            return
        back = f", back to {undone.restored.kind.label}" if undone.restored else ""
        self.notify(f"↶ Undid {undone.undone.kind.label} of {who}{back}: saved", timeout=4, markup=False)
        self._after_change()

    def action_decide(self, kind_name: str) -> None:
        row = self._highlighted()
        if row is None:
            return
        kind = DecisionKind(kind_name)
        account_id = row.decision.account_id
        who = self._handle(account_id)
        if not self.session.history.eligible(account_id, kind):
            self.notify(f"{VERBS[kind]}: not possible for {who}.", severity="warning", markup=False)
            return
        reason = self.session.decisions.guarded(account_id, kind)
        if reason is not None or kind is DecisionKind.UNFOLLOW:
            question = f"{VERBS[kind]} {who}{' anyway' if reason else ''}?"
            self.app.push_screen(
                ConfirmScreen(question, reason or "", yes=VERBS[kind]),
                lambda yes: self._decide(account_id, kind, override=reason is not None) if yes else None,
            )
            return
        self._decide(account_id, kind)

    def _decide(self, account_id: str, kind: DecisionKind, *, override: bool = False) -> None:
        def done(_decisions: object) -> None:
            self.notify(f"✓ {VERBS[kind]} {self._handle(account_id)}: saved", timeout=3, markup=False)
            self._after_change()

        def failed(error: BaseException) -> None:
            message = str(error) if isinstance(error, Guarded) else f"Could not save: {error}"
            self.notify(message, severity="error", timeout=10, markup=False)

        self._submit(lambda: self.session.undo.decide([account_id], kind, override=override), done, failed)

    def _after_change(self) -> None:
        self.changed = True
        self.load()

    def _submit(
        self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None] | None = None
    ) -> None:
        def said(error: BaseException) -> None:
            self.notify(f"Could not save: {error}", severity="error", timeout=10, markup=False)

        self._writer.submit(job, done, failed or said)


def _local(when: datetime) -> datetime:
    return when.astimezone()


def _back_in(until: datetime, now: datetime) -> str:
    """``back in 2 d 3 h``, ``back in 40 min``, ``back now``."""
    seconds = int((until - now).total_seconds())
    if seconds <= 0:
        return "back now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"back in {days} d {hours} h"
    return f"back in {hours} h" if hours else f"back in {max(rest // 60, 1)} min"
