"""Fuzzy matching for short names (list names in the picker): the typed letters in order, best runs first."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match:
    score: tuple[int, int, int, int]  # lower is better: runs, not a prefix, first position, length
    positions: tuple[int, ...]  # where the typed letters are in the name


def fuzzy(needle: str, name: str) -> Match | None:
    """Whether ``needle``'s letters (spaces ignored, any case) occur in ``name`` in order, and how well.

    Fewer separate runs of letters rank first ("ber" in "Berlin" beats "b…e…r"), then a match at the start of
    the name, then an earlier one, then a shorter name.
    """
    letters = "".join(needle.casefold().split())
    if not letters:
        return Match((0, 0, 0, len(name)), ())
    hay = name.casefold()
    if len(hay) != len(name):  # casefold changed the length (ß → ss): match on lower() instead
        hay = name.lower()
    best: Match | None = None
    for start, char in enumerate(hay):
        if char != letters[0]:
            continue
        positions = _greedy(letters, hay, start)
        if positions is None:
            break  # no later start can fit the rest either
        runs = 1 + sum(1 for a, b in itertools.pairwise(positions) if b != a + 1)
        at_word = start == 0 or not hay[start - 1].isalnum()
        match = Match((runs, 0 if start == 0 else 1 if at_word else 2, start, len(name)), positions)
        if best is None or match.score < best.score:
            best = match
    return best


def _greedy(letters: str, hay: str, start: int) -> tuple[int, ...] | None:
    """Positions of ``letters`` in ``hay`` from ``start``, each as early as possible (runs stay together)."""
    positions = [start]
    at = start + 1
    for char in letters[1:]:
        found = hay.find(char, at)
        if found < 0:
            return None
        positions.append(found)
        at = found + 1
    return tuple(positions)


def ranked(needle: str, items: Iterable[T], name: Callable[[T], str]) -> list[tuple[T, Match]]:
    """The items whose name matches ``needle``, best first (in their own order when nothing is typed)."""
    found = [(item, m) for item in items if (m := fuzzy(needle, name(item))) is not None]
    if "".join(needle.split()):
        found.sort(key=lambda pair: pair[1].score)
    return found


def highlighted(name: str, positions: Iterable[int], style: str = "bold underline") -> Text:
    """``name`` as literal text with the matched letters styled."""
    text = Text(name)
    for index in positions:
        if index < len(name):
            text.stylize(style, index, index + 1)
    return text
