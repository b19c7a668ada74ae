"""One step of the undo stack: a user action as a whole (a batch of decisions, a list change, a note edit).

A step keeps what its undo needs in ``data`` (plain JSON values), written with the action in one transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from followtui.domain.models import format_time, parse_time


class StepKind(enum.StrEnum):
    """What kind of action a step undoes."""

    DECISION = "decision"  # data: kind, seqs {account_id: decision seq}
    MEMBERS = "members"  # data: list_id, list_name, add, entries {account_id: outbox entry id}, superseded [ids]
    LIST_CREATE = "list_create"  # data: list_id, list_name, members [ids] (created with these members)
    LIST_UPDATE = "list_update"  # data: list_id, list_name, old_name, old_description, entry, superseded
    LIST_DELETE = "list_delete"  # data: list (its document), entry (the delete call), cancelled [calls]
    LIST_PUBLISH = "list_publish"  # data: list_id (its local ID), list_name, entry (the create call)
    NOTE = "note"  # data: account_id, previous (note document or null)


@dataclass(frozen=True, slots=True)
class UndoStep:
    """A recorded action; ``id`` grows with every step (0 before it is stored)."""

    kind: StepKind
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    id: int = 0

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "kind": str(self.kind), "at": format_time(self.at), "data": dict(self.data)}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> UndoStep:
        at = parse_time(doc.get("at"))
        data = doc.get("data")
        if at is None or not isinstance(data, dict):
            raise ValueError(f"bad undo step: {dict(doc)!r:.80}")
        return cls(StepKind(doc["kind"]), at, data, int(doc["id"]))
