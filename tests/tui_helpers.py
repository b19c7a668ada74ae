"""Helpers for driving the app with Pilot on the demo data at a fixed clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from textual.pilot import Pilot

from followtui.config import Config
from followtui.services.session import open_session
from followtui.tui.app import FollowApp
from followtui.tui.screens.main import MainScreen
from followtui.tui.widgets.account_list import AccountList

DEMO_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SIZE = (130, 40)


def fixed_clock() -> datetime:
    return DEMO_NOW


def demo_app(data_dir: Path, config: Config | None = None, *, reset: bool = False) -> FollowApp:
    opener = partial(open_session, data_dir, demo=True, reset=reset, clock=fixed_clock, demo_delay=0.0)
    return FollowApp(opener, config)


async def wait_until(pilot: Pilot[object], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition`` holds (workers finish, messages land)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


def main_screen(app: FollowApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


async def ready(pilot: Pilot[object]) -> MainScreen:
    """Wait for the session to open and the first pane to be filled."""
    app = pilot.app
    assert isinstance(app, FollowApp)
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
    screen = main_screen(app)

    def filled() -> bool:
        lists = screen.query(AccountList)
        return bool(lists) and len(lists.first().ids) > 0 and None not in screen.counts.values()

    await wait_until(pilot, filled)
    await pilot.pause()
    return screen


def screen_text(app: FollowApp) -> str:
    """Everything the top screen shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
