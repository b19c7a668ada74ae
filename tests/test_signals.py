"""Triage signals and queue rules: each with its sentence, on missing fields and non-Latin text too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followtui.domain.models import Account, AccountState, Decision, DecisionKind, Post, Relationship
from followtui.domain.queues import haystack, in_new_followers, in_unfollow_candidates, matches
from followtui.domain.signals import Conversation, ConversationIndex, SignalKind, evaluate

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
REAL_AVATAR = "https://pbs.twimg.com/profile_images/1/abc_normal.jpg"
EGG_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def person(**changes: object) -> Account:
    base: dict[str, object] = {
        "id": "42",
        "username": "someone",
        "name": "Some One",
        "description": "Cyclist, baker, reads too much.",
        "profile_image_url": REAL_AVATAR,
        "created_at": NOW - timedelta(days=3000),
        "followers_count": 500,
        "tweet_count": 900,
        "posts": tuple(post(days_ago=d) for d in (2, 5, 9)),
    }
    base.update(changes)
    return Account(**base)  # type: ignore[arg-type]


def post(text: str = "Baked bread today.", days_ago: int = 1, **changes: object) -> Post:
    return Post(
        id=f"p{days_ago}{len(text)}", author_id="42", text=text, created_at=NOW - timedelta(days=days_ago), **changes
    )  # type: ignore[arg-type]


def kinds(account: Account, rel: Relationship | None = None) -> set[SignalKind]:
    return {s.kind for s in evaluate(account, rel, Conversation(), NOW)}


@pytest.mark.parametrize(
    ("account", "expected", "absent"),
    [
        (person(), set(), {SignalKind.EGG, SignalKind.ORGANISATION, SignalKind.INACTIVE}),
        (person(profile_image_url=EGG_AVATAR, description="", tweet_count=1, posts=()), {SignalKind.EGG}, set()),
        (person(profile_image_url=""), {SignalKind.EGG}, set()),
        (person(verified_type="business"), {SignalKind.ORGANISATION}, set()),
        (person(verified_type="government"), {SignalKind.ORGANISATION}, set()),
        (
            person(description="The official account of Acme Inc. Customer service: DM us."),
            {SignalKind.ORGANISATION},
            set(),
        ),
        (
            person(
                posts=(
                    post("I'm at Café Central https://www.swarmapp.com/c/x", 1),
                    post("(@ Bar) https://4sq.com/y", 2),
                )
            ),
            {SignalKind.CHECKIN},
            set(),
        ),
        (person(created_at=NOW - timedelta(days=20), followers_count=42), {SignalKind.NEWCOMER}, {SignalKind.EGG}),
        (person(posts=(post(days_ago=800),), most_recent_tweet_id=None), {SignalKind.INACTIVE}, set()),
        (
            person(state=AccountState.SUSPENDED, profile_image_url="", posts=()),
            {SignalKind.GONE},
            {SignalKind.EGG, SignalKind.INACTIVE},
        ),
        (
            person(state=AccountState.DELETED, username="", name="", profile_image_url="", posts=()),
            {SignalKind.GONE},
            {SignalKind.EGG},
        ),
        (person(protected=True, posts=()), {SignalKind.PROTECTED}, {SignalKind.INACTIVE}),
        (person(description="#TeamFollowBack 100% follow back, DM for promo"), {SignalKind.FOLLOW_BAIT}, set()),
        (person(created_at=NOW - timedelta(days=100), tweet_count=100_000), {SignalKind.HIGH_VOLUME}, set()),
        (
            person(name="陈静", description="今天的代码终于跑通了 🎉", location="上海"),
            set(),
            {SignalKind.ORGANISATION, SignalKind.EGG},
        ),
        (person(name="عمر خليل", description="مصوّر فوتوغرافي"), set(), {SignalKind.ORGANISATION}),
        (
            Account(id="7", username="", hydrated=False),
            set(),
            {SignalKind.INACTIVE, SignalKind.EGG, SignalKind.NEWCOMER},
        ),
        (
            Account(id="8", username="quiet_one", profile_image_url=REAL_AVATAR),
            {SignalKind.INACTIVE},
            {SignalKind.CHECKIN},
        ),
    ],
)
def test_signals(account: Account, expected: set[SignalKind], absent: set[SignalKind]) -> None:
    found = kinds(account)
    assert expected <= found
    assert not (absent & found)
    for signal in evaluate(account, None, Conversation(), NOW):
        assert signal.sentence.endswith(".") and -1.0 <= signal.strength <= 1.0


def test_conversation_both_ways_is_the_strongest_reason() -> None:
    me = "1"
    mentions = [Post("m1", "42", "@me hi", NOW - timedelta(days=3), mentioned_ids=("1",))]
    mine = [Post("r1", "1", "@someone hello", NOW - timedelta(days=2), in_reply_to_user_id="42")]
    index = ConversationIndex.build(me, mentions, mine, since=NOW - timedelta(days=180))
    signals = evaluate(person(), None, index.get("42"), NOW)
    assert signals[0].kind is SignalKind.CONVERSATION and signals[0].strength == 1.0
    assert "replied once" in signals[0].sentence
    one_way = ConversationIndex.build(me, mentions, [], since=NOW - timedelta(days=180)).get("42")
    assert evaluate(person(), None, one_way, NOW)[0].strength == 0.5
    old = ConversationIndex.build(me, mentions, mine, since=NOW)
    assert old.get("42") == Conversation()


def test_not_following_back_and_left() -> None:
    following_only = Relationship("42", follower=False, following=True)
    assert SignalKind.NOT_FOLLOWING_BACK in kinds(person(), following_only)
    left = Relationship("42", following=True, follower_first_seen=NOW - timedelta(days=90))
    assert any(s.sentence == "Unfollowed you." for s in evaluate(person(), left, Conversation(), NOW))


def test_new_follower_queue_rules() -> None:
    follower = Relationship("42", follower=True)
    assert in_new_followers(follower, None, NOW)
    assert not in_new_followers(Relationship("42", follower=True, following=True), None, NOW)
    skipped = Decision("42", DecisionKind.SKIP, NOW, seq=1)
    assert not in_new_followers(follower, skipped, NOW)
    snoozed = Decision("42", DecisionKind.SNOOZE, NOW, seq=2, until=NOW + timedelta(days=3))
    assert not in_new_followers(follower, snoozed, NOW)
    assert in_new_followers(follower, snoozed, NOW + timedelta(days=3, seconds=1))


def test_unfollow_candidate_rules() -> None:
    rel = Relationship("42", following=True)
    quiet = person(posts=(post(days_ago=900),))
    signals = evaluate(quiet, rel, Conversation(), NOW)
    assert in_unfollow_candidates(rel, None, signals, NOW)
    assert not in_unfollow_candidates(rel, Decision("42", DecisionKind.KEEP, NOW, seq=1), signals, NOW)
    talking = evaluate(quiet, rel, Conversation(theirs=2, mine=1), NOW)
    assert not in_unfollow_candidates(rel, None, talking, NOW)
    assert not in_unfollow_candidates(rel, None, evaluate(person(), rel, Conversation(), NOW), NOW)


def test_text_filter_matches_every_word_in_any_field() -> None:
    text = haystack({"username": "zoe", "name": "Zoë Ångström", "description": "Birder", "location": "東京"})
    assert matches(text, "zoë birder")
    assert matches(text, "東京")
    assert matches(text, "ÅNGSTRÖM")
    assert not matches(text, "berlin")
