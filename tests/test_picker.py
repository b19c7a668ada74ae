"""The list picker (``l``): fuzzy filter, check marks, space toggles without closing, enter toggles and closes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from followtui.domain.models import Op, OutboxState
from followtui.tui.fuzzy import highlighted, ranked
from followtui.tui.screens.dialogs import ListPickerScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


def test_fuzzy_ranks_runs_and_prefixes_first() -> None:
    names = ["Climate science", "Berlin tech", "Birding", "Lisbon friends"]
    assert [n for n, _ in ranked("bi", names, str)] == ["Birding", "Berlin tech", "Lisbon friends"]
    assert ranked("b tch", names, str) == [("Berlin tech", (0, 7, 9, 10))]  # spaces typed are ignored
    assert ranked("zz", names, str) == []
    assert [n for n, _ in ranked("", names, str)] == names  # nothing typed: the lists in their order


def test_a_list_name_is_highlighted_as_literal_text() -> None:
    [(name, positions)] = ranked("bo", ["[bold]x"], str)
    text = highlighted(name, positions)
    assert text.plain == "[bold]x"
    assert [(s.start, s.end) for s in text.spans] == [(1, 2), (2, 3)]


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


async def test_space_toggles_while_typing_and_never_creates_a_list(tmp_path: Path) -> None:
    """Issue 15: space in the filter toggles (it typed a space); Down+space on a half-typed name made a list."""
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        account = screen.accounts.highlighted
        rust = next(info for info in store.lists() if info.name == "Rust folks")
        assert account is not None and account not in rust.member_ids
        before = {info.name for info in store.lists()}
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        picker = app.screen
        assert isinstance(picker, ListPickerScreen)
        await pilot.press("r", "s", "t")
        assert "Create private list “rst”…" in screen_text(app)
        await pilot.press("space")  # typing still: toggles the best match, types nothing
        await wait_until(pilot, lambda: account in (store.list_info(rust.id) or rust).member_ids)
        assert picker.query_one(Input).value == "rst"
        await pilot.press("down", "space")  # on the create option: space creates nothing
        await wait_until(pilot, lambda: any("enter creates" in n.message for n in app._notifications))
        assert isinstance(app.screen, ListPickerScreen)
        assert {info.name for info in store.lists()} == before
        await pilot.press("k", "space")  # back on Rust folks: off again
        await wait_until(pilot, lambda: account not in (store.list_info(rust.id) or rust).member_ids)
        assert isinstance(app.screen, ListPickerScreen)
        # the create option, chosen explicitly: the form, where a name can have spaces
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        assert app.screen.query_one("#list-name", Input).value == "rst"
        await pilot.press(*" club", "enter", *"Rustaceans", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(pilot, lambda: any(info.name == "rst club" for info in store.lists()))
        made = next(info for info in store.lists() if info.name == "rst club")
        await wait_until(pilot, lambda: account in (store.list_info(made.id) or made).member_ids)
        assert made.private and made.description == "Rustaceans"


async def test_j_k_g_G_move_in_the_picker_once_the_options_have_the_focus(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        options = app.screen.query_one("#picker-options", OptionList)
        last = options.option_count - 1
        await pilot.press("down")  # from the filter to the options
        assert options.highlighted == 1 and app.screen.focused is options
        await pilot.press("G")
        assert options.highlighted == last
        await pilot.press("k")
        assert options.highlighted == last - 1
        await pilot.press("g")
        assert options.highlighted == 0
        await pilot.press("j")
        assert options.highlighted == 1
        await pilot.press("b")  # any other letter goes on in the filter
        assert app.screen.query_one(Input).value == "b"
