"""Export: each kind in each format, formula-injection guard, hostile text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from conftest import FakeClock, sample_graph

from followtui.domain.models import Decision, DecisionKind, Op, OutboxEntry
from followtui.domain.text import clean
from followtui.services.export import ACCOUNT_COLUMNS, DECISION_COLUMNS, csv_cell, export
from followtui.store import Store

HOSTILE = 'line1\nline2, "quoted" ;\ttab — ünï 🐦 \\ end'


@pytest.fixture
def filled(store: Store, clock: FakeClock) -> Store:
    graph = sample_graph(6)
    accounts = graph["accounts"]
    accounts[1] = replace(accounts[1], name='=HYPERLINK("http://evil")', description=HOSTILE)
    accounts[3] = replace(accounts[3], location="+1 555", username="@weird")
    store.replace_graph(**graph)
    store.put_decision(Decision("1002", DecisionKind.FOLLOW, clock.now, store.next_seq()), [])
    store.add_outbox(OutboxEntry(id="x", op=Op.FOLLOW, account_id="1002", created_at=clock.now, decision_seq=1))
    store.put_decision(Decision("1003", DecisionKind.KEEP, clock.now, store.next_seq()), [])
    expired = Decision("1004", DecisionKind.SNOOZE, clock.now, store.next_seq(), until=clock.now)
    store.put_decision(expired, [])
    return store


def run(store: Store, kind: str, fmt: str, clock: FakeClock) -> str:
    out = io.StringIO()
    export(store, kind, fmt, out, clock)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("kind", ["followers", "following", "decisions"])
def test_json_and_csv_agree(filled: Store, clock: FakeClock, kind: str) -> None:
    rows = json.loads(run(filled, kind, "json", clock))
    table = list(csv.DictReader(io.StringIO(run(filled, kind, "csv", clock))))
    columns = DECISION_COLUMNS if kind == "decisions" else ACCOUNT_COLUMNS
    assert all(tuple(r) == columns for r in rows)
    assert [r["id" if kind != "decisions" else "account_id"] for r in table] == [
        r["id" if kind != "decisions" else "account_id"] for r in rows
    ]
    expected = {
        "followers": ["1004", "1002", "1006"],  # sorted by username: "@weird" first
        "following": ["1003", "1006"],
        "decisions": ["1002", "1003", "1004"],
    }[kind]
    assert [r.get("id") or r.get("account_id") for r in rows] == expected


def test_follower_row(filled: Store, clock: FakeClock) -> None:
    rows = {r["id"]: r for r in json.loads(run(filled, "followers", "json", clock))}
    row = rows["1002"]
    assert row["description"] == HOSTILE  # JSON keeps text as is
    assert row["follower"] is True and row["following"] is False
    assert row["followers_count"] == 20 and row["first_seen"] == "2025-03-01T12:00:00.000Z"
    assert row["decision"] == "follow"
    assert rows["1004"]["decision"] is None  # an expired snooze no longer counts


def test_decision_rows(filled: Store, clock: FakeClock) -> None:
    rows = json.loads(run(filled, "decisions", "json", clock))
    assert rows[0] == {
        "account_id": "1002",
        "username": "user2",
        "decision": "follow",
        "decided_at": "2025-03-01T12:00:00.000Z",
        "until": None,
        "pending_op": "follow",
    }
    assert rows[2]["until"] == "2025-03-01T12:00:00.000Z" and rows[2]["pending_op"] is None


def test_csv_guards_formulas_and_keeps_hostile_text(filled: Store, clock: FakeClock) -> None:
    text = run(filled, "followers", "csv", clock)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["1002"]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows["1002"]["description"] == clean(HOSTILE)  # control characters dropped, the rest kept
    assert rows["1004"]["username"] == "'@weird" and rows["1004"]["location"] == "'+1 555"
    assert rows["1002"]["follower"] == "true" and rows["1002"]["followers_count"] == "20"
    assert rows["1006"]["decision"] == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", " x"),
        ("a\rb\x07", "a b"),
        ("ok", "ok"),
        (-2, "-2"),
        (None, ""),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_empty_store(store: Store, clock: FakeClock) -> None:
    assert json.loads(run(store, "followers", "json", clock)) == []
    assert run(store, "decisions", "csv", clock).strip() == ",".join(DECISION_COLUMNS)


def test_unknown_kind(store: Store, clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="unknown export kind"):
        run(store, "mutuals", "csv", clock)
