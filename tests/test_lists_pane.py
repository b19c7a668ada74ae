"""The Lists pane from the keyboard: the list column, create, edit, delete and remove members."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from textual.pilot import Pilot

from followtui.domain.models import ListInfo, Op
from followtui.domain.queues import Pane
from followtui.tui.screens.dialogs import ConfirmScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


async def lists_pane(pilot: Pilot[Any], screen: MainScreen) -> None:
    await pilot.press("2")
    await wait_until(pilot, lambda: screen.pane is Pane.LISTS and len(screen.accounts.ids) > 0)


async def test_list_column_shows_kind_size_and_description_and_keys_only_here(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert "N New" not in screen_text(app)  # the list keys are not in the footer on other panes
        await lists_pane(pilot, screen)
        first = screen.session.triage.lists()[0]
        text = screen_text(app)
        kind = "private" if first.private else "public"
        assert f"{kind} · {len(first.member_ids)} members" in text
        assert first.description[:20] in text
        assert "N New" in text and "e Edit" in text and "D Delete" in text


async def test_create_then_edit_a_list_with_the_form(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await lists_pane(pilot, screen)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*"x" * 26)
        assert "26/25" in screen_text(app)
        assert "at most 25 characters" in screen_text(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ListFormScreen)  # refused: nothing written
        assert all(info.name != "x" * 26 for info in store.lists())
        await pilot.press(*["backspace"] * 26, *"Jazz", "enter", *"People who play", "enter")
        await wait_until(pilot, lambda: any(info.name == "Jazz" for info in store.lists()))
        created = next(info for info in store.lists() if info.name == "Jazz")
        assert created.private and created.description == "People who play"

        def current() -> ListInfo | None:  # its ID changes once X has created it
            return screen.current_list

        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and (current() or created).name == "Jazz")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press("tab", *" jazz", "ctrl+s")

        def jazz() -> ListInfo:
            return next(info for info in store.lists() if info.name == "Jazz")

        await wait_until(pilot, lambda: jazz().description == "People who play jazz")
        ops = sorted(e.op for e in store.outbox() if e.list_id in (created.id, jazz().id))
        assert ops in ([Op.LIST_CREATE], sorted([Op.LIST_CREATE, Op.LIST_UPDATE]))  # one update at most


async def test_delete_asks_first_and_escape_keeps_the_list(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await lists_pane(pilot, screen)
        info = screen.session.triage.lists()[0]
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"Delete the list {info.name} ({len(info.member_ids)} members)?" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert store.list_info(info.id) is not None
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: store.list_info(info.id) is None)
        assert [e.op for e in store.outbox() if e.list_id == info.id] == [Op.LIST_DELETE]
        await wait_until(pilot, lambda: screen.list_id is not None and screen.list_id != info.id)


async def test_remove_member_takes_the_highlighted_account_off(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await lists_pane(pilot, screen)
        list_id = screen.list_id
        assert list_id is not None
        member = screen.accounts.highlighted
        assert member is not None
        await pilot.press("minus")
        await wait_until(pilot, lambda: member not in (store.list_info(list_id) or _never()).member_ids)
        assert member not in screen.accounts.ids
        entries = [(e.op, e.account_id) for e in store.outbox() if e.list_id == list_id]
        assert entries == [(Op.LIST_REMOVE, member)]


def _never() -> NoReturn:
    raise AssertionError("the list is gone")
