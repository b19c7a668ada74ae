"""The signals on Bluesky's data, from the views the backend converts: what a view lacks stays unknown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from followtui.backends.bluesky import convert
from followtui.domain.models import Account, AccountState, Relationship
from followtui.domain.signals import Conversation, ConversationIndex, Signal, SignalKind, evaluate

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
ME = "did:plc:me000000000000000000000"
THEM = "did:plc:them0000000000000000000"
POST = "app.bsky.feed.post"
AVATAR = f"https://cdn.bsky.app/img/avatar/plain/{THEM}/bafkreiabc@jpeg"


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def view(**changes: Any) -> dict[str, Any]:
    """A ``profileViewDetailed`` of a long-standing person with an avatar, a bio and posts."""
    base: dict[str, Any] = {
        "did": THEM,
        "handle": "them.bsky.social",
        "displayName": "Them",
        "description": "Teacher in Porto. Maths and bad puns.",
        "avatar": AVATAR,
        "createdAt": iso(NOW - timedelta(days=700)),
        "followersCount": 300,
        "followsCount": 280,
        "postsCount": 900,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def account(v: dict[str, Any], posts_days_ago: tuple[int, ...] = (1, 3, 8), texts: tuple[str, ...] = ()) -> Account:
    """The account as the cache holds it (through ``to_doc``/``from_doc``), with its feed posts."""
    feed = [
        {
            "post": {
                "uri": f"at://{THEM}/{POST}/3k{i}",
                "author": {"did": THEM},
                "record": {
                    "text": texts[i] if i < len(texts) else "A post.",
                    "createdAt": iso(NOW - timedelta(days=d)),
                },
            }
        }
        for i, d in enumerate(posts_days_ago)
    ]
    doc = convert.account_doc(v)
    doc["posts"] = [p.to_doc() for p in convert.feed_posts({"feed": feed}, THEM)]
    return Account.from_doc(Account.from_doc(doc).to_doc())


def signals(a: Account, convo: Conversation | None = None) -> dict[SignalKind, Signal]:
    return {s.kind: s for s in evaluate(a, Relationship(a.id, follower=True), convo or Conversation(), NOW)}


def test_a_person_with_an_avatar_is_judged_on_nothing_against() -> None:
    found = signals(account(view()))
    assert set(found) <= {SignalKind.CONVERSATION}  # nothing: no egg, no inactive, no newcomer


@pytest.mark.parametrize(
    ("changes", "posts", "strength", "sentence"),
    [
        ({"avatar": None}, (1, 3, 8), -0.2, "Egg account: no avatar."),
        ({"avatar": None, "description": ""}, (1, 3, 8), -0.5, "Egg account: no avatar, empty bio."),
        ({"avatar": None, "description": "", "postsCount": 2}, (1,), -0.7, "no avatar, empty bio, almost no posts."),
    ],
)
def test_no_avatar_is_an_egg(changes: dict[str, Any], posts: tuple[int, ...], strength: float, sentence: str) -> None:
    a = account(view(**changes), posts)
    assert a.profile_image_url == "" and a.default_avatar  # kept as "" through the cache, not made unknown
    egg = signals(a)[SignalKind.EGG]
    assert egg.strength == strength and egg.sentence.endswith(sentence)


def test_a_plain_view_is_judged_on_nothing() -> None:
    """getFollowers' profileView has no counts and no createdAt: unknown, so no egg, newcomer or small account."""
    plain = account({"did": THEM, "handle": "them.bsky.social"}, posts_days_ago=())
    assert (plain.followers_count, plain.tweet_count, plain.listed_count, plain.created_at) == (None, None, None, None)
    assert set(signals(plain)) == set()


def test_a_newcomer_by_created_at_and_a_small_account_by_its_count() -> None:
    new = signals(account(view(createdAt=iso(NOW - timedelta(days=20)))))[SignalKind.NEWCOMER]
    assert new.sentence == "New here: joined 20 days ago. Worth a welcome."
    small = signals(account(view(followersCount=12)))[SignalKind.NEWCOMER]
    assert small.sentence.startswith("Small account")


def test_inactive_from_the_newest_post() -> None:
    quiet = signals(account(view(), posts_days_ago=(400, 500)))[SignalKind.INACTIVE]
    assert quiet.sentence == "Quiet: last post 13 months ago."
    assert SignalKind.INACTIVE not in signals(account(view(postsCount=900), posts_days_ago=()))  # none seen: unknown


def test_check_ins_and_follow_back_bait_from_the_text() -> None:
    checkins = ("I'm at Café Central in Wien https://www.swarmapp.com/c/abc", "Lunch (@ Dishoom in London)", "Hi")
    assert SignalKind.CHECKIN in signals(account(view(), texts=checkins))
    bait = signals(account(view(description="Follow back guaranteed ✅")))[SignalKind.FOLLOW_BAIT]
    assert "follow back" in bait.sentence.lower()


def test_an_organisation_by_its_bio_not_by_its_blue_check() -> None:
    valid = {"verifiedStatus": "valid", "trustedVerifierStatus": "none", "verifications": []}
    verified = account(view(verification=valid))
    assert verified.verified and SignalKind.ORGANISATION not in signals(verified)
    org = signals(account(view(description="The official account of the City of Porto.")))[SignalKind.ORGANISATION]
    assert "official" in org.sentence


def test_a_conversation_from_notifications_and_my_replies() -> None:
    reply = {
        "uri": f"at://{THEM}/{POST}/3kr",
        "reason": "reply",
        "author": {"did": THEM},
        "record": {
            "text": "Great idea!",
            "createdAt": iso(NOW - timedelta(days=2)),
            "reply": {"parent": {"uri": f"at://{ME}/{POST}/3kp"}, "root": {"uri": f"at://{ME}/{POST}/3kp"}},
        },
    }
    theirs = convert.notification_posts({"notifications": [reply]}, ME)
    mine_view = {
        "uri": f"at://{ME}/{POST}/3km",
        "author": {"did": ME},
        "record": {
            "text": "Thank you!",
            "createdAt": iso(NOW - timedelta(days=1)),
            "reply": {"parent": {"uri": f"at://{THEM}/{POST}/3kr"}, "root": {"uri": f"at://{ME}/{POST}/3kp"}},
        },
    }
    mine = convert.feed_posts({"feed": [{"post": mine_view}]}, ME)
    index = ConversationIndex.build(ME, theirs, mine, NOW - timedelta(days=180))
    talk = signals(account(view()), index.get(THEM))[SignalKind.CONVERSATION]
    assert talk.sentence == "You talk: they wrote to you once and you replied once."


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        (AccountState.SUSPENDED, "Taken down by moderators."),
        (AccountState.DELETED, "Deleted: the account no longer exists."),
        (AccountState.DEACTIVATED, "Deactivated by its owner: it may come back."),
    ],
)
def test_gone_in_bluesky_words_and_x_keeps_its_own(state: AccountState, sentence: str) -> None:
    gone = Account(id=THEM, username="them.bsky.social", state=state)
    assert signals(gone)[SignalKind.GONE].sentence == sentence
    x_account = Account(id="42", username="someone", state=AccountState.SUSPENDED)
    assert signals(x_account)[SignalKind.GONE].sentence == "Suspended by X."
