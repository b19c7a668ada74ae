"""What the user decides about an account, made durable first and sent to the network later through the outbox.

``decide`` / ``undo`` write the decision and its outbox entry in one atomic write before they return; the
outbox sender (``services/outbox.py``) sends it. ``undo`` is for decisions; ``services/undo.py`` undoes any user
action as a whole.

Keep and never are enforced here, not only in the UI (the rules are ``services/queue.py``'s): ``decide``
refuses to unfollow a kept account or follow a never-follow one (``Guarded``) unless made with an override
(``decide(..., override=True)``); ``undo`` does not queue such an inverse, and restoring a keep / never cancels an
unsent call it forbids.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from followtui.config import DEFAULTS
from followtui.domain.models import Decision, DecisionKind, Op, OutboxEntry, OutboxState
from followtui.services.queue import GUARDED_OP, INVERSE, OP_FOR_KIND, SENT, UNSENT, Guarded, OutboxQueue
from followtui.store.store import Store

HISTORY_LIMIT = 20


class UndoEffect(enum.StrEnum):
    """What an undo did on the API side."""

    NOTHING = "nothing"  # the undone decision needed no API call (or its follow changed nothing: already followed)
    CANCELLED = "cancelled"  # its call had not been sent: cancelled
    INVERSE = "inverse"  # its call was already sent: the opposite call is queued
    REQUEUED = "requeued"  # the restored decision's own call (cancelled earlier) is queued again
    GUARDED = "guarded"  # its call was sent, but the opposite would break the restored keep / never: not queued


@dataclass(frozen=True, slots=True)
class Undone:
    """The result of ``Decisions.undo``."""

    account_id: str
    undone: Decision
    restored: Decision | None
    effect: UndoEffect
    cancelled: OutboxEntry | None = None
    queued: OutboxEntry | None = None


class Decisions:
    """Decisions and their undo, over a Store and the outbox queue. No UI; blocking (store writes)."""

    def __init__(
        self,
        store: Store,
        queue: OutboxQueue,
        clock: Callable[[], datetime],
        snooze_days: float = DEFAULTS.snooze_days,
    ) -> None:
        self.store = store
        self.queue = queue
        self.clock = clock
        self.snooze_days = snooze_days

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
                self.queue.supersede(account_id, None)
                op = OP_FOR_KIND.get(kind)
                if op is not None:
                    overridden = reasons[account_id] is not None
                    self.queue.enqueue(op, account_id, now, decision_seq=decision.seq, override=overridden)
                out.append(decision)
        if refused:
            raise Guarded(list(refused), list(refused.values()))
        return out

    def guarded(self, account_id: str, kind: DecisionKind) -> str | None:
        """Why ``decide(account_id, kind)`` would be refused without an override, or None if it would not."""
        op = OP_FOR_KIND.get(kind)
        return self.queue.guard_reason(account_id, op) if op is not None else None

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
            own = self.store.outbox_for_seq(undone.seq)
            if own is not None and own.state in UNSENT:
                cancelled = self.queue.cancel(own)
                effect = UndoEffect.CANCELLED
            elif own is not None and own.state in SENT:
                to_queue = self.queue.inverse(own)
                if to_queue is not None:
                    effect = UndoEffect.INVERSE
                elif self.queue.guard_reason(account_id, INVERSE[own.op]) is not None:
                    effect = UndoEffect.GUARDED
            override = False
            if restored is not None and restored.kind in OP_FOR_KIND:
                theirs = self.store.outbox_for_seq(restored.seq)
                if theirs is not None and theirs.state is OutboxState.CANCELLED:
                    to_queue, effect = OP_FOR_KIND[restored.kind], UndoEffect.REQUEUED
                    override = theirs.override
            queued = None
            if to_queue is not None:
                self.queue.supersede(account_id, None)
                seq = restored.seq if restored is not None else None
                queued = self.queue.enqueue(to_queue, account_id, now, decision_seq=seq, override=override)
            elif restored is not None and restored.kind in GUARDED_OP:
                forbidden = GUARDED_OP[restored.kind]
                for entry in self.queue.open_for(account_id, None):
                    if entry.op is forbidden:
                        dropped = self.queue.cancel(
                            entry, f"not sent: {self.queue.guard_reason(account_id, forbidden)}"
                        )
                        cancelled = cancelled or dropped
        return Undone(account_id, undone, restored, effect, cancelled, queued)
