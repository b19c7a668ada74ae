"""The request meter: requests made, what X says is left per endpoint, and what it would cost.

Both backends report to it: the X backend from each response (``x-rate-limit-*`` headers, resources returned),
the demo backend from its simulated calls, so the demo shows what the same sync would cost for real.
Prices are per resource for reads and per request for writes, under X's pay-per-use price list; the
estimate ignores X's 24-hour de-duplication, so it errs on the high side.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

# Pay-per-use prices in US dollars (docs.x.com pricing page, 2026-08).
DEFAULT_PRICES: dict[str, float] = {
    "follows_read": 0.010,  # per account in followers / following
    "owned_read": 0.001,  # per resource when {id} is you and you own the app ("Owned Reads")
    "user_read": 0.010,  # per account looked up (or a list member)
    "post_read": 0.005,  # per post
    "list_read": 0.005,  # per list
    "list_create": 0.010,  # per request
    "list_manage": 0.005,  # per request: rename, delete, add or remove a member
    "interaction_create": 0.015,  # per follow
    "interaction_delete": 0.010,  # per unfollow
}

# endpoint -> (price for a read or write, whether "Owned Reads" pricing can apply)
_CATEGORY: dict[str, tuple[str, bool]] = {
    "GET /2/users/me": ("user_read", False),
    "GET /2/users": ("user_read", False),
    "GET /2/users/:id": ("user_read", False),
    "GET /2/users/:id/followers": ("follows_read", True),
    "GET /2/users/:id/following": ("follows_read", True),
    "GET /2/users/:id/owned_lists": ("list_read", True),
    "GET /2/lists/:id/members": ("user_read", False),
    "GET /2/users/:id/tweets": ("post_read", True),
    "GET /2/users/:id/mentions": ("post_read", True),
    "POST /2/users/:id/following": ("interaction_create", False),
    "DELETE /2/users/:id/following/:id": ("interaction_delete", False),
    "POST /2/lists": ("list_create", False),
    "PUT /2/lists/:id": ("list_manage", False),
    "DELETE /2/lists/:id": ("list_manage", False),
    "POST /2/lists/:id/members": ("list_manage", False),
    "DELETE /2/lists/:id/members/:id": ("list_manage", False),
}
_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_of(method: str, path: str) -> str:
    """``GET /2/users/12/followers?x=1`` -> ``GET /2/users/:id/followers``."""
    path = path.split("?", 1)[0].rstrip("/")
    version, rest = ("/2", path[2:]) if path.startswith("/2/") else ("", path)
    return f"{method.upper()} {version}{_ID_SEGMENT.sub('/:id', rest)}"


@dataclass(frozen=True, slots=True)
class EndpointUsage:
    """One endpoint's tally, and its rate-limit window as the last response told it."""

    endpoint: str
    requests: int = 0
    errors: int = 0
    resources: int = 0
    cost: float = 0.0
    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None


@dataclass(slots=True)
class RequestMeter:
    """Thread-safe counters, fed by the backends and read by the app and ``followtui sync``."""

    prices: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    owned_app: bool = False  # the signed-in user owns the developer app: "Owned Reads" prices apply to own data
    _usage: dict[str, EndpointUsage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self,
        endpoint: str,
        *,
        ok: bool = True,
        limit: int | None = None,
        remaining: int | None = None,
        reset_at: datetime | None = None,
    ) -> None:
        """One request made (whatever its outcome), with the rate-limit headers of its response if any."""
        category, _ = _CATEGORY.get(endpoint, ("", False))
        write_cost = self.prices.get(category, 0.0) if ok and not endpoint.startswith("GET ") else 0.0
        with self._lock:
            usage = self._usage.get(endpoint) or EndpointUsage(endpoint)
            self._usage[endpoint] = replace(
                usage,
                requests=usage.requests + 1,
                errors=usage.errors + (0 if ok else 1),
                cost=usage.cost + write_cost,
                limit=limit if limit is not None else usage.limit,
                remaining=remaining if remaining is not None else usage.remaining,
                reset_at=reset_at if reset_at is not None else usage.reset_at,
            )

    def count(self, endpoint: str, resources: int, *, own: bool = False) -> None:
        """Resources a read returned (accounts, posts, lists): what pay-per-use bills."""
        category, ownable = _CATEGORY.get(endpoint, ("", False))
        if own and ownable and self.owned_app:
            category = "owned_read"
        price = self.prices.get(category, 0.0)
        with self._lock:
            usage = self._usage.get(endpoint) or EndpointUsage(endpoint)
            self._usage[endpoint] = replace(
                usage, resources=usage.resources + resources, cost=usage.cost + price * resources
            )

    def usage(self) -> list[EndpointUsage]:
        with self._lock:
            return sorted(self._usage.values(), key=lambda u: u.endpoint)

    def total_requests(self) -> int:
        with self._lock:
            return sum(u.requests for u in self._usage.values())

    def total_cost(self) -> float:
        with self._lock:
            return sum(u.cost for u in self._usage.values())

    def lowest_remaining(self, now: datetime) -> EndpointUsage | None:
        """The endpoint closest to its rate limit in the current window, if any response said."""
        with self._lock:
            live = [
                u
                for u in self._usage.values()
                if u.remaining is not None and u.limit and (u.reset_at is None or u.reset_at > now)
            ]
        return min(live, key=lambda u: (u.remaining or 0) / (u.limit or 1), default=None)

    def summary(self, now: datetime | None = None) -> str:
        """One line: ``12 requests · est. $0.18 · followers 288/300 left``."""
        now = now or datetime.now(UTC)
        total = self.total_requests()
        text = f"{total} request{'s' if total != 1 else ''} · est. ${self.total_cost():,.2f}"
        tight = self.lowest_remaining(now)
        if tight is not None:
            text += f" · {_short(tight.endpoint)} {tight.remaining}/{tight.limit} left"
        return text

    def compact(self, now: datetime | None = None) -> str:
        """For a status bar: ``12 req $0.18 followers 288/300``."""
        now = now or datetime.now(UTC)
        text = f"{self.total_requests()} req ${self.total_cost():,.2f}"
        tight = self.lowest_remaining(now)
        if tight is not None:
            text += f" {_short(tight.endpoint)} {tight.remaining}/{tight.limit}"
        return text

    def table(self) -> list[tuple[str, str, str, str, str]]:
        """Rows for a printed table: endpoint, requests, resources, left in window, estimated cost."""
        rows = []
        for u in self.usage():
            left = f"{u.remaining}/{u.limit}" if u.remaining is not None and u.limit is not None else "-"
            rows.append((u.endpoint, str(u.requests), str(u.resources), left, f"${u.cost:,.3f}"))
        return rows


def _short(endpoint: str) -> str:
    """``GET /2/users/:id/followers`` -> ``followers``; ``DELETE /2/lists/:id/members/:id`` -> ``members``."""
    parts = [p for p in endpoint.split(" ", 1)[-1].split("/") if p and p != ":id" and p != "2"]
    return parts[-1] if parts else endpoint
