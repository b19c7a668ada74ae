"""kill -9 during a stream of decisions: every acknowledged decision survives and the files open cleanly.

Two streams: decisions alternating with whole rewrites of state.json (a sync-info write, growing and shrinking the
file), and decisions alone with a tiny state.log threshold, so kills land in appends and in compactions.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from followtui.services.decisions import HISTORY_LIMIT
from followtui.store import Store
from tests.factories import sample_graph

REPO = Path(__file__).resolve().parents[1]
TRIALS = 8
ACCOUNTS = 2000

CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from followtui.domain.models import DecisionKind, SyncInfo
from followtui.services.session import write_services
from followtui.store import Store, statelog

statelog.COMPACT_BYTES = int(sys.argv[2])
with_sync_info = sys.argv[3] == "1"
store = Store.open(Path(sys.argv[1]))
decisions, _lists, _outbox = write_services(store, None, lambda: datetime.now(UTC))  # the outbox is never sent here
ids = store.account_ids()[:50]
kinds = [DecisionKind.FOLLOW, DecisionKind.SNOOZE, DecisionKind.SKIP, DecisionKind.UNFOLLOW, DecisionKind.KEEP]
print("READY", flush=True)
i = 0
while True:
    d = decisions.decide(ids[i % len(ids)], kinds[i % len(kinds)])
    print(f"ACK {d.seq} {d.account_id} {d.kind}", flush=True)
    if with_sync_info:  # grow and shrink the file by 3 KB on alternate writes: a kill can land in a shrinking write
        store.set_sync_info(SyncInfo(source="crash", extra={"pad": "x" * 3000 if i % 2 else ""}))
    i += 1
"""


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "data"
    with Store.open(path) as store:
        store.replace_graph(**sample_graph(ACCOUNTS))
    return path


def kill_child(code: str, args: list[str], delay: float) -> list[list[str]]:
    """Run ``code`` with ``args``, SIGKILL it ``delay`` s after it says READY; the fields of each whole ACK line
    it printed (a line cut by the kill is not one)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert proc.stdout is not None
    try:
        ready = proc.stdout.readline().strip()
        assert ready == "READY", f"child did not start: {ready!r}"
        lines: list[str] = []
        drain = threading.Thread(target=lambda: lines.extend(proc.stdout or ()), daemon=True)
        drain.start()
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        drain.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    return [line.split()[1:] for line in lines if line.startswith("ACK ") and line.endswith("\n")]


def run_and_kill(data_dir: Path, delay: float, compact_bytes: int, with_sync_info: bool) -> list[tuple[int, str, str]]:
    args = [str(data_dir), str(compact_bytes), "1" if with_sync_info else "0"]
    return [(int(a[0]), a[1], a[2]) for a in kill_child(CHILD, args, delay) if len(a) == 3]


@pytest.mark.parametrize(
    ("compact_bytes", "with_sync_info"), [(1 << 20, True), (4096, False)], ids=["rewrites", "log-compactions"]
)
def test_kill_during_decisions_loses_nothing_acked(base_dir: Path, compact_bytes: int, with_sync_info: bool) -> None:
    rng = random.Random(20250301)
    started = time.monotonic()
    total_acks = 0
    logged = 0
    for trial in range(TRIALS):
        acks = run_and_kill(base_dir, rng.uniform(0.05, 0.6), compact_bytes, with_sync_info)
        total_acks += len(acks)
        log = base_dir / "state.log"
        logged += log.exists() and log.stat().st_size > 0
        with Store.open(base_dir) as store:  # opens cleanly: no corruption
            assert not list(base_dir.glob("*.tmp")), "stray temp file left after open"
            assert log.read_bytes() == b""  # folded into state.json at open
            assert len(store.account_ids()) == ACCOUNTS
            seen: dict[str, list[tuple[int, str]]] = {}
            for account_id in {a for _, a, _ in acks}:
                current = store.decision(account_id)
                assert current is not None, f"trial {trial}: decision for {account_id} lost"
                seen[account_id] = [(d.seq, str(d.kind)) for d in store.decision_history(account_id)]
                seen[account_id].append((current.seq, str(current.kind)))
            per_account: dict[str, list[tuple[int, str]]] = {}
            for seq, account_id, kind in acks:
                per_account.setdefault(account_id, []).append((seq, kind))
            for account_id, acked in per_account.items():
                for item in acked[-HISTORY_LIMIT:]:
                    assert item in seen[account_id], f"trial {trial}: acked {item} of {account_id} lost"
            if acks:
                assert store.next_seq() > max(seq for seq, _, _ in acks)
        assert time.monotonic() - started < 20
    assert total_acks > TRIALS  # the kills did land in the middle of real work
    if not with_sync_info:
        assert logged > 0  # and left decisions in state.log that only the replay brought back


MIXED_CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from followtui.domain.models import DecisionKind
from followtui.domain.notes import Note
from followtui.services.session import write_services
from followtui.store import Store, statelog

statelog.COMPACT_BYTES = int(sys.argv[2])
store = Store.open(Path(sys.argv[1]))
decisions, lists, _outbox = write_services(store, None, lambda: datetime.now(UTC))
ids = store.account_ids()[:50]
print("READY", flush=True)
i, list_id = 0, ""
while True:
    account = ids[i % len(ids)]
    step = i % 6
    if step == 0:
        d = decisions.decide(account, DecisionKind.SKIP if i % 12 else DecisionKind.UNFOLLOW)
        print(f"ACK {i} decide {d.account_id} {d.seq}", flush=True)
    elif step == 1:
        u = decisions.undo()
        print(f"ACK {i} undo {u.account_id if u else '-'} {u.undone.seq if u else 0}", flush=True)
    elif step == 2:
        store.put_note(Note(account, f"n{i}", datetime.now(UTC)))
        print(f"ACK {i} note {account} {i}", flush=True)
    elif step == 3:
        list_id = lists.create_list(f"l{i}").id
        print(f"ACK {i} create {list_id} l{i}", flush=True)
    elif step == 4:
        lists.update_list(list_id, name=f"r{i}")
        print(f"ACK {i} rename {list_id} r{i}", flush=True)
    else:
        lists.delete_list(list_id)
        print(f"ACK {i} delete {list_id} -", flush=True)
    i += 1
"""


def run_mixed(data_dir: Path, delay: float, compact_bytes: int) -> list[list[str]]:
    return [a for a in kill_child(MIXED_CHILD, [str(data_dir), str(compact_bytes)], delay) if len(a) == 4]


def check_mixed(store: Store, acks: list[list[str]], trial: int) -> None:
    """Every acknowledged transaction shows, except where the one after the last ACK (written, unacknowledged)
    may have changed the same thing since."""
    last = int(acks[-1][0]) if acks else -1
    next_step = (last + 1) % 6
    decided: dict[str, int] = {}
    undone: set[tuple[str, int]] = set()
    notes: dict[str, int] = {}
    lists: dict[str, str] = {}
    for _, kind, key, value in acks:
        if kind == "decide":
            decided[key] = int(value)
        elif kind == "undo" and key != "-":
            undone.add((key, int(value)))
        elif kind == "note":
            notes[key] = int(value)
        else:
            lists[key] = value
    for account, seq in decided.items():
        if (account, seq) in undone or (next_step == 1 and account == acks[-1][2]):
            continue  # undone (or maybe, by the unacknowledged undo that followed)
        current = store.decision(account)
        seqs = [d.seq for d in store.decision_history(account)] + ([current.seq] if current else [])
        assert seq in seqs, f"trial {trial}: decision {seq} of {account} lost"
    for account, seq in undone:
        current = store.decision(account)
        assert current is None or current.seq != seq, f"trial {trial}: undo of {seq} lost"
    for account, i in notes.items():
        note = store.note(account)
        assert note is not None and int(note.text[1:]) >= i, f"trial {trial}: note {i} of {account} lost"
    for list_id, name in lists.items():
        info = store.list_info(list_id)
        maybe_next = list_id == acks[-1][2] and next_step in (4, 5)  # renamed or deleted, unacknowledged
        if name == "-":
            assert info is None, f"trial {trial}: deletion of {list_id} lost"
        elif info is None or info.name != name:
            assert maybe_next, f"trial {trial}: {list_id} should be named {name}, is {info}"


@pytest.mark.parametrize("compact_bytes", [1 << 20, 2048], ids=["appends", "log-compactions"])
def test_kill_during_undo_notes_and_list_edits_loses_nothing_acked(base_dir: Path, compact_bytes: int) -> None:
    """Undo, notes and list create/rename/delete append to state.log like decisions, and survive a kill alike."""
    rng = random.Random(20261203)
    kinds: set[str] = set()
    for trial in range(TRIALS):
        before = (base_dir / "state.json").read_bytes()
        acks = run_mixed(base_dir, rng.uniform(0.05, 0.6), compact_bytes)
        kinds.update(ack[1] for ack in acks)
        log = base_dir / "state.log"
        if compact_bytes > 1 << 16:  # no transaction rewrote state.json: each one appended to state.log
            assert (base_dir / "state.json").read_bytes() == before
            assert log.stat().st_size > 0 or not acks
        with Store.open(base_dir) as store:
            assert log.read_bytes() == b"" and not list(base_dir.glob("*.tmp"))
            check_mixed(store, acks, trial)
    assert kinds == {"decide", "undo", "note", "create", "rename", "delete"}  # each acknowledged before a kill
