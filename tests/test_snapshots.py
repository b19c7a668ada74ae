"""SVG snapshots of the main views on the demo data at a fixed clock (update with ``--snapshot-update``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from followtui.domain.queues import Pane
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.stats import StatsScreen
from tests.tui_helpers import SIZE, demo_app, ready, wait_until

SnapCompare = Callable[..., bool]


def after_ready(
    *keys: str, until: Callable[[Pilot[Any]], bool] | None = None
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before`` that waits for the first pane, presses ``keys``, waits for ``until``, and drops toasts."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        if keys:
            await pilot.press(*keys)
        if until is not None:
            await wait_until(pilot, lambda: until(pilot))
        pilot.app.clear_notifications()
        # AccountList caches painted rows without keying on focus, so a modal can leave a stale "focused"
        # cursor behind it depending on timing; repaint the rows so the snapshot is deterministic.
        for screen in pilot.app.screen_stack:
            if isinstance(screen, MainScreen):
                screen.accounts.refresh_rows()
        await pilot.pause()

    return run_before


def pane_filled(pane: Pane) -> Callable[[Pilot[Any]], bool]:
    def check(pilot: Pilot[Any]) -> bool:
        screen = pilot.app.screen
        return isinstance(screen, MainScreen) and screen.pane is pane and len(screen.accounts.ids) > 0

    return check


def test_new_followers_pane(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SIZE, run_before=after_ready("j", "j", "j"))


def test_lists_pane(snap_compare: SnapCompare, tmp_path: Path) -> None:
    run_before = after_ready("2", until=pane_filled(Pane.LISTS))
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SIZE, run_before=run_before)


def test_unfollow_candidates_pane(snap_compare: SnapCompare, tmp_path: Path) -> None:
    run_before = after_ready("3", until=pane_filled(Pane.UNFOLLOW))
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    run_before = after_ready("question_mark", until=lambda pilot: pilot.app.screen.id == "help")
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SIZE, run_before=run_before)


def test_matrix(snap_compare: SnapCompare, tmp_path: Path) -> None:
    def loaded(pilot: Pilot[Any]) -> bool:
        screen = pilot.app.screen
        return isinstance(screen, MatrixScreen) and screen.loaded

    run_before = after_ready("m", "j", "l", until=loaded)
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SIZE, run_before=run_before)


# -- 80 x 24: every main view fits, or collapses sensibly (? and q always in the key bar) ---------------------------

SMALL = (80, 24)


def _loaded(kind: type[Any], flag: str) -> Callable[[Pilot[Any]], bool]:
    """The top screen is a ``kind`` whose ``flag`` attribute says it has its data."""
    return lambda pilot: isinstance(pilot.app.screen, kind) and bool(getattr(pilot.app.screen, flag))


SMALL_VIEWS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "new-followers": after_ready("j"),
    "lists": after_ready("2", until=pane_filled(Pane.LISTS)),
    "unfollow": after_ready("3", until=pane_filled(Pane.UNFOLLOW)),
    "detail": after_ready("enter", until=lambda pilot: pilot.app.screen.id == "account-page"),
    "help": after_ready("question_mark", until=lambda pilot: pilot.app.screen.id == "help"),
    "matrix": after_ready("m", until=_loaded(MatrixScreen, "loaded")),
    "stats": after_ready("t", until=_loaded(StatsScreen, "growth")),
}


@pytest.mark.parametrize("view", list(SMALL_VIEWS))
def test_main_views_at_80x24(snap_compare: SnapCompare, tmp_path: Path, view: str) -> None:
    assert snap_compare(demo_app(tmp_path / "demo"), terminal_size=SMALL, run_before=SMALL_VIEWS[view])
