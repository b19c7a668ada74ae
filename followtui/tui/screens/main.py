"""The triage screen: pane tabs, the account list, the detail panel and the status bar."""

from __future__ import annotations

import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from followtui.domain.filters import ALIASES, ORDERS, Order, parse
from followtui.domain.models import Account, DecisionKind, ListInfo, Op, OutboxEntry, OutboxState
from followtui.domain.notes import Note
from followtui.domain.queues import Pane
from followtui.domain.signals import SignalKind
from followtui.domain.text import one_line
from followtui.services.actions import OutboxReport, UndoEffect, Undone
from followtui.services.session import Session
from followtui.services.sync import Syncer, SyncError, SyncProgress, SyncReport
from followtui.services.triage import PaneResult
from followtui.tui import format as fmt
from followtui.tui.screens.dialogs import ConfirmScreen, ListChoice, ListPickerScreen, TextScreen, UnfollowScreen
from followtui.tui.screens.note import NoteScreen
from followtui.tui.screens.outbox import SHOWN, OutboxChoice, OutboxScreen
from followtui.tui.widgets.account_list import AccountList
from followtui.tui.widgets.panels import DetailPanel, PaneTabs, StatusBar
from followtui.tui.writer import SerialWriter

T = TypeVar("T")

DECISION_VERBS = {
    DecisionKind.FOLLOW: "Follow back",
    DecisionKind.SKIP: "Skip",
    DecisionKind.SNOOZE: "Wait on",
    DecisionKind.UNFOLLOW: "Unfollow",
    DecisionKind.KEEP: "Pin",
    DecisionKind.NEVER: "Never follow",
}

NEED_YOU = (OutboxState.FAILED, OutboxState.MANUAL)
DEFAULT_ORDERS = {Pane.NEW_FOLLOWERS: Order.NEWEST, Pane.LISTS: Order.NAME, Pane.UNFOLLOW: Order.CONCERN}

EMPTY_TEXT = {
    Pane.NEW_FOLLOWERS: "No new followers to triage. Well done!",
    Pane.LISTS: "This list has no members yet.",
    Pane.UNFOLLOW: "Nobody you follow raises a concern.",
}


@dataclass(frozen=True, slots=True)
class Decided:
    ids: list[str]
    kind: DecisionKind
    pane: Pane
    elapsed_ms: float


class MainScreen(Screen[None]):
    """Triage from the keyboard. State lives here; widgets only display it and report events."""

    BINDINGS = [
        Binding("1", "show_pane('new')", "New", show=False, id="pane_new", tooltip="New followers"),
        Binding("2", "show_pane('lists')", "Lists", show=False, id="pane_lists", tooltip="Your lists"),
        Binding(
            "3", "show_pane('unfollow')", "Unfollow", show=False, id="pane_unfollow", tooltip="Unfollow candidates"
        ),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True, id="next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True, id="previous_pane"),
        Binding("f", "decide('follow')", "Follow", tooltip="Follow back the account(s)", id="follow"),
        Binding("s", "decide('skip')", "Skip", tooltip="Decide not to follow back; leaves the queue", id="skip"),
        Binding("w", "decide('snooze')", "Wait", tooltip="Snooze: the account comes back later", id="wait"),
        Binding("u", "decide('unfollow')", "Unfollow", tooltip="Unfollow (asks first)", id="unfollow"),
        Binding(
            "p",
            "decide('keep')",
            "Pin",
            tooltip="Keep: never suggested for unfollowing, never unfollowed unasked",
            id="pin",
        ),
        Binding(
            "x",
            "decide('never')",
            "Never",
            show=False,
            tooltip="Never follow: leaves the queue for good; a follow asks first",
            id="never",
        ),
        Binding("l", "pick_list", "List", tooltip="Add to a list or take off one", id="add_to_list"),
        Binding("z", "undo", "Undo", tooltip="Undo the last decision", id="undo"),
        Binding("r", "sync", "Sync", tooltip="Read your graph from X again (resumes a stopped sync)", id="sync"),
        Binding(
            "b",
            "outbox",
            "Outbox",
            show=False,  # the status bar names b when a call needs the user
            tooltip="Calls to X not done yet: retry, or follow by hand",
            id="outbox",
        ),
        Binding(
            "n", "edit_note", "Note", show=False, tooltip="A private note on the account; #words become tags", id="note"
        ),
        Binding(
            "c",
            "toggle_content_first",
            "Content first",
            show=False,
            tooltip="Content first: hide follower and following counts",
            id="content_first",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Filter: words, #tag, is:egg, not:brand, is:left (people who left you)",
            id="filter",
        ),
        Binding(
            "S", "cycle_order", "Sort", show=False, tooltip="Sort: newest, oldest, talks, concerns, name", id="sort"
        ),
        Binding("enter", "open_account", "Open", show=False, id="open", tooltip="Show the account in full"),
        Binding(
            "o", "open_in_browser", "Browser", show=False, id="open_in_browser", tooltip="Open the profile on x.com"
        ),
        Binding(
            "escape",
            "escape",
            "Back",
            show=False,
            id="back",
            tooltip="Clear the filter or the marks; back to the lists",
        ),
    ]

    class PaneLoaded(Message):
        def __init__(self, result: PaneResult, counts: dict[Pane, int]) -> None:
            super().__init__()
            self.result = result
            self.counts = counts

    def __init__(self, session: Session, writer: SerialWriter, *, content_first: bool = False) -> None:
        super().__init__()
        self.session = session
        self._writer = writer
        self.pane = Pane.NEW_FOLLOWERS
        self.counts: dict[Pane, int | None] = dict.fromkeys(Pane)
        self.filters: dict[Pane, str] = dict.fromkeys(Pane, "")
        self.orders: dict[Pane, Order] = dict(DEFAULT_ORDERS)
        self.cursors: dict[Pane, str | None] = dict.fromkeys(Pane)
        self.list_id: str | None = None
        self.lists: list[ListInfo] = []
        self.marked_count = 0
        self.last_keypress_ms: float | None = None
        self._filter_timer: Timer | None = None
        self._outbox_message: str | None = None
        self._reveal: str | None = None  # put the cursor here when the pane reloads (after an undo)
        self.sync_message: str | None = None  # progress of the running sync
        self.content_first = content_first  # hide follower counts; c toggles it
        self._sync_cancel = threading.Event()

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneTabs(id="tabs")
        with Horizontal(id="body"):
            yield OptionList(id="lists")
            with Vertical(id="left"):
                yield AccountList(self._render_row, id="accounts")
                yield Input(
                    placeholder="filter: words, #tag, is:egg, not:brand, is:talks, is:left — enter keeps, escape clears",
                    id="filter",
                )
            yield DetailPanel(id="detail")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        me = self.session.store.me()
        who = ("demo · " if self.session.demo else "") + (f"@{one_line(me.username)}" if me else "")
        self.query_one(PaneTabs).who = who
        self.query_one("#filter", Input).display = False
        self.query_one("#lists", OptionList).display = False
        self.query_one(AccountList).focus()
        self._refresh_tabs()
        self._refresh_status()
        self.load_everything()
        self.set_interval(2.0, self._tick_outbox)
        if self.session.notice:
            self.notify(self.session.notice, severity="error", timeout=15)

    def on_unmount(self) -> None:
        self._sync_cancel.set()  # a running sync stops at its next request; it resumes next time

    @property
    def accounts(self) -> AccountList:
        return self.query_one(AccountList)

    # -- loading -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_everything(self) -> None:
        """Count every pane, then show the active one."""
        triage = self.session.triage
        new = triage.new_followers(self.filters[Pane.NEW_FOLLOWERS], self.orders[Pane.NEW_FOLLOWERS])
        unfollow = triage.unfollow_candidates(self.filters[Pane.UNFOLLOW], self.orders[Pane.UNFOLLOW])
        lists = triage.lists()
        counts = {Pane.NEW_FOLLOWERS: new.total, Pane.LISTS: len(lists), Pane.UNFOLLOW: unfollow.total}
        self.app.call_from_thread(self._set_lists, lists)
        active = {Pane.NEW_FOLLOWERS: new, Pane.UNFOLLOW: unfollow}.get(self.pane)
        if active is None:
            list_id = self.list_id or (lists[0].id if lists else "")
            active = triage.list_members(list_id, self.filters[Pane.LISTS], self.orders[Pane.LISTS])
        self.post_message(self.PaneLoaded(active, counts))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_pane(self, pane: Pane) -> None:
        triage = self.session.triage
        needle = self.filters[pane]
        order = self.orders[pane]
        if pane is Pane.NEW_FOLLOWERS:
            result = triage.new_followers(needle, order)
        elif pane is Pane.UNFOLLOW:
            result = triage.unfollow_candidates(needle, order)
        else:
            result = triage.list_members(self.list_id or "", needle, order)
        self.post_message(self.PaneLoaded(result, {pane: result.total} if pane is not Pane.LISTS else {}))

    def _set_lists(self, lists: list[ListInfo]) -> None:
        self.lists = lists
        options = self.query_one("#lists", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for info in lists:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(one_line(info.name, 25), style="bold")
            label.append(f"\n{'private' if info.private else 'public'} · {len(info.member_ids)} members", style="dim")
            options.add_option(Option(label, id=info.id))
        if lists:
            options.highlighted = min(highlighted or 0, len(lists) - 1)
            if self.list_id is None:
                self.list_id = lists[0].id
        self.counts[Pane.LISTS] = len(lists)
        self._refresh_tabs()

    def on_main_screen_pane_loaded(self, message: PaneLoaded) -> None:
        self.counts.update(message.counts)
        result = message.result
        if result.pane is not self.pane or (result.pane is Pane.LISTS and result.list_id != self.list_id):
            self._refresh_tabs()
            return
        self.accounts.empty_text = EMPTY_TEXT[self.pane] if not result.filter_text else "No match for the filter."
        keep = self._reveal if self._reveal in result.ids else self.cursors[self.pane]
        self._reveal = None
        self.accounts.set_ids(result.ids, keep=keep)
        self._refresh_tabs()
        self._refresh_status()
        self._show_detail()

    # -- panes -------------------------------------------------------------------------------------

    def action_show_pane(self, name: str) -> None:
        self._switch(Pane(name))

    def action_cycle_pane(self, step: int) -> None:
        panes = list(Pane)
        self._switch(panes[(panes.index(self.pane) + step) % len(panes)])

    def _switch(self, pane: Pane) -> None:
        if pane is self.pane:
            return
        self.cursors[self.pane] = self.accounts.highlighted
        self.accounts.clear_marks()
        self.pane = pane
        filter_input = self.query_one("#filter", Input)
        filter_input.value = self.filters[pane]
        filter_input.display = bool(self.filters[pane])
        self.query_one("#lists", OptionList).display = pane is Pane.LISTS
        self.accounts.set_ids([])
        self.accounts.empty_text = "Loading…"
        self.accounts.focus()
        self._refresh_tabs()
        self.load_pane(pane)

    @on(OptionList.OptionHighlighted, "#lists")
    def _list_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.list_id:
            self.list_id = event.option.id
            self.cursors[Pane.LISTS] = None
            self.load_pane(Pane.LISTS)

    @on(OptionList.OptionSelected, "#lists")
    def _list_selected(self) -> None:
        self.accounts.focus()

    def _refresh_tabs(self) -> None:
        self.query_one(PaneTabs).show(self.pane, self.counts)

    # -- rows and detail ---------------------------------------------------------------------------

    def _render_row(self, account_id: str, marked: bool) -> Text:
        triage = self.session.triage
        signals = triage.signals(account_id)
        return fmt.row_text(
            triage.account(account_id), account_id, signals, new=self.session.triage.is_new(account_id), marked=marked
        )

    @on(AccountList.Highlighted)
    def _highlighted(self, event: AccountList.Highlighted) -> None:
        self.cursors[self.pane] = event.account_id
        self._show_detail()
        self.refresh_bindings()

    @on(AccountList.MarksChanged)
    def _marks_changed(self, event: AccountList.MarksChanged) -> None:
        self.marked_count = event.count
        self._refresh_status()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        panel = self.query_one(DetailPanel)
        account_id = self.accounts.highlighted
        if account_id is None:
            panel.show(Text(""))
            return
        panel.show(self._detail_text(account_id))

    def _detail_text(self, account_id: str) -> RenderableType:
        triage = self.session.triage
        account = triage.account(account_id)
        if account is None:
            return Text(f"Account {account_id} is known only by its ID.\nhttps://x.com/i/user/{account_id}")
        now = self.session.clock()
        pending = [
            e
            for e in self.session.store.outbox()
            if e.account_id == account_id and e.state is not OutboxState.DONE and e.state is not OutboxState.CANCELLED
        ]
        decision = fmt.decision_text(triage.decision(account_id), pending, now)
        return fmt.detail_text(
            account,
            triage.relationship(account_id),
            triage.reasons(account_id, self.pane),
            triage.signals(account_id),
            decision,
            now,
            new=self.session.triage.is_new(account_id),
            note=self.session.notes.get(account_id),
            content_first=self.content_first,
        )

    def action_open_account(self) -> None:
        if self.focused is self.query_one("#lists", OptionList):
            self.accounts.focus()
            return
        account_id = self.accounts.highlighted
        if account_id is not None:
            self.app.push_screen(TextScreen(self._detail_text(account_id), page_id="account-page"))

    def action_open_in_browser(self) -> None:
        account = self._highlighted_account()
        if account is None:
            return
        refused = self.session.actions.manual_entry(account.id)
        if refused is None:
            webbrowser.open(account.profile_url)
            self.notify(f"Opened {account.profile_url}")
            return
        self._follow_by_hand(refused)

    def _follow_by_hand(self, refused: OutboxEntry) -> None:
        """X refused the follow through the API: the user follows on x.com, and says so here."""
        url = f"https://x.com/intent/follow?user_id={refused.account_id}"
        webbrowser.open(url)
        who = self._handle(refused.account_id)
        self.app.push_screen(
            ConfirmScreen(
                f"Did you follow {who} on x.com?",
                f"X refused the follow through the API ({one_line(refused.error, 120)}). "
                f"Opened {url}. Once you have followed there, press y: the next sync confirms it.",
                yes="I followed",
            ),
            lambda yes: (
                self._submit(lambda: self.session.actions.mark_done_by_hand(refused.id), self._by_hand) if yes else None
            ),
        )

    def _by_hand(self, entry: object) -> None:
        self.notify("✓ Recorded: followed by hand on x.com; the next sync confirms it.")
        self._refresh_status()
        self._show_detail()

    def _highlighted_account(self) -> Account | None:
        account_id = self.accounts.highlighted
        return self.session.triage.account(account_id) if account_id else None

    # -- decisions ---------------------------------------------------------------------------------

    def _targets(self) -> list[str]:
        marked = self.accounts.marked
        if marked:
            return marked
        highlighted = self.accounts.highlighted
        return [highlighted] if highlighted else []

    def _eligible(self, kind: DecisionKind, account_id: str) -> bool:
        rel = self.session.store.relationship(account_id)
        following = bool(rel and rel.following)
        if kind is DecisionKind.FOLLOW:
            return not following
        if kind in (DecisionKind.UNFOLLOW, DecisionKind.KEEP):
            return following
        if kind in (DecisionKind.SKIP, DecisionKind.NEVER):
            return not following
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide" and parameters:
            targets = self._targets()
            kind = DecisionKind(str(parameters[0]))
            return any(self._eligible(kind, t) for t in targets) or None
        if action in ("pick_list", "open_account", "open_in_browser"):
            return bool(self._targets()) or None
        if action == "sync":
            return not self.syncing or None
        return True

    def action_decide(self, kind_name: str) -> None:
        kind = DecisionKind(kind_name)
        targets = [t for t in self._targets() if self._eligible(kind, t)]
        if not targets:
            self.notify(f"{DECISION_VERBS[kind]}: not possible for this account.", severity="warning")
            return
        guarded = [reason for t in targets if (reason := self.session.actions.guarded(t, kind))]
        if guarded:
            # A pinned account is never unfollowed, a never-follow one never followed, without asking.
            self.app.push_screen(
                ConfirmScreen(
                    f"{DECISION_VERBS[kind]} anyway?", "\n".join(guarded[:8]), yes=f"{DECISION_VERBS[kind]} anyway"
                ),
                lambda yes: self._decide(targets, kind, override=True) if yes else None,
            )
            return
        names = ", ".join(self._handle(t) for t in targets[:8]) + (" …" if len(targets) > 8 else "")
        if kind is DecisionKind.UNFOLLOW:
            who = self._handle(targets[0]) if len(targets) == 1 else f"{len(targets)} accounts"
            self.app.push_screen(
                UnfollowScreen(f"Unfollow {who}?", names if len(targets) > 1 else ""),
                lambda choice: self._unfollow_choice(targets, choice),
            )
            return
        if len(targets) > 1:
            question = f"{DECISION_VERBS[kind]} {len(targets)} account{'s' if len(targets) > 1 else ''}?"
            self.app.push_screen(
                ConfirmScreen(question, names, yes=DECISION_VERBS[kind]),
                lambda yes: self._decide(targets, kind) if yes else None,
            )
            return
        self._decide(targets, kind)

    def _unfollow_choice(self, targets: list[str], choice: str | None) -> None:
        if choice == "unfollow":
            self._decide(targets, DecisionKind.UNFOLLOW)
        elif choice == "list":
            self._pick_list_for(targets, then_unfollow=True)

    def _handle(self, account_id: str) -> str:
        account = self.session.triage.account(account_id)
        return f"@{one_line(account.username)}" if account and account.username else account_id

    def _decide(self, ids: list[str], kind: DecisionKind, *, override: bool = False) -> None:
        pane = self.pane

        def write() -> Decided:
            started = time.perf_counter()
            self.session.actions.decide_many(ids, kind, override=override)
            return Decided(ids, kind, pane, (time.perf_counter() - started) * 1000)

        self._submit(write, self._on_decided)

    def _on_decided(self, decided: Decided) -> None:
        self.last_keypress_ms = decided.elapsed_ms
        leaves = decided.pane is not Pane.LISTS
        if decided.pane is self.pane and leaves:
            self.accounts.remove_ids(decided.ids)
            total = self.counts.get(self.pane)
            if total is not None:
                self.counts[self.pane] = max(total - len(decided.ids), 0)
        else:
            self.accounts.refresh_rows()
        if decided.kind is DecisionKind.FOLLOW and decided.pane is not Pane.NEW_FOLLOWERS:
            self.counts[Pane.NEW_FOLLOWERS] = None
        who = self._handle(decided.ids[0]) if len(decided.ids) == 1 else f"{len(decided.ids)} accounts"
        sending = " · sending…" if decided.kind in (DecisionKind.FOLLOW, DecisionKind.UNFOLLOW) else ""
        self.notify(f"✓ {DECISION_VERBS[decided.kind]} {who}: saved{sending}", timeout=3)
        self._refresh_tabs()
        self._refresh_status()
        self._show_detail()
        self.process_outbox()

    def action_undo(self) -> None:
        self._submit(self.session.actions.undo, self._on_undone)

    def _on_undone(self, undone: Undone | None) -> None:
        if undone is None:
            self.notify("Nothing to undo.")
            return
        back = f", back to {undone.restored.kind.label}" if undone.restored else ""
        self.notify(f"↶ Undid {undone.undone.kind.label} of {self._handle(undone.account_id)}{back}: saved", timeout=4)
        if undone.effect is UndoEffect.INVERSE:
            self.process_outbox()
        self._reveal = undone.account_id
        self.load_everything()
        self._refresh_status()

    # -- lists -------------------------------------------------------------------------------------

    def action_pick_list(self) -> None:
        targets = self._targets()
        if targets:
            self._pick_list_for(targets)

    def _pick_list_for(self, targets: list[str], *, then_unfollow: bool = False) -> None:
        lists = self.session.triage.lists()
        on_all = {info.id for info in lists if all(t in info.member_ids for t in targets)}
        who = self._handle(targets[0]) if len(targets) == 1 else f"{len(targets)} accounts"
        self.app.push_screen(
            ListPickerScreen(lists, on_all, who),
            lambda choice: self._apply_list(targets, choice, then_unfollow=then_unfollow),
        )

    def _apply_list(self, targets: list[str], choice: ListChoice | None, *, then_unfollow: bool = False) -> None:
        if choice is None:
            return
        if then_unfollow and not choice.add:
            self.notify("They are already on that list: pick another, or press u again to unfollow.")
            return
        actions = self.session.actions

        def write() -> ListChoice:
            list_id = choice.list_id
            if choice.new_name is not None:
                list_id = actions.create_list(choice.new_name).id  # ValueError: X would refuse the name
            for account_id in targets:
                if choice.add:
                    actions.add_to_list(account_id, list_id)
                else:
                    actions.remove_from_list(account_id, list_id)
            return ListChoice(list_id, choice.add, choice.new_name)

        def done(result: ListChoice) -> None:
            name = result.new_name or next((i.name for i in self.lists if i.id == result.list_id), "the list")
            name = one_line(name)
            who = self._handle(targets[0]) if len(targets) == 1 else f"{len(targets)} accounts"
            self.notify(
                f"✓ {'Added' if result.add else 'Removed'} {who} {'to' if result.add else 'from'} {name}: saved"
            )
            self.accounts.clear_marks()
            if then_unfollow:
                self._decide(targets, DecisionKind.UNFOLLOW)  # listed first, then unfollowed, in this order
            else:
                self.load_everything()
            self.process_outbox()

        self._submit(write, done)

    # -- filter ------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        filter_input.focus()

    def action_cycle_order(self) -> None:
        orders = list(ORDERS)
        self.orders[self.pane] = orders[(orders.index(self.orders[self.pane]) + 1) % len(orders)]
        self.notify(f"Sorted {self.orders[self.pane].value}.", timeout=2)
        self._refresh_status()
        self.load_pane(self.pane)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filters[self.pane] = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, lambda: self.load_pane(self.pane))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.accounts.focus()
        unknown = parse(self.filters[self.pane]).unknown
        if unknown:
            names = ", ".join(sorted({*ALIASES, "left", "suspended", "deleted"} - {k.value for k in SignalKind}))
            self.notify(f"Unknown filter {', '.join(unknown)}: is: or not: take {names}", severity="warning")

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.display:
            filter_input.value = ""
            filter_input.display = False
            self.accounts.focus()
        elif self.accounts.marked:
            self.accounts.clear_marks()
        elif self.pane is Pane.LISTS and self.focused is self.accounts:
            self.query_one("#lists", OptionList).focus()

    # -- notes and content first -------------------------------------------------------------------

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
            self._show_detail()

        self._submit(lambda: self.session.notes.set(account_id, text), saved)

    def action_toggle_content_first(self) -> None:
        self.content_first = not self.content_first
        state = "on: follower counts are hidden" if self.content_first else "off"
        self.notify(f"Content first {state}.", timeout=3)
        self._refresh_status()
        self._show_detail()

    # -- the outbox --------------------------------------------------------------------------------

    def action_outbox(self) -> None:
        entries = self.session.store.outbox(SHOWN)
        self.app.push_screen(OutboxScreen(entries, self._describe), self._outbox_choice)

    def _outbox_choice(self, choice: OutboxChoice | None) -> None:
        if choice is None:
            return
        entry = self.session.store.outbox_entry(choice.entry_id)
        if entry is None:
            return
        if choice.action == "by_hand":
            self._follow_by_hand(entry)
            return

        def retried(_entry: OutboxEntry) -> None:
            self.notify(f"Trying again: {self._describe(entry)}")
            self._refresh_status()
            self.process_outbox()

        self._submit(lambda: self.session.actions.retry(entry.id), retried)

    # -- sync --------------------------------------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self.sync_message is not None

    def action_sync(self) -> None:
        if self.syncing:
            self.notify("A sync is already running.")
            return
        self.sync_message = "sync: starting"
        self._refresh_status()
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def run_sync(self) -> None:
        session = self.session
        syncer = Syncer(
            session.store,
            session.backend,
            session.clock,
            options=session.sync_options,
            progress=lambda progress: self._from_sync_thread(self._sync_progress, progress),
            cancel=self._sync_cancel,
        )
        try:
            report = syncer.run()
        except SyncError as error:
            self._from_sync_thread(self._sync_failed, str(error))
            return
        except Exception as error:  # a bug, or the disk: say it, keep the app
            self._from_sync_thread(self._sync_failed, f"unexpected error: {error}")
            raise
        session.triage.reload()
        self._from_sync_thread(self._sync_done, report)

    def _from_sync_thread(self, callback: Callable[[T], None], value: T) -> None:
        if not self._sync_cancel.is_set():
            self.app.call_from_thread(callback, value)

    def _sync_progress(self, progress: SyncProgress) -> None:
        self.sync_message = f"sync: {progress.message}"
        self._refresh_status()

    def _sync_failed(self, message: str) -> None:
        self.sync_message = None
        self.notify(f"Sync stopped: {message}", severity="error", timeout=12)
        self._refresh_status()

    def _sync_done(self, report: SyncReport) -> None:
        self.sync_message = None
        me = self.session.store.me()
        if me is not None:
            who = ("demo · " if self.session.demo else "") + f"@{one_line(me.username)}"
            self.query_one(PaneTabs).who = who
        self.notify(f"✓ Synced {report.summary()}", timeout=8)
        self.load_everything()
        self._refresh_status()

    # -- outbox and status -------------------------------------------------------------------------

    def _tick_outbox(self) -> None:
        self.process_outbox()

    @work(thread=True, exclusive=True, group="outbox", exit_on_error=False)
    def process_outbox(self) -> None:
        actions = self.session.actions
        if actions.pending_count() == 0:
            return
        report = actions.process_outbox()
        self.app.call_from_thread(self._after_outbox, report)

    def _after_outbox(self, report: OutboxReport) -> None:
        if report.message and report.message != self._outbox_message:
            self.notify(report.message, severity="warning", timeout=6)  # once, not on every retry round
        self._outbox_message = report.message
        for entry in report.guarded:
            self.notify(f"Not sent: {self._describe(entry)}: {one_line(entry.error, 120)}", severity="warning")
        for entry in report.failed:
            what = self._describe(entry)
            hint = " Press o (or b, then o) to follow on x.com." if entry.state is OutboxState.MANUAL else ""
            self.notify(f"X refused to {what}: {one_line(entry.error, 160)}.{hint}", severity="error", timeout=10)
        self._refresh_status()
        self._show_detail()

    def _describe(self, entry: OutboxEntry) -> str:
        """``follow @ada``, ``add @ada to Birders``, ``create the list Birders``."""
        info = self.session.store.list_info(entry.list_id) if entry.list_id else None
        list_name = one_line(info.name, 30) if info else "a list"
        who = self._handle(entry.account_id)
        return {
            Op.FOLLOW: f"follow {who}",
            Op.UNFOLLOW: f"unfollow {who}",
            Op.LIST_ADD: f"add {who} to {list_name}",
            Op.LIST_REMOVE: f"remove {who} from {list_name}",
            Op.LIST_CREATE: f"create the list {list_name}",
        }[entry.op]

    def _refresh_status(self) -> None:
        actions = self.session.actions
        now = self.session.clock()
        sync = self.session.store.sync_info()
        text = Text()
        pending = actions.pending_count()
        text.append(f" {pending} pending" if pending else " nothing pending", style="bold yellow" if pending else "")
        stuck = len(self.session.store.outbox(NEED_YOU))
        if stuck:
            text.append("  ·  ")
            text.append(f"{stuck} need you (b)", style="bold red")
        text.append("  ·  ")
        text.append(f"last sync {fmt.ago(sync.last_sync, now)}" if sync.last_sync else "never synced")
        waiting = actions.rate_limited_until()
        if waiting is not None and waiting > now:
            text.append("  ·  ")
            text.append(f"writes wait until {waiting.astimezone():%H:%M}", style="bold red")
        if self.sync_message:
            text.append("  ·  ")
            text.append(one_line(self.sync_message, 60), style="bold cyan")
        meter = self.session.meter
        if meter.total_requests():
            text.append("  ·  ")
            text.append(f"X {meter.compact(now)}", style="dim")
        if self.content_first:
            text.append("  ·  ")
            text.append("content first", style="green")
        if self.marked_count:
            text.append("  ·  ")
            text.append(f"{self.marked_count} marked", style="bold magenta")
        if self.filters[self.pane]:
            text.append("  ·  ")
            text.append(f"filter: {one_line(self.filters[self.pane], 30)}", style="cyan")
        if self.orders[self.pane] is not DEFAULT_ORDERS[self.pane]:
            text.append("  ·  ")
            text.append(f"sorted {self.orders[self.pane].value}", style="cyan")
        if self.last_keypress_ms is not None:
            text.append(f"  ·  saved in {self.last_keypress_ms:.0f} ms", style="dim")
        self.query_one(StatusBar).update(text)

    # -- the writer thread -------------------------------------------------------------------------

    def _submit(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run a store write on the single writer thread (in order), then ``done`` on the UI thread."""
        self._writer.submit(job, done, self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        self.notify(f"Could not save: {error}", severity="error", timeout=10)
