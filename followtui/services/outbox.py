"""The outbox sender: sends what decisions and list changes queued, honouring rate limits, pacing and backoff.

``process_outbox`` (run in a worker thread) sends what is due; every state change of an entry is one durable
write. It cancels at send time a call the account's current keep / never forbids, whatever path queued it, and
``retry`` refuses such an entry (``Guarded``); the rules are ``services/queue.py``'s.

What X will not serve stops the sender (``Blocked``): on credits depleted or a usage cap the entry X answered is
marked failed with X's words and nothing else is sent before the cap's period ends (an hour, for credits), unless
the user retries that entry. A follow X answers with ``pending_follow`` (a protected account) is ``REQUESTED``
until the next sync confirms or drops it. A call whose answer was lost (the app was killed while sending, or it
timed out) is checked on X before it is sent again, where a second one would cost or duplicate: a list creation
(the owned lists, by name) and a follow (the relationship). A created list takes the network's ID through the
``adopt`` callback (``Lists.adopt``), which owns the map of local list IDs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from followtui.backends.base import (
    AuthError,
    Backend,
    Blocked,
    FollowState,
    Forbidden,
    NotFound,
    RateLimited,
    Refused,
    Transient,
    sign_in_command,
)
from followtui.domain.models import LOCAL_LIST_PREFIX, ListInfo, Op, OutboxEntry, OutboxState, format_time
from followtui.domain.xlimits import FOLLOWS_PER_DAY, FOLLOWS_PER_WINDOW, LIST_WRITES_PER_WINDOW, RATE_WINDOW
from followtui.services.queue import FOLLOW_OPS, OWED, SENDING, SENT, Guarded, OutboxQueue
from followtui.services.spend import BudgetExceeded
from followtui.store.store import Store

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(minutes=15)
MIN_RATE_WAIT = timedelta(seconds=30)
CREDITS_WAIT = timedelta(hours=1)  # out of credits: the next try (a refused call costs nothing)

NEED_YOU = (OutboxState.FAILED, OutboxState.MANUAL)
RATE_LIMITED = "rate limited"
STOPPED = "stopped: "  # the error of the entry X answered with credits depleted or a usage cap
_SENDING_BEFORE = frozenset({SENDING, "sent; no answer from X yet"})  # and as followtui 0.x wrote it
AUTH_MESSAGE = "{network} refused the saved sign-in: run `{command}`, then the pending actions will be sent."


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast the outbox may write: X's own limits, and the user's (the config's ``[x]`` table)."""

    follows_per_day: int = FOLLOWS_PER_DAY  # X's per-account daily follow limit
    writes_per_window: int = FOLLOWS_PER_WINDOW  # follows, and unfollows: X allows 50 of each per 15 minutes
    list_writes_per_window: int = LIST_WRITES_PER_WINDOW  # per list endpoint (create, update, delete, members)
    window: timedelta = RATE_WINDOW


@dataclass(frozen=True, slots=True)
class OutboxReport:
    """What one ``process_outbox`` round did."""

    sent: tuple[OutboxEntry, ...] = ()
    failed: tuple[OutboxEntry, ...] = ()  # FAILED or MANUAL now: the user should look
    waiting: tuple[OutboxEntry, ...] = ()  # still PENDING: rate limited, backing off, or credentials refused
    message: str | None = None
    guarded: tuple[OutboxEntry, ...] = ()  # CANCELLED unsent: the account is kept / never-follow now


class OutboxSender:
    """Sends the outbox through a Backend, and the user's retry / by-hand answers to it. No UI.

    Owns the rate-limit holds (``rate_limited_until``), seeded from the store after a restart.
    """

    def __init__(
        self,
        store: Store,
        queue: OutboxQueue,
        backend: Backend,
        clock: Callable[[], datetime],
        *,
        adopt: Callable[[str, ListInfo], None],
        pacing: Pacing | None = None,
    ) -> None:
        self.store = store
        self.queue = queue
        self.backend = backend
        self.clock = clock
        self.pacing = pacing or Pacing()
        self._adopt = adopt
        self._sending = threading.Lock()
        self._limited: dict[Op, datetime] = {}  # op -> rate limit reset; seeded from disk after a restart
        for entry in store.outbox([OutboxState.PENDING]):
            if entry.not_before and entry.error.startswith(RATE_LIMITED):
                self._limited[entry.op] = max(entry.not_before, self._limited.get(entry.op, entry.not_before))
        for entry in store.outbox([OutboxState.FAILED]):
            if entry.not_before and entry.error.startswith(STOPPED):
                self._hold_all(entry.not_before)

    def pending_count(self) -> int:
        """Calls still owed: pending or failed."""
        return len(self.store.outbox(OWED))

    def need_you_count(self) -> int:
        """Calls that failed or wait for a manual step: the user should look (``b``)."""
        return len(self.store.outbox(NEED_YOU))

    def entries(self, states: Collection[OutboxState] | None = None) -> list[OutboxEntry]:
        """The entries kept (optionally only those in ``states``), in creation order."""
        return self.store.outbox(states)

    def entry(self, entry_id: str) -> OutboxEntry | None:
        return self.store.outbox_entry(entry_id)

    def open_entries(self, account_id: str) -> list[OutboxEntry]:
        """The account's unfinished entries; indexed, not a scan of the outbox (the detail panel, per cursor move)."""
        return self.store.open_outbox(account_id)

    def requested_ids(self) -> frozenset[str]:
        """Accounts with a follow request X holds (protected accounts), until a sync confirms or drops it."""
        return frozenset(e.account_id for e in self.store.outbox([OutboxState.REQUESTED]))

    def rate_limited_until(self) -> datetime | None:
        """When the latest rate limit seen by this process ends, if it has not ended yet."""
        now = self.clock()
        ends = [t for t in self._limited.values() if t > now]
        return max(ends) if ends else None

    def retry(self, entry_id: str) -> OutboxEntry:
        """Put a FAILED or MANUAL entry back in the queue.

        Raises ``Guarded`` (and writes nothing) for an unfollow of an account kept since, or a follow of one marked
        never-follow since, unless the entry was made with an override: to send it anyway, decide again with one.
        """
        with self.store.transaction():
            entry = self.store.outbox_entry(entry_id)
            if entry is None:
                raise KeyError(f"no outbox entry {entry_id}")
            if entry.state not in (OutboxState.FAILED, OutboxState.MANUAL):
                raise ValueError(f"outbox entry {entry_id} is {entry.state}, not failed or manual")
            reason = None if entry.override else self.queue.guard_reason(entry.account_id, entry.op)
            if reason is None:
                if entry.error.startswith(STOPPED):  # the user asks before X's cap ends: the sender goes on
                    self._limited.clear()
                entry = replace(entry, state=OutboxState.PENDING, attempts=0, not_before=None, error="")
                self.store.update_outbox(entry)
        if reason is not None:
            raise Guarded([entry.account_id], [reason])
        return entry

    def mark_done_by_hand(self, entry_id: str) -> OutboxEntry:
        """The user followed on x.com after X refused the call: recorded; the next sync confirms it.

        No call is made, so keep / never does not apply: it records what the user did. (Deciding never-follow,
        or an undo back to it, cancels a waiting manual follow, so one is rarely left to mark.)
        """
        with self.store.transaction():
            entry = self.store.outbox_entry(entry_id)
            if entry is None:
                raise KeyError(f"no outbox entry {entry_id}")
            if entry.state is not OutboxState.MANUAL:
                raise ValueError(f"outbox entry {entry_id} is {entry.state}, not waiting for a manual step")
            entry = replace(entry, state=OutboxState.BY_HAND, error="", attempted_at=self.clock())
            self.store.update_outbox(entry)
        return entry

    def manual_entry(self, account_id: str) -> OutboxEntry | None:
        """The follow of ``account_id`` that X refused and that waits for the user to do it by hand, if any."""
        for entry in reversed(self.store.outbox([OutboxState.MANUAL])):
            if entry.account_id == account_id and entry.op is Op.FOLLOW:
                return entry
        return None

    def process_outbox(self, max_items: int = 20) -> OutboxReport:
        """Send due entries in order (blocking; run it in a worker thread). One round per call."""
        if not self._sending.acquire(blocking=False):
            return OutboxReport(message="the outbox is already being sent")
        try:
            return self._process(max_items)
        finally:
            self._sending.release()

    def _process(self, max_items: int) -> OutboxReport:
        now = self.clock()
        blocked = {op for op, until in self._limited.items() if until > now}
        sending = _Round(now, blocked, _Pace(self.pacing, self.store.outbox(), now))
        for queued in self.store.outbox([OutboxState.PENDING]):
            entry = self._due(queued, sending, max_items)
            if entry is None:
                continue
            attempted = self.clock()
            if not self._sending_now(entry, attempted):
                continue  # cancelled meanwhile
            sending.tried += 1
            try:
                answer = self._send(entry)
            except _NotSent:
                continue
            except (AuthError, BudgetExceeded) as exc:  # not sent: it waits as it was, and so does the rest
                sending.message = self._stop_message(exc)
                sending.waiting.append(self._record(entry, entry))
                break
            except Exception as exc:
                new, created = self._failed(entry, exc, sending), None
            else:
                new, created = _succeeded(entry, answer)
            new = replace(new, attempted_at=attempted)
            sending.pace.attempted(new)
            sending.add(self._record(entry, new, created))
        return sending.report()

    def _due(self, queued: OutboxEntry, sending: _Round, max_items: int) -> OutboxEntry | None:
        """The entry, fresh, if it goes now; else None, and it is noted as waiting or guarded."""
        if queued.not_before is not None and queued.not_before > sending.now:
            sending.waiting.append(queued)
            return None
        if queued.op in sending.blocked or sending.tried >= max_items:
            sending.waiting.append(queued)
            return None
        paced_until = sending.pace.wait_until(queued.op)
        if paced_until is not None:
            self._limited[queued.op] = paced_until
            sending.blocked.add(queued.op)
            sending.waiting.append(queued)
            sending.message = sending.message or sending.pace.message(queued.op, paced_until)
            return None
        entry = self.store.outbox_entry(queued.id)  # fresh: cancelled, or given a created list's ID meanwhile
        if entry is None or entry.state is not OutboxState.PENDING:
            return None
        if _waits_for_list(entry):
            sending.waiting.append(entry)
            return None
        refused = self._refuse_guarded(entry)  # the last check before the call, whatever queued it
        if refused is not None:
            sending.guarded.append(refused)
            return None
        return entry

    def _stop_message(self, exc: AuthError | BudgetExceeded) -> str:
        if isinstance(exc, BudgetExceeded):  # nothing is sent this month
            return f"Not sent: {exc}"
        network = self.backend.network_name  # the message takes precedence over a rate-limit note
        return AUTH_MESSAGE.format(network=network, command=sign_in_command(network))

    def _failed(self, entry: OutboxEntry, exc: Exception, sending: _Round) -> OutboxEntry:
        """The entry after a call that raised ``exc``; a cap or a rate limit holds the calls it stops."""
        attempts = entry.attempts + 1
        if isinstance(exc, Blocked):  # X serves nothing more: stop the round, hold every call
            until = exc.until or self.clock() + CREDITS_WAIT
            self._hold_all(until)
            sending.blocked.update(Op)
            sending.message = str(exc)
            return replace(
                entry, state=OutboxState.FAILED, attempts=attempts, not_before=until, error=STOPPED + str(exc)
            )
        if isinstance(exc, RateLimited):
            reset = max(exc.reset_at, self.clock() + MIN_RATE_WAIT)  # never a tight retry
            self._limited[entry.op] = reset
            sending.blocked.add(entry.op)
            limited = f"{self.backend.network_name} rate limit reached: {entry.op} calls wait until"
            sending.message = sending.message or f"{limited} {format_time(reset)}"
            return replace(entry, not_before=reset, error=f"{RATE_LIMITED} until {format_time(reset)}")
        if isinstance(exc, Forbidden):
            state = OutboxState.MANUAL if entry.op is Op.FOLLOW else OutboxState.FAILED
            return replace(entry, state=state, attempts=attempts, error=exc.detail)
        if isinstance(exc, Refused):
            return replace(entry, state=OutboxState.FAILED, attempts=attempts, error=exc.detail)
        if isinstance(exc, NotFound):
            gone = "the list or the account no longer exists" if entry.list_id else "account no longer exists"
            return replace(entry, state=OutboxState.FAILED, attempts=attempts, error=gone)
        return self._backoff(entry, exc, self.clock())  # Transient, or anything unexpected: back off, give up

    def _refuse_guarded(self, entry: OutboxEntry) -> OutboxEntry | None:
        """Cancel a pending call the account's current decision forbids (no override): the cancelled entry."""
        if entry.override or entry.op not in FOLLOW_OPS:
            return None
        with self.store.transaction():
            current = self.store.outbox_entry(entry.id)
            reason = self.queue.guard_reason(entry.account_id, entry.op)
            if current is None or current.state is not OutboxState.PENDING or reason is None:
                return None
            return self.queue.cancel(current, f"not sent: {reason}")

    def _hold_all(self, until: datetime) -> None:
        """No call of any kind goes before ``until`` (X stopped serving the account: credits, a usage cap)."""
        for op in Op:
            self._limited[op] = max(until, self._limited.get(op, until))

    def _sending_now(self, entry: OutboxEntry, now: datetime) -> bool:
        """Write that a try starts, before the call (False: cancelled meanwhile, not sent).

        After a kill, the entry says ``SENDING``: the next try knows the answer of this one may be lost.
        """
        with self.store.transaction():
            current = self.store.outbox_entry(entry.id)
            if current is None or current.state is not OutboxState.PENDING:
                return False
            self.store.update_outbox(replace(current, attempted_at=now, error=SENDING))
        return True

    def _send(self, entry: OutboxEntry) -> ListInfo | FollowState | None:
        """Make the call; for a list creation, the list as X created it; for a follow, X's answer."""
        tried = bool(entry.attempts) or entry.error in _SENDING_BEFORE  # an earlier try's answer may be lost
        if entry.op is Op.FOLLOW:
            if tried:
                state = self.backend.follow_state(entry.account_id)
                if state is not FollowState.NONE:
                    return state  # the lost try went through: no second follow
                self._still_pending(entry)
            return self.backend.follow(entry.account_id)
        if entry.op is Op.UNFOLLOW:
            self.backend.unfollow(entry.account_id)
        elif entry.list_id is None:
            raise NotFound(f"outbox entry {entry.id} has no list")
        elif entry.op is Op.LIST_CREATE:
            info = self.store.list_info(entry.list_id)
            if info is None:
                raise NotFound(f"the list was deleted before {self.backend.network_name} created it")
            if tried:  # an earlier try may have created it before the answer was lost: no duplicate
                for existing in self.backend.owned_lists():
                    if existing.name == info.name and existing.private == info.private:
                        return existing
                self._still_pending(entry)
            return self.backend.create_list(info.name, info.description, info.private)
        elif entry.op is Op.LIST_UPDATE:
            info = self.store.list_info(entry.list_id)
            if info is None:
                raise NotFound(f"the list was deleted before {self.backend.network_name} renamed it")
            self.backend.update_list(entry.list_id, info.name, info.description)
        elif entry.op is Op.LIST_DELETE:
            with contextlib.suppress(NotFound):  # gone already: what the user wanted
                self.backend.delete_list(entry.list_id)
        elif entry.op is Op.LIST_ADD:
            self.backend.add_list_member(entry.list_id, entry.account_id)
        else:
            self.backend.remove_list_member(entry.list_id, entry.account_id)
        return None

    def _still_pending(self, entry: OutboxEntry) -> None:
        """Raise ``_NotSent`` if the entry was cancelled while X was asked whether a lost try went through."""
        current = self.store.outbox_entry(entry.id)
        if current is None or current.state is not OutboxState.PENDING:
            raise _NotSent

    @staticmethod
    def _backoff(entry: OutboxEntry, exc: Exception, now: datetime) -> OutboxEntry:
        attempts = entry.attempts + 1
        detail = str(exc) or type(exc).__name__
        if not isinstance(exc, Transient):
            detail = f"unexpected error: {detail}"
        if attempts >= MAX_ATTEMPTS:
            return replace(
                entry, state=OutboxState.FAILED, attempts=attempts, error=f"gave up after {attempts} tries: {detail}"
            )
        delay = min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_CAP)
        return replace(entry, attempts=attempts, not_before=now + delay, error=detail)

    def _record(self, sent: OutboxEntry, new: OutboxEntry, created: ListInfo | None = None) -> OutboxEntry:
        """Store the outcome, unless the entry was cancelled while it was in flight."""
        with self.store.transaction():
            current = self.store.outbox_entry(sent.id)
            if created is not None and sent.list_id is not None:
                self._adopt(sent.list_id, created)
                new = replace(new, list_id=created.id)
            if current is None or current.state is OutboxState.PENDING:
                self.store.update_outbox(new)
                return new
            if new.state is not OutboxState.DONE:
                return current  # cancelled, and the call did not go through: nothing happened
            # Cancelled, but the call went through: record it, and undo it unless a newer op already decides,
            # or the opposite call would break the current keep / never (or undo nothing: see ``_inverse``).
            self.store.update_outbox(new)
            if created is not None and self.store.list_info(created.id) is None:  # deleted here meanwhile
                self.queue.enqueue(Op.LIST_DELETE, "", self.clock(), list_id=created.id, detail=created.name)
                return new
            newer = [e for e in self.queue.open_for(sent.account_id, sent.list_id) if e.id != sent.id]
            inverse = self.queue.inverse(sent)
            if not newer and inverse is not None:
                self.queue.enqueue(inverse, sent.account_id, self.clock(), list_id=sent.list_id)
            return new


class _NotSent(Exception):
    """The entry was cancelled between the check on X and its call: the call is not made."""


def _waits_for_list(entry: OutboxEntry) -> bool:
    """A membership or update call for a list X has not created yet."""
    return entry.op is not Op.LIST_CREATE and (entry.list_id or "").startswith(LOCAL_LIST_PREFIX)


def _succeeded(entry: OutboxEntry, answer: ListInfo | FollowState | None) -> tuple[OutboxEntry, ListInfo | None]:
    """The entry after a call that went through, and the list it created, if it was a creation."""
    state = OutboxState.REQUESTED if answer is FollowState.REQUESTED else OutboxState.DONE
    created = answer if isinstance(answer, ListInfo) else None
    return replace(entry, state=state, attempts=entry.attempts + 1, error=""), created


@dataclass(slots=True)
class _Round:
    """One sending round's state: what is held, what was tried, and what the report will say."""

    now: datetime
    blocked: set[Op]
    pace: _Pace
    tried: int = 0
    message: str | None = None
    sent: list[OutboxEntry] = field(default_factory=list)
    failed: list[OutboxEntry] = field(default_factory=list)
    waiting: list[OutboxEntry] = field(default_factory=list)
    guarded: list[OutboxEntry] = field(default_factory=list)

    def add(self, entry: OutboxEntry) -> None:
        """Note an entry after its call, by the state it is in now."""
        by_state = {OutboxState.DONE: self.sent, OutboxState.REQUESTED: self.sent, OutboxState.PENDING: self.waiting}
        by_state.get(entry.state, self.failed).append(entry)

    def report(self) -> OutboxReport:
        return OutboxReport(
            tuple(self.sent), tuple(self.failed), tuple(self.waiting), self.message, tuple(self.guarded)
        )


class _Pace:
    """The writes already made in the pacing windows, from the outbox's ``attempted_at`` times."""

    def __init__(self, pacing: Pacing, entries: Iterable[OutboxEntry], now: datetime) -> None:
        self.pacing = pacing
        self.now = now
        self._window: dict[Op, list[datetime]] = {}
        self._follows_today: list[datetime] = []
        for entry in entries:
            self.attempted(entry)

    def attempted(self, entry: OutboxEntry) -> None:
        at = entry.attempted_at
        if at is None:
            return
        if at > self.now - self.pacing.window and entry.state is not OutboxState.BY_HAND:  # API calls only
            self._window.setdefault(entry.op, []).append(at)
        followed = entry.state in SENT  # X's daily limit counts x.com too, and follow requests
        if entry.op is Op.FOLLOW and followed and at > self.now - timedelta(days=1):
            self._follows_today.append(at)

    def limit(self, op: Op) -> int:
        """Calls of ``op`` allowed in one pacing window."""
        return self.pacing.writes_per_window if op in FOLLOW_OPS else self.pacing.list_writes_per_window

    def wait_until(self, op: Op) -> datetime | None:
        """When the next ``op`` call may go, if not now."""
        recent = sorted(self._window.get(op, ()))
        until: datetime | None = None
        limit = self.limit(op)
        if len(recent) >= limit:
            until = recent[len(recent) - limit] + self.pacing.window
        per_day = self.pacing.follows_per_day
        if op is Op.FOLLOW and per_day <= 0:
            return self.now + timedelta(days=1)  # follows switched off in the config: they wait
        if op is Op.FOLLOW and len(self._follows_today) >= per_day:
            today = sorted(self._follows_today)
            day_end = today[len(today) - per_day] + timedelta(days=1)
            until = max(until or day_end, day_end)
        return until

    def message(self, op: Op, until: datetime) -> str:
        if op is Op.FOLLOW and len(self._follows_today) >= self.pacing.follows_per_day:
            limit = f"at most {self.pacing.follows_per_day} follows a day"
        else:
            minutes = int(self.pacing.window.total_seconds() // 60)
            limit = f"at most {self.limit(op)} {op} calls per {minutes} minutes"
        return f"Pacing ({limit}): the next {op} call waits until {format_time(until)}"
