"""An in-memory X for FakeX: users, follow edges, lists, posts and tokens, plus a fast deterministic generator.

Objects are stored in X API v2 shape (string IDs, ``created_at`` with ``.000Z``); FakeX picks the requested fields.
Suspended and deleted accounts stay in the follow edges (as in X's own graph) but every page omits them; they only
surface as ``errors`` in user lookups. All mutators take ``lock`` and bump ``generation``.
"""

from __future__ import annotations

import math
import random
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

User = dict[str, Any]
Tweet = dict[str, Any]

TWITTER_EPOCH_MS = 1288834974657
GENERATED_NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
EGG = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
FOLLOWTUI_SCOPES = (
    "tweet.read",
    "users.read",
    "follows.read",
    "follows.write",
    "list.read",
    "list.write",
    "offline.access",
)
DEFAULT_CLIENT_ID = "RmFrZVhDbGllbnQ6MTpjaQ"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"
APP_TOKEN = "AAAAAAAAAAAAAAAAAAAAAFakeXAppOnlyBearerToken"


def iso(epoch_s: float) -> str:
    """X's timestamp format; tweepy needs the ``.000`` fraction."""
    day, sec = divmod(int(epoch_s), 86400)
    date = _DATES.get(day) or _DATES.setdefault(day, time.strftime("%Y-%m-%dT", time.gmtime(day * 86400)))
    return f"{date}{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.000Z"


_DATES: dict[int, str] = {}


def snowflake(epoch_s: float, salt: int = 0) -> str:
    """A snowflake ID minted at ``epoch_s`` (the low 22 bits are ``salt``)."""
    return str(((int(epoch_s * 1000) - TWITTER_EPOCH_MS) << 22) | (salt & 0x3FFFFF))


def snowflake_time(snowflake_id: str) -> float:
    """The Unix time a snowflake ID was minted."""
    return ((int(snowflake_id) >> 22) + TWITTER_EPOCH_MS) / 1000


class Edges:
    """IDs newest first; each edge keeps a sequence number so cursors survive inserts and removals."""

    def __init__(self, ids_newest_first: Iterable[str] = ()) -> None:
        self._ids: list[str] = list(ids_newest_first)
        self._neg: list[int] = list(range(-len(self._ids), 0))  # -seq, ascending (seq descending)
        self._seq = dict(zip(self._ids, (-n for n in self._neg), strict=True))
        self._hi = len(self._ids)
        self._lo = 1

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._seq

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    def add(self, user_id: str, *, newest: bool = True) -> bool:
        """Insert at the front (newest) or the back; False if already present."""
        if user_id in self._seq:
            return False
        if newest:
            self._hi += 1
            self._ids.insert(0, user_id)
            self._neg.insert(0, -self._hi)
            self._seq[user_id] = self._hi
        else:
            self._lo -= 1
            self._ids.append(user_id)
            self._neg.append(-self._lo)
            self._seq[user_id] = self._lo
        return True

    def remove(self, user_id: str) -> bool:
        if self._seq.pop(user_id, None) is None:
            return False
        i = self._ids.index(user_id)
        del self._ids[i], self._neg[i]
        return True

    def page(self, before: int | None, n: int, visible: Callable[[str], bool]) -> tuple[list[str], int | None]:
        """Up to ``n`` visible IDs older than sequence ``before``, and the cursor of the next page (None at the end)."""
        ids = self._ids
        i = 0 if before is None else bisect_right(self._neg, -before)
        out: list[str] = []
        last = -1
        while i < len(ids) and len(out) < n:
            if visible(ids[i]):
                out.append(ids[i])
                last = i
            i += 1
        more = any(visible(ids[j]) for j in range(i, len(ids)))
        return out, (-self._neg[last] if more and out else None)


@dataclass
class Token:
    """An OAuth 2.0 user access token."""

    user_id: str
    scopes: tuple[str, ...]
    expires_at: float | None = None
    expired: bool = False


@dataclass
class RefreshGrant:
    user_id: str
    scopes: tuple[str, ...]
    client_id: str


@dataclass
class OAuthClient:
    client_id: str
    redirect_uri: str
    secret: str | None = None


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str
    user_id: str
    expires_at: float


@dataclass
class XList:
    """A list owned by someone; ``members`` newest first."""

    id: str
    name: str
    owner_id: str
    description: str = ""
    private: bool = False
    created_at: str = ""
    members: Edges = field(default_factory=Edges)


class World:
    """The state behind FakeX. Plain attributes; hold ``lock`` when touching them from another thread."""

    def __init__(self, me_id: str = "1234567890123456789", me_username: str = "me", *, me_name: str = "Me") -> None:
        self.lock = threading.RLock()
        self.generation = 0
        self.me_id = me_id
        self.users: dict[str, User] = {}
        self.followers = Edges()
        self.following = Edges()
        self.pending: set[str] = set()
        self.lists: dict[str, XList] = {}
        self.tweets: dict[str, Tweet] = {}
        self.timelines: dict[str, list[str]] = {}
        self.mentions: list[str] = []
        self.suspended: set[str] = set()
        self.deleted: set[str] = set()
        self.blocking_me: set[str] = set()  # lookups of them answer "not authorized to see"
        self.app_token = APP_TOKEN
        self.user_tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, RefreshGrant] = {}
        self.clients: dict[str, OAuthClient] = {DEFAULT_CLIENT_ID: OAuthClient(DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_URI)}
        self.codes: dict[str, AuthCode] = {}
        self._serial = 0
        self.add_user(make_user(me_id, me_username, me_name, created_s=GENERATED_NOW.timestamp() - 4000 * 86400))

    # -- queries ---------------------------------------------------------------------------------------------------

    @property
    def me(self) -> User:
        return self.users[self.me_id]

    @property
    def me_username(self) -> str:
        return str(self.me["username"])

    def visible(self, user_id: str) -> bool:
        """Served by the API: known, not suspended, not deleted."""
        return user_id in self.users and user_id not in self.suspended and user_id not in self.deleted

    def follower_ids(self) -> list[str]:
        """Visible followers, newest first."""
        return [i for i in self.followers if self.visible(i)]

    def following_ids(self) -> list[str]:
        return [i for i in self.following if self.visible(i)]

    def new_id(self) -> str:
        """A fresh snowflake for objects created at run time (lists, posts)."""
        self._serial += 1
        return snowflake(time.time(), self._serial)

    # -- mutators --------------------------------------------------------------------------------------------------

    def bump(self) -> None:
        """Note a change (pagination cursors carry the generation they were issued in)."""
        self.generation += 1

    def add_user(self, user: User) -> str:
        with self.lock:
            self.users[str(user["id"])] = user
            self.bump()
            return str(user["id"])

    def add_follower(self, user: User | str, *, newest: bool = True) -> str:
        """Someone (a user dict or a known ID) starts following me."""
        with self.lock:
            uid = user if isinstance(user, str) else self.add_user(user)
            self.followers.add(uid, newest=newest)
            self.bump()
            return uid

    def remove_follower(self, user_id: str) -> None:
        with self.lock:
            self.followers.remove(user_id)
            self.bump()

    def follow(self, user: User | str, *, newest: bool = True) -> str:
        """I follow someone (as if done in another client)."""
        with self.lock:
            uid = user if isinstance(user, str) else self.add_user(user)
            self.following.add(uid, newest=newest)
            self.pending.discard(uid)
            self.bump()
            return uid

    def unfollow(self, user_id: str) -> None:
        with self.lock:
            self.following.remove(user_id)
            self.pending.discard(user_id)
            self.bump()

    def suspend(self, user_id: str) -> None:
        with self.lock:
            self.suspended.add(user_id)
            self.bump()

    def delete(self, user_id: str) -> None:
        with self.lock:
            self.deleted.add(user_id)
            self.bump()

    def add_tweet(
        self,
        author_id: str,
        text: str,
        *,
        created_s: float | None = None,
        reply_to: Tweet | None = None,
        mentions: Iterable[str] = (),
        salt: int = 0,
    ) -> Tweet:
        """Store a post (newest-first timeline order is kept); mentions of me land in ``mentions``."""
        with self.lock:
            self._serial += 1
            ts = time.time() if created_s is None else created_s
            tid = snowflake(ts, salt or self._serial)
            tweet: Tweet = {
                "id": tid,
                "text": text,
                "author_id": author_id,
                "created_at": iso(ts),
                "conversation_id": tid,
                "edit_history_tweet_ids": [tid],
                "lang": "en",
                "public_metrics": {
                    "retweet_count": 0,
                    "reply_count": 0,
                    "like_count": 0,
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": 0,
                },
            }
            if reply_to is not None:
                tweet["in_reply_to_user_id"] = reply_to["author_id"]
                tweet["conversation_id"] = reply_to["conversation_id"]
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to["id"]}]
            found = []
            for uid in mentions:
                handle = "@" + str(self.users[uid]["username"])
                start = text.find(handle)
                if start >= 0:
                    found.append({"start": start, "end": start + len(handle), "username": handle[1:], "id": uid})
            if found:
                tweet["entities"] = {"mentions": found}
            self.tweets[tid] = tweet
            line = self.timelines.setdefault(author_id, [])
            line.append(tid)
            line.sort(key=int, reverse=True)
            author = self.users[author_id]
            if line[0] == tid:
                author["most_recent_tweet_id"] = tid
            author["public_metrics"]["tweet_count"] += 1
            if any(m["id"] == self.me_id for m in found):
                self.mentions.append(tid)
                self.mentions.sort(key=int, reverse=True)
            self.bump()
            return tweet

    def add_list(
        self,
        name: str,
        *,
        description: str = "",
        private: bool = False,
        members: Iterable[str] = (),
        owner_id: str = "",
        list_id: str = "",
    ) -> XList:
        with self.lock:
            lid = list_id or self.new_id()
            xl = XList(
                lid, name, owner_id or self.me_id, description, private, iso(snowflake_time(lid)), Edges(members)
            )
            self.lists[xl.id] = xl
            self.bump()
            return xl

    # -- auth ------------------------------------------------------------------------------------------------------

    def add_user_token(self, token: str, user_id: str | None = None, scopes: Iterable[str] = FOLLOWTUI_SCOPES) -> Token:
        """A user-context OAuth 2.0 bearer token that never expires on its own."""
        with self.lock:
            tok = Token(user_id or self.me_id, tuple(scopes))
            self.user_tokens[token] = tok
            return tok

    def expire_tokens(self) -> None:
        """Every current access token answers 401 from now on; refresh tokens still work."""
        with self.lock:
            for tok in self.user_tokens.values():
                tok.expired = True

    def register_client(self, client_id: str, redirect_uri: str, secret: str | None = None) -> OAuthClient:
        """An OAuth 2.0 app (a secret makes it confidential: HTTP Basic on the token call)."""
        with self.lock:
            self.clients[client_id] = OAuthClient(client_id, redirect_uri, secret)
            return self.clients[client_id]

    # -- generation ------------------------------------------------------------------------------------------------

    @classmethod
    def generate(
        cls,
        *,
        followers: int = 200,
        following: int = 150,
        mutual: int = 60,
        lists: int = 3,
        seed: int = 0,
        suspended: int = 2,
        deleted: int = 2,
        posters: int = 300,
        me_id: str = "1234567890123456789",
        me_username: str = "me",
    ) -> World:
        """A deterministic, realistic world: 5,000 followers in ~0.2 s, 100,000 in ~2.5 s (on the 2-core CI box).

        ``mutual`` of the ``following`` also follow me. ``suspended``/``deleted`` extra accounts sit in my follower
        edges but never show on a page. Up to ``posters`` accounts get materialised posts (a few are check-in
        posters); everyone else only has ``most_recent_tweet_id``. Some accounts have non-Latin names, hostile bios
        (ANSI escapes, Rich markup, bidi overrides), egg avatars, or are protected or verified.
        """
        if not 0 <= mutual <= min(followers, following):
            raise ValueError("mutual must be between 0 and min(followers, following)")
        rng = random.Random(seed)
        world = cls(me_id, me_username)
        now = GENERATED_NOW.timestamp()
        taken = {me_id}
        total = followers + following - mutual + suspended + deleted
        made = [random_user(rng, n, now, taken) for n in range(total)]
        world.users.update((u["id"], u) for u in made)
        ids = [u["id"] for u in made]
        fol = ids[:followers]
        ing = rng.sample(fol, mutual) + ids[followers : followers + following - mutual]
        rng.shuffle(ing)
        gone = ids[followers + following - mutual :]
        world.suspended.update(gone[:suspended])
        world.deleted.update(gone[suspended:])
        for uid in gone:  # hidden among the real followers
            fol.insert(rng.randrange(len(fol) + 1), uid)
        world.followers = Edges(fol)
        world.following = Edges(ing)
        me = world.me
        me["public_metrics"].update(followers_count=followers, following_count=following)
        world._generate_posts(rng, ids[: followers + following - mutual], posters, now)
        for n in range(lists):
            name, desc = LIST_NAMES[n % len(LIST_NAMES)]
            members = rng.sample(ing, min(len(ing), rng.randint(3, 40))) if ing else []
            lid = snowflake(now - rng.uniform(30, 900) * 86400, rng.getrandbits(22))
            label = name if n < len(LIST_NAMES) else f"{name} {n}"
            world.add_list(label, description=desc, private=n % 2 == 0, members=members, list_id=lid)
        world.generation = 0
        return world

    def _generate_posts(self, rng: random.Random, ids: list[str], posters: int, now: float) -> None:
        """Posts (some self-reply threads), three check-in posters, my own posts and mentions of me (half replies)."""
        mine = [
            self.add_tweet(self.me_id, rng.choice(POSTS), created_s=now - (n + 2) * 86400, salt=n + 1) for n in range(5)
        ]
        chosen = rng.sample(ids, min(posters, len(ids)))
        checkins = set(chosen[:3])
        for uid in chosen:
            user = self.users[uid]
            if user["profile_image_url"] == EGG:
                continue
            newest = now - rng.expovariate(1 / 20) * 86400
            times = sorted(newest - k * rng.uniform(3600, 7 * 86400) for k in range(rng.randint(2, 6)))
            previous: Tweet | None = None
            for ts in times:  # oldest first, so a reply always follows what it answers
                text = checkin(rng) if uid in checkins else rng.choice(POSTS)
                thread = previous if previous is not None and uid not in checkins and rng.random() < 0.25 else None
                previous = self.add_tweet(uid, text, created_s=ts, reply_to=thread, salt=rng.getrandbits(22))
            if rng.random() < 0.15:
                user["pinned_tweet_id"] = self.timelines[uid][-1]
        for n, uid in enumerate(rng.sample(ids, min(25, len(ids)))):
            text = f"@{self.me_username} {rng.choice(POSTS)}"
            answer = rng.choice(mine) if n % 2 else None
            self.add_tweet(
                uid, text, created_s=now - n * 5400, reply_to=answer, mentions=[self.me_id], salt=rng.getrandbits(22)
            )


# -- pools and factories used by ``World.generate`` --------------------------------------------------------------------

FIRST = ["Ada", "Grace", "Linus", "Mia", "Noah", "Olivia", "Liam", "Emma", "Lucas", "Sofia", "Mateo", "Chloe", "Yusuf"]
LAST = [
    "Lovelace",
    "Hopper",
    "Berg",
    "Okafor",
    "Silva",
    "Novak",
    "Tanaka",
    "Haddad",
    "Rossi",
    "Nguyen",
    "Schmidt",
    "Patel",
]
NON_LATIN = [
    "山田太郎",
    "李小龙",
    "김민준",
    "Алексей Иванов",
    "Μαρία Παπαδοπούλου",
    "محمد علي",
    "דוד כהן",
    "สมชาย ใจดี",
    "अनिल कुमार",
    "🌸 さくら 🌸",
]
BIOS = [
    "Coffee, code and cats.",
    "Building things on the internet.",
    "Opinions my own. RT ≠ endorsement.",
    "Photographer 📷 | Traveller ✈️",
    "PhD student in computational linguistics.",
    "Dad. Runner. Terrible cook.",
    "Follow back? 🔁 #followback #teamfollowback",
    "Crypto 🚀 DM for promo 💰 #NFT #giveaway",
    "Journalist. Tips: DM open.",
    "日本語のプロフィールです。よろしくお願いします！",
    "Пишу про технологии и книги.",
    "مطور برمجيات ومحب للقهوة",
    "",
]
HOSTILE_BIOS = [
    "\x1b[31mRED ALERT\x1b[0m \x1b[2J\x1b[H your screen was cleared",
    "[bold]not actually bold[/bold] [link=https://evil.example]click me[/link]",
    "line one\nline two\r\nline three\ttabbed",
    "\u202eevil reversed text\u202c and \u200bzero\u200bwidth",
    "[red]markup[/] $(rm -rf ~) `whoami` <script>alert(1)</script>",
    "A" * 160,
]
LOCATIONS = ["Berlin", "東京", "São Paulo", "", "Earth 🌍", "NYC", "Lagos, Nigeria", "remote", "Zürich", "Москва", ""]
PLACES = ["Starbucks", "Hauptbahnhof", "JFK Airport", "Café Einstein", "Blue Bottle Coffee", "Planet Fitness"]
CITIES = ["Berlin", "New York, NY", "Tokyo", "Lisbon", "Austin, TX"]
POSTS = [
    "Shipping a small fix today. Feels good.",
    "Anyone else think the new UI is worse?",
    "Reading about CRDTs again 🤓",
    "Good morning! ☀️",
    "Thread 🧵 on why naming things is hard (1/7)",
    "Just published: notes from the conference https://t.co/AbCdEf1234",
    "これはテスト投稿です",
    "lol",
    "Hiring! DM me if you like distributed systems.",
    "[bold]still not bold[/bold] \x1b[1mnor this\x1b[0m",
    "Back from holiday, 400 unread emails 😩",
]
LIST_NAMES = [
    ("close friends", "people I actually talk to"),
    ("news", ""),
    ("rust people", "crabs only 🦀"),
    ("maybe unfollow", "to review"),
    ("art & design", ""),
]
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_AVATARS = "https://pbs.twimg.com/profile_images"
_SNOWFLAKE_ERA = 1370044800  # 2013-06-01: user IDs minted after this are snowflakes


def checkin(rng: random.Random) -> str:
    code = "".join(rng.choices(_ALNUM, k=7))
    return f"I'm at {rng.choice(PLACES)} in {rng.choice(CITIES)} https://4sq.com/{code}"


def make_user(user_id: str, username: str, name: str = "", *, created_s: float | None = None, **extra: Any) -> User:
    """A tidy user in spec shape; ``extra`` overrides or adds fields."""
    created = GENERATED_NOW.timestamp() - 1000 * 86400 if created_s is None else created_s
    user: User = {
        "id": user_id,
        "name": name or username,
        "username": username,
        "created_at": iso(created),
        "description": "",
        "location": "",
        "profile_image_url": EGG,
        "protected": False,
        "verified": False,
        "verified_type": "none",
        "public_metrics": {"followers_count": 0, "following_count": 0, "tweet_count": 0, "listed_count": 0},
    }
    user.update(extra)
    return user


def _pick(pool: list[str], x: float) -> str:
    return pool[int(x * len(pool))]


def random_user(rng: random.Random, n: int, now: float, taken: set[str]) -> User:
    """The ``n``-th generated account; its ID is unique within ``taken`` (which it joins). Kept lean: 100k in ~1 s."""
    r = rng.random
    egg = r() < 0.03
    created = now - (1 + r() * 59 if egg else 30 + r() * 6470) * 86400
    while True:
        uid = str(100_000 + int(r() * 1.5e9)) if created < _SNOWFLAKE_ERA else snowflake(created, rng.getrandbits(22))
        if uid not in taken:
            taken.add(uid)
            break
    if r() < 0.12:
        name, stem = NON_LATIN[int(r() * len(NON_LATIN))], "user"
    else:
        first, last = FIRST[int(r() * len(FIRST))], LAST[int(r() * len(LAST))]
        name, stem = f"{first} {last}", (first + last[:3]).lower()
    followers = min(int(30 / (1 - r()) ** 0.9), 90_000_000)  # Pareto-ish
    tweets = 0 if egg else int(-3000 * math.log(1 - r()))
    user: User = {
        "id": uid,
        "name": name,
        "username": f"{stem[:9]}_{n:x}",
        "created_at": iso(created),
        "description": "" if egg else _pick(HOSTILE_BIOS if r() < 0.06 else BIOS, r()),
        "location": LOCATIONS[int(r() * len(LOCATIONS))],
        "profile_image_url": EGG if egg else f"{_AVATARS}/{uid}/{rng.getrandbits(40):x}_normal.jpg",
        "protected": r() < 0.05,
        "verified": False,
        "verified_type": "none",
        "public_metrics": {
            "followers_count": followers,
            "following_count": int(r() * 2000),
            "tweet_count": tweets,
            "listed_count": followers // 50,
        },
    }
    if r() < 0.04:
        user["verified"] = True
        user["verified_type"] = _pick(["blue", "blue", "business", "government"], r())
    if r() < 0.25:
        short = f"https://t.co/{rng.getrandbits(50):010x}"
        target = f"example.com/{user['username']}"
        user["url"] = short
        entity = {"start": 0, "end": 23, "url": short, "expanded_url": "https://" + target, "display_url": target}
        user["entities"] = {"url": {"urls": [entity]}}
    if tweets:
        days = 365 + r() * 2135 if r() < 0.2 else -10 * math.log(1 - r())
        active = now - days * 86400
        user["most_recent_tweet_id"] = snowflake(active if active > created else created + 60, rng.getrandbits(22))
    return user
