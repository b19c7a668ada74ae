"""Look up the accounts known by ID only (from a data archive), 100 per request, resumably.

Each answered batch is appended to ``hydrate-journal.jsonl`` (fsynced) before the next request, so a kill loses
at most the batch in flight; the next run replays the journal and goes on. When every batch is in, the profiles
are written to the graph in one ``Store.replace_accounts`` (relationships, lists and sync info unchanged) and the
journal is deleted. Accounts X names suspended or deleted are stored as such and not asked for again; an ID X
answers nothing about counts as deleted. Accounts X says the user is not authorized to see (protected, or blocking
the user) are neither: they stay known by ID only and are looked up again by the next run (not by a resumed one).
Credits depleted or a usage cap stop the run at once with the journal kept (``Blocked``: X's words); rate limits
and network errors go through ``services.retry``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from followtui.backends.base import Backend, BackendError
from followtui.domain.models import Account, AccountState, format_time
from followtui.domain.xlimits import LOOKUP_BATCH as BATCH
from followtui.services.retry import Retrier
from followtui.store.journal import Journal
from followtui.store.store import Store

JOURNAL_FILE = "hydrate-journal.jsonl"
JOURNAL_VERSION = 1
PRICE = "user_read"  # GET /2/users is billed per user, with no "Owned Reads" discount (X's pay-per-use price list)
T = TypeVar("T")
STOPPED = "Lookup stopped; run `followtui sync --hydrate` again to go on where it stopped."


class HydrateError(Exception):
    """The lookups stopped; the message says why. The journal is kept: the next run goes on from it."""


@dataclass(frozen=True, slots=True)
class HydratePlan:
    """What is left to look up, and what it would cost."""

    ids: list[str]
    done: int  # answered already by a run that stopped (in the journal)
    requests: int
    cost: float


@dataclass(frozen=True, slots=True)
class HydrateReport:
    looked_up: int
    suspended: int
    deleted: int
    requests: int
    hidden: int = 0  # X would not show them (protected, or blocking the user): looked up again next time


def unhydrated_ids(store: Store) -> list[str]:
    """Accounts known by ID only that X may still serve (followers first, then the rest)."""
    followers = store.follower_ids()
    out = [
        i
        for i in store.account_ids()
        if (doc := store.account_doc(i)) is not None
        and doc.get("hydrated") is False
        and (doc.get("state") or AccountState.ACTIVE) == AccountState.ACTIVE
    ]
    out.sort(key=lambda i: i not in followers)
    return out


def estimate(count: int, prices: Mapping[str, float]) -> tuple[int, float]:
    """(requests, estimated dollars) for looking up ``count`` accounts."""
    return -(-count // BATCH), count * prices.get(PRICE, 0.0)


class Hydrator:
    """One run of lookups over ``store`` through ``backend``. Blocking: call from a CLI command or a worker."""

    def __init__(
        self,
        store: Store,
        backend: Backend,
        clock: Callable[[], datetime],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
        journal_path: Path | None = None,
        fsync: bool = True,
    ) -> None:
        self.store = store
        self.backend = backend
        self.clock = clock
        self._progress = progress or (lambda _done, _total: None)
        self._cancel = cancel or threading.Event()
        self.journal_path = journal_path or store.data_dir / JOURNAL_FILE
        self._fsync = fsync
        self._found: dict[str, Account] = {}
        self._gone: dict[str, AccountState] = {}
        self._hidden: dict[str, str] = {}  # ID -> X's words; still known by ID only
        self._journal: Journal | None = None
        self._retry = Retrier(
            clock, self._cancel, stop=HydrateError, cancelled=lambda: HydrateError(STOPPED), resume=STOPPED
        )

    def plan(self) -> HydratePlan:
        """Open (or resume) the journal and say what is left to do."""
        journal = self._open()
        for record in journal.records[1:]:
            self._found.update((str(d["id"]), Account.from_doc(d)) for d in record.get("accounts") or ())
            self._gone.update((str(k), AccountState(v)) for k, v in (record.get("gone") or {}).items())
            self._hidden.update((str(k), str(v)) for k, v in (record.get("hidden") or {}).items())
        done = self._found.keys() | self._gone.keys() | self._hidden.keys()
        left = [i for i in unhydrated_ids(self.store) if i not in done]
        requests, cost = estimate(len(left), self.backend.meter.prices)
        return HydratePlan(left, len(done), requests, cost)

    def run(self, plan: HydratePlan) -> HydrateReport:
        """Look up ``plan.ids`` and store the answers; raises ``HydrateError`` with the journal kept."""
        journal = self._open()
        requests = 0
        try:
            total = len(plan.ids)
            for start in range(0, total, BATCH):
                batch = plan.ids[start : start + BATCH]
                page = self._retrying(partial(self.backend.lookup, batch))
                requests += 1
                gone = dict(page.gone)
                hidden = {k: v for k, v in page.hidden.items() if k not in gone}
                answered = {a.id for a in page.accounts} | gone.keys() | hidden.keys()
                gone.update((i, AccountState.DELETED) for i in batch if i not in answered)
                journal.append(
                    {
                        "t": "batch",
                        "accounts": [a.to_doc() for a in page.accounts],
                        "gone": {k: str(v) for k, v in gone.items()},
                        "hidden": hidden,
                    }
                )
                self._found.update((a.id, a) for a in page.accounts)
                self._gone.update(gone)
                self._hidden.update(hidden)
                self._progress(min(start + BATCH, total), total)
            report = self._apply(requests)
        except BaseException:
            journal.close()
            self._journal = None
            raise
        journal.discard()
        self._journal = None
        return report

    def close(self) -> None:
        """Close the journal without finishing (it stays for the next run)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _open(self) -> Journal:
        if self._journal is None:
            journal = Journal.open(self.journal_path, fsync=self._fsync)
            if not journal.records or journal.records[0].get("v") != JOURNAL_VERSION:
                journal.restart({"t": "start", "v": JOURNAL_VERSION, "started_at": format_time(self.clock())})
            self._journal = journal
        return self._journal

    def _apply(self, requests: int) -> HydrateReport:
        """Write every profile found and every gone state into the graph, keeping what the cache knew."""
        store = self.store
        accounts: list[Account] = []
        for account_id in store.account_ids():
            old = store.account(account_id)
            if old is None:
                continue
            new = self._found.get(account_id)
            if new is not None:
                accounts.append(replace(new, muted=old.muted, posts=new.posts or old.posts))
            elif account_id in self._gone:
                accounts.append(replace(old, state=self._gone[account_id]))
            else:
                accounts.append(old)
        store.replace_accounts(accounts)
        states = list(self._gone.values())
        return HydrateReport(
            looked_up=len(self._found),
            suspended=states.count(AccountState.SUSPENDED),
            deleted=states.count(AccountState.DELETED),
            requests=requests,
            hidden=len(self._hidden.keys() - self._found.keys() - self._gone.keys()),
        )

    def _retrying(self, call: Callable[[], T]) -> T:
        try:
            return self._retry.call("lookups", call)
        except BackendError as exc:
            raise HydrateError(f"X refused the lookup: {exc}. {STOPPED}") from None
