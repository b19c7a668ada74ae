"""The triage view of the store: which accounts are in which pane, in what order, and why.

Everything here runs in worker threads (the queries are O(N) over the cache); the UI only receives the
resulting ID lists and asks for one account at a time when it paints a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Lock

from followtui.domain.filters import Order, Query, accepts, parse
from followtui.domain.models import Account, AccountState, Decision, ListInfo, Relationship
from followtui.domain.queues import Pane, haystack, in_new_followers, in_unfollow_candidates
from followtui.domain.signals import ConversationIndex, Rules, Signal, SignalKind, evaluate
from followtui.store import Store


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
        self.reload()

    def reload(self) -> None:
        """Forget derived data; call after the graph changed (a sync or the demo reset)."""
        me = self.store.me()
        since = self.clock() - timedelta(days=self.rules.conversation_days)
        conversations = (
            ConversationIndex.build(me.id, self.store.mentions(), self.store.my_posts(), since)
            if me
            else ConversationIndex()
        )
        with self._lock:
            self._conversations = conversations
            self._signals.clear()
            self._haystacks.clear()

    # -- one account ------------------------------------------------------------------------------

    def account(self, account_id: str) -> Account | None:
        return self.store.account(account_id)

    def relationship(self, account_id: str) -> Relationship | None:
        return self.store.relationship(account_id)

    def signals(self, account_id: str) -> list[Signal]:
        """The account's signals (cached until ``reload``)."""
        cached = self._signals.get(account_id)
        if cached is not None:
            return cached
        account = self.store.account(account_id)
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
        query = parse(filter_text)
        if query.left:
            return self._left(query, filter_text, order)
        now = self.clock()
        decisions = self.store.decisions()
        seen: dict[str, datetime | None] = {}
        for rel in self.store.relationships():
            if in_new_followers(rel, decisions.get(rel.account_id), now):
                seen[rel.account_id] = rel.follower_first_seen
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
        for rel in self.store.relationships():
            if not rel.following:
                continue
            signals = self.signals(rel.account_id)
            if in_unfollow_candidates(rel, decisions.get(rel.account_id), signals, now, self.rules):
                seen[rel.account_id] = rel.following_first_seen
        ids = self._ordered(seen, order)
        return PaneResult(Pane.UNFOLLOW, self._filter(ids, parse(filter_text)), len(ids), filter_text)

    def list_members(self, list_id: str, filter_text: str = "", order: Order = Order.NAME) -> PaneResult:
        info = self.store.list_info(list_id)
        ids = self._ordered(dict.fromkeys(info.member_ids if info else ()), order)
        return PaneResult(Pane.LISTS, self._filter(ids, parse(filter_text)), len(ids), filter_text, list_id)

    def lists(self) -> list[ListInfo]:
        return sorted(self.store.lists(), key=lambda info: info.name.casefold())

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
            ids.sort(key=lambda i: (_sort_name(self.store.account(i)), i))
        return ids

    def _talk(self, account_id: str) -> float:
        return max((s.strength for s in self.signals(account_id) if s.kind is SignalKind.CONVERSATION), default=0.0)

    def _filter(self, ids: Iterable[str], query: Query) -> list[str]:
        if query.empty:
            return list(ids)
        notes = self.store.notes()
        out = []
        for account_id in ids:
            text = self._haystacks.get(account_id)
            if text is None:
                doc = self.store.account_doc(account_id)
                text = haystack(doc) if doc else ""
                self._haystacks[account_id] = text
            note = notes.get(account_id)
            doc = self.store.account_doc(account_id) if query.states else None
            if accepts(
                query,
                text,
                signals=self.signals(account_id) if query.needs_signals else (),
                note=note.text if note else "",
                tags=note.tags if note else (),
                state=AccountState((doc or {}).get("state") or AccountState.ACTIVE),
            ):
                out.append(account_id)
        return out


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _sort_name(account: Account | None) -> str:
    return (account.username if account else "").casefold()
