"""Sync ingest against the fake X API (tests/fakex) on loopback, through the real tweepy client.

Used by ``bench/bench.py`` (the one entry point). ``run(n)`` gives: requests, wall time, the sync's own CPU time,
followers per second, the journal's size at its largest, and the own CPU time of a second full sync into the cache
the first one wrote. The fake server runs in a child process (``serve``), so its spec checks neither share this
process's GIL nor count in its CPU time: the sync runs on this process's main thread and its own time is
``time.thread_time`` around ``Syncer.run`` (network waits are not in it). Not a test: CI does not run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
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


def world(followers: int) -> World:
    w = World.generate(followers=followers, following=min(5000, followers), mutual=min(1000, followers // 2))
    w.add_user_token(TOKEN, w.me_id)
    return w


def serve(followers: int) -> None:
    """In the child: serve the world until stdin closes; print the base URL, then the request count at the end."""
    w = world(followers)
    with FakeX(w) as fx:
        print(json.dumps({"base": fx.base_url, "me": w.me_id, "followers": len(w.follower_ids())}), flush=True)
        sys.stdin.read()
        print(json.dumps({"requests": len(fx.requests)}), flush=True)


def run(followers: int) -> tuple[int, int, float, float, float, float, float]:
    server = subprocess.Popen(
        [sys.executable, __file__, "_serve", str(followers)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        info = json.loads(server.stdout.readline())
        largest_journal = 0
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp))
            journal = Path(tmp) / JOURNAL_FILE

            def progress(_p: SyncProgress) -> None:
                nonlocal largest_journal
                if journal.exists():
                    largest_journal = max(largest_journal, journal.stat().st_size)

            backend = XBackend.oauth2(_Token(), user_id=info["me"], base=info["base"])
            syncer = Syncer(
                store, backend, lambda: datetime.now(UTC), options=SyncOptions(posts_accounts=50), progress=progress
            )
            wall, cpu = time.perf_counter(), time.thread_time()
            report = syncer.run()
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            again = Syncer(store, backend, lambda: datetime.now(UTC), options=SyncOptions(posts_accounts=50))
            resync_cpu = time.thread_time()
            again.run()  # the everyday case: the same followers again, into the cache the first sync wrote
            resync_cpu = time.thread_time() - resync_cpu
            store.close()
        assert report.followers == info["followers"]
        server.stdin.close()
        requests = json.loads(server.stdout.readline())["requests"]
    finally:
        server.kill()
        server.wait()
    return followers, requests, wall, cpu, followers / wall, largest_journal / 2**20, resync_cpu


if __name__ == "__main__" and sys.argv[1:2] == ["_serve"]:
    serve(int(sys.argv[2]))
