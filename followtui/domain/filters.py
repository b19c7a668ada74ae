"""The ``/`` filter language and the pane orders. Pure: no store, no UI.

A filter is words and tokens, all of which must hold:

- ``word``: in the handle, name, bio, location or the user's private note (case-insensitive);
- ``#tag``: the user's note carries that tag;
- ``is:egg`` / ``not:brand``: a signal is there or not (``is:`` takes a signal's name or its badge: ``egg``,
  ``brand``, ``check-ins``, ``quiet``, ``newcomer``, ``talks``, ``bait``, ``bot``, ``protected``, ``gone``, ...);
- ``is:left``: people who stopped following you (on the new-followers pane); with ``is:suspended`` or
  ``is:deleted``, only the accounts X no longer serves for that reason;
- ``is:muted`` / ``not:muted``: muted on X or not (known from a data archive);
- ``is:unlisted`` / ``is:listed``: on none of the user's lists, or on at least one; ``list:NAME`` / ``not:list:NAME``:
  on the list so named, or not (case-insensitive; ``list:"Berlin tech"`` for a name with spaces). List names
  are matched by ``resolve``, given the user's lists; a name no list has is reported in ``unknown``.

``"two words"`` in quotes is searched as one phrase.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from followtui.domain.models import AccountState, ListInfo
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
LISTED = {"listed": True, "unlisted": False}  # is:listed, is:unlisted (not: flips them)
_TOKEN = re.compile(r'(?:[^\s"]+|"[^"]*"?)+')  # words, with "quoted phrases" kept whole


@dataclass(frozen=True, slots=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    want: frozenset[SignalKind] = frozenset()
    unwanted: frozenset[SignalKind] = frozenset()
    states: frozenset[AccountState] = frozenset()
    left: bool = False
    unknown: tuple[str, ...] = ()  # tokens that name no signal (or, once resolved, no list): the UI says so
    listed: bool | None = None  # is:listed (True), is:unlisted (False)
    lists: tuple[str, ...] = ()  # list:NAME, casefolded: on a list so named (each one)
    not_lists: tuple[str, ...] = ()  # not:list:NAME: on no list so named
    on_lists: tuple[frozenset[str], ...] = ()  # ``resolve``: per name in ``lists``, the IDs of the lists so named
    off_lists: frozenset[str] = frozenset()  # ``resolve``: the IDs of the lists named in ``not_lists``
    muted: bool | None = None  # is:muted (True), not:muted (False)

    @property
    def empty(self) -> bool:
        return not (
            self.words
            or self.tags
            or self.want
            or self.unwanted
            or self.states
            or self.left
            or self.needs_lists
            or self.muted is not None
        )

    @property
    def needs_signals(self) -> bool:
        return bool(self.want or self.unwanted)

    @property
    def needs_lists(self) -> bool:
        """The filter asks about list membership: ``accepts`` then needs ``memberships``."""
        return self.listed is not None or bool(self.lists or self.not_lists)


def parse(text: str) -> Query:
    words: list[str] = []
    tags: list[str] = []
    want: set[SignalKind] = set()
    unwanted: set[SignalKind] = set()
    states: set[AccountState] = set()
    left = False
    unknown: list[str] = []
    listed: bool | None = None
    lists: list[str] = []
    not_lists: list[str] = []
    muted: bool | None = None
    for token in _TOKEN.findall(text.casefold()):
        negative = token.startswith(("not:", "-is:", "-list:"))
        bare = token[4:] if token.startswith("not:list:") else token[1:] if token.startswith("-list:") else token
        if bare.startswith("list:"):
            name = " ".join(bare[5:].replace('"', " ").split())
            if not name:
                unknown.append(token)
            else:
                (not_lists if negative else lists).append(name)
        elif token.startswith(("is:", "not:", "-is:")):
            name = token.split(":", 1)[1]
            if name in LISTED:
                listed = LISTED[name] != negative
            elif name == "muted":
                muted = not negative
            elif name == "left" and not negative:
                left = True
            elif name in STATES and not negative:
                states.add(STATES[name])
            elif name in ALIASES:
                (unwanted if negative else want).add(ALIASES[name])
            else:
                unknown.append(token)
        elif token.startswith("#") and len(token) > 1:
            tags.append(token[1:])
        elif word := " ".join(token.replace('"', " ").split()):
            words.append(word)
    return Query(
        tuple(words),
        tuple(tags),
        frozenset(want),
        frozenset(unwanted),
        frozenset(states),
        left,
        tuple(unknown),
        listed,
        tuple(lists),
        tuple(not_lists),
        muted=muted,
    )


def refusal(unknown: Iterable[str], list_names: Iterable[str]) -> str:
    """Why a filter is not applied, with every name the filter takes (the user's list names included)."""
    signals = ", ".join(sorted(ALIASES))
    quoted = [f'"{name}"' if " " in name else name for name in sorted(set(list_names), key=str.casefold)]
    lists = f"list: and not:list: take {', '.join(quoted)}" if quoted else "list: takes a list's name (you have none)"
    return (
        f"Unknown filter {', '.join(unknown)}, not applied. is: and not: take {signals}, muted, listed, unlisted; "
        f"is: also takes left, suspended, deleted; {lists}."
    )


def resolve(query: Query, lists: Iterable[ListInfo]) -> Query:
    """``query`` with its list names matched to the user's ``lists`` (by name, case-insensitive).

    A name no list has matches no account for ``list:`` (and every account for ``not:list:``), and is added to
    ``unknown`` as ``list:NAME``.
    """
    if not (query.lists or query.not_lists):
        return query
    by_name: dict[str, set[str]] = {}
    for info in lists:
        by_name.setdefault(" ".join(info.name.casefold().split()), set()).add(info.id)
    missing = [f"list:{n}" for n in dict.fromkeys((*query.lists, *query.not_lists)) if n not in by_name]
    return replace(
        query,
        on_lists=tuple(frozenset(by_name.get(name, ())) for name in query.lists),
        off_lists=frozenset(i for name in query.not_lists for i in by_name.get(name, ())),
        unknown=(*query.unknown, *missing),
    )


def accepts(
    query: Query,
    text: str,
    *,
    signals: Iterable[Signal] = (),
    note: str = "",
    tags: Iterable[str] = (),
    state: AccountState = AccountState.ACTIVE,
    memberships: Collection[str] = frozenset(),
    muted: bool = False,
) -> bool:
    """Whether an account passes the filter; ``text`` is its lower-cased searchable text.

    ``memberships``: the IDs of the user's lists the account is on (needed when ``query.needs_lists``; list names
    count only once ``resolve``d).
    """
    if query.states and state not in query.states:
        return False
    if query.muted is not None and muted is not query.muted:
        return False
    if query.needs_lists:
        if query.listed is not None and bool(memberships) is not query.listed:
            return False
        if query.off_lists and not query.off_lists.isdisjoint(memberships):
            return False
        if len(query.on_lists) < len(query.lists) or any(ids.isdisjoint(memberships) for ids in query.on_lists):
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
