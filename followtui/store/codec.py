"""How state records (decisions, outbox entries, sync info) look on disk. Graph records use the models' own
``to_doc`` / ``from_doc``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from followtui.domain.models import (
    Decision,
    DecisionKind,
    Op,
    OutboxEntry,
    OutboxState,
    SyncInfo,
    format_time,
    parse_time,
)


def _time(value: datetime | None) -> str | None:
    return format_time(value) if value else None


def _required_time(value: object, what: str) -> datetime:
    parsed = parse_time(value if isinstance(value, str) else None)
    if parsed is None:
        raise ValueError(f"{what} is missing or not a timestamp: {value!r}")
    return parsed


def decision_to_doc(decision: Decision) -> dict[str, Any]:
    return {
        "account_id": decision.account_id,
        "kind": str(decision.kind),
        "decided_at": format_time(decision.decided_at),
        "seq": decision.seq,
        "until": _time(decision.until),
    }


def decision_from_doc(doc: Mapping[str, Any]) -> Decision:
    return Decision(
        account_id=str(doc["account_id"]),
        kind=DecisionKind(doc["kind"]),
        decided_at=_required_time(doc.get("decided_at"), "decided_at"),
        seq=int(doc["seq"]),
        until=parse_time(doc.get("until")),
    )


def decision_record(decision: Decision, history: Sequence[Decision]) -> dict[str, Any]:
    """The ``decisions`` document: the current decision plus the earlier ones, oldest first, for undo."""
    return decision_to_doc(decision) | {"history": [decision_to_doc(d) for d in history]}


def entry_to_doc(entry: OutboxEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "op": str(entry.op),
        "account_id": entry.account_id,
        "created_at": format_time(entry.created_at),
        "state": str(entry.state),
        "list_id": entry.list_id,
        "attempts": entry.attempts,
        "not_before": _time(entry.not_before),
        "error": entry.error,
        "decision_seq": entry.decision_seq,
        "attempted_at": _time(entry.attempted_at),
        "override": entry.override,
        "detail": entry.detail,
    }


def entry_from_doc(doc: Mapping[str, Any]) -> OutboxEntry:
    seq = doc.get("decision_seq")
    list_id = doc.get("list_id")
    return OutboxEntry(
        id=str(doc["id"]),
        op=Op(doc["op"]),
        account_id=str(doc["account_id"]),
        created_at=_required_time(doc.get("created_at"), "created_at"),
        state=OutboxState(doc.get("state") or OutboxState.PENDING),
        list_id=None if list_id is None else str(list_id),
        attempts=int(doc.get("attempts") or 0),
        not_before=parse_time(doc.get("not_before")),
        error=str(doc.get("error") or ""),
        decision_seq=None if seq is None else int(seq),
        attempted_at=parse_time(doc.get("attempted_at")),
        override=bool(doc.get("override", False)),
        detail=str(doc.get("detail") or ""),
    )


def sync_to_doc(info: SyncInfo) -> dict[str, Any]:
    # orjson round trip: fails early on values JSON cannot hold, and detaches the caller's dict
    extra = orjson.loads(orjson.dumps(info.extra))
    return {
        "last_sync": _time(info.last_sync),
        "previous_sync": _time(info.previous_sync),
        "source": info.source,
        "extra": extra,
    }


def sync_from_doc(doc: Mapping[str, Any] | None) -> SyncInfo:
    if not doc:
        return SyncInfo()
    extra = doc.get("extra") or {}
    return SyncInfo(
        last_sync=parse_time(doc.get("last_sync")),
        previous_sync=parse_time(doc.get("previous_sync")),
        source=str(doc.get("source") or ""),
        extra=orjson.loads(orjson.dumps(extra)),  # a deep copy the caller may mutate
    )
