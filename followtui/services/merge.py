"""Fold what a sync fetched into the previous snapshot: who is new, who left, who is gone. Pure, no I/O.

The result depends only on the previous snapshot and the fetched data (and the sync's start time), so merging
the same sync twice, as a resumed sync may after a crash between its two file writes, gives the same graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from followtui.domain.models import (
    Account,
    AccountState,
    ListInfo,
    Me,
    Op,
    OutboxEntry,
    OutboxState,
    Post,
    Relationship,
    post_order,
)

KEEP_CONVERSATION_POSTS = 800  # mentions and own posts kept across syncs (X serves at most 800 mentions)


@dataclass(slots=True)
class Fetched:
    """Everything one sync read from the API, in the API's order (newest first)."""

    me: Me
    followers: list[str] = field(default_factory=list)
    following: list[str] = field(default_factory=list)
    accounts: dict[str, Account] = field(default_factory=dict)
    gone: dict[str, AccountState] = field(default_factory=dict)
    following_gone: set[str] = field(default_factory=set)  # named gone by the following pages: still followed
    posts: dict[str, tuple[Post, ...]] = field(default_factory=dict)
    lists: list[ListInfo] = field(default_factory=list)
    mentions: list[Post] = field(default_factory=list)
    my_posts: list[Post] = field(default_factory=list)
    mutes_known: bool = False  # the accounts' muted flags are the truth (an archive); X's API does not tell


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous snapshot (empty lists on a first sync)."""

    first_sync: bool
    new_followers: tuple[str, ...] = ()
    left: tuple[str, ...] = ()  # stopped following the user, still on X
    suspended: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    followed: tuple[str, ...] = ()  # the user started following (here or elsewhere)
    unfollowed: tuple[str, ...] = ()

    def summary(self, me: Me, counts: tuple[int, int, int], first: str) -> list[str]:
        """The start of a sync's or an import's summary: the followers, following and lists ``counts``, then what
        changed (``first`` on a first sync or import)."""
        followers, following, lists = counts
        parts = [f"@{me.username}: {followers:,} followers, {following:,} following, {lists} lists"]
        if self.first_sync:
            parts.append(first)
        else:
            parts.append(
                f"{len(self.new_followers):,} new followers, {len(self.left):,} left, "
                f"{len(self.suspended):,} suspended, {len(self.deleted):,} deleted"
            )
        return parts


class PreviousAccounts(Protocol):
    """The previous snapshot's accounts, read on demand (the ``Store`` is one).

    A sync of 100,000 followers fetches them all again: the merge builds only the previous accounts it keeps as
    they were, or whose posts or state it carries over, not 100,000 objects to throw away.
    """

    def account_ids(self) -> Sequence[str]: ...

    def account(self, account_id: str) -> Account | None: ...

    def account_ids_with_posts(self) -> Collection[str]: ...

    def muted_account_ids(self) -> Collection[str]: ...

    def inactive_account_ids(self) -> Collection[str]: ...


@dataclass(frozen=True, slots=True)
class Merged:
    accounts: list[Account]
    relationships: list[Relationship]
    mentions: list[Post]
    my_posts: list[Post]
    changes: Changes


def merge(
    *,
    previous_accounts: PreviousAccounts,
    previous_relationships: Iterable[Relationship],
    previous_mentions: Sequence[Post],
    previous_my_posts: Sequence[Post],
    fetched: Fetched,
    seen_at: datetime,
    first_sync: bool,
) -> Merged:
    """The new graph: every account known before or fetched now, with each relationship's first/last seen.

    A follower who vanished because the account is suspended or deleted is no longer a follower (the account's
    state tells them apart from people who left); a followed account that vanished that way stays followed.
    """
    previous = previous_accounts
    was_gone = set(previous.inactive_account_ids())
    with_posts = previous.account_ids_with_posts()
    keep_muted = set() if fetched.mutes_known else set(previous.muted_account_ids())
    old_rels: dict[str, Relationship] = {r.account_id: r for r in previous_relationships}
    followers = set(fetched.followers)
    following = set(fetched.following)

    changed: dict[str, Account] = {}  # fetched now, or changed by what was fetched; the rest stays as it was
    for account_id, account in fetched.accounts.items():
        posts = fetched.posts.get(account_id)
        if posts is None:  # keep the posts read before (only those accounts are built)
            old = previous.account(account_id) if account_id in with_posts else None
            posts = old.posts if old else ()
        muted = account.muted or account_id in keep_muted  # a sync cannot see mutes: they stay as they were
        same = posts == account.posts and muted == account.muted
        changed[account_id] = account if same else replace(account, posts=posts, muted=muted)
    for account_id, posts in fetched.posts.items():
        if account_id not in fetched.accounts and (old := previous.account(account_id)) is not None:
            changed[account_id] = replace(old, posts=posts)
    for account_id, state in fetched.gone.items():
        old = changed.get(account_id) or previous.account(account_id)
        changed[account_id] = replace(old, state=state) if old else Account(account_id, "", state=state)
    kept = (changed.pop(i, None) or previous.account(i) for i in previous.account_ids())  # in the old order
    accounts = {a.id: a for a in kept if a is not None}
    accounts.update(changed)  # the new ones, in the order they were fetched

    relationships: list[Relationship] = []
    following_gone = fetched.following_gone
    for account_id in sorted(old_rels.keys() | followers | following | following_gone):
        old_rel = old_rels.get(account_id)
        if old_rel is None:  # new to the graph (everyone on a first sync): the sides it has start now
            followed = account_id in following or account_id in following_gone
            relationships.append(_new_relationship(account_id, account_id in followers, followed, seen_at))
            continue
        rel = _relationship(old_rel, account_id in followers, account_id in following, seen_at)
        if account_id in following_gone and not old_rel.following:
            rel = replace(rel, following=True, following_first_seen=seen_at, following_last_seen=seen_at)
        elif old_rel.following and not rel.following and account_id in fetched.gone:
            # X hides suspended and deactivated accounts from the list, but the user still follows them
            # (they come back if reinstated): keep that side as it was, so they can be unfollowed.
            rel = replace(
                rel,
                following=True,
                following_first_seen=old_rel.following_first_seen,
                following_last_seen=old_rel.following_last_seen,
            )
        if rel.follower or rel.following or rel.follower_first_seen or rel.following_first_seen:
            relationships.append(rel)

    changes = _changes(old_rels, fetched, accounts, was_gone, first_sync)
    return Merged(
        accounts=list(accounts.values()),
        relationships=relationships,
        mentions=_newest(previous_mentions, fetched.mentions),
        my_posts=_newest(previous_my_posts, fetched.my_posts),
        changes=changes,
    )


def with_follows_since(following: Sequence[str], entries: Iterable[OutboxEntry], since: datetime) -> list[str]:
    """The followed IDs a sync read, with the follows and unfollows X did after the sync started.

    The sync may have read the following pages before such a call went through: without this, a follow made in
    the app during a sync would look undone until the next one (and an unfollow would look undone too). For each
    account the newest such call wins; calls not sent yet change nothing (X does not show them, and the decision
    and its outbox entry stand until they are sent).
    """
    latest: dict[str, Op] = {}
    for entry in entries:  # creation order: a newer call replaces an older one
        sent_since = entry.attempted_at is not None and entry.attempted_at >= since
        if entry.op in (Op.FOLLOW, Op.UNFOLLOW) and entry.state is OutboxState.DONE and sent_since:
            latest[entry.account_id] = entry.op
    if not latest:
        return list(following)
    followed = [i for i, op in latest.items() if op is Op.FOLLOW and i not in set(following)]
    unfollowed = {i for i, op in latest.items() if op is Op.UNFOLLOW}
    return followed + [i for i in following if i not in unfollowed]


def _new_relationship(account_id: str, follower: bool, following: bool, seen_at: datetime) -> Relationship:
    """A relationship seen for the first time: each side it has starts now (positional: 100,000 at a time)."""
    follower_seen = seen_at if follower else None
    following_seen = seen_at if following else None
    return Relationship(account_id, follower, following, follower_seen, follower_seen, following_seen, following_seen)


def _relationship(old: Relationship, follower: bool, following: bool, seen_at: datetime) -> Relationship:
    """Each side keeps its first-seen time while it lasts; a side that comes back starts again."""
    follower_first, follower_last = old.follower_first_seen, old.follower_last_seen
    if follower:
        follower_first = follower_first if old.follower and follower_first else seen_at
        follower_last = seen_at
    following_first, following_last = old.following_first_seen, old.following_last_seen
    if following:
        following_first = following_first if old.following and following_first else seen_at
        following_last = seen_at
    return Relationship(
        old.account_id, follower, following, follower_first, follower_last, following_first, following_last
    )


def _changes(
    old: Mapping[str, Relationship],
    fetched: Fetched,
    accounts: Mapping[str, Account],
    was_gone: set[str],
    first_sync: bool,
) -> Changes:
    if first_sync:
        return Changes(first_sync=True)
    followers = set(fetched.followers)
    following = set(fetched.following)
    was_follower = {i for i, r in old.items() if r.follower}
    was_following = {i for i, r in old.items() if r.following}
    vanished = ((was_follower - followers) | (was_following - following)) - was_gone

    def state(account_id: str) -> AccountState:
        account = accounts.get(account_id)
        return account.state if account else AccountState.ACTIVE

    return Changes(
        first_sync=False,
        new_followers=tuple(i for i in fetched.followers if i not in was_follower),
        left=tuple(sorted(i for i in was_follower - followers if state(i) is AccountState.ACTIVE)),
        suspended=tuple(sorted(i for i in vanished if state(i) is AccountState.SUSPENDED)),
        deleted=tuple(sorted(i for i in vanished if state(i) is AccountState.DELETED)),
        followed=tuple(i for i in fetched.following if i not in was_following),
        unfollowed=tuple(sorted(i for i in was_following - following if state(i) is AccountState.ACTIVE)),
    )


def _newest(previous: Iterable[Post], fetched: Iterable[Post]) -> list[Post]:
    by_id = {p.id: p for p in previous}
    by_id.update((p.id, p) for p in fetched)
    return sorted(by_id.values(), key=post_order, reverse=True)[:KEEP_CONVERSATION_POSTS]


def changes_from_doc(doc: Mapping[str, Any]) -> Changes:
    """``Changes`` from the dict a journal recorded (``dataclasses.asdict`` of one)."""

    def ids(name: str) -> tuple[str, ...]:
        return tuple(str(i) for i in doc.get(name) or ())

    return Changes(
        first_sync=bool(doc.get("first_sync")),
        new_followers=ids("new_followers"),
        left=ids("left"),
        suspended=ids("suspended"),
        deleted=ids("deleted"),
        followed=ids("followed"),
        unfollowed=ids("unfollowed"),
    )
