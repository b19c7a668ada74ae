"""Graph records as positional rows: how accounts, posts and relationships are held in memory and in ``graph.jsonl``.

A document (``Account.to_doc()``) is a dict of 17 keys with a nested dict and a list of dicts; at 100,000 accounts
those containers cost more memory than the text they hold. A row is a list of the values in a fixed field order
(``Layout``), with the metrics and the posts as lists too: about two thirds of the memory. Documents are made from
rows only when asked for (``account_doc``); the layout is written in the file's header, so a file written with
other fields is read by name (``Layout.adapt``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from followtui.domain.queues import SEARCH_FIELDS

Doc = dict[str, Any]
Row = list[Any]

ACCOUNT_FIELDS = (
    "id",
    "username",
    "name",
    "description",
    "location",
    "url",
    "created_at",
    "profile_image_url",
    "protected",
    "verified",
    "verified_type",
    "public_metrics",
    "most_recent_tweet_id",
    "state",
    "posts",
    "hydrated",
    "muted",
)
METRIC_FIELDS = ("followers_count", "following_count", "tweet_count", "listed_count")
POST_FIELDS = ("id", "author_id", "text", "created_at", "in_reply_to_user_id", "mentioned_ids")
RELATIONSHIP_FIELDS = (
    "account_id",
    "follower",
    "following",
    "follower_first_seen",
    "follower_last_seen",
    "following_first_seen",
    "following_last_seen",
)
_ONLY_WHEN_SET = frozenset({"muted"})  # ``Account.to_doc`` writes these keys only when true

# where the readers of rows look (checked against the layout at import time)
A_ID, A_POSTS = ACCOUNT_FIELDS.index("id"), ACCOUNT_FIELDS.index("posts")
A_METRICS, A_STATE = ACCOUNT_FIELDS.index("public_metrics"), ACCOUNT_FIELDS.index("state")
A_MUTED = ACCOUNT_FIELDS.index("muted")
R_FOLLOWER, R_FOLLOWING = RELATIONSHIP_FIELDS.index("follower"), RELATIONSHIP_FIELDS.index("following")
R_FOLLOWER_FIRST_SEEN = RELATIONSHIP_FIELDS.index("follower_first_seen")
SEARCH_COLUMNS = tuple(ACCOUNT_FIELDS.index(f) for f in SEARCH_FIELDS)


def post_row(doc: Mapping[str, Any]) -> Row:
    return list(map(doc.get, POST_FIELDS))


def post_doc(row: Sequence[Any], fields: Sequence[str] = POST_FIELDS) -> Doc:
    return dict(zip(fields, row, strict=True))


def account_row(doc: Mapping[str, Any]) -> Row:
    """The row of an ``Account.to_doc()`` document."""
    row = list(map(doc.get, ACCOUNT_FIELDS))  # map: the loop runs in C (100,000 rows per sync)
    metrics = row[A_METRICS]
    if metrics is not None:
        row[A_METRICS] = list(map(metrics.get, METRIC_FIELDS))
    posts = row[A_POSTS]
    row[A_POSTS] = [post_row(p) for p in posts] if posts else []
    return row


def account_doc(row: Sequence[Any]) -> Doc:
    """The document a row was made from (a fresh dict the caller may keep)."""
    doc = dict(zip(ACCOUNT_FIELDS, row, strict=True))
    metrics = doc["public_metrics"]
    if metrics is not None:
        doc["public_metrics"] = dict(zip(METRIC_FIELDS, metrics, strict=True))
    doc["posts"] = [post_doc(p) for p in doc["posts"] or ()]
    for key in _ONLY_WHEN_SET:
        if not doc[key]:
            del doc[key]
    return doc


def relationship_row(doc: Mapping[str, Any]) -> Row:
    return list(map(doc.get, RELATIONSHIP_FIELDS))


def relationship_doc(row: Sequence[Any]) -> Doc:
    return dict(zip(RELATIONSHIP_FIELDS, row, strict=True))


@dataclass(frozen=True)
class Layout:
    """The field names a file's rows were written with (its header's ``fields``)."""

    account: tuple[str, ...] = ACCOUNT_FIELDS
    metrics: tuple[str, ...] = METRIC_FIELDS
    post: tuple[str, ...] = POST_FIELDS
    relationship: tuple[str, ...] = RELATIONSHIP_FIELDS

    def to_doc(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in vars(self).items()}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Layout:
        def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
            value = doc.get(key, default)
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"bad field list for {key!r}: {value!r}")
            return tuple(value)

        return cls(
            names("account", ACCOUNT_FIELDS),
            names("metrics", METRIC_FIELDS),
            names("post", POST_FIELDS),
            names("relationship", RELATIONSHIP_FIELDS),
        )

    @property
    def current(self) -> bool:
        return self == Layout()

    def adapt(self) -> tuple[Callable[[Row], Row], Callable[[Row], Row], Callable[[Row], Row]]:
        """Functions that turn this layout's account, relationship and post rows into the current layout's."""
        if self.current:
            return _sized(len(ACCOUNT_FIELDS)), _sized(len(RELATIONSHIP_FIELDS)), _sized(len(POST_FIELDS))

        def post(row: Row) -> Row:
            return post_row(dict(zip(self.post, row, strict=True)))

        def account(row: Row) -> Row:
            doc = dict(zip(self.account, row, strict=True))
            if isinstance(doc.get("public_metrics"), list):
                doc["public_metrics"] = dict(zip(self.metrics, doc["public_metrics"], strict=True))
            doc["posts"] = [dict(zip(self.post, p, strict=True)) for p in doc.get("posts") or ()]
            return account_row(doc)

        def relationship(row: Row) -> Row:
            return relationship_row(dict(zip(self.relationship, row, strict=True)))

        return account, relationship, post


def _sized(size: int) -> Callable[[Row], Row]:
    def check(row: Row) -> Row:
        if not isinstance(row, list) or len(row) != size:
            raise ValueError(f"expected a row of {size} values, got {row!r:.80}")
        return row

    return check
