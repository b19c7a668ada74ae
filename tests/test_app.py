"""The app driven from the keyboard with Pilot, asserting on the screen and on the store."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.containers import VerticalScroll

from followtui.backends.demo import DemoBackend
from followtui.config import Config
from followtui.domain.models import DecisionKind, Op, OutboxState
from followtui.domain.queues import Pane
from followtui.store import Store
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen, TextScreen, UnfollowScreen
from tests.factories import present
from tests.tui_helpers import DEMO_NOW, SIZE, demo_app, ready, screen_text, wait_until, writes_settled


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "demo"


def stored(data_dir: Path) -> Store:
    """Open the store the app used (after the app has exited and released it)."""
    return Store.open(data_dir)


async def test_starts_on_new_followers_with_counts_and_detail(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.pane is Pane.NEW_FOLLOWERS
        new_total = screen.session.triage.new_followers().total
        assert new_total >= 40
        text = screen_text(app)
        assert f"1 New followers {new_total}" in text
        assert "2 Lists" in text and "3 Unfollow candidates" in text
        first = screen.session.store.account(screen.accounts.ids[0])
        assert first is not None
        assert "Why it is here" in text
        assert "Recent posts" in text
        assert "pending" in text and "last sync" in text


async def test_navigation_keys_move_the_cursor_and_the_detail(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        ids = list(screen.accounts.ids)
        await pilot.press("j")
        assert screen.accounts.highlighted == ids[1]
        await pilot.press("down", "down")
        assert screen.accounts.highlighted == ids[3]
        await pilot.press("k")
        assert screen.accounts.highlighted == ids[2]
        await pilot.press("up")
        assert screen.accounts.highlighted == ids[1]
        await pilot.press("G")
        assert screen.accounts.highlighted == ids[-1]
        await pilot.press("g")
        assert screen.accounts.highlighted == ids[0]
        await pilot.press("end")
        assert screen.accounts.highlighted == ids[-1]
        await pilot.press("home")
        await pilot.pause()
        account = screen.session.store.account(ids[0])
        assert account is not None
        assert f"@{account.username}" in screen_text(app)


async def test_panes_switch_with_number_keys_and_tab(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and len(screen.accounts.ids) > 0)
        assert screen.accounts.ids == screen.session.triage.unfollow_candidates().ids
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS and len(screen.accounts.ids) > 0)
        first_list = screen.session.triage.lists()[0]
        assert set(screen.accounts.ids) == set(first_list.member_ids)
        assert first_list.name in screen_text(app)
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW)
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.pane is Pane.NEW_FOLLOWERS)
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW)


async def test_follow_back_is_saved_then_sent(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        before = present(screen.counts[Pane.NEW_FOLLOWERS])
        await pilot.press("f")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        assert screen.counts[Pane.NEW_FOLLOWERS] == before - 1
        decision = screen.session.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.FOLLOW
        await wait_until(
            pilot,
            lambda: any(
                e.account_id == target and e.op is Op.FOLLOW and e.state is OutboxState.DONE
                for e in screen.session.store.outbox()
            ),
        )
        following = {a.id for a in screen.session.backend.following().accounts}
        assert target in following


async def test_skip_and_wait_leave_the_queue(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first, second = screen.accounts.ids[0], screen.accounts.ids[1]
        await pilot.press("s")
        await wait_until(pilot, lambda: first not in screen.accounts.ids)
        assert screen.accounts.highlighted == second
        await pilot.press("w")
        await wait_until(pilot, lambda: second not in screen.accounts.ids)
        store = screen.session.store
        skip, snooze = store.decision(first), store.decision(second)
        assert skip is not None and skip.kind is DecisionKind.SKIP
        assert snooze is not None and snooze.kind is DecisionKind.SNOOZE
        assert snooze.until == DEMO_NOW + timedelta(days=3)
        assert not [e for e in store.outbox() if e.account_id in (first, second)]


async def test_unfollow_asks_first_and_pin_keeps(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and len(screen.accounts.ids) > 2)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, UnfollowScreen))
        assert screen.session.store.decision(target) is None
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        decision = screen.session.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.UNFOLLOW
        pinned = screen.accounts.highlighted
        assert pinned is not None
        await pilot.press("p")
        await wait_until(pilot, lambda: pinned not in screen.accounts.ids)
        keep = screen.session.store.decision(pinned)
        assert keep is not None and keep.kind is DecisionKind.KEEP
        assert pinned not in screen.session.triage.unfollow_candidates().ids


async def test_follow_is_refused_where_you_already_follow(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and len(screen.accounts.ids) > 0)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("f")
        await writes_settled(pilot)
        assert screen.session.store.decision(target) is None


async def test_undo_brings_the_account_back(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("s")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        await pilot.press("z")
        await wait_until(pilot, lambda: target in screen.accounts.ids)
        assert screen.session.store.decision(target) is None
        await wait_until(pilot, lambda: screen.accounts.highlighted == target)


async def test_marks_act_as_a_confirmed_batch(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first, second = screen.accounts.ids[0], screen.accounts.ids[1]
        await pilot.press("space", "space")
        assert screen.accounts.marked == [first, second]
        assert "2 marked" in screen_text(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: first not in screen.accounts.ids and second not in screen.accounts.ids)
        for account_id in (first, second):
            decision = screen.session.store.decision(account_id)
            assert decision is not None and decision.kind is DecisionKind.SKIP
        assert screen.accounts.marked == []


async def test_add_to_list_with_the_picker(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        lists = screen.session.triage.lists()
        choice = next(info for info in lists if target not in info.member_ids)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*choice.name.replace(" ", ""))  # space toggles; the fuzzy filter needs none
        await pilot.press("enter")
        await wait_until(pilot, lambda: target in (screen.session.store.list_info(choice.id) or choice).member_ids)
        entries = [e for e in screen.session.store.outbox() if e.account_id == target]
        assert [(e.op, e.list_id) for e in entries] == [(Op.LIST_ADD, choice.id)]


async def test_filter_narrows_and_escape_clears(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        total = len(screen.accounts.ids)
        account = screen.session.store.account(screen.accounts.ids[5])
        assert account is not None
        await pilot.press("slash", *account.username)
        await wait_until(pilot, lambda: len(screen.accounts.ids) < total)
        assert account.id in screen.accounts.ids
        await pilot.press("enter")
        assert screen.focused is screen.accounts
        assert f"filter: {account.username}" in screen_text(app)
        await pilot.press("slash", "escape")
        await wait_until(pilot, lambda: len(screen.accounts.ids) == total)


async def test_help_lists_every_binding_id(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        page = app.screen.query_one(VerticalScroll)
        text = screen_text(app)
        while page.scroll_y < page.max_scroll_y:  # the help is longer than the screen: read it all, moving with j
            seen = page.scroll_y
            await pilot.press("j")

            def scrolled(seen: float = seen) -> bool:
                return page.scroll_y > seen

            await wait_until(pilot, scrolled)
            text += screen_text(app)
        for binding_id in ("follow", "skip", "wait", "unfollow", "pin", "add_to_list", "undo", "filter", "mark"):
            assert f"[{binding_id}]" in text
        assert "[history]" in text and "[snoozed]" in text and "[stats]" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TextScreen))


async def test_command_palette_runs_an_action(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Snooze")
        commands = app.screen.query_one(CommandList)

        def snooze_highlighted() -> bool:  # the search runs in the background: wait for its answer
            index = commands.highlighted
            return index is not None and "Snooze" in str(commands.get_option_at_index(index).prompt)

        await wait_until(pilot, snooze_highlighted)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        decision = screen.session.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.SNOOZE


async def test_keys_can_be_remapped_by_id(data_dir: Path) -> None:
    app = demo_app(data_dir, Config(keys={"follow": "F", "skip": "x", "never": "X"}))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("f")
        await writes_settled(pilot)
        assert screen.session.store.decision(target) is None
        await pilot.press("x")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
        decision = screen.session.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.SKIP


async def test_quit_and_restart_keeps_decisions(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("s")
        await pilot.press("q")
    assert app.return_code == 0
    with stored(data_dir) as store:
        decision = store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.SKIP
    again = demo_app(data_dir)
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert target not in screen.accounts.ids


async def test_demo_reset_forgets_decisions(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = screen.accounts.highlighted
        await pilot.press("s")
        await wait_until(pilot, lambda: target not in screen.accounts.ids)
    again = demo_app(data_dir, reset=True)
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert target in screen.accounts.ids


async def test_hostile_profile_text_is_shown_literally(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        hostile = next(i for i in screen.accounts.ids if "[/" in (present(store.account(i)).description or ""))
        screen.accounts.set_ids(list(screen.accounts.ids), keep=hostile)
        await wait_until(pilot, lambda: "[/" in screen_text(app))
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert "[/" in text  # markup-looking text is visible, not interpreted


async def test_welcome_screen_without_data() -> None:
    from followtui.tui.app import FollowApp

    app = FollowApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "followtui --demo" in text
        assert "followtui auth" in text
        await pilot.press("q")
    assert app.return_code == 0


async def test_refused_follow_is_kept_and_explained(data_dir: Path) -> None:
    from followtui.backends.base import Forbidden

    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        backend = screen.session.backend
        assert isinstance(backend, DemoBackend)
        backend.faults["follow"] = [Forbidden("You are not permitted to perform this action.")]
        target = screen.accounts.highlighted
        await pilot.press("f")

        def refused() -> bool:
            entries = [e for e in screen.session.store.outbox() if e.account_id == target]
            return bool(entries) and entries[0].state is OutboxState.MANUAL

        await wait_until(pilot, refused)
        await wait_until(pilot, lambda: any("X refused to follow" in str(n.message) for n in app._notifications))
        assert screen.session.outbox.pending_count() == 0


async def test_r_syncs_the_demo_and_keeps_the_ui_responsive(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        before = screen.session.store.follower_ids()
        assert not screen.session.store.sync_info().extra.get("sync_id")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # the demo's prices: it asks
        await pilot.press("y", "j")  # keys still work while the sync runs in its thread
        await wait_until(
            pilot, lambda: not screen.syncing and bool(screen.session.store.sync_info().extra.get("sync_id"))
        )
        assert screen.session.store.follower_ids() == before
        await wait_until(
            pilot, lambda: any(str(n.message).startswith("✓ Synced @ada_demo") for n in app._notifications)
        )
        text = screen_text(app)
        assert re.search(r"X \d+ req \$\d+\.\d\d", text)  # the demo counts what the same sync would cost on X
        assert not (data_dir / "sync-journal.jsonl").exists()


async def test_the_outbox_lists_calls_not_done_yet(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        backend = screen.session.backend
        assert isinstance(backend, DemoBackend)
        backend.delay = 2  # the follow stays in flight a while
        first = screen.accounts.highlighted
        await pilot.press("f", "b")
        await wait_until(pilot, lambda: app.screen.id == "outbox")
        text = screen_text(app)
        assert "Outbox: 1 calls to X not done yet" in text
        assert f"follow {screen._handle(first or '')}" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        backend.delay = 0
