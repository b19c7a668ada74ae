"""The main screen's on-demand posts: the highlighted account's recent posts, read in the background.

When the cursor rests on an account with no posts cached (``POSTS_AFTER`` seconds: scrolling past accounts spends
nothing), one request reads them in a thread worker (``services.posts``), within the day's budget; the detail
panel says it is reading, what stopped it, or shows them, and the status bar's meter counts the request.
"""

from __future__ import annotations

from textual import work
from textual.timer import Timer

from followtui.services.posts import PostsRead
from followtui.tui.screens.main_base import MainBase

POSTS_AFTER = 0.6
"""Seconds the cursor rests on an account before its posts are read."""


class PostsMixin(MainBase):
    """``_want_posts`` (from the detail panel's paint) and the worker behind it."""

    _posts_timer: Timer | None = None

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

    def _posts_note(self, account_id: str) -> str | None:
        """Where the account's posts come from, or why there are none (for the detail panel)."""
        cached = self.session.store.account(account_id)  # without the posts read on demand
        return self.session.posts.note(cached) if self.session.posts and cached else None

    def _rested(self, account_id: str) -> None:
        self._posts_timer = None
        posts = self.session.posts
        account = self.session.triage.account(account_id)
        if posts is None or account is None or self.accounts.highlighted != account_id or not posts.wanted(account):
            return
        posts.reading(account_id)
        self._show_detail()
        self.read_posts(account_id)

    @work(thread=True, group="posts", exit_on_error=False)  # not exclusive: a paid request is never thrown away
    def read_posts(self, account_id: str) -> None:
        posts = self.session.posts
        assert posts is not None
        self.app.call_from_thread(self._posts_read, posts.read(account_id))

    def _posts_read(self, read: PostsRead) -> None:
        self.session.triage.forget(read.account_id)
        self._refresh_status()
        if self.accounts.highlighted == read.account_id:
            self._show_detail()
        self.accounts.refresh()  # the row's badges may change with the posts
