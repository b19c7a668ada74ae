"""The exchanges between the user and each account: their posts to the user, the user's replies to them. Pure.

Built once per graph (``Exchanges.build``, O(mentions + own posts)) from the mentions and own posts a sync
stores for the conversation signal; the detail panel shows an account's last few, and its row when they last
talked. Unlike the signal, no time window applies: an old conversation is still worth seeing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from followtui.domain.models import Post

KEEP_PER_ACCOUNT = 6


@dataclass(frozen=True, slots=True)
class Exchange:
    """One post of a conversation: theirs (to the user) or the user's (to them)."""

    post: Post
    mine: bool

    @property
    def when(self) -> datetime | None:
        return self.post.created_at


@dataclass(slots=True)
class Exchanges:
    """Each account's exchanges with the user, newest first (at most ``KEEP_PER_ACCOUNT``)."""

    by_account: dict[str, tuple[Exchange, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, me_id: str, mentions: Iterable[Post], my_posts: Iterable[Post]) -> Exchanges:
        found: dict[str, list[Exchange]] = {}
        for post in mentions:
            if (
                post.author_id
                and post.author_id != me_id
                and (me_id in post.mentioned_ids or post.in_reply_to_user_id == me_id)
            ):
                found.setdefault(post.author_id, []).append(Exchange(post, mine=False))
        for post in my_posts:
            targets = set(post.mentioned_ids)
            if post.in_reply_to_user_id:
                targets.add(post.in_reply_to_user_id)
            targets.discard(me_id)
            for target in targets:
                found.setdefault(target, []).append(Exchange(post, mine=True))
        return cls({account_id: _newest(items) for account_id, items in found.items()})

    def of(self, account_id: str) -> tuple[Exchange, ...]:
        return self.by_account.get(account_id, ())

    def last_talked(self, account_id: str) -> datetime | None:
        """When the newest exchange with the account was posted (None when none is known)."""
        items = self.by_account.get(account_id)
        return items[0].when if items else None


def _newest(items: list[Exchange]) -> tuple[Exchange, ...]:
    unique = {(x.post.id, x.mine): x for x in items}.values()
    ordered = sorted(unique, key=lambda x: (x.when is not None, x.when or datetime.min, x.post.id), reverse=True)
    return tuple(ordered[:KEEP_PER_ACCOUNT])
