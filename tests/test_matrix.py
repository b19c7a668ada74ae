"""The list matrix (``m``): cells toggle through the outbox, the filter language, the scope and marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from followtui.domain.models import Op
from followtui.services.triage import MatrixScope
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ListPickerScreen
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.matrix import MatrixScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


async def open_matrix(pilot: Pilot[Any], app: FollowApp) -> MatrixScreen:
    await ready(pilot)
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


async def test_matrix_shows_accounts_lists_and_the_unlisted_count(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_matrix(pilot, app)
        triage = matrix.session.triage
        following = triage.matrix(MatrixScope.FOLLOWING).ids
        unlisted = triage.matrix(MatrixScope.FOLLOWING, "is:unlisted").ids
        assert matrix.grid.ids == following
        text = screen_text(app)
        assert f"{len(unlisted):,} accounts on no list" in text
        for info in triage.lists():
            assert info.name[:4] in text  # abbreviated column headers
        await pilot.press("s")
        await wait_until(pilot, lambda: matrix.loaded and matrix.scope is MatrixScope.FOLLOWERS)
        assert matrix.grid.ids == triage.matrix(MatrixScope.FOLLOWERS).ids


async def test_at_80_columns_the_header_keeps_the_column_in_short_words(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_matrix(pilot, app)
        info = matrix.grid.list_info
        assert info is not None
        column = f"{info.name} ({info.visibility} · {len(matrix.members[info.id])})"
        await wait_until(pilot, lambda: f" on no list · {column}" in screen_text(app))
        assert "accounts on no list" not in screen_text(app)


async def test_toggle_a_cell_twice_leaves_nothing_owed(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_matrix(pilot, app)
        store = matrix.session.store
        grid = matrix.grid
        info = grid.list_info
        account = grid.account_id
        assert info is not None and account is not None
        was_on = account in info.member_ids
        await pilot.press("space")
        await wait_until(pilot, lambda: (account in (store.list_info(info.id) or info).member_ids) != was_on)
        assert ("·" if was_on else "✓") in screen_text(app).splitlines()[3]
        await pilot.press("space")
        await wait_until(pilot, lambda: (account in (store.list_info(info.id) or info).member_ids) == was_on)
        owed = [e for e in store.outbox() if e.list_id == info.id and e.account_id == account and e.open]
        sent = [e for e in store.outbox() if e.list_id == info.id and e.account_id == account and not e.open]
        # either the first call was cancelled before it went out, or it went and its inverse follows it
        assert not owed or [e.op for e in owed] == [Op.LIST_REMOVE if not was_on else Op.LIST_ADD]
        assert len(owed) + len(sent) <= 2


async def test_filter_unlisted_then_mark_and_add_to_a_list(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_matrix(pilot, app)
        store = matrix.session.store
        await pilot.press("slash", *"is:unlisted", "enter")
        await wait_until(pilot, lambda: matrix.loaded and matrix.filter_text == "is:unlisted" and matrix.grid.ids != [])
        unlisted = matrix.session.triage.matrix(MatrixScope.FOLLOWING, "is:unlisted").ids
        assert matrix.grid.ids == unlisted
        await pilot.press("v", "v", "v")
        marked = matrix.grid.marked_ids()
        assert marked == unlisted[:3]
        target = matrix.grid.columns[0]
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*target.name[:3].lower(), "enter")
        await wait_until(pilot, lambda: set(marked) <= set((store.list_info(target.id) or target).member_ids))
        adds = [e.account_id for e in store.outbox() if e.op is Op.LIST_ADD and e.list_id == target.id]
        assert sorted(adds) == sorted(marked)
        await wait_until(pilot, lambda: not set(marked) & set(matrix.grid.ids))  # on a list now: filtered out
        await pilot.press("slash")
        await pilot.press(*["backspace"] * 11, *f'list:"{target.name}"', "enter")
        await wait_until(pilot, lambda: matrix.loaded and set(marked) <= set(matrix.grid.ids))
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_matrix_moves_through_many_rows(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_matrix(pilot, app)
        grid = matrix.grid
        many = [f"x{i}" for i in range(20_000)] + list(grid.ids)
        grid.show(many, grid.columns, matrix.members)
        await pilot.press("G")
        await pilot.pause()
        await pilot.press(*["up"] * 20, "pagedown")
        await pilot.pause()
        assert grid.row == len(many) - 21 + 0 or grid.row >= len(many) - 21
