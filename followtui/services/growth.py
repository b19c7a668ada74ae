"""Followers over time: gained and lost per day, from the snapshots' first and last seen times. No Textual.

X gives no follow dates; a sync sees who is new (``follower_first_seen``) and who is gone (``follower_last_seen``
of someone no longer following). So a follower counts as gained on the day a sync first saw them, and as lost on
the last day a sync still saw them. The followers a first sync found were there before followtui: they are the
starting point, not a gain (their first seen time is the first sync's). One pass over the relationships (O(n));
run it in a worker thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followtui.domain.models import Relationship

HISTORY_COLUMNS = ("date", "gained", "lost", "net", "followers")


@dataclass(frozen=True, slots=True)
class Day:
    """One day: followers gained and lost, and how many followed at its end."""

    day: date
    gained: int
    lost: int
    followers: int

    @property
    def net(self) -> int:
        return self.gained - self.lost

    def to_row(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "gained": self.gained,
            "lost": self.lost,
            "net": self.net,
            "followers": self.followers,
        }


@dataclass(frozen=True, slots=True)
class Growth:
    """Every day from the first gain or loss to today (days without either included, as zeros)."""

    days: tuple[Day, ...]
    followers: int  # now

    def last(self, count: int) -> tuple[Day, ...]:
        return self.days[-count:] if count > 0 else ()

    @property
    def gained(self) -> int:
        return sum(d.gained for d in self.days)

    @property
    def lost(self) -> int:
        return sum(d.lost for d in self.days)


def follower_growth(relationships: Iterable[Relationship], first_sync: datetime | None, today: date) -> Growth:
    """Gained and lost per day, and the followers at each day's end (counted back from today's)."""
    gained: Counter[date] = Counter()
    lost: Counter[date] = Counter()
    followers = 0
    for rel in relationships:
        first = rel.follower_first_seen
        if first is None:
            continue  # never a follower
        if first != first_sync:
            gained[first.date()] += 1  # also who left since: they came first
        if rel.follower:
            followers += 1
        elif rel.follower_last_seen is not None:
            lost[rel.follower_last_seen.date()] += 1
    if not gained and not lost:
        return Growth((), followers)
    start = min(gained.keys() | lost.keys())
    end = max(today, *gained.keys(), *lost.keys())
    days: list[Day] = []
    count = followers
    day = end
    while day >= start:  # backwards: the count at the end of a day is the next day's, less its gains, plus losses
        days.append(Day(day, gained[day], lost[day], count))
        count += lost[day] - gained[day]
        day -= timedelta(days=1)
    days.reverse()
    return Growth(tuple(days), followers)
