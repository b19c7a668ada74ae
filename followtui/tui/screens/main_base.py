"""The state and small helpers that the main screen's parts share (sync, outbox, notes, lists)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from followtui.domain.filters import Order
from followtui.domain.models import DecisionKind, ListInfo, Op, OutboxEntry
from followtui.domain.queues import Pane
from followtui.domain.text import one_line
from followtui.services.session import Session
from followtui.services.status import StatusReadings
from followtui.tui.widgets.account_list import AccountList
from followtui.tui.widgets.lists_column import ListsColumn
from followtui.tui.widgets.panels import PaneTabs
from followtui.tui.writer import SerialWriter

T = TypeVar("T")

DEFAULT_ORDERS = {Pane.NEW_FOLLOWERS: Order.NEWEST, Pane.LISTS: Order.NAME, Pane.UNFOLLOW: Order.CONCERN}


class MainBase(Screen[None]):
    """What every part of the main screen can rely on; the parts are mixins over this class."""

    # What the status bar shows (bound to its reactives in ``compose``): writers change these, never the bar.
    readings: reactive[StatusReadings] = reactive(StatusReadings, init=False)  # the services' counts
    sync_message: reactive[str | None] = reactive(None, init=False)  # progress of the running sync
    content_first = reactive(False, init=False)  # hide follower counts; c toggles it
    marked_count = reactive(0, init=False)
    filter_text = reactive("", init=False)  # the filter of the rows shown
    sorted_by = reactive("", init=False)  # the pane's order, when it is not its default one
    last_keypress_ms: reactive[float | None] = reactive(None, init=False)

    class Changed(Message):
        """Something was written (a decision, a note, an outbox round, a sync): the status bar's readings and the
        detail panel are read again; ``reload`` reloads the panes and the lists, ``send`` sends the outbox."""

        def __init__(
            self, account_ids: Iterable[str] | None = None, *, reload: bool = False, send: bool = False
        ) -> None:
            super().__init__()
            self.account_ids = None if account_ids is None else frozenset(account_ids)
            self.reload = reload
            self.send = send

    def __init__(self, session: Session, writer: SerialWriter, *, content_first: bool = False) -> None:
        super().__init__()
        self.session = session
        self._writer = writer
        self.pane = Pane.NEW_FOLLOWERS
        self.filters: dict[Pane, str] = dict.fromkeys(Pane, "")
        self.orders: dict[Pane, Order] = dict(DEFAULT_ORDERS)
        self.cursors: dict[Pane, str | None] = dict.fromkeys(Pane)
        self._filter_timer: Timer | None = None
        self._loading_timer: Timer | None = None
        self._outbox_message: str | None = None
        self.requested: frozenset[str] = frozenset()  # follow requests X holds: "requested" in their rows
        self._reveal: str | None = None  # put the cursor here when the pane reloads (after an undo)
        self.set_reactive(MainBase.content_first, content_first)
        self._sync_cancel = threading.Event()

    class Decide(Message):
        """Decide ``kind`` on the accounts, asking nothing more (the lists' "list them, then unfollow")."""

        def __init__(self, account_ids: list[str], kind: DecisionKind) -> None:
            super().__init__()
            self.account_ids = account_ids
            self.kind = kind

    def changed(self, account_ids: Iterable[str] | None = None, *, reload: bool = False, send: bool = False) -> None:
        """Say that something was written (from any thread): see ``Changed``."""
        self.post_message(self.Changed(account_ids, reload=reload, send=send))

    @property
    def accounts(self) -> AccountList:
        return self.query_one(AccountList)

    @property
    def tabs(self) -> PaneTabs:
        return self.query_one(PaneTabs)

    @property
    def counts(self) -> Mapping[Pane, int | None]:
        """Each pane's count as the tabs show it (None: counting)."""
        return self.tabs.counts

    @property
    def lists_column(self) -> ListsColumn:
        return self.query_one(ListsColumn)

    @property
    def lists(self) -> list[ListInfo]:
        return self.lists_column.lists

    @property
    def list_id(self) -> str | None:
        """The list the Lists pane shows (the column's choice)."""
        return self.lists_column.list_id

    @property
    def current_list(self) -> ListInfo | None:
        return self.lists_column.current

    def _handle(self, account_id: str) -> str:
        account = self.session.triage.account(account_id)
        return f"@{one_line(account.username)}" if account and account.username else account_id

    def _who(self, account_ids: list[str]) -> str:
        """``@ada`` for one account, ``3 accounts`` for more."""
        return self._handle(account_ids[0]) if len(account_ids) == 1 else f"{len(account_ids)} accounts"

    def _targets(self) -> list[str]:
        marked = self.accounts.marked
        if marked:
            return marked
        highlighted = self.accounts.highlighted
        return [highlighted] if highlighted else []

    def _describe(self, entry: OutboxEntry) -> str:
        """``follow @ada``, ``add @ada to Birders``, ``create the list Birders``."""
        info = self.session.lists.info(entry.list_id) if entry.list_id else None
        list_name = one_line(info.name, 30) if info else "a list"
        who = self._handle(entry.account_id)
        return {
            Op.FOLLOW: f"follow {who}",
            Op.UNFOLLOW: f"unfollow {who}",
            Op.LIST_ADD: f"add {who} to {list_name}",
            Op.LIST_REMOVE: f"remove {who} from {list_name}",
            Op.LIST_CREATE: f"create the list {list_name}",
            Op.LIST_UPDATE: f"rename or describe the list {list_name}",
            Op.LIST_DELETE: f"delete the list {one_line(entry.detail, 30) or list_name}",
        }[entry.op]

    # -- the writer thread -------------------------------------------------------------------------

    def _submit(
        self,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run a store write on the single writer thread (in order), then ``done`` (or ``failed``) on the UI thread."""
        self._writer.submit(job, done, failed or self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        self.notify(f"Could not save: {error}", severity="error", timeout=10)
