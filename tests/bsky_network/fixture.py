"""The session-scoped ``bsky_network`` fixture: skips (naming what is missing) or, in CI, fails."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from tests.bsky_network.network import BskyNetwork, missing

REQUIRE_ENV = "FOLLOWTUI_REQUIRE_BSKY"  # 1: a missing piece fails the tests instead of skipping them


@pytest.fixture(scope="session")
def bsky_network() -> Iterator[BskyNetwork]:
    why = missing()
    if why is not None:
        message = f"the local AT Protocol network needs {why}"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message} ({REQUIRE_ENV}=1)")
        pytest.skip(message)
    net = BskyNetwork.start()
    timings = ", ".join(f"{k} {v:.1f}" for k, v in net.timings.items())
    print(f"\nlocal AT Protocol network: {timings}", file=sys.stderr)
    try:
        yield net
    finally:
        net.stop()
