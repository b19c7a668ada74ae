"""The demo backend serving the Bluesky graph: XRPC-sized pages, AT URI lists, writes that change it, cost zero."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from atproto_core.uri import AtUri

from followtui.backends.base import Backend, FollowState, NotFound, Page, Refused
from followtui.backends.demo import BSKY_PAGE_SIZE, DemoBackend
from followtui.backends.meter import RequestMeter
from followtui.demo import BSKY_ME, DemoGraph, generate, generate_bluesky
from followtui.demo.bluesky import tid_value
from followtui.domain.models import AccountState, Op, OutboxEntry, OutboxState, post_order
from followtui.services.sync import Syncer, SyncOptions
from followtui.store import Store

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph() -> DemoGraph:
    return generate_bluesky(NOW)


@pytest.fixture
def backend(graph: DemoGraph) -> DemoBackend:
    return DemoBackend(graph, delay=0)


def read_all(fetch: Callable[[str | None], Page]) -> tuple[list[str], dict[str, AccountState], int]:
    ids: list[str] = []
    gone: dict[str, AccountState] = {}
    cursor: str | None = None
    pages = 0
    while True:
        page = fetch(cursor)
        pages += 1
        assert len(page.accounts) + len(page.gone) <= BSKY_PAGE_SIZE
        ids += [a.id for a in page.accounts]
        gone.update(page.gone)
        cursor = page.next_cursor
        if cursor is None:
            return ids, gone, pages


def rkey(uri: str) -> int:
    value = tid_value(AtUri.from_str(uri).rkey)
    assert value is not None
    return value


def someone(graph: DemoGraph, test: Callable[[str], bool]) -> str:
    active = {a.id for a in graph.accounts if a.state is AccountState.ACTIVE}
    return next(r.account_id for r in graph.relationships if r.account_id in active and test(r.account_id))


def test_is_a_backend_on_bluesky(backend: DemoBackend, graph: DemoGraph) -> None:
    assert isinstance(backend, Backend)
    assert backend.network == "bluesky" and DemoBackend(generate(NOW)).network == "x"
    assert backend.me() == BSKY_ME == graph.me


def test_follow_lists_in_pages_of_100_with_the_gone_told_apart(backend: DemoBackend, graph: DemoGraph) -> None:
    states = {a.id: a.state for a in graph.accounts}
    for fetch, side in ((backend.followers, "follower"), (backend.following, "following")):
        ids, gone, pages = read_all(fetch)
        expected = {r.account_id for r in graph.relationships if getattr(r, side)}
        assert len(ids) == len(set(ids)) and set(ids) | set(gone) == expected
        assert pages == -(-len(expected) // BSKY_PAGE_SIZE) > 1
        assert all(states[i] is AccountState.ACTIVE for i in ids)
        assert all(states[i] is state for i, state in gone.items())
    gone = read_all(backend.following)[1] | read_all(backend.followers)[1]
    assert {AccountState.SUSPENDED, AccountState.DELETED} <= set(gone.values())


def test_lookup_tells_taken_down_deleted_and_deactivated_apart(backend: DemoBackend, graph: DemoGraph) -> None:
    by_state = {a.state: a.id for a in graph.accounts}
    page = backend.lookup([*by_state.values(), "did:plc:nobodyhere2222222222222222"])
    assert [a.id for a in page.accounts] == [by_state[AccountState.ACTIVE]]
    assert page.gone == {
        by_state[AccountState.SUSPENDED]: AccountState.SUSPENDED,
        by_state[AccountState.DELETED]: AccountState.DELETED,
        by_state[AccountState.DEACTIVATED]: AccountState.DEACTIVATED,
        "did:plc:nobodyhere2222222222222222": AccountState.DELETED,
    }


def test_posts_newest_first_by_time_then_uri(backend: DemoBackend, graph: DemoGraph) -> None:
    account = max(graph.accounts, key=lambda a: len(a.posts))
    posts = backend.recent_posts(account.id, limit=100)
    assert posts == sorted(account.posts, key=post_order, reverse=True) and len(posts) >= 5
    assert backend.recent_posts(account.id, limit=2) == posts[:2]
    assert backend.mentions() == sorted(graph.mentions, key=post_order, reverse=True)
    assert backend.my_posts(limit=5) == sorted(graph.my_posts, key=post_order, reverse=True)[:5]


def test_follow_and_unfollow_change_the_follows(backend: DemoBackend, graph: DemoGraph) -> None:
    following = {r.account_id for r in graph.relationships if r.following}
    target = someone(graph, lambda i: i not in following)
    assert backend.follow(target) is FollowState.FOLLOWING  # no follow requests on Bluesky
    assert backend.follow(target) is FollowState.FOLLOWING  # once is enough: no second record
    ids, _, _ = read_all(backend.following)
    assert ids.count(target) == 1 and ids[0] == target
    backend.unfollow(target)
    backend.unfollow(target)
    assert target not in read_all(backend.following)[0]
    with pytest.raises(NotFound):
        backend.follow("did:plc:nobodyhere2222222222222222")


def test_lists_are_public_at_uris_in_my_repository(backend: DemoBackend, graph: DemoGraph) -> None:
    published = [replace(info, member_ids=()) for info in graph.lists if not info.kept_here]
    assert backend.owned_lists() == published  # the lists kept on this machine are not on the network
    assert len(published) < len(graph.lists)
    made = backend.create_list("Teachers in Porto", "Colleagues", private=True)
    uri = AtUri.from_str(made.id)
    assert (uri.host, uri.collection) == (BSKY_ME.id, "app.bsky.graph.list")
    assert made.private is False  # Bluesky has no private lists
    assert rkey(made.id) > max(rkey(info.id) for info in published)
    second = backend.create_list("Second")
    assert rkey(second.id) > rkey(made.id)
    member = someone(graph, lambda _i: True)
    backend.add_list_member(made.id, member)
    backend.add_list_member(made.id, member)
    assert read_all(partial(backend.list_members, made.id))[0] == [member]
    backend.update_list(made.id, "Teachers, Porto", "")
    assert {i.id: i.name for i in backend.owned_lists()}[made.id] == "Teachers, Porto"
    backend.remove_list_member(made.id, member)
    assert read_all(partial(backend.list_members, made.id))[0] == []
    backend.delete_list(made.id)
    assert made.id not in {i.id for i in backend.owned_lists()}
    with pytest.raises(NotFound):
        backend.list_members(made.id)


def test_list_limits_are_the_lexicons(backend: DemoBackend, graph: DemoGraph) -> None:
    backend.create_list("n" * 64, "d" * 300)  # X would refuse both (25 and 100)
    backend.create_list("é" * 32, "e\u0301" * 300)  # 64 bytes; 300 graphemes of 2 code points each
    backend.create_list("flags", "🧑🏽‍🔬" * 100 + "🇵🇹" * 100)  # 100 graphemes of 4 code points, 100 flags: 2,300 bytes
    too_long = (("n" * 65, ""), ("é" * 33, ""), (" ", ""), ("ok", "d" * 301), ("ok", "e\u0301" * 301))
    for name, description in (*too_long, ("ok", "🧑🏽‍🔬" * 201)):  # the last: 201 graphemes, but 3,015 bytes
        with pytest.raises(Refused):
            backend.create_list(name, description)
    with pytest.raises(Refused):
        backend.update_list(graph.lists[0].id, "n" * 65, "")


def test_replay_remembers_a_list_made_in_an_earlier_run(graph: DemoGraph) -> None:
    earlier = DemoBackend(graph, delay=0)
    made = earlier.create_list("Made before")
    entry = OutboxEntry("e1", Op.LIST_CREATE, "", NOW, state=OutboxState.DONE, list_id=made.id)
    later = DemoBackend(graph, delay=0)
    later.replay([entry], {made.id: made})
    assert made in later.owned_lists() and later.owned_lists()[-1].private is False
    assert rkey(later.create_list("After").id) > rkey(made.id)  # a PDS never gives a record key twice


def test_every_call_is_metered_under_xrpc_and_costs_nothing(graph: DemoGraph) -> None:
    meter = RequestMeter(owned_app=True)
    backend = DemoBackend(graph, delay=0, meter=meter)
    read_all(backend.followers)
    read_all(backend.following)
    backend.mentions()
    backend.recent_posts(graph.accounts[0].id)
    backend.follow(someone(graph, lambda _i: True))
    backend.create_list("Free")
    endpoints = {u.endpoint: u for u in meter.usage()}
    pages = -(-sum(r.follower for r in graph.relationships) // BSKY_PAGE_SIZE)
    assert endpoints["GET app.bsky.graph.getFollowers"].requests == pages
    assert endpoints["POST com.atproto.repo.createRecord"].requests == 2
    assert not any(e.startswith(("GET /2/", "POST /2/")) for e in endpoints)
    assert meter.total_requests() >= pages + 5 and meter.total_cost() == 0
    assert "est. $0.00" in meter.summary(NOW)
    x_meter = RequestMeter()
    DemoBackend(generate(NOW), meter=x_meter).followers()
    assert x_meter.total_cost() > 0  # the same read on X's graph is priced


def test_a_sync_of_the_bluesky_demo_fills_an_empty_cache(tmp_path: Path, graph: DemoGraph) -> None:
    meter = RequestMeter()
    backend = DemoBackend(graph, delay=0, meter=meter)
    with Store.open(tmp_path / "bsky", fsync=False) as store:
        report = Syncer(store, backend, lambda: NOW, fsync=False, options=SyncOptions(posts_accounts=20)).run()
        assert report.me == BSKY_ME
        assert store.follower_ids() == {r.account_id for r in graph.relationships if r.follower}
        assert {i.id for i in store.lists()} == {i.id for i in graph.lists if not i.kept_here}  # the network's
        egg = next(a for a in graph.accounts if a.state is AccountState.ACTIVE and a.profile_image_url == "")
        cached = store.account(egg.id)
        assert cached is not None and cached.default_avatar and cached.listed_count is None
        assert cached.username.endswith(".bsky.social")
        talked = {p.author_id for p in graph.mentions}
        assert {p.author_id for p in store.mentions()} == talked
        assert store.my_posts() == sorted(graph.my_posts, key=post_order, reverse=True)
    assert meter.total_cost() == 0 and meter.total_requests() > 0
    assert report.finished_at - report.started_at < timedelta(seconds=1)  # the clock does not move
