"""Which account belongs in which pane: the queue rules, pure and testable."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from followtui.domain.models import Decision, DecisionKind, Relationship
from followtui.domain.signals import CONVERSATION_KEEPS, DEFAULT_RULES, Rules, Signal, SignalKind


class Pane(enum.StrEnum):
    NEW_FOLLOWERS = "new"
    LISTS = "lists"
    UNFOLLOW = "unfollow"

    @property
    def heading(self) -> str:
        return _TITLES[self]


_TITLES = {
    Pane.NEW_FOLLOWERS: "New followers",
    Pane.LISTS: "Lists",
    Pane.UNFOLLOW: "Unfollow candidates",
}


def in_unfollow_candidates(
    relationship: Relationship,
    decision: Decision | None,
    signals: Iterable[Signal],
    now: datetime,
    rules: Rules = DEFAULT_RULES,
) -> bool:
    """Someone the user follows, not kept or already unfollowed, with a concerning signal (by ``rules``) and no
    conversation strong enough to keep them."""
    if not relationship.following:
        return False
    if decision is not None and decision.active(now) and decision.kind in _SETTLED_FOLLOWING:
        return False
    signals = list(signals)
    if any(s.kind is SignalKind.CONVERSATION and s.strength >= CONVERSATION_KEEPS for s in signals):
        return False
    return any(rules.concerning(s) for s in signals)


_SETTLED_FOLLOWING = (DecisionKind.KEEP, DecisionKind.UNFOLLOW, DecisionKind.SNOOZE, DecisionKind.SKIP)

SEARCH_FIELDS = ("username", "name", "description", "location")


def haystack(doc: Mapping[str, Any]) -> str:
    """The lower-cased text a ``/`` filter searches: handle, name, bio and location."""
    return search_text(doc.get(f) for f in SEARCH_FIELDS)


def search_text(values: Iterable[object]) -> str:
    """``haystack`` from the values of ``SEARCH_FIELDS``, in that order."""
    return "\n".join(str(v or "") for v in values).casefold()
