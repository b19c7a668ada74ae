"""Recent posts read on demand: when the user looks at an account with no posts cached, one request reads them.

A sync reads the posts of a few accounts only (each post read is billed), so most accounts would show no posts,
and the app is about judging people by what they post. ``OnDemandPosts`` reads them for the highlighted account
(the screen debounces, so scrolling past accounts spends nothing), at most ``[x] posts_per_day`` accounts a UTC
day, and says why when it does not. Posts already paid for are used first: the user's cached mentions (an
"Owned Read", the cheaper price) that the account wrote. What was read is appended to ``posts-on-demand.jsonl``
(one fsynced line per account), so a restart never pays for it again; the graph's own posts (from a sync) win.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followtui.backends.base import Backend, BackendError, Forbidden, NotFound, RateLimited
from followtui.config import DEFAULTS
from followtui.domain.models import Account, AccountState, Post, format_time, parse_time
from followtui.domain.text import one_line
from followtui.durable import append_lines

POSTS_FILE = "posts-on-demand.jsonl"
READING = "Reading their recent posts (one request)…"


@dataclass(frozen=True, slots=True)
class PostsRead:
    """The outcome of one on-demand read: the posts (None when none were read) and what the panel says."""

    account_id: str
    posts: tuple[Post, ...] | None
    note: str | None


class OnDemandPosts:
    """Posts read when an account is looked at; thread-safe (the screen asks on the UI thread, reads in a worker).

    ``wanted`` and ``posts`` and ``note`` are in-memory look-ups (the UI thread calls them per highlight); ``load``
    and ``read`` do I/O (file, network): call them from a worker.
    """

    def __init__(
        self,
        data_dir: Path,
        backend: Backend,
        clock: Callable[[], datetime],
        *,
        per_day: int = DEFAULTS.posts_per_day,
        per_account: int = 5,
        fsync: bool = True,
    ) -> None:
        self.path = data_dir / POSTS_FILE
        self.backend = backend
        self.clock = clock
        self.per_day = per_day
        self.per_account = max(1, per_account)
        self._fsync = fsync
        self._lock = threading.Lock()
        self._posts: dict[str, tuple[Post, ...]] = {}
        self._notes: dict[str, str] = {}  # why an account shows no posts (reading, budget, X refused)
        self._tried: set[str] = set()  # asked once this run: not asked again (a refusal, or no posts at all)
        self._reads: dict[date, int] = {}  # requests made per UTC day
        self._mentions: dict[str, tuple[Post, ...]] = {}

    # -- the UI thread's look-ups (memory only) ------------------------------------------------------------

    def posts(self, account_id: str) -> tuple[Post, ...] | None:
        """Posts read on demand, or from the user's mentions; None when there are none."""
        return self._posts.get(account_id) or self._mentions.get(account_id)

    def note(self, account: Account) -> str | None:
        """What the detail panel says about the posts of ``account`` (as cached): read from where, being read,
        stopped by a budget, refused. None when the cache has its posts."""
        if account.posts:
            return None
        if account.id in self._notes:
            return self._notes[account.id]
        if account.id not in self._posts and account.id in self._mentions:
            return "Their posts that mention you (already read with your mentions: no request made)."
        return None

    def wanted(self, account: Account) -> bool:
        """Whether to read the account's posts now: looked up, active, public, no posts known anywhere, and X
        did not say it has none."""
        return (
            self.per_day > 0
            and account.hydrated
            and account.state is AccountState.ACTIVE
            and not account.protected
            and not account.posts
            and account.tweet_count != 0
            and account.id not in self._tried
            and self.posts(account.id) is None
        )

    def reading(self, account_id: str) -> None:
        """The read is about to start (the panel says so meanwhile)."""
        with self._lock:
            self._tried.add(account_id)
            self._notes[account_id] = READING

    # -- I/O: from a worker -------------------------------------------------------------------------------

    def load(self, mentions: Iterable[Post] = ()) -> None:
        """Read what earlier runs read on demand, and index the cached mentions by author."""
        by_author: dict[str, list[Post]] = {}
        for post in mentions:
            by_author.setdefault(post.author_id, []).append(post)
        loaded: dict[str, tuple[Post, ...]] = {}
        reads: dict[date, int] = {}
        for record in _records(self.path):
            try:
                account_id = str(record["account_id"])
                posts = tuple(Post.from_doc(p) for p in record["posts"])
                at = parse_time(record.get("at"))
            except (KeyError, TypeError, ValueError):
                continue  # a line a kill cut short, or a stranger's: skipped
            loaded[account_id] = posts
            if at is not None:
                reads[at.date()] = reads.get(at.date(), 0) + 1
        with self._lock:
            self._mentions = {a: tuple(p) for a, p in by_author.items()}
            self._posts.update(loaded)
            for day, count in reads.items():
                self._reads[day] = max(self._reads.get(day, 0), count)

    def read(self, account_id: str) -> PostsRead:
        """One request for the account's recent posts, within the day's budget. Blocking."""
        with self._lock:
            today = self._today()
            if self._reads.get(today, 0) >= self.per_day:
                accounts = f"{self.per_day:,} account{'s' if self.per_day != 1 else ''}"
                note = (
                    f"Posts not read: today's budget of {accounts} is used (posts_per_day under [x] in the "
                    "config); more tomorrow, or after the next sync."
                )
                self._notes[account_id] = note
                return PostsRead(account_id, None, note)
            self._reads[today] = self._reads.get(today, 0) + 1
        try:
            posts = tuple(self.backend.recent_posts(account_id, self.per_account))
        except (Forbidden, NotFound) as exc:
            return self._failed(
                account_id,
                f"{self.backend.network_name} did not show their posts: {one_line(str(exc), 160)}",
                retry=False,
            )
        except RateLimited as exc:
            when = f"{exc.reset_at.astimezone():%H:%M}"
            return self._failed(
                account_id, f"Posts not read: {self.backend.network_name}'s rate limit resets at {when}.", retry=True
            )
        except BackendError as exc:
            return self._failed(account_id, f"Posts not read: {one_line(str(exc), 200)}", retry=True)
        self._append(account_id, posts)
        with self._lock:
            self._posts[account_id] = posts
            if posts:
                self._notes.pop(account_id, None)
            else:
                self._notes[account_id] = f"{self.backend.network_name} shows no recent posts from them."
        return PostsRead(account_id, posts, self._notes.get(account_id))

    def _failed(self, account_id: str, note: str, *, retry: bool) -> PostsRead:
        with self._lock:
            self._notes[account_id] = note
            if retry:  # worth asking again when the account is looked at later
                self._tried.discard(account_id)
        return PostsRead(account_id, None, note)

    def _append(self, account_id: str, posts: tuple[Post, ...]) -> None:
        record = {"account_id": account_id, "at": format_time(self.clock()), "posts": [p.to_doc() for p in posts]}
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        with self._lock:
            append_lines(self.path, line, fsync=self._fsync)

    def _today(self) -> date:
        return self.clock().date()


def _records(path: Path) -> Iterable[dict[str, Any]]:
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            out.append(record)
    return out
