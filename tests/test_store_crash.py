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

from followtui.services.actions import HISTORY_LIMIT
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
from followtui.services.actions import Actions
from followtui.store import Store, statelog

statelog.COMPACT_BYTES = int(sys.argv[2])
with_sync_info = sys.argv[3] == "1"
store = Store.open(Path(sys.argv[1]))
actions = Actions(store, backend=None, clock=lambda: datetime.now(UTC))  # the outbox is never sent here
ids = store.account_ids()[:50]
kinds = [DecisionKind.FOLLOW, DecisionKind.SNOOZE, DecisionKind.SKIP, DecisionKind.UNFOLLOW, DecisionKind.KEEP]
print("READY", flush=True)
i = 0
while True:
    d = actions.decide(ids[i % len(ids)], kinds[i % len(kinds)])
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


def run_and_kill(data_dir: Path, delay: float, compact_bytes: int, with_sync_info: bool) -> list[tuple[int, str, str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-c", CHILD, str(data_dir), str(compact_bytes), "1" if with_sync_info else "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
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
    acks = []
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACK":  # a line cut by the kill is not an ACK
            acks.append((int(parts[1]), parts[2], parts[3]))
    return acks


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
