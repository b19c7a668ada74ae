"""Sync ingest against the fake X API (tests/fakex) on loopback, through the real tweepy client.

Usage: ``python bench/bench_sync.py [FOLLOWERS ...]`` (default 1000 10000 100000). Prints one row per size:
requests, wall time, the sync thread's own CPU time (``time.thread_time``: the fake server's threads and the
network waits are not in it), followers per second, and the journal's size at its largest.

The fake server runs in this process; its spec checks are sampled and cost time on the wall clock only.
Not a test: CI does not run it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from followtui.backends.x.backend import XBackend
from followtui.services.sync import JOURNAL_FILE, Syncer, SyncOptions, SyncProgress
from followtui.store import Store
from tests.fakex import FakeX, World

TOKEN = "bench-token"


class _Token:
    def bearer(self) -> str:
        return TOKEN

    def refresh(self) -> str:
        return TOKEN


def run(followers: int) -> tuple[int, int, float, float, float, float]:
    world = World.generate(followers=followers, following=min(5000, followers), mutual=min(1000, followers // 2))
    world.add_user_token(TOKEN, world.me_id)
    largest_journal = 0
    with FakeX(world) as fx, tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp))
        journal = Path(tmp) / JOURNAL_FILE

        def progress(_p: SyncProgress) -> None:
            nonlocal largest_journal
            if journal.exists():
                largest_journal = max(largest_journal, journal.stat().st_size)

        backend = XBackend.oauth2(_Token(), user_id=world.me_id, base=fx.base_url)
        syncer = Syncer(store, backend, time_now, options=SyncOptions(posts_accounts=50), progress=progress)
        wall, cpu = time.perf_counter(), time.thread_time()
        report = syncer.run()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        store.close()
        assert report.followers == len(world.follower_ids())
        return followers, len(fx.requests), wall, cpu, followers / wall, largest_journal / 2**20


def time_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def main(sizes: list[int]) -> None:
    print(f"{'followers':>10} {'requests':>9} {'wall s':>8} {'own CPU s':>10} {'followers/s':>12} {'journal MB':>11}")
    for size in sizes:
        n, requests, wall, cpu, rate, journal = run(size)
        print(f"{n:>10,} {requests:>9,} {wall:>8.1f} {cpu:>10.1f} {rate:>12,.0f} {journal:>11.1f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000, 100_000])
