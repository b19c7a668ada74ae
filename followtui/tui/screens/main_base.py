"""The state and small helpers that the main screen's parts share (sync, outbox, notes, lists)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen
from textual.timer import Timer

from followtui.domain.filters import Order
from followtui.domain.models import DecisionKind, ListInfo, OutboxEntry
from followtui.domain.queues import Pane
from followtui.domain.text import one_line
from followtui.services.session import Session
from followtui.tui.widgets.account_list import AccountList
from followtui.tui.writer import SerialWriter

if TYPE_CHECKING:
    from textual.worker import Worker

T = TypeVar("T")

DEFAULT_ORDERS = {Pane.NEW_FOLLOWERS: Order.NEWEST, Pane.LISTS: Order.NAME, Pane.UNFOLLOW: Order.CONCERN}


class MainBase(Screen[None]):
    """What every part of the main screen can rely on; the parts are mixins over this class."""

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
        self._loading_timer: Timer | None = None
        self._detail_pending = False  # a detail panel update is due after the next frame
        self._outbox_message: str | None = None
        self.requested: frozenset[str] = frozenset()  # follow requests X holds: "requested" in their rows
        self._reveal: str | None = None  # put the cursor here when the pane reloads (after an undo)
        self.sync_message: str | None = None  # progress of the running sync
        self.content_first = content_first  # hide follower counts; c toggles it
        self._sync_cancel = threading.Event()

    @property
    def accounts(self) -> AccountList:
        return self.query_one(AccountList)

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

    # -- implemented by the screen or another part --------------------------------------------------

    def load_everything(self) -> Worker[None]:
        raise NotImplementedError

    def load_pane(self, pane: Pane) -> Worker[None]:
        raise NotImplementedError

    def process_outbox(self) -> Worker[None]:
        raise NotImplementedError

    def _refresh_tabs(self) -> None:
        raise NotImplementedError

    def _refresh_status(self) -> None:
        raise NotImplementedError

    def _show_detail(self) -> None:
        raise NotImplementedError

    def _describe(self, entry: OutboxEntry) -> str:
        raise NotImplementedError

    def _decide(self, ids: list[str], kind: DecisionKind, *, override: bool = False) -> None:
        raise NotImplementedError

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
