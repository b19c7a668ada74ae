"""In the app, on the fake X (spec-checked) behind the real tweepy client: what the user sees when X caps the
account, holds a follow request, or refuses a list's members. Driven with Pilot; asserts on the screen."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator
from pathlib import Path

from rich.console import Console, RenderableType
from textual.pilot import Pilot

from followtui.domain.models import OutboxState
from followtui.services.outbox import STOPPED
from followtui.services.sync import REQUEST_DROPPED
from followtui.tui.app import FollowApp
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.outbox import OutboxScreen
from followtui.tui.widgets.detail import DetailView
from tests.fakex import FakeX, World
from tests.fakex.server import TIER_DETAIL
from tests.test_app_x import fx, synced, world, x_app
from tests.tui_helpers import SIZE, screen_text, wait_until

__all__ = ["fx", "world"]  # the fixtures, shared with test_app_x

FOLLOW = "POST /2/users/:id/following"


def rendered(renderable: RenderableType) -> str:
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


@contextlib.asynccontextmanager
async def synced_app(data: Path, fx: FakeX) -> AsyncIterator[tuple[FollowApp, Pilot[None], MainScreen]]:
    """The app on ``fx`` after its first sync (``r``)."""
    app = x_app(data, fx)
    async with app.run_test(size=SIZE) as pilot:
        yield app, pilot, await synced(pilot)


async def test_a_usage_cap_on_a_follow_shows_x_words_and_holds_the_outbox(
    tmp_path: Path, fx: FakeX, world: World
) -> None:
    async with synced_app(tmp_path / "data", fx) as (app, pilot, screen):
        store = screen.session.store
        fx.fail(FOLLOW, "429-cap", period="Monthly", scope="Product")
        await pilot.press("f")
        await wait_until(pilot, lambda: bool(store.outbox([OutboxState.FAILED])))
        (stopped,) = store.outbox([OutboxState.FAILED])
        assert stopped.error.startswith(STOPPED + "X says a usage cap is reached: Usage cap exceeded: Monthly")
        words = "X says a usage cap is reached: Usage cap exceeded: Monthly product cap"
        await wait_until(pilot, lambda: any(str(n.message).startswith(words) for n in app._notifications))
        until = screen.session.outbox.rate_limited_until()
        assert until is not None and until == stopped.not_before
        await wait_until(
            pilot, lambda: "writes wait until" in screen_text(app) and "1 need you (b)" in screen_text(app)
        )
        assert len(fx.calls("POST", f"/2/users/{world.me_id}/following")) == 1


async def test_a_follow_request_shows_requested_until_the_sync_drops_it(
    tmp_path: Path, fx: FakeX, world: World
) -> None:
    async with synced_app(tmp_path / "data", fx) as (app, pilot, screen):
        store = screen.session.store
        target = screen.accounts.highlighted
        assert target is not None
        world.users[target]["protected"] = True  # X will hold the follow as a request
        await pilot.press("f")
        await wait_until(pilot, lambda: bool(store.outbox([OutboxState.REQUESTED])))
        await wait_until(pilot, lambda: screen.requested == {target})
        assert "requested" in screen._render_row(target, False).plain  # its row, wherever it shows
        assert "X: follow requested" in rendered(screen.query_one(DetailView).text_for(target))  # and its detail
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen))
        await wait_until(pilot, lambda: "? requested" in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, OutboxScreen))

        await pilot.press("r")  # the owner did not answer: the next sync drops the request
        await wait_until(pilot, lambda: not store.outbox([OutboxState.REQUESTED]), timeout=20)
        (entry,) = [e for e in store.outbox() if e.account_id == target]
        assert (entry.state, entry.error) == (OutboxState.CANCELLED, REQUEST_DROPPED)
        await wait_until(pilot, lambda: screen.requested == frozenset())


async def test_refused_members_show_as_unknown_in_the_lists_pane(tmp_path: Path, fx: FakeX, world: World) -> None:
    async with synced_app(tmp_path / "data", fx) as (app, pilot, screen):
        store = screen.session.store
        before = {info.id: info.member_ids for info in store.lists()}
        fx.fail("GET /2/lists/:id/members", "403-tier", times=len(before))
        await pilot.press("r")
        await wait_until(pilot, lambda: all(info.refused for info in store.lists()), timeout=20)
        assert {info.id: info.member_ids for info in store.lists()} == before  # nothing deleted
        await wait_until(pilot, lambda: any("X refused members of" in str(n.message) for n in app._notifications))
        await pilot.press("2")
        # "members unknown, X refused: <X's words>", wrapped in the list column
        await wait_until(pilot, lambda: screen_text(app).count("members unknown, X") == len(before))
        assert screen_text(app).count("refused: " + TIER_DETAIL[:14]) == len(before)
