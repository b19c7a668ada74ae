"""What keeps the UI quick at 100,000 followers: cheap marks, a key bar updated in place, one frame per pane switch,
and a start-up that imports neither the X stack nor the triage screens before the first frame."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets._footer import FooterKey

from followtui.domain.queues import Pane
from followtui.services.triage import PaneResult
from followtui.tui.widgets.account_list import AccountList
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until, writes_settled

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "demo"


class NoScan(list[str]):
    """A list of IDs that fails the test when anything walks or searches it."""

    def __iter__(self) -> Any:
        raise AssertionError("the IDs were scanned")

    def __contains__(self, item: object) -> bool:
        raise AssertionError("the IDs were searched")


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AccountList(lambda account_id, marked: Text(account_id), id="accounts")


async def test_marks_are_read_without_scanning_the_rows() -> None:
    app = ListApp()
    async with app.run_test() as pilot:
        accounts = app.query_one(AccountList)
        accounts.focus()
        accounts.set_ids([f"id{i}" for i in range(10)])
        await pilot.pause()
        accounts.cursor = 5
        accounts.action_toggle_mark()  # marks id5, the cursor moves on
        accounts.cursor = 2
        accounts.action_toggle_mark()  # marks id2
        assert accounts.marked == ["id2", "id5"]  # display order, not the order they were marked in
        accounts.remove_ids(["id2"])
        assert accounts.marked == ["id5"]
        accounts.set_ids(["id5", "id0", "id1"])  # a new order moves the marks with their rows
        accounts.cursor = 1
        accounts.action_toggle_mark()
        assert accounts.marked == ["id5", "id0"]
        accounts.set_ids(["id1", "id0"])  # marks of rows that left are dropped
        assert accounts.marked == ["id0"]
        accounts.clear_marks()
        accounts.set_ids(NoScan(f"id{i}" for i in range(100_000)))
        assert accounts.marked == []  # with no marks: no scan, on every key bar refresh
        assert accounts.highlighted == "id1"  # the cursor stays on its row number


async def test_a_held_list_offers_no_rows_until_the_next_one() -> None:
    app = ListApp()
    async with app.run_test() as pilot:
        accounts = app.query_one(AccountList)
        accounts.set_ids(["a", "b", "c"])
        accounts.cursor = 2
        accounts.action_toggle_mark()
        await pilot.pause()
        accounts.hold()
        assert (accounts.ids, accounts.highlighted, accounts.marked) == ([], None, [])
        assert accounts.held
        accounts.action_cursor_down()  # inert: the cursor waits for the next rows
        accounts.action_last()
        assert accounts.cursor == 0
        accounts.remove_ids(["a"])  # a decision landing meanwhile leaves the list on its way alone
        accounts.set_ids(["x", "y"])
        assert not accounts.held
        assert (list(accounts.ids), accounts.highlighted, accounts.marked) == (["x", "y"], "x", [])
        accounts.action_cursor_down()
        assert accounts.highlighted == "y"


async def test_pane_switch_keeps_the_key_bar_and_restyles_its_keys(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)

        def follow_key() -> FooterKey:
            return next(k for k in screen.query(FooterKey) if k.action == "decide('follow')")

        key = follow_key()
        assert not key.has_class("-disabled")  # New followers: follow back is possible
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and len(screen.accounts.ids) > 0)
        await wait_until(pilot, lambda: follow_key().has_class("-disabled"))  # you follow them all already
        assert follow_key() is key  # the same key, restyled: the bar was not rebuilt
        target = screen.accounts.highlighted
        assert target is not None
        before = screen.session.store.decision(target)
        await pilot.press("f")  # a disabled key does nothing
        await writes_settled(pilot)
        assert screen.session.store.decision(target) == before


async def test_a_slow_pane_shows_the_old_rows_inert_then_loading(data_dir: Path, monkeypatch: Any) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        triage = screen.session.triage
        first_row = screen.session.store.account(screen.accounts.ids[0])
        assert first_row is not None
        release = threading.Event()
        real = triage.unfollow_candidates

        def slow(*args: Any, **kwargs: Any) -> PaneResult:
            release.wait(5)
            return real(*args, **kwargs)

        monkeypatch.setattr(triage, "unfollow_candidates", slow)
        await pilot.press("3")
        await pilot.pause()
        assert screen.pane is Pane.UNFOLLOW
        assert (screen.accounts.ids, screen.accounts.highlighted) == ([], None)  # no key acts on the old rows
        assert f"@{first_row.username}" in screen_text(app)  # still on screen: no empty frame in between
        await wait_until(pilot, lambda: "Loading…" in screen_text(app))  # slower than 0.1 s: says so
        release.set()
        await wait_until(pilot, lambda: len(screen.accounts.ids) > 0)
        assert list(screen.accounts.ids) == real().ids


def test_start_up_imports_neither_the_x_stack_nor_the_triage_screens() -> None:
    code = (
        "import sys\n"
        "from followtui import cli\n"
        "cli.build_parser()\n"
        "import followtui.cli.app, followtui.tui.app\n"
        "heavy = ('tweepy', 'requests', 'oauthlib', 'followtui.backends.x.oauth', 'followtui.tui.screens.main')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


async def test_the_loaded_session_is_kept_from_the_collector_while_the_app_runs(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)  # every pane counted: the full graph is loaded
        assert gc.get_freeze_count() > 0  # full collections no longer walk it
    assert gc.get_freeze_count() == 0  # handed back when the app ends
