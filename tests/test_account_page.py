"""The account in full (``enter``) shows only the keys that work there, and they work (issue 15); ``o`` without a
browser says so and shows the URL."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from followtui.domain.models import DecisionKind
from followtui.domain.queues import Pane
from followtui.tui.screens.account import AccountScreen
from followtui.tui.screens.main import MainScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


def footer_line(text: str) -> str:
    return text.splitlines()[-1]


async def test_the_page_shows_and_runs_only_the_keys_for_this_account(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        account = screen.accounts.highlighted
        assert account is not None
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen) and "Follow" in screen_text(app))
        keys = footer_line(screen_text(app))
        for shown in ("f Follow", "s Skip", "w Wait", "x Never", "l List", "n Note", "o Browser"):
            assert shown in keys, shown
        assert "Unfollow" not in keys and "Pin" not in keys  # a new follower: you do not follow them
        assert "Sync" not in keys and "Matrix" not in keys  # the main screen's keys do not show through
        await pilot.press("u")  # not bound here: nothing happens, the page stays
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot, lambda: (d := screen.session.store.decision(account)) is not None and d.kind is DecisionKind.FOLLOW
        )
        # on the unfollow pane the page offers unfollow and pin, not follow
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and bool(screen.accounts.ids))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen) and "Unfollow" in screen_text(app))
        keys = footer_line(screen_text(app))
        assert "u Unfollow" in keys and "p Pin" in keys and "f Follow" not in keys
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_o_without_a_browser_says_so_and_shows_the_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def no_browser(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return False

    monkeypatch.setattr(webbrowser, "open", no_browser)
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        account = screen.session.triage.account(screen.accounts.highlighted or "")
        assert account is not None
        await pilot.press("o")
        await wait_until(pilot, lambda: bool(app._notifications))
        message = next(iter(app._notifications)).message
        assert opened == [account.profile_url]
        assert "No browser" in message and account.profile_url in message and "Opened" not in message
        # from the account page too
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen))
        await pilot.press("o")
        await wait_until(pilot, lambda: len(opened) == 2 and isinstance(app.screen, MainScreen))
