"""The list picker's filter on Textual's own fuzzy matcher (``textual.fuzzy.Matcher``, as in the command palette).

The score and the matched positions come from the matcher's ``fuzzy_search`` (one call gives both). Kept here, on
top of it: spaces in the typed text are ignored (space toggles a list in the picker), the items keep their own
order when nothing is typed, and the matched letters are styled on the name as literal text (``Matcher.highlight``
reads the name as Textual markup, and list names are user text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from rich.text import Text
from textual.fuzzy import Matcher

T = TypeVar("T")


def ranked(needle: str, items: Iterable[T], name: Callable[[T], str]) -> list[tuple[T, tuple[int, ...]]]:
    """The items whose name has ``needle``'s letters in order, best first, each with the matched positions."""
    letters = "".join(needle.split())
    if not letters:
        return [(item, ()) for item in items]
    matcher = Matcher(letters)
    scored = [(item, matcher.fuzzy_search.match(letters, name(item))) for item in items]
    found = [(item, score, positions) for item, (score, positions) in scored if score > 0]
    found.sort(key=lambda triple: -triple[1])  # stable: equal scores keep the items' order
    return [(item, tuple(positions)) for item, _, positions in found]


def highlighted(name: str, positions: Iterable[int], style: str = "bold underline") -> Text:
    """``name`` as literal text with the matched letters styled."""
    text = Text(name)
    for index in positions:
        if index < len(name):
            text.stylize(style, index, index + 1)
    return text
