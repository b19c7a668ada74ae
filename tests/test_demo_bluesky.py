"""The demo's Bluesky graph: valid DIDs, handles and AT URIs, Bluesky's fields only, and the signals it shows."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from atproto_client.models.string_formats import is_valid_handle
from atproto_core.uri import AtUri

from followtui.demo import (
    BSKY_ME,
    DEMO_ME,
    DEMO_SEED,
    NETWORKS,
    DemoGraph,
    demo_graph,
    demo_me,
    generate,
    generate_bluesky,
)
from followtui.demo.bluesky import BSKY_LAUNCH, tid, tid_value
from followtui.domain.models import Account, AccountState, Post, Relationship, VerifiedType, post_order
from followtui.domain.signals import ConversationIndex, Signal, SignalKind, evaluate
from tests.factories import demo_store

NOW = datetime(2026, 3, 14, 12, 30, 15, 123456, tzinfo=UTC)
DID_PLC = re.compile(r"^did:plc:[a-z2-7]{24}$")  # the did:plc method: 24 base32 characters
TID = re.compile(r"^[234567a-j][234567a-z]{12}$")
DISALLOWED_TLDS = (".local", ".arpa", ".invalid", ".localhost", ".internal", ".example", ".alt", ".onion")
AVATAR = re.compile(r"^https://cdn\.bsky\.app/img/avatar/plain/(did:plc:[a-z2-7]{24})/bafkrei[a-z2-7]{52}@jpeg$")
X_WORDS = re.compile(r"\btwitter\b|\btweets?\b|\bX says\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def graph() -> DemoGraph:
    return generate_bluesky(NOW)


@pytest.fixture(scope="module")
def hostile() -> DemoGraph:
    return generate_bluesky(NOW, hostile=True)


@pytest.fixture(scope="module")
def rels(graph: DemoGraph) -> dict[str, Relationship]:
    return {r.account_id: r for r in graph.relationships}


@pytest.fixture(scope="module")
def signals(graph: DemoGraph, rels: dict[str, Relationship]) -> dict[str, list[Signal]]:
    convos = ConversationIndex.build(graph.me.id, graph.mentions, graph.my_posts, NOW - timedelta(days=180))
    return {a.id: evaluate(a, rels[a.id], convos.get(a.id), NOW) for a in graph.accounts}


def active(graph: DemoGraph) -> list[Account]:
    return [a for a in graph.accounts if a.state is AccountState.ACTIVE]


def with_signal(graph: DemoGraph, signals: dict[str, list[Signal]], kind: SignalKind) -> list[tuple[Account, Signal]]:
    return [(a, s) for a in graph.accounts for s in signals[a.id] if s.kind is kind]


def all_posts(graph: DemoGraph) -> list[Post]:
    return [p for a in graph.accounts for p in a.posts] + list(graph.my_posts)


# ---- the hook and determinism


def test_demo_graph_gives_each_network_its_own_graph_and_user() -> None:
    assert NETWORKS == ("x", "bluesky")
    assert demo_graph("x", NOW) == generate(NOW, DEMO_SEED)  # X's graph is generate's, unchanged
    assert demo_graph("bluesky", NOW, hostile=True, seed=7) == generate_bluesky(NOW, 7, hostile=True)
    assert demo_graph("bluesky", NOW).me == demo_me("bluesky") == BSKY_ME
    assert demo_graph("x", NOW).me == demo_me("x") == DEMO_ME
    assert demo_graph("x", NOW).network == "x" and demo_graph("bluesky", NOW).network == "bluesky"
    with pytest.raises(ValueError, match="mastodon"):
        demo_graph("mastodon", NOW)
    with pytest.raises(ValueError, match="X"):
        demo_me("X")


def test_same_arguments_same_graph_and_another_seed_another(graph: DemoGraph) -> None:
    assert generate_bluesky(NOW) == graph
    assert generate_bluesky(NOW.replace(tzinfo=None)) == graph  # naive is UTC
    assert {a.id for a in generate_bluesky(NOW, DEMO_SEED + 1).accounts}.isdisjoint({a.id for a in graph.accounts})


def test_the_hostile_graph_has_the_same_people_and_the_attack_texts(graph: DemoGraph, hostile: DemoGraph) -> None:
    assert len(hostile.accounts) == len(graph.accounts) and hostile.me == graph.me
    hostile_texts = [t for a in hostile.accounts for t in (a.name, a.description, *(p.text for p in a.posts))]
    plain_texts = [t for a in graph.accounts for t in (a.name, a.description, *(p.text for p in a.posts))]
    assert any("[/]" in t for t in hostile_texts) and any("\x1b" in t for t in hostile_texts)
    assert not any("[/]" in t or "\x1b" in t for t in plain_texts)


def test_a_few_hundred_accounts_in_every_relationship(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    assert 300 <= len(graph.accounts) <= 600
    ids = [a.id for a in graph.accounts]
    assert len(set(ids)) == len(ids) == len(rels) and graph.me.id not in ids
    new = [
        r for r in rels.values() if r.follower and r.follower_first_seen and r.follower_first_seen > graph.previous_sync
    ]
    assert len(new) >= 40 and sum(not r.following for r in new) >= 35
    assert sum(r.mutual for r in rels.values()) >= 100
    assert sum(r.following and not r.follower for r in rels.values()) >= 100
    assert sum(r.left for r in rels.values()) >= 10


# ---- identities


def test_me_is_maria_on_bsky_social_with_a_did() -> None:
    assert BSKY_ME.username == "maria.bsky.social" and is_valid_handle(BSKY_ME.username)
    assert DID_PLC.match(BSKY_ME.id)


def test_every_id_is_a_did_plc(graph: DemoGraph) -> None:
    assert all(DID_PLC.match(a.id) for a in graph.accounts)


def test_handles_are_valid_unique_and_mostly_on_bsky_social(graph: DemoGraph) -> None:
    handles = [a.username for a in graph.accounts if a.username]
    assert len(handles) == len(set(handles)) and BSKY_ME.username not in handles
    for handle in handles:
        assert is_valid_handle(handle) and handle == handle.lower(), handle
        assert not handle.endswith(DISALLOWED_TLDS), handle
    custom = [h for h in handles if not h.endswith(".bsky.social")]
    assert 10 <= len(custom) <= len(handles) // 4  # some custom domains: organisations, public figures, a few people
    assert all(h.endswith(".test") for h in custom)
    nameless = [a for a in graph.accounts if not a.username]
    assert nameless and all(a.state is AccountState.DELETED for a in nameless)


def test_posts_are_at_uris_of_their_author_with_tid_keys_of_their_time(graph: DemoGraph) -> None:
    posts = all_posts(graph)
    assert len({p.id for p in posts}) == len(posts)
    for p in posts:
        uri = AtUri.from_str(p.id)
        assert (uri.host, uri.collection) == (p.author_id, "app.bsky.feed.post"), p.id
        assert TID.match(uri.rkey), p.id
        micros = (tid_value(uri.rkey) or 0) >> 10
        assert p.created_at is not None and micros // 1000 == int(p.created_at.timestamp() * 1000)


def test_lists_are_public_at_uris_of_my_repository_or_kept_here(graph: DemoGraph) -> None:
    ids = {a.id for a in graph.accounts}
    published = [info for info in graph.lists if not info.kept_here]
    kept = [info for info in graph.lists if info.kept_here]
    assert len(published) >= 4 and {info.name for info in kept} == {"Lisbon friends", "Birding"}  # private on X
    for info in published:
        uri = AtUri.from_str(info.id)
        assert (uri.host, uri.collection) == (BSKY_ME.id, "app.bsky.graph.list") and TID.match(uri.rkey)
        assert not info.private  # a Bluesky list is public
    for info in kept:
        assert info.local and info.private  # never on the network: a local ID
    for info in graph.lists:
        assert info.member_ids and set(info.member_ids) <= ids


def test_tid_round_trips_and_sorts_by_time() -> None:
    assert tid_value(tid(1_700_000_000_000_000, 5)) == (1_700_000_000_000_000 << 10) | 5
    assert tid(1, 0) < tid(2, 0) < tid(2, 1)
    assert tid_value("3jzfcijpj2z2a") is not None
    assert tid_value("kjzfcijpj2z2a") is None and tid_value("3jzfcijpj2z2") is None and tid_value("self") is None


# ---- fields: Bluesky's only, absent ones unknown


def test_no_x_only_fields_and_unknown_counts_are_none(graph: DemoGraph) -> None:
    for a in graph.accounts:
        assert a.location == "" and not a.protected and a.verified_type == VerifiedType.NONE
        assert a.listed_count is None and a.most_recent_tweet_id is None
        if a.state is AccountState.ACTIVE:
            assert None not in (a.followers_count, a.following_count, a.tweet_count)  # a detailed view has them
    assert any(a.verified for a in graph.accounts)  # a blue check for some public figures and organisations


def test_avatars_are_the_cdn_of_the_account_or_none_at_all(graph: DemoGraph) -> None:
    eggs = [a for a in active(graph) if a.profile_image_url == ""]
    assert len(eggs) >= 10 and all(a.default_avatar for a in eggs)
    for a in active(graph):
        if a.profile_image_url:
            match = AVATAR.match(a.profile_image_url)
            assert match and match.group(1) == a.id and not a.default_avatar


def test_every_account_joined_bluesky_after_it_began(graph: DemoGraph) -> None:
    created = [a.created_at for a in graph.accounts]
    assert None not in created
    assert all(BSKY_LAUNCH <= c < NOW for c in created if c)
    assert len(set(created)) == len(created)
    for a in graph.accounts:
        assert all(a.created_at and p.created_at and p.created_at > a.created_at for p in a.posts)


def test_texts_fit_bluesky_and_say_nothing_of_x(graph: DemoGraph) -> None:
    for a in graph.accounts:
        assert len(a.description) <= 256 and len(a.name) <= 64, a.username
        assert not X_WORDS.search(a.description), a.description
    for p in all_posts(graph):
        assert len(p.text) <= 300 and not X_WORDS.search(p.text), p.text
    located = [a for a in active(graph) if "📍" in a.description]
    assert len(located) >= 100  # no location field: the place is in the bio


def test_posts_newest_first_by_time_then_id(graph: DemoGraph) -> None:
    for posts in [*(a.posts for a in graph.accounts), graph.my_posts]:
        assert list(posts) == sorted(posts, key=post_order, reverse=True)
    times = [p.created_at or NOW for p in graph.mentions]
    assert times == sorted(times, reverse=True)


def test_conversations_are_replies_and_mentions_between_maria_and_them(graph: DemoGraph) -> None:
    handles = {a.id: a.username for a in graph.accounts}
    assert len(graph.mentions) >= 20
    for p in graph.mentions:
        assert BSKY_ME.id in p.mentioned_ids and p.author_id in handles
    talks = [p for p in graph.mentions if p.text.startswith("@maria.bsky.social ")]
    assert talks and any(p.in_reply_to_user_id == BSKY_ME.id for p in talks)
    replies = [p for p in graph.my_posts if p.in_reply_to_user_id]
    assert len(replies) >= 10
    for p in replies:
        assert p.author_id == BSKY_ME.id and p.in_reply_to_user_id in handles
        assert p.text.startswith(f"@{handles[p.in_reply_to_user_id]} ")


# ---- the signals on Bluesky's people


@pytest.mark.parametrize(
    ("kind", "at_least", "words"),
    [
        (SignalKind.EGG, 10, "Egg account: no avatar"),
        (SignalKind.CHECKIN, 6, "Foursquare/Swarm check-ins"),
        (SignalKind.ORGANISATION, 10, "organisation"),
        (SignalKind.FOLLOW_BAIT, 6, "Follow-back bait in the bio"),
        (SignalKind.CONVERSATION, 20, "You talk"),
        (SignalKind.INACTIVE, 10, "Quiet: last post"),
        (SignalKind.NEWCOMER, 10, "New here: joined"),
        (SignalKind.GONE, 8, ""),
    ],
)
def test_the_signals_fire_on_the_demo_people(
    graph: DemoGraph, signals: dict[str, list[Signal]], kind: SignalKind, at_least: int, words: str
) -> None:
    found = with_signal(graph, signals, kind)
    assert sum(words in s.sentence for _, s in found) >= at_least, Counter(s.sentence for _, s in found)


def test_eggs_have_no_avatar_an_empty_bio_and_few_posts(graph: DemoGraph, signals: dict[str, list[Signal]]) -> None:
    worst = [s for _, s in with_signal(graph, signals, SignalKind.EGG) if s.concerning]
    assert len(worst) >= 10 and all("Egg account: no avatar, empty bio" in s.sentence for s in worst)
    assert sum(s.sentence.endswith("almost no posts.") for s in worst) >= 5


def test_newcomers_are_judged_by_created_at(graph: DemoGraph, signals: dict[str, list[Signal]]) -> None:
    for account, signal in with_signal(graph, signals, SignalKind.NEWCOMER):
        if signal.sentence.startswith("New here"):
            assert account.created_at and NOW - account.created_at <= timedelta(days=90)


def test_gone_accounts_are_told_apart_in_bluesky_words(graph: DemoGraph, signals: dict[str, list[Signal]]) -> None:
    sentences = Counter(s.sentence for _, s in with_signal(graph, signals, SignalKind.GONE))
    assert sentences["Taken down by moderators."] >= 3
    assert sentences["Deleted: the account no longer exists."] >= 2
    assert sentences["Deactivated by its owner: it may come back."] >= 1
    assert not any("X" in s for s in sentences)


def test_no_protected_accounts_on_bluesky(graph: DemoGraph, signals: dict[str, list[Signal]]) -> None:
    assert not with_signal(graph, signals, SignalKind.PROTECTED)


def test_the_cache_keeps_what_the_signals_need(tmp_path: Path, graph: DemoGraph) -> None:
    """Through the store (and back from disk): "" stays no avatar, None stays unknown."""
    with demo_store(tmp_path / "bsky", graph):
        pass
    with demo_store(tmp_path / "bsky", graph) as store:
        for original in graph.accounts:
            account = store.account(original.id)
            assert account is not None
            assert (account.profile_image_url, account.listed_count, account.default_avatar) == (
                original.profile_image_url,
                None,
                original.default_avatar,
            )
            assert account.followers_count == original.followers_count and account.posts == original.posts
        assert store.me() == BSKY_ME
        assert {i.id for i in store.lists()} == {i.id for i in graph.lists}


@pytest.mark.parametrize("now", [datetime(2024, 6, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)])
def test_any_year_after_launch_gives_believable_people_and_every_signal(now: datetime) -> None:
    g = generate_bluesky(now)
    rels = {r.account_id: r for r in g.relationships}
    convos = ConversationIndex.build(g.me.id, g.mentions, g.my_posts, now - timedelta(days=180))
    for a in g.accounts:
        assert a.created_at and BSKY_LAUNCH <= a.created_at < now
        assert all(p.created_at and a.created_at < p.created_at <= now for p in a.posts)
    found = {s.kind for a in g.accounts for s in evaluate(a, rels[a.id], convos.get(a.id), now)}
    assert found >= {
        SignalKind.EGG,
        SignalKind.CHECKIN,
        SignalKind.ORGANISATION,
        SignalKind.FOLLOW_BAIT,
        SignalKind.CONVERSATION,
        SignalKind.INACTIVE,
        SignalKind.NEWCOMER,
        SignalKind.GONE,
    }
