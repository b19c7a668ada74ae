"""The triage view of the store: which accounts are in which pane, in what order, and why.

Everything here runs in worker threads (the queries are O(N) over the cache); the UI only receives the
resulting ID lists and asks for one account at a time when it paints a row.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any

from followtui.domain.conversation import Exchange, Exchanges
from followtui.domain.filters import Order, Query, accepts, parse, resolve
from followtui.domain.models import Account, AccountState, Decision, DecisionKind, ListInfo, Post, Relationship
from followtui.domain.notes import Note
from followtui.domain.queues import Pane, haystack, in_unfollow_candidates
from followtui.domain.signals import ConversationIndex, Rules, Signal, SignalKind, evaluate
from followtui.domain.suggest import Profile, Suggestion, suggest
from followtui.domain.text import name_key
from followtui.store import Store


class MatrixScope(enum.StrEnum):
    """Whose rows the list matrix shows."""

    FOLLOWING = "following"  # the accounts the user follows
    FOLLOWERS = "followers"
    EVERYONE = "everyone"  # followers, following and every member of the user's lists


@dataclass(frozen=True, slots=True)
class PaneResult:
    """One pane's queue: account IDs in display order (after the filter) and the unfiltered size."""

    pane: Pane
    ids: list[str]
    total: int
    filter_text: str = ""
    list_id: str | None = None


class Triage:
    """Pane queries and explanations over a ``Store``; thread-safe, no Textual."""

    def __init__(self, store: Store, clock: Callable[[], datetime], rules: Rules | None = None) -> None:
        self.store = store
        self.clock = clock
        self.rules = rules or Rules()
        self._lock = Lock()
        self._signals: dict[str, list[Signal]] = {}
        self._haystacks: dict[str, str] = {}
        self._conversations = ConversationIndex()
        self._exchanges = Exchanges()
        # posts read outside a sync (``services.posts``), for accounts whose cached ones are none
        self.more_posts: Callable[[str], tuple[Post, ...] | None] = lambda _account_id: None
        self.reload()

    # -- the graph's loading (a start-up reads only its head) --------------------------------------------

    def in_head(self, account_ids: Iterable[str]) -> bool:
        """Whether reading these accounts needs no parse of the full graph."""
        return self.store.in_head(account_ids)

    def load_graph(self) -> None:
        """Parse the full graph now if only its head was read (blocking: from a worker)."""
        self.store.load_graph()

    @property
    def graph_loaded(self) -> bool:
        return self.store.graph_loaded

    def reload(self) -> None:
        """Forget derived data; call after the graph changed (a sync or the demo reset)."""
        me = self.store.me()
        since = self.clock() - timedelta(days=self.rules.conversation_days)
        mentions, my_posts = self.store.mentions(), self.store.my_posts()
        conversations = ConversationIndex.build(me.id, mentions, my_posts, since) if me else ConversationIndex()
        exchanges = Exchanges.build(me.id, mentions, my_posts) if me else Exchanges()
        with self._lock:
            self._conversations = conversations
            self._exchanges = exchanges
            self._signals.clear()
            self._haystacks.clear()

    # -- one account ------------------------------------------------------------------------------

    def account(self, account_id: str) -> Account | None:
        account = self.store.account(account_id)
        if account is not None and not account.posts and (posts := self.more_posts(account_id)):
            return replace(account, posts=posts)
        return account

    def cached_account(self, account_id: str) -> Account | None:
        """The account as the cache has it, without the posts read on demand."""
        return self.store.account(account_id)

    def last_sync(self) -> datetime | None:
        return self.store.sync_info().last_sync

    def forget(self, account_id: str) -> None:
        """Drop the account's cached signals (its posts were just read)."""
        with self._lock:
            self._signals.pop(account_id, None)

    def relationship(self, account_id: str) -> Relationship | None:
        return self.store.relationship(account_id)

    def signals(self, account_id: str) -> list[Signal]:
        """The account's signals (cached until ``reload``)."""
        cached = self._signals.get(account_id)
        if cached is not None:
            return cached
        account = self.account(account_id)
        if account is None:
            return []
        found = evaluate(
            account,
            self.store.relationship(account_id),
            self._conversations.get(account_id),
            self.clock(),
            self.rules,
        )
        with self._lock:
            self._signals[account_id] = found
        return found

    def exchanges(self, account_id: str) -> tuple[Exchange, ...]:
        """The last exchanges between the user and the account, newest first (from the stored mentions)."""
        return self._exchanges.of(account_id)

    def last_talked(self, account_id: str) -> datetime | None:
        return self._exchanges.last_talked(account_id)

    def is_new(self, account_id: str) -> bool:
        """They started following the user after the first sync (so: since the user started using followtui)."""
        rel = self.store.relationship(account_id)
        since = self.store.sync_info().new_since
        return bool(rel and rel.follower and rel.follower_first_seen and since and rel.follower_first_seen > since)

    def reasons(self, account_id: str, pane: Pane) -> list[str]:
        """Plain sentences saying why the account is in ``pane``."""
        rel = self.store.relationship(account_id)
        out: list[str] = []
        if pane is Pane.NEW_FOLLOWERS and rel and rel.left and rel.follower_last_seen:
            account = self.store.account(account_id)
            if account is not None and account.state is not AccountState.ACTIVE:  # it unfollowed nobody: it is gone
                out.append(f"Followed you until {rel.follower_last_seen:%Y-%m-%d}, then left {account.network_name}.")
            else:
                out.append(f"Left: stopped following you after {rel.follower_last_seen:%Y-%m-%d}.")
        if pane is Pane.NEW_FOLLOWERS and rel and rel.follower:
            since = rel.follower_first_seen
            if self.is_new(account_id) and rel.follower_first_seen:
                out.append(f"New: started following you around {rel.follower_first_seen:%Y-%m-%d}.")
            elif since and since == self.store.sync_info().first_sync:
                out.append(f"Followed you before your first sync ({since:%Y-%m-%d}); you do not follow back.")
            elif since:
                out.append(f"Has followed you since {since:%Y-%m-%d}; you do not follow back.")
            decision = self.store.decision(account_id)
            if decision and not decision.active(self.clock()):
                out.append("Back from a snooze.")
        signals = self.signals(account_id)
        if pane is Pane.UNFOLLOW:  # the concerns first: they are why the account is here
            signals = sorted(signals, key=lambda s: not self.rules.concerning(s))
        return out + [s.sentence for s in signals]

    # -- queues -----------------------------------------------------------------------------------

    def new_followers(self, filter_text: str = "", order: Order = Order.NEWEST) -> PaneResult:
        """Followers the user does not follow and has not decided about (newest first by default).

        With ``is:left`` in the filter: the people who stopped following the user instead, latest first.
        """
        query = self.parse_filter(filter_text)
        if query.left:
            return self._left(query, filter_text, order)
        now = self.clock()
        decisions = self.store.decisions()
        # the graph's one-way followers, newest first, computed once per snapshot: no objects per query
        base = self.store.one_way_followers()
        decided = {i for i, d in decisions.items() if d.active(now)}  # an expired snooze counts as undecided
        if decided:
            base = [i for i in base if i not in decided]
        if order in (Order.NEWEST, Order.OLDEST):
            ids = list(base) if order is Order.NEWEST else base[::-1]
        else:
            seen: dict[str, datetime | None] = {}
            for account_id in base:
                rel = self.store.relationship(account_id)
                seen[account_id] = rel.follower_first_seen if rel else None
            ids = self._ordered(seen, order)
        return PaneResult(Pane.NEW_FOLLOWERS, self._filter(ids, query), len(ids), filter_text)

    def _left(self, query: Query, filter_text: str, order: Order) -> PaneResult:
        seen = {rel.account_id: rel.follower_last_seen for rel in self.store.relationships() if rel.left}
        ids = self._ordered(seen, order)
        return PaneResult(Pane.NEW_FOLLOWERS, self._filter(ids, query), len(ids), filter_text)

    def unfollow_candidates(self, filter_text: str = "", order: Order = Order.CONCERN) -> PaneResult:
        """Accounts the user follows that carry a concerning signal (most concerning first by default)."""
        now = self.clock()
        decisions = self.store.decisions()
        seen: dict[str, datetime | None] = {}
        for account_id in sorted(self.store.followed()):
            rel = self.store.relationship(account_id)
            if rel is None or not rel.following:
                continue
            signals = self.signals(rel.account_id)
            if in_unfollow_candidates(rel, decisions.get(rel.account_id), signals, now, self.rules):
                seen[rel.account_id] = rel.following_first_seen
        ids = self._ordered(seen, order)
        return PaneResult(Pane.UNFOLLOW, self._filter(ids, self.parse_filter(filter_text)), len(ids), filter_text)

    def list_members(self, list_id: str, filter_text: str = "", order: Order = Order.NAME) -> PaneResult:
        info = self.store.list_info(list_id)
        ids = self._ordered(dict.fromkeys(info.member_ids if info else ()), order)
        query = self.parse_filter(filter_text)
        return PaneResult(Pane.LISTS, self._filter(ids, query), len(ids), filter_text, list_id)

    def lists(self) -> list[ListInfo]:
        return sorted(self.store.lists(), key=lambda info: info.name.casefold())

    def parse_filter(self, filter_text: str) -> Query:
        """The filter with its list names matched to the user's lists (``unknown`` holds the ones that match none)."""
        return resolve(parse(filter_text), self.store.lists())

    # -- lists ------------------------------------------------------------------------------------

    def matrix(
        self, scope: MatrixScope = MatrixScope.FOLLOWING, filter_text: str = "", order: Order = Order.NAME
    ) -> PaneResult:
        """The rows of the list matrix: the accounts in ``scope``, filtered and ordered."""
        seen: dict[str, datetime | None] = {}
        for rel in self.store.relationships():
            if scope is MatrixScope.FOLLOWING and rel.following:
                seen[rel.account_id] = rel.following_first_seen
            elif scope is MatrixScope.FOLLOWERS and rel.follower:
                seen[rel.account_id] = rel.follower_first_seen
            elif scope is MatrixScope.EVERYONE and (rel.following or rel.follower):
                times = [t for t in (rel.following_first_seen, rel.follower_first_seen) if t is not None]
                seen[rel.account_id] = max(times, default=None)
        if scope is MatrixScope.EVERYONE:
            for info in self.store.lists():
                for member in info.member_ids:
                    seen.setdefault(member, None)
        ids = self._ordered(seen, order)
        return PaneResult(Pane.LISTS, self._filter(ids, self.parse_filter(filter_text)), len(ids), filter_text)

    def memberships(self, account_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """The IDs of the user's lists each account is on (an empty set for none)."""
        wanted = set(account_ids)
        found: dict[str, set[str]] = {}
        for info in self.store.lists():
            for member in wanted.intersection(info.member_ids):
                found.setdefault(member, set()).add(info.id)
        return {account_id: frozenset(found.get(account_id, ())) for account_id in wanted}

    def suggestions(self) -> list[Suggestion]:
        """Lists to make (or fill) by place and by topic, largest first, over the accounts the user follows
        and the followers the user decided to follow back."""
        people = {rel.account_id for rel in self.store.relationships() if rel.following}
        people.update(a for a, d in self.store.decisions().items() if d.kind is DecisionKind.FOLLOW)
        profiles = []
        for account_id in sorted(people):
            doc = self.store.account_doc(account_id)
            if doc is not None:
                profiles.append(Profile(account_id, str(doc.get("location") or ""), str(doc.get("description") or "")))
        return suggest(profiles, self.store.lists())

    def decision(self, account_id: str) -> Decision | None:
        return self.store.decision(account_id)

    def _ordered(self, seen: dict[str, datetime | None], order: Order) -> list[str]:
        """The IDs in ``order``; ``seen`` maps each to the time that "newest" and "oldest" go by."""
        ids = list(seen)
        if order in (Order.NEWEST, Order.OLDEST):
            ids.sort(key=lambda i: (seen[i] or _EPOCH, i), reverse=order is Order.NEWEST)
        elif order is Order.TALK:
            ids.sort(key=lambda i: (-self._talk(i), -(seen[i] or _EPOCH).timestamp(), i))
        elif order is Order.CONCERN:
            ids.sort(key=lambda i: (sum(s.strength for s in self.signals(i)), i))
        else:
            ids.sort(key=lambda i: (_sort_name(self.store.account_doc(i)), i))
        return ids

    def _talk(self, account_id: str) -> float:
        return max((s.strength for s in self.signals(account_id) if s.kind is SignalKind.CONVERSATION), default=0.0)

    def warm(self) -> None:
        """Build the search index and the followed accounts' signals now (a worker calls this after the first
        page is shown), so the first ``/`` filter and the first switch to Unfollow do not pay for them."""
        self.store.warm_search()
        for account_id in sorted(self.store.followed()):
            self.signals(account_id)

    def _haystack(self, account_id: str) -> str:
        text = self._haystacks.get(account_id)
        if text is None:
            doc = self.store.account_doc(account_id)
            text = self._haystacks[account_id] = haystack(doc) if doc else ""
        return text

    def _filter(self, ids: Iterable[str], query: Query) -> list[str]:
        if query.empty:
            return list(ids)
        notes = self.store.notes()
        needs_doc = bool(query.states) or query.muted is not None
        if query.words and not (query.tags or needs_doc or query.needs_signals or query.needs_lists):
            return self._filter_words(ids, query.words, notes)
        on_lists = _member_map(self.store.lists()) if query.needs_lists else {}
        out = []
        for account_id in ids:
            text = self._haystacks.get(account_id) if query.words else ""  # only words search the text
            if text is None:
                doc = self.store.account_doc(account_id)
                text = haystack(doc) if doc else ""
                self._haystacks[account_id] = text
            note = notes.get(account_id)
            doc = self.store.account_doc(account_id) if needs_doc else None
            if accepts(
                query,
                text,
                signals=self.signals(account_id) if query.needs_signals else (),
                note=note.text if note else "",
                tags=note.tags if note else (),
                state=AccountState((doc or {}).get("state") or AccountState.ACTIVE),
                memberships=on_lists.get(account_id, _NO_LISTS),
                muted=bool((doc or {}).get("muted")),
            ):
                out.append(account_id)
        return out

    def _filter_words(self, ids: Iterable[str], words: tuple[str, ...], notes: Mapping[str, Note]) -> list[str]:
        """The common filter, plain words: the store's search index, plus the notes (they are few)."""
        found = self.store.search(words)
        for account_id, note in notes.items():
            if account_id not in found:
                text, note_text = self._haystack(account_id), note.text.casefold()
                if all(word in text or word in note_text for word in words):
                    found.add(account_id)
        return [i for i in ids if i in found]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_LISTS: frozenset[str] = frozenset()


def _member_map(lists: Iterable[ListInfo]) -> dict[str, set[str]]:
    """Account ID -> the IDs of the lists it is on: built once per query, not per account."""
    out: dict[str, set[str]] = {}
    for info in lists:
        for member in info.member_ids:
            out.setdefault(member, set()).add(info.id)
    return out


def _sort_name(doc: Mapping[str, Any] | None) -> tuple[str, str]:
    """The display name to sort by (the handle without one), then the handle, from the stored document (building
    an ``Account`` per row is slow); case and accents ignored: "émile" sorts with "Emile", before "Zoë"."""
    doc = doc or {}
    handle = str(doc.get("username") or "")
    return name_key(str(doc.get("name") or "") or handle), name_key(handle)
