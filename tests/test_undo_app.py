"""z from the keyboard: the last change, whatever it was, undone as a whole and named in the toast; the history
(H) and snoozed (W) views; the pane's position and "triaged today" in the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from textual.pilot import Pilot

from followtui.domain.models import DecisionKind, Op, OutboxState
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen
from followtui.tui.screens.history import HistoryScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.note import NoteScreen
from tests.test_lists_pane import lists_pane
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until

K = DecisionKind


def toasted(app: FollowApp, start: str) -> bool:
    return any(str(n.message).startswith(start) for n in app._notifications)


async def undo(pilot: Pilot[Any], app: FollowApp, toast: str) -> None:
    app.clear_notifications()
    await pilot.press("z")
    await wait_until(pilot, lambda: toasted(app, toast))


async def test_a_confirmed_batch_is_one_undo_named_in_the_toast(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        three = list(screen.accounts.ids[:3])
        await pilot.press("space", "space", "space", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: all(store.decision(a) is not None for a in three))
        await undo(pilot, app, "↶ Undid skipped of 3 accounts")
        assert all(store.decision(a) is None for a in three)
        await wait_until(pilot, lambda: set(three) <= set(screen.accounts.ids))


async def test_after_a_list_remove_z_undoes_the_remove_not_an_older_snooze(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        snoozed = screen.accounts.highlighted
        assert snoozed is not None
        await pilot.press("w")
        await wait_until(pilot, lambda: store.decision(snoozed) is not None)
        await lists_pane(pilot, screen)
        list_id, member = screen.list_id, screen.accounts.highlighted
        assert list_id is not None and member is not None
        await pilot.press("minus")
        await wait_until(pilot, lambda: member not in (store.list_info(list_id) or _gone()).member_ids)
        await undo(pilot, app, "↶ Undid removing @")
        assert member in (store.list_info(list_id) or _gone()).member_ids
        assert store.decision(snoozed) is not None  # the snooze stands
        calls = [(e.op, e.state) for e in store.outbox() if e.list_id == list_id]
        if calls[0][1] is OutboxState.DONE:  # sent already: answered by the opposite call
            assert [op for op, _ in calls] == [Op.LIST_REMOVE, Op.LIST_ADD]
        else:  # still queued: cancelled, and nothing else sent
            assert calls == [(Op.LIST_REMOVE, OutboxState.CANCELLED), (Op.LIST_ADD, OutboxState.CANCELLED)]
        await undo(pilot, app, "↶ Undid waiting of @")
        assert store.decision(snoozed) is None


async def test_a_list_add_from_the_picker_is_undone(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        target = screen.accounts.highlighted
        choice = next(info for info in screen.session.triage.lists() if target not in info.member_ids)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*choice.name, "enter")
        await wait_until(pilot, lambda: target in (store.list_info(choice.id) or _gone()).member_ids)
        await undo(pilot, app, "↶ Undid adding @")
        assert target not in (store.list_info(choice.id) or _gone()).member_ids


async def test_list_create_rename_delete_are_each_undone(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await lists_pane(pilot, screen)

        def names() -> list[str]:
            return sorted(info.name for info in store.lists())

        before = names()
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*"Jazz", "ctrl+s")
        await wait_until(pilot, lambda: "Jazz" in names())
        await undo(pilot, app, "↶ Undid the new list Jazz")
        assert names() == before

        info = screen.current_list
        assert info is not None
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*["backspace"] * 30, *"Renamed", "ctrl+s")
        await wait_until(pilot, lambda: "Renamed" in names())
        await undo(pilot, app, f"↶ Undid the edit of the list {info.name}")
        assert names() == before

        members = len(info.member_ids)
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: info.name not in names())
        await undo(pilot, app, f"↶ Undid deleting the list {info.name} ({members} members back)")
        back = next(i for i in store.lists() if i.name == info.name)
        assert back.member_ids == info.member_ids and names() == before


async def test_a_note_is_undone_to_its_previous_text(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        target = screen.accounts.highlighted
        assert target is not None
        for typed, text in (("first", "first"), (" second", "first second")):
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, NoteScreen))
            await pilot.press(*typed, "ctrl+s")

            def saved(text: str = text) -> bool:
                return (store.note(target) or _gone()).text == text

            await wait_until(pilot, saved)
        await undo(pilot, app, "↶ Undid the note on @")
        assert (store.note(target) or _gone()).text == "first"
        await undo(pilot, app, "↶ Undid the note on @")
        assert store.note(target) is None


async def test_undo_across_a_restart(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("x")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await undo(pilot, app, "↶ Undid never follow of @")
        assert screen.session.store.decision(target) is None
        await wait_until(pilot, lambda: screen.accounts.highlighted == target)


async def test_history_lists_filters_undoes_and_changes(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        first, second = screen.accounts.ids[0], screen.accounts.ids[1]
        await pilot.press("s")  # first: skipped
        await wait_until(pilot, lambda: store.decision(first) is not None)
        await pilot.press("w")  # second: snoozed
        await wait_until(pilot, lambda: store.decision(second) is not None)
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.rows) == 2)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        text = screen_text(app)
        handle = (store.account(first) or _gone()).username
        assert text.index("waiting") < text.index("skipped")  # newest first
        assert f"@{handle}" in text and "1 / 2" in text
        await pilot.press("slash", *"skip", "enter")
        await wait_until(pilot, lambda: list(history.rows) == [str((store.decision(first) or _gone()).seq)])
        await pilot.press("f")  # change the skip into a follow
        await wait_until(pilot, lambda: (store.decision(first) or _gone()).kind is K.FOLLOW)
        await pilot.press("escape")  # clears the filter
        await wait_until(pilot, lambda: len(history.rows) == 3)
        assert "replaced by a later decision" in screen_text(app)
        await pilot.press("g", "j")  # the snooze of the second
        assert history.rows_list.highlighted == str((store.decision(second) or _gone()).seq)
        await pilot.press("z")
        await wait_until(pilot, lambda: store.decision(second) is None)
        assert toasted(app, "↶ Undid waiting of @")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and second in screen.accounts.ids)
        await undo(pilot, app, "↶ Undid follow back of @")  # z: the change made in the history
        assert (store.decision(first) or _gone()).kind is K.SKIP


async def test_snoozed_view_says_who_comes_back_when(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        await pilot.press("w")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.rows) == 1)
        handle = (screen.session.store.account(target or "") or _gone()).username
        text = screen_text(app)
        assert "Snoozed: who comes back, and when" in text
        assert f"@{handle}" in text and "back in 3 d 0 h" in text


async def test_pane_position_and_triaged_today(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        total = len(screen.accounts.ids)
        await wait_until(pilot, lambda: "triaged today: 0" in screen_text(app))
        assert f"1 / {total}" in screen_text(app)
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: f"3 / {total}" in screen_text(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "triaged today: 1" in screen_text(app))
        assert f"3 / {total - 1}" in screen_text(app)
        await pilot.press("z")
        await wait_until(pilot, lambda: "triaged today: 0" in screen_text(app))


def _gone() -> NoReturn:
    raise AssertionError("not there")
