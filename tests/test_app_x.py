"""The app on a real X account: the fake X API (spec-checked) behind the real tweepy client, driven with Pilot.

Sync with ``r`` into an empty cache, then act from the keyboard, and check the exact requests X received.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.x.backend import XBackend
from followtui.config import Config
from followtui.domain.models import DecisionKind, Op, OutboxState
from followtui.domain.queues import Pane
from followtui.services.session import open_session
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen, UnfollowScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.outbox import OutboxScreen
from tests.factories import present
from tests.fakex import FakeX, World
from tests.tui_helpers import SIZE, screen_text, wait_until

TOKEN = "app-test-token-91c2"


@pytest.fixture
def world() -> World:
    world = World.generate(followers=60, following=40, mutual=15, lists=2, posters=30, seed=11)
    world.add_user_token(TOKEN, world.me_id)
    return world


@pytest.fixture
def fx(world: World) -> Any:
    with FakeX(world) as server:
        yield server
    server.check()


def x_app(data_dir: Path, fx: FakeX) -> FollowApp:
    backend = XBackend.oauth2(_Token(), user_id=fx.world.me_id, base=fx.base_url, timeout=(2, 5))
    config = Config(posts_accounts=5, confirm_above=1000)  # a known graph syncs without asking
    return FollowApp(partial(open_session, data_dir, config=config, backend=backend), config)


class _Token:
    def bearer(self) -> str:
        return TOKEN

    def refresh(self) -> str:
        return TOKEN


async def synced(pilot: Any) -> MainScreen:
    """Wait for the empty cache to open, press r, and wait for the sync to land."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await pilot.pause()
    assert screen.session.store.graph_empty()
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # a first sync's size is not known: asks
    await pilot.press("y")
    await wait_until(pilot, lambda: not screen.syncing and screen.session.store.me() is not None, timeout=20)
    await wait_until(pilot, lambda: len(screen.accounts.ids) > 0)
    return screen


def writes(fx: FakeX) -> list[tuple[str, str, Any]]:
    return [(r.method, r.path, r.body) for r in fx.requests if r.method != "GET" and r.status < 300]


async def test_r_syncs_an_empty_cache_and_shows_the_meter(tmp_path: Path, fx: FakeX, world: World) -> None:
    app = x_app(tmp_path / "data", fx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await synced(pilot)
        store = screen.session.store
        assert store.follower_ids() == set(world.follower_ids())
        assert present(store.me()).username == world.me_username
        text = screen_text(app)
        assert f"@{world.me_username}" in text
        assert re.search(r"X \d+ req \$\d+\.\d\d \w+ \d+/\d+", text)  # requests, cost, the tightest limit
        assert "last sync" in text
        # the first sync reads at most posts_accounts (5) timelines besides the user's own
        timelines = {r.path for r in fx.calls("GET", "/2/users/") if r.path.endswith("/tweets")}
        assert len(timelines - {f"/2/users/{world.me_id}/tweets"}) <= 5


async def test_follow_unfollow_and_a_new_list_reach_x(tmp_path: Path, fx: FakeX, world: World) -> None:
    app = x_app(tmp_path / "data", fx)
    me = world.me_id
    async with app.run_test(size=SIZE) as pilot:
        screen = await synced(pilot)
        first = screen.accounts.highlighted
        assert first is not None
        await pilot.press("f")
        await wait_until(pilot, lambda: ("POST", f"/2/users/{me}/following", {"target_user_id": first}) in writes(fx))

        # a private list created from the picker, then the account added to it
        await pilot.press("j", "l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*"Birders", "down", "G", "enter")  # the create option, then its form
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press("enter", "enter")
        second = screen.accounts.highlighted
        await wait_until(pilot, lambda: any(w[1].startswith("/2/lists/") for w in writes(fx)), timeout=15)
        created = next(w for w in writes(fx) if w[1] == "/2/lists")
        assert created[2] == {"name": "Birders", "private": True}
        new_id = next(i for i, lst in world.lists.items() if lst.name == "Birders")
        assert ("POST", f"/2/lists/{new_id}/members", {"user_id": second}) in writes(fx)
        await wait_until(pilot, lambda: screen.session.store.list_info(new_id) is not None)

        # unfollow someone from the unfollow pane (asks first)
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and bool(screen.accounts.ids))
        target = screen.accounts.highlighted
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: ("DELETE", f"/2/users/{me}/following/{target}", None) in writes(fx))
        assert fx.violations == []


async def test_a_refused_follow_is_done_by_hand_and_confirmed_by_the_next_sync(
    tmp_path: Path, fx: FakeX, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    app = x_app(tmp_path / "data", fx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await synced(pilot)
        actions = screen.session
        fx.fail("POST /2/users/:id/following", "403-follow")
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("f")
        await wait_until(pilot, lambda: actions.outbox.manual_entry(target) is not None)
        entry = actions.outbox.manual_entry(target)
        assert entry is not None and entry.error  # X's own words
        assert present(screen.session.store.decision(target)).kind is DecisionKind.FOLLOW

        await wait_until(pilot, lambda: "1 need you (b)" in screen_text(app))
        # the account left the pane with the decision: the outbox lists the refused follow
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen))
        assert "refused" in screen_text(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert opened == [f"https://x.com/intent/follow?user_id={target}"]
        await pilot.press("y")
        await wait_until(
            pilot, lambda: present(screen.session.store.outbox_entry(entry.id)).state is OutboxState.BY_HAND
        )

        world.follow(target)  # the user followed on x.com
        await pilot.press("r")
        await wait_until(
            pilot, lambda: present(screen.session.store.outbox_entry(entry.id)).state is OutboxState.DONE, timeout=20
        )
        assert target in screen.session.store.following_ids()
        follows = [r for r in fx.calls("POST", f"/2/users/{world.me_id}/following")]
        assert [r.status for r in follows] == [403]  # the API was asked once, never again


async def test_a_rate_limited_follow_waits_for_the_reset(tmp_path: Path, fx: FakeX, world: World) -> None:
    app = x_app(tmp_path / "data", fx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await synced(pilot)
        fx.fail("POST /2/users/:id/following", "429", reset_in=600)
        target = screen.accounts.highlighted
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.session.outbox.rate_limited_until() is not None)
        await wait_until(pilot, lambda: "writes wait until" in screen_text(app))
        pending = screen.session.store.outbox([OutboxState.PENDING])
        assert [(e.op, e.account_id) for e in pending] == [(Op.FOLLOW, target)]
        assert len(fx.calls("POST", f"/2/users/{world.me_id}/following")) == 1  # no retry before the reset


async def test_a_failed_unfollow_is_kept_and_retried_from_the_outbox(tmp_path: Path, fx: FakeX, world: World) -> None:
    app = x_app(tmp_path / "data", fx)
    me = world.me_id
    async with app.run_test(size=SIZE) as pilot:
        screen = await synced(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and bool(screen.accounts.ids))
        target = screen.accounts.highlighted
        fx.fail("DELETE /2/users/:source_user_id/following/:target_user_id", "403-tier")
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("y")
        store = screen.session.store
        await wait_until(pilot, lambda: bool(store.outbox([OutboxState.FAILED])))
        (failed,) = store.outbox([OutboxState.FAILED])
        assert "access" in failed.error  # X's own words, kept with the entry
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen))
        await pilot.press("r")
        await wait_until(pilot, lambda: present(store.outbox_entry(failed.id)).state is OutboxState.DONE)
        deletes = fx.calls("DELETE", f"/2/users/{me}/following/{target}")
        assert [r.status for r in deletes] == [403, 200]
