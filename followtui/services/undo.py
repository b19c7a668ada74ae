"""One undo stack of user actions: each action is recorded as a step in the same transaction as the action
itself (so a step survives a restart exactly when its action does), and ``undo`` takes back the newest step as
a whole: a batch of decisions, a list membership change, a list's creation, edit or deletion, a note.

On the X side an undo follows the outbox's rule: a call still queued is cancelled, one already sent is answered
by the opposite call (or, for a deleted list, by creating it again with its members). A list kept on this
machine (Bluesky) has no calls to cancel or answer; the undo of its publication takes it back here, cancelling what
is unsent and deleting it on the network if it was created there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from followtui.domain.models import (
    LOCAL_LIST_PREFIX,
    Decision,
    DecisionKind,
    ListInfo,
    Op,
    OutboxEntry,
    OutboxState,
)
from followtui.domain.notes import Note, normalise
from followtui.domain.undo import StepKind, UndoStep
from followtui.services.accounts import network_name
from followtui.services.decisions import Decisions, Undone
from followtui.services.history import Progress
from followtui.services.lists import Lists, Unpublished
from followtui.services.queue import LIST_OPS, UNSENT
from followtui.store.store import Store

UNDO_LIMIT = 200
"""Steps kept on the stack; older ones can no longer be undone from ``z`` (decisions still can, from history)."""

_REACHED = frozenset({OutboxState.DONE, OutboxState.BY_HAND})


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What ``undo`` took back: the step, and for decisions the per-account results."""

    step: UndoStep
    what: str  # "skip of @ada", "adding 3 accounts to Birders": for the toast
    decisions: tuple[Undone, ...] = ()
    sends: bool = False  # an API call was queued: the outbox should run
    account_ids: tuple[str, ...] = ()  # the accounts it concerned (to show them again)


class UndoStack:
    """The user's actions, recorded with their undo steps, and ``undo``. No UI; blocking (store writes)."""

    def __init__(
        self,
        store: Store,
        decisions: Decisions,
        lists: Lists,
        clock: Callable[[], datetime],
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.decisions = decisions
        self.lists = lists
        self.clock = clock
        self.progress = progress

    # -- recorded actions ----------------------------------------------------------------------------------

    def decide(self, account_ids: Sequence[str], kind: DecisionKind, *, override: bool = False) -> list[Decision]:
        """``Decisions.decide_many`` as one undo step (a confirmed batch is undone at once)."""
        with self.store.transaction():
            decisions = self.decisions.decide_many(account_ids, kind, override=override)
            seqs = {d.account_id: d.seq for d in decisions}
            self._push(StepKind.DECISION, kind=str(kind), seqs=seqs)
        self._counted(seqs)
        return decisions

    def change_membership(self, account_ids: Sequence[str], list_id: str, *, add: bool) -> list[OutboxEntry]:
        """``Lists.change_membership`` as one undo step."""
        with self.store.transaction():
            queued = self._membership(account_ids, list_id, add=add)
        return queued

    def apply_list(
        self,
        account_ids: Sequence[str],
        list_id: str | None,
        new_name: str | None,
        *,
        add: bool,
        description: str = "",
    ) -> str:
        """Add to (or take off) a list, creating it first when ``new_name`` is given: one step. The list's ID."""
        with self.store.transaction():
            if new_name is None:
                assert list_id is not None
                self._membership(account_ids, list_id, add=add)
                return list_id
            info = self.lists.create_list(new_name, description)  # ValueError: X would refuse the name
            self.lists.change_membership(account_ids, info.id, add=True)  # ValueError: too many members
            self._push(StepKind.LIST_CREATE, list_id=info.id, list_name=info.name, members=list(account_ids))
            return info.id

    def create_list(self, name: str, description: str = "") -> ListInfo:
        with self.store.transaction():
            info = self.lists.create_list(name, description)
            self._push(StepKind.LIST_CREATE, list_id=info.id, list_name=info.name, members=[])
        return info

    def update_list(self, list_id: str, *, name: str | None = None, description: str | None = None) -> ListInfo:
        with self.store.transaction():
            before = self.store.list_info(list_id)
            superseded = bool(self._open_updates(list_id))
            info = self.lists.update_list(list_id, name=name, description=description)
            if before is not None and info != before:
                own = self._open_updates(info.id)
                self._push(
                    StepKind.LIST_UPDATE,
                    list_id=info.id,
                    list_name=info.name,
                    old_name=before.name,
                    old_description=before.description,
                    entry=own[-1].id if own else None,
                    superseded=superseded,
                )
        return info

    def delete_list(self, list_id: str) -> ListInfo:
        with self.store.transaction():
            cancelled = [
                {"op": str(e.op), "account_id": e.account_id, "detail": e.detail}
                for e in self.store.outbox(UNSENT)
                if e.list_id == list_id
            ]
            info = self.lists.delete_list(list_id)
            pending = reversed(self.store.outbox([OutboxState.PENDING]))
            delete = next((e for e in pending if e.op is Op.LIST_DELETE and e.list_id == info.id), None)
            entry = delete.id if delete is not None else None
            self._push(StepKind.LIST_DELETE, list=info.to_doc(), list_name=info.name, entry=entry, cancelled=cancelled)
        return info

    def publish_list(self, list_id: str) -> tuple[ListInfo, list[OutboxEntry]]:
        """``Lists.publish_list`` as one step; its undo takes the list back to this machine."""
        with self.store.transaction():
            info, queued = self.lists.publish_list(list_id)
            self._push(StepKind.LIST_PUBLISH, list_id=info.id, list_name=info.name, entry=queued[0].id)
        return info, queued

    def set_note(self, account_id: str, text: str) -> Note | None:
        """Save a note (empty text deletes it) as one step; the note, or None when deleted."""
        with self.store.transaction():
            previous = self.store.note(account_id)
            note = Note(account_id, normalise(text), self.clock())
            if previous is not None and previous.text == note.text:
                return previous
            self.store.put_note(note)
            self._push(StepKind.NOTE, account_id=account_id, previous=previous.to_doc() if previous else None)
        return note if note.text else None

    # -- undo ----------------------------------------------------------------------------------------------

    def undo(self) -> UndoResult | None:
        """Take back the newest step as a whole; None when there is nothing left to undo."""
        with self.store.transaction():
            step = self.store.last_undo()
            if step is None:
                return None
            self.store.drop_undo(step.id)
            undo = {
                StepKind.DECISION: self._undo_decisions,
                StepKind.MEMBERS: self._undo_members,
                StepKind.LIST_CREATE: self._undo_create,
                StepKind.LIST_UPDATE: self._undo_update,
                StepKind.LIST_DELETE: self._undo_delete,
                StepKind.LIST_PUBLISH: self._undo_publish,
                StepKind.NOTE: self._undo_note,
            }[step.kind]
            result = undo(step)
        if step.kind is StepKind.DECISION:
            self._counted(result.account_ids)
        return result

    def undo_decision(self, account_id: str) -> Undone | None:
        """Undo one account's current decision (from the history), leaving the rest of its step on the stack."""
        with self.store.transaction():
            current = self.store.decision(account_id)
            undone = self.decisions.undo_decision(account_id)
            if current is not None:
                self._forget_seq(account_id, current.seq)
        self._counted([account_id])
        return undone

    # -- helpers -------------------------------------------------------------------------------------------

    def _push(self, step_kind: StepKind, /, **data: Any) -> None:
        self.store.push_undo(UndoStep(step_kind, self.clock(), data), keep=UNDO_LIMIT)

    def _counted(self, account_ids: Iterable[str]) -> None:
        if self.progress is not None:
            self.progress.changed(account_ids)

    def _membership(self, account_ids: Sequence[str], list_id: str, *, add: bool) -> list[OutboxEntry]:
        ids = set(account_ids)
        superseded = {
            e.account_id
            for e in self.store.outbox(UNSENT)
            if e.op in LIST_OPS and e.list_id == list_id and e.account_id in ids
        }
        before = self.lists.owned_list(list_id)  # KeyError: not the user's list
        queued = self.lists.change_membership(account_ids, list_id, add=add)
        entries: dict[str, str | None] = {e.account_id: e.id for e in queued}
        if before.kept_here:  # no calls: the accounts that changed, with no entry to check
            changed = [a for a in dict.fromkeys(account_ids) if (a in before.member_ids) != add]
            entries = dict.fromkeys(changed)
        if entries:
            self._push(
                StepKind.MEMBERS,
                list_id=before.id,
                list_name=before.name,
                add=add,
                entries=entries,
                superseded=sorted(superseded.intersection(entries)),
            )
        return queued

    def _open_updates(self, list_id: str) -> list[OutboxEntry]:
        return [e for e in self.store.outbox(UNSENT) if e.op is Op.LIST_UPDATE and e.list_id == list_id]

    def _reached(self, entry_id: str | None) -> bool:
        """Whether the call may have reached X (sent, or no longer known: then assume it was)."""
        if entry_id is None:
            return False
        entry = self.store.outbox_entry(entry_id)
        return entry is None or entry.state in _REACHED

    def _list(self, list_id: str, name: str) -> ListInfo | None:
        """The list now: by its ID, or, for one X has created since (a new ID), by its name."""
        info = self.store.list_info(list_id)
        if info is None and list_id.startswith(LOCAL_LIST_PREFIX):
            info = next((i for i in self.store.lists() if i.name == name and not i.local), None)
        return info

    def _forget_seq(self, account_id: str, seq: int) -> None:
        """Take an account out of the decision step that holds its decision ``seq`` (undone from the history)."""
        for step in self.store.undo_steps():  # the newest first; usually one of the first few
            seqs = step.data.get("seqs") if step.kind is StepKind.DECISION else None
            if isinstance(seqs, Mapping) and seqs.get(account_id) == seq:
                left = {a: s for a, s in seqs.items() if a != account_id}
                if left:
                    self.store.put_undo(replace(step, data={**step.data, "seqs": left}))
                else:
                    self.store.drop_undo(step.id)
                return

    def _who(self, account_ids: Sequence[str]) -> str:
        if len(account_ids) != 1:
            return f"{len(account_ids)} accounts"
        account = self.store.account(account_ids[0])
        return f"@{account.username}" if account is not None and account.username else account_ids[0]

    # -- one undo per kind ---------------------------------------------------------------------------------

    def _undo_decisions(self, step: UndoStep) -> UndoResult:
        seqs: Mapping[str, int] = step.data.get("seqs") or {}
        results: list[Undone] = []
        for account_id, seq in seqs.items():
            current = self.store.decision(account_id)
            if current is not None and current.seq == seq:
                undone = self.decisions.undo_decision(account_id)
                if undone is not None:
                    results.append(undone)
        kind = DecisionKind(step.data.get("kind", DecisionKind.SKIP))
        ids = tuple(seqs)
        sends = any(u.queued is not None for u in results)
        return UndoResult(step, f"{kind.label} of {self._who(ids)}", tuple(results), sends, ids)

    def _undo_members(self, step: UndoStep) -> UndoResult:
        data = step.data
        add = bool(data.get("add"))
        entries: Mapping[str, str] = data.get("entries") or {}
        superseded = set(data.get("superseded") or ())
        ids = tuple(entries)
        verb = f"adding {self._who(ids)} to" if add else f"removing {self._who(ids)} from"
        info = self._list(str(data.get("list_id")), str(data.get("list_name")))
        if info is None:
            return UndoResult(step, f"{verb} {data.get('list_name')} (the list is gone: nothing to do)")
        # decided before the change below cancels them: did each call reach X, or replace one that was owed?
        quiet = {a for a, entry_id in entries.items() if not self._reached(entry_id) and a not in superseded}
        queued = self.lists.change_membership(ids, info.id, add=not add)
        never_sent = [e for e in queued if e.account_id in quiet]  # X never heard of it: nothing to send back
        self.store.update_outbox_many([replace(e, state=OutboxState.CANCELLED) for e in never_sent])
        return UndoResult(step, f"{verb} {info.name}", sends=len(queued) > len(never_sent), account_ids=ids)

    def _undo_create(self, step: UndoStep) -> UndoResult:
        data = step.data
        members = tuple(data.get("members") or ())
        what = f"the new list {data.get('list_name')}" + (f" with {self._who(members)}" if members else "")
        info = self._list(str(data.get("list_id")), str(data.get("list_name")))
        if info is None:
            return UndoResult(step, f"{what} (already gone)")
        self.lists.delete_list(info.id)
        return UndoResult(step, what, sends=not info.local, account_ids=members)

    def _undo_update(self, step: UndoStep) -> UndoResult:
        data = step.data
        what = f"the edit of the list {data.get('old_name')}"
        info = self._list(str(data.get("list_id")), str(data.get("list_name")))
        if info is None:
            return UndoResult(step, f"{what} (the list is gone)")
        entry = data.get("entry")
        reached = self._reached(entry) if entry else not info.local  # created on X since, with the new name
        self.lists.update_list(
            info.id, name=str(data.get("old_name")), description=str(data.get("old_description") or "")
        )
        sends = bool(self._open_updates(info.id))
        if not reached and not data.get("superseded"):
            self.store.update_outbox_many(
                [replace(e, state=OutboxState.CANCELLED) for e in self._open_updates(info.id)]
            )
            sends = False
        return UndoResult(step, what, sends=sends)

    def _undo_delete(self, step: UndoStep) -> UndoResult:
        data = step.data
        info = ListInfo.from_doc(dict(data["list"]))
        now = self.clock()
        entry_id = data.get("entry")
        reached = self._reached(entry_id)
        delete = self.store.outbox_entry(entry_id) if entry_id else None
        if delete is not None and delete.state in UNSENT:
            self.store.update_outbox(replace(delete, state=OutboxState.CANCELLED, not_before=None))
        if reached:  # X deleted it, and never reuses an ID: a new list with the same name and members
            info = replace(info, id=f"{LOCAL_LIST_PREFIX}{uuid.uuid4().hex[:12]}")
            calls = [(Op.LIST_CREATE, "", ""), *((Op.LIST_ADD, m, "") for m in info.member_ids)]
        else:  # X still has it (or never had it): the calls the delete cancelled are owed again
            calls = [(Op(c["op"]), str(c["account_id"]), str(c.get("detail") or "")) for c in data["cancelled"]]
        self.store.put_list(info)
        self.store.add_outbox_many(
            [
                OutboxEntry(uuid.uuid4().hex, op, account_id, now, list_id=info.id, detail=detail)
                for op, account_id, detail in calls
            ]
        )
        size = len(info.member_ids)
        what = f"deleting the list {info.name} ({size} member{'s' if size != 1 else ''} back)"
        return UndoResult(step, what, sends=bool(calls), account_ids=info.member_ids)

    def _undo_publish(self, step: UndoStep) -> UndoResult:
        data = step.data
        local_id, name = str(data.get("list_id")), str(data.get("list_name"))
        create = self.store.outbox_entry(str(data.get("entry") or ""))  # given the network's ID once it is made
        info = self.store.list_info(create.list_id) if create is not None and create.list_id else None
        info = info or self._list(local_id, name)
        if info is None:
            return UndoResult(step, f"publishing {name} (the list is gone: nothing to do)")
        kept, how = self.lists.unpublish_list(info.id, local_id)
        network = network_name(self.lists.network)
        said = {
            Unpublished.UNSENT: "nothing had been sent",
            Unpublished.SENDING: f"its creation was being sent: if it reached {network}, it is deleted there",
            Unpublished.SENT: f"it was public on {network} already, so its deletion there is queued",
        }[how]
        what = f"publishing {kept.name}: kept on this machine again; {said}"
        return UndoResult(step, what, sends=how is not Unpublished.UNSENT, account_ids=kept.member_ids)

    def _undo_note(self, step: UndoStep) -> UndoResult:
        account_id = str(step.data["account_id"])
        previous = step.data.get("previous")
        note = Note.from_doc(previous) if isinstance(previous, Mapping) else Note(account_id, "", self.clock())
        self.store.put_note(note)
        return UndoResult(step, f"the note on {self._who([account_id])}", account_ids=(account_id,))
