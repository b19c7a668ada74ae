"""The bounded outbox: indexes for the keypress lookups, finished entries moved to the history file."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.offline import OfflineBackend
from followtui.domain.models import Decision, DecisionKind, Op, OutboxEntry, OutboxState
from followtui.services.decisions import UndoEffect
from followtui.services.session import open_session
from followtui.store import Store, StoreCorrupt
from followtui.store.outbox import HISTORY_FILE, KEEP_FINISHED, History
from tests.factories import T0, FakeClock, sample_graph
from tests.writes import make_writes


def entry(n: int, account: str = "1001", **kw: Any) -> OutboxEntry:
    fields: dict[str, Any] = {"id": f"e{n}", "op": Op.FOLLOW, "account_id": account, "created_at": T0} | kw
    return OutboxEntry(**fields)


def finished(n: int, days_ago: float, **kw: Any) -> OutboxEntry:
    at = T0 - timedelta(days=days_ago)
    fields: dict[str, Any] = {"state": OutboxState.DONE, "created_at": at, "attempted_at": at}
    return entry(n, **(fields | kw))


def test_open_entries_are_indexed_by_account_and_list(store: Store) -> None:
    store.add_outbox_many(
        [
            entry(1),
            entry(2, "1002"),
            entry(3, op=Op.LIST_ADD, list_id="77"),
            entry(4, "1002", op=Op.LIST_ADD, list_id="77"),
            entry(5, state=OutboxState.MANUAL),
        ]
    )
    store.update_outbox(replace(entry(1), state=OutboxState.DONE))
    assert [e.id for e in store.open_outbox("1001")] == ["e3", "e5"]
    assert [e.id for e in store.open_outbox(list_id="77")] == ["e3", "e4"]
    assert [e.id for e in store.open_outbox("1002", "77")] == ["e4"]
    assert [e.id for e in store.open_outbox()] == ["e2", "e3", "e4", "e5"]
    assert [e.id for e in store.outbox([OutboxState.PENDING])] == ["e2", "e3", "e4"]
    store.update_outbox(replace(entry(5), state=OutboxState.PENDING))  # retried: still open, same place
    store.update_outbox(replace(entry(3), state=OutboxState.CANCELLED))
    assert [e.id for e in store.open_outbox("1001")] == ["e5"]
    assert [e.id for e in store.open_outbox(list_id="77")] == ["e4"]
    assert store.open_outbox("9999") == []


def test_the_newest_entry_of_a_decision(store: Store) -> None:
    store.add_outbox_many([entry(1, decision_seq=4), entry(2, decision_seq=5), entry(3, decision_seq=4)])
    assert store.outbox_for_seq(4) == entry(3, decision_seq=4)
    assert store.outbox_for_seq(5) == entry(2, decision_seq=5)
    assert store.outbox_for_seq(6) is None


def test_archive_moves_only_what_nothing_reads(data_dir: Path) -> None:
    old_seq, reachable_seq = 3, 8
    with Store.open(data_dir) as store:
        store.put_decision(Decision("1002", DecisionKind.FOLLOW, T0, 9), [Decision("1002", DecisionKind.SKIP, T0, 8)])
        store.add_outbox_many(
            [
                finished(1, 3),  # old, done: moved
                finished(2, 3, state=OutboxState.CANCELLED, decision_seq=old_seq),  # old, its decision gone: moved
                finished(3, 3, account_id="1002", decision_seq=reachable_seq),  # undo can reach it: kept
                finished(4, 0.5),  # in the last day (pacing windows): kept
                entry(5, created_at=T0 - timedelta(days=30)),  # still pending: kept
                entry(6, state=OutboxState.FAILED, created_at=T0 - timedelta(days=30)),  # failed: kept
            ]
        )
        size = (data_dir / "state.json").stat().st_size + (data_dir / "state.log").stat().st_size
        assert store.archive_outbox(T0) == 2
        assert [e.id for e in store.outbox()] == ["e3", "e4", "e5", "e6"]
        assert [e.id for e in store.outbox_history()] == ["e1", "e2"]
        assert store.outbox_for_seq(old_seq) is None and store.outbox_for_seq(reachable_seq) is not None
        assert store.archive_outbox(T0) == 0  # nothing more
        assert store.archive_outbox(T0 + KEEP_FINISHED) == 1  # e4 a day later
    with Store.open(data_dir) as store:  # durable: the state lost them, the history has them
        assert [e.id for e in store.outbox()] == ["e3", "e5", "e6"]
        assert [e.id for e in store.outbox_history()] == ["e1", "e2", "e4"]
        assert store.outbox_history()[1] == finished(2, 3, state=OutboxState.CANCELLED, decision_seq=old_seq)
    assert (data_dir / "state.json").stat().st_size < size


def test_a_kill_between_history_and_state_repeats_lines_read_once(tmp_path: Path) -> None:
    history = History(tmp_path / HISTORY_FILE)
    history.append([finished(1, 3), finished(2, 3)])
    history.append([finished(2, 3)])  # the state still had it: moved again
    with (tmp_path / HISTORY_FILE).open("ab") as fh:
        fh.write(b'{"id": "e3", "op": "fol')  # a kill mid-append
    assert [e.id for e in history.read()] == ["e1", "e2"]
    history.append([finished(3, 3)])  # the torn tail is cut off first
    assert [e.id for e in history.read()] == ["e1", "e2", "e3"]
    (tmp_path / HISTORY_FILE).write_bytes(b"garbage\n" + (tmp_path / HISTORY_FILE).read_bytes())
    with pytest.raises(StoreCorrupt, match="line 1"):
        history.read()


def test_undo_after_archiving(data_dir: Path, clock: FakeClock) -> None:
    """A months-old sent follow is archived; undoing the decision made today still sends the inverse of today's."""
    with Store.open(data_dir) as store:
        store.replace_graph(**sample_graph())
        actions = make_writes(store, OfflineBackend(), clock)
        actions.decisions.decide("1001", DecisionKind.UNFOLLOW)
        store.update_outbox_many([replace(e, state=OutboxState.DONE, attempted_at=T0) for e in store.outbox()])
        store.add_outbox_many([finished(100 + n, 90, account_id="1003") for n in range(50)])
        clock.advance(days=2)
        assert store.archive_outbox(clock()) == 50  # the unfollow's entry: its decision is current, so kept
        undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.INVERSE and undone.queued is not None
    assert undone.queued.op is Op.FOLLOW


def test_the_session_archives_at_open(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.add_outbox_many([finished(n, 5) for n in range(3)] + [entry(9)])
    session = open_session(data_dir, clock=lambda: T0, backend=OfflineBackend())
    try:
        assert [e.id for e in session.store.outbox()] == ["e9"]
        assert len(session.store.outbox_history()) == 3
    finally:
        session.close()


def test_keypress_lookups_do_not_scan_finished_entries(store: Store) -> None:
    """20,000 finished entries: the lookups decide, undo and the detail panel make cost what they cost without."""
    store.add_outbox(entry(0, decision_seq=1))

    def lookups() -> float:
        t = time.perf_counter()
        for _ in range(200):
            store.open_outbox("1001")
            store.open_outbox("1001", "77")
            store.outbox_for_seq(1)
            store.outbox([OutboxState.PENDING, OutboxState.FAILED, OutboxState.MANUAL])
        return time.perf_counter() - t

    empty = min(lookups() for _ in range(3))
    store.add_outbox_many([finished(n + 1, 3, account_id=str(2000 + n % 5000)) for n in range(20_000)])
    full = min(lookups() for _ in range(3))
    assert full < empty * 3 + 0.005  # a scan of 20,000 entries would be ~100x
