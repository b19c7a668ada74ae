"""Judge by posts: the highlighted account's recent posts are read in the background when none are cached (one
request, in the meter), not while the cursor moves on, within ``[x] posts_per_day``; on the demo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from followtui.config import Config
from followtui.services.posts import POSTS_FILE
from followtui.services.session import open_session
from followtui.tui.app import FollowApp
from followtui.tui.widgets.detail import DetailView
from tests.factories import present
from tests.tui_helpers import SIZE, demo_app, fixed_clock, main_screen, ready, screen_text, wait_until

TWEETS = "GET /2/users/:id/tweets"


def strip_posts(data_dir: Path, count: int, *, start: int = 1, talkers: bool = False) -> list[tuple[str, str]]:
    """The demo cache with no posts for ``count`` new followers from position ``start`` on, who have (``talkers``)
    or have not written to the user: their IDs and newest post texts, in the pane's order."""
    session = open_session(data_dir, demo=True, clock=fixed_clock, demo_delay=0.0)
    try:
        store = session.store
        store.load_graph()
        authors = {p.author_id for p in store.mentions()}
        ids = session.triage.new_followers().ids[start:]
        public = [i for i in ids if (a := store.account(i)) is not None and not a.protected]  # protected: not read
        picked = [i for i in public if (i in authors) is talkers][:count]
        newest: list[tuple[str, str]] = []
        accounts = []
        for account_id in store.account_ids():
            account = store.account(account_id)
            assert account is not None
            if account_id in picked:
                newest.append((account_id, max(account.posts, key=lambda p: int(p.id)).text))
                account = replace(account, posts=())
            accounts.append(account)
        store.replace_accounts(accounts)
    finally:
        session.close()
    order = {account_id: n for n, account_id in enumerate(picked)}
    return sorted(newest, key=lambda item: order[item[0]])


def requests(app: FollowApp) -> int:
    meter = main_screen(app).session.meter
    return sum(u.requests for u in meter.usage() if u.endpoint == TWEETS)


def first_line(text: str) -> str:
    """The first words of a post (the panel wraps long ones)."""
    return " ".join(text.split()[:3])


async def test_scrolling_past_spends_nothing_and_the_account_it_rests_on_is_read_once(data_dir: Path) -> None:
    stripped = strip_posts(data_dir, 3)
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert requests(app) == 0
        target, text = stripped[-1]
        while screen.accounts.highlighted != target:  # past two accounts with no posts, onto a third
            await pilot.press("j")
        await wait_until(pilot, lambda: first_line(text) in " ".join(screen_text(app).split()))
        assert screen.accounts.highlighted == target
        assert requests(app) == 1  # one request, for the account the cursor rested on
        posts = screen.session.posts
        store = screen.session.store
        assert posts is not None
        notes = [posts.note(present(store.account(i))) for i, _ in stripped[:2]]
        assert notes == [None, None]  # never asked
        assert "X 1 req $" in screen_text(app)  # and the meter says so
        lines = (data_dir / POSTS_FILE).read_text().splitlines()
        assert len(lines) == 1 and target in lines[0]

    app = demo_app(data_dir)  # a restart pays for nothing again
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        while screen.accounts.highlighted != target:
            await pilot.press("j")
        await wait_until(pilot, lambda: first_line(text) in " ".join(screen_text(app).split()))
        assert requests(app) == 0


async def test_the_daily_budget_stops_the_reads_and_the_panel_says_so(data_dir: Path) -> None:
    stripped = strip_posts(data_dir, 2, start=0)
    app = demo_app(data_dir, Config(posts_per_day=1))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        while screen.accounts.highlighted != stripped[0][0]:
            await pilot.press("j")
        await wait_until(pilot, lambda: first_line(stripped[0][1]) in " ".join(screen_text(app).split()))
        target = stripped[1][0]
        while screen.accounts.highlighted != target:
            await pilot.press("j")
        await wait_until(pilot, lambda: "Posts not read: today's budget" in screen_text(app))
        assert "of 1 account is used (posts_per_day under [x] in the config)" in (
            screen.query_one(DetailView).posts_note(target) or ""
        )
        assert requests(app) == 1


async def test_posts_already_read_with_your_mentions_cost_no_request(data_dir: Path) -> None:
    ((talker, text),) = strip_posts(data_dir, 1, talkers=True)
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        while screen.accounts.highlighted != talker:
            await pilot.press("j")
        await wait_until(pilot, lambda: "Their posts that mention you" in screen_text(app))
        assert "no request made" in (screen.query_one(DetailView).posts_note(talker) or "")
        assert first_line(text) in " ".join(screen_text(app).split())
        assert requests(app) == 0
