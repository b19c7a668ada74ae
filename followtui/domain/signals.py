"""Triage signals: pure functions that each say how strongly one thing counts, and why, in one sentence.

A positive strength is a reason to follow (or keep following); a negative one counts against. Follower counts
never decide anything: a newcomer with 42 followers gets the same look as a celebrity.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from followtui.domain.models import Account, AccountState, Post, Relationship, VerifiedType


class SignalKind(enum.StrEnum):
    CONVERSATION = "conversation"
    NEWCOMER = "newcomer"
    EGG = "egg"
    ORGANISATION = "organisation"
    CHECKIN = "checkin"
    INACTIVE = "inactive"
    GONE = "gone"
    PROTECTED = "protected"
    NOT_FOLLOWING_BACK = "not_following_back"
    HIGH_VOLUME = "high_volume"
    FOLLOW_BAIT = "follow_bait"


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    strength: float  # -1.0 (strongly against) .. +1.0 (strongly for)
    sentence: str

    @property
    def concerning(self) -> bool:
        return self.strength <= -0.3


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tunable limits behind the signals (the config file may override them)."""

    newcomer_days: int = 90
    newcomer_followers: int = 100
    inactive_days: int = 365
    conversation_days: int = 180
    checkin_share: float = 0.5
    high_volume_per_day: float = 60.0


@dataclass(frozen=True, slots=True)
class Conversation:
    """How the user and one account have talked recently."""

    theirs: int = 0  # their posts mentioning or replying to the user
    mine: int = 0  # the user's posts replying to or mentioning them
    last: datetime | None = None


@dataclass(slots=True)
class ConversationIndex:
    """Conversations per account, built once from the user's mentions and own posts."""

    by_account: dict[str, Conversation] = field(default_factory=dict)

    @classmethod
    def build(
        cls, me_id: str, mentions: Iterable[Post], my_posts: Iterable[Post], since: datetime
    ) -> ConversationIndex:
        theirs: dict[str, int] = {}
        mine: dict[str, int] = {}
        last: dict[str, datetime] = {}

        def seen(account_id: str, when: datetime) -> None:
            if account_id not in last or when > last[account_id]:
                last[account_id] = when

        for post in mentions:
            if post.author_id == me_id or not post.created_at or post.created_at < since:
                continue
            if me_id in post.mentioned_ids or post.in_reply_to_user_id == me_id:
                theirs[post.author_id] = theirs.get(post.author_id, 0) + 1
                seen(post.author_id, post.created_at)
        for post in my_posts:
            if not post.created_at or post.created_at < since:
                continue
            targets = set(post.mentioned_ids)
            if post.in_reply_to_user_id:
                targets.add(post.in_reply_to_user_id)
            targets.discard(me_id)
            for target in targets:
                mine[target] = mine.get(target, 0) + 1
                seen(target, post.created_at)
        ids = theirs.keys() | mine.keys()
        return cls({i: Conversation(theirs.get(i, 0), mine.get(i, 0), last.get(i)) for i in ids})

    def get(self, account_id: str) -> Conversation:
        return self.by_account.get(account_id, _NO_CONVERSATION)


_NO_CONVERSATION = Conversation()

_ORG_BIO = re.compile(
    r"\b(official|we are|we're|our (?:team|products?|store|customers)|inc\.?|ltd\.?|llc|gmbh|"
    r"customer (?:service|support|care)|shop now|order now|brand|company|agency|ministry|department)\b",
    re.IGNORECASE,
)
_SHOP_URL = re.compile(r"(shop|store|buy|order)\.|/(shop|store)\b", re.IGNORECASE)
_CHECKIN = re.compile(r"(4sq\.com|swarmapp\.com|foursquare\.com)|^\s*I'm at\b", re.IGNORECASE)
_BAIT = re.compile(
    r"(follow\s*back|#?team\s*follow\s*back|#?f4f\b|#?follow4follow|dm (?:me )?for promo|"
    r"promo(?:tion)?s? in dm|gain followers|#ifb\b)",
    re.IGNORECASE,
)


def egg(account: Account) -> Signal | None:
    if account.state is not AccountState.ACTIVE or not account.default_avatar:
        return None
    parts = ["default avatar"]
    strength = -0.3
    if not account.description.strip():
        parts.append("empty bio")
        strength -= 0.2
    if account.tweet_count < 10 and len(account.posts) < 3:
        parts.append("almost no posts")
        strength -= 0.2
    return Signal(SignalKind.EGG, strength, f"Egg account: {', '.join(parts)}.")


def organisation(account: Account) -> Signal | None:
    if account.verified_type in (VerifiedType.BUSINESS, VerifiedType.GOVERNMENT):
        what = "a business" if account.verified_type == VerifiedType.BUSINESS else "a government body"
        return Signal(SignalKind.ORGANISATION, -0.5, f"Verified as {what}: a brand, not a person.")
    match = _ORG_BIO.search(account.description)
    if match:
        return Signal(SignalKind.ORGANISATION, -0.4, f'Bio reads like an organisation ("{match.group(0)}").')
    if account.url and _SHOP_URL.search(account.url):
        return Signal(SignalKind.ORGANISATION, -0.3, "Links to a shop.")
    return None


def checkin_poster(account: Account, thresholds: Thresholds) -> Signal | None:
    if not account.posts:
        return None
    checkins = sum(1 for p in account.posts if _CHECKIN.search(p.text))
    share = checkins / len(account.posts)
    if checkins == 0 or share < thresholds.checkin_share:
        return None
    return Signal(
        SignalKind.CHECKIN,
        -0.6,
        f"Check-in auto-poster: {checkins} of {len(account.posts)} recent posts are Foursquare/Swarm check-ins.",
    )


def newcomer(account: Account, now: datetime, thresholds: Thresholds) -> Signal | None:
    if account.created_at and now - account.created_at <= timedelta(days=thresholds.newcomer_days):
        days = max((now - account.created_at).days, 0)
        return Signal(SignalKind.NEWCOMER, 0.2, f"New here: joined {_ago(days)}. Worth a welcome.")
    if account.state is AccountState.ACTIVE and account.followers_count < thresholds.newcomer_followers:
        return Signal(SignalKind.NEWCOMER, 0.1, "Small account: judge them by their posts, not their numbers.")
    return None


def conversation(convo: Conversation) -> Signal | None:
    if convo.theirs and convo.mine:
        return Signal(
            SignalKind.CONVERSATION,
            1.0,
            f"You talk: they wrote to you {_times(convo.theirs)} and you replied {_times(convo.mine)}.",
        )
    if convo.theirs:
        return Signal(SignalKind.CONVERSATION, 0.5, f"They wrote to you {_times(convo.theirs)}; you have not replied.")
    if convo.mine:
        return Signal(
            SignalKind.CONVERSATION,
            0.4,
            f"You wrote to them {_times(convo.mine)}; they have not written back.",
        )
    return None


def inactive(account: Account, now: datetime, thresholds: Thresholds) -> Signal | None:
    if account.state is not AccountState.ACTIVE:
        return None
    last = account.last_post_at
    if last is None:
        if account.protected or account.tweet_count:
            return None
        return Signal(SignalKind.INACTIVE, -0.5, "Has never posted.")
    days = (now - last).days
    if days < thresholds.inactive_days:
        return None
    return Signal(SignalKind.INACTIVE, -0.7, f"Quiet: last post {_ago(days)}.")


def gone(account: Account) -> Signal | None:
    if account.state is AccountState.SUSPENDED:
        return Signal(SignalKind.GONE, -1.0, "Suspended by X.")
    if account.state is AccountState.DELETED:
        return Signal(SignalKind.GONE, -1.0, "Deleted: the account no longer exists.")
    return None


def protected_unseen(account: Account) -> Signal | None:
    if account.protected and not account.posts:
        return Signal(SignalKind.PROTECTED, 0.0, "Protected: their posts are hidden from you.")
    return None


def not_following_back(relationship: Relationship | None) -> Signal | None:
    if relationship and relationship.following and not relationship.follower:
        if relationship.left:
            return Signal(SignalKind.NOT_FOLLOWING_BACK, -0.3, "Unfollowed you.")
        return Signal(SignalKind.NOT_FOLLOWING_BACK, -0.2, "Does not follow you back.")
    return None


def high_volume(account: Account, now: datetime, thresholds: Thresholds) -> Signal | None:
    if not account.created_at or not account.tweet_count:
        return None
    days = max((now - account.created_at).days, 1)
    per_day = account.tweet_count / days
    if per_day < thresholds.high_volume_per_day:
        return None
    return Signal(SignalKind.HIGH_VOLUME, -0.4, f"Posts about {per_day:.0f} times a day: likely automated.")


def follow_bait(account: Account) -> Signal | None:
    match = _BAIT.search(account.description)
    if not match:
        return None
    return Signal(SignalKind.FOLLOW_BAIT, -0.5, f'Follow-back bait in the bio ("{match.group(0)}").')


def evaluate(
    account: Account,
    relationship: Relationship | None,
    convo: Conversation,
    now: datetime,
    thresholds: Thresholds = Thresholds(),
) -> list[Signal]:
    """Every signal that applies to the account, strongest reasons first.

    An account known only by its ID (not hydrated yet) gets no judgement on what it posts.
    """
    if not account.hydrated:
        known = not_following_back(relationship)
        return [known] if known else []
    found = [
        gone(account),
        conversation(convo),
        egg(account),
        organisation(account),
        checkin_poster(account, thresholds),
        follow_bait(account),
        high_volume(account, now, thresholds),
        inactive(account, now, thresholds),
        protected_unseen(account),
        newcomer(account, now, thresholds),
        not_following_back(relationship),
    ]
    signals = [s for s in found if s is not None]
    signals.sort(key=lambda s: -abs(s.strength))
    return signals


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _ago(days: int) -> str:
    if days < 1:
        return "today"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"
