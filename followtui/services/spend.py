"""Money: what a sync would cost before it runs, and the monthly budget that stops reads and writes.

Every read on X is billed (pay-per-use), so nothing is spent unasked: ``estimate_sync`` says how many requests
a sync makes and what they would cost, from what the cache knows (the follower and following counts of the last
sync or import, the lists and their members), erring on the high side; the app and ``followtui sync`` ask first
when it passes ``[x] confirm_above``. ``[x] budget_per_month`` is kept by ``BudgetedBackend``: before each request
it checks this calendar month's spend (UTC, counted across runs in ``spend.json`` from the first request made with
a budget) and raises ``BudgetExceeded`` once the budget is reached, so at most one request passes it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from followtui.backends.base import Backend, BackendError, FollowState, Page
from followtui.backends.meter import RequestMeter
from followtui.config import DEFAULTS
from followtui.domain.models import ListInfo, Me, Post
from followtui.durable import replacing

SPEND_FILE = "spend.json"
FOLLOWS_PAGE = 1000  # accounts per followers / following page
MEMBERS_PAGE = 100
T = TypeVar("T")


class BudgetExceeded(BackendError):
    """This month's ``[x] budget_per_month`` is spent: nothing more is read from or sent to X this month."""

    def __init__(self, spent: float, budget: float, month: str) -> None:
        super().__init__(
            f"this month's X budget is spent (${spent:,.2f} of ${budget:,.2f} in {month}, budget_per_month under "
            "[x] in the config): nothing more is read from or sent to X until next month or a higher budget"
        )
        self.spent = spent
        self.budget = budget


@dataclass(frozen=True, slots=True)
class SyncEstimate:
    """What a sync would read and cost; ``known`` is False when the cache does not know the graph's size yet."""

    requests: int
    cost: float
    known: bool = True
    free: bool = False  # a network whose reads cost nothing (Bluesky)

    def text(self) -> str:
        """``up to 14 requests, estimated at most $12.34`` (or what is not known, or free)."""
        if self.free:
            return "requests that cost nothing"
        if not self.known:
            return (
                f"at least {self.requests} requests; the number of your followers is not known yet, and each one "
                "read costs money"
            )
        plural = "s" if self.requests != 1 else ""
        return f"up to {self.requests:,} request{plural}, estimated at most ${self.cost:,.2f}"

    def needs_asking(self, confirm_above: float) -> bool:
        """Whether to ask before running: above ``confirm_above`` dollars, or of unknown size."""
        return not self.free and (not self.known or self.cost > confirm_above)


def estimate_sync(
    followers: int | None,
    following: int | None,
    lists: Sequence[ListInfo],
    *,
    prices: Mapping[str, float],
    owned_app: bool,
    posts_accounts: int,
    posts_per_account: int,
    mentions: int,
    my_posts: int = 100,
) -> SyncEstimate:
    """A sync's requests and cost at pay-per-use prices, from the last known sizes (the high side: X's 24-hour
    de-duplication and a resumed sync's stored pages are not subtracted). ``followers`` and ``following`` are
    None when the cache has never seen the graph."""
    known = followers is not None and following is not None
    followers, following = followers or 0, following or 0
    follows_price = prices.get("owned_read" if owned_app else "follows_read", 0.0)
    own_posts_price = prices.get("owned_read" if owned_app else "post_read", 0.0)
    requests = 1 + _pages(followers, FOLLOWS_PAGE) + _pages(following, FOLLOWS_PAGE) + 1 + 2
    cost = prices.get("user_read", 0.0) + (followers + following) * follows_price
    cost += len(lists) * prices.get("owned_read" if owned_app else "list_read", 0.0)
    for info in lists:
        requests += _pages(len(info.member_ids), MEMBERS_PAGE)
        cost += len(info.member_ids) * prices.get("user_read", 0.0)
    if posts_accounts > 0 and posts_per_account > 0:
        requests += posts_accounts
        cost += posts_accounts * max(5, posts_per_account) * prices.get("post_read", 0.0)  # X serves at least 5
    cost += (mentions + my_posts) * own_posts_price
    return SyncEstimate(requests, cost, known=known)


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


class SpendLedger:
    """This calendar month's spend (UTC), kept across runs in ``spend.json``: what earlier runs spent plus what
    this run's meter counted since the month began. Thread-safe; the file is replaced durably when it changes."""

    def __init__(self, path: Path, clock: Callable[[], datetime], *, fsync: bool = True) -> None:
        self._path = path
        self._clock = clock
        self._fsync = fsync
        self._lock = threading.Lock()
        month, spent = _read(path)
        self._month = _month(clock())
        self._carried = spent if month == self._month else 0.0  # spent this month by earlier runs
        self._base = 0.0  # the meter's total when this month's count began in this run
        self._saved = self._carried

    @property
    def month(self) -> str:
        return self._month

    def spent(self, meter_total: float) -> float:
        with self._lock:
            return self._spent(meter_total)

    def save(self, meter_total: float) -> None:
        """Write this month's spend if it changed."""
        with self._lock:
            spent = self._spent(meter_total)
            if abs(spent - self._saved) < 1e-9:
                return
            with replacing(self._path, fsync=self._fsync) as fh:
                fh.write(json.dumps({"month": self._month, "spent": round(spent, 6)}).encode())
            self._saved = spent

    def _spent(self, meter_total: float) -> float:
        month = _month(self._clock())
        if month != self._month:  # a new month began during this run: it starts from nothing
            self._month, self._carried, self._base, self._saved = month, 0.0, meter_total, 0.0
        return self._carried + meter_total - self._base


def _month(when: datetime) -> str:
    return f"{when.astimezone(UTC):%Y-%m}"


def _read(path: Path) -> tuple[str, float]:
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
        return str(doc["month"]), float(doc["spent"])
    except (OSError, ValueError, KeyError, TypeError):
        return "", 0.0


class BudgetedBackend:
    """A ``Backend`` that refuses every call once the month's budget is spent (``BudgetExceeded``), and records
    the spend of each call it lets through. Other attributes are the wrapped backend's."""

    def __init__(self, inner: Backend, ledger: SpendLedger, budget: float) -> None:
        self.inner = inner
        self.name = inner.name
        self.network_name = inner.network_name
        self.meter: RequestMeter = inner.meter
        self.ledger = ledger
        self.budget = budget

    def __getattr__(self, name: str) -> Any:  # the demo backend's faults and delay, for the tests
        return getattr(self.inner, name)

    def left(self) -> float:
        """Dollars left of this month's budget."""
        return max(0.0, self.budget - self.ledger.spent(self.meter.total_cost()))

    def _guarded(self, call: Callable[[], T]) -> T:
        spent = self.ledger.spent(self.meter.total_cost())
        if spent >= self.budget:
            raise BudgetExceeded(spent, self.budget, self.ledger.month)
        try:
            return call()
        finally:
            self.ledger.save(self.meter.total_cost())

    def me(self) -> Me:
        return self._guarded(self.inner.me)

    def followers(self, cursor: str | None = None) -> Page:
        return self._guarded(lambda: self.inner.followers(cursor))

    def following(self, cursor: str | None = None) -> Page:
        return self._guarded(lambda: self.inner.following(cursor))

    def lookup(self, account_ids: Sequence[str]) -> Page:
        return self._guarded(lambda: self.inner.lookup(account_ids))

    def owned_lists(self) -> list[ListInfo]:
        return self._guarded(self.inner.owned_lists)

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        return self._guarded(lambda: self.inner.list_members(list_id, cursor))

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        return self._guarded(lambda: self.inner.recent_posts(account_id, limit))

    def mentions(self, limit: int = 100) -> list[Post]:
        return self._guarded(lambda: self.inner.mentions(limit))

    def my_posts(self, limit: int = 100) -> list[Post]:
        return self._guarded(lambda: self.inner.my_posts(limit))

    def follow(self, account_id: str) -> FollowState:
        return self._guarded(lambda: self.inner.follow(account_id))

    def follow_state(self, account_id: str) -> FollowState:
        return self._guarded(lambda: self.inner.follow_state(account_id))

    def unfollow(self, account_id: str) -> None:
        self._guarded(lambda: self.inner.unfollow(account_id))

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        return self._guarded(lambda: self.inner.create_list(name, description, private))

    def update_list(self, list_id: str, name: str, description: str) -> None:
        self._guarded(lambda: self.inner.update_list(list_id, name, description))

    def delete_list(self, list_id: str) -> None:
        self._guarded(lambda: self.inner.delete_list(list_id))

    def add_list_member(self, list_id: str, account_id: str) -> None:
        self._guarded(lambda: self.inner.add_list_member(list_id, account_id))

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        self._guarded(lambda: self.inner.remove_list_member(list_id, account_id))


@dataclass(frozen=True, slots=True)
class Money:
    """A session's spending rules (``[x]`` in the config) and, with a budget, its ledger."""

    confirm_above: float = DEFAULTS.confirm_above
    budget_per_month: float = DEFAULTS.budget_per_month
    posts_per_day: int = DEFAULTS.posts_per_day
    ledger: SpendLedger | None = None

    def budget_left(self, meter: RequestMeter) -> float | None:
        """Dollars left of this month's budget (None: no budget)."""
        if self.ledger is None or self.budget_per_month <= 0:
            return None
        return max(0.0, self.budget_per_month - self.ledger.spent(meter.total_cost()))

    def question(self, estimate: SyncEstimate, meter: RequestMeter) -> str:
        """What to ask before a sync: its requests and cost, and what it leaves of the budget."""
        if estimate.free:
            return "A sync of Bluesky reads for free (within its rate limits)."
        text = f"A sync makes {estimate.text()} at X's pay-per-use prices."
        left = self.budget_left(meter)
        if left is not None and left <= 0:
            text += (
                f" This month's ${self.budget_per_month:,.2f} budget is spent: it would stop before its first request."
            )
        elif left is not None:
            text += f" ${left:,.2f} of this month's ${self.budget_per_month:,.2f} budget is left"
            text += "; the sync stops when it is spent." if estimate.cost > left or not estimate.known else "."
        return text


def guarded(backend: Backend, data_dir: Path, clock: Callable[[], datetime], budget: float) -> tuple[Backend, Money]:
    """``backend`` behind the month's budget (when there is one), and the ledger that counts it."""
    if budget <= 0:
        return backend, Money(budget_per_month=0.0)
    ledger = SpendLedger(data_dir / SPEND_FILE, clock)
    return BudgetedBackend(backend, ledger, budget), Money(budget_per_month=budget, ledger=ledger)
