"""The resumable sync, end to end over the in-process demo backend (small pages, so every phase has many).

A ``Recorder`` backend counts every read by what it reads (cursor, list, account) so a test can tell that a sync
stopped part-way and resumed fetched each page once, and can make the Nth call of a method fail: with a backend
error (the sync stops with ``SyncError``) or with ``Killed``, a BaseException standing in for ``kill -9``.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
import pytest

from followtui.backends.base import (
    AuthError,
    BackendError,
    CreditsDepleted,
    Forbidden,
    NotFound,
    Page,
    RateLimited,
    Refused,
    StaleCursor,
    Transient,
    UsageCapped,
)
from followtui.backends.demo import DemoBackend
from followtui.demo.generator import DemoGraph, generate
from followtui.domain.models import (
    FIRST_SYNC,
    Account,
    AccountState,
    Decision,
    DecisionKind,
    ListInfo,
    Me,
    Op,
    OutboxEntry,
    OutboxState,
    Post,
    Relationship,
    format_time,
    parse_time,
)
from followtui.domain.xlimits import LOOKUP_BATCH, MAX_RATE_WAIT, MAX_RETRIES, RETRY_BASE
from followtui.services.merge import Changes
from followtui.services.sync import (
    CANCELLED,
    JOURNAL_FILE,
    SYNC_ID,
    SyncCancelled,
    Syncer,
    SyncError,
    SyncOptions,
    SyncProgress,
    SyncReport,
)
from followtui.store import Store
from followtui.store.journal import Journal
from tests.factories import FakeClock, sample_graph

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
CREDITS_WORDS = "Your enrolled account [1234] does not have any credits to fulfill this request."
CAP_WORDS = "Usage cap exceeded: Monthly product cap"
PAGE = 50
ACTIVE, SUSPENDED, DELETED = AccountState.ACTIVE, AccountState.SUSPENDED, AccountState.DELETED
T = TypeVar("T")


# -- the backend -------------------------------------------------------------------------------------------------


class Killed(BaseException):
    """The process dies here: not an Exception, so no ``except Exception`` on the way can swallow it."""


Hook = Callable[[str, int, Hashable], None]  # (method, how many calls of it so far, what it reads)


@dataclass(frozen=True)
class Call:
    method: str
    key: Hashable
    ok: bool


class Recorder(DemoBackend):
    """The demo backend with every read recorded, and hooks that may raise before a read happens."""

    def __init__(self, graph: DemoGraph, **kwargs: Any) -> None:
        super().__init__(graph, delay=0, page_size=PAGE, **kwargs)
        self.calls: list[Call] = []
        self.hooks: list[Hook] = []
        self._counts: Counter[str] = Counter()

    def _read(self, method: str, key: Hashable, fetch: Callable[[], T]) -> T:
        self._counts[method] += 1
        try:
            for hook in list(self.hooks):
                hook(method, self._counts[method], key)
            result = fetch()
        except BaseException:
            self.calls.append(Call(method, key, ok=False))
            raise
        self.calls.append(Call(method, key, ok=True))
        return result

    def ok_calls(self) -> Counter[tuple[str, Hashable]]:
        return Counter((c.method, c.key) for c in self.calls if c.ok)

    def failed_calls(self) -> list[Call]:
        return [c for c in self.calls if not c.ok]

    def keys(self, method: str) -> list[Hashable]:
        return [c.key for c in self.calls if c.method == method and c.ok]

    def me(self) -> Me:
        return self._read("me", None, super().me)

    def followers(self, cursor: str | None = None) -> Page:
        return self._read("followers", cursor, lambda: bare(super(Recorder, self).followers(cursor)))

    def following(self, cursor: str | None = None) -> Page:
        return self._read("following", cursor, lambda: bare(super(Recorder, self).following(cursor)))

    def lookup(self, account_ids: Sequence[str]) -> Page:
        return self._read("lookup", tuple(account_ids), lambda: bare(super(Recorder, self).lookup(account_ids)))

    def owned_lists(self) -> list[ListInfo]:
        return self._read("owned_lists", None, super().owned_lists)

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        return self._read(
            "list_members", (list_id, cursor), lambda: bare(super(Recorder, self).list_members(list_id, cursor))
        )

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        return self._read("recent_posts", account_id, lambda: super(Recorder, self).recent_posts(account_id, limit))

    def mentions(self, limit: int = 100) -> list[Post]:
        return self._read("mentions", None, lambda: super(Recorder, self).mentions(limit))

    def my_posts(self, limit: int = 100) -> list[Post]:
        return self._read("my_posts", None, lambda: super(Recorder, self).my_posts(limit))


_BARE: dict[int, tuple[Account, Account]] = {}  # id(account) -> (account, account without posts)


def bare(page: Page) -> Page:
    """The page as X serves it: user objects without their posts (the demo's accounts carry them; the sync
    ignores them, reading posts with ``recent_posts``). Keeps the journal, and so the tests, lean."""
    accounts = []
    for account in page.accounts:
        hit = _BARE.get(id(account))
        if hit is None or hit[0] is not account:
            hit = _BARE[id(account)] = (account, replace(account, posts=()))
        accounts.append(hit[1])
    return replace(page, accounts=accounts)


def fail_nth(method: str, n: int, error: BaseException) -> Hook:
    """Raise ``error`` on the ``n``-th call of ``method`` (counted over the backend's life, across syncs)."""

    def hook(called: str, count: int, key: Hashable) -> None:
        if called == method and count == n:
            raise error

    return hook


# -- the world and its changes -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> DemoGraph:
    return generate(NOW)


def active_followers(backend: DemoBackend) -> list[str]:
    return [i for i in backend._followers if backend._accounts[i].state is ACTIVE]


def active_following(backend: DemoBackend) -> list[str]:
    return [i for i in backend._following if backend._accounts[i].state is ACTIVE]


def new_account(account_id: str, n: int) -> Account:
    newest = Post(id=str(2 * 10**18 + n), author_id=account_id, text=f"hello {n}", created_at=NOW)
    return Account(
        id=account_id,
        username=f"newbie{n}",
        name=f"Newbie {n}",
        created_at=NOW - timedelta(days=3),
        tweet_count=1,
        most_recent_tweet_id=newest.id,
        posts=(newest,),
    )


@dataclass(frozen=True)
class Changed:
    """What ``change_world`` did, by account ID."""

    new: tuple[str, ...]  # new followers, in the API's order
    follow_back: tuple[str, ...]  # followed before, now following the user too
    left: tuple[str, ...]
    suspended: tuple[str, ...]  # followers: one hidden from the list, one listed as an error
    deleted: tuple[str, ...]  # likewise
    followed_suspended: str  # a followed account (not a follower) suspended: X hides it, the user still follows it
    unfollowed: str
    mention: Post


def change_world(backend: DemoBackend) -> Changed:
    """A day on X: new followers, some leave, some are suspended or deleted, the user unfollows someone."""
    followers, following = set(backend._followers), set(backend._following)
    in_lists = {m for info in backend._lists.values() for m in info.member_ids}
    plain_followers = [i for i in active_followers(backend) if i not in following and i not in in_lists]
    plain_following = [i for i in active_following(backend) if i not in followers and i not in in_lists]

    newbies = [new_account(f"91000000000000000{n}", n) for n in (1, 2)]
    for account in newbies:
        backend._accounts[account.id] = account
    follow_back = plain_following[:2]
    new = (newbies[0].id, follow_back[0], newbies[1].id, follow_back[1])
    backend._followers[:0] = new

    old = plain_followers[-8:]
    left, (hidden_suspended, listed_suspended, hidden_deleted, listed_deleted) = old[:4], old[4:]
    for account_id in (*left, hidden_suspended, hidden_deleted):
        backend._followers.remove(account_id)
    for account_id, state in ((hidden_suspended, SUSPENDED), (listed_suspended, SUSPENDED), (listed_deleted, DELETED)):
        backend._accounts[account_id] = replace(backend._accounts[account_id], state=state)
    del backend._accounts[hidden_deleted]  # X answers a lookup of it with "not found"

    followed_suspended, unfollowed = plain_following[2], plain_following[3]
    backend._accounts[followed_suspended] = replace(backend._accounts[followed_suspended], state=SUSPENDED)
    backend._following.remove(unfollowed)

    mention = Post(
        id=str(3 * 10**18), author_id=newbies[0].id, text="@ada_demo hi", created_at=NOW, mentioned_ids=("1000",)
    )
    backend._mentions.insert(0, mention)
    return Changed(
        new=new,
        follow_back=tuple(follow_back),
        left=tuple(left),
        suspended=(hidden_suspended, listed_suspended),
        deleted=(hidden_deleted, listed_deleted),
        followed_suspended=followed_suspended,
        unfollowed=unfollowed,
        mention=mention,
    )


# -- stores and runs ---------------------------------------------------------------------------------------------


def open_store(path: Path) -> Store:
    return Store.open(path, fsync=False)


def syncer(store: Store, backend: DemoBackend, clock: Callable[[], datetime], **kwargs: Any) -> Syncer:
    return Syncer(store, backend, clock, fsync=False, **kwargs)


def journal_path(data: Path) -> Path:
    return data / JOURNAL_FILE


def journal_records(data: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in journal_path(data).read_bytes().splitlines()]


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a sync writes, but the sync's random ID."""
    info = store.sync_info()
    return {
        "me": store.me(),
        "followers": store.follower_ids(),
        "following": store.following_ids(),
        "relationships": {r.account_id: r for r in store.relationships()},
        "accounts": {i: dict(store.account_doc(i) or {}) for i in store.account_ids()},
        "lists": sorted(store.lists(), key=lambda info: info.id),
        "mentions": store.mentions(),
        "my_posts": store.my_posts(),
        "sync": (info.last_sync, info.previous_sync, info.source, info.extra.get(FIRST_SYNC)),
    }


GRAPH_KEYS = ("followers", "following", "relationships", "lists")
PAGED = ("followers", "following", "list_members", "lookup")  # the reads journaled as pages


@dataclass
class Clean:
    """An uninterrupted sync: what it stored, what it read, what it reported."""

    snapshot: dict[str, Any]
    calls: Counter[tuple[str, Hashable]]
    report: SyncReport
    changed: Changed | None = None


@pytest.fixture(scope="module")
def synced_once(graph: DemoGraph, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Clean]:
    """A data dir after a first sync at NOW (closed), and that sync."""
    data = tmp_path_factory.mktemp("synced-once")
    backend = Recorder(graph)
    with open_store(data) as store:
        report = syncer(store, backend, FakeClock(NOW)).run()
        return data, Clean(snapshot(store), backend.ok_calls(), report)


@pytest.fixture(scope="module")
def clean_second(graph: DemoGraph, synced_once: tuple[Path, Clean], tmp_path_factory: pytest.TempPathFactory) -> Clean:
    """A second sync, a day later, after ``change_world``."""
    data = tmp_path_factory.mktemp("clean-second") / "data"
    shutil.copytree(synced_once[0], data)
    backend = Recorder(graph)
    changed = change_world(backend)
    with open_store(data) as store:
        report = syncer(store, backend, FakeClock(LATER)).run()
        return Clean(snapshot(store), backend.ok_calls(), report, changed)


@dataclass
class World:
    data: Path
    backend: Recorder
    clock: FakeClock
    clean: Clean


@pytest.fixture(params=["first", "second"])
def world(
    request: pytest.FixtureRequest,
    graph: DemoGraph,
    tmp_path: Path,
    synced_once: tuple[Path, Clean],
    clean_second: Clean,
) -> World:
    """A data dir and backend about to sync: an empty cache, or one synced a day before the world changed."""
    data = tmp_path / "data"
    backend = Recorder(graph)
    if request.param == "first":
        return World(data, backend, FakeClock(NOW), synced_once[1])
    shutil.copytree(synced_once[0], data)
    change_world(backend)
    return World(data, backend, FakeClock(LATER), clean_second)


FIRST = pytest.mark.parametrize("world", ["first"], indirect=True)
SECOND = pytest.mark.parametrize("world", ["second"], indirect=True)


@pytest.fixture
def journals(monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, Any]]]:
    """The records of every journal discarded from now on (the journal of a finished sync is gone otherwise)."""
    kept: list[list[dict[str, Any]]] = []
    real = Journal.discard

    def discard(self: Journal) -> None:
        kept.append(list(self.records))
        real(self)

    monkeypatch.setattr(Journal, "discard", discard)
    return kept


def assert_pages_unique(records: list[dict[str, Any]]) -> None:
    """No page is stored twice in a journal, and no ID twice within a phase."""
    pages = [(r["phase"], r["cursor"]) for r in records if r["t"] == "page"]
    assert len(pages) == len(set(pages))
    by_phase: dict[str, list[str]] = {}
    for r in records:
        if r["t"] == "page":
            by_phase.setdefault(r["phase"], []).extend(a["id"] for a in r["accounts"])
    for ids in by_phase.values():
        assert len(ids) == len(set(ids))


# -- 1. a first sync ---------------------------------------------------------------------------------------------


def test_first_sync_fills_the_store(graph: DemoGraph, tmp_path: Path, journals: list[list[dict[str, Any]]]) -> None:
    backend = Recorder(graph)
    with open_store(tmp_path / "data") as store:
        assert store.graph_empty()
        sync = syncer(store, backend, FakeClock(NOW))
        report = sync.run()

        by_id = {a.id: a for a in graph.accounts}
        states = {i: a.state for i, a in by_id.items()}
        graph_followers = {r.account_id for r in graph.relationships if r.follower}
        graph_following = {r.account_id for r in graph.relationships if r.following}
        assert store.follower_ids() == {i for i in graph_followers if states[i] is ACTIVE}
        assert store.following_ids() == graph_following  # X names the suspended and deleted ones gone: still followed
        assert store.me() == graph.me
        for account_id in {i for i in store.follower_ids() | store.following_ids() if states[i] is ACTIVE}:
            stored = store.account(account_id)
            assert stored is not None
            assert replace(stored, posts=()) == replace(by_id[account_id], posts=())
        for account_id, state in states.items():  # the followed accounts X hides are known as gone
            if state is not ACTIVE and account_id in graph_following:
                stored = store.account(account_id)
                assert stored is not None and stored.state is state

        for rel in store.relationships():
            assert rel.follower_first_seen in (None, NOW) and rel.following_first_seen in (None, NOW)
            assert rel.follower_last_seen in (None, NOW) and rel.following_last_seen in (None, NOW)

        assert sorted(store.lists(), key=lambda i: i.id) == sorted(graph.lists, key=lambda i: i.id)
        assert all(info.member_ids for info in store.lists())
        newest_mentions = sorted(graph.mentions, key=lambda p: int(p.id), reverse=True)[:100]
        assert store.mentions() == newest_mentions
        assert store.my_posts() == sorted(graph.my_posts, key=lambda p: int(p.id), reverse=True)[:100]

        info = store.sync_info()
        assert (info.source, info.last_sync, info.previous_sync) == ("demo", NOW, None)
        assert info.extra[FIRST_SYNC] == format_time(NOW)
        assert re.fullmatch(r"[0-9a-f]{32}", info.extra[SYNC_ID])
        assert info.extra[SYNC_ID] == journals[-1][0]["sync_id"]
        assert not sync.journal_path.exists()
        counts = (len(store.follower_ids()), len(store.following_ids()), len(graph.lists))

    assert report.changes == Changes(first_sync=True)
    assert (report.followers, report.following, report.lists) == counts
    assert not report.resumed and report.pages_from_journal == 0
    assert report.started_at == NOW and report.me == graph.me
    assert "first sync" in report.summary()
    assert_pages_unique(journals[-1])
    # every page read once, in order
    cursors = backend.keys("followers")
    assert len(cursors) == len(set(cursors)) == math.ceil(len(graph_followers) / PAGE)


def test_first_sync_keeps_followed_gone_accounts_as_following(graph: DemoGraph, tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        syncer(store, Recorder(graph), FakeClock(NOW)).run()
        graph_following = {r.account_id for r in graph.relationships if r.following}
        assert store.following_ids() == graph_following  # the gone ones too: the user can still unfollow them


def test_repeated_sync_changes_nothing(synced_once: tuple[Path, Clean], graph: DemoGraph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(synced_once[0], data)
    with open_store(data) as store:
        report = syncer(store, Recorder(graph), FakeClock(NOW)).run()
        after = snapshot(store)
    assert report.changes == Changes(first_sync=False)
    before = synced_once[1].snapshot
    for key in GRAPH_KEYS:
        assert after[key] == before[key]
    assert after["sync"] == (NOW, NOW, "demo", format_time(NOW))  # the first sync's time is kept in extra


# -- 2. a later sync ---------------------------------------------------------------------------------------------


def test_second_sync_reports_what_changed(synced_once: tuple[Path, Clean], clean_second: Clean) -> None:
    changed = clean_second.changed
    assert changed is not None
    assert clean_second.report.changes == Changes(
        first_sync=False,
        new_followers=changed.new,
        left=tuple(sorted(changed.left)),
        suspended=tuple(sorted((*changed.suspended, changed.followed_suspended))),
        deleted=tuple(sorted(changed.deleted)),
        followed=(),
        unfollowed=(changed.unfollowed,),
    )
    summary = clean_second.report.summary()
    assert "4 new followers, 4 left, 3 suspended, 2 deleted" in summary


def test_second_sync_first_and_last_seen(synced_once: tuple[Path, Clean], clean_second: Clean) -> None:
    changed = clean_second.changed
    assert changed is not None
    before: dict[str, Relationship] = synced_once[1].snapshot["relationships"]
    after: dict[str, Relationship] = clean_second.snapshot["relationships"]
    accounts: dict[str, dict[str, Any]] = clean_second.snapshot["accounts"]

    for account_id in changed.new:
        rel = after[account_id]
        assert (rel.follower, rel.follower_first_seen, rel.follower_last_seen) == (True, LATER, LATER)
    for account_id in changed.follow_back:  # followed since the first sync; that side keeps its time
        assert after[account_id].following_first_seen == NOW and after[account_id].following
    stayed = (before.keys() & after.keys()) - {*changed.new, *changed.left, *changed.suspended, *changed.deleted}
    for account_id in stayed:
        if after[account_id].follower:
            assert after[account_id].follower_first_seen == NOW
            assert after[account_id].follower_last_seen == LATER
    for account_id in (*changed.left, *changed.suspended, *changed.deleted):
        rel = after[account_id]
        assert (rel.follower, rel.follower_first_seen, rel.follower_last_seen) == (False, NOW, NOW)
        assert account_id not in clean_second.snapshot["followers"]
    for account_id in changed.left:
        assert accounts[account_id]["state"] == "active"
    assert [accounts[i]["state"] for i in changed.suspended] == ["suspended", "suspended"]
    assert [accounts[i]["state"] for i in changed.deleted] == ["deleted", "deleted"]

    kept = after[changed.followed_suspended]  # still followed: the user can unfollow it
    assert (kept.following, kept.following_first_seen, kept.following_last_seen) == (True, NOW, NOW)
    assert accounts[changed.followed_suspended]["state"] == "suspended"
    gone = after[changed.unfollowed]
    assert (gone.following, gone.following_first_seen, gone.following_last_seen) == (False, NOW, NOW)

    assert clean_second.snapshot["mentions"][0] == changed.mention
    assert clean_second.snapshot["sync"] == (LATER, NOW, "demo", format_time(NOW))


def test_second_sync_looks_up_who_vanished(clean_second: Clean) -> None:
    changed = clean_second.changed
    assert changed is not None
    lookups = [key for (method, key) in clean_second.calls if method == "lookup"]
    # the pages name the listed suspended and deleted accounts themselves: only the hidden ones are looked up
    vanished = sorted((*changed.left, changed.suspended[0], changed.deleted[0], changed.unfollowed))
    assert lookups == [tuple(vanished)]


def test_vanished_accounts_looked_up_in_batches(
    synced_once: tuple[Path, Clean], graph: DemoGraph, tmp_path: Path
) -> None:
    """150 followers left: two lookups of at most 100; killed during the second, the first is not repeated."""
    data = tmp_path / "data"
    shutil.copytree(synced_once[0], data)
    backend = Recorder(graph)
    following = set(backend._following)
    leaving = [i for i in active_followers(backend) if i not in following][:150]
    backend._followers = [i for i in backend._followers if i not in leaving]
    backend.hooks.append(fail_nth("lookup", 2, Killed()))
    with open_store(data) as store:
        with pytest.raises(Killed):
            syncer(store, backend, FakeClock(LATER)).run()
        report = syncer(store, backend, FakeClock(LATER)).run()
    batches = [b for b in backend.keys("lookup") if isinstance(b, tuple)]
    assert [len(b) for b in batches] == [LOOKUP_BATCH, 150 - LOOKUP_BATCH]
    assert sorted(i for b in batches for i in b) == sorted(leaving)
    assert [c.key for c in backend.failed_calls()] == [batches[1]]
    assert report.changes.left == tuple(sorted(leaving))


def test_by_hand_follows_confirmed(synced_once: tuple[Path, Clean], graph: DemoGraph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(synced_once[0], data)
    backend = Recorder(graph)
    target = next(i for i in active_followers(backend) if i not in set(backend._following))
    other = next(i for i in reversed(active_followers(backend)) if i not in set(backend._following))
    with open_store(data) as store:
        for entry_id, account_id in (("a", target), ("b", other)):
            store.add_outbox(OutboxEntry(entry_id, Op.FOLLOW, account_id, NOW, state=OutboxState.BY_HAND))
        backend._following.insert(0, target)  # the user followed on x.com
        syncer(store, backend, FakeClock(LATER)).run()
        states = {e.id: e.state for e in store.outbox()}
    assert states == {"a": OutboxState.DONE, "b": OutboxState.BY_HAND}


# -- 3. stopped part-way, resumed --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    method: str
    n: int
    error: Callable[[], BaseException]


STOPS: dict[str, Stop] = {
    "me (auth)": Stop("me", 1, lambda: AuthError("Sign in again")),
    "followers page 4 (forbidden)": Stop("followers", 4, lambda: Forbidden("Your tier cannot read followers")),
    "followers page 7 (kill)": Stop("followers", 7, Killed),
    "following page 3 (kill)": Stop("following", 3, Killed),
    "owned lists (kill)": Stop("owned_lists", 1, Killed),
    "list members 1 (kill)": Stop("list_members", 1, Killed),
    "list members 4 (backend error)": Stop("list_members", 4, lambda: BackendError("bad answer")),
    "lookup (kill)": Stop("lookup", 1, Killed),
    "recent posts 1 (kill)": Stop("recent_posts", 1, Killed),
    "recent posts 17 (kill)": Stop("recent_posts", 17, Killed),
    "mentions (out of credits)": Stop("mentions", 1, lambda: CreditsDepleted(CREDITS_WORDS)),
    "followers page 5 (usage cap)": Stop("followers", 5, lambda: UsageCapped(CAP_WORDS, "Monthly", "Product", LATER)),
    "my posts (kill)": Stop("my_posts", 1, Killed),
}
ON_SECOND_SYNC = [name for name in STOPS if name not in ("list members 1 (kill)", "recent posts 1 (kill)")]
ON_FIRST_SYNC = ["followers page 4 (forbidden)", "list members 1 (kill)", "recent posts 1 (kill)", "my posts (kill)"]


@pytest.mark.parametrize(
    ("world", "stop"),
    [pytest.param("second", STOPS[name], id=f"second-{name}") for name in ON_SECOND_SYNC]
    + [pytest.param("first", STOPS[name], id=f"first-{name}") for name in ON_FIRST_SYNC],
    indirect=["world"],
)
def test_resume_after_a_stop(world: World, stop: Stop, journals: list[list[dict[str, Any]]]) -> None:
    error = stop.error()
    world.backend.hooks.append(fail_nth(stop.method, stop.n, error))
    with open_store(world.data) as store:
        before = snapshot(store)
        with pytest.raises(SyncError if isinstance(error, BackendError) else Killed) as info:
            syncer(store, world.backend, world.clock).run()
        if isinstance(error, BackendError):
            assert str(error) in str(info.value)
        assert journal_path(world.data).exists()  # kept, to resume from
        assert snapshot(store) == before  # nothing written until every phase is done
        stored = journal_records(world.data)
        stored_pages = sum(1 for r in stored if r["t"] == "page")

        world.clock.advance(hours=1)  # the resumed sync keeps the first run's time
        progress: list[SyncProgress] = []
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
        after = snapshot(store)

    assert not journal_path(world.data).exists()
    assert after == world.clean.snapshot
    assert report.changes == world.clean.report.changes
    assert report.started_at == world.clean.report.started_at
    assert report.resumed is (len(stored) > 1)
    assert report.pages_from_journal == stored_pages
    assert not any(p.message.startswith("Starting over") for p in progress)
    # each page read exactly once over both runs, besides the one call that failed
    assert world.backend.ok_calls() == world.clean.calls
    failed = world.backend.failed_calls()
    assert len(failed) == 1 and failed[0].method == stop.method
    assert_pages_unique(journals[-1])


@pytest.fixture
def killed_once(monkeypatch: pytest.MonkeyPatch) -> Callable[[object, str], None]:
    """Make ``obj.name`` raise ``Killed`` once, before doing anything."""

    def install(obj: object, name: str) -> None:
        real = getattr(obj, name)
        fired: list[bool] = []

        def dying(*args: Any, **kwargs: Any) -> Any:
            if not fired:
                fired.append(True)
                raise Killed
            return real(*args, **kwargs)

        monkeypatch.setattr(obj, name, dying)

    return install


@pytest.mark.parametrize("where", ["replace_graph", "set_sync_info"])
def test_resume_after_a_kill_while_saving(world: World, where: str, killed_once: Callable[[object, str], None]) -> None:
    """Killed before the graph is written, or after graph.jsonl and before state.json: the merge runs again."""
    with open_store(world.data) as store:
        killed_once(store, where)
        with pytest.raises(Killed):
            syncer(store, world.backend, world.clock).run()
        assert journal_path(world.data).exists()
        calls = list(world.backend.calls)
        world.clock.advance(hours=1)
        report = syncer(store, world.backend, world.clock).run()
        after = snapshot(store)
    assert world.backend.calls == calls  # everything came from the journal
    assert report.resumed
    assert report.pages_from_journal == sum(n for (m, _), n in world.clean.calls.items() if m in PAGED)
    assert after == world.clean.snapshot
    assert report.changes == world.clean.report.changes  # reported once, even when merged over the new graph


def test_kill_after_the_store_is_written(world: World, killed_once: Callable[[object, str], None]) -> None:
    """Between the store's write and the journal's deletion: the next run sees that sync done and starts anew,
    counting nothing twice."""
    with open_store(world.data) as store:
        first = syncer(store, world.backend, world.clock)
        killed_once(first, "_confirm_by_hand")  # runs right after replace_graph
        with pytest.raises(Killed):
            first.run()
        assert journal_path(world.data).exists()
        progress: list[SyncProgress] = []
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
        after = snapshot(store)
    assert progress[0] == SyncProgress("start", 0, None, "Starting over: the stored sync had already completed")
    assert not report.resumed
    assert report.changes == Changes(first_sync=False)  # no new follower counted twice
    for key in GRAPH_KEYS:
        assert after[key] == world.clean.snapshot[key]
    assert not journal_path(world.data).exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name the fsynced files")
def test_each_page_durable_before_the_next_request(
    graph: DemoGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal's promise: every record is on disk, fsynced, before the next request goes out."""
    synced: list[str] = []

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "fsync", fsync)
    backend = Recorder(graph)
    data = tmp_path / "data"
    checked: list[int] = []

    def durable(method: str, count: int, key: Hashable) -> None:
        lines = len(journal_records(data))
        assert lines >= 1  # the header, before the first request
        assert sum(1 for name in synced if name.endswith(JOURNAL_FILE)) == lines
        checked.append(lines)

    backend.hooks.append(durable)
    with open_store(data) as store:
        Syncer(store, backend, FakeClock(NOW), options=SyncOptions(posts_accounts=3)).run()
    assert checked == sorted(checked) and checked[-1] > 20


# -- 4. a torn journal -------------------------------------------------------------------------------------------


def stopped_during_following(world: World) -> None:
    world.backend.hooks.append(fail_nth("following", 5, Killed()))
    with open_store(world.data) as store, pytest.raises(Killed):
        syncer(store, world.backend, world.clock).run()


def resume(world: World) -> dict[str, Any]:
    with open_store(world.data) as store:
        syncer(store, world.backend, world.clock).run()
        return snapshot(store)


@SECOND
def test_garbage_after_the_journal_costs_nothing(world: World) -> None:
    stopped_during_following(world)
    with journal_path(world.data).open("ab") as f:
        f.write(b'{"t": "page", "phase": "following", "cur\x00\xff')
    assert resume(world) == world.clean.snapshot
    assert world.backend.ok_calls() == world.clean.calls


@SECOND
def test_torn_last_page_is_read_again(world: World) -> None:
    stopped_during_following(world)
    path = journal_path(world.data)
    raw = path.read_bytes()
    last = raw.rstrip(b"\n").rsplit(b"\n", 1)[1]
    torn_page = orjson.loads(last)
    assert torn_page["t"] == "page" and torn_page["phase"] == "following"
    path.write_bytes(raw[: len(raw) - len(last) // 2 - 1])  # half of the last line is lost
    assert resume(world) == world.clean.snapshot
    extra = world.backend.ok_calls() - world.clean.calls
    assert extra == Counter({("following", torn_page["cursor"]): 1})  # that page, once more; nothing else
    assert not world.clean.calls - world.backend.ok_calls()


# -- 5. retries, waits and refusals ------------------------------------------------------------------------------


@pytest.fixture
def fresh(graph: DemoGraph, tmp_path: Path) -> Iterator[tuple[Store, Recorder, FakeClock]]:
    with open_store(tmp_path / "data") as store:
        yield store, Recorder(graph), FakeClock(NOW)


def patched_sleep(sync: Syncer, monkeypatch: pytest.MonkeyPatch) -> list[timedelta]:
    sleeps: list[timedelta] = []
    monkeypatch.setattr(sync, "_sleep", sleeps.append)
    return sleeps


def test_transient_errors_retried_with_backoff(
    fresh: tuple[Store, Recorder, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, backend, clock = fresh
    backend.faults["following"] = [Transient("X had a server error (503)") for _ in range(MAX_RETRIES)]
    progress: list[SyncProgress] = []
    sync = syncer(store, backend, clock, progress=progress.append)
    sleeps = patched_sleep(sync, monkeypatch)
    sync.run()
    assert sleeps == [RETRY_BASE * 2**n for n in range(MAX_RETRIES)]
    assert sleeps[:3] == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    waits = [p.message for p in progress if p.phase == "waiting"]
    assert waits[0] == "X had a server error (503) (retry in 2 s)"
    assert backend.keys("following")[0] is None  # the page that failed was read once it worked
    usage = {u.endpoint: u for u in backend.meter.usage()}
    assert usage["GET /2/users/:id/following"].errors == MAX_RETRIES  # the meter saw the failed requests too


def test_transient_errors_give_up(fresh: tuple[Store, Recorder, FakeClock], monkeypatch: pytest.MonkeyPatch) -> None:
    store, backend, clock = fresh
    backend.faults["followers"] = [Transient("cannot reach X") for _ in range(MAX_RETRIES + 1)]
    sync = syncer(store, backend, clock)
    sleeps = patched_sleep(sync, monkeypatch)
    with pytest.raises(SyncError, match=r"Could not read followers: cannot reach X\. Run the sync again"):
        sync.run()
    assert len(sleeps) == MAX_RETRIES
    assert not backend.faults["followers"]  # MAX_RETRIES + 1 attempts in all
    assert sync.journal_path.exists()


def test_rate_limit_waited_out(fresh: tuple[Store, Recorder, FakeClock], monkeypatch: pytest.MonkeyPatch) -> None:
    store, backend, clock = fresh
    resets = [NOW + timedelta(minutes=7, seconds=30), NOW + MAX_RATE_WAIT, NOW - timedelta(seconds=5)]
    backend.faults["followers"] = [RateLimited(r, "GET /2/users/:id/followers") for r in resets]
    progress: list[SyncProgress] = []
    sync = syncer(store, backend, clock, progress=progress.append)
    sleeps = patched_sleep(sync, monkeypatch)
    report = sync.run()
    assert sleeps == [timedelta(minutes=7, seconds=30), MAX_RATE_WAIT, timedelta(seconds=1)]  # never a tight loop
    assert report.followers == len(store.follower_ids())
    until = f"{resets[0].astimezone():%H:%M:%S}"
    assert SyncProgress("waiting", 0, None, f"X rate limit for followers: waiting until {until}") in progress


@pytest.mark.usefixtures("utc")
def test_rate_limit_too_long_stops(fresh: tuple[Store, Recorder, FakeClock], monkeypatch: pytest.MonkeyPatch) -> None:
    store, backend, clock = fresh
    reset = NOW + MAX_RATE_WAIT + timedelta(seconds=1)
    backend.faults["following"] = [RateLimited(reset)]
    sync = syncer(store, backend, clock)
    sleeps = patched_sleep(sync, monkeypatch)
    with pytest.raises(SyncError, match=rf"rate limit for following resets at {reset:%H:%M}\. Run the sync again"):
        sync.run()
    assert sleeps == []
    assert sync.journal_path.exists()
    assert store.graph_empty()


@contextlib.contextmanager
def local_time_zone(name: str) -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture
def tokyo() -> Iterator[None]:
    """The machine's local time is UTC+9."""
    with local_time_zone("Asia/Tokyo"):
        yield


@pytest.fixture
def utc() -> Iterator[None]:
    """The machine's local time is UTC: times in messages read the same in either zone."""
    with local_time_zone("UTC"):
        yield


@pytest.mark.usefixtures("tokyo")
def test_rate_limit_reset_shown_in_local_time(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    """The user reads the reset time on their own clock, as in the waiting message."""
    store, backend, clock = fresh
    reset = NOW + timedelta(hours=1)  # 13:00 UTC, 22:00 in Tokyo
    backend.faults["followers"] = [RateLimited(reset)]
    with pytest.raises(SyncError) as info:
        syncer(store, backend, clock).run()
    assert "22:00" in str(info.value)


ERRORS: dict[str, tuple[str, BackendError, str]] = {
    "auth": ("followers", AuthError("Your sign-in has expired: run `followtui auth`."), r"^Your sign-in has expired"),
    "forbidden": ("followers", Forbidden("client-not-enrolled"), r"^X refused to show followers: client-not-enrolled$"),
    "not found": ("following", NotFound("no such user"), r"^X refused to show following: no such user$"),
    "refused first page": ("followers", Refused("max_results is invalid"), r"X rejected the request for followers"),
    "other": ("owned_lists", BackendError("odd answer"), r"^Could not read your lists: odd answer$"),
    "lists out of credits": ("owned_lists", CreditsDepleted(CREDITS_WORDS), r"out of credits: Your enrolled account"),
    "mentions capped": ("mentions", UsageCapped(CAP_WORDS, "Daily", "Account", LATER), r"Usage cap exceeded.*daily"),
    "stale cursor on a first page": ("followers", StaleCursor("bad token"), r"X rejected the request for followers"),
    "my posts": ("my_posts", AuthError("expired"), r"^expired$"),
    "me": ("me", NotFound("gone"), r"^X refused to show your account: gone$"),
}


@pytest.mark.parametrize(("method", "error", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_errors_stop_the_sync(
    fresh: tuple[Store, Recorder, FakeClock], method: str, error: BackendError, message: str
) -> None:
    store, backend, clock = fresh
    backend.faults[method] = [error]
    sync = syncer(store, backend, clock)
    with pytest.raises(SyncError, match=message) as info:
        sync.run()
    assert not isinstance(info.value, SyncCancelled)
    assert sync.journal_path.exists()
    assert store.graph_empty()


def test_posts_refused_for_one_account_skips_it(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    backend.faults["recent_posts"] = [Forbidden("Not authorized to see this user's posts"), NotFound("No user")]
    report = syncer(store, backend, clock, options=SyncOptions(posts_accounts=5)).run()
    targets = backend.keys("recent_posts")
    assert len(targets) == 3  # five accounts, two refused
    failed = [c.key for c in backend.failed_calls()]
    assert len(failed) == 2 and not set(failed) & set(targets)
    for account_id in failed:
        account = store.account(str(account_id))
        assert account is not None and account.posts == ()
    for account_id in targets:
        account = store.account(str(account_id))
        assert account is not None and account.posts
    assert report.posts_read == sum(len(a.posts) for i in targets if (a := store.account(str(i))))


def test_posts_refused_keeps_cached_posts(synced_once: tuple[Path, Clean], graph: DemoGraph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(synced_once[0], data)
    backend = Recorder(graph)
    with open_store(data) as store:
        account_id = next(i for i in active_followers(backend) if (a := store.account(i)) and a.posts)
        cached = store.account(account_id)
        assert cached is not None
        newer = Post(id=str(int(max(p.id for p in cached.posts)) + 1), author_id=account_id, text="new", created_at=NOW)
        backend._accounts[account_id] = replace(
            backend._accounts[account_id], most_recent_tweet_id=newer.id, posts=(newer, *cached.posts)
        )
        backend.faults["recent_posts"] = [Forbidden("This account is protected now")]
        syncer(store, backend, FakeClock(LATER)).run()
        assert [c.key for c in backend.failed_calls()] == [account_id]
        after = store.account(account_id)
        assert after is not None and after.posts == cached.posts


def test_list_deleted_meanwhile_has_no_members(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    backend.faults["list_members"] = [NotFound("No list with that ID"), Forbidden("That list is private")]
    syncer(store, backend, clock).run()
    lists = store.lists()
    assert [len(info.member_ids) == 0 for info in lists] == [True, True] + [False] * (len(lists) - 2)
    assert [info.id for info in lists] == [info.id for info in backend._lists.values()]


@SECOND
def test_refused_cursor_restarts_the_phase(world: World, journals: list[list[dict[str, Any]]]) -> None:
    """X no longer takes the cursor stored by a stopped sync: that phase is read again from its start."""
    world.backend.hooks.append(fail_nth("followers", 4, Killed()))
    with open_store(world.data) as store, pytest.raises(Killed):
        syncer(store, world.backend, world.clock).run()
    world.backend.hooks.append(fail_nth("followers", 5, StaleCursor("The pagination token is invalid")))
    progress: list[SyncProgress] = []
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
        after = snapshot(store)
    assert after == world.clean.snapshot
    assert report.changes == world.clean.report.changes
    assert SyncProgress("followers", 0, None, "Reading followers again from the start") in progress
    records = journals[-1]
    assert {"t": "restart", "phase": "followers"} in records
    restart = records.index({"t": "restart", "phase": "followers"})
    # the pages before the restart are in the journal, and so are those read again
    assert [r["cursor"] for r in records[:restart] if r["t"] == "page"] == world.backend.keys("followers")[:3]
    assert [r["cursor"] for r in records[restart:] if r["t"] == "page" and r["phase"] == "followers"] == [
        key for method, key in world.clean.calls if method == "followers"
    ]
    followers_pages = sum(1 for k in world.clean.calls if k[0] == "followers")
    assert len(world.backend.keys("followers")) == followers_pages + 3  # the three read before, once more


def test_cursor_refused_every_time_stops(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh

    def refuse(method: str, count: int, key: Hashable) -> None:
        if method == "followers" and count > 40:
            raise RuntimeError("runaway: the sync keeps restarting the phase")
        if method == "followers" and key is not None:
            raise StaleCursor("The pagination token is invalid")

    backend.hooks.append(refuse)
    with pytest.raises(SyncError):
        syncer(store, backend, clock).run()


# -- 6. cancel ---------------------------------------------------------------------------------------------------


@SECOND
def test_cancel_stops_and_the_next_run_resumes(world: World) -> None:
    cancel = threading.Event()
    pages: list[int] = []

    def progress(p: SyncProgress) -> None:
        if p.phase == "following":
            pages.append(p.done)
            if len(pages) == 2:
                cancel.set()

    with open_store(world.data) as store:
        before = snapshot(store)
        with pytest.raises(SyncCancelled, match=re.escape(CANCELLED)):
            syncer(store, world.backend, world.clock, progress=progress, cancel=cancel).run()
        assert journal_path(world.data).exists()
        assert snapshot(store) == before
        assert len(world.backend.keys("following")) == 2  # stopped before the next request
        report = syncer(store, world.backend, world.clock).run()
        assert snapshot(store) == world.clean.snapshot
    assert report.resumed
    assert world.backend.ok_calls() == world.clean.calls
    assert world.backend.failed_calls() == []


def test_cancel_interrupts_a_rate_limit_wait(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    backend.faults["followers"] = [RateLimited(NOW + timedelta(minutes=15))]
    cancel = threading.Event()

    def progress(p: SyncProgress) -> None:
        if p.phase == "waiting":
            cancel.set()  # as the app quitting would, from another thread

    started = time.monotonic()
    with pytest.raises(SyncCancelled):
        syncer(store, backend, clock, progress=progress, cancel=cancel).run()
    assert time.monotonic() - started < 5
    assert journal_path(store.data_dir).exists()
    assert gc.isenabled()  # a stopped sync gives the GC back too


class RecordingWait(threading.Event):
    """A cancel event whose waits return at once, noting whether the cyclic GC could run meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.gc_during_waits: list[bool] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.gc_during_waits.append(gc.isenabled())
        return self.is_set()


def test_gc_held_off_while_working_and_free_while_waiting(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    backend.faults["followers"] = [RateLimited(NOW + timedelta(minutes=1))]
    gc_during_reads: list[bool] = []
    backend.hooks.append(lambda method, n, key: gc_during_reads.append(gc.isenabled()))
    cancel = RecordingWait()
    collected: list[int] = []  # the generations collected during the sync

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    assert gc.isenabled()
    gc.callbacks.append(note)
    try:
        syncer(store, backend, clock, cancel=cancel).run()
    finally:
        gc.callbacks.remove(note)
    assert gc.isenabled()
    assert gc_during_reads and not any(gc_during_reads)
    assert cancel.gc_during_waits == [True]
    assert 1 in collected  # the young garbage is collected on the way, before each request
    assert collected.count(1) >= len(backend.calls) - 1


def test_gc_left_off_when_it_was_off(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    backend.faults["followers"] = [RateLimited(NOW + timedelta(minutes=1))]
    cancel = RecordingWait()
    gc.disable()
    try:
        syncer(store, backend, clock, cancel=cancel).run()
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert cancel.gc_during_waits == [False]


def test_cancelled_before_it_starts(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SyncCancelled):
        syncer(store, backend, clock, cancel=cancel).run()
    assert backend.calls == []
    syncer(store, backend, clock).run()
    assert len(store.follower_ids()) == len(active_followers(backend))


# -- 7. journals that are not resumed ----------------------------------------------------------------------------


def stop_early(world: World) -> None:
    world.backend.hooks.append(fail_nth("following", 2, Forbidden("stop")))
    with open_store(world.data) as store, pytest.raises(SyncError):
        syncer(store, world.backend, world.clock).run()


def edit_header(data: Path, **changes: Any) -> None:
    records = journal_records(data)
    records[0] = {**records[0], **changes}
    journal_path(data).write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


STALE: dict[str, tuple[dict[str, Any], str]] = {
    "another version": ({"v": 99}, "the stored sync was written by another version"),
    "not a start record": ({"t": "page"}, "the stored sync was written by another version"),
    "more than two days old": (
        {"started_at": format_time(LATER - timedelta(days=2, seconds=1))},
        "the stored sync is more than two days old",
    ),
    "no start time": ({"started_at": "yesterday"}, "the stored sync is more than two days old"),
}


@FIRST
@pytest.mark.parametrize(("header", "why"), STALE.values(), ids=STALE.keys())
def test_unusable_journal_starts_over(world: World, header: dict[str, Any], why: str) -> None:
    world.clock.now = LATER
    stop_early(world)
    edit_header(world.data, **header)
    world.backend.calls.clear()
    progress: list[SyncProgress] = []
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
        info = store.sync_info()
    assert progress[0] == SyncProgress("start", 0, None, f"Starting over: {why}")
    assert not report.resumed and report.pages_from_journal == 0
    assert report.started_at == LATER
    assert info.last_sync == LATER
    assert Counter(world.backend.keys("followers")) == Counter(
        {k[1]: n for k, n in world.clean.calls.items() if k[0] == "followers"}
    )  # everything read again, once
    assert not journal_path(world.data).exists()


@FIRST
def test_journal_just_under_two_days_old_resumes(world: World) -> None:
    stop_early(world)
    started = parse_time(journal_records(world.data)[0]["started_at"])
    assert started is not None
    world.clock.now = started + timedelta(days=2)
    progress: list[SyncProgress] = []
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
    assert report.resumed and report.started_at == started
    assert progress[0].phase != "start"


@FIRST
def test_torn_header_starts_a_new_journal(world: World) -> None:
    journal_path(world.data).parent.mkdir(parents=True, exist_ok=True)
    journal_path(world.data).write_bytes(b'{"t": "start", "v": 1, "sync_')
    progress: list[SyncProgress] = []
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
        assert snapshot(store) == world.clean.snapshot
    assert not report.resumed
    assert not any(p.phase == "start" for p in progress)  # nothing to start over from: just a fresh sync


# -- 8. another account's cache ----------------------------------------------------------------------------------


def test_cache_of_another_account(store: Store, graph: DemoGraph) -> None:
    store.replace_graph(**sample_graph())  # @me's cache
    graph_bytes, state_bytes = store.graph_path.read_bytes(), store.state_path.read_bytes()
    backend = Recorder(graph)  # signed in as @ada_demo
    with pytest.raises(SyncError) as info:
        syncer(store, backend, FakeClock(NOW)).run()
    message = str(info.value)
    assert "@me's data" in message and "@ada_demo" in message and "--data-dir" in message
    assert [c.method for c in backend.calls] == ["me"]
    assert store.graph_path.read_bytes() == graph_bytes
    assert store.state_path.read_bytes() == state_bytes
    me = store.me()
    assert me is not None and me.username == "me"


# -- 9. whose posts are read -------------------------------------------------------------------------------------


def undecided_followers(backend: DemoBackend) -> list[str]:
    """Followers not followed back, in the API's order (newest first), that have posts to read."""
    following = set(backend._following)
    return [
        i
        for i in active_followers(backend)
        if i not in following and not backend._accounts[i].protected and (backend._accounts[i].tweet_count or 0) > 0
    ]


def test_posts_read_for_undecided_followers_newest_first(fresh: tuple[Store, Recorder, FakeClock]) -> None:
    store, backend, clock = fresh
    following = set(backend._following)
    plain = [i for i in active_followers(backend) if i not in following]
    protected = [i for i in plain if backend._accounts[i].protected]
    assert protected and plain.index(protected[0]) < 40  # the demo has protected followers among the newest
    eligible = undecided_followers(backend)
    assert not set(protected) & set(eligible)
    decided = {
        eligible[0]: Decision(eligible[0], DecisionKind.FOLLOW, NOW, 1),
        eligible[1]: Decision(eligible[1], DecisionKind.SKIP, NOW, 2),
        eligible[2]: Decision(eligible[2], DecisionKind.SNOOZE, NOW, 3, until=NOW - timedelta(hours=1)),  # over
        eligible[3]: Decision(eligible[3], DecisionKind.SNOOZE, NOW, 4, until=NOW + timedelta(days=1)),
    }
    for decision in decided.values():
        store.put_decision(decision, [])
    silent, locked = eligible[4], eligible[5]
    backend._accounts[silent] = replace(backend._accounts[silent], tweet_count=0)
    backend._accounts[locked] = replace(backend._accounts[locked], protected=True)
    expected = [i for i in eligible if i not in (eligible[0], eligible[1], eligible[3], silent, locked)][:10]

    report = syncer(store, backend, clock, options=SyncOptions(posts_accounts=10, posts_per_account=3)).run()

    assert backend.keys("recent_posts") == expected
    assert eligible[2] in expected  # the snooze is over: waiting in the pane again
    for account_id in expected:
        account = store.account(account_id)
        assert account is not None
        want = sorted(backend._accounts[account_id].posts, key=lambda p: int(p.id), reverse=True)[:3]
        assert list(account.posts) == want
    assert report.posts_read == sum(len(a.posts) for i in expected if (a := store.account(i)))


@pytest.mark.parametrize("options", [SyncOptions(posts_accounts=0), SyncOptions(posts_per_account=0)])
def test_no_posts_read(fresh: tuple[Store, Recorder, FakeClock], options: SyncOptions) -> None:
    store, backend, clock = fresh
    report = syncer(store, backend, clock, options=options).run()
    assert backend.keys("recent_posts") == []
    assert report.posts_read == 0
    assert all(not a.posts for i in store.account_ids() if (a := store.account(i)))


def test_posts_read_again_only_when_there_are_newer(graph: DemoGraph, tmp_path: Path) -> None:
    backend = Recorder(graph)
    options = SyncOptions(posts_accounts=5)
    eligible = undecided_followers(backend)
    with open_store(tmp_path / "data") as store:
        syncer(store, backend, FakeClock(NOW), options=options).run()
        assert backend.keys("recent_posts") == eligible[:5]
        cached = {i: a.posts for i in eligible[:5] if (a := store.account(i))}

        # one of them posted since; the others have nothing new: their turn is given to the next ones
        poster = eligible[2]
        account = backend._accounts[poster]
        newer = Post(id=str(int(account.most_recent_tweet_id or 0) + 1), author_id=poster, text="news", created_at=NOW)
        backend._accounts[poster] = replace(account, most_recent_tweet_id=newer.id, posts=(newer, *account.posts))
        backend.calls.clear()
        syncer(store, backend, FakeClock(LATER), options=options).run()
        assert backend.keys("recent_posts") == [poster, *eligible[5:9]]
        for account_id, posts in cached.items():
            stored = store.account(account_id)
            assert stored is not None
            assert stored.posts == ((newer, *posts[:4]) if account_id == poster else posts)


# -- 10. progress and the meter ----------------------------------------------------------------------------------

PHASES = ["followers", "following", "members", "lookups", "posts", "mentions", "my_posts", "saving"]


@SECOND
def test_progress_in_phase_order(world: World) -> None:
    progress: list[SyncProgress] = []
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock, progress=progress.append).run()
    followers, following = report.followers, report.following
    phases = [p.phase for p in progress]
    assert set(phases) <= set(PHASES)
    order = [PHASES.index(p) for p in phases]
    assert order == sorted(order)
    assert phases[-1] == "saving"
    assert ("lookups" in phases) is (world.clean.changed is not None)

    def dones(phase: str, label: str = "") -> list[int]:
        return [p.done for p in progress if p.phase == phase and p.message.startswith(label)]

    assert dones("followers") == [min(n, followers) for n in range(PAGE, followers + PAGE, PAGE)]
    assert dones("following")[-1] == following and dones("following") == sorted(set(dones("following")))
    posts = [p for p in progress if p.phase == "posts"]
    assert [p.done for p in posts] == list(range(1, len(posts) + 1))
    assert {p.total for p in posts} == {len(posts)}
    assert posts[-1].message == f"Recent posts: {len(posts)} of {len(posts)} accounts"
    for info in world.backend._lists.values():
        assert dones("members", f"Members of {info.name}") == [len(info.member_ids)]
    assert progress[0].message == f"Followers: {PAGE}"


@FIRST
def test_meter_counts_one_request_per_page(world: World) -> None:
    with open_store(world.data) as store:
        report = syncer(store, world.backend, world.clock).run()
    usage = {u.endpoint: u for u in world.backend.meter.usage()}
    pages = Counter(method for method, _ in world.backend.ok_calls().elements())
    assert (
        usage["GET /2/users/:id/followers"].requests
        == pages["followers"]
        == math.ceil(len(world.backend._followers) / PAGE)
    )
    assert (
        usage["GET /2/users/:id/following"].requests
        == pages["following"]
        == math.ceil(len(world.backend._following) / PAGE)
    )
    assert usage["GET /2/users/:id/followers"].resources == report.followers
    assert usage["GET /2/lists/:id/members"].requests == len(world.backend._lists)
    assert usage["GET /2/users/:id/owned_lists"].requests == 1
    assert usage["GET /2/users/me"].requests == 1
    assert usage["GET /2/users/:id/mentions"].requests == 1
    assert usage["GET /2/users/:id/tweets"].requests == pages["recent_posts"] + 1  # and the user's own posts
    assert usage.get("GET /2/users") is None or usage["GET /2/users"].requests == pages["lookup"]
    assert sum(u.errors for u in usage.values()) == 0
    assert world.backend.meter.total_requests() == sum(pages.values())
