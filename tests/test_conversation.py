"""Conversations shown, not just counted: the last exchanges in the detail panel, "talked …" in the row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console

from followtui.domain.conversation import KEEP_PER_ACCOUNT, Exchanges
from followtui.domain.models import Account, Post
from followtui.tui import format as fmt
from tests.tui_helpers import DEMO_NOW, SIZE, demo_app, ready, screen_text, wait_until

ME = "1"
T = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _post(post_id: int, author: str, text: str, *, days: int, reply_to: str | None = None) -> Post:
    mentioned = (reply_to,) if reply_to else ()
    return Post(str(post_id), author, text, T + timedelta(days=days), reply_to, mentioned)


def test_exchanges_pair_their_posts_and_mine_newest_first() -> None:
    mentions = [
        _post(10, "7", "@me lovely photo", days=1, reply_to=ME),
        _post(11, "8", "@me hi", days=2, reply_to=ME),
        _post(12, ME, "my own post that mentions me", days=3, reply_to=ME),
    ]
    my_posts = [_post(20, ME, "@seven thank you!", days=4, reply_to="7"), _post(21, ME, "no one", days=5)]
    index = Exchanges.build(ME, mentions, my_posts)
    seven = index.of("7")
    assert [(x.post.id, x.mine) for x in seven] == [("20", True), ("10", False)]
    assert index.last_talked("7") == T + timedelta(days=4)
    assert [x.post.id for x in index.of("8")] == ["11"]
    assert index.of(ME) == () and index.last_talked("9") is None


def test_exchanges_keep_the_newest_few_per_account() -> None:
    mentions = [_post(100 + i, "7", f"@me {i}", days=i, reply_to=ME) for i in range(10)]
    index = Exchanges.build(ME, mentions + mentions, [])  # twice: counted once
    assert [x.post.text for x in index.of("7")] == [f"@me {i}" for i in range(9, 9 - KEEP_PER_ACCOUNT, -1)]


def test_conversation_text_is_escaped_and_dated() -> None:
    hostile = "[bold red]pwned[/] \x1b[2Jcleared \u202eevil"
    index = Exchanges.build(
        ME, [_post(10, "7", hostile, days=1, reply_to=ME)], [_post(11, ME, "ok!", days=2, reply_to="7")]
    )
    console = Console(width=100, record=True, color_system=None)
    rendered = fmt.conversation_text(index.of("7"), T + timedelta(days=5))
    assert rendered is not None
    console.print(rendered)
    out = console.export_text()
    assert "Conversation" in out and "last talked 3 days ago" in out
    assert "2026-11-02" in out and "2026-11-03" in out and "they" in out and "you" in out
    assert "[bold red]pwned[/]" in out  # markup shown as typed, never applied
    assert "\x1b" not in out and "\u202e" not in out


def test_row_says_when_you_last_talked() -> None:
    account = Account("7", "seven", "Seven")
    row = fmt.row_text(account, "7", [], new=False, marked=False, talked=DEMO_NOW - timedelta(days=3), now=DEMO_NOW)
    assert row.plain.endswith("talked 3d ago")
    assert "talked" not in fmt.row_text(account, "7", [], new=False, marked=False).plain


async def test_detail_shows_the_last_exchanges_and_the_row_when_you_talked(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        triage = screen.session.triage
        ids = list(screen.accounts.ids)
        talkers = [i for i in ids if any(x.mine for x in triage.exchanges(i))]
        assert talkers, "the demo has people you talk with among the new followers"
        target = talkers[0]
        screen.accounts.cursor = ids.index(target)
        exchange = triage.exchanges(target)[0]
        assert exchange.when is not None
        await wait_until(pilot, lambda: "Conversation" in screen_text(app))
        text = screen_text(app)
        assert "last talked" in text
        assert f"{exchange.when:%Y-%m-%d}" in text
        assert exchange.post.text.split()[1] in text  # the post itself, not a count
        account = triage.account(target)
        assert account is not None
        row = next(line for line in text.splitlines() if f"@{account.username}" in line and "talked" in line)
        assert "ago" in row or "today" in row
