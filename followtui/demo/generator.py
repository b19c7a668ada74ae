"""A deterministic fake social graph for the offline demo.

``generate(now, seed)`` is pure: every choice comes from one ``random.Random(seed)`` and every time is
relative to ``now``, so the same arguments always give the same graph.
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from followtui.demo.texts import (
    BAIT_BIOS,
    BAIT_POSTS,
    CELEB_POSTS,
    CELEBS,
    CHECKIN_COMMENTS,
    CJK,
    COMBINING,
    CULTURE_NAMES,
    CULTURES,
    EGG_NAMES,
    EGG_POSTS,
    EMOJI,
    ESCAPE,
    EXTRAS,
    GENERIC_POSTS,
    HOBBIES,
    JOBS,
    LONG_SENTENCES,
    MARKUP,
    MENTION_ONLY,
    MENTION_TALK,
    MY_POSTS,
    MY_REPLIES,
    NEWCOMER_POSTS,
    ODD_PLACES,
    ORG_POSTS,
    ORGS,
    RTL,
    THEMES,
    VENUES,
    Theme,
)
from followtui.domain.models import (
    Account,
    AccountState,
    ListInfo,
    Me,
    Post,
    Relationship,
    VerifiedType,
    post_order,
)

DEMO_SEED = 2026
DEFAULT_AVATAR_URL = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"

_TWITTER_EPOCH_MS = 1288834974657
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR = 3_600_000
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_ME = Me(id="1000", username="ada_demo", name="Ada Lovelace (demo)")
DEMO_ME = _ME  # the demo's user on X


@dataclass(frozen=True, slots=True)
class DemoGraph:
    """Everything the demo backend serves, as of ``last_sync``."""

    me: Me
    accounts: tuple[Account, ...]
    relationships: tuple[Relationship, ...]
    lists: tuple[ListInfo, ...]
    mentions: tuple[Post, ...]
    my_posts: tuple[Post, ...]
    previous_sync: datetime
    last_sync: datetime

    @property
    def network(self) -> str:
        """ "bluesky" for a graph of DIDs, else "x"."""
        return "bluesky" if self.me.id.startswith("did:") else "x"


def generate(now: datetime, seed: int = DEMO_SEED, *, hostile: bool = False) -> DemoGraph:
    """Build the demo graph as seen at ``now`` (naive times are taken as UTC).

    With ``hostile`` a few profiles carry the tests' attack texts (markup, escape sequences, Zalgo); without it
    (the demo people see) those profiles stay ordinary people. Either way the same accounts, relationships and
    counts: the random draws are the same.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return _Builder(now, random.Random(seed), hostile=hostile).build()


def snowflake(ms: int, seq: int) -> str:
    """An X-style ID whose embedded time is ``ms`` (Unix milliseconds)."""
    return str(((ms - _TWITTER_EPOCH_MS) << 22) | (seq & 0x3FFFFF))


def _ms(t: datetime) -> int:
    return (t - _UNIX) // timedelta(milliseconds=1)


def _dt(ms: int) -> datetime:
    return _UNIX + timedelta(milliseconds=ms)


def _post_ms(post: Post) -> int:
    assert post.created_at is not None  # every demo post has its time
    return _ms(post.created_at)


# --------------------------------------------------------------------------------------------- the plan


class _Bucket(enum.Enum):
    """How an account relates to me."""

    NEW_FOLLOWER = "new follower, not followed back"
    NEW_MUTUAL = "new follower, already followed"
    FOLLOWER = "older follower, not followed back"
    MUTUAL = "older follower, followed"
    FOLLOWING = "followed, not a follower"
    LEFT = "unfollowed me"


class _Kind(enum.Enum):
    ORDINARY = "ordinary"
    NEWCOMER = "newcomer"
    EGG = "egg"
    ORG = "organisation"
    CHECKIN = "check-in poster"
    TALKER = "talks with me"
    MENTIONER = "only mentions me"
    INACTIVE = "inactive"
    PROTECTED = "protected"
    SUSPENDED = "suspended"
    DELETED = "deleted"
    CELEB = "celebrity"
    BAIT = "follow-back bait"  # not in X's plan (its graph stays as it was); Bluesky's has some


class _Hard(enum.Enum):
    CJK = "cjk"
    RTL = "rtl"
    EMOJI = "emoji"
    COMBINING = "combining"
    LONG_BIO = "long bio"
    MARKUP = "markup"
    ESCAPE = "escape"


_B = _Bucket
_K = _Kind

_BUCKET_SIZES = {
    _B.NEW_FOLLOWER: 56,
    _B.NEW_MUTUAL: 6,
    _B.FOLLOWER: 118,
    _B.MUTUAL: 172,
    _B.FOLLOWING: 245,
    _B.LEFT: 16,
}

_KIND_PLAN: dict[_Kind, dict[_Bucket, int]] = {
    _K.NEWCOMER: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 2, _B.FOLLOWING: 2, _B.MUTUAL: 1},
    _K.EGG: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 5, _B.FOLLOWING: 1},
    _K.ORG: {_B.NEW_FOLLOWER: 4, _B.FOLLOWER: 4, _B.FOLLOWING: 8, _B.MUTUAL: 2},
    _K.CHECKIN: {_B.NEW_FOLLOWER: 5, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.MUTUAL: 3},
    _K.TALKER: {_B.NEW_FOLLOWER: 2, _B.NEW_MUTUAL: 1, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.MUTUAL: 13},
    _K.MENTIONER: {_B.NEW_FOLLOWER: 3, _B.FOLLOWER: 3, _B.FOLLOWING: 1, _B.MUTUAL: 2},
    _K.INACTIVE: {_B.FOLLOWER: 4, _B.FOLLOWING: 10, _B.MUTUAL: 4, _B.LEFT: 2},
    _K.PROTECTED: {_B.NEW_FOLLOWER: 2, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.LEFT: 2},
    _K.SUSPENDED: {_B.FOLLOWING: 4, _B.LEFT: 3},
    _K.DELETED: {_B.FOLLOWING: 3, _B.LEFT: 3},
    _K.CELEB: {_B.FOLLOWING: 6, _B.MUTUAL: 1},
}

# Kinds whose profile can carry a hard-text overlay without losing what makes them that kind.
_OVERLAY_KINDS = (_K.ORDINARY, _K.NEWCOMER, _K.TALKER, _K.MENTIONER, _K.CHECKIN)


@dataclass(slots=True)
class _Slot:
    bucket: _Bucket
    kind: _Kind
    theme: Theme | None = None
    hard: _Hard | None = None


@dataclass(slots=True)
class _Draft:
    """An account under construction."""

    username: str
    name: str
    created_ms: int
    id: str = ""  # assigned last, from the final creation time
    description: str = ""
    location: str = ""
    url: str = ""
    avatar: str = ""
    protected: bool = False
    verified_type: str = VerifiedType.NONE
    followers: int = 0
    following: int = 0
    tweets: int = 0
    listed: int = 0
    state: AccountState = AccountState.ACTIVE
    n_posts: int = 0
    newest_ago: int = 0  # ms before now of the newest post
    span: int = 30 * _DAY  # how far back the posts reach from the newest
    lead: list[str] = field(default_factory=list)  # texts of the newest posts, in order
    lines: list[str] = field(default_factory=list)  # other post texts to pick from
    mentions_me: int = 0  # how many of the posts mention me
    talks: bool = False  # I reply to their mentions


# --------------------------------------------------------------------------------------------- building


class _Builder:
    """Holds the random source and the state shared while one graph is built.

    It builds X's graph. The class attributes (``me``, ``egg_avatar``, ``bucket_sizes``, ``kind_plan``, ``my_texts``) and the
    ``_new_id``, ``_avatar``, ``_created``, ``_draft``, ``_account``, ``_post_id``, ``_list`` and ``_list_id``
    methods are the points another network's builder overrides (``followtui.demo.bluesky``).
    """

    me: Me = _ME
    egg_avatar: str = DEFAULT_AVATAR_URL
    bucket_sizes: dict[_Bucket, int] = _BUCKET_SIZES
    kind_plan: dict[_Kind, dict[_Bucket, int]] = _KIND_PLAN
    my_texts: tuple[str, ...] = MY_POSTS  # what the demo user posts

    def __init__(self, now: datetime, rng: random.Random, *, hostile: bool = False) -> None:
        self.now = now
        self.hostile = hostile
        self.rng = rng
        self.now_ms = _ms(now)
        self.previous_sync = now - timedelta(days=2)
        self.last_sync = now - timedelta(hours=1)
        self.seq = 0
        self.ids: set[str] = {self.me.id}
        self.usernames: set[str] = {self.me.username}
        self.orgs = list(ORGS)
        self.celebs = list(CELEBS)
        self.hard_used: dict[_Hard, int] = dict.fromkeys(_Hard, 0)
        rng.shuffle(self.orgs)
        rng.shuffle(self.celebs)

    # ---- top level

    def build(self) -> DemoGraph:
        slots = self._plan()
        drafts = [self._draft(slot) for slot in slots]
        accounts = [self._account(d) for d in drafts]
        relationships = tuple(self._relationship(s, a) for s, a in zip(slots, accounts, strict=True))
        mentions = sorted(
            (p for a in accounts for p in a.posts if self.me.id in p.mentioned_ids),
            key=lambda p: p.created_at or self.now,
            reverse=True,
        )
        talkers = {d.id for d in drafts if d.talks}
        my_posts = self._my_posts([p for p in mentions if p.author_id in talkers], [a for a in accounts if a.posts])
        lists = tuple(self._list(theme, slots, accounts) for theme in THEMES)
        return DemoGraph(
            me=self.me,
            accounts=tuple(accounts),
            relationships=relationships,
            lists=lists,
            mentions=tuple(mentions),
            my_posts=tuple(my_posts),
            previous_sync=self.previous_sync,
            last_sync=self.last_sync,
        )

    def _plan(self) -> list[_Slot]:
        rng = self.rng
        slots = [
            _Slot(bucket, kind)
            for kind, per_bucket in self.kind_plan.items()
            for bucket, n in per_bucket.items()
            for _ in range(n)
        ]
        for bucket, size in self.bucket_sizes.items():
            have = sum(1 for s in slots if s.bucket is bucket)
            slots.extend(_Slot(bucket, _K.ORDINARY) for _ in range(size - have))

        def free(buckets: tuple[_Bucket, ...], kinds: tuple[_Kind, ...] = (_K.ORDINARY,)) -> list[_Slot]:
            return [s for s in slots if s.bucket in buckets and s.kind in kinds and s.theme is None and s.hard is None]

        for theme in THEMES:
            outside = max(1, theme.size // 8)  # a few members I don't follow
            members = rng.sample(free((_B.MUTUAL, _B.FOLLOWING)), theme.size - outside)
            members += rng.sample(free((_B.FOLLOWER,)), outside)
            for s in members:
                s.theme = theme
        for hard in _Hard:
            picks = rng.sample(free((_B.NEW_FOLLOWER,), _OVERLAY_KINDS), 2)
            for bucket in (_B.FOLLOWER, _B.MUTUAL, _B.FOLLOWING):
                picks.append(rng.choice(free((bucket,), _OVERLAY_KINDS)))
            for s in picks:
                s.hard = hard
        rng.shuffle(slots)
        return slots

    # ---- ids and names

    def _new_id(self, created_ms: int) -> str:
        while True:
            if created_ms >= _TWITTER_EPOCH_MS + _YEAR * 3:
                self.seq += 1
                candidate = snowflake(created_ms, self.seq)
            else:
                candidate = str(self.rng.randint(1_000_000, 2_400_000_000))
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def _username(self, name: str, hint: str = "") -> str:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        words = [w for w in re.split(r"[^a-z0-9]+", folded) if w] or ["user"]
        first, last = words[0], words[-1]
        shapes = [f"{first}{self.rng.randint(1, 99)}"]
        if last != first:
            shapes += [first + last, f"{first}_{last}", first[0] + last]
        if hint:
            shapes.append(f"{first}_{hint}")
        candidate = self.rng.choice(shapes)[:15]
        while candidate in self.usernames:
            candidate = f"{candidate[:10]}{self.rng.randint(1, 9999)}"
        self.usernames.add(candidate)
        return candidate

    def _avatar(self) -> str:
        word = "".join(
            self.rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") for _ in range(8)
        )
        return f"https://pbs.twimg.com/profile_images/{self.rng.randint(10**17, 10**19 - 1)}/{word}_normal.jpg"

    def _tweets(self, created_ms: int, low: float, high: float) -> int:
        """A lifetime post count for an account posting between ``low`` and ``high`` times a day."""
        rate = low * (high / low) ** self.rng.random()
        return int(rate * (self.now_ms - created_ms) / _DAY)

    def _log_int(self, low: int, high: int) -> int:
        """A whole number between low and high, spread evenly in orders of magnitude."""
        return min(high, int(low * (high / low) ** self.rng.random()))

    def _created(self, min_days: int, max_days: int) -> int:
        return self.now_ms - self.rng.randint(min_days * _DAY, max_days * _DAY)

    # ---- profiles by kind

    def _draft(self, slot: _Slot) -> _Draft:
        rng = self.rng
        kind = slot.kind
        if kind is _K.ORG:
            d = self._org()
        elif kind is _K.CELEB:
            d = self._celeb()
        elif kind is _K.EGG:
            d = self._egg()
        elif kind is _K.BAIT:
            d = self._bait(slot)
        elif kind in (_K.SUSPENDED, _K.DELETED):
            d = self._person(slot)
            state = AccountState.SUSPENDED if kind is _K.SUSPENDED else AccountState.DELETED
            username = "" if state is AccountState.DELETED and rng.random() < 0.4 else d.username
            return _Draft(username=username, name="", created_ms=d.created_ms, state=state)
        else:
            d = self._person(slot)
        if kind is _K.NEWCOMER:
            d.created_ms = self._created(6, 85)
            d.followers = rng.randint(3, 60)
            d.following = rng.randint(20, 250)
            d.tweets = max(8, self._tweets(d.created_ms, 0.3, 4))
            d.listed = 0
            d.lead = [rng.choice(NEWCOMER_POSTS)]
            d.newest_ago = rng.randint(2 * _HOUR, 4 * _DAY)
            if rng.random() < 0.5:
                d.description = f"New here 👋 {d.description}".strip()
        elif kind is _K.CHECKIN:
            d.lead = [self._checkin(), self._checkin()]
            d.lines = [*(self._checkin() for _ in range(8)), d.lines[0]]
            d.n_posts = rng.randint(7, 10)  # check-ins stay the majority even with a hard-text post or two
            d.newest_ago = rng.randint(_HOUR, 5 * _DAY)
        elif kind is _K.INACTIVE:
            d.newest_ago = rng.randint(_YEAR + 10 * _DAY, 3 * _YEAR - 10 * _DAY)
            d.span = rng.randint(30, 300) * _DAY
            d.created_ms = min(d.created_ms, self.now_ms - d.newest_ago - d.span - 30 * _DAY)
        elif kind is _K.PROTECTED:
            d.protected = True
            d.n_posts = 0 if rng.random() < 0.5 else rng.randint(3, 6)
        elif kind is _K.TALKER:
            d.talks = True
            d.mentions_me = rng.randint(1, 2)
        elif kind is _K.MENTIONER:
            d.mentions_me = 1
        if slot.hard is not None:
            self._overlay(d, slot.hard)
        return d

    def _person(self, slot: _Slot) -> _Draft:
        rng = self.rng
        theme = slot.theme
        culture_name = (theme.culture if theme and theme.culture and rng.random() < 0.8 else None) or rng.choice(
            CULTURE_NAMES
        )
        culture = CULTURES[culture_name]
        name = f"{rng.choice(culture.first)} {rng.choice(culture.last)}"
        job, job_posts = rng.choice(JOBS)
        hobby, hobby_posts = rng.choice(HOBBIES)
        hobby2, hobby2_posts = rng.choice(HOBBIES)
        city = rng.choice(culture.places)
        roll = rng.random()
        location = city if roll < 0.75 else (rng.choice(ODD_PLACES) if roll < 0.87 else "")
        if theme and theme.places:
            location = city = rng.choice(theme.places)
        bio = self._bio(job, hobby, hobby2, city)
        lines = [*hobby_posts, *hobby2_posts, *job_posts, *rng.sample(GENERIC_POSTS, 3)]
        if theme:
            if theme.bios:
                bio = f"{rng.choice(theme.bios)}. {job} in {city}."
            lines = [*theme.posts, *theme.posts, *lines]
        created = self._created(200, 16 * 365)
        return _Draft(
            username=self._username(name, hobby.split()[0]),
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=f"https://{name.split()[0].lower()}.example" if rng.random() < 0.15 else "",
            avatar=self._avatar(),
            followers=self._log_int(50, 3000),
            following=self._log_int(80, 1500),
            tweets=self._tweets(created, 0.05, 12),
            listed=rng.randint(0, 40),
            n_posts=rng.randint(3, 10),
            newest_ago=rng.randint(_HOUR, 20 * _DAY),
            span=rng.randint(10, 120) * _DAY,
            lines=lines,
        )

    def _bio(self, job: str, hobby: str, hobby2: str, city: str) -> str:
        rng = self.rng
        extra = rng.choice(EXTRAS)
        shapes = (
            f"{job} in {city}. {hobby.capitalize()}.",
            f"{job} · {hobby} · {extra}",
            f"{hobby.capitalize()}, {hobby2} and too much coffee. {extra}",
            f"{job}. Opinions my own.",
            f"{job} by day, {hobby} by night. {city}.",
            "",
        )
        weights = (5, 5, 4, 2, 4, 1)
        return rng.choices(shapes, weights)[0]

    def _org(self) -> _Draft:
        rng = self.rng
        name, username, bio, vtype, url, location = self.orgs.pop()
        created = self._created(3 * 365, 15 * 365)
        self.usernames.add(username)
        return _Draft(
            username=username,
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=url,
            avatar=self._avatar(),
            verified_type=vtype,
            followers=self._log_int(5_000, 2_000_000),
            following=rng.randint(10, 900),
            tweets=self._tweets(created, 0.5, 25),
            listed=rng.randint(50, 3000),
            n_posts=rng.randint(3, 8),
            newest_ago=rng.randint(_HOUR, 3 * _DAY),
            span=rng.randint(5, 40) * _DAY,
            lines=[p.format(name=name, url=url) for p in ORG_POSTS],
        )

    def _celeb(self) -> _Draft:
        rng = self.rng
        name, username, bio, location = self.celebs.pop()
        created = self._created(6 * 365, 15 * 365)
        self.usernames.add(username)
        city = location.split(" / ")[0]
        return _Draft(
            username=username,
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=f"https://{username}.example",
            avatar=self._avatar(),
            verified_type=VerifiedType.BLUE,
            followers=self._log_int(1_000_000, 40_000_000),
            following=rng.randint(50, 900),
            tweets=self._tweets(created, 0.5, 12),
            listed=rng.randint(2_000, 40_000),
            n_posts=rng.randint(3, 10),
            newest_ago=rng.randint(_HOUR, 6 * _DAY),
            span=rng.randint(10, 60) * _DAY,
            lines=[p.format(city=city) for p in CELEB_POSTS],
        )

    def _egg(self) -> _Draft:
        rng = self.rng
        name = rng.choice(EGG_NAMES)
        n_posts = rng.randint(1, 3)
        created = self._created(10, 900)
        handle = self._username(name)
        if rng.random() < 0.6:
            self.usernames.discard(handle)
            handle = f"{handle[:6]}{rng.randint(10**7, 10**9 - 1)}"[:15]
            self.usernames.add(handle)
        return _Draft(
            username=handle,
            name=name,
            created_ms=created,
            avatar=self.egg_avatar,
            followers=rng.randint(0, 8),
            following=rng.randint(40, 2000),
            tweets=n_posts + rng.randint(0, 5),
            n_posts=n_posts,
            newest_ago=rng.randint(_HOUR, 40 * _DAY),
            span=rng.randint(1, 60) * _DAY,
            lines=list(EGG_POSTS),
        )

    def _bait(self, slot: _Slot) -> _Draft:
        """A person who trades follows: says so in the bio, follows and is followed by thousands."""
        rng = self.rng
        d = self._person(slot)
        d.description = rng.choice(BAIT_BIOS)
        d.following = self._log_int(3_000, 20_000)
        d.followers = self._log_int(2_000, d.following)
        d.lead = [rng.choice(BAIT_POSTS)]
        d.lines = [*BAIT_POSTS, *d.lines]
        return d

    def _checkin(self) -> str:
        rng = self.rng
        place, city = rng.choice(VENUES)
        code = "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        if rng.random() < 0.5:
            return f"I'm at {place} in {city} https://www.swarmapp.com/c/{code}"
        comment = rng.choice(CHECKIN_COMMENTS)
        return f"{comment} (@ {place} in {city}) https://4sq.com/{code[:7]}".lstrip()

    def _overlay(self, d: _Draft, hard: _Hard) -> None:
        """Give a profile the hard text of one kind (names, bios, locations and a post or two)."""
        i = self.hard_used[hard]
        self.hard_used[hard] += 1
        posts: tuple[str, ...] = ()
        if hard is _Hard.CJK:
            handle, d.name, d.description, d.location, posts = CJK[i % len(CJK)]
            self._rename(d, handle)
        elif hard is _Hard.RTL:
            handle, d.name, d.description, d.location, posts = RTL[i % len(RTL)]
            self._rename(d, handle)
        elif hard is _Hard.EMOJI:
            suffix, d.description, d.location, posts = EMOJI[i % len(EMOJI)]
            d.name += suffix
        elif hard is _Hard.COMBINING:
            handle, name, bio, location = COMBINING[i % len(COMBINING)]
            zalgo_bio, zalgo_post = self._zalgo("he comes"), self._zalgo("it is fine, everything is fine")
            if self.hostile:
                d.name, d.description, d.location, posts = name, f"{bio} {zalgo_bio}", location, (zalgo_post,)
                self._rename(d, handle)
            elif handle:  # a real name with combining marks; the Zalgo one only in the tests
                d.name, d.description, d.location = name, bio, location
                self._rename(d, handle)
        elif hard is _Hard.LONG_BIO:
            sentences = list(LONG_SENTENCES)
            self.rng.shuffle(sentences)
            d.description = " ".join(sentences)
        elif not self.hostile:
            pass  # markup and escape attacks are the tests' (generate(hostile=True)), not people to show
        elif hard is _Hard.MARKUP:
            d.name, d.description, d.location, posts = MARKUP[i % len(MARKUP)]
        else:
            d.name, d.description, d.location, posts = ESCAPE[i % len(ESCAPE)]
        d.lead = [*d.lead, *posts]
        d.n_posts = max(d.n_posts, len(d.lead) + d.mentions_me)

    def _rename(self, d: _Draft, handle: str) -> None:
        """Give an overlaid profile the handle that goes with its new name (no random draw: the plan stays)."""
        if not handle:
            return
        self.usernames.discard(d.username)
        candidate, n = handle, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{handle[:13]}{n}"
        self.usernames.add(candidate)
        d.username = candidate

    def _zalgo(self, text: str) -> str:
        marks = [chr(c) for c in range(0x0300, 0x0370)]
        return "".join(c + "".join(self.rng.choices(marks, k=self.rng.randint(1, 4))) for c in text)

    # ---- posts, accounts, relationships

    def _account(self, d: _Draft) -> Account:
        d.id = self._new_id(d.created_ms)
        posts = self._posts(d)
        return Account(
            id=d.id,
            username=d.username,
            name=d.name,
            description=d.description,
            location=d.location,
            url=d.url,
            created_at=_dt(d.created_ms),
            profile_image_url=d.avatar,
            protected=d.protected,
            verified=d.verified_type != VerifiedType.NONE,
            verified_type=d.verified_type,
            followers_count=d.followers,
            following_count=d.following,
            tweet_count=max(d.tweets, len(posts)),
            listed_count=d.listed,
            most_recent_tweet_id=posts[0].id if posts else None,
            state=d.state,
            posts=posts,
        )

    def _posts(self, d: _Draft) -> tuple[Post, ...]:
        rng = self.rng
        if d.n_posts == 0:
            return ()
        floor = d.created_ms + _HOUR
        newest = max(self.now_ms - d.newest_ago, floor + _HOUR)
        times = sorted(
            (newest, *(rng.randint(max(floor, newest - d.span), newest) for _ in range(d.n_posts - 1))),
            reverse=True,
        )
        mention_times = sorted(
            (rng.randint(max(floor, self.now_ms - 25 * _DAY), self.now_ms - 20 * 60_000) for _ in range(d.mentions_me)),
            reverse=True,
        )
        texts = [*d.lead]
        pool = [t for t in d.lines if t not in texts]
        rng.shuffle(pool)
        texts += pool
        while len(texts) < d.n_posts:
            texts.append(rng.choice(GENERIC_POSTS))
        posts = [self._post(d.id, ms, text) for ms, text in zip(times[d.mentions_me :], texts, strict=False)]
        for ms in mention_times:
            posts.append(self._mention(d, ms))
        posts.sort(key=post_order, reverse=True)
        return tuple(posts)

    def _post(
        self, author_id: str, ms: int, text: str, reply_to: str | None = None, mentioned: tuple[str, ...] = ()
    ) -> Post:
        self.seq += 1
        return Post(
            id=self._post_id(author_id, ms),
            author_id=author_id,
            text=text,
            created_at=_dt(ms),
            in_reply_to_user_id=reply_to,
            mentioned_ids=mentioned,
        )

    def _post_id(self, author_id: str, ms: int) -> str:
        """The ID of a post made at ``ms`` (``self.seq`` is fresh for each post)."""
        return snowflake(ms, self.seq)

    def _mention(self, d: _Draft, ms: int) -> Post:
        rng = self.rng
        if d.talks:
            text = f"@{self.me.username} {rng.choice(MENTION_TALK)}"
            reply_to = self.me.id if rng.random() < 0.6 else None
            return self._post(d.id, ms, text, reply_to, (self.me.id,))
        text = rng.choice(MENTION_ONLY).replace("{me}", self.me.username)
        return self._post(d.id, ms, text, None, (self.me.id,))

    def _my_posts(self, talk: list[Post], active: list[Account]) -> list[Post]:
        rng = self.rng
        usernames = {a.id: a.username for a in active}
        posts = [
            self._post(self.me.id, self.now_ms - rng.randint(_HOUR, 40 * _DAY), text)
            for text in rng.sample(self.my_texts, 12)
        ]
        for mention in talk:
            ms = min(_post_ms(mention) + rng.randint(5 * 60_000, 8 * _HOUR), self.now_ms - 60_000)
            text = f"@{usernames[mention.author_id]} {rng.choice(MY_REPLIES)}"
            posts.append(self._post(self.me.id, ms, text, mention.author_id, (mention.author_id,)))
        talkers = {p.author_id for p in talk}
        for other in rng.sample([a for a in active if a.id not in talkers], 4):
            ms = min(_post_ms(other.posts[0]) + rng.randint(10 * 60_000, 3 * _HOUR), self.now_ms - 60_000)
            text = f"@{other.username} {rng.choice(MY_REPLIES)}"
            posts.append(self._post(self.me.id, ms, text, other.id, (other.id,)))
        posts.sort(key=post_order, reverse=True)
        return posts

    def _relationship(self, slot: _Slot, account: Account) -> Relationship:
        rng = self.rng
        created = account.created_at or self.now
        old_floor = max(created + timedelta(days=1), self.now - timedelta(days=6 * 365))
        old_ceiling = self.previous_sync - timedelta(days=1)

        def old() -> datetime:
            span = max(0, int((old_ceiling - old_floor).total_seconds()))
            return old_ceiling - timedelta(seconds=rng.randint(0, span))

        def new() -> datetime:
            span = int((self.last_sync - self.previous_sync).total_seconds())
            return self.previous_sync + timedelta(seconds=rng.randint(60, span))

        bucket = slot.bucket
        follower_first: datetime | None = None
        follower_last: datetime | None = None
        following = bucket in (_B.NEW_MUTUAL, _B.MUTUAL, _B.FOLLOWING) or (bucket is _B.LEFT and rng.random() < 0.4)
        if bucket in (_B.NEW_FOLLOWER, _B.NEW_MUTUAL):
            follower_first, follower_last = new(), self.last_sync
        elif bucket in (_B.FOLLOWER, _B.MUTUAL):
            follower_first, follower_last = old(), self.last_sync
        elif bucket is _B.LEFT:
            follower_first, follower_last = old(), self.previous_sync
        return Relationship(
            account_id=account.id,
            follower=bucket not in (_B.FOLLOWING, _B.LEFT),
            following=following,
            follower_first_seen=follower_first,
            follower_last_seen=follower_last,
            following_first_seen=old() if following else None,
            following_last_seen=self.last_sync if following else None,
        )

    def _list(self, theme: Theme, slots: list[_Slot], accounts: list[Account]) -> ListInfo:
        members = tuple(a.id for s, a in zip(slots, accounts, strict=True) if s.theme is theme)
        return ListInfo(
            id=self._list_id(),
            name=theme.name,
            description=theme.description,
            private=theme.private,
            member_ids=members,
        )

    def _list_id(self) -> str:
        return str(self.rng.randint(10**18, 2 * 10**18))
