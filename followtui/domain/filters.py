"""The ``/`` filter language and the pane orders. Pure: no store, no UI.

A filter is words and tokens, all of which must hold:

- ``word``: in the handle, name, bio, location or the user's private note (case-insensitive);
- ``#tag``: the user's note carries that tag;
- ``is:egg`` / ``not:brand``: a signal is there or not (``is:`` takes a signal's name or its badge: ``egg``,
  ``brand``, ``check-ins``, ``quiet``, ``newcomer``, ``talks``, ``bait``, ``bot``, ``protected``, ``gone``, ...);
- ``is:left``: people who stopped following you (on the new-followers pane); with ``is:suspended`` or
  ``is:deleted``, only the accounts X no longer serves for that reason.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from followtui.domain.models import AccountState
from followtui.domain.signals import Signal, SignalKind

_K = SignalKind
ALIASES: dict[str, SignalKind] = {
    **{kind.value: kind for kind in SignalKind},
    "talks": _K.CONVERSATION,
    "talk": _K.CONVERSATION,
    "conversation": _K.CONVERSATION,
    "new": _K.NEWCOMER,
    "newcomer": _K.NEWCOMER,
    "brand": _K.ORGANISATION,
    "org": _K.ORGANISATION,
    "organization": _K.ORGANISATION,
    "checkins": _K.CHECKIN,
    "check-ins": _K.CHECKIN,
    "check-in": _K.CHECKIN,
    "quiet": _K.INACTIVE,
    "bait": _K.FOLLOW_BAIT,
    "follow-bait": _K.FOLLOW_BAIT,
    "bot": _K.HIGH_VOLUME,
    "bot?": _K.HIGH_VOLUME,
    "automated": _K.HIGH_VOLUME,
    "not-mutual": _K.NOT_FOLLOWING_BACK,
    "one-way": _K.NOT_FOLLOWING_BACK,
}
STATES = {"suspended": AccountState.SUSPENDED, "deleted": AccountState.DELETED}


@dataclass(frozen=True, slots=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    want: frozenset[SignalKind] = frozenset()
    unwanted: frozenset[SignalKind] = frozenset()
    states: frozenset[AccountState] = frozenset()
    left: bool = False
    unknown: tuple[str, ...] = ()  # tokens that name no signal: the UI says so

    @property
    def empty(self) -> bool:
        return not (self.words or self.tags or self.want or self.unwanted or self.states or self.left)

    @property
    def needs_signals(self) -> bool:
        return bool(self.want or self.unwanted)


def parse(text: str) -> Query:
    words: list[str] = []
    tags: list[str] = []
    want: set[SignalKind] = set()
    unwanted: set[SignalKind] = set()
    states: set[AccountState] = set()
    left = False
    unknown: list[str] = []
    for token in text.casefold().split():
        negative = token.startswith(("not:", "-is:"))
        if token.startswith(("is:", "not:", "-is:")):
            name = token.split(":", 1)[1]
            if name == "left" and not negative:
                left = True
            elif name in STATES and not negative:
                states.add(STATES[name])
            elif name in ALIASES:
                (unwanted if negative else want).add(ALIASES[name])
            else:
                unknown.append(token)
        elif token.startswith("#") and len(token) > 1:
            tags.append(token[1:])
        else:
            words.append(token)
    return Query(
        tuple(words), tuple(tags), frozenset(want), frozenset(unwanted), frozenset(states), left, tuple(unknown)
    )


def accepts(
    query: Query,
    text: str,
    *,
    signals: Iterable[Signal] = (),
    note: str = "",
    tags: Iterable[str] = (),
    state: AccountState = AccountState.ACTIVE,
) -> bool:
    """Whether an account passes the filter; ``text`` is its lower-cased searchable text."""
    if query.states and state not in query.states:
        return False
    if query.words:
        note = note.casefold()
        if not all(word in text or word in note for word in query.words):
            return False
    if query.tags and not set(query.tags) <= set(tags):
        return False
    if query.needs_signals:
        kinds = {s.kind for s in signals}
        if not query.want <= kinds or query.unwanted & kinds:
            return False
    return True


class Order(enum.StrEnum):
    """How a pane is sorted (``S`` cycles). Never by follower count."""

    NEWEST = "newest first"
    OLDEST = "oldest first"
    TALK = "conversations first"
    CONCERN = "most concerning first"
    NAME = "by name"


ORDERS = tuple(Order)
