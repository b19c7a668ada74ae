"""80×24 and 100×30 work: every view keeps ``?`` and ``q`` in the key bar, the pane tabs keep every count, the
rows keep their badges, and the Lists pane's key bar fits at 130 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from followtui.domain.queues import Pane
from followtui.tui.app import FollowApp
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.stats import StatsScreen
from followtui.tui.widgets.footer import KeyBar
from tests.tui_helpers import demo_app, main_screen, ready, screen_text, wait_until

SIZES = [(80, 24), (100, 30)]


def _key_bar(app: FollowApp) -> str:
    """The bottom line of the screen: the key bar."""
    return screen_text(app).splitlines()[-1]


def _shown_keys(app: FollowApp) -> list[FooterKey]:
    bar = app.screen.query_one(KeyBar)
    return [key for key in bar.query_children(FooterKey) if key.display]


def _fits(app: FollowApp) -> bool:
    """Every key the bar shows lies wholly on the screen (none cut off at the right edge)."""
    width = app.size.width
    return all(key.region.right <= width and key.region.width > 0 for key in _shown_keys(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_pane_keeps_help_quit_and_the_counts(data_dir: Path, size: tuple[int, int]) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        for key, pane in (("1", Pane.NEW_FOLLOWERS), ("2", Pane.LISTS), ("3", Pane.UNFOLLOW)):
            await pilot.press(key)

            def shown(pane: Pane = pane) -> bool:
                return screen.pane is pane and len(screen.accounts.ids) > 0

            await wait_until(pilot, shown)
            await wait_until(pilot, lambda: "? Help" in _key_bar(app) and "q Quit" in _key_bar(app))
            assert _fits(app)
            tabs = screen_text(app).splitlines()[0]
            for count in screen.counts.values():
                assert f" {count} " in tabs, f"a count is cut off the tabs at {size}: {tabs!r}"
            assert "@ada_demo" in tabs


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_matrix_and_stats_keep_help_and_quit(data_dir: Path, size: tuple[int, int]) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.loaded)
        await wait_until(pilot, lambda: "? Help" in _key_bar(app) and "q Quit" in _key_bar(app))
        assert _fits(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main_screen(app))
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.growth is not None)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("escape closes" in line for line in lines), "the stats view's last line is cut off"
        assert any("Last 90 days" in line for line in lines)


async def test_rows_keep_their_badges_at_80_columns(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines()[2:20]]
        new_ids = [i for i in screen.accounts.ids[:18] if screen.session.triage.is_new(i)]
        assert len(new_ids) == 18, "the demo's first page is all new followers"
        assert all("NEW" in row for row in rows), rows


async def test_lists_pane_key_bar_fits_at_130_columns(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS and len(screen.accounts.ids) > 0)
        await wait_until(pilot, lambda: "q Quit" in _key_bar(app))
        bar = _key_bar(app)
        for key in ("N New", "e Edit", "D Delete", "- Remove", "m Matrix", "i Suggest", "? Help", "q Quit"):
            assert key in bar, f"{key!r} missing from {bar!r}"
        assert _fits(app)


async def test_key_bar_refits_when_the_terminal_shrinks(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: "/ Filter" in _key_bar(app))
        wide = len(_shown_keys(app))
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "/ Filter" not in _key_bar(app) and "q Quit" in _key_bar(app))
        assert len(_shown_keys(app)) < wide and _fits(app)
        await pilot.resize_terminal(160, 48)
        await wait_until(pilot, lambda: "/ Filter" in _key_bar(app))
