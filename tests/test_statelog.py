"""state.log: keypress transactions append one fsynced line; replay, torn lines, corruption, compaction, epochs."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import Query, TinyDB
from tinydb.table import Document

from followtui.backends.offline import OfflineBackend
from followtui.domain.models import Decision, DecisionKind
from followtui.store import Store, StoreCorrupt, statelog
from followtui.store.atomic import AtomicJSONStorage, open_db, storage_of
from tests.factories import T0, FakeClock, sample_graph
from tests.writes import make_writes


def state_db(path: Path) -> TinyDB:
    return open_db(path, log=True)


def log_of(path: Path) -> Path:
    return path.with_suffix(".log")


def lines(path: Path) -> list[Any]:
    return [orjson.loads(line) for line in log_of(path).read_bytes().splitlines()]


def on_disk(path: Path) -> dict[str, Any]:
    """What a fresh open sees (the file plus the log replayed)."""
    db = state_db(path)
    try:
        return dict(storage_of(db).read() or {})
    finally:
        db.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "state.json"
    db = state_db(path)
    storage_of(db).write({"meta": {"1": {"format_version": 1}}})  # a whole write: the file exists, the log does not
    db.close()
    return path


def test_puts_append_one_line_per_batch_and_replay_in_order(path: Path) -> None:
    db = state_db(path)
    storage = storage_of(db)
    before = path.read_bytes()
    with storage.batch():
        storage.put("decisions", "1", {"kind": "skip"})
        storage.put("decisions", "2", {"kind": "keep"})
        storage.put("decisions", "1", {"kind": "follow"})  # the same document twice: the last one is logged
    storage.put("decisions", "2", None)
    storage.put("decisions", "3", {"kind": "keep"})
    storage.put("decisions", "3", {"kind": "never"})
    assert path.read_bytes() == before  # nothing rewritten
    assert [changes for _, changes in lines(path)] == [
        [["decisions", "1", {"kind": "follow"}], ["decisions", "2", {"kind": "keep"}]],
        [["decisions", "2", None]],
        [["decisions", "3", {"kind": "keep"}]],
        [["decisions", "3", {"kind": "never"}]],
    ]
    assert stat.S_IMODE(log_of(path).stat().st_mode) == 0o600
    assert on_disk(path)["decisions"] == {"1": {"kind": "follow"}, "3": {"kind": "never"}}  # no close: a crash
    db.close()


def test_a_torn_last_line_is_dropped_and_cut_off(path: Path) -> None:
    db = state_db(path)
    storage_of(db).put("t", "1", {"a": 1})
    good = log_of(path).read_bytes()
    for torn in (b'[0,[["t","2",{"a":', b'[0,[["t","2",{"a":\n', b"\x00\x00\x00"):
        log_of(path).write_bytes(good + torn)
        assert on_disk(path)["t"] == {"1": {"a": 1}}
        assert log_of(path).read_bytes() == good
    db.close()


@pytest.mark.parametrize("bad", [b"{not json\n", b'{"a": 1}\n', b'[0,[["t","2",[1]]]]\n'])
def test_a_bad_line_before_the_end_is_corruption(path: Path, bad: bytes) -> None:
    db = state_db(path)
    storage = storage_of(db)
    storage.put("t", "1", {"a": 1})
    storage.put("t", "2", {"a": 2})
    first, second = log_of(path).read_bytes().splitlines(keepends=True)
    damaged = first + bad + second
    if bad.startswith(b"["):  # valid JSON of the wrong shape: corruption even as the last line
        damaged = first + bad
    log_of(path).write_bytes(damaged)
    with pytest.raises(StoreCorrupt, match="line 2") as raised:
        state_db(path)
    assert raised.value.path == log_of(path) and "state.log" in str(raised.value)
    assert log_of(path).read_bytes() == damaged  # nothing cut off or lost
    db.close()


def test_rollback_appends_nothing(path: Path) -> None:
    db = state_db(path)
    storage = storage_of(db)
    storage.put("t", "1", {"a": 1})
    log_before, file_before = log_of(path).read_bytes(), path.read_bytes()
    with pytest.raises(RuntimeError), storage.batch():
        storage.put("t", "1", {"a": 2})
        storage.put("t", "2", {"a": 2})
        raise RuntimeError("boom")
    assert (log_of(path).read_bytes(), path.read_bytes()) == (log_before, file_before)
    assert (storage.read() or {})["t"] == {"1": {"a": 1}}
    storage.put("t", "3", {"a": 3})
    assert on_disk(path)["t"] == {"1": {"a": 1}, "3": {"a": 3}}
    db.close()


def test_a_failed_append_is_taken_back(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = state_db(path)
    storage = storage_of(db)
    storage.put("t", "1", {"a": 1})
    before = log_of(path).read_bytes()

    def failing(fd: int) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(statelog, "_datasync", failing)
    with pytest.raises(OSError, match="I/O error"):
        storage.put("t", "2", {"a": 2})
    monkeypatch.undo()
    assert log_of(path).read_bytes() == before
    assert (storage.read() or {})["t"] == {"1": {"a": 1}}
    storage.put("t", "3", {"a": 3})
    assert on_disk(path)["t"] == {"1": {"a": 1}, "3": {"a": 3}}
    db.close()


def test_tinydb_table_writes_append_one_line_per_batch(path: Path) -> None:
    """insert, insert_multiple, update, upsert, remove and truncate are whole-document puts: one line per batch."""
    db = state_db(path)
    before = path.read_bytes()
    table = db.table("lists")
    assert table.insert({"name": "a"}) == 1
    with storage_of(db).batch():
        assert table.insert_multiple([{"name": "b"}, Document({"name": "c"}, doc_id=7)]) == [2, 7]
        assert table.update({"name": "B"}, doc_ids=[2, 99]) == [2]  # a missing ID is skipped, as in TinyDB
    table.upsert(Document({"extra": True}, doc_id=7))
    table.update(lambda doc: doc.pop("extra"), Query().name == "c")
    table.remove(doc_ids=[1])
    with pytest.raises(ValueError, match="already exists"):
        table.insert(Document({"name": "dup"}, doc_id=7))
    assert table.insert({"name": "d"}) == 8  # after the highest ID, never a reused one
    assert path.read_bytes() == before
    assert [len(changes) for _, changes in lines(path)] == [1, 2, 1, 1, 1, 1]  # 2 was inserted and updated: one change
    assert {doc.doc_id: dict(doc) for doc in table} == {2: {"name": "B"}, 7: {"name": "c"}, 8: {"name": "d"}}
    assert table.search(Query().name == "B") == [{"name": "B"}]
    table.truncate()
    assert lines(path)[-1][1] == [["lists", "2", None], ["lists", "7", None], ["lists", "8", None]]
    assert on_disk(path)["lists"] == {}
    db.close()


def test_a_whole_database_write_rewrites_the_file_and_empties_the_log(path: Path) -> None:
    db = state_db(path)
    storage = storage_of(db)
    storage.put("t", "1", {"a": 1})
    with storage.batch():
        storage.put("t", "2", {"a": 2})
        storage.write({**(storage.read() or {}), "lists": {"1": {"name": "x"}}})  # TinyDB's drop_table does this
    assert log_of(path).read_bytes() == b""
    data = orjson.loads(path.read_bytes())
    assert data["t"] == {"1": {"a": 1}, "2": {"a": 2}} and data["lists"] == {"1": {"name": "x"}}
    assert data[statelog.EPOCH_TABLE] == {"1": {"epoch": 2}}  # one per whole write: the fixture's, this one
    assert statelog.EPOCH_TABLE not in (storage.read() or {})  # TinyDB never sees it
    db.close()


def test_compaction_past_the_threshold(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statelog, "COMPACT_BYTES", 200)
    db = state_db(path)
    storage = storage_of(db)
    sizes = []
    for n in range(12):
        storage.put("t", str(n), {"a": "x" * 20})
        sizes.append(log_of(path).stat().st_size)
    assert max(sizes) <= 200 and sizes.count(0) >= 2  # the commits that would pass 200 bytes rewrote the file
    assert on_disk(path)["t"] == {str(n): {"a": "x" * 20} for n in range(12)}
    db.close()


def test_lines_already_folded_in_are_not_replayed(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash after a whole write and before the log was emptied: its older lines must not undo the write."""
    db = state_db(path)
    storage = storage_of(db)
    storage.put("t", "1", {"a": 1})
    monkeypatch.setattr(statelog.StateLog, "clear", lambda self: None)  # killed before the log is emptied
    storage.write({"t": {}})
    monkeypatch.undo()
    assert len(lines(path)) == 1
    assert on_disk(path)["t"] == {}  # the stale put is skipped, not replayed over the removal
    db.close()


def test_a_log_newer_than_the_file_is_corruption(path: Path) -> None:
    db = state_db(path)
    storage_of(db).put("t", "1", {"a": 1})
    db.close()
    log_of(path).write_bytes(b'[7,[["t","2",{"a":2}]]]\n')
    with pytest.raises(StoreCorrupt, match=r"line 1 is newer than state\.json"):
        state_db(path)


def test_store_decisions_append_and_close_compacts(data_dir: Path, clock: FakeClock) -> None:
    with Store.open(data_dir) as store:
        store.replace_graph(**sample_graph())
        actions = make_writes(store, OfflineBackend(), clock)
        state = data_dir / "state.json"
        before, logged = state.read_bytes(), len(lines(state))
        actions.decisions.decide_many(["1001", "1003", "1005"], DecisionKind.UNFOLLOW)
        actions.decisions.decide("1002", DecisionKind.SKIP)
        assert state.read_bytes() == before and len(lines(state)) == logged + 2  # one line per keypress
        decided = store.decisions()
    assert log_of(state).read_bytes() == b""
    assert set(orjson.loads(state.read_bytes())["decisions"]) == set(decided)
    with Store.open(data_dir) as store:
        assert store.decisions() == decided


def test_store_replays_what_a_killed_run_left(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decision = Decision("1001", DecisionKind.KEEP, T0, 1)
    store = Store.open(data_dir)
    store.put_decision(decision, [])
    monkeypatch.setattr(AtomicJSONStorage, "compact", lambda self: None)
    store.close()  # as if killed: the decision is only in state.log
    monkeypatch.undo()
    assert log_of(data_dir / "state.json").stat().st_size > 0
    with Store.open(data_dir) as store:
        assert store.decisions() == {"1001": decision}
        assert log_of(data_dir / "state.json").read_bytes() == b""  # folded in at open


def test_count_writes_sees_one_durable_write_per_transaction(
    data_dir: Path, count_writes: Callable[[Store], list[int]]
) -> None:
    with Store.open(data_dir) as store:
        writes = count_writes(store)
        with store.transaction():
            store.put_decision(Decision("1001", DecisionKind.KEEP, T0, store.next_seq()), [])
            store.put_decision(Decision("1002", DecisionKind.SKIP, T0, store.next_seq()), [])
        assert len(writes) == 1 and len(lines(data_dir / "state.json")) == 1
