"""Triage signals: pure functions that each say how strongly one thing counts, and why, in one sentence.

A positive strength is a reason to follow (or keep following); a negative one counts against. Follower counts
never decide anything: a newcomer with 42 followers gets the same look as a celebrity. Every limit and weight
lives in ``Rules`` (the config file's ``[signals]`` table).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

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


CONCERNING_BELOW = -0.3
"""The default strength at or below which a signal is a concern (``Rules.concerning_below``)."""

CONVERSATION_KEEPS = 0.5
"""A conversation signal this strong (after its weight) keeps an account out of the unfollow candidates."""


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    strength: float  # -1.0 (strongly against) .. +1.0 (strongly for)
    sentence: str
    concerning_below: float = field(default=CONCERNING_BELOW, compare=False, repr=False)  # from the Rules used

    @property
    def concerning(self) -> bool:
        """Whether this counts against the account enough to suggest an unfollow (by the rules it was judged by)."""
        return self.strength <= self.concerning_below


def _default_weights() -> dict[SignalKind, float]:
    return dict.fromkeys(SignalKind, 1.0)


@dataclass(frozen=True, slots=True)
class Rules:
    """Every tunable limit and weight behind the signals and the queue rules (the config's ``[signals]``)."""

    newcomer_days: int = 90  # an account younger than this is a newcomer
    newcomer_followers: int = 100  # fewer followers than this: a small account (a newcomer too)
    egg_posts: int = 10  # fewer lifetime posts than this (and under 3 seen) is "almost no posts"
    inactive_days: int = 365  # no post for this long: quiet
    conversation_days: int = 180  # replies and mentions this recent count as a conversation
    checkin_share: float = 0.5  # this share of the recent posts being check-ins makes a check-in poster
    checkin_min: int = 2  # ... and at least this many of them
    high_volume_per_day: float = 60.0  # this many posts a day since joining: likely automated
    concerning_below: float = CONCERNING_BELOW  # a signal this strong against (or stronger) is a concern
    weights: Mapping[SignalKind, float] = field(default_factory=_default_weights)  # 0 switches a signal off

    def weight(self, kind: SignalKind) -> float:
        return self.weights.get(kind, 1.0)

    def concerning(self, signal: Signal) -> bool:
        """Whether ``signal`` is a concern under these rules."""
        return signal.strength <= self.concerning_below

    def apply(self, signal: Signal) -> Signal | None:
        """The signal scaled by its kind's weight (clamped to -1..1), or None when the weight switches it off."""
        weight = self.weight(signal.kind)
        if weight == 0:
            return None
        strength = round(min(1.0, max(-1.0, signal.strength * weight)), 4)  # 0.7 * 0.5 is 0.35, not 0.34999...
        return replace(signal, strength=strength, concerning_below=self.concerning_below)


DEFAULT_RULES = Rules()


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

# Phrases only an organisation writes about itself.
_ORG_PHRASE = re.compile(
    r"\b(?:customer\s+(?:service|support|care|success)|(?:shop|order|buy|book)\s+now|(?:shop|order)\s+online|"
    r"free\s+shipping|(?:dm|contact|e-?mail|call|message|visit|tag)\s+us)\b",
    re.IGNORECASE,
)
# "Official" the way an organisation says it ("The official account of ...", "Official account."), not the way
# a person does ("elected official", "an official at the club").
_OFFICIAL = re.compile(
    r"(?:^\W*|\bthe\s+|\bour\s+)official\b|\bofficial\s+(?:\w+\s+)?(?:account|page|profile|twitter|feed|channel|"
    r"site|website|handle)\b",
    re.IGNORECASE,
)
_COMPANY = re.compile(r"\b(?:inc|ltd|llc|gmbh|plc|corp|pty)\b", re.IGNORECASE)
_EMPLOYER = re.compile(r"\b(?:at|for|with|ex|former|formerly|previously|prev|alum|alumni)\b|@", re.IGNORECASE)
# A "we" or "our" that speaks for a business; people say "we" too, so it counts only in a bio with no "I" or "my".
_WE = re.compile(
    r"\b(?:we(?:'re|’re|\s+are)\s+(?:a|an|your|here\s+to)\b|we\s+(?:make|build|help|sell|ship|deliver|offer|"
    r"provide|support|design|create|develop|bring|serve|roast|brew|post|connect|empower|are\s+hiring)\b|"
    r"our\s+(?:products?|store|shop|customers|clients|services|menu)\b)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|me|my|mine|myself)\b", re.IGNORECASE)
_SHOP_HOSTS = ("myshopify.com", "bigcartel.com")
_SHOP_LABELS = frozenset({"shop", "store", "buy", "order"})
_SHOP_PATHS = frozenset({"shop", "store", "products", "product", "collections"})

# A Foursquare/Swarm check-in: its link, its "(@ Place in City)" tag, or its "I'm at ..." opening.
_CHECKIN = re.compile(r"(?:4sq\.com|swarmapp\.com|foursquare\.com)/|\(@ [^)\n]{1,120}\)|^\s*I['’]m at\b", re.IGNORECASE)
_BAIT = re.compile(
    r"follow\s*back|\bf4f\b|follow\s*(?:4|for)\s*follow|\bifb\b|\bautofollow|follow\s*train|"
    r"\bdm\s+(?:me\s+)?for\s+(?:paid\s+)?(?:promos?|promotions?|collabs?|shout\s*outs?)\b|"
    r"\bpromos?\s+in\s+(?:the\s+)?dms?\b|gain\s+(?:more\s+)?followers",
    re.IGNORECASE,
)
_EDGES = re.compile(r"^\W+|\W+$")  # what a quote from a bio starts or ends with: spaces, emoji, stray symbols
# "no", "never", "don't" ... at most two words before a match: "I don't follow back", "not the official account".
_NEGATED = re.compile(
    r"\b(?:no|not|never|don'?t|don’t|dont|doesn'?t|doesn’t|won'?t|won’t|isn'?t|isn’t)(?:\s+[\w'’]+){0,2}\s+$",
    re.IGNORECASE,
)


def egg(account: Account, rules: Rules = DEFAULT_RULES) -> Signal | None:
    """Default avatar (none at all, on Bluesky); worse with an empty bio and almost no posts (a protected account's
    hidden posts are not "almost no posts", nor is a post count X did not send). An unknown picture is no egg."""
    if account.state is not AccountState.ACTIVE or not account.default_avatar:
        return None
    parts = ["no avatar" if account.on_bluesky else "default avatar"]
    if _blank(account.description):
        parts.append("empty bio")
    posts = account.tweet_count
    if not account.protected and posts is not None and posts < rules.egg_posts and len(account.posts) < 3:
        parts.append("almost no posts")
    strength = (-0.2, -0.5, -0.7)[len(parts) - 1]  # a default avatar alone is a note, not a concern
    return Signal(SignalKind.EGG, strength, f"Egg account: {', '.join(parts)}.")


def organisation(account: Account) -> Signal | None:
    """A brand, not a person: verified as a business or government, a bio that speaks for one, or a shop link."""
    if account.verified_type in (VerifiedType.BUSINESS, VerifiedType.GOVERNMENT):
        what = "a business" if account.verified_type == VerifiedType.BUSINESS else "a government body"
        return Signal(SignalKind.ORGANISATION, -0.5, f"Verified as {what}: a brand, not a person.")
    bio = _visible(account.description)
    phrase = (
        _first(_ORG_PHRASE, bio) or _first(_OFFICIAL, bio, unless=_negated) or _first(_COMPANY, bio, unless=_employer)
    )
    if phrase:
        return Signal(SignalKind.ORGANISATION, -0.4, f'Bio reads like an organisation ("{phrase}").')
    if not _FIRST_PERSON.search(bio) and (phrase := _first(_WE, bio)):
        return Signal(SignalKind.ORGANISATION, -0.3, f'Bio speaks for an organisation ("{phrase}").')
    if _shop_link(account.url):
        return Signal(SignalKind.ORGANISATION, -0.2, "Links to a shop.")
    return None


def checkin_poster(account: Account, rules: Rules = DEFAULT_RULES) -> Signal | None:
    """Most recent posts are Foursquare/Swarm check-ins."""
    if not account.posts:
        return None
    checkins = sum(1 for p in account.posts if _CHECKIN.search(p.text))
    share = checkins / len(account.posts)
    if checkins == 0 or checkins < rules.checkin_min or share < rules.checkin_share:
        return None
    return Signal(
        SignalKind.CHECKIN,
        -0.6,
        f"Check-in auto-poster: {checkins} of {len(account.posts)} recent posts are Foursquare/Swarm check-ins.",
    )


def newcomer(account: Account, now: datetime, rules: Rules = DEFAULT_RULES) -> Signal | None:
    """A young or small account: a reason to welcome, never a penalty."""
    if account.state is not AccountState.ACTIVE:
        return None
    if account.created_at and now - account.created_at <= timedelta(days=rules.newcomer_days):
        days = max((now - account.created_at).days, 0)
        return Signal(SignalKind.NEWCOMER, 0.2, f"New here: joined {_ago(days)}. Worth a welcome.")
    if account.followers_count is not None and account.followers_count < rules.newcomer_followers:
        return Signal(SignalKind.NEWCOMER, 0.1, "Small account: judge them by their posts, not their numbers.")
    return None


def conversation(convo: Conversation) -> Signal | None:
    """Replies and mentions between the user and them (within ``Rules.conversation_days``)."""
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


def inactive(account: Account, now: datetime, rules: Rules = DEFAULT_RULES) -> Signal | None:
    """No post for ``inactive_days``, from the newest post seen or ``most_recent_tweet_id``'s timestamp.

    Without either, only an account known to be old enough, public and that X says has no posts has "never
    posted"; a post count or a join date X did not send says nothing.
    """
    if account.state is not AccountState.ACTIVE:
        return None
    last = account.last_post_at
    if last is None:
        if account.protected or account.tweet_count != 0 or account.created_at is None:
            return None
        if now - account.created_at < timedelta(days=rules.inactive_days):
            return None
        return Signal(SignalKind.INACTIVE, -0.5, "Has never posted.")
    days = (now - last).days
    if days < rules.inactive_days:
        return None
    return Signal(SignalKind.INACTIVE, -0.7, f"Quiet: last post {_ago(days)}.")


def gone(account: Account) -> Signal | None:
    """Suspended (taken down, on Bluesky), deleted or deactivated: in the words of the account's network."""
    if account.state is AccountState.SUSPENDED:
        return Signal(SignalKind.GONE, -1.0, "Taken down by moderators." if account.on_bluesky else "Suspended by X.")
    if account.state is AccountState.DELETED:
        return Signal(SignalKind.GONE, -1.0, "Deleted: the account no longer exists.")
    if account.state is AccountState.DEACTIVATED:
        return Signal(SignalKind.GONE, -0.5, "Deactivated by its owner: it may come back.")
    return None


def protected_unseen(account: Account) -> Signal | None:
    """Protected, with no post visible to the user: neither for nor against."""
    if account.state is AccountState.ACTIVE and account.protected and not account.posts:
        return Signal(SignalKind.PROTECTED, 0.0, "Protected: their posts are hidden from you.")
    return None


UNFOLLOWED_YOU = -0.25
"""Weaker than a concern (``CONCERNING_BELOW``): having unfollowed you alone makes no unfollow candidate of an
account that posts; with a concern of its own (quiet, a bot, ...) it is one more reason."""


def not_following_back(relationship: Relationship | None, account: Account | None = None) -> Signal | None:
    """The user follows them; they do not follow the user (or stopped). Nothing for a suspended or deleted
    account: it stopped following nobody, it is gone (``gone`` says so)."""
    if account is not None and account.state is not AccountState.ACTIVE:
        return None
    if relationship and relationship.following and not relationship.follower:
        if relationship.left:
            return Signal(SignalKind.NOT_FOLLOWING_BACK, UNFOLLOWED_YOU, "Unfollowed you.")
        return Signal(SignalKind.NOT_FOLLOWING_BACK, -0.2, "Does not follow you back.")
    return None


def high_volume(account: Account, now: datetime, rules: Rules = DEFAULT_RULES) -> Signal | None:
    """Posts per day since joining at or above ``high_volume_per_day``."""
    posts = account.tweet_count
    if account.state is not AccountState.ACTIVE or not account.created_at or posts is None or posts <= 0:
        return None
    days = max((now - account.created_at).days, 1)
    per_day = posts / days
    if per_day < rules.high_volume_per_day:
        return None
    return Signal(SignalKind.HIGH_VOLUME, -0.4, f"Posts about {per_day:.0f} times a day: likely automated.")


def follow_bait(account: Account) -> Signal | None:
    """A bio that trades follows ("follow back", "#TeamFollowBack", "DM for promo"), unless it says the opposite."""
    phrase = _first(_BAIT, _visible(account.description), unless=_negated)
    if not phrase:
        return None
    return Signal(SignalKind.FOLLOW_BAIT, -0.5, f'Follow-back bait in the bio ("{phrase}").')


def evaluate(
    account: Account,
    relationship: Relationship | None,
    convo: Conversation,
    now: datetime,
    rules: Rules = DEFAULT_RULES,
) -> list[Signal]:
    """Every signal that applies to the account, weighted by ``rules``, strongest reasons first.

    An account known only by its ID (not hydrated yet) gets no judgement on what it posts.
    """
    if not account.hydrated:
        found = [not_following_back(relationship)]
    else:
        found = [
            gone(account),
            conversation(convo),
            egg(account, rules),
            organisation(account),
            checkin_poster(account, rules),
            follow_bait(account),
            high_volume(account, now, rules),
            inactive(account, now, rules),
            protected_unseen(account),
            newcomer(account, now, rules),
            not_following_back(relationship, account),
        ]
    weighted = [rules.apply(s) for s in found if s is not None]
    signals = [s for s in weighted if s is not None]
    signals.sort(key=lambda s: -abs(s.strength))
    return signals


def _first(pattern: re.Pattern[str], text: str, unless: Callable[[str, re.Match[str]], bool] | None = None) -> str:
    """The first match of ``pattern`` in ``text`` that ``unless`` does not rule out, as a clean quote; or ""."""
    for match in pattern.finditer(text):
        if unless is None or not unless(text, match):
            return _EDGES.sub("", " ".join(_visible(match.group(0)).split())) or "…"
    return ""


def _negated(text: str, match: re.Match[str]) -> bool:
    return _NEGATED.search(text, max(0, match.start() - 40), match.start()) is not None


def _employer(text: str, match: re.Match[str]) -> bool:
    """ "Engineer at Acme Inc": the company is where they work, not who they are."""
    clause = re.split(r"[.!?|·•\n]", text[max(0, match.start() - 60) : match.start()])[-1]
    return _EMPLOYER.search(clause) is not None


def _visible(text: str) -> str:
    """``text`` without control and format characters (zero-width spaces and joiners, bidi overrides), which
    would otherwise hide a phrase: "follow", a zero-width space, "back"."""
    return "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")


def _blank(text: str) -> bool:
    """No letter, digit, punctuation or symbol: empty, spaces, or invisible characters only."""
    return not any(unicodedata.category(char)[0] in "LNPS" for char in text)


def _shop_link(url: str) -> bool:
    """A profile link to a shop: ``shop.example``, ``example.shop``, ``example.com/store``, Shopify ..."""
    if not url.strip():
        return False
    try:
        parts = urlsplit(url.strip() if "//" in url else f"//{url.strip()}")
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return False
    labels = host.split(".")
    segments = [s for s in parts.path.lower().split("/") if s]
    return (
        any(label in _SHOP_LABELS for label in labels)
        or host.endswith(_SHOP_HOSTS)
        or (bool(segments) and segments[0] in _SHOP_PATHS)
        or (host.endswith("etsy.com") and bool(segments) and segments[0] == "shop")
    )


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
