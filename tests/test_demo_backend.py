"""The demo backend: paging, reads, idempotent writes that really change its state, and injected faults."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

import pytest

from followtui.backends.base import Backend, BackendError, Forbidden, NotFound, Page, RateLimited, Refused, Transient
from followtui.backends.demo import DemoBackend
from followtui.demo import DemoGraph, generate
from followtui.domain.models import AccountState
from tests.factories import present

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph() -> DemoGraph:
    return generate(NOW)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def backend(graph: DemoGraph, sleeps: list[float]) -> DemoBackend:
    return DemoBackend(graph, sleep=sleeps.append)


def read_all(fetch: Callable[[str | None], Page]) -> tuple[list[str], list[str], int]:
    """Every account ID and missing ID over all pages, and the number of pages."""
    ids: list[str] = []
    missing: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = fetch(cursor)
        pages += 1
        ids += [a.id for a in page.accounts]
        missing += list(page.gone)
        cursor = page.next_cursor
        if cursor is None:
            return ids, missing, pages


def following_ids(backend: DemoBackend) -> set[str]:
    ids, missing, _ = read_all(backend.following)
    return set(ids) | set(missing)


def account_id(graph: DemoGraph, test: Callable[[DemoGraph, str], bool]) -> str:
    return next(r.account_id for r in graph.relationships if test(graph, r.account_id))


def not_followed(graph: DemoGraph, i: str) -> bool:
    r = next(r for r in graph.relationships if r.account_id == i)
    state = next(a.state for a in graph.accounts if a.id == i)
    return not r.following and state is AccountState.ACTIVE


def test_is_a_backend(backend: DemoBackend, graph: DemoGraph) -> None:
    assert isinstance(backend, Backend)
    assert backend.name == "demo"
    assert backend.me() == graph.me


def test_followers_pages_cover_each_follower_once(backend: DemoBackend, graph: DemoGraph) -> None:
    ids, missing, pages = read_all(backend.followers)
    expected = {r.account_id for r in graph.relationships if r.follower}
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected and missing == []
    assert pages == 1  # fewer than 1000 followers


def test_small_pages_cover_everything_once(graph: DemoGraph) -> None:
    backend = DemoBackend(graph, page_size=7)
    ids, missing, pages = read_all(backend.following)
    expected = {r.account_id for r in graph.relationships if r.following}
    assert len(ids) + len(missing) == len(expected) and set(ids) | set(missing) == expected
    assert pages == -(-len(expected) // 7)
    page = backend.followers()
    assert len(page.accounts) == 7 and page.next_cursor and not page.next_cursor.isdigit()


def test_following_reports_gone_accounts_as_missing(backend: DemoBackend, graph: DemoGraph) -> None:
    ids, missing, _ = read_all(backend.following)
    states = {a.id: a.state for a in graph.accounts}
    assert missing and all(states[i] is not AccountState.ACTIVE for i in missing)
    assert all(states[i] is AccountState.ACTIVE for i in ids)


def test_followers_newest_first(backend: DemoBackend, graph: DemoGraph) -> None:
    rels = {r.account_id: r for r in graph.relationships}
    seen = [present(rels[a.id].follower_first_seen) for a in backend.followers().accounts]
    assert seen == sorted(seen, reverse=True)


def test_bad_cursor(backend: DemoBackend) -> None:
    with pytest.raises(BackendError):
        backend.followers("nonsense")


def test_reads(backend: DemoBackend, graph: DemoGraph) -> None:
    assert backend.owned_lists() == [replace(lst, member_ids=()) for lst in graph.lists]
    for lst in graph.lists:
        assert read_all(partial(backend.list_members, lst.id))[0] == list(lst.member_ids)
    with pytest.raises(NotFound):
        backend.list_members("404")
    assert backend.mentions() == sorted(graph.mentions, key=lambda p: int(p.id), reverse=True)
    assert backend.mentions(limit=2) == backend.mentions()[:2]
    assert backend.my_posts(limit=5) == sorted(graph.my_posts, key=lambda p: int(p.id), reverse=True)[:5]
    account = max(graph.accounts, key=lambda a: len(a.posts))
    posts = backend.recent_posts(account.id, limit=3)
    assert [p.id for p in posts] == [p.id for p in account.posts[:3]]
    assert posts[0].id == account.most_recent_tweet_id
    with pytest.raises(NotFound):
        backend.recent_posts("999")
    gone = next(a for a in graph.accounts if a.state is AccountState.SUSPENDED)
    with pytest.raises(NotFound):
        backend.recent_posts(gone.id)


def test_lookup_tells_suspended_from_deleted(backend: DemoBackend, graph: DemoGraph) -> None:
    suspended = next(a.id for a in graph.accounts if a.state is AccountState.SUSPENDED)
    deleted = next(a.id for a in graph.accounts if a.state is AccountState.DELETED)
    active = next(a.id for a in graph.accounts if a.state is AccountState.ACTIVE)
    page = backend.lookup([active, suspended, deleted, "999"])
    assert [a.id for a in page.accounts] == [active]
    assert page.gone == {suspended: AccountState.SUSPENDED, deleted: AccountState.DELETED, "999": AccountState.DELETED}
    with pytest.raises(Refused):
        backend.lookup([active] * 101)


def test_follow_shows_in_following(backend: DemoBackend, graph: DemoGraph, sleeps: list[float]) -> None:
    target = account_id(graph, not_followed)
    assert target not in following_ids(backend)
    backend.follow(target)
    assert sleeps == [0.15]
    assert backend.following().accounts[0].id == target
    backend.follow(target)  # already following: success, no duplicate
    ids, missing, _ = read_all(backend.following)
    assert (ids + missing).count(target) == 1


def test_unfollow(backend: DemoBackend, graph: DemoGraph) -> None:
    target = next(r.account_id for r in graph.relationships if r.following)
    backend.unfollow(target)
    assert target not in following_ids(backend)
    backend.unfollow(target)  # not following: still a success
    gone = next(a.id for a in graph.accounts if a.state is AccountState.DELETED)
    backend.unfollow(gone)  # tidying up a deleted account is allowed


def test_unknown_and_gone_accounts(backend: DemoBackend, graph: DemoGraph) -> None:
    lst = graph.lists[0]
    calls: list[Callable[[], object]] = [
        lambda: backend.follow("999"),
        lambda: backend.unfollow("999"),
        lambda: backend.add_list_member(lst.id, "999"),
        lambda: backend.remove_list_member(lst.id, "999"),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    suspended = next(a.id for a in graph.accounts if a.state is AccountState.SUSPENDED)
    with pytest.raises(NotFound):
        backend.follow(suspended)


def test_lists(backend: DemoBackend, graph: DemoGraph) -> None:
    created = backend.create_list("Pottery", "Clay people", private=False)
    again = backend.create_list("Pottery")
    existing = {lst.id for lst in graph.lists}
    assert created.id not in existing and again.id not in existing and created.id != again.id
    assert (created.name, created.description, created.private, created.member_ids) == (
        "Pottery",
        "Clay people",
        False,
        (),
    )
    member = graph.accounts[0].id
    backend.add_list_member(created.id, member)
    backend.add_list_member(created.id, member)  # already a member: success
    assert read_all(partial(backend.list_members, created.id))[0] == [member]
    backend.remove_list_member(created.id, member)
    backend.remove_list_member(created.id, member)  # not a member: success
    assert read_all(partial(backend.list_members, created.id))[0] == []
    old = graph.lists[0]
    backend.remove_list_member(old.id, old.member_ids[0])
    assert old.member_ids[0] not in read_all(partial(backend.list_members, old.id))[0]
    assert graph.lists[0] == old  # the graph itself is never changed


def test_unknown_list(backend: DemoBackend, graph: DemoGraph) -> None:
    member = graph.accounts[0].id
    with pytest.raises(NotFound):
        backend.add_list_member("42", member)
    with pytest.raises(NotFound):
        backend.remove_list_member("42", member)


def test_list_names_must_be_valid(backend: DemoBackend) -> None:
    for bad in ("", "   ", "x" * 26):
        with pytest.raises(Forbidden):
            backend.create_list(bad)
    assert backend.create_list("x" * 25).name == "x" * 25


def test_faults_are_raised_in_order_then_the_call_works(graph: DemoGraph) -> None:
    reset = datetime(2026, 3, 14, 12, 15, tzinfo=UTC)
    faults: dict[str, list[BackendError]] = {
        "follow": [RateLimited(reset, "follows"), Transient("timeout")],
        "followers": [Forbidden("no reads on this tier")],
    }
    backend = DemoBackend(graph, delay=0, faults=faults)
    target = account_id(graph, not_followed)
    with pytest.raises(RateLimited) as limited:
        backend.follow(target)
    assert limited.value.reset_at == reset
    with pytest.raises(Transient):
        backend.follow(target)
    assert target not in following_ids(backend)  # a failed call changes nothing
    backend.follow(target)
    assert target in following_ids(backend)
    with pytest.raises(Forbidden):
        backend.followers()
    assert backend.followers().accounts
    assert faults == {"follow": [], "followers": []}
    backend.faults["unfollow"] = [NotFound("gone")]  # faults can be added later
    with pytest.raises(NotFound):
        backend.unfollow(target)


def test_delay_uses_injected_sleep(graph: DemoGraph) -> None:
    sleeps: list[float] = []
    backend = DemoBackend(graph, delay=0.5, sleep=sleeps.append)
    backend.followers()
    backend.owned_lists()
    assert sleeps == []  # reads are instant
    target = graph.accounts[0].id
    lst = backend.create_list("Delayed")
    backend.follow(target)
    backend.unfollow(target)
    backend.add_list_member(lst.id, target)
    backend.remove_list_member(lst.id, target)
    assert sleeps == [0.5] * 5
    DemoBackend(graph, delay=0, sleep=sleeps.append).follow(target)
    assert len(sleeps) == 5


def test_concurrent_follows(graph: DemoGraph) -> None:
    backend = DemoBackend(graph, delay=0)
    targets = [r.account_id for r in graph.relationships if not_followed(graph, r.account_id)][:40]
    threads = [threading.Thread(target=backend.follow, args=(t,)) for t in targets for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids, missing, _ = read_all(backend.following)
    assert len(ids + missing) == len(set(ids + missing))
    assert set(targets) <= set(ids)
