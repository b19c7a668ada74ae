"""The outbox's queue rules over the store, shared by decisions, lists and the sender.

Ops are idempotent, and for one target (an account's follow state, or its membership of one list) the newest op
wins: enqueuing one cancels older unsent ones (``supersede``). This is the one place that rule lives.

Keep and never are enforced here, not only in the UI: no call unfollows an account whose current decision is
``KEEP`` or follows one whose current decision is ``NEVER``, unless its entry was made with an override.
``guard_reason`` says why a call is forbidden; ``inverse`` never answers a sent call with a forbidden one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from followtui.domain.models import DecisionKind, Op, OutboxEntry, OutboxState
from followtui.store.store import Store

OP_FOR_KIND = {DecisionKind.FOLLOW: Op.FOLLOW, DecisionKind.UNFOLLOW: Op.UNFOLLOW}
INVERSE = {Op.FOLLOW: Op.UNFOLLOW, Op.UNFOLLOW: Op.FOLLOW, Op.LIST_ADD: Op.LIST_REMOVE, Op.LIST_REMOVE: Op.LIST_ADD}
FOLLOW_OPS = frozenset({Op.FOLLOW, Op.UNFOLLOW})
LIST_OPS = frozenset({Op.LIST_ADD, Op.LIST_REMOVE})
# not sent (or refused): cancelled when superseded or undone
UNSENT = frozenset({OutboxState.PENDING, OutboxState.FAILED, OutboxState.MANUAL})
OWED = frozenset({OutboxState.PENDING, OutboxState.FAILED})
SENT = frozenset({OutboxState.DONE, OutboxState.BY_HAND, OutboxState.REQUESTED})  # done on X (or requested)
# the call each decision forbids (without an override) while it is the account's current one
GUARDED_OP = {DecisionKind.KEEP: Op.UNFOLLOW, DecisionKind.NEVER: Op.FOLLOW}

SENDING = "sent; no answer yet"  # written before each call: still there after a kill mid-call


class Guarded(Exception):
    """A decision or retry would unfollow a kept account or follow a never-follow one: nothing was written.

    ``account_ids`` are all the refused accounts of the batch; the message says which and why, one reason each.
    """

    def __init__(self, account_ids: Sequence[str], reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.account_ids = tuple(account_ids)
        self.reasons = tuple(reasons)


class OutboxQueue:
    """Enqueue, cancel and supersede outbox entries, and the keep / never guards, over a Store. Callers hold
    the store's transaction, so a check and the writes it leads to see the same state."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def enqueue(
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

    def cancel(self, entry: OutboxEntry, error: str | None = None) -> OutboxEntry:
        cancelled = replace(entry, state=OutboxState.CANCELLED, not_before=None)
        if error is not None:
            cancelled = replace(cancelled, error=error)
        self.store.update_outbox(cancelled)
        return cancelled

    def guard_reason(self, account_id: str, op: Op) -> str | None:
        """Why the account's current decision forbids ``op`` (without an override), or None."""
        decision = self.store.decision(account_id)
        if decision is None or GUARDED_OP.get(decision.kind) is not op:
            return None
        account = self.store.account(account_id)
        who = f"@{account.username}" if account is not None and account.username else f"account {account_id}"
        if decision.kind is DecisionKind.KEEP:
            return f"{who} is kept (pinned), so it is not unfollowed"
        return f"{who} is marked never follow, so it is not followed"

    def inverse(self, done: OutboxEntry) -> Op | None:
        """The call that undoes a sent one, or None when it must not be sent.

        None when the account's current decision forbids it (keep / never), or when ``done`` is a follow of an
        account the user already followed before it: the store's relationship was seen followed by a sync that
        started before the follow was decided (or followed with no time known). A sync that ran while the follow
        was sent could make a new follow look old: then the follow is left in place, never wrongly unfollowed.
        """
        inverse = INVERSE.get(done.op)
        if inverse is None:
            return None  # a list's own calls: a newer one sends the list as it is now
        if done.op not in FOLLOW_OPS:
            return inverse if self.store.list_info(done.list_id or "") is not None else None
        if self.guard_reason(done.account_id, inverse) is not None:
            return None
        if done.op is Op.FOLLOW:
            rel = self.store.relationship(done.account_id)
            first = rel.following_first_seen if rel is not None else None
            if rel is not None and rel.following and (first is None or first < done.created_at):
                return None
        return inverse

    def open_for(self, account_id: str, list_id: str | None) -> list[OutboxEntry]:
        """Unsent entries aimed at the same target: the follow state, or membership of one list."""
        ops = LIST_OPS if list_id else FOLLOW_OPS
        return [
            e
            for e in self.store.open_outbox(account_id, list_id)
            if e.state in UNSENT and e.op in ops and e.list_id == list_id
        ]

    def supersede(self, account_id: str, list_id: str | None) -> None:
        """Cancel the target's unsent entries: a newer op is about to be enqueued for it."""
        for entry in self.open_for(account_id, list_id):
            self.cancel(entry)
