"""The detail panel: the highlighted account in full, read through the services, with its posts read on demand.

The screen tells it which account is highlighted (``account_id``) and, when something was written about accounts,
which ones (``changed``); the panel renders itself one frame after the list shows the change. When the cursor rests
on an account with no posts cached (``POSTS_AFTER`` seconds: scrolling past accounts spends nothing), one request
reads them in a thread worker (``services.posts``), within the day's budget; the panel says it is reading, what
stopped it, or shows them, then posts ``PostsRead`` (the row's badges and the status bar's meter may change).

The worker lives here, with the timer and the "is it still highlighted" check it needs: the panel alone knows
which account it shows. The app counts it among the session's workers by its group (an account switch waits).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from followtui.domain.models import Account
from followtui.domain.queues import Pane
from followtui.services.posts import PostsRead
from followtui.services.session import Session
from followtui.tui import format as fmt

POSTS_AFTER = 0.6
"""Seconds the cursor rests on an account before its posts are read."""


class DetailView(VerticalScroll):
    """The highlighted account, in full."""

    DEFAULT_CSS = """
    DetailView > Static { width: 1fr; }
    """

    account_id: reactive[str | None] = reactive(None, init=False)
    """The account shown; None shows nothing."""
    pane: reactive[Pane] = reactive(Pane.NEW_FOLLOWERS, init=False)
    """The pane the account is seen in: the reasons it is there."""
    content_first = reactive(False, init=False)
    """Hide follower and following counts."""

    class PostsRead(Message):
        """The account's posts were read on demand (or the read failed): its row and the meter may change."""

        def __init__(self, account_id: str) -> None:
            super().__init__()
            self.account_id = account_id

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._paint_pending = False  # a paint is due after the next frame
        self._posts_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def watch_account_id(self) -> None:
        self.repaint()

    def watch_content_first(self) -> None:
        self.repaint()

    def changed(self, account_ids: Iterable[str] | None = None) -> None:
        """Something was written about ``account_ids`` (None: about any account): paint again if it shows one."""
        if account_ids is None or (self.account_id is not None and self.account_id in account_ids):
            self.repaint()

    def repaint(self) -> None:
        """Paint the account one frame after the list shows the change.

        The panel's text is laid out again each time (its height changes), which would hold back the frame that
        shows the new rows or cursor; the calls of one frame make one update.
        """
        if not self._paint_pending:
            self._paint_pending = True
            self.call_after_refresh(self._paint)

    def _paint(self) -> None:
        self._paint_pending = False
        account_id = self.account_id
        if account_id is None:
            self.show(Text(""))
            return
        self.show(self.text_for(account_id))
        self._want_posts(account_id)

    def show(self, text: RenderableType) -> None:
        self.query_one("#detail-body", Static).update(text)
        self.scroll_home(animate=False)

    def text_for(self, account_id: str) -> RenderableType:
        """The account in full, as the panel and the account page show it (in the panel's pane)."""
        session = self.session
        triage = session.triage
        account = triage.account(account_id)
        if account is None:
            url = Account(id=account_id, username="").profile_url
            return Text(f"Account {account_id} is known only by its ID.\n{url}")
        now = session.clock()
        pending = session.outbox.open_entries(account_id)  # indexed: not a scan of the outbox
        decision = fmt.decision_text(triage.decision(account_id), pending, now, account.network_name)
        return fmt.detail_text(
            account,
            triage.relationship(account_id),
            triage.reasons(account_id, self.pane),
            triage.signals(account_id),
            decision,
            now,
            new=triage.is_new(account_id),
            note=session.notes.get(account_id),
            content_first=self.content_first,
            posts_note=self.posts_note(account_id),
            exchanges=triage.exchanges(account_id),
        )

    # -- posts on demand ---------------------------------------------------------------------------

    def posts_note(self, account_id: str) -> str | None:
        """Where the account's posts come from, or why there are none."""
        posts = self.session.posts
        cached = self.session.triage.cached_account(account_id)  # without the posts read on demand
        return posts.note(cached) if posts and cached else None

    def _want_posts(self, account_id: str) -> None:
        """Read the account's posts once the cursor has rested on it, if it has none and the budget allows."""
        if self._posts_timer is not None:
            self._posts_timer.stop()
            self._posts_timer = None
        posts = self.session.posts
        account = self.session.triage.account(account_id)
        if posts is None or account is None or not posts.wanted(account):
            return
        self._posts_timer = self.set_timer(POSTS_AFTER, lambda: self._rested(account_id))

    def _rested(self, account_id: str) -> None:
        self._posts_timer = None
        posts = self.session.posts
        account = self.session.triage.account(account_id)
        if posts is None or account is None or self.account_id != account_id or not posts.wanted(account):
            return
        posts.reading(account_id)
        self.repaint()
        self.read_posts(account_id)

    @work(thread=True, group="posts", exit_on_error=False)  # not exclusive: a paid request is never thrown away
    def read_posts(self, account_id: str) -> None:
        posts = self.session.posts
        assert posts is not None
        self.app.call_from_thread(self._posts_read, posts.read(account_id))

    def _posts_read(self, read: PostsRead) -> None:
        self.session.triage.forget(read.account_id)
        self.post_message(self.PostsRead(read.account_id))
        if self.account_id == read.account_id:
            self.repaint()
