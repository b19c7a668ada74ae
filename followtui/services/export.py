"""Export followers, following or decisions as JSON or CSV (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal, TextIO

from followtui.domain.models import Op, OutboxState, format_time
from followtui.domain.text import clean
from followtui.store.store import Store

ExportKind = Literal["followers", "following", "decisions"]
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
)
DECISION_COLUMNS = ("account_id", "username", "decision", "decided_at", "until", "pending_op")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]


def export(
    store: Store,
    kind: ExportKind,
    fmt: ExportFormat,
    out: TextIO,
    clock: Callable[[], datetime],
) -> int:
    """Write the rows to ``out``; returns how many were written."""
    columns: tuple[str, ...]
    if kind == "decisions":
        columns, rows = DECISION_COLUMNS, list(_decision_rows(store))
    elif kind in ("followers", "following"):
        columns, rows = ACCOUNT_COLUMNS, list(_account_rows(store, kind, clock()))
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
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _time(value: datetime | None) -> str | None:
    return format_time(value) if value else None


def _account_rows(store: Store, kind: Literal["followers", "following"], now: datetime) -> Iterator[Row]:
    ids = store.follower_ids() if kind == "followers" else store.following_ids()
    decisions = store.decisions()
    accounts = (store.account(i) for i in ids)
    for account in sorted((a for a in accounts if a), key=lambda a: (a.username.casefold(), a.id)):
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
