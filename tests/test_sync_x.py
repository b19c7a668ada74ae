"""End to end: ``followtui sync`` in a subprocess, through the real ``tweepy.Client``, against the spec-checked FakeX.

The FakeX runs in the test process (its server thread answers the child); ``FOLLOWTUI_X_API_BASE`` points the child
at it and ``FOLLOWTUI_X_OAUTH2_TOKEN`` signs it in. Every user dir lives under ``tmp_path``. Afterwards the cache is
opened with ``Store.open`` and compared with the fake's world.

Kills are placed deterministically: a ``corrupt`` fault whose ``mutate`` hook does not change the body but holds the
n-th call of a route inside the fake (``Gate``) until the child has been SIGKILLed, so the kill always lands with
that request in flight (``slow`` faults with ``seconds=0`` are no-op fillers for the calls before it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from followtui.domain.models import AccountState
from followtui.services.accounts import X, account_dir
from followtui.store import Store
from tests.cli_helpers import cache_dir, isolated_env, run_followtui
from tests.factories import present
from tests.fakex import FakeX, World, make_user
from tests.fakex.server import TIER_DETAIL

TOKEN = "e2e-sync-token-Q7vX2mR9kLw4"
FOLLOWERS = "GET /2/users/:id/followers"
FOLLOWING = "GET /2/users/:id/following"
MEMBERS = "GET /2/lists/:id/members"
TWEETS = "GET /2/users/:id/tweets"
JOURNAL = "sync-journal.jsonl"
KEY_PARAMS = ("max_results", "pagination_token", "ids")
RUN_TIMEOUT = 120


# -- running the command ------------------------------------------------------------------------------------------


def make_env(tmp_path: Path, fx: FakeX | None = None, *, token: str | None = TOKEN, config: str = "") -> dict[str, str]:
    """An environment whose home, data and config dirs all live under ``tmp_path``, signed in to ``fx``."""
    config_dir = tmp_path / "config"
    config_dir.mkdir(exist_ok=True)
    if config:
        (config_dir / "config.toml").write_text(config, encoding="utf-8")
    env = isolated_env(tmp_path) | {"TZ": "UTC"}
    if fx is not None:
        env["FOLLOWTUI_X_API_BASE"] = fx.base_url
    if token is not None:
        env["FOLLOWTUI_X_OAUTH2_TOKEN"] = token
    return env


def data_dir_of(env: dict[str, str]) -> Path:
    """The X account's cache under the data dir the child used (``x/<user ID>``, named after the first run)."""
    return cache_dir(Path(env["FOLLOWTUI_HOME"]))


def run_sync(env: dict[str, str], *args: str, yes: bool = True) -> subprocess.CompletedProcess[str]:
    """``followtui sync`` (with ``--yes``: these tests are about what it reads, not about asking first)."""
    return run_followtui(env, "sync", *(["--yes"] if yes else []), *args, timeout=RUN_TIMEOUT)


class Child:
    """``followtui sync`` running in the background; its stderr lines are collected as they come."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "followtui", "sync", "--yes", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.lines: list[str] = []
        self.stdout = ""
        self.saving = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            if line.startswith("Saving"):
                self.saving.set()

    def kill(self) -> int:
        """SIGKILL (if still running); the exit status."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.wait()

    def wait(self) -> int:
        rc = self.proc.wait(timeout=RUN_TIMEOUT)
        self._reader.join(timeout=10)
        assert self.proc.stdout is not None
        if not self.proc.stdout.closed:
            self.stdout = self.proc.stdout.read().decode("utf-8")
            self.proc.stdout.close()
        return rc


class Gate:
    """Holds the ``nth`` call of ``route`` inside the fake until ``release()``; ``reached`` is set once it is held."""

    def __init__(self, fx: FakeX, route: str, nth: int) -> None:
        self.reached = threading.Event()
        self._release = threading.Event()
        if nth > 1:
            fx.fail(route, "slow", times=nth - 1, seconds=0)  # no-op fillers for the calls before
        fx.fail(route, "corrupt", mutate=self._hold)  # leaves the body as it is

    def _hold(self, body: dict[str, Any]) -> None:
        self.reached.set()
        self._release.wait(RUN_TIMEOUT)

    def release(self) -> None:
        self._release.set()


@pytest.fixture
def running() -> Iterator[Callable[[World], FakeX]]:
    """Start a FakeX over a world; stopped at teardown, which fails on any spec violation."""
    started: list[FakeX] = []

    def start(world: World) -> FakeX:
        world.add_user_token(TOKEN, world.me_id)
        fx = FakeX(world).start()
        started.append(fx)
        return fx

    yield start
    for fx in started:
        fx.stop()
    for fx in started:
        fx.check()


# -- what the cache holds -----------------------------------------------------------------------------------------


def owned_lists(world: World) -> list[Any]:
    return sorted((x for x in world.lists.values() if x.owner_id == world.me_id), key=lambda x: -int(x.id))


def assert_store_matches(data_dir: Path, world: World) -> None:
    """The cache holds exactly the world's visible followers, following and lists; no duplicates, none missing."""
    with Store.open(data_dir) as store:
        me = store.me()
        assert me is not None and me.id == world.me_id
        rels = list(store.relationships())
        rel_ids = [r.account_id for r in rels]
        assert len(rel_ids) == len(set(rel_ids))
        followers = [r.account_id for r in rels if r.follower]
        following = [r.account_id for r in rels if r.following]
        assert sorted(followers) == sorted(world.follower_ids())
        assert sorted(following) == sorted(world.following_ids())
        assert store.follower_ids() == set(world.follower_ids())
        assert store.following_ids() == set(world.following_ids())
        account_ids = store.account_ids()
        assert len(account_ids) == len(set(account_ids))
        assert set(world.follower_ids()) | set(world.following_ids()) <= set(account_ids)
        stored_lists = {info.id: info.member_ids for info in store.lists()}
        assert stored_lists == {x.id: tuple(i for i in x.members if world.visible(i)) for x in owned_lists(world)}


@dataclass(frozen=True)
class Snapshot:
    """What a failed sync must leave untouched."""

    followers: frozenset[str]
    following: frozenset[str]
    relationships: tuple[Any, ...]
    accounts: int
    lists: tuple[Any, ...]
    sync: Any


def snapshot(data_dir: Path) -> Snapshot:
    with Store.open(data_dir) as store:
        return Snapshot(
            frozenset(store.follower_ids()),
            frozenset(store.following_ids()),
            tuple(sorted(store.relationships(), key=lambda r: r.account_id)),
            len(store.account_ids()),
            tuple(store.lists()),
            store.sync_info(),
        )


def page_counts(fx: FakeX) -> Counter[tuple[str, str | None]]:
    """How often each (path, pagination token) was asked for, ``/2/users/me`` left out."""
    return Counter((r.path, r.query.get("pagination_token")) for r in fx.requests if r.path != "/2/users/me")


def assert_at_most_one_page_twice(fx: FakeX) -> None:
    counts = page_counts(fx)
    twice = [key for key, n in counts.items() if n > 1]
    assert max(counts.values()) <= 2, counts.most_common(3)
    assert len(twice) <= 1, twice


def key_params(query: dict[str, str]) -> dict[str, str]:
    return {k: query[k] for k in KEY_PARAMS if k in query}


def meter_rows(stdout: str) -> dict[str, tuple[int, int]]:
    """endpoint -> (requests, resources) from the printed meter table."""
    rows = {}
    for line in stdout.splitlines():
        if m := re.match(r"((?:GET|POST|PUT|DELETE) \S+)\s+(\d+)\s+(\d+)\s+\S+\s+\$[\d.,]+$", line):
            rows[m[1]] = (int(m[2]), int(m[3]))
    return rows


# -- 1. the exact requests of a first sync ------------------------------------------------------------------------


def expected_post_targets(world: World, limit: int) -> list[str]:
    following = set(world.following_ids())
    out = []
    for uid in world.follower_ids():
        user = world.users[uid]
        if uid in following or user["protected"] or user["public_metrics"]["tweet_count"] == 0:
            continue
        out.append(uid)
        if len(out) == limit:
            break
    return out


def test_first_sync_makes_exactly_the_expected_requests(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    world = World.generate(followers=5000, following=1500, mutual=400, lists=3, posters=300, seed=11)
    fx = running(world)
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 5\n")

    started = time.perf_counter()
    result = run_sync(env)
    elapsed = time.perf_counter() - started

    assert result.returncode == 0, result.stderr
    fx.check()
    me = world.me_id
    reqs = list(fx.requests)
    assert all(r.status == 200 and r.auth == "oauth2-user" for r in reqs)

    def chained(path: str, page_size: str) -> list[tuple[str, str, dict[str, str]]]:
        bodies = [r.response for r in reqs if r.path == path]
        assert bodies and "next_token" not in bodies[-1]["meta"]
        tokens = [None] + [b["meta"]["next_token"] for b in bodies[:-1]]
        assert len(set(tokens)) == len(tokens)
        return [("GET", path, {"max_results": page_size} | ({"pagination_token": t} if t else {})) for t in tokens]

    followers_calls = chained(f"/2/users/{me}/followers", "1000")
    assert len(followers_calls) == 5
    following_calls = chained(f"/2/users/{me}/following", "1000")
    assert len(following_calls) == 2
    lists = owned_lists(world)
    assert len(lists) == 3
    targets = expected_post_targets(world, 5)
    assert len(targets) == 5
    expected = [
        ("GET", "/2/users/me", {}),
        *followers_calls,
        *following_calls,
        ("GET", f"/2/users/{me}/owned_lists", {"max_results": "100"}),
        *[("GET", f"/2/lists/{x.id}/members", {"max_results": "100"}) for x in lists],
        *[("GET", f"/2/users/{uid}/tweets", {"max_results": "5"}) for uid in targets],
        ("GET", f"/2/users/{me}/mentions", {"max_results": "100"}),
        ("GET", f"/2/users/{me}/tweets", {"max_results": "100"}),
    ]
    assert [(r.method, r.path, key_params(r.query)) for r in reqs] == expected

    assert_store_matches(data_dir_of(env), world)
    assert not (data_dir_of(env) / JOURNAL).exists()

    summary = result.stdout.splitlines()[0]
    assert summary == (
        "Synced @me: 5,000 followers, 1,500 following, 3 lists; "
        "first sync (new followers are marked from the next one on)."
    )
    rows = meter_rows(result.stdout)
    members = sum(sum(1 for i in x.members if world.visible(i)) for x in lists)
    assert rows["GET /2/users/:id/followers"] == (5, 5000)
    assert rows["GET /2/users/:id/following"] == (2, 1500)
    assert rows["GET /2/users/:id/owned_lists"] == (1, 3)
    assert rows["GET /2/lists/:id/members"] == (3, members)
    assert rows["GET /2/users/me"] == (1, 1)
    assert rows["GET /2/users/:id/tweets"][0] == 6
    assert rows["GET /2/users/:id/mentions"][0] == 1
    assert "est. cost" in result.stdout
    assert re.search(rf"^{len(reqs)} requests, estimated \$[\d,]+\.\d\d under pay-per-use prices$", result.stdout, re.M)

    per_1000 = len(reqs) / 5
    print(
        f"\nfirst sync of 5,000 followers: {len(reqs)} requests ({per_1000:.1f} per 1,000 followers, "
        f"followers pages alone: 1.0), {elapsed:.2f} s wall (subprocess included), {5000 / elapsed:,.0f} followers/s"
    )


# -- a cache after one sync, copied for each test ----------------------------------------------------------------


def base_world() -> World:
    """2,500 followers (3 pages); the same people every time (list IDs differ: they are minted from the clock)."""
    return World.generate(followers=2500, following=120, mutual=40, lists=2, posters=60, seed=21)


@pytest.fixture(scope="module")
def synced_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache after one complete sync of ``base_world()``."""
    base = tmp_path_factory.mktemp("synced-once")
    world = base_world()
    world.add_user_token(TOKEN, world.me_id)
    with FakeX(world) as fx:
        result = run_sync(make_env(base, fx, config="[sync]\nposts_accounts = 3\n"))
        fx.check()
    assert result.returncode == 0, result.stderr
    return base / "data"


@dataclass(frozen=True)
class Resync:
    """A copy of ``synced_once`` in ``tmp_path / "data"``, a FakeX over ``base_world()`` and the copy's snapshot."""

    fx: FakeX
    env: dict[str, str]
    previous: Snapshot

    @property
    def world(self) -> World:
        return self.fx.world

    @property
    def data_dir(self) -> Path:
        return data_dir_of(self.env)


@pytest.fixture
def resync(tmp_path: Path, synced_once: Path, running: Callable[[World], FakeX]) -> Resync:
    shutil.copytree(synced_once, tmp_path / "data", ignore=shutil.ignore_patterns("followtui.lock"))
    fx = running(base_world())
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 3\n")
    return Resync(fx, env, snapshot(cache_dir(tmp_path / "data")))


# -- 2. the second sync tells what changed -----------------------------------------------------------------------


def non_mutual_followers(world: World) -> list[str]:
    following = set(world.following_ids())
    return [i for i in world.follower_ids() if i not in following]


def change_followers(world: World) -> tuple[list[str], list[str], str, str]:
    """3 new followers, 2 who leave, 1 suspended, 1 deleted: (new, left, suspended, deleted)."""
    before = non_mutual_followers(world)
    left, suspended, deleted = before[10:12], before[20], before[30]
    new = [world.add_follower(make_user(str(9_000_000_000 + n), f"newcomer{n}")) for n in range(3)]
    for uid in left:
        world.remove_follower(uid)
    world.suspend(suspended)
    world.delete(deleted)
    return new, left, suspended, deleted


def test_second_sync_reports_the_changes(resync: Resync) -> None:
    world = resync.world
    t1 = resync.previous.sync.last_sync
    assert t1 is not None
    stayed_before = set(world.follower_ids())
    new, left, suspended, deleted = change_followers(world)
    stayed = [i for i in world.follower_ids() if i in stayed_before]

    result = run_sync(resync.env)
    assert result.returncode == 0, result.stderr
    assert "; 3 new followers, 2 left, 1 suspended, 1 deleted" in result.stdout.splitlines()[0]

    lookups = [r for r in resync.fx.requests if r.path == "/2/users"]
    assert len(lookups) == 1
    looked_up = lookups[0].query["ids"].split(",")
    assert sorted(looked_up) == sorted([*left, suspended, deleted])

    assert_store_matches(resync.data_dir, world)
    with Store.open(resync.data_dir) as store:
        info = store.sync_info()
        t2 = info.last_sync
        assert t2 is not None and t2 > t1
        assert info.previous_sync == t1
        for uid in stayed:
            rel = store.relationship(uid)
            assert rel is not None and rel.follower
            assert (rel.follower_first_seen, rel.follower_last_seen) == (t1, t2)
        for uid in new:
            rel = store.relationship(uid)
            assert rel is not None and rel.follower
            assert (rel.follower_first_seen, rel.follower_last_seen) == (t2, t2)
        for uid in [*left, suspended, deleted]:
            rel = store.relationship(uid)
            assert rel is not None and not rel.follower
            assert (rel.follower_first_seen, rel.follower_last_seen) == (t1, t1)
        states = {uid: present(store.account(uid)).state for uid in [*left, suspended, deleted]}
        assert states == {
            left[0]: AccountState.ACTIVE,
            left[1]: AccountState.ACTIVE,
            suspended: AccountState.SUSPENDED,
            deleted: AccountState.DELETED,
        }


def test_vanished_accounts_are_looked_up_100_at_a_time(resync: Resync) -> None:
    gone = non_mutual_followers(resync.world)[:250]
    for uid in gone:
        resync.world.remove_follower(uid)

    result = run_sync(resync.env)
    assert result.returncode == 0, result.stderr
    assert "; 0 new followers, 250 left, 0 suspended, 0 deleted" in result.stdout
    batches = [r.query["ids"].split(",") for r in resync.fx.requests if r.path == "/2/users"]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert sorted(i for b in batches for i in b) == sorted(gone)
    assert_store_matches(resync.data_dir, resync.world)


# -- 3. SIGKILL, then resume --------------------------------------------------------------------------------------


def resumable_world() -> World:
    """Several pages in every paged phase: 2 of followers, 2 of following, and a 250-member list (3 pages) first."""
    world = World.generate(followers=1200, following=1200, mutual=300, lists=3, posters=200, seed=9)
    big = world.add_list("big list", members=world.following_ids()[:250])
    assert owned_lists(world)[0] is big
    return world


def graph_replaced(data_dir: Path) -> Callable[[], bool]:
    """A check, true once graph.jsonl is another file than at its first call (the store's first write is done)."""
    path = data_dir / "graph.jsonl"
    first: list[int | None] = []

    def check() -> bool:
        inode = path.stat().st_ino if path.exists() else None
        if not first:
            first.append(inode)
        return inode is not None and inode != first[0]

    return check


def kill_when(child: Child, reached: threading.Event, then: Callable[[], bool] | None = None) -> int:
    """SIGKILL ``child`` once ``reached`` is set (and then, polling hard, once ``then()``); its exit status."""
    assert reached.wait(60), child.lines[-5:]
    while then is not None and not then() and child.proc.poll() is None:
        pass
    return child.kill()


def start_gated(fx: FakeX, env: dict[str, str], route: str, nth: int) -> int:
    """Run a sync and SIGKILL it while the ``nth`` call of ``route`` is held in the fake; its exit status."""
    gate = Gate(fx, route, nth)
    child = Child(env)
    try:
        rc = kill_when(child, gate.reached)
    finally:
        gate.release()
        child.kill()
    return rc


def resume(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Check the killed run left a sound cache and a journal, then sync to the end."""
    data_dir = data_dir_of(env)
    assert (data_dir / JOURNAL).exists()
    with Store.open(data_dir) as store:  # not corrupt, and the lock went with the process
        store.sync_info()
    result = run_sync(env)
    assert result.returncode == 0, result.stderr
    assert not (data_dir / JOURNAL).exists()
    return result


def finish_first_sync(env: dict[str, str], fx: FakeX) -> subprocess.CompletedProcess[str]:
    """After a first sync was killed anywhere (or just finished): the cache opens, the next sync ends exact, and it
    resumes (at most one page asked for again) unless the killed one had already saved; then it starts over."""
    data_dir = data_dir_of(env)
    with Store.open(data_dir) as store:
        saved = store.sync_info().last_sync is not None
    pending = (data_dir / JOURNAL).exists()
    result = run_sync(env)
    assert result.returncode == 0, result.stderr
    assert not (data_dir / JOURNAL).exists()
    if pending and not saved:
        assert "; resumed with" in result.stdout
        assert_at_most_one_page_twice(fx)
    elif pending:
        assert "Starting over: the stored sync had already completed" in result.stderr
    assert_store_matches(data_dir, fx.world)
    return result


def test_sigkill_during_followers_then_resume(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    world = World.generate(followers=8000, following=100, mutual=30, lists=2, posters=50, seed=8)
    fx = running(world)
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 5\n")
    assert start_gated(fx, env, FOLLOWERS, 3) == -signal.SIGKILL
    result = resume(env)

    followers_path = f"/2/users/{world.me_id}/followers"
    tokens = Counter(r.query.get("pagination_token") for r in fx.requests if r.path == followers_path)
    assert len(tokens) == 8
    assert tokens[None] == 1
    assert sorted(tokens.values()) == [1] * 7 + [2]  # only the page in flight at the kill was asked for twice
    assert_at_most_one_page_twice(fx)
    assert "; resumed with 2 stored pages." in result.stdout
    assert_store_matches(data_dir_of(env), world)


@pytest.mark.parametrize(
    ("route", "nth"),
    [(FOLLOWING, 2), (MEMBERS, 2), (TWEETS, 3)],
    ids=["following page 2 in flight", "list members page 2 in flight", "posts of the 3rd account in flight"],
)
def test_sigkill_in_a_later_phase_then_resume(
    tmp_path: Path, running: Callable[[World], FakeX], route: str, nth: int
) -> None:
    world = resumable_world()
    fx = running(world)
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 5\n")
    assert start_gated(fx, env, route, nth) == -signal.SIGKILL
    assert (data_dir_of(env) / JOURNAL).exists()
    finish_first_sync(env, fx)
    calls = [r for r in fx.requests if r.route == route]
    held, first_resumed = calls[nth - 1], calls[nth]  # the resumed run asks again for the call held at the kill
    assert (held.path, held.query) == (first_resumed.path, first_resumed.query)


def test_sigkill_between_the_two_file_writes_then_resume(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    """Killed once graph.jsonl is replaced, before state.json is (polled hard after "Saving"); the resumed run
    merges again over the new graph and ends exact (if the kill comes late, the next sync starts over instead)."""
    fx = running(resumable_world())
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 5\n")
    child = Child(env)
    first_cache = account_dir(Path(env["FOLLOWTUI_HOME"]), X, "")  # a token's user ID is not known before the sync
    rc = kill_when(child, child.saving, graph_replaced(first_cache))
    assert rc in (0, -signal.SIGKILL), (rc, child.lines)
    finish_first_sync(env, fx)


def test_sigkill_right_after_the_last_request(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    """Killed as soon as the fake has answered the last request (own posts); the child may have finished."""
    world = resumable_world()
    fx = running(world)
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 5\n")
    own_posts = f"/2/users/{world.me_id}/tweets"
    child = Child(env)
    deadline = time.monotonic() + 60
    while not any(r.path == own_posts for r in list(fx.requests)):
        assert time.monotonic() < deadline and child.proc.poll() is None, child.lines[-5:]
        time.sleep(0.001)
    rc = child.kill()
    assert rc in (0, -signal.SIGKILL), (rc, child.lines)
    finish_first_sync(env, fx)


def test_sigkill_between_the_writes_of_a_second_sync_keeps_the_summary(resync: Resync) -> None:
    change_followers(resync.world)
    child = Child(resync.env)
    state = resync.data_dir / "state.json"
    state_before = state.stat().st_ino
    rc = kill_when(child, child.saving, graph_replaced(resync.data_dir))
    if rc != -signal.SIGKILL or state.stat().st_ino != state_before:
        pytest.skip("the kill missed the window between the two writes")
    result = resume(resync.env)
    assert_store_matches(resync.data_dir, resync.world)
    assert "; 3 new followers, 2 left, 1 suspended, 1 deleted; resumed with" in result.stdout


# -- 4. faults end in clear messages, with nothing lost -----------------------------------------------------------


def add_latecomer(resync: Resync) -> None:
    resync.world.add_follower(make_user("9100000000", "latecomer"))


def on_call(fx: FakeX, route: str, nth: int, kind: str, **opts: Any) -> None:
    """Fault the ``nth`` call of ``route`` (earlier calls pass)."""
    if nth > 1:
        fx.fail(route, "slow", times=nth - 1, seconds=0)
    fx.fail(route, kind, **opts)


def assert_completed(result: subprocess.CompletedProcess[str], resync: Resync) -> None:
    assert result.returncode == 0, result.stderr
    assert "; 1 new followers, 0 left, 0 suspended, 0 deleted" in result.stdout
    assert not (resync.data_dir / JOURNAL).exists()
    assert_store_matches(resync.data_dir, resync.world)


def assert_stopped_with_nothing_lost(result: subprocess.CompletedProcess[str], resync: Resync) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "followtui: sync stopped: " in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert snapshot(resync.data_dir) == resync.previous


def test_short_rate_limit_is_waited_out(resync: Resync) -> None:
    add_latecomer(resync)
    on_call(resync.fx, FOLLOWERS, 2, "429", reset_in=2)
    result = run_sync(resync.env)
    assert "X rate limit for followers: waiting until" in result.stderr
    assert_completed(result, resync)
    assert [r.status for r in resync.fx.requests if r.route == FOLLOWERS] == [200, 429, 200, 200]


def reset_times(before: float, after: float, tz: timezone) -> set[str]:
    """The HH:MM in ``tz`` of a reset one hour after a moment between ``before`` and ``after``."""
    return {datetime.fromtimestamp(int(t + 3600), UTC).astimezone(tz).strftime("%H:%M") for t in (before, after)}


def test_long_rate_limit_stops_then_resumes(resync: Resync) -> None:
    add_latecomer(resync)
    on_call(resync.fx, FOLLOWERS, 2, "429", reset_in=3600)
    before = time.time()
    result = run_sync(resync.env)
    after = time.time()
    assert_stopped_with_nothing_lost(result, resync)
    m = re.search(r"X's rate limit for followers resets at (\d\d:\d\d)\. Run the sync again", result.stderr)
    assert m, result.stderr
    assert m[1] in reset_times(before, after, UTC)  # the child runs with TZ=UTC
    assert "it resumes where it stopped." in result.stderr
    assert (resync.data_dir / JOURNAL).exists()

    result = run_sync(resync.env)  # the fault is spent: X answers again
    assert "; resumed with 1 stored pages." in result.stdout
    assert_completed(result, resync)
    assert_at_most_one_page_twice(resync.fx)


def test_long_rate_limit_names_the_reset_in_local_time(resync: Resync) -> None:
    resync.env["TZ"] = "XST-5:30"  # POSIX: 5 h 30 min east of UTC (no tzdata needed)
    resync.fx.fail(FOLLOWERS, "429", reset_in=3600)
    before = time.time()
    result = run_sync(resync.env)
    after = time.time()
    assert_stopped_with_nothing_lost(result, resync)
    m = re.search(r"resets at (\d\d:\d\d)", result.stderr)
    assert m, result.stderr
    assert m[1] in reset_times(before, after, timezone(timedelta(hours=5, minutes=30)))


def test_unknown_token_asks_to_sign_in_again(resync: Resync) -> None:
    resync.env["FOLLOWTUI_X_OAUTH2_TOKEN"] = token = "revoked-token-Zq81nN3b"
    result = run_sync(resync.env)
    assert_stopped_with_nothing_lost(result, resync)
    assert "followtui auth" in result.stderr
    assert token not in result.stdout + result.stderr
    assert [r.status for r in resync.fx.requests] == [401]


def test_token_revoked_mid_sync(resync: Resync) -> None:
    on_call(resync.fx, FOLLOWERS, 2, "401")
    result = run_sync(resync.env)
    assert_stopped_with_nothing_lost(result, resync)
    assert "followtui auth" in result.stderr
    assert (resync.data_dir / JOURNAL).exists()


def test_access_tier_refusal_shows_xs_words(resync: Resync) -> None:
    resync.fx.fail(FOLLOWERS, "403-tier")
    result = run_sync(resync.env)
    assert_stopped_with_nothing_lost(result, resync)
    assert f"X refused to show followers: {TIER_DETAIL}" in result.stderr


def test_server_errors_are_retried_with_backoff(resync: Resync) -> None:
    add_latecomer(resync)
    on_call(resync.fx, FOLLOWERS, 2, "500", times=2)
    started = time.monotonic()
    result = run_sync(resync.env)
    assert time.monotonic() - started >= 6  # 2 s, then 4 s
    assert "retry in 2 s" in result.stderr and "retry in 4 s" in result.stderr
    assert_completed(result, resync)
    assert [r.status for r in resync.fx.requests if r.route == FOLLOWERS] == [200, 500, 500, 200, 200]


def test_dropped_connection_is_retried(resync: Resync) -> None:
    add_latecomer(resync)
    on_call(resync.fx, FOLLOWERS, 2, "drop")
    result = run_sync(resync.env)
    assert "cannot reach X" in result.stderr
    assert_completed(result, resync)
    assert [r.status for r in resync.fx.requests if r.route == FOLLOWERS] == [200, 0, 200, 200]


# -- 5. not signed in; the demo ------------------------------------------------------------------------------------


def test_not_signed_in(tmp_path: Path) -> None:
    result = run_sync(make_env(tmp_path, token=None))
    assert result.returncode == 1
    assert "followtui auth" in result.stderr
    assert not result.stdout


def test_demo_sync_works_offline(tmp_path: Path) -> None:
    env = make_env(tmp_path, token=None)
    env |= {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    result = run_sync(env, "--demo")
    assert result.returncode == 0, result.stderr
    assert re.match(r"Synced @\w+: [\d,]+ followers, [\d,]+ following, \d+ lists; ", result.stdout)
    assert not (cache_dir(Path(env["FOLLOWTUI_HOME"]) / "demo") / JOURNAL).exists()
