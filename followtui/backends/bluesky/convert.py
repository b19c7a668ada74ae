"""AT Protocol JSON (profile views, feed items, notifications, lists) to domain objects. Pure, no I/O.

The DID is the account's ID; the handle is only its name. What a view does not carry stays unknown: an account
known only from a ``profileView`` (no counts) is made with ``hydrated=False``, so nothing judges it on zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from followtui.domain.models import AccountState, ListInfo, Post, VerifiedType, format_time, parse_time

Json = Mapping[str, Any]
CURATE_LIST = "app.bsky.graph.defs#curatelist"
CONVERSATION_REASONS = ("reply", "mention", "quote")


def account_doc(view: Json) -> dict[str, Any]:
    """A ``profileView`` or ``profileViewDetailed`` as an ``Account.to_doc()`` document.

    Only a detailed view (it has ``followersCount``) counts as hydrated: a plain view lacks the counts, which stay
    None (unknown, never zero), as does the listed count Bluesky has not got.
    """
    detailed = "followersCount" in view
    verification = view.get("verification") or {}
    return {
        "id": str(view["did"]),
        "username": str(view.get("handle") or ""),
        "name": str(view.get("displayName") or ""),
        "description": str(view.get("description") or ""),
        "location": "",
        "url": str(view.get("website") or ""),
        "created_at": _time(view.get("createdAt")),
        "profile_image_url": str(view.get("avatar") or ""),
        "protected": False,
        "verified": verification.get("verifiedStatus") == "valid",
        "verified_type": str(VerifiedType.NONE),
        "public_metrics": {
            "followers_count": _int(view.get("followersCount")),
            "following_count": _int(view.get("followsCount")),
            "tweet_count": _int(view.get("postsCount")),
            "listed_count": None,  # Bluesky has no such count
        },
        "most_recent_tweet_id": None,
        "state": str(AccountState.ACTIVE),
        "posts": [],
        "hydrated": detailed,
    }


def following_uri(view: Json) -> str | None:
    """The URI of the user's follow record for this account (``viewer.following``), if the view says."""
    value = (view.get("viewer") or {}).get("following")
    return str(value) if value else None


def post(view: Json) -> Post | None:
    """A ``postView`` as a Post (ID: its AT URI), or None when its record is not a post."""
    record = view.get("record") or {}
    author = (view.get("author") or {}).get("did")
    if not author or not view.get("uri") or not isinstance(record, Mapping):
        return None
    return record_post(str(view["uri"]), str(author), record)


def record_post(uri: str, author_id: str, record: Json, *, about: str | None = None) -> Post:
    """An ``app.bsky.feed.post`` record as a Post; ``about`` (a DID) is added to the mentions (a notification)."""
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
    mentioned = list(dict.fromkeys(_mentions(record.get("facets") or ())))
    if about and about not in mentioned and did_of(parent) != about:
        mentioned.append(about)
    return Post(
        id=uri,
        author_id=author_id,
        text=str(record.get("text") or ""),
        created_at=parse_time(record.get("createdAt")),
        in_reply_to_user_id=did_of(parent),
        mentioned_ids=tuple(mentioned),
    )


def feed_posts(body: Json, author_id: str) -> list[Post]:
    """The account's own posts in a ``getAuthorFeed`` answer (reposts of others' posts left out)."""
    out: list[Post] = []
    for item in body.get("feed") or ():
        view = item.get("post") or {}
        if (view.get("author") or {}).get("did") != author_id:
            continue
        found = post(view)
        if found is not None:
            out.append(found)
    return out


def notification_posts(body: Json, me_id: str) -> list[Post]:
    """Replies, mentions and quotes of the user, from a ``listNotifications`` answer."""
    out: list[Post] = []
    for item in body.get("notifications") or ():
        record = item.get("record")
        author = (item.get("author") or {}).get("did")
        if item.get("reason") not in CONVERSATION_REASONS or not isinstance(record, Mapping) or not author:
            continue
        out.append(record_post(str(item["uri"]), str(author), record, about=me_id))
    return out


def list_info(view: Json) -> ListInfo:
    """A ``listView`` as a ListInfo (ID: its AT URI). Bluesky lists are public."""
    return ListInfo(
        id=str(view["uri"]),
        name=str(view.get("name") or ""),
        description=str(view.get("description") or ""),
        private=False,
    )


def did_of(uri: object) -> str | None:
    """The repository DID of an ``at://did/collection/rkey`` URI."""
    if not isinstance(uri, str) or not uri.startswith("at://did:"):
        return None
    return uri[5:].split("/", 1)[0]


def rkey_of(uri: str) -> str:
    """The record key (last segment) of an AT URI."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _mentions(facets: Iterable[Json]) -> Iterable[str]:
    for facet in facets:
        for feature in facet.get("features") or ():
            if feature.get("$type") == "app.bsky.richtext.facet#mention" and feature.get("did"):
                yield str(feature["did"])


def _time(value: object) -> str | None:
    parsed = parse_time(value) if isinstance(value, str) else None
    return format_time(parsed) if parsed else None


def _int(value: object) -> int | None:
    """A count the view has, or None when it lacks it (a plain ``profileView``): unknown, never zero."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
