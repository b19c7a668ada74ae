"""The app on the demo's Bluesky account, driven with Pilot: Bluesky's people and signals, follow back, no cost."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from followtui.backends.base import Page
from followtui.backends.demo import DemoBackend
from followtui.config import Config
from followtui.demo import BSKY_ME, demo_graph
from followtui.domain.models import (
    FIRST_SYNC,
    AccountState,
    DecisionKind,
    ListInfo,
    Op,
    OutboxEntry,
    OutboxState,
    SyncInfo,
    format_time,
)
from followtui.domain.queues import Pane
from followtui.services.accounts import BLUESKY, AccountRef
from followtui.services.session import open_session
from followtui.store import Store
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen, UnfollowScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.suggestions import SuggestionsScreen
from tests.harness import demo_accounts_app
from tests.test_lists_pane import lists_pane
from tests.test_undo_app import undo
from tests.tui_helpers import (
    DEMO_NOW,
    SIZE,
    fixed_clock,
    only_candidate,
    ready,
    screen_text,
    wait_until,
    writes_settled,
)


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
    account = AccountRef(BLUESKY, BSKY_ME.id, BSKY_ME.username, data_dir)
    opener = partial(open_session, data_dir, clock=fixed_clock, config=config, backend=backend, account=account)
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


def dialog_words(app: FollowApp) -> str:
    """What the dialog on top says (its question and its detail), whole sentences however they wrap."""
    parts = [str(w.content) for w in app.screen.query("#question, #confirm-detail").results(Static)]
    return " ".join(" ".join(parts).split())


def list_writes(backend: DemoBackend) -> int:
    """The write requests the demo's Bluesky has had (records created, put or deleted)."""
    return sum(u.requests for u in backend.meter.usage() if u.endpoint.startswith("POST "))


def named(screen: MainScreen, name: str) -> ListInfo | None:
    return next((info for info in screen.session.store.lists() if info.name == name), None)


async def highlight_list(pilot: Pilot[None], screen: MainScreen, name: str) -> ListInfo:
    """On the Lists pane, move the list column to the list called ``name`` (escape, then j / k)."""
    await pilot.press("escape")
    options = screen.query_one("#lists", OptionList)
    await wait_until(pilot, lambda: screen.focused is options)
    wanted = next(i for i, info in enumerate(screen.lists) if info.name == name)
    while (options.highlighted or 0) != wanted:
        await pilot.press("down" if (options.highlighted or 0) < wanted else "up")
    await wait_until(pilot, lambda: screen.current_list is not None and screen.current_list.name == name)
    assert screen.current_list is not None
    return screen.current_list


async def test_a_new_list_on_bluesky_is_kept_here_until_published(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        person = screen.accounts.highlighted
        assert person is not None
        writes = list_writes(backend)

        await lists_pane(pilot, screen)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        assert "New list, kept on this machine" in screen_text(app)
        await pilot.press(*"Teachers", "enter", *"people who teach", "enter")
        await wait_until(pilot, lambda: named(screen, "Teachers") is not None)
        made = named(screen, "Teachers")
        assert made is not None and made.kept_here and made.local
        await wait_until(pilot, lambda: "here only · 0 members" in screen_text(app))
        assert any("Created the list Teachers, kept on this machine" in str(n.message) for n in app._notifications)
        assert "P Publish" in screen_text(app)  # a list kept here can be published

        await pilot.press("1")
        await wait_until(pilot, lambda: screen.accounts.highlighted == person)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*"Teach")
        await wait_until(pilot, lambda: "Teachers  here only · 0" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: (named(screen, "Teachers") or made).member_ids == (person,))
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS)
        await highlight_list(pilot, screen, "Teachers")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*" nearby", "ctrl+s")
        await wait_until(pilot, lambda: named(screen, "Teachers nearby") is not None)
        await writes_settled(pilot)
        assert [e for e in store.outbox() if e.list_id == made.id] == []  # added, renamed: nothing queued
        assert list_writes(backend) == writes and "Teachers nearby" not in {i.name for i in backend.owned_lists()}

        await wait_until(pilot, lambda: screen.current_list is not None and screen.current_list.id == made.id)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = dialog_words(app)
        assert "Publish the list Teachers nearby on Bluesky?" in text
        assert "It becomes a public Bluesky list: anyone can see its name, its description and every member" in text
        assert "(1 person)" in text
        await pilot.press("y")

        def done() -> list[Op]:
            return [e.op for e in store.outbox() if e.state is OutboxState.DONE]

        await wait_until(pilot, lambda: done() == [Op.LIST_CREATE, Op.LIST_ADD])
        published = named(screen, "Teachers nearby")
        assert published is not None and published.id.startswith("at://did:plc:") and not published.kept_here
        assert published.member_ids == (person,) and not published.private
        assert read_all(partial(backend.list_members, published.id)) == {person}
        assert list_writes(backend) == writes + 2  # the list record and its one item
        await wait_until(pilot, lambda: "public · 1 member" in screen_text(app))
        await wait_until(pilot, lambda: "P Publish" not in screen_text(app))  # published: nothing to publish


async def test_deleting_and_undoing_lists_kept_here_sends_nothing(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        writes = list_writes(backend)
        await lists_pane(pilot, screen)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*"Jazz", "ctrl+s")
        await wait_until(pilot, lambda: named(screen, "Jazz") is not None)
        await undo(pilot, app, "↶ Undid the new list Jazz")
        assert named(screen, "Jazz") is None

        birding = await highlight_list(pilot, screen, "Birding")  # the demo's: kept on this machine
        assert birding.kept_here and birding.member_ids
        assert f"here only · {len(birding.member_ids)} members" in screen_text(app)
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "it was kept on this machine only" in dialog_words(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: store.list_info(birding.id) is None)
        await undo(pilot, app, f"↶ Undid deleting the list Birding ({len(birding.member_ids)} members back)")
        assert store.list_info(birding.id) == birding
        await writes_settled(pilot)
        assert store.outbox() == [] and list_writes(backend) == writes


async def test_publish_asks_first_and_undo_takes_it_back_here(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await lists_pane(pilot, screen)
        lisbon = await highlight_list(pilot, screen, "Lisbon friends")
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"every member ({len(lisbon.member_ids)} people)" in dialog_words(app)
        await pilot.press("escape")  # no: nothing happens
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await writes_settled(pilot)
        assert store.outbox() == [] and store.list_info(lisbon.id) == lisbon

        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")

        def sent() -> list[OutboxEntry]:
            return [e for e in store.outbox() if e.state is OutboxState.DONE]

        await wait_until(pilot, lambda: len(sent()) == 1 + len(lisbon.member_ids))
        public = next(i for i in backend.owned_lists() if i.name == "Lisbon friends")
        assert read_all(partial(backend.list_members, public.id)) == set(lisbon.member_ids)

        await undo(pilot, app, "↶ Undid publishing Lisbon friends: kept on this machine again; it was public on")
        await wait_until(pilot, lambda: "Lisbon friends" not in {i.name for i in backend.owned_lists()})
        assert store.list_info(lisbon.id) == lisbon  # kept here again, with its members


async def test_suggestions_and_the_unfollow_dialog_say_kept_here_on_bluesky(tmp_path: Path) -> None:
    app, _backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await lists_pane(pilot, screen)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, SuggestionsScreen) and app.screen.loaded)
        text = screen_text(app)
        assert "make the list (kept on this machine)" in text and "private" not in text
        await pilot.press("escape")
        await only_candidate(pilot, screen, AccountState.ACTIVE)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        assert "A list kept on this machine keeps their posts a key away" in dialog_words(app)


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


async def test_the_matrix_and_the_suggestions_keep_lists_here_on_bluesky(tmp_path: Path) -> None:
    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        writes = list_writes(backend)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.loaded)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        while (info := matrix.grid.list_info) is None or info.name != "Birding":
            await pilot.press("l")
        account = matrix.grid.account_id
        assert account is not None
        was_on = account in info.member_ids
        await wait_until(pilot, lambda: f"column: Birding (here only · {len(info.member_ids)})" in screen_text(app))
        await pilot.press("space")
        await wait_until(pilot, lambda: (account in (store.list_info(info.id) or info).member_ids) != was_on)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await lists_pane(pilot, screen)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, SuggestionsScreen) and app.screen.loaded)
        page = app.screen
        assert isinstance(page, SuggestionsScreen)
        shown = [i for kind in ("place", "topic") for i, s in enumerate(page.suggestions) if s.kind == kind]
        new = next(i for i in shown if page.suggestions[i].list_id is None)
        suggestion = page.suggestions[new]
        assert "new list, here only" in screen_text(app)
        await pilot.press(*["down"] * shown.index(new), "enter")
        await wait_until(pilot, lambda: named(screen, suggestion.name) is not None)
        made = named(screen, suggestion.name)
        assert made is not None and made.kept_here and set(made.member_ids) == set(suggestion.account_ids)
        assert any(
            f"Created the list {made.name}, kept on this machine and added" in str(n.message)
            for n in app._notifications
        )
        await writes_settled(pilot)
        assert store.outbox() == [] and list_writes(backend) == writes


async def test_a_refused_follow_on_bluesky_names_bluesky_and_offers_no_x_com(tmp_path: Path) -> None:
    from followtui.backends.base import Forbidden

    app, backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        backend.faults["follow"] = [Forbidden("Blocked by the account.")]
        await pilot.press("f")
        await wait_until(pilot, lambda: any("refused to follow" in str(n.message) for n in app._notifications))
        said = [str(n.message) for n in app._notifications if "refused to follow" in str(n.message)]
        assert said[0].startswith("Bluesky refused to follow") and "x.com" not in said[0]
