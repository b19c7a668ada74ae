"""The list picker (``l``): fuzzy filter, check marks, space toggles without closing, enter toggles and closes."""

from __future__ import annotations

from pathlib import Path

from followtui.domain.models import Op, OutboxState
from followtui.tui.fuzzy import fuzzy, ranked
from followtui.tui.screens.dialogs import ListPickerScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


def test_fuzzy_ranks_runs_and_prefixes_first() -> None:
    names = ["Climate science", "Berlin tech", "Birding", "Lisbon friends"]
    assert [n for n, _ in ranked("bi", names, str)][:2] == ["Birding", "Berlin tech"]
    match = fuzzy("btch", "Berlin tech")
    assert match is not None and match.positions == (0, 7, 9, 10)
    assert fuzzy("zz", "Berlin") is None
    assert [n for n, _ in ranked("", names, str)] == names  # nothing typed: the lists in their order


async def test_space_toggles_at_once_and_marks_show_some_and_all(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        first, second = screen.accounts.ids[:2]
        lists = screen.session.triage.lists()
        target = next(i for i in lists if first not in i.member_ids and second not in i.member_ids)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*target.name[:4].lower(), "down")  # down: from typing to the options, space toggles
        picker = app.screen
        assert isinstance(picker, ListPickerScreen)
        await pilot.press("up", "space")
        await wait_until(pilot, lambda: first in (store.list_info(target.id) or target).member_ids)
        assert isinstance(app.screen, ListPickerScreen)  # still open
        assert f"✓ {target.name}" in screen_text(app)
        await pilot.press("space")  # and off again
        await wait_until(pilot, lambda: first not in (store.list_info(target.id) or target).member_ids)
        open_entries = [e for e in store.outbox() if e.list_id == target.id and e.account_id == first and e.open]
        assert len(open_entries) <= 1  # the add was cancelled, or it was sent and the removal waits
        await pilot.press("escape")
        # two accounts marked, one of them on the list: "–", and enter puts both on it and closes
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.accounts.highlighted == second)
        await pilot.press("space")
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*target.name[:4].lower(), "down", "up", "space")
        await wait_until(pilot, lambda: {first, second} <= set((store.list_info(target.id) or target).member_ids))
        await pilot.press("space")
        await wait_until(pilot, lambda: not {first, second} & set((store.list_info(target.id) or target).member_ids))
        await pilot.press("escape")
        await pilot.press("k")
        chosen = screen.accounts.highlighted
        assert chosen in (first, second)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        assert "✓" not in screen_text(app) or f"✓ {target.name}" not in screen_text(app)
        await pilot.press(*target.name[:4].lower(), "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ListPickerScreen))
        await wait_until(pilot, lambda: chosen in (store.list_info(target.id) or target).member_ids)
        adds = [e for e in store.outbox() if e.op is Op.LIST_ADD and e.list_id == target.id]
        assert adds and all(e.state is not OutboxState.FAILED for e in adds)


async def test_partly_on_a_list_shows_a_dash(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        ids = list(screen.accounts.ids)
        lists = screen.session.triage.lists()
        info = lists[0]
        account = info.member_ids[0]
        other = next(a for a in ids if a not in info.member_ids)
        screen.accounts.set_ids([account, other])
        await pilot.press("space", "space", "l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        assert f"– {info.name}" in screen_text(app)
        assert "1 of 2 on it" in screen_text(app)
