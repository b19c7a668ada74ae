"""Helpers for driving the app with Pilot on the demo data at a fixed clock."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from followtui.domain.models import AccountState
from followtui.domain.queues import Pane
from followtui.tui.app import FollowApp
from followtui.tui.screens.main import MainScreen
from tests.harness import DEMO_NOW, demo_app, fixed_clock, ready, wait_until

__all__ = [
    "DEMO_NOW",
    "SIZE",
    "demo_app",
    "fixed_clock",
    "main_screen",
    "only_candidate",
    "ready",
    "screen_text",
    "wait_until",
    "writes_settled",
]

SIZE = (130, 40)


def main_screen(app: FollowApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


async def writes_settled(pilot: Pilot[None]) -> None:
    """Wait until every store write queued so far has finished and its result reached the UI thread.

    The writer runs jobs in order and their results come back in order, so a no-op job queued now comes back
    last: after it, a key that would have written has visibly written (for negative assertions).
    """
    app = pilot.app
    assert isinstance(app, FollowApp)
    back: list[object] = []
    app.writer.submit(lambda: None, back.append, back.append)
    await wait_until(pilot, lambda: bool(back))


def screen_text(app: FollowApp) -> str:
    """Everything the top screen shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def only_candidate(pilot: Pilot[Any], screen: MainScreen, state: AccountState) -> str:
    """Go to the unfollow candidates and leave only the first one in ``state`` in the list; its ID."""
    await pilot.press("3")
    await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and bool(screen.accounts.ids))
    accounts = [a for a in map(screen.session.triage.account, screen.accounts.ids) if a is not None]
    account_id = next(a.id for a in accounts if a.state is state)
    screen.accounts.set_ids([account_id])
    return account_id
