"""The triage screen: pane tabs, the account list, the detail panel and the status bar."""

from __future__ import annotations

import time
import webbrowser
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input

from followtui import gcpolicy
from followtui.domain.filters import ORDERS, refusal
from followtui.domain.models import Account, AccountState, DecisionKind
from followtui.domain.queues import Pane
from followtui.domain.text import one_line
from followtui.services.status import read_status
from followtui.services.triage import PaneResult
from followtui.services.undo import UndoResult
from followtui.tui import format as fmt
from followtui.tui.list_words import for_lists
from followtui.tui.screens.account import ACTS, AccountScreen
from followtui.tui.screens.dialogs import ConfirmScreen, UnfollowScreen
from followtui.tui.screens.main_base import DEFAULT_ORDERS, MainBase
from followtui.tui.screens.main_lists import ListsMixin
from followtui.tui.screens.main_notes import NotesMixin
from followtui.tui.screens.main_outbox import OutboxMixin
from followtui.tui.screens.main_sync import SyncMixin
from followtui.tui.screens.stats import StatsScreen
from followtui.tui.widgets.account_list import AccountList
from followtui.tui.widgets.detail import DetailView
from followtui.tui.widgets.footer import KeyBar
from followtui.tui.widgets.lists_column import ListsColumn
from followtui.tui.widgets.panels import PaneTabs, StatusBar

T = TypeVar("T")

DECISION_VERBS = {
    DecisionKind.FOLLOW: "Follow back",
    DecisionKind.SKIP: "Skip",
    DecisionKind.SNOOZE: "Wait on",
    DecisionKind.UNFOLLOW: "Unfollow",
    DecisionKind.KEEP: "Pin",
    DecisionKind.NEVER: "Never follow",
}


LOADING_SHOWN_AFTER = 0.1
"""Seconds a pane switch keeps the previous rows on screen (inert) before it shows "Loading…" instead."""

EMPTY_TEXT = {
    Pane.NEW_FOLLOWERS: "No new followers to triage. Well done!",
    Pane.LISTS: "This list has no members yet.",
    Pane.UNFOLLOW: "Nobody you follow raises a concern.",
}


LIST_KEYS = frozenset(
    {"new_list", "publish_list", "edit_list", "delete_list", "remove_member", "suggestions", "matrix"}
)


@dataclass(frozen=True, slots=True)
class Decided:
    ids: list[str]
    kind: DecisionKind
    pane: Pane
    elapsed_ms: float


class MainScreen(ListsMixin, NotesMixin, OutboxMixin, SyncMixin, MainBase):
    """Triage from the keyboard. State lives here; widgets only display it and report events."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # -narrow: 80 columns, a narrower lists column

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
        Binding("z", "undo", "Undo", tooltip="Undo the last change, whatever it was", id="undo"),
        Binding(
            "H", "history", "History", show=False, tooltip="Every decision, newest first: change or undo", id="history"
        ),
        Binding("W", "snoozed", "Snoozed", show=False, tooltip="Who is snoozed, and when they come back", id="snoozed"),
        Binding(
            "N",
            "new_list",
            "New",
            tooltip="Lists pane: create a list (private; on Bluesky kept on this machine)",
            id="list_new",
        ),
        Binding(
            "P",
            "publish_list",
            "Publish",
            tooltip="Lists pane, Bluesky: publish a list kept on this machine (it becomes public; asks first)",
            id="list_publish",
        ),
        Binding("e", "edit_list", "Edit", tooltip="Lists pane: rename the list, edit its description", id="list_edit"),
        Binding("D", "delete_list", "Delete", tooltip="Lists pane: delete the list (asks first)", id="list_delete"),
        Binding(
            "minus,delete",
            "remove_member",
            "Remove",
            tooltip="Lists pane: take the highlighted or marked account(s) off the list",
            id="list_remove",
        ),
        Binding("m", "matrix", "Matrix", tooltip="Who is on which list: accounts against lists", id="matrix"),
        Binding(
            "i",
            "suggestions",
            "Suggest",
            tooltip="Lists pane: suggested lists by place and topic",
            id="suggestions",
        ),
        Binding("t", "stats", "Stats", show=False, id="stats", tooltip="Followers over time: gained and lost per day"),
        Binding("r", "sync", "Sync", tooltip="Read your graph again (resumes a stopped sync)", id="sync"),
        Binding(
            "b",
            "outbox",
            "Outbox",
            show=False,  # the status bar names b when a call needs the user
            tooltip="Calls not yet done on the network: retry, or follow by hand",
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
            "o",
            "open_in_browser",
            "Browser",
            show=False,
            id="open_in_browser",
            tooltip="Open the profile in your browser (x.com or bsky.app)",
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

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneTabs(id="tabs")
        with Horizontal(id="body"):
            yield ListsColumn(id="lists")
            with Vertical(id="left"):
                yield AccountList(self._render_row, id="accounts")
                yield Input(
                    placeholder="filter: words, #tag, is:egg, not:brand, is:talks, is:left — enter keeps, escape clears",
                    id="filter",
                )
            yield DetailView(self.session, id="detail").data_bind(MainBase.content_first)
        yield StatusBar(id="status").data_bind(
            MainBase.readings,
            MainBase.sync_message,
            MainBase.content_first,
            MainBase.marked_count,
            MainBase.filter_text,
            MainBase.sorted_by,
            MainBase.last_keypress_ms,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(PaneTabs).set_who(self.session.who(), self.session.who(short=True))
        self.query_one("#filter", Input).display = False
        self.lists_column.display = False
        self.query_one(AccountList).focus()
        self.tabs.light(self.pane)
        self._read_status()
        self.load_everything()
        self.set_interval(2.0, self._tick_outbox)
        if self.session.notice:
            self.notify(self.session.notice, severity="error", timeout=15)

    # -- loading -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_everything(self) -> None:
        """Show New followers first (from the graph's head while the rest loads), then count every pane.

        At start-up only ``graph-head.json`` is read: New followers show at once, then the full graph, the search
        index and the followed accounts' signals load here, in the background, before the other panes count.
        """
        from threading import Event  # local: only this method's body is the perf helper's to change

        triage = self.session.triage
        new = triage.new_followers(self.filters[Pane.NEW_FOLLOWERS], self.orders[Pane.NEW_FOLLOWERS])
        first_page = self.pane is Pane.NEW_FOLLOWERS
        if first_page:
            if not triage.in_head(new.ids[:100]):  # rows the head lacks: never make the UI thread parse the graph
                triage.load_graph()
            loading = not triage.graph_loaded
            painted = Event()

            def show() -> None:  # on the UI thread: the page, then a mark once it is on screen
                self.on_main_screen_pane_loaded(self.PaneLoaded(new, {Pane.NEW_FOLLOWERS: new.total}))
                self.call_after_refresh(painted.set)

            self.app.call_from_thread(show)
            if loading:  # parsing holds the GIL for a second: let the page reach the screen first
                painted.wait(1.0)
        triage.load_graph()
        triage.warm()
        self.session.history.progress.seed()  # "triaged today" in the status bar
        # The graph, the search index and the signals live as long as the session: out of the cyclic collector's
        # sight, its full passes stop walking them (40-80 ms pauses at 100,000 followers). Reference counting
        # still frees them when a sync replaces them.
        gcpolicy.freeze()
        unfollow = triage.unfollow_candidates(self.filters[Pane.UNFOLLOW], self.orders[Pane.UNFOLLOW])
        lists = triage.lists()
        counts = {Pane.NEW_FOLLOWERS: new.total, Pane.LISTS: len(lists), Pane.UNFOLLOW: unfollow.total}
        if first_page:
            del counts[Pane.NEW_FOLLOWERS]  # shown already; decisions made since then have updated it
        list_id = self.app.call_from_thread(self._set_lists, lists)  # the list the column shows now
        self.changed(())  # the status bar's "triaged today", counted above
        active = {Pane.NEW_FOLLOWERS: unfollow if first_page else new, Pane.UNFOLLOW: unfollow}.get(self.pane)
        if active is None:
            active = triage.list_members(list_id or "", self.filters[Pane.LISTS], self.orders[Pane.LISTS])
        self.post_message(self.PaneLoaded(active, counts))  # on New followers: the other panes' counts only

    def load_pane(self, pane: Pane) -> None:
        """Load ``pane``'s rows again (for Lists: the list the column shows now), in the background."""
        self._load_pane(pane, self.list_id or "")

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_pane(self, pane: Pane, list_id: str) -> None:
        triage = self.session.triage
        needle = self.filters[pane]
        order = self.orders[pane]
        if pane is Pane.NEW_FOLLOWERS:
            result = triage.new_followers(needle, order)
        elif pane is Pane.UNFOLLOW:
            result = triage.unfollow_candidates(needle, order)
        else:
            result = triage.list_members(list_id, needle, order)
        self.post_message(self.PaneLoaded(result, {pane: result.total} if pane is not Pane.LISTS else {}))

    @on(ListsColumn.Picked)
    def _list_picked(self, message: ListsColumn.Picked) -> None:
        """The user moved to another list: load its members, from the top. (When new lists replaced the one shown,
        ``load_everything``, which set them, loads the members of the list the column took.)"""
        if message.moved:
            self.cursors[Pane.LISTS] = None
            self.load_pane(Pane.LISTS)
        self.refresh_bindings()  # P (publish) is there for a list kept on this machine only

    def on_main_screen_pane_loaded(self, message: PaneLoaded) -> None:
        self.tabs.set_counts(message.counts)
        result = message.result
        if result.pane is not self.pane or (result.pane is Pane.LISTS and result.list_id != self.list_id):
            return
        if self._loading_timer is not None:
            self._loading_timer.stop()
        self.accounts.empty_text = EMPTY_TEXT[self.pane] if not result.filter_text else "No match for the filter."
        keep = self._reveal if self._reveal in result.ids else self.cursors[self.pane]
        self._reveal = None
        self.accounts.set_ids(result.ids, keep=keep)
        self.tabs.light(self.pane)
        self.filter_text = self.filters[self.pane]
        self.sorted_by = self._sorted_by(self.pane)
        self._read_status()
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
        self.lists_column.display = pane is Pane.LISTS
        self.accounts.hold()  # the old rows stay up (inert) until the new ones come: one frame, not two
        if self._loading_timer is not None:
            self._loading_timer.stop()
        self._loading_timer = self.set_timer(LOADING_SHOWN_AFTER, self._show_loading)
        if self.focused is not self.accounts:  # focus() repaints the list even when it has the focus already
            self.accounts.focus()
        # The tabs and the keys are updated with the rows (on_main_screen_pane_loaded): a frame now would hold
        # the rows' frame back by one frame period (Textual paints at most 60 times a second).
        self.load_pane(pane)

    def _show_loading(self) -> None:
        """The pane is slow to load: show that, not the previous pane's rows."""
        for accounts in self.query(AccountList):  # a query: the list is gone once the screen is torn down
            if accounts.held:
                accounts.empty_text = "Loading…"
                accounts.set_ids([])
                self.tabs.light(self.pane)

    # -- rows and detail ---------------------------------------------------------------------------

    def _render_row(self, account_id: str, marked: bool) -> Text:
        triage = self.session.triage
        signals = triage.signals(account_id)
        return fmt.row_text(
            triage.account(account_id),
            account_id,
            signals,
            new=self.session.triage.is_new(account_id),
            marked=marked,
            requested=account_id in self.requested,
            talked=triage.last_talked(account_id),
            now=self.session.clock(),
            width=self.accounts.scrollable_content_region.width,
        )

    @on(AccountList.Highlighted)
    def _highlighted(self, event: AccountList.Highlighted) -> None:
        self.cursors[self.pane] = event.account_id
        self.query_one(DetailView).account_id = event.account_id
        self.refresh_bindings()

    @on(AccountList.MarksChanged)
    def _marks_changed(self, event: AccountList.MarksChanged) -> None:
        self.marked_count = event.count
        self.refresh_bindings()

    def _show_detail(self, account_ids: frozenset[str] | None = None) -> None:
        """Point the detail panel at the highlighted account; paint it again if it shows one of ``account_ids``."""
        detail = self.query_one(DetailView)
        detail.pane = self.pane
        detail.account_id = self.accounts.highlighted
        detail.changed(account_ids)

    def _read_status(self) -> None:
        """Read the status bar's counts from the services again (the bar repaints if they differ)."""
        self.readings = read_status(self.session)

    def _sorted_by(self, pane: Pane) -> str:
        order = self.orders[pane]
        return "" if order is DEFAULT_ORDERS[pane] else order.value

    @on(MainBase.Changed)
    def _changed(self, message: MainBase.Changed) -> None:
        self._read_status()
        self._show_detail(message.account_ids)
        if message.reload:
            self.load_everything()
        if message.send:
            self.process_outbox()

    @on(MainBase.Decide)
    def _decide_asked(self, message: MainBase.Decide) -> None:
        self._decide(message.account_ids, message.kind)

    @on(DetailView.PostsRead)
    def _posts_read(self) -> None:
        self._read_status()  # the meter counts the request
        self.accounts.refresh()  # the row's badges may change with the posts

    def action_open_account(self) -> None:
        if self.focused is self.lists_column:
            self.accounts.focus()
            return
        account_id = self.accounts.highlighted
        if account_id is not None:
            allowed = [action for *_, action in ACTS if self._allows(action)]
            page = AccountScreen(self.query_one(DetailView).text_for(account_id), allowed)
            self.app.push_screen(page, self._run_page_action)

    def _run_page_action(self, action: str | None) -> None:
        if action:
            self.call_later(self.run_action, action)

    def _allows(self, action: str) -> bool:
        """Whether the key for ``action`` (``decide('follow')``) works on the highlighted account now."""
        name, _, rest = action.partition("(")
        parameters = tuple(p.strip("')") for p in rest.split(",")) if rest else ()
        return bool(self.check_action(name, parameters))

    @property
    def footer_first(self) -> frozenset[str]:
        """The keys the key bar keeps first when it is short of room: on the Lists pane, the list keys."""
        return LIST_KEYS if self.pane is Pane.LISTS else frozenset()

    def action_stats(self) -> None:
        self.app.push_screen(StatsScreen(self.session))

    def action_open_in_browser(self) -> None:
        account = self._highlighted_account()
        if account is None:
            return
        refused = self.session.outbox.manual_entry(account.id)
        if refused is None:
            if webbrowser.open(account.profile_url):
                self.notify(f"Opened {account.profile_url}")
            else:
                self.notify(
                    f"No browser found here. The profile: {account.profile_url}", severity="warning", timeout=15
                )
            return
        self._follow_by_hand(refused)

    def _highlighted_account(self) -> Account | None:
        account_id = self.accounts.highlighted
        return self.session.triage.account(account_id) if account_id else None

    # -- decisions ---------------------------------------------------------------------------------

    def _eligible(self, kind: DecisionKind, account_id: str) -> bool:
        return self.session.history.eligible(account_id, kind)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide" and parameters:
            targets = self._targets()
            kind = DecisionKind(str(parameters[0]))
            return any(self._eligible(kind, t) for t in targets) or None
        if action in ("pick_list", "open_account", "open_in_browser"):
            return bool(self._targets()) or None
        if action == "sync":
            return not self.syncing or None
        if action in ("new_list", "suggestions"):
            return self.pane is Pane.LISTS
        if action == "publish_list":
            info = self.current_list
            publishable = info is not None and info.kept_here and self.session.lists.keeps_new_lists_here
            return self.pane is Pane.LISTS and publishable
        if action in ("edit_list", "delete_list"):
            return self.pane is Pane.LISTS and (self.list_id is not None or None)
        if action == "remove_member":
            return self.pane is Pane.LISTS and (bool(self.list_id and self._targets()) or None)
        return True

    def action_decide(self, kind_name: str) -> None:
        kind = DecisionKind(kind_name)
        targets = [t for t in self._targets() if self._eligible(kind, t)]
        if not targets:
            self.notify(f"{DECISION_VERBS[kind]}: not possible for this account.", severity="warning")
            return
        guarded = [reason for t in targets if (reason := self.session.decisions.guarded(t, kind))]
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
            gone = any((a := self.session.triage.account(t)) and a.state is not AccountState.ACTIVE for t in targets)
            self.app.push_screen(
                UnfollowScreen(
                    f"Unfollow {who}?",
                    names if len(targets) > 1 else "",
                    list_instead=not gone,
                    words=for_lists(self.session.lists.keeps_new_lists_here),
                    network=self.session.network_name,
                ),
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

    def _decide(self, ids: list[str], kind: DecisionKind, *, override: bool = False) -> None:
        pane = self.pane

        def write() -> Decided:
            started = time.perf_counter()
            self.session.undo.decide(ids, kind, override=override)
            return Decided(ids, kind, pane, (time.perf_counter() - started) * 1000)

        self._submit(write, self._on_decided)

    def _on_decided(self, decided: Decided) -> None:
        self.last_keypress_ms = decided.elapsed_ms
        leaves = decided.pane is not Pane.LISTS
        if decided.pane is self.pane and leaves:
            self.accounts.remove_ids(decided.ids)
            total = self.tabs.count(self.pane)
            if total is not None:
                self.tabs.set_counts({self.pane: max(total - len(decided.ids), 0)})
        else:
            self.accounts.refresh_rows()
        if decided.kind is DecisionKind.FOLLOW and decided.pane is not Pane.NEW_FOLLOWERS:
            self.tabs.set_counts({Pane.NEW_FOLLOWERS: None})  # counted again when it shows
        who = self._handle(decided.ids[0]) if len(decided.ids) == 1 else f"{len(decided.ids)} accounts"
        sending = " · sending…" if decided.kind in (DecisionKind.FOLLOW, DecisionKind.UNFOLLOW) else ""
        self.notify(f"✓ {DECISION_VERBS[decided.kind]} {who}: saved{sending}", timeout=3)
        self.changed(decided.ids, send=True)

    def action_undo(self) -> None:
        self._submit(self.session.undo.undo, self._on_undone)

    def _on_undone(self, result: UndoResult | None) -> None:
        if result is None:
            self.notify("Nothing to undo.")
            return
        restored = {u.restored.kind.label for u in result.decisions if u.restored}
        back = f", back to {' / '.join(sorted(restored))}" if restored else ""
        self.notify(f"↶ Undid {one_line(result.what, 120)}{back}: saved", timeout=4, markup=False)
        self._reveal = result.account_ids[0] if result.account_ids else None
        self.changed((), reload=True, send=bool(result.sends))

    def action_history(self) -> None:
        self._push_history(snoozed=False)

    def action_snoozed(self) -> None:
        self._push_history(snoozed=True)

    def _push_history(self, *, snoozed: bool) -> None:
        from followtui.tui.screens.history import HistoryScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.changed((), reload=True, send=True)

        self.app.push_screen(HistoryScreen(self.session, self._writer, snoozed=snoozed), back)

    # -- filter ------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        filter_input.focus()

    def action_cycle_order(self) -> None:
        orders = list(ORDERS)
        self.orders[self.pane] = orders[(orders.index(self.orders[self.pane]) + 1) % len(orders)]
        self.notify(f"Sorted {self.orders[self.pane].value}.", timeout=2)
        self.sorted_by = self._sorted_by(self.pane)
        self.load_pane(self.pane)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filters[self.pane] = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, lambda: self.load_pane(self.pane))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        unknown = self.session.triage.parse_filter(self.filters[self.pane]).unknown
        if unknown:
            # refused: the pane shows everyone again and the status bar no filter; the text stays to be fixed
            self.filters[self.pane] = ""
            self.filter_text = ""
            self.load_pane(self.pane)
            self.notify(refusal(unknown, [info.name for info in self.lists]), severity="warning", timeout=12)
            return
        self.accounts.focus()

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.display:
            filter_input.value = ""
            filter_input.display = False
            self.accounts.focus()
        elif self.accounts.marked:
            self.accounts.clear_marks()
        elif self.pane is Pane.LISTS and self.focused is self.accounts:
            self.lists_column.focus()
