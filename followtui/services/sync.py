"""Sync: read the user's graph from the backend into the cache, resumably.

Every page fetched is appended to a journal (``sync-journal.jsonl`` in the data dir) together with the cursor of
the next page, before the next request. A sync killed at any point resumes from the journal: no page is stored
twice, and at most the one page in flight when it died is fetched again. When every phase is done, the fetched
data is merged into the previous snapshot (``merge``), written with ``Store.replace_graph``, and the journal is
deleted. Phases, in order: me, followers, following, owned lists and their members, a lookup of the accounts that
vanished from either list (suspended and deleted accounts are told apart from people who left), recent posts of
the accounts waiting in the triage panes (bounded), the user's mentions and own posts.

Rate limits are waited out and network errors retried (``services.retry``, never a tight loop). What X will not
serve stops the sync at once with the journal kept, so nothing paid for is read again: credits depleted, a usage
cap (``Blocked``: X's words, and when or how to go on). A cursor is read again from the start only when X says it
is stale (``StaleCursor``). A refused read (403, 404) of a list's members, the owned lists, the mentions, the own
posts or the recent posts never deletes data: the cached data stays, the list is marked (``ListInfo.refused``) and
the summary says which phase X refused and in its words. Anything else stops the sync with the journal kept.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from followtui import gcpolicy
from followtui.backends.base import (
    Backend,
    BackendError,
    Forbidden,
    NotFound,
    Page,
    Refused,
    StaleCursor,
)
from followtui.config import DEFAULTS
from followtui.domain.models import (
    FIRST_SYNC,
    Account,
    AccountState,
    ListInfo,
    Me,
    OutboxState,
    Post,
    SyncInfo,
    format_time,
    parse_time,
)
from followtui.domain.text import one_line
from followtui.domain.xlimits import LOOKUP_BATCH
from followtui.services.merge import Changes, Fetched, changes_from_doc, merge, with_follows_since
from followtui.services.retry import Retrier
from followtui.store.journal import Journal
from followtui.store.store import Store

JOURNAL_FILE = "sync-journal.jsonl"
JOURNAL_VERSION = 1
CANCELLED = "Sync stopped; run it again to resume where it stopped."
RESUME = "Run the sync again: it resumes where it stopped."
REQUEST_DROPPED = "follow request not accepted by the next sync (still waiting on X, or declined)"
STALE_AFTER = timedelta(days=2)  # older journals are not resumed (cursors and data would be too old)
SYNC_ID = "sync_id"

T = TypeVar("T")


class SyncError(Exception):
    """The sync stopped; the message says why and what to do. The journal is kept: the next sync resumes."""


class SyncCancelled(SyncError):
    """Stopped on request (Ctrl-C, or the app quitting)."""


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """How much a sync reads beyond the two follow lists (each post read costs money under pay-per-use)."""

    posts_accounts: int = DEFAULTS.posts_accounts  # accounts in the triage panes whose recent posts are read
    posts_per_account: int = DEFAULTS.posts_per_account
    mentions: int = DEFAULTS.mentions
    my_posts: int = 100


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where the sync is: ``done`` of ``total`` items in ``phase`` (``total`` None when unknown)."""

    phase: str
    done: int
    total: int | None
    message: str


@dataclass(frozen=True, slots=True)
class SyncReport:
    started_at: datetime
    finished_at: datetime
    resumed: bool
    pages_from_journal: int
    me: Me
    followers: int
    following: int
    lists: int
    posts_read: int
    changes: Changes
    refused: dict[str, str] = field(default_factory=dict)  # what X refused to show -> its words (cache kept)
    network_name: str = "X"  # who refused

    def summary(self) -> str:
        counts = (self.followers, self.following, self.lists)
        parts = self.changes.summary(self.me, counts, "first sync (new followers are marked from the next one on)")
        if self.resumed:
            parts.append(f"resumed with {self.pages_from_journal} stored pages")
        refused = self.refused.items()
        parts += [f"{self.network_name} refused {what}: {words} (the cached data is kept)" for what, words in refused]
        return "; ".join(parts)


class Syncer:
    """One sync of ``store`` from ``backend``. Blocking: run it in a worker thread or a CLI command."""

    def __init__(
        self,
        store: Store,
        backend: Backend,
        clock: Callable[[], datetime],
        *,
        options: SyncOptions | None = None,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: threading.Event | None = None,
        journal_path: Path | None = None,
        fsync: bool = True,
    ) -> None:
        self.store = store
        self.backend = backend
        self.clock = clock
        self.options = options or SyncOptions()
        self._progress = progress or (lambda _p: None)
        self._cancel = cancel or threading.Event()
        self.journal_path = journal_path or store.data_dir / JOURNAL_FILE
        self._fsync = fsync
        self._restarted: set[str] = set()  # phases read again this run after X refused a stored cursor
        self._gc = gcpolicy.Pause()  # see gcpolicy: no full collections over the accounts held
        self._retry = Retrier(
            clock,
            self._cancel,
            stop=SyncError,
            cancelled=lambda: SyncCancelled(CANCELLED),
            resume=RESUME,
            on_wait=lambda message: self._progress(SyncProgress("waiting", 0, None, message)),
            before_call=self._gc.collect_young,
            sleep=lambda delay: self._sleep(delay),  # looked up at each wait (tests replace it)
        )

    # -- the run ---------------------------------------------------------------------------------------------

    def run(self) -> SyncReport:
        """Sync to the end (resuming a stopped sync); raises SyncError (or SyncCancelled) with the journal kept."""
        with self._gc:
            state = self._start()
            try:
                resumed_pages = sum(phase.pages for phase in state.phases.values())
                resumed = len(state.journal.records) > 1
                self._fetch_all(state)
                report = self._finish(state, resumed, resumed_pages)
            except BaseException:
                state.journal.close()
                raise
            state.journal.discard()
        return report

    def _start(self) -> _State:
        """The sync to resume from the journal, or a new one (when there is none, or it cannot be resumed)."""
        journal = Journal.open(self.journal_path, fsync=self._fsync)
        if journal.records:
            header = journal.records[0]
            why_not = self._unusable(header)
            if why_not is None:
                try:
                    return _State.replay(journal, header)
                except (KeyError, ValueError, TypeError, AttributeError):
                    why_not = "the stored sync could not be read"
            self._progress(SyncProgress("start", 0, None, f"Starting over: {why_not}"))
        header = {
            "t": "start",
            "v": JOURNAL_VERSION,
            "sync_id": uuid.uuid4().hex,
            "started_at": format_time(self.clock()),
        }
        journal.restart(header)
        return _State(journal, header)

    def _unusable(self, header: dict[str, Any]) -> str | None:
        """Why a journal left by an earlier sync cannot be resumed (None: it can)."""
        if header.get("t") != "start" or header.get("v") != JOURNAL_VERSION:
            return "the stored sync was written by another version"
        started = parse_time(header.get("started_at"))
        if started is None or self.clock() - started > STALE_AFTER:
            return "the stored sync is more than two days old"
        if self.store.sync_info().extra.get(SYNC_ID) == header.get("sync_id"):
            return "the stored sync had already completed"
        return None

    def _fetch_all(self, state: _State) -> None:
        journal = state.journal
        if state.me is None:
            me = self._required("your account", self.backend.me)
            known = self.store.me()
            if known is not None and known.id != me.id:
                raise SyncError(
                    f"This cache holds @{known.username}'s data, but you are signed in as @{me.username}. "
                    "Use --data-dir for another account's cache."
                )
            journal.append({"t": "me", "me": me.to_doc()})
            state.me = me
        me = state.me
        self._pages(state, "followers", self.backend.followers, me.followers_count or None)
        self._pages(state, "following", self.backend.following, me.following_count or None)
        if state.lists is None:
            try:
                lists = self._required("your lists", self.backend.owned_lists, refusable=True)
                refused = None
            except _PhaseRefused as exc:  # the cached lists stay, with their cached members
                lists, refused = [info for info in self.store.lists() if not info.local], exc.detail
            journal.append({"t": "lists", "lists": [info.to_doc() for info in lists]})
            state.lists = lists
            if refused is not None:
                state.refuse("lists", "your lists", refused)
                for info in lists:
                    state.refuse(f"members:{info.id}", "", refused)
        for info in state.lists:
            fetch = partial(self.backend.list_members, info.id)
            self._pages(state, f"members:{info.id}", fetch, None, label=f"Members of {one_line(info.name, 25)}")
        self._vanished(state)
        self._posts(state)
        if state.mentions is None:
            mentions = partial(self.backend.mentions, self.options.mentions)
            state.mentions = self._own_posts(state, "mentions", "your mentions", "Your mentions", mentions)
        if state.my_posts is None:
            mine = partial(self.backend.my_posts, self.options.my_posts)
            state.my_posts = self._own_posts(state, "my_posts", "your posts", "Your recent posts", mine)

    def _own_posts(
        self, state: _State, phase: str, what: str, label: str, fetch: Callable[[], list[Post]]
    ) -> list[Post]:
        """The mentions or the user's posts, journaled; none when X refuses (the cached ones stay: merged in)."""
        self._progress(SyncProgress(phase, 0, None, label))
        try:
            posts = self._required(what, fetch, refusable=True)
        except _PhaseRefused as exc:
            state.refuse(phase, what, exc.detail)
            posts = []
        state.journal.append({"t": phase, "posts": [p.to_doc() for p in posts]})
        self._progress(SyncProgress(phase, len(posts), len(posts), f"{label}: {len(posts)}"))
        return posts

    def _pages(
        self,
        state: _State,
        phase: str,
        fetch: Callable[[str | None], Page],
        total: int | None,
        *,
        label: str | None = None,
    ) -> None:
        progress = state.phases.setdefault(phase, _Phase())
        label = label or phase.capitalize()
        what = label[0].lower() + label[1:]
        kind = phase.split(":", 1)[0]
        members = kind == "members"
        while not progress.done and phase not in state.refused:
            cursor = progress.next_cursor
            try:
                page = self._retrying(what, partial(fetch, cursor), refusable=members, stale_ok=cursor is not None)
            except _PhaseRefused as exc:  # the list keeps its cached members, marked as unknown
                state.refuse(phase, what, exc.detail)
                self._progress(
                    SyncProgress(kind, 0, total, f"{self.backend.network_name} refused {what}: {exc.detail}")
                )
                return
            except _Stale as exc:
                # X no longer accepts the stored cursor: read the phase again (pages are merged by ID), once.
                if phase in self._restarted:
                    raise SyncError(f"{self.backend.network_name} rejected the request for {what}: {exc}") from None
                self._restarted.add(phase)
                self._progress(SyncProgress(kind, 0, total, f"Reading {what} again from the start"))
                state.journal.append({"t": "restart", "phase": phase})
                progress.reset()
                continue
            state.add_page(phase, cursor, page)
            # suspended or deleted: still followed, still on a list, but no longer a follower
            done = len(progress.ids) if kind == "followers" else progress.count
            message = f"{label}: {done:,} of about {total:,}" if total else f"{label}: {done:,}"
            self._progress(SyncProgress(kind, done, total, message))

    def _vanished(self, state: _State) -> None:
        """Look up who dropped out of either list: still on X (they left), suspended, or deleted."""
        phase = state.phases.setdefault("vanished", _Phase())
        if state.vanished is None:
            followers = set(state.phases["followers"].ids)
            following = set(state.phases["following"].ids)
            vanished = (self.store.follower_ids() - followers) | (self.store.following_ids() - following)
            gone_ids = sorted(vanished - state.gone.keys())  # the pages already said those are gone
            state.journal.append({"t": "targets", "phase": "vanished", "ids": gone_ids})
            state.vanished = gone_ids
        batches = [state.vanished[i : i + LOOKUP_BATCH] for i in range(0, len(state.vanished), LOOKUP_BATCH)]
        for index in range(phase.pages, len(batches)):
            batch = batches[index]
            page = self._required("the accounts that left", partial(self.backend.lookup, batch))
            last = index + 1 == len(batches)
            state.add_page("vanished", str(index), replace(page, next_cursor=None if last else str(index + 1)))
            self._progress(SyncProgress("lookups", index + 1, len(batches), f"Checked {len(phase.ids):,} who left"))

    def _posts(self, state: _State) -> None:
        if state.post_targets is None:
            targets = self._post_targets(state)
            state.journal.append({"t": "targets", "phase": "posts", "ids": targets})
            state.post_targets = targets
        todo = [i for i in state.post_targets if i not in state.posts_done]
        total = len(state.post_targets)
        per_account = self.options.posts_per_account
        for n, account_id in enumerate(todo, len(state.posts_done) + 1):
            if "posts" in state.refused:
                return
            fetch = partial(self.backend.recent_posts, account_id, per_account)
            try:
                posts: list[Post] | None = self._retrying("recent posts", fetch, refusable=True)
            except _PhaseRefused as exc:
                if exc.app_wide:  # every account's posts would be refused alike: stop asking
                    state.refuse("posts", "recent posts", exc.detail)
                    return
                posts = None
            if posts is None:  # protected or gone meanwhile: the cached posts stay
                state.journal.append({"t": "posts", "account_id": account_id, "skipped": True})
            else:
                state.journal.append({"t": "posts", "account_id": account_id, "posts": [p.to_doc() for p in posts]})
                state.posts[account_id] = tuple(posts)
            state.posts_done.add(account_id)
            self._progress(SyncProgress("posts", n, total, f"Recent posts: {n} of {total} accounts"))

    def _post_targets(self, state: _State) -> list[str]:
        """New followers first (newest first), whose posts are not known yet or changed; bounded."""
        limit = self.options.posts_accounts
        if limit <= 0 or self.options.posts_per_account <= 0:
            return []
        following = set(state.phases["following"].ids)
        decisions = self.store.decisions()
        now = self.clock()
        out: list[str] = []
        for account_id in state.phases["followers"].ids:
            if len(out) >= limit:
                break
            decision = decisions.get(account_id)
            if account_id in following or (decision is not None and decision.active(now)):
                continue
            account = state.accounts.get(account_id)
            if account is None or account.protected or account.tweet_count == 0:
                continue
            cached = self.store.account_doc(account_id)  # the raw document: no objects built for a skip
            newest = max((int(p["id"]) for p in (cached or {}).get("posts") or () if p["id"].isdigit()), default=0)
            if newest and account.most_recent_tweet_id and int(account.most_recent_tweet_id) <= newest:
                continue  # nothing new since the posts in the cache
            out.append(account_id)
        return out

    # -- retries ---------------------------------------------------------------------------------------------

    def _retrying(self, what: str, call: Callable[[], T], *, refusable: bool = False, stale_ok: bool = False) -> T:
        """``call()`` through the retry policy; X's refusals and stops become ``SyncError`` (journal kept).

        ``refusable``: a 403 or 404 raises ``_PhaseRefused`` for the caller to keep the cached data. ``stale_ok``:
        X's 400 on the pagination token raises ``_Stale`` (read the phase again).
        """
        try:
            return self._retry.call(what, call)
        except (Forbidden, NotFound) as exc:
            detail = exc.detail if isinstance(exc, Forbidden) else str(exc)
            if refusable:
                raise _PhaseRefused(detail, app_wide=isinstance(exc, Forbidden) and bool(exc.reason)) from None
            raise SyncError(f"{self.backend.network_name} refused to show {what}: {detail}") from None
        except StaleCursor as exc:
            if stale_ok:
                raise _Stale(exc.detail) from None
            raise SyncError(f"{self.backend.network_name} rejected the request for {what}: {exc.detail}") from None
        except Refused as exc:
            raise SyncError(f"{self.backend.network_name} rejected the request for {what}: {exc.detail}") from None
        except BackendError as exc:
            raise SyncError(f"Could not read {what}: {exc}") from None

    def _required(self, what: str, call: Callable[[], T], *, refusable: bool = False) -> T:
        return self._retrying(what, call, refusable=refusable)

    def _sleep(self, delay: timedelta) -> None:
        with self._gc.resumed():
            cancelled = self._cancel.wait(delay.total_seconds())
        if cancelled:
            raise SyncCancelled(CANCELLED)

    # -- the end ---------------------------------------------------------------------------------------------

    def _finish(self, state: _State, resumed: bool, resumed_pages: int) -> SyncReport:
        assert state.me is not None and state.lists is not None
        self._progress(SyncProgress("saving", 0, None, "Saving"))
        previous = self.store.sync_info()
        first_sync = previous.last_sync is None or self.store.graph_empty()
        followers = state.phases["followers"].ids
        seen_at = state.started_at
        following = with_follows_since(state.phases["following"].ids, self.store.outbox(), seen_at)
        lists = [self._list_as_read(state, info) for info in state.lists]
        fetched = Fetched(
            me=state.me,
            followers=followers,
            following=following,
            accounts=state.accounts,
            gone=state.gone,
            following_gone=state.phases["following"].gone,
            posts=state.posts,
            lists=lists,
            mentions=state.mentions or [],
            my_posts=state.my_posts or [],
        )
        merged = merge(
            previous_accounts=self.store,
            previous_relationships=self.store.relationships(),
            previous_mentions=self.store.mentions(),
            previous_my_posts=self.store.my_posts(),
            fetched=fetched,
            seen_at=seen_at,
            first_sync=first_sync,
        )
        if state.changes is None:
            # Remember what changed before writing: a crash between the two files of replace_graph makes the next
            # run merge again over the new graph, which gives the same graph but would report no changes.
            state.journal.append({"t": "merged", "changes": asdict(merged.changes)})
        changes = state.changes or merged.changes
        extra = dict(previous.extra)
        extra[SYNC_ID] = state.sync_id
        if first_sync:
            extra[FIRST_SYNC] = format_time(seen_at)
        self.store.replace_graph(
            me=state.me,
            accounts=merged.accounts,
            relationships=merged.relationships,
            mentions=merged.mentions,
            my_posts=merged.my_posts,
            lists=lists,
            docs=state.docs,
            sync=SyncInfo(
                last_sync=seen_at,
                previous_sync=None if first_sync else previous.last_sync,
                source=self.backend.name,
                extra=extra,
            ),
        )
        self._confirm_by_hand(set(following))
        return SyncReport(
            started_at=seen_at,
            finished_at=self.clock(),
            resumed=resumed,
            pages_from_journal=resumed_pages,
            me=state.me,
            followers=len(followers),
            following=state.phases["following"].count,
            lists=len(lists),
            posts_read=sum(len(p) for p in state.posts.values()),
            changes=changes,
            refused={what: words for what, words in state.refused.values() if what},
            network_name=self.backend.network_name,
        )

    def _list_as_read(self, state: _State, info: ListInfo) -> ListInfo:
        """A list with its members as X listed them; the cached members, marked, when X refused to list them."""
        refused = state.refused.get(f"members:{info.id}")
        if refused is None:
            members = _members(state.phases.get(f"members:{info.id}", _Phase()))
            return ListInfo(info.id, info.name, info.description, info.private, members)
        cached = self.store.list_info(info.id)
        members = cached.member_ids if cached is not None else ()
        return ListInfo(info.id, info.name, info.description, info.private, members, refused=refused[1])

    def _confirm_by_hand(self, following: set[str]) -> None:
        """Follows made by hand on x.com are confirmed once the sync sees them; follow requests too, or dropped."""
        with self.store.transaction():
            for entry in self.store.outbox([OutboxState.BY_HAND, OutboxState.REQUESTED]):
                if entry.account_id in following:
                    self.store.update_outbox(replace(entry, state=OutboxState.DONE, error=""))
                elif entry.state is OutboxState.REQUESTED:
                    self.store.update_outbox(replace(entry, state=OutboxState.CANCELLED, error=REQUEST_DROPPED))


class _Stale(Exception):
    """X no longer accepts a pagination cursor it issued."""


class _PhaseRefused(Exception):
    """X refused a read (403, 404) whose cached data is kept; ``app_wide``: it refuses the app, not one resource."""

    def __init__(self, detail: str, *, app_wide: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.app_wide = app_wide


class _Phase:
    """One paged phase, rebuilt from the journal: the IDs so far and where to go on."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.ids: list[str] = []
        self.seen: set[str] = set()
        self.gone: set[str] = set()  # named in the pages' errors: suspended or deleted, still in the list
        self.next_cursor: str | None = None
        self.pages = 0
        self.done = False

    @property
    def count(self) -> int:
        """Accounts in the list so far, the ones X named gone included."""
        return len(self.ids) + len(self.gone - self.seen)

    def add(self, page: Page) -> None:
        for account in page.accounts:
            if account.id not in self.seen:
                self.seen.add(account.id)
                self.ids.append(account.id)
        self.gone.update(page.gone)
        self.pages += 1
        self.next_cursor = page.next_cursor
        self.done = page.next_cursor is None


class _State:
    """The sync so far, as the journal tells it."""

    def __init__(self, journal: Journal, header: dict[str, Any]) -> None:
        self.journal = journal
        self.sync_id = str(header["sync_id"])
        started = parse_time(header.get("started_at"))
        assert started is not None
        self.started_at = started
        self.me: Me | None = None
        self.phases: dict[str, _Phase] = {}
        self.accounts: dict[str, Account] = {}
        self.docs: dict[str, tuple[Account, dict[str, Any]]] = {}  # each account's journal document, made once
        self.gone: dict[str, AccountState] = {}
        self.lists: list[ListInfo] | None = None
        self.vanished: list[str] | None = None
        self.post_targets: list[str] | None = None
        self.posts: dict[str, tuple[Post, ...]] = {}
        self.posts_done: set[str] = set()
        self.mentions: list[Post] | None = None
        self.my_posts: list[Post] | None = None
        self.changes: Changes | None = None  # what the merge found, once it has run
        self.refused: dict[str, tuple[str, str]] = {}  # phase -> (what, X's words): the cached data is kept

    def refuse(self, phase: str, what: str, detail: str) -> None:
        """Journal that X refused ``phase`` (``what`` names it in the summary; "" for none of its own)."""
        self.journal.append({"t": "refused", "phase": phase, "what": what, "detail": detail})
        self.refused[phase] = (what, detail)

    def add_page(self, phase: str, cursor: str | None, page: Page) -> None:
        """Journal one page with the cursor it came from and the next one, then take it in."""
        docs = page.account_docs()
        self.journal.append(
            {
                "t": "page",
                "phase": phase,
                "cursor": cursor,
                "next": page.next_cursor,
                "accounts": docs,
                "gone": {k: str(v) for k, v in page.gone.items()},
            }
        )
        self._absorb(page, docs)
        self.phases.setdefault(phase, _Phase()).add(page)

    @classmethod
    def replay(cls, journal: Journal, header: dict[str, Any]) -> _State:
        state = cls(journal, header)
        for record in journal.records[1:]:  # after the header
            kind = record.get("t")
            if kind == "me":
                state.me = Me.from_doc(record["me"])
            elif kind == "page":
                page = Page.of_docs(
                    record.get("accounts") or [],
                    record.get("next"),
                    {str(k): AccountState(v) for k, v in (record.get("gone") or {}).items()},
                )
                state._absorb(page, page.account_docs())
                state.phases.setdefault(str(record["phase"]), _Phase()).add(page)
            elif kind == "restart":
                state.phases[str(record["phase"])] = _Phase()
            elif kind == "lists":
                state.lists = [ListInfo.from_doc(d) for d in record["lists"]]
            elif kind == "targets" and record.get("phase") == "vanished":
                state.vanished = [str(i) for i in record["ids"]]
            elif kind == "targets" and record.get("phase") == "posts":
                state.post_targets = [str(i) for i in record["ids"]]
            elif kind == "posts":
                account_id = str(record["account_id"])
                state.posts_done.add(account_id)
                if not record.get("skipped"):
                    state.posts[account_id] = tuple(Post.from_doc(p) for p in record["posts"])
            elif kind == "mentions":
                state.mentions = [Post.from_doc(p) for p in record["posts"]]
            elif kind == "my_posts":
                state.my_posts = [Post.from_doc(p) for p in record["posts"]]
            elif kind == "merged":
                state.changes = changes_from_doc(record["changes"])
            elif kind == "refused":
                state.refused[str(record["phase"])] = (str(record.get("what") or ""), str(record.get("detail") or ""))
        return state

    def _absorb(self, page: Page, docs: list[dict[str, Any]]) -> None:
        for account, doc in zip(page.accounts, docs, strict=True):
            self.accounts[account.id] = account
            self.docs[account.id] = (account, doc)
        self.gone.update(page.gone)


def _members(phase: _Phase) -> tuple[str, ...]:
    """A list's members as X listed them, and the suspended or deleted ones it named (still on the list)."""
    return (*phase.ids, *sorted(phase.gone - phase.seen))
