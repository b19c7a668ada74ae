"""A Bluesky sync in a child process, for the kill-and-resume tests (against the fake or the real network).

    python -m tests.bsky_network.sync_child DATA_DIR CREDENTIALS_FILE PAGE_SIZE [KILL_AT]

KILL_AT: SIGKILL itself as soon as the answer to the KILL_AT-th ``getFollowers`` request arrives, before the
sync can journal that page (the worst moment: that page is read again by the resumed sync). Prints one JSON line:
the requests this run made per endpoint.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from followtui.backends.bluesky.backend import BlueskyBackend
from followtui.backends.bluesky.credentials import BlueskySession, find_session, load_sessions, save_session
from followtui.backends.meter import RequestMeter
from followtui.services.sync import Syncer, SyncOptions
from followtui.store.store import Store


def main(argv: list[str]) -> int:
    data_dir, creds, page_size = Path(argv[0]), Path(argv[1]), int(argv[2])
    kill_at = int(argv[3]) if len(argv) > 3 else 0
    session = find_session(load_sessions(creds), None)
    assert session is not None
    meter = RequestMeter()
    seen = {"followers": 0}

    def killer(response: httpx.Response) -> None:
        if response.request.url.path.endswith("app.bsky.graph.getFollowers"):
            seen["followers"] += 1
            if seen["followers"] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    def save(fresh: BlueskySession) -> None:
        save_session(fresh, creds)

    backend = BlueskyBackend.connect(session, on_session=save, meter=meter, page_size=page_size, hooks=[killer])
    with Store.open(data_dir) as store:
        Syncer(store, backend, lambda: datetime.now(UTC), options=SyncOptions(posts_accounts=5)).run()
    print(json.dumps({u.endpoint: u.requests for u in meter.usage()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
