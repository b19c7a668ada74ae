"""X API v2 JSON (users, posts, lists, partial errors) to domain objects. Pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from followtui.domain.models import (
    Account,
    AccountState,
    ListInfo,
    Post,
    VerifiedType,
    format_time,
    opt_int,
    parse_time,
)
from followtui.domain.text import one_line

USER_FIELDS = (
    "created_at",
    "description",
    "entities",
    "location",
    "most_recent_tweet_id",
    "pinned_tweet_id",
    "profile_image_url",
    "protected",
    "public_metrics",
    "url",
    "verified",
    "verified_type",
)
TWEET_FIELDS = ("author_id", "conversation_id", "created_at", "entities", "in_reply_to_user_id", "referenced_tweets")
LIST_FIELDS = ("description", "member_count", "private")

_VERIFIED_TYPES = {str(v) for v in VerifiedType}
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", re.ASCII)  # X's form, and format_time's

Json = Mapping[str, Any]


def account(user: Json) -> Account:
    """A v2 user object as an Account; a missing or odd field is unknown (None) or its default, never fails."""
    return Account.from_doc(account_doc(user))


def account_doc(user: Json) -> dict[str, Any]:
    """A v2 user object as the document ``account(user).to_doc()`` gives, made straight from the JSON."""
    metrics = user.get("public_metrics")
    verified_type = str(user.get("verified_type") or VerifiedType.NONE)
    return {
        "id": str(user["id"]),
        "username": str(user.get("username") or ""),
        "name": str(user.get("name") or ""),
        "description": str(user.get("description") or ""),
        "location": str(user.get("location") or ""),
        "url": _expanded_url(user),
        "created_at": _time(user.get("created_at")),
        "profile_image_url": _opt_str(user.get("profile_image_url")),
        "protected": bool(user.get("protected", False)),
        "verified": bool(user.get("verified", False)),
        "verified_type": verified_type if verified_type in _VERIFIED_TYPES else str(VerifiedType.NONE),
        "public_metrics": _metrics(metrics) if isinstance(metrics, Mapping) else None,
        "most_recent_tweet_id": _opt_str(user.get("most_recent_tweet_id")),
        "state": str(AccountState.ACTIVE),
        "posts": [],
        "hydrated": True,
    }


def post(tweet: Json) -> Post:
    """A v2 post object as a Post (the mentioned IDs come from ``entities.mentions``)."""
    mentions = (tweet.get("entities") or {}).get("mentions") or ()
    return Post(
        id=str(tweet["id"]),
        author_id=str(tweet.get("author_id") or ""),
        text=str(tweet.get("text") or ""),
        created_at=parse_time(tweet.get("created_at")),
        in_reply_to_user_id=_opt_str(tweet.get("in_reply_to_user_id")),
        mentioned_ids=tuple(str(m["id"]) for m in mentions if isinstance(m, Mapping) and m.get("id")),
    )


def list_info(item: Json) -> ListInfo:
    return ListInfo(
        id=str(item["id"]),
        name=str(item.get("name") or ""),
        description=str(item.get("description") or ""),
        private=bool(item.get("private", False)),
    )


def account_docs(body: Json) -> list[dict[str, Any]]:
    """The users of an answer as account documents (``account_doc``)."""
    return [account_doc(u) for u in _data_list(body)]


def posts(body: Json) -> list[Post]:
    return [post(t) for t in _data_list(body)]


def gone(errors: Iterable[Json]) -> dict[str, AccountState]:
    """Accounts a 200 answer named in its ``errors`` array: suspended, or deleted (not found).

    Errors about accounts the user may not see (protected, or blocking the user) are not "gone" and are left out.
    """
    out: dict[str, AccountState] = {}
    for error in errors:
        if not isinstance(error, Mapping) or error.get("resource_type", "user") != "user":
            continue
        resource = _opt_str(error.get("resource_id") or error.get("value"))
        if resource is None:
            continue
        detail = str(error.get("detail") or "").lower()
        kind = str(error.get("type") or "")
        if "suspended" in detail:
            out[resource] = AccountState.SUSPENDED
        elif "could not find" in detail or kind.endswith("/resource-not-found"):
            out[resource] = AccountState.DELETED
    return out


def hidden(errors: Iterable[Json]) -> dict[str, str]:
    """Accounts a 200 answer named as not visible to the user (protected, or blocking the user), with X's words.

    X says so with the problem type ``not-authorized-for-resource`` (title "Authorization Error", detail "Sorry,
    you are not authorized to see the user with id: [...]"): such an account exists, and may be visible later.
    """
    out: dict[str, str] = {}
    for error in errors:
        if not isinstance(error, Mapping) or error.get("resource_type", "user") != "user":
            continue
        resource = _opt_str(error.get("resource_id") or error.get("value"))
        kind = str(error.get("type") or "")
        detail = str(error.get("detail") or "")
        if resource is not None and (kind.endswith("/not-authorized-for-resource") or "not authorized" in detail):
            out[resource] = one_line(detail or str(error.get("title") or "not authorized"), 200)
    return out


def next_token(body: Json) -> str | None:
    return _opt_str((body.get("meta") or {}).get("next_token"))


def _data_list(body: Json) -> list[Json]:
    data = body.get("data")
    if data is None:
        return []
    items = data if isinstance(data, list) else [data]
    return [d for d in items if isinstance(d, (dict, Mapping)) and "id" in d]  # dict first: no ABC check for it


def _expanded_url(user: Json) -> str:
    """The real target of the profile link (``url`` is a t.co link; ``entities.url`` has the expanded one)."""
    entities = user.get("entities")
    urls = ((entities.get("url") or {}).get("urls") or ()) if entities else ()
    for item in urls:
        if isinstance(item, Mapping) and item.get("expanded_url"):
            return str(item["expanded_url"])
    return str(user.get("url") or "")


def _time(value: object) -> str | None:
    """A timestamp as ``format_time`` writes it (X's own form is kept as it is), or None if it is not one."""
    if not isinstance(value, str):
        return None
    parsed = parse_time(value)
    if parsed is None:
        return None
    return value if _CANONICAL_TIME.fullmatch(value) else format_time(parsed)


def _metrics(metrics: Json) -> dict[str, int | None]:
    """``public_metrics`` with each count X sent; one it left out is None (not known), never 0."""
    return {key: opt_int(metrics.get(key)) for key in _METRICS}


_METRICS = ("followers_count", "following_count", "tweet_count", "listed_count")


def _opt_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
