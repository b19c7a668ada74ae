"""graph.jsonl: rows round-trip, read by field name, damage is reported by line, and format 1 is migrated."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from followtui.domain.models import Account, AccountState, Post
from followtui.store import FORMAT_VERSION, Store, StoreCorrupt, StoreError
from followtui.store.graphfile import GraphData, read_graph, write_graph
from followtui.store.rows import (
    ACCOUNT_FIELDS,
    account_doc,
    account_row,
    post_row,
    relationship_doc,
    relationship_row,
)
from tests.factories import T0, sample_graph


def rich_account(**changes: Any) -> Account:
    post = Post(id="5", author_id="1001", text="Grüße 🦜", created_at=T0, in_reply_to_user_id="1", mentioned_ids=("1",))
    fields: dict[str, Any] = {
        "id": "1001",
        "username": "jürgen",
        "name": "Jürgen",
        "description": "[b]bold[/b] \x1b[31m",
        "created_at": T0 - timedelta(days=3),
        "followers_count": 42,
        "posts": (post,),
        "muted": True,
        "hydrated": False,
    }
    return Account(**{**fields, **changes})


@pytest.mark.parametrize("muted", [True, False])
def test_account_rows_round_trip_to_the_same_document(muted: bool) -> None:
    account = rich_account(muted=muted)
    doc = account.to_doc()
    assert set(doc) <= set(ACCOUNT_FIELDS)  # a new document field needs a column
    assert account_doc(account_row(doc)) == doc
    assert Account.from_doc(account_doc(account_row(doc))) == account
    rel = sample_graph(2)["relationships"][1].to_doc()
    assert relationship_doc(relationship_row(rel)) == rel


def test_file_round_trip_is_private_and_exact(tmp_path: Path) -> None:
    graph = sample_graph(4)
    data = GraphData(me=graph["me"].to_doc())
    data.accounts = {a.id: account_row(a.to_doc()) for a in [*graph["accounts"], rich_account(id="2001")]}
    data.relationships = {r.account_id: relationship_row(r.to_doc()) for r in graph["relationships"]}
    data.mentions = [post_row(p.to_doc()) for p in graph["mentions"]]
    path = tmp_path / "graph.jsonl"
    write_graph(path, data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_graph(path) == data
    assert read_graph(tmp_path / "none.jsonl") == GraphData()


def write_lines(path: Path, header: dict[str, object], *records: object) -> None:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (header, *records)))


def header(**changes: object) -> dict[str, object]:
    return {
        "format": "followtui-graph",
        "version": 2,
        "me": None,
        "counts": {"accounts": 1, "relationships": 0},
    } | changes


def test_rows_are_read_by_field_name(tmp_path: Path) -> None:
    """A file written with other fields (reordered, one unknown, one missing) reads into today's layout."""
    fields = {"account": ["username", "id", "colour"], "metrics": ["tweet_count"], "post": ["text", "id"]}
    path = tmp_path / "graph.jsonl"
    write_lines(path, header(fields=fields), ["a", ["ada", "7", "blue"]])
    doc = account_doc(read_graph(path).accounts["7"])
    assert doc["id"] == "7" and doc["username"] == "ada" and doc["name"] is None and "colour" not in doc
    assert Account.from_doc(doc).username == "ada"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([b"{not json"], "first line is not a graph header"),
        ([b'{"format": "other"}'], "not a followtui graph header"),
        ([orjson.dumps(header(version="2"))], "version is missing or not a number"),
        ([orjson.dumps(header(fields={"account": "id"}))], "field lists are damaged"),
        ([orjson.dumps(header()), b'["a", ["1"]]'], "line 2 is not a graph record"),
        ([orjson.dumps(header()), b'["z", []]'], "line 2 is not a graph record.*unknown record type"),
        ([orjson.dumps(header()), b"[1, 2"], "line 2 is not a graph record"),
        ([orjson.dumps(header())], "ends early"),
    ],
)
def test_damage_is_named_and_left_alone(data_dir: Path, lines: list[bytes], message: str) -> None:
    Store.open(data_dir).close()
    path = data_dir / "graph.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    (data_dir / "graph-head.json").unlink(missing_ok=True)
    with pytest.raises(StoreCorrupt, match=message) as info:
        Store.open(data_dir)
    assert info.value.path == path and "graph.jsonl" in str(info.value)
    assert path.read_bytes() == b"\n".join(lines) + b"\n"


def test_a_newer_graph_format_asks_for_an_upgrade(data_dir: Path) -> None:
    Store.open(data_dir).close()
    write_lines(data_dir / "graph.jsonl", header(version=3))
    with pytest.raises(StoreError, match=r"newer followtui.*Upgrade") as info:
        Store.open(data_dir)
    assert not isinstance(info.value, StoreCorrupt)


def legacy_cache(data_dir: Path) -> dict[str, object]:
    """A cache as format 1 wrote it: graph.json in TinyDB's layout, state.json stamped 1."""
    graph = sample_graph(5)
    tables = {
        "meta": {"1": {"format_version": 1, "me": graph["me"].to_doc()}},
        "accounts": {a.id: a.to_doc() for a in graph["accounts"]},
        "relationships": {r.account_id: r.to_doc() for r in graph["relationships"]},
        "mentions": {str(i): p.to_doc() for i, p in enumerate(graph["mentions"], 1)},
        "my_posts": {str(i): p.to_doc() for i, p in enumerate(graph["my_posts"], 1)},
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "graph.json").write_bytes(orjson.dumps(tables))
    (data_dir / "state.json").write_text(json.dumps({"meta": {"1": {"format_version": 1, "seq": 3}}}))
    return graph


def assert_graph(store: Store, graph: dict[str, Any]) -> None:
    assert store.me() == graph["me"]
    assert [store.account(a.id) for a in graph["accounts"]] == graph["accounts"]
    assert sorted(store.relationships(), key=lambda r: r.account_id) == graph["relationships"]
    assert store.mentions() == graph["mentions"] and store.my_posts() == graph["my_posts"]


def test_format_1_is_migrated_once(data_dir: Path) -> None:
    graph = legacy_cache(data_dir)
    with Store.open(data_dir) as store:
        assert_graph(store, graph)
        assert store.next_seq() == 4  # the state was kept
    assert not (data_dir / "graph.json").exists()
    assert (data_dir / "graph.jsonl").exists()
    assert json.loads((data_dir / "state.json").read_text())["meta"]["1"]["format_version"] == FORMAT_VERSION
    with Store.open(data_dir) as store:
        assert_graph(store, graph)


def test_a_migration_cut_short_after_the_new_file_finishes_on_the_next_open(data_dir: Path) -> None:
    graph = legacy_cache(data_dir)
    Store.open(data_dir).close()
    legacy_cache(data_dir)  # graph.json is back, as if the process died before removing it
    (data_dir / "graph.jsonl").write_bytes((data_dir / "graph.jsonl").read_bytes())
    with Store.open(data_dir) as store:
        assert_graph(store, graph)
    assert not (data_dir / "graph.json").exists()


def test_a_damaged_format_1_graph_is_not_migrated(data_dir: Path) -> None:
    legacy_cache(data_dir)
    (data_dir / "graph.json").write_text('{"accounts": [1, 2]}')
    with pytest.raises(StoreCorrupt, match=r"graph\.json is damaged"):
        Store.open(data_dir)
    assert (data_dir / "graph.json").read_text() == '{"accounts": [1, 2]}'
    assert not (data_dir / "graph.jsonl").exists()


def test_a_stray_temp_file_is_removed(data_dir: Path) -> None:
    Store.open(data_dir).close()
    stray = data_dir / "graph.jsonl.x1y2.tmp"
    stray.write_text("half a graph")
    Store.open(data_dir).close()
    assert not stray.exists()


def test_the_merge_finds_posts_mutes_and_gone_accounts_without_building_them(store: Store) -> None:
    graph = sample_graph(4)
    post = Post(id="9", author_id="1002", text="hi", created_at=T0)
    graph["accounts"][1] = replace(graph["accounts"][1], posts=(post,), muted=True)
    graph["accounts"][2] = replace(graph["accounts"][2], state=AccountState.SUSPENDED)
    graph["accounts"][3] = replace(graph["accounts"][3], state=AccountState.DELETED)
    store.replace_graph(**graph)
    assert store.account_ids_with_posts() == {"1002"}
    assert store.inactive_account_ids() == {"1003", "1004"}
    assert store.muted_account_ids() == {"1002"}
