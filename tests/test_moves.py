"""``j`` ``k`` ``g`` ``G`` move in every list and column, not only the arrows, home and end (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from followtui.domain.models import Op, OutboxEntry, OutboxState
from followtui.domain.queues import Pane
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.outbox import OutboxScreen
from followtui.tui.screens.suggestions import SuggestionsScreen
from tests.tui_helpers import DEMO_NOW, SIZE, demo_app, ready, wait_until


async def check_moves(pilot: Pilot[Any], options: OptionList) -> None:
    """G: the last option, k: the one above, g: the first, j: the next (disabled headings are skipped)."""
    enabled = [i for i in range(options.option_count) if not options.get_option_at_index(i).disabled]
    assert len(enabled) >= 3 and pilot.app.screen.focused is options
    await pilot.press("G")
    assert options.highlighted == enabled[-1]
    await pilot.press("k")
    assert options.highlighted == enabled[-2]
    await pilot.press("g")
    assert options.highlighted == enabled[0]
    await pilot.press("j")
    assert options.highlighted == enabled[1]


async def test_the_account_list_and_the_lists_column(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        ids = screen.accounts.ids
        await pilot.press("G")
        assert screen.accounts.highlighted == ids[-1]
        await pilot.press("k")
        assert screen.accounts.highlighted == ids[-2]
        await pilot.press("g", "j")
        assert screen.accounts.highlighted == ids[1]
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS and bool(screen.accounts.ids))
        await pilot.press("escape")  # from the members to the list column
        column = screen.query_one("#lists", OptionList)
        await wait_until(pilot, lambda: screen.focused is column)
        await check_moves(pilot, column)
        lists = screen.session.triage.lists()
        await wait_until(pilot, lambda: screen.list_id == lists[1].id)  # j went to the next list: its members
        await wait_until(pilot, lambda: set(screen.accounts.ids) == set(lists[1].member_ids))
        assert screen.accounts.highlighted == screen.accounts.ids[0]  # from its top


async def test_suggestions_and_the_matrix(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, SuggestionsScreen) and app.screen.loaded)
        await check_moves(pilot, app.screen.query_one(OptionList))
        await pilot.press("escape")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.loaded)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        grid = matrix.grid
        await pilot.press("G")
        assert grid.row == len(grid.ids) - 1
        await pilot.press("k")
        assert grid.row == len(grid.ids) - 2
        await pilot.press("g", "j")
        assert grid.row == 1


async def test_the_outbox(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        entries = [
            OutboxEntry(f"e{i}", Op.FOLLOW, account_id, DEMO_NOW, state=OutboxState.FAILED, error="refused")
            for i, account_id in enumerate(screen.accounts.ids[:4])
        ]
        app.push_screen(OutboxScreen(entries, lambda entry: f"follow {entry.account_id}"))
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen) and bool(app.screen.query(OptionList)))
        await check_moves(pilot, app.screen.query_one(OptionList))
