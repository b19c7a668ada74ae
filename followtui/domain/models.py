"""Plain data types shared by every layer.

Timestamps are timezone-aware UTC ``datetime`` objects in the domain and ISO-8601 strings on disk;
``parse_time`` / ``format_time`` convert between them.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

DEFAULT_AVATAR_MARK = "/default_profile_images/"
_T = TypeVar("_T", bound="DataclassInstance")


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO-8601 timestamp (X's ``2013-12-14T04:35:55.000Z`` form included)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=4096)  # a sync writes the same few "seen" times for every relationship
def format_time(value: datetime) -> str:
    """Format a timestamp the way X does: UTC with milliseconds and a ``Z``."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def snowflake_time(post_id: str | None) -> datetime | None:
    """The creation time encoded in an X snowflake ID, or None for a non-snowflake."""
    if not post_id or not post_id.isdigit():
        return None
    ms = (int(post_id) >> 22) + 1288834974657
    if ms <= 1288834974657:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def post_order(post: Post) -> tuple[datetime, int, str]:
    """A sort key for posts, oldest first: by time, then by ID (an X snowflake by its number, an AT URI by its text:
    a Bluesky post's ID says nothing of its order)."""
    return (post.created_at or _EPOCH, int(post.id) if post.id.isdigit() else 0, post.id)


LOCAL_LIST_PREFIX = "local-"
FIRST_SYNC = "first_sync"  # SyncInfo.extra key


class AccountState(enum.StrEnum):
    """Whether the API still serves the account."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"
    DEACTIVATED = "deactivated"  # Bluesky: turned off by its owner, may come back


_STATES: dict[object, AccountState] = {str(state): state for state in AccountState}


class VerifiedType(enum.StrEnum):
    NONE = "none"
    BLUE = "blue"
    BUSINESS = "business"
    GOVERNMENT = "government"


@dataclass(frozen=True, slots=True)
class Post:
    """One post (tweet) by an account."""

    id: str
    author_id: str
    text: str
    created_at: datetime | None = None
    in_reply_to_user_id: str | None = None
    mentioned_ids: tuple[str, ...] = ()

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Post:
        return cls(
            id=str(doc["id"]),
            author_id=str(doc.get("author_id", "")),
            text=str(doc.get("text", "")),
            created_at=parse_time(doc.get("created_at")),
            in_reply_to_user_id=_opt_str(doc.get("in_reply_to_user_id")),
            mentioned_ids=tuple(str(m) for m in doc.get("mentioned_ids", ())),
        )

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author_id": self.author_id,
            "text": self.text,
            "created_at": format_time(self.created_at) if self.created_at else None,
            "in_reply_to_user_id": self.in_reply_to_user_id,
            "mentioned_ids": list(self.mentioned_ids),
        }


@dataclass(frozen=True, slots=True)
class Account:
    """An X account as the cache knows it (a v2 user object plus what the app derived).

    A field X did not send (``public_metrics`` and its counts, ``created_at``, ``profile_image_url``,
    ``most_recent_tweet_id``) is None: not known, which is not zero, and no signal is drawn from it. A Bluesky
    account (its ID a DID) has ``profile_image_url`` "" when it has no avatar.
    """

    id: str
    username: str
    name: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    created_at: datetime | None = None
    profile_image_url: str | None = None
    protected: bool = False
    verified: bool = False
    verified_type: str = VerifiedType.NONE
    followers_count: int | None = None
    following_count: int | None = None
    tweet_count: int | None = None
    listed_count: int | None = None
    most_recent_tweet_id: str | None = None
    state: AccountState = AccountState.ACTIVE
    posts: tuple[Post, ...] = ()
    hydrated: bool = True  # False: known only by its ID (from a data archive) until looked up
    muted: bool = False  # muted on X (from a data archive); on disk only when true

    @property
    def default_avatar(self) -> bool:
        """No picture of their own: X's default one, as its URL says, or none at all ("", how Bluesky says it).

        An unknown picture (None) is not a default one.
        """
        url = self.profile_image_url
        return url is not None and (url == "" or DEFAULT_AVATAR_MARK in url)

    @property
    def last_post_at(self) -> datetime | None:
        """The newest post time known, from the recent posts or ``most_recent_tweet_id``."""
        times = [p.created_at for p in self.posts if p.created_at]
        snow = snowflake_time(self.most_recent_tweet_id)
        if snow:
            times.append(snow)
        return max(times) if times else None

    @property
    def on_bluesky(self) -> bool:
        """A Bluesky account: its ID is a DID (an X ID is a number)."""
        return self.id.startswith("did:")

    @property
    def network_name(self) -> str:
        """The network the account is on, as messages name it: "Bluesky" or "X"."""
        return "Bluesky" if self.on_bluesky else "X"

    @property
    def profile_url(self) -> str:
        """The profile on the web: on bsky.app for a Bluesky account (its ID is a DID), else on x.com."""
        if self.on_bluesky:
            return f"https://bsky.app/profile/{self.username or self.id}"
        if self.username:
            return f"https://x.com/{self.username}"
        return f"https://x.com/i/user/{self.id}"

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Account:
        metrics = doc.get("public_metrics")
        if not isinstance(metrics, dict):
            metrics = {}
        posts = doc.get("posts")
        state = doc.get("state")
        return _new_account(  # every field, in order (``_slot_filler``)
            str(doc["id"]),
            str(doc.get("username") or ""),
            str(doc.get("name") or ""),
            str(doc.get("description") or ""),
            str(doc.get("location") or ""),
            str(doc.get("url") or ""),
            parse_time(doc.get("created_at")),
            _known_str(doc.get("profile_image_url")),
            bool(doc.get("protected", False)),
            bool(doc.get("verified", False)),
            str(doc.get("verified_type") or VerifiedType.NONE),
            opt_int(metrics.get("followers_count")),
            opt_int(metrics.get("following_count")),
            opt_int(metrics.get("tweet_count")),
            opt_int(metrics.get("listed_count")),
            _opt_str(doc.get("most_recent_tweet_id")),
            _STATES.get(state) or AccountState(state or AccountState.ACTIVE),
            tuple(Post.from_doc(p) for p in posts) if posts else (),
            bool(doc.get("hydrated", True)),
            bool(doc.get("muted", False)),
        )

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "description": self.description,
            "location": self.location,
            "url": self.url,
            "created_at": format_time(self.created_at) if self.created_at else None,
            "profile_image_url": self.profile_image_url,
            "protected": self.protected,
            "verified": self.verified,
            "verified_type": str(self.verified_type),
            "public_metrics": self.metrics_doc(),
            "most_recent_tweet_id": self.most_recent_tweet_id,
            "state": str(self.state),
            "posts": [p.to_doc() for p in self.posts],
            "hydrated": self.hydrated,
        }
        if self.muted:
            doc["muted"] = True
        return doc

    def metrics_doc(self) -> dict[str, int | None] | None:
        """``public_metrics`` as X sends it; None when no count is known (an account known by its ID only)."""
        counts = (self.followers_count, self.following_count, self.tweet_count, self.listed_count)
        if all(c is None for c in counts):
            return None
        return dict(zip(("followers_count", "following_count", "tweet_count", "listed_count"), counts, strict=True))


def _slot_filler(cls: type[_T]) -> Callable[..., _T]:
    """A constructor for a frozen slots dataclass taking every field, positionally, in order, with no defaults.

    It fills the slots directly. A frozen dataclass's own ``__init__`` calls ``object.__setattr__`` for each
    field: for ``Account``'s 20 that is most of the time of building one (the sync and the cache build 100,000).
    """
    setters = tuple(getattr(cls, f.name).__set__ for f in fields(cls))
    new = object.__new__

    def make(*values: Any) -> _T:
        if len(values) != len(setters):
            raise TypeError(f"{cls.__name__} takes {len(setters)} values, not {len(values)}")
        obj = new(cls)
        for set_slot, value in zip(setters, values, strict=False):  # the lengths are checked above
            set_slot(obj, value)
        return obj

    return make


_new_account = _slot_filler(Account)


@dataclass(frozen=True, slots=True)
class Relationship:
    """How an account relates to the user, with when each side was first and last seen by a sync."""

    account_id: str
    follower: bool = False
    following: bool = False
    follower_first_seen: datetime | None = None
    follower_last_seen: datetime | None = None
    following_first_seen: datetime | None = None
    following_last_seen: datetime | None = None

    @property
    def mutual(self) -> bool:
        return self.follower and self.following

    @property
    def left(self) -> bool:
        """They followed the user once and no longer do."""
        return not self.follower and self.follower_first_seen is not None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Relationship:
        return cls(
            account_id=str(doc["account_id"]),
            follower=bool(doc.get("follower", False)),
            following=bool(doc.get("following", False)),
            follower_first_seen=_seen_time(doc.get("follower_first_seen")),
            follower_last_seen=_seen_time(doc.get("follower_last_seen")),
            following_first_seen=_seen_time(doc.get("following_first_seen")),
            following_last_seen=_seen_time(doc.get("following_last_seen")),
        )

    def to_doc(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "follower": self.follower,
            "following": self.following,
            "follower_first_seen": _seen_text(self.follower_first_seen),
            "follower_last_seen": _seen_text(self.follower_last_seen),
            "following_first_seen": _seen_text(self.following_first_seen),
            "following_last_seen": _seen_text(self.following_last_seen),
        }


# The times relationships were seen are the few times syncs ran: each is parsed and formatted once.
_seen_time = functools.lru_cache(maxsize=4096)(parse_time)


@functools.lru_cache(maxsize=4096)
def _seen_text(value: datetime | None) -> str | None:
    return format_time(value) if value else None


@dataclass(frozen=True, slots=True)
class ListInfo:
    """A list the user owns, with its member IDs (a list not yet created on X has a ``local-`` ID).

    ``refused`` holds X's words when the last sync could not read the members (a 403 or 404): the members are then
    the ones the cache had, and unknown for now.

    ``kept_here``: the list lives on this machine only and nothing about it is sent (on Bluesky, whose lists are
    public, a new list is kept here until the user publishes it). Such a list always has a ``local-`` ID; a
    ``local-`` list that is not kept here is one waiting for the network to create it (the default, for the lists
    of caches written before this field).
    """

    id: str
    name: str
    description: str = ""
    private: bool = True
    member_ids: tuple[str, ...] = ()
    refused: str = ""
    kept_here: bool = False

    @property
    def local(self) -> bool:
        """Created here and not yet on X (kept here, or waiting to be created)."""
        return self.id.startswith(LOCAL_LIST_PREFIX)

    @property
    def visibility(self) -> str:
        """Who can see it, in a word or two: ``here only``, ``private`` (on X) or ``public``."""
        if self.kept_here:
            return "here only"
        return "private" if self.private else "public"

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ListInfo:
        return cls(
            id=str(doc["id"]),
            name=str(doc.get("name") or ""),
            description=str(doc.get("description") or ""),
            private=bool(doc.get("private", True)),
            member_ids=tuple(str(m) for m in doc.get("member_ids") or ()),
            refused=str(doc.get("refused") or ""),
            kept_here=doc.get("kept_here") is True,
        )

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "private": self.private,
            "member_ids": list(self.member_ids),
        }
        if self.refused:
            doc["refused"] = self.refused
        if self.kept_here:
            doc["kept_here"] = True
        return doc


class DecisionKind(enum.StrEnum):
    """What the user decided about an account."""

    FOLLOW = "follow"  # follow back
    SKIP = "skip"  # decided not to follow back
    SNOOZE = "snooze"  # wait a bit: comes back after ``until``
    UNFOLLOW = "unfollow"
    KEEP = "keep"  # pinned: never suggest unfollowing, and never unfollowed without an override
    NEVER = "never"  # never follow: never followed without an override

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS = {
    DecisionKind.FOLLOW: "follow back",
    DecisionKind.SKIP: "skipped",
    DecisionKind.SNOOZE: "waiting",
    DecisionKind.UNFOLLOW: "unfollow",
    DecisionKind.KEEP: "kept",
    DecisionKind.NEVER: "never follow",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """The user's current decision about one account."""

    account_id: str
    kind: DecisionKind
    decided_at: datetime
    seq: int
    until: datetime | None = None  # snooze end

    def active(self, now: datetime) -> bool:
        """A snooze stops counting once it has expired; every other decision stands."""
        return self.kind is not DecisionKind.SNOOZE or (self.until is not None and self.until > now)


class Op(enum.StrEnum):
    """An API call waiting in the outbox."""

    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    LIST_ADD = "list_add"
    LIST_REMOVE = "list_remove"
    LIST_CREATE = "list_create"  # account_id is "": the list (name, description, private) is in the store
    LIST_UPDATE = "list_update"  # account_id is "": sends the list's name and description as they are at send time
    LIST_DELETE = "list_delete"  # account_id is "": the list is gone from the store; ``detail`` keeps its name


class OutboxState(enum.StrEnum):
    PENDING = "pending"  # not yet sent, or waiting for a retry
    DONE = "done"
    FAILED = "failed"  # refused: kept, visible, retryable
    MANUAL = "manual"  # the API refused; the user is to do it by hand
    CANCELLED = "cancelled"  # undone before it was sent
    BY_HAND = "by_hand"  # the user did it on x.com; the next sync confirms it (then DONE)
    REQUESTED = "requested"  # a follow X holds as a request (a protected account); the next sync confirms or drops it


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One API call the app owes the user's account."""

    id: str
    op: Op
    account_id: str
    created_at: datetime
    state: OutboxState = OutboxState.PENDING
    list_id: str | None = None
    attempts: int = 0
    not_before: datetime | None = None
    error: str = ""
    decision_seq: int | None = None
    attempted_at: datetime | None = None  # the last time it was sent (for pacing and daily caps)
    override: bool = False  # made with an override: sent even if the account is kept / never-follow meanwhile
    detail: str = ""  # what the outbox shows besides the op (a deleted list's name)

    @property
    def open(self) -> bool:
        """Still owed: pending, or failed and waiting for the user to retry."""
        return self.state in (OutboxState.PENDING, OutboxState.FAILED)


@dataclass(frozen=True, slots=True)
class Me:
    """The signed-in (or demo) user."""

    id: str
    username: str
    name: str = ""
    followers_count: int = 0  # as X last said (0 when unknown)
    following_count: int = 0

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Me:
        return cls(
            id=str(doc["id"]),
            username=str(doc.get("username") or ""),
            name=str(doc.get("name") or ""),
            followers_count=int(doc.get("followers_count") or 0),
            following_count=int(doc.get("following_count") or 0),
        )

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "followers_count": self.followers_count,
            "following_count": self.following_count,
        }


@dataclass(slots=True)
class SyncInfo:
    """What the app knows about the last sync."""

    last_sync: datetime | None = None
    previous_sync: datetime | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def first_sync(self) -> datetime | None:
        """When the first sync ran: everyone seen then was already there ("new" means seen after it)."""
        return parse_time(self.extra.get(FIRST_SYNC)) if isinstance(self.extra.get(FIRST_SYNC), str) else None

    @property
    def new_since(self) -> datetime | None:
        """Followers first seen after this are new to the user (until decided about)."""
        return self.first_sync or self.previous_sync


def _opt_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _known_str(value: object) -> str | None:
    """A text field where "" is known to be empty (no avatar) and only a missing value is unknown."""
    return None if value is None else str(value)


def opt_int(value: object) -> int | None:
    """A count as stored or sent, or None when it is missing or not a number (unknown, not zero)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None
