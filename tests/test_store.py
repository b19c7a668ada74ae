"""Store: files, format version, lock, graph round trip, corruption, batches, restart."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import Query

from followtui.domain.models import (
    Decision,
    DecisionKind,
    ListInfo,
    Op,
    OutboxEntry,
    OutboxState,
    SyncInfo,
)
from followtui.domain.notes import Note
from followtui.store import FORMAT_VERSION, Store, StoreCorrupt, StoreError, StoreLocked
from followtui.store.atomic import AtomicJSONStorage, open_db, storage_of
from tests.factories import T0, present, sample_graph


def entry(n: int, account: str = "1001", op: Op = Op.FOLLOW) -> OutboxEntry:
    return OutboxEntry(id=f"e{n}", op=op, account_id=account, created_at=T0)


def test_open_creates_private_files(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        assert store.graph_empty()
        assert store.me() is None
        assert store.decisions() == {}
        assert store.outbox() == []
        assert store.sync_info() == SyncInfo()
        store.replace_graph(**sample_graph(2))
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("graph.jsonl", "graph-head.json", "state.json"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600
    assert json.loads((data_dir / "state.json").read_text())["meta"]["1"]["format_version"] == FORMAT_VERSION


def test_close_is_idempotent_and_final(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.decisions()
    with pytest.raises(StoreError, match="closed"):
        store.account("1001")
    Store.open(data_dir).close()  # the lock was released


def test_newer_format_refused(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / "state.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="newer followtui") as info:
        Store.open(data_dir)
    assert "Upgrade followtui" in str(info.value)
    with pytest.raises(StoreError, match="newer"):  # and the lock was released on the way out
        Store.open(data_dir)


def test_second_open_same_process_locked(store: Store, data_dir: Path) -> None:
    with pytest.raises(StoreLocked, match="another followtui") as info:
        Store.open(data_dir)
    assert str(data_dir) in str(info.value)
    assert store.decisions() == {}  # the first store is unaffected


def test_second_open_other_process_locked(store: Store, data_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from followtui.store import Store, StoreLocked\n"
        "try:\n    Store.open(Path(sys.argv[1]))\nexcept StoreLocked as e:\n    print(e); sys.exit(3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, timeout=30, env=env
    )
    assert proc.returncode == 3, proc.stderr
    assert "another followtui" in proc.stdout


def test_replace_graph_round_trip(store: Store, data_dir: Path) -> None:
    graph = sample_graph(6)
    store.replace_graph(**graph)
    for reopened in (False, True):
        if reopened:
            store.close()
            store = Store.open(data_dir)
        assert not store.graph_empty()
        assert store.me() == graph["me"]
        assert store.account_ids() == [a.id for a in graph["accounts"]]
        assert store.account("1003") == graph["accounts"][2]
        assert store.account("999") is None and store.account("abc") is None
        doc = store.account_doc("1003")
        assert doc is not None and doc["username"] == "user3"
        with pytest.raises(TypeError):
            doc["username"] = "x"  # type: ignore[index]  # the point: the doc is read-only
        assert store.relationship("1002") == graph["relationships"][1]
        assert sorted(r.account_id for r in store.relationships()) == sorted(store.account_ids())
        assert store.follower_ids() == {"1002", "1004", "1006"}
        assert store.following_ids() == {"1003", "1006"}
        assert store.mentions() == graph["mentions"]
        assert store.my_posts() == graph["my_posts"]
        assert store.lists() == graph["lists"]
        assert store.list_info("77") == graph["lists"][0]
        assert store.sync_info() == graph["sync"]
    store.close()


def test_replace_graph_replaces(seeded: Store) -> None:
    seeded.follower_ids().add("junk")  # a copy
    seeded.replace_graph(**sample_graph(2, lists=(ListInfo(id="5", name="new"),)))
    assert seeded.account_ids() == ["1001", "1002"]
    assert seeded.follower_ids() == {"1002"}
    assert [i.id for i in seeded.lists()] == ["5"]


def test_replace_graph_rejects_non_x_ids(store: Store) -> None:
    graph = sample_graph(1)
    graph["accounts"] = [replace(graph["accounts"][0], id="01001")]
    with pytest.raises(ValueError, match="X account ID"):
        store.replace_graph(**graph)


def test_replace_graph_keeps_pending_list_changes(seeded: Store) -> None:
    seeded.add_outbox(OutboxEntry(id="a", op=Op.LIST_ADD, account_id="1002", created_at=T0, list_id="77"))
    seeded.add_outbox(OutboxEntry(id="r", op=Op.LIST_REMOVE, account_id="1001", created_at=T0, list_id="77"))
    seeded.replace_graph(**sample_graph())
    info = seeded.list_info("77")
    assert info is not None and info.member_ids == ("1002",)


def test_corrupt_file_raises_with_path(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / "state.json"
    good = path.read_bytes()
    path.write_bytes(good + b"garbage")
    with pytest.raises(StoreCorrupt) as info:
        Store.open(data_dir)
    assert info.value.path == path
    assert str(path) in str(info.value)
    assert path.read_bytes() == good + b"garbage"  # left untouched
    path.write_bytes(b"[1, 2]")
    with pytest.raises(StoreCorrupt, match="not a TinyDB database"):
        Store.open(data_dir)


def test_bad_record_raises_corrupt(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.put_decision(Decision("1001", DecisionKind.SKIP, T0, 1), [])
    path = data_dir / "state.json"
    data = json.loads(path.read_text())
    data["decisions"]["1001"]["kind"] = "befriend"
    path.write_text(json.dumps(data))
    with Store.open(data_dir) as store, pytest.raises(StoreCorrupt, match="bad decision record"):
        store.decisions()


def test_stray_tmp_removed_on_open(data_dir: Path) -> None:
    Store.open(data_dir).close()
    stray = data_dir / "state.json.abc123.tmp"
    stray.write_text("{half")
    other = data_dir / "notes.tmp"
    other.write_text("keep me")
    Store.open(data_dir).close()
    assert not stray.exists()
    assert other.exists()


def test_batch_rolls_back_on_error(store: Store, data_dir: Path) -> None:
    store.put_decision(Decision("1001", DecisionKind.SKIP, T0, 1), [])
    before = (data_dir / "state.json").read_bytes()
    with pytest.raises(RuntimeError), store.transaction():
        store.put_decision(Decision("1002", DecisionKind.FOLLOW, T0, 2), [])
        store.add_outbox(entry(1, "1002"))
        assert store.decision("1002") is not None  # the block sees its own writes
        raise RuntimeError("boom")
    assert (data_dir / "state.json").read_bytes() == before
    assert set(store.decisions()) == {"1001"}
    assert store.outbox() == []
    store.add_outbox(entry(2))  # ids and caches still consistent afterwards
    assert [e.id for e in store.outbox()] == ["e2"]


def test_batch_is_one_write(store: Store, count_writes: Callable[[Store], list[int]]) -> None:
    writes = count_writes(store)
    with store.transaction():
        store.put_decision(Decision("1002", DecisionKind.FOLLOW, T0, store.next_seq()), [])
        store.add_outbox(entry(1, "1002"))
        with store.transaction():  # nested joins the outer
            store.put_list(ListInfo(id="9", name="x"))
    assert len(writes) == 1


def test_nested_failure_aborts_outer(store: Store) -> None:
    with pytest.raises(StoreError, match="nested"), store.transaction():
        store.put_list(ListInfo(id="9", name="x"))
        with pytest.raises(KeyError), store.transaction():
            raise KeyError("inner")
    assert store.lists() == []


def test_failed_write_reloads_last_good_state(store: Store) -> None:
    store.put_list(ListInfo(id="9", name="x"))
    bad = SyncInfo(extra={"cursor": {1, 2}})  # a set: JSON cannot hold it
    with pytest.raises(TypeError):
        store.set_sync_info(bad)
    storage = store._state
    with pytest.raises(TypeError), store.transaction():
        store.put_list(ListInfo(id="10", name="y"))
        storage.write({"meta": {"1": {"x": {3}}}})
    assert [i.id for i in store.lists()] == ["9"]


def test_storage_write_failure_drops_cache(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.json")
    db.insert({"a": 1})
    with pytest.raises(TypeError):
        db.insert({"a": {1}})
    assert [dict(d) for d in db.all()] == [{"a": 1}]
    assert db.insert({"a": 2}) == 2
    db.close()
    assert orjson.loads((tmp_path / "t.json").read_bytes())["_default"] == {"1": {"a": 1}, "2": {"a": 2}}


def test_storage_reads_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b'{"_default": {"1": {"a": 1}}}')
    loads: list[int] = []
    real = AtomicJSONStorage._load

    def counting_load(self: AtomicJSONStorage) -> Any:
        loads.append(1)
        return real(self)

    monkeypatch.setattr(AtomicJSONStorage, "_load", counting_load)
    db = open_db(path)
    for _ in range(3):
        assert len(db.all()) == 1
    db.insert({"a": 2})
    assert len(db) == 2
    assert loads == [1]


def test_outbox_order_ids_and_updates(store: Store) -> None:
    for n in range(3):
        store.add_outbox(entry(n))
    with pytest.raises(StoreError, match="already exists"):
        store.add_outbox(entry(1))
    store.update_outbox(replace(entry(1), state=OutboxState.DONE))
    assert [e.id for e in store.outbox()] == ["e0", "e1", "e2"]
    assert [e.id for e in store.outbox([OutboxState.PENDING])] == ["e0", "e2"]
    assert present(store.outbox_entry("e1")).state is OutboxState.DONE
    with pytest.raises(StoreError, match="no outbox entry"):
        store.update_outbox(entry(9))


def test_restart_keeps_decisions_and_outbox(data_dir: Path) -> None:
    d = Decision("1001", DecisionKind.SNOOZE, T0, 7, until=T0.replace(day=4))
    prev = Decision("1001", DecisionKind.SKIP, T0, 3)
    with Store.open(data_dir) as store:
        assert store.next_seq() == 1
        store.put_decision(d, [prev])
        store.add_outbox(entry(1))
        store.set_sync_info(SyncInfo(last_sync=T0, extra={"cursor": "abc"}))
    with Store.open(data_dir) as store:
        assert store.decisions() == {"1001": d}
        assert store.decision_history("1001") == [prev]
        assert store.outbox() == [entry(1)]
        assert store.next_seq() == 2
        info = store.sync_info()
        info.extra["cursor"] = "mutated"
        assert store.sync_info().extra == {"cursor": "abc"}
        store.remove_decision("1001")
        assert store.decision("1001") is None


DID_A = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
DID_B = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb"


def test_decisions_and_notes_of_bluesky_accounts_keep_across_a_restart(data_dir: Path) -> None:
    """A DID is no number: its documents go where no X ID can (beside an X account's, which keeps its own)."""
    d = Decision(DID_A, DecisionKind.SNOOZE, T0, 7, until=T0.replace(day=4))
    prev = Decision(DID_A, DecisionKind.SKIP, T0, 3)
    with Store.open(data_dir) as store:
        store.put_decision(d, [prev])
        store.put_decision(Decision(DID_B, DecisionKind.FOLLOW, T0, 8), [])
        store.put_decision(Decision("1001", DecisionKind.FOLLOW, T0, 9), [])
        store.put_note(Note(DID_A, "met at the conference", T0))
    with Store.open(data_dir) as store:
        assert store.decisions() == {
            DID_A: d,
            DID_B: Decision(DID_B, DecisionKind.FOLLOW, T0, 8),
            "1001": Decision("1001", DecisionKind.FOLLOW, T0, 9),
        }
        assert store.decision_history(DID_A) == [prev] and store.decision_history(DID_B) == []
        assert store.note(DID_A) == Note(DID_A, "met at the conference", T0)
        store.put_note(Note(DID_A, "", T0))
        store.remove_decision(DID_A)
    with Store.open(data_dir) as store:
        assert set(store.decisions()) == {DID_B, "1001"} and store.notes() == {}
        assert store.decision_history(DID_A) == []
    with Store.open(data_dir) as store, pytest.raises(ValueError, match="nor a DID"):
        store.put_decision(Decision("@someone", DecisionKind.FOLLOW, T0, 10), [])


def test_two_dids_with_one_hash_keep_their_own_decisions(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collision of ``did_key``'s hash (made here for two DIDs) moves the second DID to the next doc ID."""
    from followtui.store import graph
    from followtui.store import store as store_module

    def colliding(did: str, after: int | None = None) -> int:
        return graph.did_key(did, after) if after is not None else 2**64 - 1  # the last one: the next wraps round

    monkeypatch.setattr(store_module, "did_key", colliding)
    with Store.open(data_dir) as store:
        store.put_decision(Decision(DID_A, DecisionKind.SKIP, T0, 1), [])
        store.put_decision(Decision(DID_B, DecisionKind.FOLLOW, T0, 2), [Decision(DID_B, DecisionKind.SKIP, T0, 1)])
        assert store.decision_history(DID_B) == [Decision(DID_B, DecisionKind.SKIP, T0, 1)]
        assert store.decision_history(DID_A) == []
    with Store.open(data_dir) as store:
        assert {i: d.kind for i, d in store.decisions().items()} == {
            DID_A: DecisionKind.SKIP,
            DID_B: DecisionKind.FOLLOW,
        }
        store.remove_decision(DID_B)
        assert set(store.decisions()) == {DID_A}


def test_outbox_doc_ids_never_reused(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.add_outbox(entry(1))
        store.add_outbox(entry(2))
    data = json.loads((data_dir / "state.json").read_text())
    del data["outbox"]["2"]
    (data_dir / "state.json").write_text(json.dumps(data))
    with Store.open(data_dir) as store:
        store.add_outbox(entry(3))
        assert [e.id for e in store.outbox()] == ["e1", "e3"]
    assert set(json.loads((data_dir / "state.json").read_text())["outbox"]) == {"1", "3"}


def test_returned_data_is_detached(seeded: Store) -> None:
    decisions = seeded.decisions()
    decisions["x"] = Decision("x", DecisionKind.KEEP, T0, 1)
    assert "x" not in seeded.decisions()
    ids = seeded.account_ids()
    ids.clear()
    assert seeded.account_ids()


def test_threads_write_safely(store: Store) -> None:
    def worker(k: int) -> None:
        for i in range(10):
            with store.transaction():
                store.add_outbox(entry(k * 100 + i))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.outbox()) == 40


def test_rollback_resets_tinydb_caches(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.json")
    storage = storage_of(db)
    table = db.table("t")
    table.insert({"k": 1})
    q = Query().k.exists()
    with pytest.raises(RuntimeError), storage.batch():
        table.insert({"k": 2})
        assert len(table.search(q)) == 2  # cached inside the block
        raise RuntimeError
    assert len(table.search(q)) == 1  # query cache cleared
    assert table.insert({"k": 3}) == 2  # next id recomputed, not 3
    db.close()
