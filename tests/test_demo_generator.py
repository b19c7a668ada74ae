"""The demo graph: sizes, every account kind the triage cares about, hard text, determinism."""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from followtui.demo import DEMO_SEED, DemoGraph, generate
from followtui.domain.models import (
    DEFAULT_AVATAR_MARK,
    Account,
    AccountState,
    Relationship,
    VerifiedType,
    snowflake_time,
)
from tests.factories import present

NOW = datetime(2026, 3, 14, 12, 30, 15, 123456, tzinfo=UTC)
REAL_AVATAR = re.compile(r"^https://pbs\.twimg\.com/profile_images/\d+/\w+_normal\.jpg$")
CHECKIN = re.compile(r"swarmapp\.com/c/|4sq\.com/")
ORG_BIO = re.compile(r"official|\bwe\b|\binc\b|customer service|shop", re.IGNORECASE)
ESCAPES = ("\x1b", "\x00", "\x07", "\r")


@pytest.fixture(scope="module")
def graph() -> DemoGraph:
    return generate(NOW, hostile=True)  # the attack texts are checked here too


@pytest.fixture(scope="module")
def rels(graph: DemoGraph) -> dict[str, Relationship]:
    return {r.account_id: r for r in graph.relationships}


@pytest.fixture(scope="module")
def new_queue(graph: DemoGraph, rels: dict[str, Relationship]) -> set[str]:
    """New followers I don't follow back: the triage queue."""
    return {i for i, r in rels.items() if is_new_follower(graph, r) and not r.following}


def is_new_follower(graph: DemoGraph, r: Relationship) -> bool:
    first = r.follower_first_seen
    return r.follower and first is not None and graph.previous_sync < first <= graph.last_sync


def active(graph: DemoGraph) -> list[Account]:
    return [a for a in graph.accounts if a.state is AccountState.ACTIVE]


def kind(graph: DemoGraph, test: Callable[[Account], bool]) -> list[Account]:
    return [a for a in active(graph) if test(a)]


def is_egg(a: Account) -> bool:
    return DEFAULT_AVATAR_MARK in present(a.profile_image_url) and not a.description and len(a.posts) <= 3


def is_newcomer(a: Account) -> bool:
    assert a.created_at is not None
    return NOW - a.created_at < timedelta(days=90) and 3 <= present(a.followers_count) <= 60 and not is_egg(a)


def is_org(a: Account) -> bool:
    return a.verified_type in (VerifiedType.BUSINESS, VerifiedType.GOVERNMENT)


def is_checkin(a: Account) -> bool:
    return len(a.posts) >= 2 and all(CHECKIN.search(p.text) for p in a.posts[:2])


def is_inactive(a: Account) -> bool:
    last = a.last_post_at
    return last is not None and NOW - timedelta(days=3 * 365) <= last <= NOW - timedelta(days=365)


def conversation_ids(graph: DemoGraph) -> tuple[set[str], set[str]]:
    """(accounts I talk with, accounts that only mention me)."""
    theirs = {p.author_id for p in graph.mentions}
    mine = {p.in_reply_to_user_id for p in graph.my_posts if p.in_reply_to_user_id}
    return theirs & mine, theirs - mine


def texts(a: Account) -> list[str]:
    return [a.name, a.description, a.location, *(p.text for p in a.posts)]


def has_cjk(s: str) -> bool:
    return any(0x3040 <= ord(c) <= 0x30FF or 0x4E00 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF for c in s)


def has_rtl(s: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in s)


def has_zwj_emoji(s: str) -> bool:
    return "\u200d" in s


def has_flag(s: str) -> bool:
    return any(0x1F1E6 <= ord(c) <= 0x1F1FF for c in s)


def has_combining(s: str) -> bool:
    return any(unicodedata.combining(c) for c in s)


def has_markup(s: str) -> bool:
    return "[/]" in s or "[link=" in s or "[bold" in s


def has_escape(s: str) -> bool:
    return any(e in s for e in ESCAPES)


# ---- sizes and relationships


def test_one_relationship_per_account(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    ids = [a.id for a in graph.accounts]
    assert len(ids) == len(set(ids)) == len(graph.relationships) == len(rels)
    assert set(ids) == set(rels)
    assert all(i.isdigit() for i in ids)
    assert graph.me.id not in ids


def test_followers_and_new_followers(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    followers = [r for r in rels.values() if r.follower]
    assert len(followers) >= 300
    assert all(r.follower_last_seen == graph.last_sync for r in followers)
    new = [r for r in followers if is_new_follower(graph, r)]
    assert len(new) >= 40
    assert sum(not r.following for r in new) >= 40
    old = [r for r in followers if not is_new_follower(graph, r)]
    firsts = [r.follower_first_seen for r in old if r.follower_first_seen]
    assert len(firsts) == len(old)
    assert min(firsts) < NOW - timedelta(days=3 * 365)  # spread over the years
    assert max(firsts) <= graph.previous_sync
    assert sum(not r.following for r in old) >= 50


def test_following_and_mutuals(rels: dict[str, Relationship]) -> None:
    following = [r for r in rels.values() if r.following]
    assert len(following) >= 400
    assert 150 <= sum(r.mutual for r in rels.values()) <= 200
    assert all(r.following_first_seen and r.following_last_seen for r in following)


def test_unfollowers(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    left = [r for r in rels.values() if r.left]
    assert len(left) >= 10
    assert all(r.follower_last_seen == graph.previous_sync for r in left)
    assert any(r.following for r in left) and any(not r.following for r in left)


def test_times_are_consistent(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    assert graph.previous_sync < graph.last_sync <= NOW
    for a in graph.accounts:
        assert a.created_at is not None and a.created_at < NOW
        r = rels[a.id]
        for seen in (r.follower_first_seen, r.following_first_seen):
            assert seen is None or a.created_at < seen <= graph.last_sync
        for p in a.posts:
            assert p.created_at is not None and a.created_at < p.created_at <= NOW


# ---- posts and ids


def test_post_ids_are_snowflakes(graph: DemoGraph) -> None:
    posts = [p for a in graph.accounts for p in a.posts] + list(graph.my_posts)
    assert len({p.id for p in posts}) == len(posts)
    for p in posts:
        assert snowflake_time(p.id) == p.created_at
    for a in graph.accounts:
        newest = max((p for p in a.posts), key=lambda p: int(p.id), default=None)
        assert a.most_recent_tweet_id == (newest.id if newest else None)
        assert [p.id for p in a.posts] == sorted((p.id for p in a.posts), key=int, reverse=True)
        assert all(p.author_id == a.id for p in a.posts)


def test_post_counts(graph: DemoGraph) -> None:
    for a in graph.accounts:
        if a.state is not AccountState.ACTIVE:
            assert a.posts == ()
        elif is_egg(a):
            assert 1 <= len(a.posts) <= 3 and present(a.tweet_count) < 10
        elif not a.protected:
            assert 3 <= len(a.posts) <= 10, a.username
        assert present(a.tweet_count) >= len(a.posts)
    assert any(a.protected and not a.posts for a in graph.accounts)


def test_avatars(graph: DemoGraph) -> None:
    for a in active(graph):
        url = present(a.profile_image_url)
        assert REAL_AVATAR.match(url) or DEFAULT_AVATAR_MARK in url


def test_usernames(graph: DemoGraph) -> None:
    names = [a.username for a in graph.accounts if a.username]
    assert len(names) == len(set(names))
    assert graph.me.username not in names
    assert all(re.fullmatch(r"[A-Za-z0-9_]{1,15}", n) for n in names)


# ---- kinds


def test_newcomers(graph: DemoGraph, new_queue: set[str]) -> None:
    found = kind(graph, is_newcomer)
    assert len(found) >= 5
    assert sum(a.id in new_queue for a in found) >= 3
    assert all(a.posts and REAL_AVATAR.match(present(a.profile_image_url)) for a in found)


def test_eggs(graph: DemoGraph, new_queue: set[str], rels: dict[str, Relationship]) -> None:
    found = kind(graph, is_egg)
    assert len(found) >= 5
    assert sum(a.id in new_queue for a in found) >= 3
    assert any(rels[a.id].follower and not is_new_follower(graph, rels[a.id]) for a in found)


def test_organisations(graph: DemoGraph, new_queue: set[str], rels: dict[str, Relationship]) -> None:
    found = kind(graph, is_org)
    assert len(found) >= 5
    assert all(ORG_BIO.search(a.description) for a in found)
    assert any(a.id in new_queue for a in found)
    assert any(rels[a.id].following for a in found)
    assert {a.verified_type for a in found} == {VerifiedType.BUSINESS, VerifiedType.GOVERNMENT}


def test_checkin_posters(graph: DemoGraph, new_queue: set[str], rels: dict[str, Relationship]) -> None:
    found = kind(graph, is_checkin)
    assert len(found) >= 5
    assert any(a.id in new_queue for a in found) and any(rels[a.id].following for a in found)
    posts = [p.text for a in found for p in a.posts]
    assert any("swarmapp.com/c/" in t for t in posts) and any("https://4sq.com/" in t for t in posts)
    assert all(sum(bool(CHECKIN.search(p.text)) for p in a.posts) * 2 > len(a.posts) for a in found)


def test_conversations(graph: DemoGraph) -> None:
    talk, mention_only = conversation_ids(graph)
    assert len(talk) >= 15
    assert len(mention_only) >= 3
    assert all(graph.me.id in p.mentioned_ids and p.author_id != graph.me.id for p in graph.mentions)
    assert any(p.in_reply_to_user_id == graph.me.id for p in graph.mentions)
    assert all(p.author_id == graph.me.id for p in graph.my_posts)
    assert any(p.in_reply_to_user_id is None for p in graph.my_posts)
    # Each mention is also among its author's posts.
    by_id = {p.id: p for a in graph.accounts for p in a.posts}
    assert all(by_id.get(p.id) == p for p in graph.mentions)


def test_inactive(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    found = kind(graph, is_inactive)
    assert len(found) >= 5
    assert any(rels[a.id].following for a in found) and any(rels[a.id].follower for a in found)


def test_protected_suspended_deleted(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    for state in (AccountState.SUSPENDED, AccountState.DELETED):
        found = [a for a in graph.accounts if a.state is state]
        assert len(found) >= 5
        assert all(not a.description and not a.posts and a.most_recent_tweet_id is None for a in found)
        assert any(rels[a.id].left for a in found)
        assert any(rels[a.id].following and not rels[a.id].left for a in found)
    protected = [a for a in active(graph) if a.protected]
    assert len(protected) >= 5
    assert any(rels[a.id].left for a in protected) and any(rels[a.id].following for a in protected)
    assert any(is_new_follower(graph, rels[a.id]) for a in protected)


def test_ordinary_people_are_the_majority(graph: DemoGraph) -> None:
    talk, mention_only = conversation_ids(graph)
    special = [
        a
        for a in graph.accounts
        if a.state is not AccountState.ACTIVE
        or a.protected
        or is_egg(a)
        or is_newcomer(a)
        or is_org(a)
        or is_checkin(a)
        or is_inactive(a)
        or a.id in talk | mention_only
        or present(a.followers_count) >= 1_000_000
    ]
    assert len(special) * 2 < len(graph.accounts)
    ordinary = [a for a in graph.accounts if a not in special]
    assert len({a.location for a in ordinary}) > 50
    assert all(50 <= present(a.followers_count) <= 3000 for a in ordinary)


def test_counts_are_realistic(graph: DemoGraph) -> None:
    celebs = [a for a in active(graph) if present(a.followers_count) >= 1_000_000]
    assert len(celebs) >= 3
    assert sum(present(a.followers_count) < 100 for a in active(graph)) >= 10
    for a in active(graph):
        assert a.created_at is not None
        days = max((NOW - a.created_at).days, 1)
        assert present(a.tweet_count) / days < 60, a.username  # nobody looks like a bot by volume


# ---- lists

THEMES = {
    "Berlin": ("berlin",),
    "Lisbon friends": ("lisbon", "lisboa"),
    "Tokyo": ("tokyo", "東京"),
    "Rust folks": ("rust",),
    "Birding": ("bird",),
    "Climate science": ("climate",),
}


def test_lists(graph: DemoGraph, rels: dict[str, Relationship]) -> None:
    assert len(graph.lists) >= 5
    assert {lst.private for lst in graph.lists} == {True, False}
    assert len({lst.id for lst in graph.lists}) == len(graph.lists)
    by_id = {a.id: a for a in graph.accounts}
    for lst in graph.lists:
        assert 5 <= len(lst.member_ids) <= 60
        assert len(set(lst.member_ids)) == len(lst.member_ids)
        assert sum(rels[m].following for m in lst.member_ids) >= 0.75 * len(lst.member_ids)
        words = THEMES[lst.name]
        for m in lst.member_ids:
            where = f"{by_id[m].location} {by_id[m].description}".lower()
            assert any(w in where for w in words), (lst.name, where)


# ---- hard text

HARD: dict[str, Callable[[str], bool]] = {
    "cjk": has_cjk,
    "rtl": has_rtl,
    "zwj emoji": has_zwj_emoji,
    "flag": has_flag,
    "combining": has_combining,
    "markup": has_markup,
    "escape": has_escape,
    "long bio": lambda s: len(s) > 500,
}


@pytest.mark.parametrize("name", HARD)
def test_hard_text(graph: DemoGraph, new_queue: set[str], name: str) -> None:
    test = HARD[name]
    found = [a for a in graph.accounts if any(test(t) for t in texts(a))]
    assert len(found) >= 3
    assert any(a.id in new_queue for a in found)


def test_hard_text_in_every_field(graph: DemoGraph) -> None:
    for test in (has_escape, has_markup):
        assert any(test(a.name) for a in graph.accounts)
        assert any(test(a.description) for a in graph.accounts)
        assert any(test(a.location) for a in graph.accounts)
        assert any(test(p.text) for a in graph.accounts for p in a.posts)
    everything = "".join(t for a in graph.accounts for t in texts(a))
    for needle in ("\x1b[2J\x1b[31mred", "\x1b]0;pwned\x07", "\x1b[?1049l", "\r", "\x00", "\x07"):
        assert needle in everything
    for needle in ("[bold red]x[/]", "[link=https://evil.example]click[/link]", "Zoe\u0308", "Z\u0337a\u0337"):
        assert needle in everything
    assert any(has_rtl(a.name) and "\u05d0" <= a.name[0] <= "\u05ea" for a in graph.accounts)  # Hebrew
    assert any("\u0600" <= c <= "\u06ff" for a in graph.accounts for c in a.name)  # Arabic


# ---- determinism and speed


def test_deterministic(graph: DemoGraph) -> None:
    state = random.getstate()
    again = generate(NOW, hostile=True)
    assert random.getstate() == state  # the global random source is never used
    assert again == graph
    assert generate(NOW, seed=DEMO_SEED + 1, hostile=True) != graph
    assert DEMO_SEED == 2026


def test_relative_to_now(graph: DemoGraph) -> None:
    later = generate(NOW + timedelta(days=30), hostile=True)
    assert later.last_sync - graph.last_sync == timedelta(days=30)
    assert [a.username for a in later.accounts] == [a.username for a in graph.accounts]
    shift = [
        (b.created_at - a.created_at)
        for a, b in zip(graph.accounts, later.accounts, strict=True)
        if a.created_at and b.created_at
    ]
    assert set(shift) == {timedelta(days=30)}


def test_naive_now_is_utc(graph: DemoGraph) -> None:
    assert generate(NOW.replace(tzinfo=None), hostile=True) == graph


def test_fast() -> None:
    best = min(_timed(lambda: generate(NOW)) for _ in range(3))
    assert best < 0.3


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_the_people_shown_carry_no_attack_texts(graph: DemoGraph) -> None:
    """The demo people see (and the screenshots) is the tests' graph without markup, escapes or Zalgo: the same
    accounts, relationships and lists, and a hard-text name on a handle of its own."""
    shown = generate(NOW)
    assert [a.id for a in shown.accounts] == [a.id for a in graph.accounts]
    assert shown.relationships == graph.relationships
    assert [info.member_ids for info in shown.lists] == [info.member_ids for info in graph.lists]
    texts = [t for a in shown.accounts for t in (a.name, a.description, a.location, *(p.text for p in a.posts))]
    assert not [t for t in texts if "[/" in t or "\x1b" in t or "\u0337" in t or "evil.example" in t]
    assert any("[/" in a.name for a in graph.accounts)  # the tests' graph keeps them
    by_name = {a.name: a.username for a in shown.accounts}
    assert by_name["陈静"] == "chenjing_reads" and by_name["عمر خليل"] == "omar_khalil"
