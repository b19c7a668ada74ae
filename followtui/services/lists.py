"""The user's own lists: membership, create, rename, delete, made durable here first and sent through the outbox.

Every change writes the list and its outbox calls in one atomic write before it returns. A list's own calls
follow the queue's "newest op wins" rule (``services/queue.py``): its update sends the name and description the
list has at send time, so one unsent update stands for all edits; a list the network has not created yet needs
none, and its membership and update calls wait for the creation (it has a ``local-`` ID until then; ``adopt``
gives it the network's, and ``owned_list`` still finds it by the old one). Deleting a list cancels every unsent
call for it (its creation too: then the network never hears of it).

On Bluesky every list is public, so a new list is kept on this machine (``ListInfo.kept_here``): its members,
edits and deletion change the cache only, and no call about it is queued until ``publish_list`` queues its
creation and one add per member. ``unpublish_list`` (the undo of a publication) takes it back here, cancelling
what is unsent and deleting it on the network if it was created there.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from followtui.domain.list_limits import BLUESKY_LISTS, X_LISTS, ListLimits
from followtui.domain.models import LOCAL_LIST_PREFIX, ListInfo, Op, OutboxEntry, OutboxState
from followtui.services.accounts import BLUESKY, X
from followtui.services.queue import LIST_OPS, SENDING, UNSENT, OutboxQueue
from followtui.store.store import Store


class Unpublished(enum.StrEnum):
    """How far a list's publication had got when it was taken back to this machine."""

    UNSENT = "unsent"  # nothing had been sent: the network never heard of it
    SENDING = "sending"  # its creation was being sent: if it went through, the list is deleted there
    SENT = "sent"  # the network had it (public): its deletion there is queued


class Lists:
    """The user's lists and their membership, over a Store and the outbox queue. No UI; blocking (store writes).

    Owns the map of local list IDs to the IDs the network gave them (a UI may still hold the local one).
    """

    def __init__(self, store: Store, queue: OutboxQueue, clock: Callable[[], datetime], network: str = X) -> None:
        self.store = store
        self.queue = queue
        self.clock = clock
        self.network = network
        self.limits: ListLimits = BLUESKY_LISTS if network == BLUESKY else X_LISTS
        self._adopted: dict[str, str] = {}  # local list ID -> the ID the network gave it

    def change_membership(self, account_ids: Sequence[str], list_id: str, *, add: bool) -> list[OutboxEntry]:
        """Add several accounts to an owned list, or remove them, in one atomic write; the calls queued.

        Accounts already in the wanted state are skipped; an unsent call for the same account and list is
        superseded (cancelled). Adding beyond the network's member cap (X: 5,000) raises ValueError
        and writes nothing. Raises KeyError for a list that is not among the user's lists. A list kept on this
        machine changes here only: nothing is queued (an empty list is returned).
        """
        now = self.clock()
        with self.store.transaction():
            info = self.owned_list(list_id)
            list_id = info.id
            members = dict.fromkeys(info.member_ids)
            changing = [a for a in dict.fromkeys(account_ids) if (a in members) != add]
            cap = self.limits.members
            if add and cap is not None and len(members) + len(changing) > cap:
                room = max(0, cap - len(members))
                raise ValueError(
                    f"A list can have at most {cap:,} members on {self.limits.network_name}: {info.name} has "
                    f"{len(members):,}, so {room:,} more fit ({len(changing):,} chosen)."
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
            for entry in self.store.outbox(UNSENT):
                if entry.list_id == list_id and entry.op in LIST_OPS:
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
        ValueError for a name or description the network would refuse.
        """
        name, description = self._list_name(name), self._list_description(description)
        kept_here = self.keeps_new_lists_here
        with self.store.transaction():
            cap = self.limits.lists
            if cap is not None and len(self.store.lists()) >= cap:
                raise ValueError(f"{self.limits.network_name} allows at most {cap:,} lists per account.")
            list_id = f"{LOCAL_LIST_PREFIX}{uuid.uuid4().hex[:12]}"
            info = ListInfo(list_id, name, description, private or kept_here, kept_here=kept_here)
            self.store.put_list(info)
            if not kept_here:
                self.queue.enqueue(Op.LIST_CREATE, "", self.clock(), list_id=info.id)
        return info

    def publish_list(self, list_id: str) -> tuple[ListInfo, list[OutboxEntry]]:
        """Make a list kept on this machine a public list on the network: the list, and the calls queued.

        Its creation is queued, then one add per member (they wait for the creation, then follow with the ID the
        network gave). Raises ValueError for a list that is not kept here, KeyError for one that is not the user's.
        """
        now = self.clock()
        with self.store.transaction():
            info = self.owned_list(list_id)
            if not info.kept_here:
                raise ValueError(f"The list {info.name} is not kept on this machine: it is published already.")
            published = replace(info, kept_here=False, private=False)
            self.store.put_list(published)
            create = self.queue.enqueue(Op.LIST_CREATE, "", now, list_id=info.id)
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
            info = self.owned_list(list_id)
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
        new_name = None if name is None else self._list_name(name)
        new_description = None if description is None else self._list_description(description)
        with self.store.transaction():
            info = self.owned_list(list_id)
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
                self.queue.cancel(entry)
            if not info.local:
                self.queue.enqueue(Op.LIST_UPDATE, "", self.clock(), list_id=list_id)
        return updated

    def delete_list(self, list_id: str) -> ListInfo:
        """Delete an owned list: gone here at once, then on X through the outbox; the list as it was.

        Its unsent membership and update calls are cancelled. A list X has not created yet is just dropped (its
        creation is cancelled: no call at all). ``services/undo.py`` brings it back. Raises KeyError for a list that is not the user's.
        """
        with self.store.transaction():
            info = self.owned_list(list_id)
            list_id = info.id
            self.store.remove_list(list_id)
            unsent = self._open_list_calls(list_id, (Op.LIST_CREATE, Op.LIST_UPDATE, *LIST_OPS))
            self.store.update_outbox_many(
                [
                    replace(e, state=OutboxState.CANCELLED, not_before=None, error="not sent: the list was deleted")
                    for e in unsent
                ]
            )
            if not info.local:
                self.queue.enqueue(Op.LIST_DELETE, "", self.clock(), list_id=list_id, detail=info.name)
        return info

    def info(self, list_id: str) -> ListInfo | None:
        """The list as the cache has it now, if it is there."""
        return self.store.list_info(list_id)

    def current_id(self, info: ListInfo) -> str:
        """``info``'s ID now: X may have created the list (a new ID, the same name) since a screen read it."""
        if not info.local or self.store.list_info(info.id) is not None:
            return info.id
        return next((other.id for other in self.store.lists() if other.name == info.name), info.id)

    def owned_list(self, list_id: str) -> ListInfo:
        """The owned list, also by the ``local-`` ID it had before X created it; KeyError if there is none."""
        info = self.store.list_info(self._adopted.get(list_id, list_id))
        if info is None:
            raise KeyError(f"no list {list_id} among your lists")
        return info

    def _open_list_calls(self, list_id: str, ops: Iterable[Op]) -> list[OutboxEntry]:
        wanted = frozenset(ops)
        return [e for e in self.store.open_outbox(list_id=list_id) if e.state in UNSENT and e.op in wanted]

    def adopt(self, local_id: str, created: ListInfo) -> None:
        """X created a list: it takes X's ID here, in the list and in every call still waiting for it.

        The outbox sender calls it, in the transaction that records the creation.
        """
        info = self.store.list_info(local_id)
        if info is None or info.kept_here:  # deleted, or taken back to this machine, while it was being created
            return
        self.store.put_list(replace(info, id=created.id), replacing=local_id)
        self._adopted[local_id] = created.id
        for entry in self.store.open_outbox(list_id=local_id):
            if entry.op is not Op.LIST_CREATE:
                self.store.update_outbox(replace(entry, list_id=created.id))
        if (created.name, created.description) != (info.name, info.description):  # edited while being created
            self.queue.enqueue(Op.LIST_UPDATE, "", self.clock(), list_id=created.id)

    def _list_name(self, name: str) -> str:
        """A list name with its whitespace folded; ValueError if the network would refuse it."""
        name = " ".join(name.split())
        if problem := self.limits.name_problem(name):
            raise ValueError(problem)
        return name

    def _list_description(self, description: str) -> str:
        description = " ".join(description.split())
        if problem := self.limits.description_problem(description):
            raise ValueError(problem)
        return description
