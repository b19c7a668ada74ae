"""Drive the app headless on the demo data at a fixed clock: shared by the tests and `scripts/screenshots.py`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from followtui.config import Config
from followtui.demo import BSKY_ME, DEMO_ME
from followtui.services.accounts import AccountRef, X, account_dir
from followtui.services.session import AccountOpener, open_session
from followtui.tui.app import FollowApp
from followtui.tui.screens.main import MainScreen
from followtui.tui.widgets.account_list import AccountList

DEMO_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return DEMO_NOW


def demo_app(
    data_dir: Path,
    config: Config | None = None,
    *,
    reset: bool = False,
    write_executor: Executor | None = None,
    hostile: bool = True,
) -> FollowApp:
    """The app on the demo data in ``data_dir``, at the fixed clock, with no fake network latency; ``hostile``:
    with the tests' attack texts among the people (the screenshots show the demo without them)."""
    config = config or Config()
    opener = partial(
        open_session,
        data_dir,
        demo=True,
        reset=reset,
        clock=fixed_clock,
        demo_delay=0.0,
        config=config,
        demo_hostile=hostile,
    )
    return FollowApp(opener, config, write_executor=write_executor)


def demo_accounts_app(base: Path, network: str = X, *, hostile: bool = True) -> FollowApp:
    """The app as ``followtui --demo`` opens it: both demo accounts under the data dir ``base`` (``a`` switches),
    ``network``'s open first, at the fixed clock with no fake latency."""
    me = DEMO_ME if network == X else BSKY_ME
    first = AccountRef(network, me.id, me.username, account_dir(base, network, me.id))
    config = Config()
    options = {"clock": fixed_clock, "demo_delay": 0.0, "config": config, "demo_hostile": hostile}
    return FollowApp(AccountOpener(base, first, demo=True, options=options), config)


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition`` holds (workers finish, messages land)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.02)


async def ready(pilot: Pilot[Any]) -> MainScreen:
    """Wait for the session to open and the first pane (and every count) to be filled."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
    screen = app.screen
    assert isinstance(screen, MainScreen)

    def filled() -> bool:
        lists = screen.query(AccountList)
        return bool(lists) and len(lists.first().ids) > 0 and None not in screen.counts.values()

    await wait_until(pilot, filled)
    await pilot.pause()
    return screen
