"""The main screen's state flows down: the status bar renders from the screen's reactives, and the detail panel
paints again when told that its account changed (``changed``) (issue 13, item 6)."""

from __future__ import annotations

from pathlib import Path

from rich.console import RenderableType

from followtui.tui.widgets.detail import DetailView
from followtui.tui.widgets.panels import StatusBar
from tests.tui_helpers import SIZE, demo_app, ready, wait_until


async def test_the_status_bar_follows_the_screen_state(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        bar = screen.query_one(StatusBar)
        screen.sync_message = "sync: page 3"
        screen.marked_count = 2
        await wait_until(pilot, lambda: "sync: page 3" in bar.render().plain and "2 marked" in bar.render().plain)
        screen.sync_message = None
        await wait_until(pilot, lambda: "sync:" not in bar.render().plain)


async def test_the_detail_panel_paints_its_account_again_when_told(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        detail = screen.query_one(DetailView)
        shown = screen.accounts.highlighted
        assert shown is not None and detail.account_id == shown
        painted: list[RenderableType] = []
        real = detail.show

        def show(text: RenderableType) -> None:
            painted.append(text)
            real(text)

        detail.show = show  # type: ignore[method-assign]
        detail.changed([shown])
        await wait_until(pilot, lambda: len(painted) == 1)
