"""What every backend offers, and the errors it may raise instead of library-specific ones."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from followtui.backends.meter import RequestMeter
from followtui.domain.models import Account, AccountState, ListInfo, Me, Post


class BackendError(Exception):
    """Base of every error a backend raises; the message is safe to show (never holds a secret)."""


class AuthError(BackendError):
    """The credentials are missing, expired or revoked: the user must sign in again."""


class Forbidden(BackendError):
    """The API refused the call (e.g. the tier allows no follows); ``detail`` is its own words.

    ``reason`` is X's reason when the refusal is about the app, not this one resource (``client-not-enrolled``):
    every call of the kind will be refused alike.
    """

    def __init__(self, detail: str, reason: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.reason = reason


class Refused(BackendError):
    """The API rejected the call as invalid (a 4xx other than 401/403/404/429); retrying will not help."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class StaleCursor(Refused):
    """X refused a pagination token it issued (a 400 naming ``pagination_token``): read again from the start."""


class NotFound(BackendError):
    """The target account or list does not exist (any more)."""


class RateLimited(BackendError):
    """Too many requests: nothing may be sent to this endpoint before ``reset_at``.

    ``guessed``: X sent no ``x-rate-limit-reset``, so ``reset_at`` is a short, bounded wait of our own.
    """

    def __init__(self, reset_at: datetime, endpoint: str = "", *, guessed: bool = False) -> None:
        super().__init__(f"rate limited until {reset_at:%H:%M:%S}")
        self.reset_at = reset_at
        self.endpoint = endpoint
        self.guessed = guessed


class Blocked(BackendError):
    """X serves nothing more to this account before ``until`` (None: before the user acts); retrying is useless.

    The message is X's own words and what to do; ``detail`` is X's words alone.
    """

    def __init__(self, message: str, detail: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.detail = detail
        self.until = until


TOP_UP = (
    "Buy credits in the X developer console (https://console.x.com), then run it again: it goes on where it stopped."
)


class CreditsDepleted(Blocked):
    """402 ``CreditsDepleted``: the pay-per-use account has no credits left."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"X says the account is out of credits: {detail} {TOP_UP}", detail)


class UsageCapped(Blocked):
    """429 ``UsageCapExceeded``: a daily or monthly cap (``period``) of the account or product (``scope``)."""

    def __init__(self, detail: str, period: str, scope: str, until: datetime) -> None:
        when = f"{until:%Y-%m-%d %H:%M} UTC"
        what = f"{period.lower()} {scope.lower()} cap".strip()
        super().__init__(
            f"X says a usage cap is reached: {detail} ({what}; nothing is retried before {when}).", detail, until
        )
        self.period = period
        self.scope = scope


class Transient(BackendError):
    """A network error, a timeout or a 5xx: worth retrying after a backoff."""


class FollowState(enum.StrEnum):
    """The user's follow of one account, as X has it."""

    NONE = "none"
    FOLLOWING = "following"
    REQUESTED = "requested"  # a protected account: the follow request waits for its owner's answer


@dataclass(frozen=True, slots=True)
class Page:
    """One page of accounts and the cursor of the next page (None at the end).

    ``gone`` holds the accounts the API named in an ``errors`` array instead: suspended or deleted; ``hidden`` the
    ones it named as not visible to the user (protected, or blocking the user), with X's words. ``docs``, when
    the backend made them on the way, holds each account's ``Account.to_doc()`` document, in the same order (the
    sync journals and stores them without making them again).
    """

    accounts: list[Account]
    next_cursor: str | None = None
    gone: dict[str, AccountState] = field(default_factory=dict)
    docs: list[dict[str, Any]] | None = field(default=None, compare=False, repr=False)  # derived from ``accounts``
    hidden: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_docs(
        cls,
        docs: list[dict[str, Any]],
        next_cursor: str | None = None,
        gone: dict[str, AccountState] | None = None,
        hidden: dict[str, str] | None = None,
    ) -> Page:
        """A page of the accounts these documents describe."""
        return cls([Account.from_doc(d) for d in docs], next_cursor, gone or {}, docs, hidden or {})

    def account_docs(self) -> list[dict[str, Any]]:
        """Each account's document: the ones the backend made, or made now."""
        if self.docs is not None and len(self.docs) == len(self.accounts):
            return self.docs
        return [a.to_doc() for a in self.accounts]


def sign_in_command(network_name: str) -> str:
    """The command that signs in to the network ``network_name`` names ("X" or "Bluesky")."""
    return "followtui auth bluesky" if network_name == "Bluesky" else "followtui auth"


@runtime_checkable
class Backend(Protocol):
    """The network: reads for sync, writes for the outbox. Calls block; run them off the UI thread."""

    name: str  # where a sync's data came from: "x", "bluesky", "demo", "offline"
    network_name: str  # the network, as messages name it: "X" or "Bluesky"
    meter: RequestMeter  # what the calls made and would cost

    def me(self) -> Me: ...

    def followers(self, cursor: str | None = None) -> Page: ...

    def following(self, cursor: str | None = None) -> Page: ...

    def lookup(self, account_ids: Sequence[str]) -> Page:
        """Up to 100 accounts by ID; the ones X no longer serves land in ``Page.gone``."""
        ...

    def owned_lists(self) -> list[ListInfo]:
        """The user's own lists, without members (``list_members`` pages through those)."""
        ...

    def list_members(self, list_id: str, cursor: str | None = None) -> Page: ...

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]: ...

    def mentions(self, limit: int = 100) -> list[Post]:
        """The newest posts mentioning the user."""
        ...

    def my_posts(self, limit: int = 100) -> list[Post]:
        """The user's own newest posts (replies included: they show conversations)."""
        ...

    def follow(self, account_id: str) -> FollowState:
        """Follow; ``REQUESTED`` when the account is protected (X waits for its owner), else ``FOLLOWING``."""
        ...

    def follow_state(self, account_id: str) -> FollowState:
        """Whether the user follows (or has asked to follow) the account now, as X says (one lookup)."""
        ...

    def unfollow(self, account_id: str) -> None: ...

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo: ...

    def update_list(self, list_id: str, name: str, description: str) -> None:
        """Set an owned list's name and description (``PUT /2/lists/:id``)."""
        ...

    def delete_list(self, list_id: str) -> None:
        """Delete an owned list (``DELETE /2/lists/:id``); ``NotFound`` if it is gone already."""
        ...

    def add_list_member(self, list_id: str, account_id: str) -> None: ...

    def remove_list_member(self, list_id: str, account_id: str) -> None: ...
