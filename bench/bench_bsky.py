"""Bluesky sync ingest against the lexicon-checked fake XRPC server (tests/fakebsky), through the real atproto SDK.

Used by ``bench/bench.py`` (``--bsky``). ``run(n)`` gives: requests (as the server counted them), wall time, the
sync's own CPU time and followers per second for a full sync of ``n`` followers (pages of 100, profiles 25 a call).
As in ``bench_sync``, the server runs in a child process so its lexicon checks neither share this process's GIL nor
count in its CPU time. Not a test: CI does not run it (tests/test_bluesky_backend.py pages 10,000 followers).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from followtui.backends.bluesky.backend import BlueskyBackend
from followtui.backends.bluesky.signin import sign_in
from followtui.config import Config
from followtui.services.sync import Syncer, SyncOptions
from followtui.store import Store
from tests.fakebsky import FakeBsky, World

NO_PLC = "http://127.0.0.1:9"  # the session's DID document names the PDS: the PLC is never asked
FOLLOWING = 300


def serve(followers: int) -> None:
    """In the child: serve the world until stdin closes; print how to sign in, then the requests per method."""
    world = World.generate(followers=followers, following=FOLLOWING)
    with FakeBsky(world) as fb:
        info = {"base": fb.base_url, "handle": world.me.handle, "password": world.app_password}
        print(json.dumps(info), flush=True)
        sys.stdin.read()
        print(json.dumps(dict(Counter(r.nsid for r in fb.recorded))), flush=True)
        assert not fb.violations, fb.violations[:3]


def run(followers: int) -> dict[str, Any]:
    server = subprocess.Popen(
        [sys.executable, __file__, "_serve", str(followers)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        info = json.loads(server.stdout.readline())
        session = sign_in(info["handle"], info["password"], service=info["base"], plc=NO_PLC)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp))
            backend = BlueskyBackend.connect(session)
            config = Config()  # as the app syncs a Bluesky account: posts of up to 1,000 accounts, for free
            options = SyncOptions(
                posts_accounts=config.bluesky_posts_accounts,
                posts_per_account=config.posts_per_account,
                mentions=config.mentions,
            )
            syncer = Syncer(store, backend, lambda: datetime.now(UTC), options=options)
            wall, cpu = time.perf_counter(), time.thread_time()
            report = syncer.run()
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            store.close()
        assert report.followers == followers, report
        server.stdin.close()
        by_method: dict[str, int] = json.loads(server.stdout.readline())
    finally:
        server.kill()
        server.wait()
    return {
        "followers": followers,
        "requests": sum(by_method.values()),
        "by_method": by_method,
        "wall": wall,
        "cpu": cpu,
        "per_s": followers / wall,
    }


if __name__ == "__main__" and sys.argv[1:2] == ["_serve"]:
    serve(int(sys.argv[2]))
elif __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000), indent=1))
