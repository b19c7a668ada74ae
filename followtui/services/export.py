"""Export followers, following, the triage queues, decisions, lists or notes as JSON or CSV (safe in a spreadsheet)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TextIO

from followtui.domain.models import Op, OutboxState, format_time
from followtui.domain.text import clean

if TYPE_CHECKING:  # ``followtui export --help`` needs EXPORT_KINDS, not the store
    from followtui.services.triage import Triage
    from followtui.store.store import Store

ExportKind = Literal["followers", "following", "candidates", "new", "decisions", "lists", "notes", "history"]
EXPORT_KINDS: tuple[ExportKind, ...] = (
    "followers",
    "following",
    "candidates",
    "new",
    "decisions",
    "lists",
    "notes",
    "history",
)
ExportFormat = Literal["json", "csv"]

ACCOUNT_COLUMNS = (
    "id",
    "username",
    "name",
    "location",
    "description",
    "created_at",
    "followers_count",
    "following_count",
    "tweet_count",
    "protected",
    "verified_type",
    "state",
    "follower",
    "following",
    "first_seen",
    "last_seen",
    "decision",
    "hydrated",
    "muted",
)
QUEUE_COLUMNS = (*ACCOUNT_COLUMNS, "signals", "reasons")
DECISION_COLUMNS = ("account_id", "username", "decision", "decided_at", "until", "pending_op")
NOTE_COLUMNS = ("account_id", "username", "note", "tags", "updated_at")
LIST_COLUMNS = (
    "list_id",
    "list_name",
    "description",
    "private",
    "kept_here",
    "member_count",
    "account_id",
    "username",
    "name",
)
MEMBER_FIELDS = ("id", "username", "name")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]


def export(
    store: Store,
    kind: ExportKind,
    fmt: ExportFormat,
    out: TextIO,
    clock: Callable[[], datetime],
    triage: Triage | None = None,
) -> int:
    """Write the rows to ``out``; returns how many were written.

    ``candidates`` (the unfollow pane) and ``new`` (the new-followers pane) carry each account's signals: in JSON
    a list of ``{kind, strength, sentence}``, in CSV the kinds joined by ``;`` and the sentences by `` | ``.
    ``lists``: in JSON one object per list with its ``members`` nested; in CSV one row per list and member (a list
    with no known members gets one row with the member cells empty). ``history``: followers gained and lost per
    day (``services.growth``).
    """
    columns: tuple[str, ...]
    if kind == "decisions":
        columns, rows = DECISION_COLUMNS, list(_decision_rows(store))
    elif kind in ("followers", "following"):
        ids = store.follower_ids() if kind == "followers" else store.following_ids()
        columns, rows = ACCOUNT_COLUMNS, list(_account_rows(store, _by_name(store, ids), kind, clock()))
    elif kind in ("candidates", "new"):
        from followtui.services.triage import Triage

        triage = triage or Triage(store, clock)
        queue = triage.unfollow_candidates() if kind == "candidates" else triage.new_followers()
        side: Literal["followers", "following"] = "following" if kind == "candidates" else "followers"
        columns = QUEUE_COLUMNS
        rows = [_with_signals(row, triage, fmt) for row in _account_rows(store, queue.ids, side, clock())]
    elif kind == "notes":
        columns, rows = NOTE_COLUMNS, list(_note_rows(store))
    elif kind == "lists":
        columns, rows = LIST_COLUMNS, _list_rows(store, nested=fmt == "json")
    elif kind == "history":
        from followtui.services.growth import HISTORY_COLUMNS, follower_growth

        growth = follower_growth(store.relationships(), store.sync_info().first_sync, clock().date())
        columns, rows = HISTORY_COLUMNS, [day.to_row() for day in growth.days]
    else:
        raise ValueError(f"unknown export kind {kind!r}")
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return len(rows)


def csv_cell(value: object) -> str:
    """A CSV cell: control characters and escape sequences removed (a bare carriage return would split the row in
    many readers), and text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = clean(str(value)) if isinstance(value, str) else str(value)
    if isinstance(value, str) and text.lstrip().startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _time(value: datetime | None) -> str | None:
    return format_time(value) if value else None


def _by_name(store: Store, ids: Iterable[str]) -> list[str]:
    """Known accounts by handle (from the raw documents: the rows build the objects once, later)."""
    docs = ((i, store.account_doc(i)) for i in ids)
    return [i for _, i in sorted((str(doc.get("username") or "").casefold(), i) for i, doc in docs if doc)]


def _account_rows(
    store: Store, ids: Iterable[str], kind: Literal["followers", "following"], now: datetime
) -> Iterator[Row]:
    decisions = store.decisions()
    for account_id in ids:
        account = store.account(account_id)
        if account is None:
            continue
        rel = store.relationship(account.id)
        if rel is None:
            continue
        if kind == "followers":
            first, last = rel.follower_first_seen, rel.follower_last_seen
        else:
            first, last = rel.following_first_seen, rel.following_last_seen
        decision = decisions.get(account.id)
        yield {
            "id": account.id,
            "username": account.username,
            "name": account.name,
            "location": account.location,
            "description": account.description,
            "created_at": _time(account.created_at),
            "followers_count": account.followers_count,
            "following_count": account.following_count,
            "tweet_count": account.tweet_count,
            "protected": account.protected,
            "verified_type": str(account.verified_type),
            "state": str(account.state),
            "follower": rel.follower,
            "following": rel.following,
            "first_seen": _time(first),
            "last_seen": _time(last),
            "decision": str(decision.kind) if decision and decision.active(now) else None,
            "hydrated": account.hydrated,
            "muted": account.muted,
        }


def _decision_rows(store: Store) -> Iterator[Row]:
    owed: dict[str, str] = {}
    for entry in store.outbox([OutboxState.PENDING, OutboxState.FAILED, OutboxState.MANUAL]):
        if entry.op in (Op.FOLLOW, Op.UNFOLLOW):
            suffix = "" if entry.state is OutboxState.PENDING else f" ({entry.state})"
            owed[entry.account_id] = f"{entry.op}{suffix}"
    for decision in sorted(store.decisions().values(), key=lambda d: d.seq):
        account = store.account(decision.account_id)
        yield {
            "account_id": decision.account_id,
            "username": account.username if account else None,
            "decision": str(decision.kind),
            "decided_at": format_time(decision.decided_at),
            "until": _time(decision.until),
            "pending_op": owed.get(decision.account_id),
        }


def _with_signals(row: Row, triage: Triage, fmt: ExportFormat) -> Row:
    signals = triage.signals(row["id"])
    if fmt == "json":
        return row | {
            "signals": [{"kind": str(x.kind), "strength": x.strength, "sentence": x.sentence} for x in signals]
        }
    return row | {"signals": ";".join(str(x.kind) for x in signals), "reasons": " | ".join(x.sentence for x in signals)}


def _list_rows(store: Store, *, nested: bool) -> list[Row]:
    out: list[Row] = []
    for info in sorted(store.lists(), key=lambda i: (i.name.casefold(), i.id)):
        members = []
        for account_id in info.member_ids:
            account = store.account(account_id)
            members.append(
                {
                    "id": account_id,
                    "username": account.username if account else None,
                    "name": account.name if account else None,
                }
            )
        head = {
            "list_id": info.id,
            "list_name": info.name,
            "description": info.description,
            "private": info.private,
            "kept_here": info.kept_here,  # on this machine only (Bluesky, until published)
            "member_count": len(info.member_ids),
        }
        if nested:
            out.append(head | {"members": members})
            continue
        for member in members or [dict.fromkeys(MEMBER_FIELDS)]:
            out.append(head | {"account_id": member["id"], "username": member["username"], "name": member["name"]})
    return out


def _note_rows(store: Store) -> Iterator[Row]:
    for note in sorted(store.notes().values(), key=lambda n: n.updated_at):
        account = store.account(note.account_id)
        yield {
            "account_id": note.account_id,
            "username": account.username if account else None,
            "note": note.text,
            "tags": " ".join(f"#{t}" for t in note.tags),
            "updated_at": format_time(note.updated_at),
        }
