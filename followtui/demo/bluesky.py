"""The demo's Bluesky account: X's generator with Bluesky's identities, fields and people.

``generate_bluesky(now, seed)`` is pure like ``generate``: DIDs are the IDs, handles the names
(``name.bsky.social``, custom domains for organisations, public figures and a few people), posts and lists are
named by AT URIs with TID record keys, and what a Bluesky profile has no field for (a location, protected posts,
X's verification types, a listed count, a newest-post ID) is absent: None for a count, never zero. The lists that
are private on X are kept on this machine here (``local-`` IDs, never on the network): Bluesky's lists are public.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from followtui.demo.generator import (
    _B,
    _DAY,
    _K,
    DEMO_SEED,
    DemoGraph,
    _Bucket,
    _Builder,
    _Draft,
    _Kind,
    _ms,
    _Slot,
)
from followtui.demo.texts import MY_POSTS_TEACHER, Theme
from followtui.domain.models import LOCAL_LIST_PREFIX, Account, AccountState, ListInfo, Me, VerifiedType

BSKY_ME = Me(id="did:plc:demomaria4bsky2social7aa", username="maria.bsky.social", name="Maria Montessori (demo)")
BSKY_LAUNCH = datetime(2023, 2, 17, tzinfo=UTC)  # the app's first public beta: no account is older
HANDLE_SUFFIX = ".bsky.social"
CUSTOM_TLD = ".test"  # the TLD atproto keeps for testing (``.example`` is not allowed in a handle)
POST = "app.bsky.feed.post"
LIST = "app.bsky.graph.list"
MAX_BIO = 256  # graphemes in a profile description
_B32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable: TIDs
_DID_CHARS = "abcdefghijklmnopqrstuvwxyz234567"  # base32: did:plc identifiers
_NOT_LABEL = re.compile(r"[^a-z0-9-]+")

_BUCKET_SIZES = {
    _B.NEW_FOLLOWER: 40,
    _B.NEW_MUTUAL: 5,
    _B.FOLLOWER: 90,
    _B.MUTUAL: 130,
    _B.FOLLOWING: 150,
    _B.LEFT: 12,
}
# As X's, without protected accounts (Bluesky has none) and with follow-back bait.
_KIND_PLAN: dict[_Kind, dict[_Bucket, int]] = {
    _K.NEWCOMER: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 2, _B.FOLLOWING: 2, _B.MUTUAL: 1},
    _K.EGG: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 5, _B.FOLLOWING: 1},
    _K.ORG: {_B.NEW_FOLLOWER: 3, _B.FOLLOWER: 3, _B.FOLLOWING: 6, _B.MUTUAL: 2},
    _K.CHECKIN: {_B.NEW_FOLLOWER: 3, _B.FOLLOWER: 2, _B.FOLLOWING: 2, _B.MUTUAL: 2},
    _K.BAIT: {_B.NEW_FOLLOWER: 4, _B.FOLLOWER: 3, _B.FOLLOWING: 1},
    _K.TALKER: {_B.NEW_FOLLOWER: 2, _B.NEW_MUTUAL: 1, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.MUTUAL: 12},
    _K.MENTIONER: {_B.NEW_FOLLOWER: 3, _B.FOLLOWER: 2, _B.FOLLOWING: 1, _B.MUTUAL: 2},
    _K.INACTIVE: {_B.FOLLOWER: 4, _B.FOLLOWING: 8, _B.MUTUAL: 3, _B.LEFT: 2},
    _K.SUSPENDED: {_B.FOLLOWING: 3, _B.LEFT: 2},  # taken down by a moderator
    _K.DELETED: {_B.FOLLOWING: 3, _B.LEFT: 3},  # some only deactivated by their owner
    _K.CELEB: {_B.FOLLOWING: 5, _B.MUTUAL: 1},
}


def generate_bluesky(now: datetime, seed: int = DEMO_SEED, *, hostile: bool = False) -> DemoGraph:
    """The Bluesky demo graph as seen at ``now`` (naive times are taken as UTC); ``hostile`` as ``generate``'s.

    Account ages fit in Bluesky's life (since ``BSKY_LAUNCH``), so ``now`` should be a year or more after it.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return _BlueskyBuilder(now, random.Random(seed), hostile=hostile).build()


def tid(micros: int, clock_id: int = 0) -> str:
    """A TID (record key): ``micros`` (Unix microseconds) and a 10-bit clock ID, in 13 base32-sortable chars."""
    n = (micros << 10) | (clock_id & 0x3FF)
    return "".join(_B32[(n >> shift) & 31] for shift in range(60, -1, -5))


def tid_value(key: str) -> int | None:
    """The number a TID stands for (``tid``'s inverse), or None for a record key that is no TID."""
    if len(key) != 13 or key[0] not in _B32[:16] or any(c not in _B32 for c in key):
        return None
    n = 0
    for c in key:
        n = n * 32 + _B32.index(c)
    return n


def at_uri(did: str, collection: str, key: str) -> str:
    return f"at://{did}/{collection}/{key}"


class _BlueskyBuilder(_Builder):
    """X's builder with Bluesky's IDs, handles, avatars and fields."""

    me = BSKY_ME
    egg_avatar = ""  # Bluesky sends no avatar at all for an account without one
    bucket_sizes = _BUCKET_SIZES
    kind_plan = _KIND_PLAN
    my_texts = MY_POSTS_TEACHER

    def __init__(self, now: datetime, rng: random.Random, *, hostile: bool = False) -> None:
        super().__init__(now, rng, hostile=hostile)
        self.launch_ms = _ms(BSKY_LAUNCH)
        self.handles: set[str] = {self.me.username}
        self.named_gone = 0

    def _new_id(self, created_ms: int) -> str:
        while True:
            did = "did:plc:" + "".join(self.rng.choice(_DID_CHARS) for _ in range(24))
            if did not in self.ids:
                self.ids.add(did)
                return did

    def _avatar(self) -> str:
        """The image's CID; ``_account`` makes it a CDN URL once the DID is known."""
        return "bafkrei" + "".join(self.rng.choice(_DID_CHARS) for _ in range(52))

    def _created(self, min_days: int, max_days: int) -> int:
        age = max(60, (self.now_ms - self.launch_ms) // _DAY)
        return super()._created(min(min_days, age // 2), min(max_days, age))

    def _draft(self, slot: _Slot) -> _Draft:
        d = super()._draft(slot)
        if d.created_ms < self.launch_ms:  # an inactive account's years reach no further back than Bluesky's
            d.created_ms = self.launch_ms + self.rng.randint(0, 20 * _DAY)
        if d.state is AccountState.DELETED and d.username:
            self.named_gone += 1
            if self.named_gone % 2:
                d.state = AccountState.DEACTIVATED  # by its owner: the handle still resolves
        elif d.state is AccountState.ACTIVE and (
            slot.kind in (_K.ORG, _K.CELEB) or (d.url and self.rng.random() < 0.5)
        ):
            d.username = self._custom_domain(d, slot.kind)
        d.lead, d.lines = [_bluesky_words(t) for t in d.lead], [_bluesky_words(t) for t in d.lines]
        d.description = _bluesky_words(d.description)
        if d.location and d.location not in d.description:  # no location field: people say it in the bio
            d.description = f"{d.description} 📍 {d.location}" if d.description else f"📍 {d.location}"
        d.description = _fit(d.description, MAX_BIO)
        return d

    def _custom_domain(self, d: _Draft, kind: _Kind) -> str:
        """A handle of one's own domain, under ``CUSTOM_TLD``: an organisation's website's, else from the name."""
        host = (urlsplit(d.url).hostname or "") if kind is _K.ORG else ""
        if "." in host:
            return host.rsplit(".", 1)[0] + CUSTOM_TLD
        folded = unicodedata.normalize("NFKD", d.name).encode("ascii", "ignore").decode().lower()
        words = [w for w in re.split(r"[^a-z0-9]+", folded) if w]
        return ("".join(words[-2:]) if words else d.username) + CUSTOM_TLD

    def _account(self, d: _Draft) -> Account:
        account = super()._account(d)
        avatar = f"https://cdn.bsky.app/img/avatar/plain/{account.id}/{d.avatar}@jpeg" if d.avatar else ""
        return replace(
            account,
            username=self._handle(d.username),
            location="",
            profile_image_url=avatar,
            protected=False,
            verified=d.verified_type != VerifiedType.NONE,  # a blue check from Bluesky or a trusted verifier
            verified_type=VerifiedType.NONE,
            listed_count=None,
            most_recent_tweet_id=None,
        )

    def _handle(self, name: str) -> str:
        """A unique, valid handle for an X-style username (``ada_l`` -> ``ada-l.bsky.social``)."""
        if not name:
            return ""  # a deleted account: nothing resolves to it any more
        custom = name.endswith(CUSTOM_TLD)
        stem = name.removesuffix(CUSTOM_TLD) if custom else name
        labels = [_NOT_LABEL.sub("-", label.lower()).strip("-")[:63] for label in stem.split(".")]
        labels = [label for label in labels if label] or ["user"]
        suffix = CUSTOM_TLD if custom else HANDLE_SUFFIX
        handle, n = ".".join(labels) + suffix, 1
        while handle in self.handles:
            n += 1
            handle = f"{'.'.join(labels)}{n}{suffix}"
        self.handles.add(handle)
        return handle

    def _post_id(self, author_id: str, ms: int) -> str:
        return at_uri(author_id, POST, tid(ms * 1000 + self.seq % 1000, self.seq // 1000))

    def _list(self, theme: Theme, slots: list[_Slot], accounts: list[Account]) -> ListInfo:
        info = super()._list(theme, slots, accounts)
        if theme.private:  # a Bluesky list is public: the demo's private ones are kept on this machine
            return replace(info, id=LOCAL_LIST_PREFIX + info.id.rsplit("/", 1)[-1], kept_here=True)
        return replace(info, private=False)

    def _list_id(self) -> str:
        ms = max(self.launch_ms, self.now_ms - self.rng.randint(30 * _DAY, 600 * _DAY))
        return at_uri(self.me.id, LIST, tid(ms * 1000 + self.rng.randint(0, 999), self.rng.randint(0, 1023)))


def _fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters (so as many graphemes), after a whole sentence if one fits."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 2 else cut.rstrip() + "…"


def _bluesky_words(text: str) -> str:
    """X's words in a demo text, in Bluesky's ("hello twitter" -> "hello bluesky")."""
    for x_word, bluesky_word in _WORDS:
        text = text.replace(x_word, bluesky_word)
    return text


_WORDS = (("X says 160", "Bluesky says 256"), ("twitter", "bluesky"), ("tweet", "post"))
