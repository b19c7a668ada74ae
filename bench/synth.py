"""Synthetic stores for the benchmark and tests: N followers plus 5,000 following, deterministic per seed.

Profiles are realistic enough for the triage rules to bite: names, handles and cities from the demo's text pools,
bios of varied length (some empty, some organisations, some check-in posters, some eggs), recent posts for a
share of accounts, decisions, notes with tags, and a few lists. ``build(n)`` returns the data;
``write_store(data_dir, n)`` writes it through the real ``Store`` (one graph write, one state transaction).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from followtui.demo.texts import CULTURES, HOBBIES, JOBS, ORGS, VENUES
from followtui.domain.models import (
    FIRST_SYNC,
    Account,
    Decision,
    DecisionKind,
    ListInfo,
    Me,
    Post,
    Relationship,
    SyncInfo,
    format_time,
)
from followtui.domain.notes import Note
from followtui.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the bench's and the tests' fixed clock
FOLLOWING = 5000
MUTUAL = 1000
FIRST_ID = 10_000_000
NEEDLE = "berlin"  # the filter the bench types: matches a few percent of accounts
_TWITTER_EPOCH_MS = 1288834974657
_CULTURES = list(CULTURES.values())
_WORDS = ("coffee", "rust", "python", "dogs", "runner", "dad", "music", "travel", "design", "climate", "pycon")


@dataclass(frozen=True, slots=True)
class Synthetic:
    """A whole synthetic cache: what ``Store.replace_graph`` takes, plus state-file content."""

    me: Me
    accounts: list[Account]
    relationships: list[Relationship]
    lists: list[ListInfo]
    sync: SyncInfo
    decisions: list[Decision]
    notes: list[Note]
    followers: int
    following: int


def snowflake(when: datetime, seq: int) -> str:
    return str(((int(when.timestamp() * 1000) - _TWITTER_EPOCH_MS) << 22) | (seq & 0x3FFFFF))


def build(followers: int, following: int = FOLLOWING, seed: int = 7) -> Synthetic:
    """``followers`` followers and ``following`` followed accounts (``MUTUAL`` of them both), newest first."""
    rng = random.Random(seed * 1_000_003 + followers)
    mutual = min(MUTUAL, followers // 5, following)
    total = followers + following - mutual
    first_sync = NOW - timedelta(days=200)
    previous_sync = NOW - timedelta(days=2)
    accounts: list[Account] = []
    rels: list[Relationship] = []
    for i in range(total):
        aid = str(FIRST_ID + i)
        accounts.append(_account(rng, aid, i))
        is_follower = i < followers
        is_following = i >= followers - mutual
        # followers: index 0 is the newest; about 3% came after the previous sync, 60% before the first
        f_first = NOW - timedelta(hours=1 + i * 24 * 400 / max(followers, 1)) if is_follower else None
        if f_first is not None and f_first < first_sync:
            f_first = first_sync
        g_first = first_sync - timedelta(days=rng.randint(0, 3000)) if is_following else None
        rels.append(
            Relationship(
                aid,
                follower=is_follower,
                following=is_following,
                follower_first_seen=f_first,
                follower_last_seen=NOW if is_follower else None,
                following_first_seen=g_first,
                following_last_seen=NOW if is_following else None,
            )
        )
    followed_ids = [r.account_id for r in rels if r.following]
    lists = [
        ListInfo(
            str(9_000 + k),
            name,
            f"synthetic list {k}",
            k % 2 == 0,
            tuple(rng.sample(followed_ids, min(size, len(followed_ids)))),
        )
        for k, (name, size) in enumerate((("friends", 40), ("python", 300), ("climate", 800), ("work", 120)))
    ]
    decisions = _decisions(rng, rels, followers)
    notes = [
        Note(str(FIRST_ID + i), f"met at #{rng.choice(_WORDS)} — {rng.choice(_WORDS)} #synthetic", NOW)
        for i in rng.sample(range(total), max(10, total // 100))
    ]
    sync = SyncInfo(
        last_sync=NOW - timedelta(minutes=5),
        previous_sync=previous_sync,
        source="synthetic",
        extra={FIRST_SYNC: format_time(first_sync)},
    )
    me = Me("1", "bench_me", "Bench", followers_count=followers, following_count=following)
    return Synthetic(me, accounts, rels, lists, sync, decisions, notes, followers, following)


def write_store(data_dir: Path, followers: int, following: int = FOLLOWING, seed: int = 7) -> Synthetic:
    """Build and store a synthetic cache in ``data_dir`` (created if needed); returns what was stored."""
    syn = build(followers, following, seed)
    with Store.open(Path(data_dir)) as store:
        store.replace_graph(
            me=syn.me,
            accounts=syn.accounts,
            relationships=syn.relationships,
            mentions=[],
            my_posts=[],
            lists=syn.lists,
            sync=syn.sync,
        )
        with store.transaction():
            for decision in syn.decisions:
                store.put_decision(decision, ())
            for note in syn.notes:
                store.put_note(note)
            for _ in syn.decisions:
                store.next_seq()
    return syn


def _decisions(rng: random.Random, rels: list[Relationship], followers: int) -> list[Decision]:
    """About 2% of the followers one does not follow decided about, a few followed accounts kept."""
    out: list[Decision] = []
    seq = 0
    kinds = (DecisionKind.SKIP, DecisionKind.SKIP, DecisionKind.SNOOZE, DecisionKind.NEVER)
    for rel in rels:
        if rel.follower and not rel.following and rng.random() < 0.02:
            kind = rng.choice(kinds)
        elif rel.following and rng.random() < 0.05:
            kind = DecisionKind.KEEP
        else:
            continue
        seq += 1
        until = NOW + timedelta(days=2) if kind is DecisionKind.SNOOZE else None
        out.append(Decision(rel.account_id, kind, NOW - timedelta(days=1), seq, until))
    return out


def _account(rng: random.Random, aid: str, i: int) -> Account:
    roll = rng.random()
    created = NOW - timedelta(days=rng.randint(3, 5500))
    culture = rng.choice(_CULTURES)
    first, last, city = rng.choice(culture.first), rng.choice(culture.last), rng.choice(culture.places)
    if roll < 0.04:  # an egg: no bio, default avatar, few posts
        name, bio, city, avatar = f"{first}{rng.randint(10, 99999)}", "", "", ""
    elif roll < 0.08:  # an organisation
        org = rng.choice(ORGS)
        name, bio, city = org[0], org[2], org[5]
        avatar = f"https://pbs.twimg.com/profile_images/{aid}/logo_normal.png"
    else:
        job, hobby_text = rng.choice(JOBS)[0], rng.choice(HOBBIES)[0]
        extra = " ".join(rng.choices(_WORDS, k=rng.randint(0, 8)))
        bio = "" if rng.random() < 0.15 else f"{job}. {hobby_text}. {extra}".strip()[:160]
        name = f"{first} {last}"
        avatar = f"https://pbs.twimg.com/profile_images/{aid}/photo_normal.jpg"
    if rng.random() < 0.03:
        city = "Berlin"
    tweets = int(rng.paretovariate(0.6)) if roll >= 0.04 else rng.randint(0, 2)
    last_post = NOW - timedelta(days=rng.randint(0, 1500)) if tweets else None
    posts: tuple[Post, ...] = ()
    if last_post is not None and rng.random() < 0.2:
        venue = rng.choice(VENUES)
        texts = (
            f"I'm at {venue[0]} in {venue[1]}",
            "Thread on what we shipped this week 🧵",
            "Good morning!",
            "Reading about #python",
        )
        posts = tuple(
            Post(
                snowflake(last_post - timedelta(hours=7 * k), k),
                aid,
                rng.choice(texts),
                last_post - timedelta(hours=7 * k),
            )
            for k in range(rng.randint(1, 5))
        )
    return Account(
        id=aid,
        username=f"{first[:4]}{last[:3]}{i}".lower() if roll >= 0.04 else f"user{aid}",
        name=name,
        description=bio,
        location=city,
        url="https://example.com/" + aid if rng.random() < 0.2 else "",
        created_at=created,
        profile_image_url=avatar,
        followers_count=int(rng.paretovariate(1.1) * 20),
        following_count=rng.randint(0, 5000),
        tweet_count=tweets,
        listed_count=rng.randint(0, 30),
        most_recent_tweet_id=snowflake(last_post, 0) if last_post else None,
        posts=posts,
    )
