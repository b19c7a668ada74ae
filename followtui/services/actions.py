"""What the user decides, made durable first and sent to X later through the outbox.

``decide`` / ``undo`` / list changes write the decision and its outbox entry in one atomic write before they
return. ``process_outbox`` (run in a worker thread) sends what is due, honouring rate limits and backoff; every
state change of an entry is one durable write. Ops are idempotent, and for one target (an account's follow state,
or its membership of one list) the newest op wins: enqueuing one cancels older unsent ones.

A list's own calls follow the same rule. Its update sends the name and description the list has at send time, so
one unsent update stands for all edits; a list X has not created yet needs none, and its membership and update
calls wait for the creation. Deleting a list cancels every unsent call for it (its creation too: then X never
hears of it). ``undo`` is for decisions; ``services/undo.py`` undoes any user action as a whole.

On Bluesky every list is public, so a new list is kept on this machine (``ListInfo.kept_here``): its members,
edits and deletion change the cache only, and no call about it is queued until ``publish_list`` queues its
creation and one add per member. ``unpublish_list`` (the undo of a publication) takes it back here, cancelling
what is unsent and deleting it on the network if it was created there.

Keep and never are enforced here, not only in the UI: no call unfollows an account whose current decision is
``KEEP`` or follows one whose current decision is ``NEVER``, unless its entry was made with an override
(``decide(..., override=True)``). ``decide`` refuses such a decision (``Guarded``); ``undo`` and a call cancelled
in flight do not queue such an inverse; ``retry`` refuses such an entry; and ``process_outbox`` cancels one at send
time, whatever path queued it.

What X will not serve stops the sender (``Blocked``): on credits depleted or a usage cap the entry X answered is
marked failed with X's words and nothing else is sent before the cap's period ends (an hour, for credits), unless
the user retries that entry. A follow X answers with ``pending_follow`` (a protected account) is ``REQUESTED``
until the next sync confirms or drops it. A call whose answer was lost (the app was killed while sending, or it
timed out) is checked on X before it is sent again, where a second one would cost or duplicate: a list creation
(the owned lists, by name) and a follow (the relationship).
"""

from __future__ import annotations

import contextlib
import enum
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
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
from followtui.domain.models import (
    LOCAL_LIST_PREFIX,
    Decision,
    DecisionKind,
    ListInfo,
    Op,
    OutboxEntry,
    OutboxState,
    format_time,
)
from followtui.domain.xlimits import (
    FOLLOWS_PER_DAY,
    FOLLOWS_PER_WINDOW,
    LIST_WRITES_PER_WINDOW,
    MAX_LIST_DESCRIPTION,
    MAX_LIST_MEMBERS,
    MAX_LIST_NAME,
    MAX_LISTS,
    RATE_WINDOW,
)
from followtui.services.accounts import BLUESKY, X
from followtui.services.spend import BudgetExceeded
from followtui.store.store import Store

HISTORY_LIMIT = 20
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(minutes=15)
MIN_RATE_WAIT = timedelta(seconds=30)
CREDITS_WAIT = timedelta(hours=1)  # out of credits: the next try (a refused call costs nothing)

_OP_FOR_KIND = {DecisionKind.FOLLOW: Op.FOLLOW, DecisionKind.UNFOLLOW: Op.UNFOLLOW}
_INVERSE = {Op.FOLLOW: Op.UNFOLLOW, Op.UNFOLLOW: Op.FOLLOW, Op.LIST_ADD: Op.LIST_REMOVE, Op.LIST_REMOVE: Op.LIST_ADD}
_FOLLOW_OPS = frozenset({Op.FOLLOW, Op.UNFOLLOW})
_LIST_OPS = frozenset({Op.LIST_ADD, Op.LIST_REMOVE})
# not sent (or refused): cancelled when superseded or undone
_UNSENT = frozenset({OutboxState.PENDING, OutboxState.FAILED, OutboxState.MANUAL})
_OWED = frozenset({OutboxState.PENDING, OutboxState.FAILED})
_SENT = frozenset({OutboxState.DONE, OutboxState.BY_HAND, OutboxState.REQUESTED})  # done on X (or requested)
# the call each decision forbids (without an override) while it is the account's current one
_GUARDED_OP = {DecisionKind.KEEP: Op.UNFOLLOW, DecisionKind.NEVER: Op.FOLLOW}

RATE_LIMITED = "rate limited"
STOPPED = "stopped: "  # the error of the entry X answered with credits depleted or a usage cap
SENDING = "sent; no answer yet"  # written before each call: still there after a kill mid-call
_SENDING_BEFORE = frozenset({SENDING, "sent; no answer from X yet"})  # and as followtui 0.x wrote it
AUTH_MESSAGE = "{network} refused the saved sign-in: run `{command}`, then the pending actions will be sent."


class Guarded(Exception):
    """A decision or retry would unfollow a kept account or follow a never-follow one: nothing was written.

    ``account_ids`` are all the refused accounts of the batch; the message says which and why, one reason each.
    """

    def __init__(self, account_ids: Sequence[str], reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.account_ids = tuple(account_ids)
        self.reasons = tuple(reasons)


class UndoEffect(enum.StrEnum):
    """What an undo did on the API side."""

    NOTHING = "nothing"  # the undone decision needed no API call (or its follow changed nothing: already followed)
    CANCELLED = "cancelled"  # its call had not been sent: cancelled
    INVERSE = "inverse"  # its call was already sent: the opposite call is queued
    REQUEUED = "requeued"  # the restored decision's own call (cancelled earlier) is queued again
    GUARDED = "guarded"  # its call was sent, but the opposite would break the restored keep / never: not queued


class Unpublished(enum.StrEnum):
    """How far a list's publication had got when it was taken back to this machine."""

    UNSENT = "unsent"  # nothing had been sent: the network never heard of it
    SENDING = "sending"  # its creation was being sent: if it went through, the list is deleted there
    SENT = "sent"  # the network had it (public): its deletion there is queued


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast the outbox may write: X's own limits, and the user's (the config's ``[x]`` table)."""

    follows_per_day: int = FOLLOWS_PER_DAY  # X's per-account daily follow limit
    writes_per_window: int = FOLLOWS_PER_WINDOW  # follows, and unfollows: X allows 50 of each per 15 minutes
    list_writes_per_window: int = LIST_WRITES_PER_WINDOW  # per list endpoint (create, update, delete, members)
    window: timedelta = RATE_WINDOW


@dataclass(frozen=True, slots=True)
class Undone:
    """The result of ``Actions.undo``."""

    account_id: str
    undone: Decision
    restored: Decision | None
    effect: UndoEffect
    cancelled: OutboxEntry | None = None
    queued: OutboxEntry | None = None


@dataclass(frozen=True, slots=True)
class OutboxReport:
    """What one ``process_outbox`` round did."""

    sent: tuple[OutboxEntry, ...] = ()
    failed: tuple[OutboxEntry, ...] = ()  # FAILED or MANUAL now: the user should look
    waiting: tuple[OutboxEntry, ...] = ()  # still PENDING: rate limited, backing off, or credentials refused
    message: str | None = None
    guarded: tuple[OutboxEntry, ...] = ()  # CANCELLED unsent: the account is kept / never-follow now


class Actions:
    """Decisions, undo, list membership and the outbox, over a Store and a Backend. No UI."""

    def __init__(
        self,
        store: Store,
        backend: Backend,
        clock: Callable[[], datetime],
        snooze_days: float = 3,
        pacing: Pacing | None = None,
        network: str = X,
    ) -> None:
        self.store = store
        self.backend = backend
        self.network = network
        self.clock = clock
        self.snooze_days = snooze_days
        self.pacing = pacing or Pacing()
        self._sending = threading.Lock()
        self._limited: dict[Op, datetime] = {}  # op -> rate limit reset; seeded from disk after a restart
        self._adopted: dict[str, str] = {}  # local list ID -> the ID X gave it (a UI may still hold the local one)
        for entry in store.outbox([OutboxState.PENDING]):
            if entry.not_before and entry.error.startswith(RATE_LIMITED):
                self._limited[entry.op] = max(entry.not_before, self._limited.get(entry.op, entry.not_before))
        for entry in store.outbox([OutboxState.FAILED]):
            if entry.not_before and entry.error.startswith(STOPPED):
                self._hold_all(entry.not_before)

    # -- decisions -----------------------------------------------------------------------------------------

    def decide(self, account_id: str, kind: DecisionKind, *, override: bool = False) -> Decision:
        """Record a decision (and queue its API call); durable when this returns. See ``decide_many``."""
        return self.decide_many([account_id], kind, override=override)[0]

    def decide_many(self, account_ids: Iterable[str], kind: DecisionKind, *, override: bool = False) -> list[Decision]:
        """The same decision for several accounts, in one atomic write.

        UNFOLLOW of a kept account or FOLLOW of a never-follow one raises ``Guarded`` (naming every such account
        of the batch) and writes nothing, unless ``override``: then the decision replaces the keep / never as usual,
        and its outbox entry carries the override (only where it overrode something).
        """
        now = self.clock()
        until = now + timedelta(days=self.snooze_days) if kind is DecisionKind.SNOOZE else None
        out: list[Decision] = []
        refused: dict[str, str] = {}
        with self.store.transaction():  # the check and the write see the same state; raised outside it
            ids = list(dict.fromkeys(account_ids))
            reasons = {a: self.guarded(a, kind) for a in ids}
            if not override:
                refused = {a: why for a, why in reasons.items() if why is not None}
            for account_id in ids if not refused else ():
                decision = Decision(account_id, kind, now, self.store.next_seq(), until)
                previous = self.store.decision(account_id)
                history = self.store.decision_history(account_id)
                if previous is not None:
                    history = [*history, previous][-HISTORY_LIMIT:]
                self.store.put_decision(decision, history)
                self._supersede(account_id, None)
                op = _OP_FOR_KIND.get(kind)
                if op is not None:
                    overridden = reasons[account_id] is not None
                    self._enqueue(op, account_id, now, decision_seq=decision.seq, override=overridden)
                out.append(decision)
        if refused:
            raise Guarded(list(refused), list(refused.values()))
        return out

    def guarded(self, account_id: str, kind: DecisionKind) -> str | None:
        """Why ``decide(account_id, kind)`` would be refused without an override, or None if it would not."""
        op = _OP_FOR_KIND.get(kind)
        return self._guard_reason(account_id, op) if op is not None else None

    def undo(self) -> Undone | None:
        """Undo the newest decision still standing; call again to walk further back. None if nothing is left.

        A sent call is answered by the opposite one, except when that would break the restored decision (an
        unfollow of a kept account, a follow of a never-follow one: ``UndoEffect.GUARDED``), or when the sent call
        was a follow of an account the user already followed before it (the store's relationship says so: seen
        followed by a sync before the follow was decided), which an unfollow would not undo but break. Restoring
        a keep / never also cancels any unsent call that decision forbids.
        """
        with self.store.transaction():
            current = self.store.decisions()
            if not current:
                return None
            return self.undo_decision(max(current.values(), key=lambda d: d.seq).account_id)

    def undo_decision(self, account_id: str) -> Undone | None:
        """Undo the account's current decision (back to its previous one), as ``undo`` does; None if it has none."""
        now = self.clock()
        with self.store.transaction():
            undone = self.store.decision(account_id)
            if undone is None:
                return None
            history = self.store.decision_history(account_id)
            restored = history[-1] if history else None
            if restored is None:
                self.store.remove_decision(account_id)
            else:
                self.store.put_decision(restored, history[:-1])

            effect = UndoEffect.NOTHING
            cancelled: OutboxEntry | None = None
            to_queue: Op | None = None
            own = self._latest_for_seq(undone.seq)
            if own is not None and own.state in _UNSENT:
                cancelled = self._cancel(own)
                effect = UndoEffect.CANCELLED
            elif own is not None and own.state in _SENT:
                to_queue = self._inverse(own)
                if to_queue is not None:
                    effect = UndoEffect.INVERSE
                elif self._guard_reason(account_id, _INVERSE[own.op]) is not None:
                    effect = UndoEffect.GUARDED
            override = False
            if restored is not None and restored.kind in _OP_FOR_KIND:
                theirs = self._latest_for_seq(restored.seq)
                if theirs is not None and theirs.state is OutboxState.CANCELLED:
                    to_queue, effect = _OP_FOR_KIND[restored.kind], UndoEffect.REQUEUED
                    override = theirs.override
            queued = None
            if to_queue is not None:
                self._supersede(account_id, None)
                seq = restored.seq if restored is not None else None
                queued = self._enqueue(to_queue, account_id, now, decision_seq=seq, override=override)
            elif restored is not None and restored.kind in _GUARDED_OP:
                forbidden = _GUARDED_OP[restored.kind]
                for entry in self._open_for(account_id, None):
                    if entry.op is forbidden:
                        dropped = self._cancel(entry, f"not sent: {self._guard_reason(account_id, forbidden)}")
                        cancelled = cancelled or dropped
        return Undone(account_id, undone, restored, effect, cancelled, queued)

    # -- lists ---------------------------------------------------------------------------------------------

    def change_membership(self, account_ids: Sequence[str], list_id: str, *, add: bool) -> list[OutboxEntry]:
        """Add several accounts to an owned list, or remove them, in one atomic write; the calls queued.

        Accounts already in the wanted state are skipped; an unsent call for the same account and list is
        superseded (cancelled). Adding beyond ``MAX_LIST_MEMBERS`` raises ValueError
        and writes nothing. Raises KeyError for a list that is not among the user's lists. A list kept on this
        machine changes here only: nothing is queued (an empty list is returned).
        """
        now = self.clock()
        with self.store.transaction():
            info = self._owned_list(list_id)
            list_id = info.id
            members = dict.fromkeys(info.member_ids)
            changing = [a for a in dict.fromkeys(account_ids) if (a in members) != add]
            if add and len(members) + len(changing) > MAX_LIST_MEMBERS:
                room = max(0, MAX_LIST_MEMBERS - len(members))
                raise ValueError(
                    f"A list can have at most {MAX_LIST_MEMBERS:,} members: {info.name} has {len(members):,}, "
                    f"so {room:,} more fit ({len(changing):,} chosen)."
                )
            if not changing:
                return []
            for account_id in changing:
                if add:
                    members[account_id] = None
                else:
                    del members[account_id]
            self.store.put_list(replace(info, member_ids=tuple(members)))
            if info.kept_here:
                return []  # nothing about it leaves this machine
            op = Op.LIST_ADD if add else Op.LIST_REMOVE
            open_calls: dict[str, list[OutboxEntry]] = {}
            for entry in self.store.outbox(_UNSENT):
                if entry.list_id == list_id and entry.op in _LIST_OPS:
                    open_calls.setdefault(entry.account_id, []).append(entry)
            superseded = [e for a in changing for e in open_calls.get(a, ())]
            self.store.update_outbox_many(
                [replace(e, state=OutboxState.CANCELLED, not_before=None) for e in superseded]
            )
            queued = [OutboxEntry(uuid.uuid4().hex, op, a, now, list_id=list_id) for a in changing]
            self.store.add_outbox_many(queued)  # thousands of accounts: one table update, not one each
        return queued

    @property
    def keeps_new_lists_here(self) -> bool:
        """Whether a new list stays on this machine until published: on Bluesky, where every list is public."""
        return self.network == BLUESKY

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        """A new list, private by default: usable at once, created on X through the outbox.

        Until X has created it the list has a ``local-`` ID; membership calls for it wait for the creation and
        then follow with the ID X gave. On Bluesky (``keeps_new_lists_here``) the list is kept on this machine:
        no call is queued for it, nor for its members, edits or deletion, until ``publish_list``. Raises
        ValueError for a name or description X would refuse.
        """
        name, description = _list_name(name), _list_description(description)
        kept_here = self.keeps_new_lists_here
        with self.store.transaction():
            if len(self.store.lists()) >= MAX_LISTS:
                raise ValueError(f"X allows at most {MAX_LISTS} lists per account.")
            list_id = f"{LOCAL_LIST_PREFIX}{uuid.uuid4().hex[:12]}"
            info = ListInfo(list_id, name, description, private or kept_here, kept_here=kept_here)
            self.store.put_list(info)
            if not kept_here:
                self._enqueue(Op.LIST_CREATE, "", self.clock(), list_id=info.id)
        return info

    def publish_list(self, list_id: str) -> tuple[ListInfo, list[OutboxEntry]]:
        """Make a list kept on this machine a public list on the network: the list, and the calls queued.

        Its creation is queued, then one add per member (they wait for the creation, then follow with the ID the
        network gave). Raises ValueError for a list that is not kept here, KeyError for one that is not the user's.
        """
        now = self.clock()
        with self.store.transaction():
            info = self._owned_list(list_id)
            if not info.kept_here:
                raise ValueError(f"The list {info.name} is not kept on this machine: it is published already.")
            published = replace(info, kept_here=False, private=False)
            self.store.put_list(published)
            create = self._enqueue(Op.LIST_CREATE, "", now, list_id=info.id)
            adds = [OutboxEntry(uuid.uuid4().hex, Op.LIST_ADD, a, now, list_id=info.id) for a in info.member_ids]
            self.store.add_outbox_many(adds)
        return published, [create, *adds]

    def unpublish_list(self, list_id: str, local_id: str) -> tuple[ListInfo, Unpublished]:
        """Take a published list back to this machine (the undo of ``publish_list``): kept here again, as
        ``local_id``, with its members. Its unsent calls are cancelled; a list the network has created already is
        deleted there through the outbox (one whose creation is in flight, when the answer comes). The list, and
        how far its publication had got.
        """
        with self.store.transaction():
            info = self._owned_list(list_id)
            creating = self._open_list_calls(info.id, (Op.LIST_CREATE,))
            if not info.local:
                how = Unpublished.SENT
            elif any(e.error == SENDING for e in creating):
                how = Unpublished.SENDING
            else:
                how = Unpublished.UNSENT
            self.delete_list(info.id)  # cancels what is unsent; queues the deletion of one the network has
            kept = replace(info, id=local_id, private=True, kept_here=True, refused="")
            self.store.put_list(kept)
            self._adopted.pop(local_id, None)
        return kept, how

    def update_list(self, list_id: str, *, name: str | None = None, description: str | None = None) -> ListInfo:
        """Rename an owned list and/or set its description: at once here, then on X through the outbox.

        One ``LIST_UPDATE`` call sends the name and description the list has when it is sent, so a newer edit
        supersedes an unsent one; a list X has not created yet needs none (its creation carries them). Raises
        ValueError for a name or description X would refuse, KeyError for a list that is not the user's.
        """
        new_name = None if name is None else _list_name(name)
        new_description = None if description is None else _list_description(description)
        with self.store.transaction():
            info = self._owned_list(list_id)
            list_id = info.id
            updated = replace(
                info,
                name=info.name if new_name is None else new_name,
                description=info.description if new_description is None else new_description,
            )
            if updated == info:
                return info
            self.store.put_list(updated)
            for entry in self._open_list_calls(list_id, (Op.LIST_UPDATE,)):
                self._cancel(entry)
            if not info.local:
                self._enqueue(Op.LIST_UPDATE, "", self.clock(), list_id=list_id)
        return updated

    def delete_list(self, list_id: str) -> ListInfo:
        """Delete an owned list: gone here at once, then on X through the outbox; the list as it was.

        Its unsent membership and update calls are cancelled. A list X has not created yet is just dropped (its
        creation is cancelled: no call at all). ``services/undo.py`` brings it back. Raises KeyError for a list that is not the user's.
        """
        with self.store.transaction():
            info = self._owned_list(list_id)
            list_id = info.id
            self.store.remove_list(list_id)
            unsent = self._open_list_calls(list_id, (Op.LIST_CREATE, Op.LIST_UPDATE, *_LIST_OPS))
            self.store.update_outbox_many(
                [
                    replace(e, state=OutboxState.CANCELLED, not_before=None, error="not sent: the list was deleted")
                    for e in unsent
                ]
            )
            if not info.local:
                self._enqueue(Op.LIST_DELETE, "", self.clock(), list_id=list_id, detail=info.name)
        return info

    def owned_list(self, list_id: str) -> ListInfo:
        """The owned list, also by the ``local-`` ID it had before X created it; KeyError if there is none."""
        return self._owned_list(list_id)

    def _owned_list(self, list_id: str) -> ListInfo:
        """The owned list, also by the ``local-`` ID it had before X created it; KeyError if there is none."""
        info = self.store.list_info(self._adopted.get(list_id, list_id))
        if info is None:
            raise KeyError(f"no list {list_id} among your lists")
        return info

    def _open_list_calls(self, list_id: str, ops: Iterable[Op]) -> list[OutboxEntry]:
        wanted = frozenset(ops)
        return [e for e in self.store.open_outbox(list_id=list_id) if e.state in _UNSENT and e.op in wanted]

    # -- outbox --------------------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """Calls still owed: pending or failed."""
        return len(self.store.outbox(_OWED))

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
            reason = None if entry.override else self._guard_reason(entry.account_id, entry.op)
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
        pace = _Pace(self.pacing, self.store.outbox(), now)
        sent: list[OutboxEntry] = []
        failed: list[OutboxEntry] = []
        waiting: list[OutboxEntry] = []
        guarded: list[OutboxEntry] = []
        message: str | None = None
        tried = 0
        for queued in self.store.outbox([OutboxState.PENDING]):
            if queued.not_before is not None and queued.not_before > now:
                waiting.append(queued)
                continue
            if queued.op in blocked or tried >= max_items:
                waiting.append(queued)
                continue
            paced_until = pace.wait_until(queued.op)
            if paced_until is not None:
                self._limited[queued.op] = paced_until
                blocked.add(queued.op)
                waiting.append(queued)
                message = message or pace.message(queued.op, paced_until)
                continue
            entry = self.store.outbox_entry(queued.id)  # fresh: cancelled, or given a created list's ID meanwhile
            if entry is None or entry.state is not OutboxState.PENDING:
                continue
            if _waits_for_list(entry):
                waiting.append(entry)
                continue
            refused = self._refuse_guarded(entry)  # the last check before the call, whatever queued it
            if refused is not None:
                guarded.append(refused)
                continue
            attempted = self.clock()
            if not self._sending_now(entry, attempted):
                continue  # cancelled meanwhile
            tried += 1
            created: ListInfo | None = None
            followed = FollowState.FOLLOWING
            try:
                answer = self._send(entry)
                if isinstance(answer, ListInfo):
                    created = answer
                elif answer is not None:
                    followed = answer
            except _NotSent:
                continue
            except Blocked as exc:  # X serves nothing more: stop the round, hold every call
                until = exc.until or self.clock() + CREDITS_WAIT
                self._hold_all(until)
                blocked.update(Op)
                message = str(exc)
                new = replace(
                    entry,
                    state=OutboxState.FAILED,
                    attempts=entry.attempts + 1,
                    not_before=until,
                    error=STOPPED + message,
                )
            except RateLimited as exc:
                reset = max(exc.reset_at, self.clock() + MIN_RATE_WAIT)  # never a tight retry
                self._limited[entry.op] = reset
                blocked.add(entry.op)
                new = replace(entry, not_before=reset, error=f"{RATE_LIMITED} until {format_time(reset)}")
                limited = f"{self.backend.network_name} rate limit reached: {entry.op} calls wait until"
                message = message or f"{limited} {format_time(reset)}"
            except AuthError:
                network = self.backend.network_name  # the message takes precedence over a rate-limit note
                message = AUTH_MESSAGE.format(network=network, command=sign_in_command(network))
                waiting.append(self._record(entry, entry))  # not sent: as it was
                break
            except BudgetExceeded as exc:  # nothing is sent this month: everything waits, as it was
                message = f"Not sent: {exc}"
                waiting.append(self._record(entry, entry))  # not sent: as it was
                break
            except Forbidden as exc:
                state = OutboxState.MANUAL if entry.op is Op.FOLLOW else OutboxState.FAILED
                new = replace(entry, state=state, attempts=entry.attempts + 1, error=exc.detail)
            except Refused as exc:
                new = replace(entry, state=OutboxState.FAILED, attempts=entry.attempts + 1, error=exc.detail)
            except NotFound:
                gone = "the list or the account no longer exists" if entry.list_id else "account no longer exists"
                new = replace(entry, state=OutboxState.FAILED, attempts=entry.attempts + 1, error=gone)
            except Exception as exc:  # Transient, or anything unexpected: back off, then give up
                new = self._backoff(entry, exc, self.clock())
            else:
                state = OutboxState.REQUESTED if followed is FollowState.REQUESTED else OutboxState.DONE
                new = replace(entry, state=state, attempts=entry.attempts + 1, error="")
            new = replace(new, attempted_at=attempted)
            pace.attempted(new)
            new = self._record(entry, new, created)
            done = {OutboxState.DONE: sent, OutboxState.REQUESTED: sent, OutboxState.PENDING: waiting}
            done.get(new.state, failed).append(new)
        return OutboxReport(tuple(sent), tuple(failed), tuple(waiting), message, tuple(guarded))

    def _refuse_guarded(self, entry: OutboxEntry) -> OutboxEntry | None:
        """Cancel a pending call the account's current decision forbids (no override): the cancelled entry."""
        if entry.override or entry.op not in _FOLLOW_OPS:
            return None
        with self.store.transaction():
            current = self.store.outbox_entry(entry.id)
            reason = self._guard_reason(entry.account_id, entry.op)
            if current is None or current.state is not OutboxState.PENDING or reason is None:
                return None
            return self._cancel(current, f"not sent: {reason}")

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
                self._adopt_list(sent.list_id, created)
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
                self._enqueue(Op.LIST_DELETE, "", self.clock(), list_id=created.id, detail=created.name)
                return new
            newer = [e for e in self._open_for(sent.account_id, sent.list_id) if e.id != sent.id]
            inverse = self._inverse(sent)
            if not newer and inverse is not None:
                self._enqueue(inverse, sent.account_id, self.clock(), list_id=sent.list_id)
            return new

    def _adopt_list(self, local_id: str, created: ListInfo) -> None:
        """X created a list: it takes X's ID here, in the list and in every call still waiting for it."""
        info = self.store.list_info(local_id)
        if info is None or info.kept_here:  # deleted, or taken back to this machine, while it was being created
            return
        self.store.put_list(replace(info, id=created.id), replacing=local_id)
        self._adopted[local_id] = created.id
        for entry in self.store.open_outbox(list_id=local_id):
            if entry.op is not Op.LIST_CREATE:
                self.store.update_outbox(replace(entry, list_id=created.id))
        if (created.name, created.description) != (info.name, info.description):  # edited while being created
            self._enqueue(Op.LIST_UPDATE, "", self.clock(), list_id=created.id)

    # -- helpers -------------------------------------------------------------------------------------------

    def _enqueue(
        self,
        op: Op,
        account_id: str,
        now: datetime,
        *,
        list_id: str | None = None,
        decision_seq: int | None = None,
        override: bool = False,
        detail: str = "",
    ) -> OutboxEntry:
        entry = OutboxEntry(
            id=uuid.uuid4().hex,
            op=op,
            account_id=account_id,
            created_at=now,
            list_id=list_id,
            decision_seq=decision_seq,
            override=override,
            detail=detail,
        )
        self.store.add_outbox(entry)
        return entry

    def _cancel(self, entry: OutboxEntry, error: str | None = None) -> OutboxEntry:
        cancelled = replace(entry, state=OutboxState.CANCELLED, not_before=None)
        if error is not None:
            cancelled = replace(cancelled, error=error)
        self.store.update_outbox(cancelled)
        return cancelled

    def _guard_reason(self, account_id: str, op: Op) -> str | None:
        """Why the account's current decision forbids ``op`` (without an override), or None."""
        decision = self.store.decision(account_id)
        if decision is None or _GUARDED_OP.get(decision.kind) is not op:
            return None
        account = self.store.account(account_id)
        who = f"@{account.username}" if account is not None and account.username else f"account {account_id}"
        if decision.kind is DecisionKind.KEEP:
            return f"{who} is kept (pinned), so it is not unfollowed"
        return f"{who} is marked never follow, so it is not followed"

    def _inverse(self, done: OutboxEntry) -> Op | None:
        """The call that undoes a sent one, or None when it must not be sent.

        None when the account's current decision forbids it (keep / never), or when ``done`` is a follow of an
        account the user already followed before it: the store's relationship was seen followed by a sync that
        started before the follow was decided (or followed with no time known). A sync that ran while the follow
        was sent could make a new follow look old: then the follow is left in place, never wrongly unfollowed.
        """
        inverse = _INVERSE.get(done.op)
        if inverse is None:
            return None  # a list's own calls: a newer one sends the list as it is now
        if done.op not in _FOLLOW_OPS:
            return inverse if self.store.list_info(done.list_id or "") is not None else None
        if self._guard_reason(done.account_id, inverse) is not None:
            return None
        if done.op is Op.FOLLOW:
            rel = self.store.relationship(done.account_id)
            first = rel.following_first_seen if rel is not None else None
            if rel is not None and rel.following and (first is None or first < done.created_at):
                return None
        return inverse

    def _open_for(self, account_id: str, list_id: str | None) -> list[OutboxEntry]:
        """Unsent entries aimed at the same target: the follow state, or membership of one list."""
        ops = _LIST_OPS if list_id else _FOLLOW_OPS
        return [
            e
            for e in self.store.open_outbox(account_id, list_id)
            if e.state in _UNSENT and e.op in ops and e.list_id == list_id
        ]

    def _supersede(self, account_id: str, list_id: str | None) -> None:
        for entry in self._open_for(account_id, list_id):
            self._cancel(entry)

    def _latest_for_seq(self, seq: int) -> OutboxEntry | None:
        return self.store.outbox_for_seq(seq)


class _NotSent(Exception):
    """The entry was cancelled between the check on X and its call: the call is not made."""


def _list_name(name: str) -> str:
    """A list name with its whitespace folded; ValueError if X would refuse it."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A list needs a name.")
    if len(name) > MAX_LIST_NAME:
        raise ValueError(f"A list name can have at most {MAX_LIST_NAME} characters ({len(name)} given).")
    return name


def _list_description(description: str) -> str:
    description = " ".join(description.split())
    if len(description) > MAX_LIST_DESCRIPTION:
        raise ValueError(
            f"A list description can have at most {MAX_LIST_DESCRIPTION} characters ({len(description)} given)."
        )
    return description


def _waits_for_list(entry: OutboxEntry) -> bool:
    """A membership or update call for a list X has not created yet."""
    return entry.op is not Op.LIST_CREATE and (entry.list_id or "").startswith(LOCAL_LIST_PREFIX)


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
        followed = entry.state in _SENT  # X's daily limit counts x.com too, and follow requests
        if entry.op is Op.FOLLOW and followed and at > self.now - timedelta(days=1):
            self._follows_today.append(at)

    def limit(self, op: Op) -> int:
        """Calls of ``op`` allowed in one pacing window."""
        return self.pacing.writes_per_window if op in _FOLLOW_OPS else self.pacing.list_writes_per_window

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
