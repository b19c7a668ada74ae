"""The outbox sending to Bluesky in a child process, for the kill-and-resend tests.

    python -m tests.bsky_network.outbox_child DATA_DIR CREDENTIALS_FILE KILL_AT [ACCOUNT_ID ...]

With account IDs, it first decides to follow each of them and puts them on a new list, "Kill test", published at
once (so the outbox holds: one follow each, the list's creation, one add each). KILL_AT: SIGKILL itself as soon as
the answer to the KILL_AT-th ``createRecord`` arrives, before the outbox can record it (the worst moment: the record
exists, the app does not know). Then it sends the outbox until nothing is owed and prints one JSON line: each
entry's op and state.
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
from followtui.domain.models import DecisionKind
from followtui.services.accounts import BLUESKY
from followtui.store.store import Store
from tests.writes import make_writes

LIST_NAME = "Kill test"


def main(argv: list[str]) -> int:
    data_dir, creds, kill_at, account_ids = Path(argv[0]), Path(argv[1]), int(argv[2]), argv[3:]
    session = find_session(load_sessions(creds), None)
    assert session is not None
    created = {"records": 0}

    def killer(response: httpx.Response) -> None:
        if response.request.url.path.endswith("com.atproto.repo.createRecord"):
            created["records"] += 1
            if created["records"] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    def save(fresh: BlueskySession) -> None:
        save_session(fresh, creds)

    backend = BlueskyBackend.connect(session, on_session=save, hooks=[killer])
    with Store.open(data_dir) as store:
        actions = make_writes(store, backend, lambda: datetime.now(UTC), network=BLUESKY)
        if account_ids:
            actions.decisions.decide_many(account_ids, DecisionKind.FOLLOW)
            info = actions.lists.create_list(LIST_NAME, "made, then killed")
            actions.lists.change_membership(account_ids, info.id, add=True)
            actions.lists.publish_list(info.id)
        for _ in range(10):  # a few rounds: the list's adds wait for its creation
            if not actions.outbox.process_outbox().sent and not actions.outbox.pending_count():
                break
        print(json.dumps([[e.op.value, e.state.value] for e in store.outbox()]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
