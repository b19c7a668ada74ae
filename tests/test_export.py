"""Export: each kind in each format, lists with their members, unhydrated accounts, formula-injection guard, hostile
text, and ``--output`` written atomically with mode 0600."""

from __future__ import annotations

import csv
import io
import json
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from followtui.cli import main
from followtui.domain.models import Account, Decision, DecisionKind, ListInfo, Op, OutboxEntry, Relationship
from followtui.domain.text import clean
from followtui.services.export import (
    ACCOUNT_COLUMNS,
    DECISION_COLUMNS,
    LIST_COLUMNS,
    ExportFormat,
    ExportKind,
    csv_cell,
    export,
)
from followtui.store import Store
from tests.factories import FakeClock, sample_graph

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


def run(store: Store, kind: ExportKind, fmt: ExportFormat, clock: FakeClock) -> str:
    out = io.StringIO()
    export(store, kind, fmt, out, clock)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["followers", "following", "decisions"])
def test_json_and_csv_agree(filled: Store, clock: FakeClock, kind: ExportKind) -> None:
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
        ("\t=cmd", "' =cmd"),  # a formula behind whitespace is still guarded
        ("\r+1", "' +1"),
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
        run(store, "mutuals", "csv", clock)  # type: ignore[arg-type]  # the point: not an ExportKind


LISTS = (
    ListInfo(id="77", name="friends", description="=evil()", member_ids=("1001", "1002", "999")),
    ListInfo(id="55", name="Archive list", description="members unknown"),
)


def test_lists_json_nests_members(store: Store, clock: FakeClock) -> None:
    store.replace_graph(**sample_graph(lists=LISTS))
    rows = json.loads(run(store, "lists", "json", clock))
    assert [r["list_id"] for r in rows] == ["55", "77"]  # by name
    assert rows[0]["members"] == [] and rows[0]["member_count"] == 0
    assert rows[1]["members"] == [
        {"id": "1001", "username": "user1", "name": "User 1"},
        {"id": "1002", "username": "user2", "name": "User 2"},
        {"id": "999", "username": None, "name": None},  # a member the cache holds no account for
    ]
    assert rows[1]["private"] is True and rows[1]["description"] == "=evil()"


def test_lists_csv_has_a_row_per_list_and_member(store: Store, clock: FakeClock) -> None:
    store.replace_graph(**sample_graph(lists=LISTS))
    table = list(csv.DictReader(io.StringIO(run(store, "lists", "csv", clock))))
    assert tuple(table[0]) == LIST_COLUMNS
    assert [(r["list_id"], r["account_id"]) for r in table] == [
        ("55", ""),
        ("77", "1001"),
        ("77", "1002"),
        ("77", "999"),
    ]
    assert table[1]["username"] == "user1" and table[1]["member_count"] == "3"
    assert table[1]["description"] == "'=evil()"


def test_unhydrated_and_muted_accounts_are_marked(store: Store, clock: FakeClock) -> None:
    graph = sample_graph(2)
    graph["accounts"] += [Account("5", "", hydrated=False, muted=True)]
    graph["relationships"] += [Relationship("5", follower=True)]
    store.replace_graph(**graph)
    rows = {r["id"]: r for r in json.loads(run(store, "followers", "json", clock))}
    assert rows["5"]["hydrated"] is False and rows["5"]["muted"] is True and rows["5"]["username"] == ""
    assert rows["1002"]["hydrated"] is True and rows["1002"]["muted"] is False


def test_output_file_is_atomic_and_private(
    filled: Store, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    filled.close()
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    target = tmp_path / "out" / "lists.csv"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o644)
    assert main(["export", "lists", "--format", "csv", "--output", str(target), "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text().startswith(",".join(LIST_COLUMNS))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["lists.csv"]  # no temp file left
