"""The decisions as a history (newest first, filterable), who is snoozed and when they come back, and how many
accounts were triaged today. Queries are O(decisions): run them in a worker; ``Progress.count`` is O(1)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from followtui import gcpolicy
from followtui.domain.models import Decision, DecisionKind
from followtui.store.store import Store

# the words that filter by kind: each kind's own name, its key's name and its label
KIND_WORDS: dict[str, DecisionKind] = {
    **{kind.value: kind for kind in DecisionKind},
    "wait": DecisionKind.SNOOZE,
    "waiting": DecisionKind.SNOOZE,
    "snoozed": DecisionKind.SNOOZE,
    "pin": DecisionKind.KEEP,
    "pinned": DecisionKind.KEEP,
    "kept": DecisionKind.KEEP,
    "skipped": DecisionKind.SKIP,
}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One decision; ``current`` when it is the account's standing one (else a later one replaced it)."""

    decision: Decision
    current: bool

    @property
    def key(self) -> str:
        """A unique key for the row (decision sequence numbers are never reused)."""
        return str(self.decision.seq)


class Progress:
    """The accounts whose current decision was made today (local time), kept up to date as decisions change."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._day: datetime | None = None
        self._today: set[str] = set()

    def seed(self) -> int:
        """Count from the store (O(decisions), once a day: call it from a worker); the count."""
        start = _midnight(self.clock())
        with self._lock:
            if self._day == start:
                return len(self._today)
        today = {a for a, d in self.store.decisions().items() if d.decided_at >= start}
        with self._lock:
            self._day, self._today = start, today
            return len(today)

    def count(self) -> int | None:
        """Triaged today, or None until ``seed`` has counted today's (O(1))."""
        with self._lock:
            return len(self._today) if self._day == _midnight(self.clock()) else None

    def changed(self, account_ids: Iterable[str]) -> None:
        """These accounts' decisions changed (decided, undone): recount them (O(len))."""
        with self._lock:
            if self._day is None:
                return
            for account_id in account_ids:
                decision = self.store.decision(account_id)
                if decision is not None and decision.decided_at >= self._day:
                    self._today.add(account_id)
                else:
                    self._today.discard(account_id)


class History:
    """Read the decisions as a history, and the snoozes."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.progress = Progress(store, clock)

    def decisions(self, needle: str = "") -> list[HistoryRow]:
        """Every stored decision (current and replaced), newest first, narrowed by ``needle`` (see ``_matcher``)."""
        accepts = self._matcher(needle)
        with gcpolicy.paused():  # 100,000s of small objects: no collector passes while they are made
            rows = [HistoryRow(d, current) for d, current in self.store.all_decisions() if accepts(d)]
            rows.sort(key=lambda row: row.decision.seq, reverse=True)
        return rows

    def snoozed(self, needle: str = "") -> list[HistoryRow]:
        """The standing snoozes, the soonest back first (an expired one is back in its queue already)."""
        accepts = self._matcher(needle)
        rows = [
            HistoryRow(d, True) for d in self.store.decisions().values() if d.kind is DecisionKind.SNOOZE and accepts(d)
        ]
        rows.sort(key=lambda row: (row.decision.until or row.decision.decided_at, row.decision.seq))
        return rows

    def eligible(self, account_id: str, kind: DecisionKind) -> bool:
        """Whether ``kind`` makes sense for the account: follow only whom you do not follow, unfollow and pin only
        whom you do, skip and never only whom you do not follow; wait always."""
        rel = self.store.relationship(account_id)
        following = bool(rel and rel.following)
        if kind in (DecisionKind.UNFOLLOW, DecisionKind.KEEP):
            return following
        if kind in (DecisionKind.FOLLOW, DecisionKind.SKIP, DecisionKind.NEVER):
            return not following
        return True

    def _matcher(self, needle: str) -> Callable[[Decision], bool]:
        """Words naming a kind (``skip``, ``wait``, ``pin``…) keep that kind; other words are searched in the
        handle, name, bio and location (the store's text index); every word must match."""
        words = needle.casefold().split()
        kinds = {KIND_WORDS[w] for w in words if w in KIND_WORDS}
        text = [w.lstrip("@") for w in words if w not in KIND_WORDS]
        found = self.store.search(text) if text else None
        if len(kinds) > 1:
            return lambda _d: False
        return lambda d: (not kinds or d.kind in kinds) and (found is None or d.account_id in found)


def _midnight(now: datetime) -> datetime:
    """The start of ``now``'s day in local time."""
    return now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
