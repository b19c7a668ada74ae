"""The app on the demo's Bluesky account, driven with Pilot: Bluesky's people and signals, follow back, no cost."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from followtui.backends.base import Page
from followtui.backends.demo import DemoBackend
from followtui.config import Config
from followtui.demo import demo_graph
from followtui.domain.models import FIRST_SYNC, AccountState, DecisionKind, Op, OutboxState, SyncInfo, format_time
from followtui.domain.queues import Pane
from followtui.services.session import open_session
from followtui.store import Store
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ListPickerScreen, UnfollowScreen
from tests.harness import demo_accounts_app
from tests.tui_helpers import DEMO_NOW, SIZE, fixed_clock, ready, screen_text, wait_until


def bluesky_demo_app(data_dir: Path) -> tuple[FollowApp, DemoBackend]:
    """The app on a cache filled with the Bluesky demo graph, as the demo fills one, and the demo backend."""
    graph = demo_graph("bluesky", DEMO_NOW)
    with Store.open(data_dir) as store:
        store.replace_graph(
            me=graph.me,
            accounts=graph.accounts,
            relationships=graph.relationships,
            mentions=graph.mentions,
            my_posts=graph.my_posts,
            lists=graph.lists,
            sync=SyncInfo(
                last_sync=graph.last_sync,
                previous_sync=graph.previous_sync,
                source="demo",
                extra={FIRST_SYNC: format_time(graph.previous_sync)},
            ),
        )
    backend = DemoBackend(graph, delay=0.0)
    config = Config()
    opener = partial(open_session, data_dir, clock=fixed_clock, config=config, backend=backend)
    return FollowApp(opener, config), backend


async def test_the_bluesky_demo_shows_its_people_and_follows_back_for_free(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        ids = list(screen.accounts.ids)
        assert len(ids) >= 30
        first = store.account(ids[0])
        assert first is not None and first.id.startswith("did:plc:")
        assert f"@{first.username}" in screen_text(app) and first.username.endswith((".bsky.social", ".test"))

        egg = next(
            i for i in ids if (a := store.account(i)) and a.state is AccountState.ACTIVE and a.profile_image_url == ""
        )
        for _ in range(ids.index(egg)):
            await pilot.press("j")
        await wait_until(pilot, lambda: screen.accounts.highlighted == egg)
        await wait_until(pilot, lambda: "Egg account: no avatar" in screen_text(app))

        await pilot.press("f")
        await wait_until(pilot, lambda: egg not in screen.accounts.ids)
        decision = store.decision(egg)
        assert decision is not None and decision.kind is DecisionKind.FOLLOW
        await wait_until(
            pilot,
            lambda: any(
                e.account_id == egg and e.op is Op.FOLLOW and e.state is OutboxState.DONE for e in store.outbox()
            ),
        )
        assert egg in {a.id for a in backend.following().accounts}
        assert backend.meter.total_requests() >= 1 and backend.meter.total_cost() == 0
        assert "$0.00" in screen_text(app)


async def test_lists_and_unfollow_on_the_bluesky_demo(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        target = screen.accounts.highlighted
        assert target is not None
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press("space", "escape")
        await wait_until(
            pilot, lambda: any(e.op is Op.LIST_ADD and e.state is OutboxState.DONE for e in store.outbox())
        )
        (added,) = [e for e in store.outbox() if e.op is Op.LIST_ADD]
        assert added.account_id == target and (added.list_id or "").startswith("at://did:plc:")
        assert target in read_all(partial(backend.list_members, added.list_id or ""))

        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and bool(screen.accounts.ids))
        gone = screen.accounts.highlighted
        assert gone is not None and gone in read_all(backend.following)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("y")
        await wait_until(
            pilot, lambda: any(e.op is Op.UNFOLLOW and e.state is OutboxState.DONE for e in store.outbox())
        )
        assert gone not in read_all(backend.following)
        assert backend.meter.total_cost() == 0


def read_all(fetch: Callable[[str | None], Page]) -> set[str]:
    """Every account ID over all pages (gone ones too)."""
    ids: set[str] = set()
    cursor = None
    while True:
        page = fetch(cursor)
        ids |= {a.id for a in page.accounts} | set(page.gone)
        if (cursor := page.next_cursor) is None:
            return ids


async def test_a_narrow_terminal_names_the_bluesky_account_and_its_counts_without_x_words(tmp_path: Path) -> None:
    app = demo_accounts_app(tmp_path, "bluesky")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        top = screen_text(app).splitlines()[0]
        assert "Bluesky @maria.bsky.social" in top and "demo ·" not in top  # the handle wins over "demo ·"
        await wait_until(pilot, lambda: "followers" in screen_text(app))  # the detail panel's counts
        assert "listed" not in screen_text(app)  # Bluesky counts no listings
