"""Regenerate ``screenshots/*.svg`` from the demo data at a fixed size and a fixed clock.

Usage: ``python scripts/screenshots.py [OUT_DIR]`` (default: ``screenshots/`` next to this script's parent).
The demo cache goes in a temporary directory; the user's own data and config are never touched.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from textual.pilot import Pilot

from followtui.backends.base import Forbidden, RateLimited
from followtui.backends.demo import DemoBackend
from followtui.domain.signals import SignalKind
from followtui.tui.screens.accounts import AccountPickerScreen
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen, TextScreen, UnfollowScreen
from followtui.tui.screens.history import HistoryScreen
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.stats import StatsScreen
from followtui.tui.screens.suggestions import SuggestionsScreen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the demo harness lives with the tests, not in the package

from tests.harness import DEMO_NOW, demo_accounts_app, ready, wait_until  # noqa: E402

SIZE = (110, 32)  # legible at the README's width, one screenshot per row

Steps = Callable[[Pilot[None], MainScreen], Awaitable[None]]


def talker_index(screen: MainScreen, skip: int = 2, within: int = 20) -> int:
    """The row of the first new follower (past the first ``skip``) who talks with the user; else ``skip``."""
    triage = screen.session.triage
    for index, account_id in enumerate(screen.accounts.ids[:within]):
        if index >= skip and any(s.kind is SignalKind.CONVERSATION for s in triage.signals(account_id)):
            return index
    return skip


async def new_followers(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press(*["j"] * talker_index(screen))


async def show_pane(pilot: Pilot[None], screen: MainScreen, key: str) -> None:
    before = screen.pane
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.pane is not before and len(screen.accounts.ids) > 0)


async def detail(pilot: Pilot[None], screen: MainScreen) -> None:
    await new_followers(pilot, screen)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextScreen))


async def help_page(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextScreen))


async def list_picker(pilot: Pilot[None], screen: MainScreen) -> None:
    await new_followers(pilot, screen)
    await pilot.press("l")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ListPickerScreen))


async def confirm_batch(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("space", "space", "f")  # space marks and moves down
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))


async def outbox(pilot: Pilot[None], screen: MainScreen) -> None:
    """A follow X refused (the 2026 tiers) and an unfollow waiting for a rate limit, in the outbox."""
    backend = screen.session.backend
    assert isinstance(backend, DemoBackend)
    backend.faults["follow"] = [Forbidden(TIER_REFUSAL)]
    backend.faults["unfollow"] = [RateLimited(DEMO_NOW + timedelta(minutes=12), "DELETE /2/users/:id/following/:id")]
    outbox = screen.session.outbox
    await new_followers(pilot, screen)
    followed = screen.accounts.highlighted
    await pilot.press("f")
    await wait_until(pilot, lambda: outbox.manual_entry(followed or "") is not None)
    await show_pane(pilot, screen, "3")
    await pilot.press("u")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, UnfollowScreen))
    await pilot.press("y")
    await wait_until(pilot, lambda: outbox.rate_limited_until() is not None)
    await pilot.press("b")
    await wait_until(pilot, lambda: pilot.app.screen.id == "outbox")


async def matrix(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen) and pilot.app.screen.loaded)
    await pilot.press("j", "l")


async def suggestions(pilot: Pilot[None], screen: MainScreen) -> None:
    await show_pane(pilot, screen, "2")
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SuggestionsScreen) and pilot.app.screen.loaded)


async def history(pilot: Pilot[None], screen: MainScreen) -> None:
    """A few decisions first (follow, skip, wait), then the history, newest first."""
    for key in ("f", "s", "w"):
        before = screen.accounts.highlighted
        await pilot.press(key)

        def moved(before: str | None = before) -> bool:
            return screen.accounts.highlighted != before

        await wait_until(pilot, moved)
    await pilot.press("H")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))


async def account_picker(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AccountPickerScreen))


async def stats(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))


TIER_REFUSAL = "Following users is not available on your app's access tier."

VIEWS: dict[str, Steps] = {
    "new-followers": new_followers,
    "lists": partial(show_pane, key="2"),
    "unfollow-candidates": partial(show_pane, key="3"),
    "detail": detail,
    "help": help_page,
    "list-picker": list_picker,
    "confirm-batch": confirm_batch,
    "outbox": outbox,
    "matrix": matrix,
    "suggestions": suggestions,
    "history": history,
    "stats": stats,
    "account-picker": account_picker,
}
# The same views on the demo's Bluesky account (``a`` switches to it in the app).
BLUESKY_VIEWS: dict[str, Steps] = {
    "bluesky-new-followers": new_followers,
    "bluesky-detail": detail,
    "bluesky-lists": partial(show_pane, key="2"),
}


async def capture(data_dir: Path, name: str, steps: Steps, out_dir: Path, network: str = "x") -> Path:
    """Open a fresh app on ``network``'s demo account, run ``steps``, and save the screen as ``out_dir/name.svg``
    without any toasts."""
    app = demo_accounts_app(data_dir, network, hostile=False)  # believable people: attack texts stay in the tests
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await steps(pilot, screen)
        await pilot.pause()
        app.clear_notifications()
        screen.accounts.refresh_rows()  # the row cache ignores focus: repaint so a modal never shows a stale cursor
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        return Path(app.save_screenshot(f"{name}.svg", path=str(out_dir)))


async def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="followtui-screenshots-") as tmp:
        views = [(name, steps, "x") for name, steps in VIEWS.items()]
        views += [(name, steps, "bluesky") for name, steps in BLUESKY_VIEWS.items()]
        for name, steps, network in views:  # each view from a fresh demo: no view shows another's decisions
            path = await capture(Path(tmp) / name, name, steps, out_dir, network)
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
