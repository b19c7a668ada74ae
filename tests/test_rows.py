"""Rows as people read them (issue 15): joined emoji drawn as one glyph, "by name" by display name."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from followtui.domain.filters import Order
from followtui.domain.text import name_key, one_line
from tests.factories import present
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


async def test_a_joined_emoji_is_drawn_whole_and_the_row_keeps_its_width(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        triage = screen.session.triage
        accounts = [a for a in map(triage.account, screen.accounts.ids) if a is not None]
        account = next(a for a in accounts if "\u200d" in one_line(a.name))
        account_id = account.id
        name = one_line(account.name)
        await pilot.press("slash", *account.username, "enter")
        await wait_until(pilot, lambda: screen.accounts.ids == [account_id])
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if f"@{account.username}" in line)
        assert name in row  # 👩🏽‍💻, not 👩 🏽 💻
        assert cell_len(row) == SIZE[0]  # and the borders after it stay in place
        assert all(cell_len(line) == SIZE[0] for line in lines)


async def test_sort_by_name_goes_by_display_name(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        while screen.orders[screen.pane] is not Order.NAME:
            await pilot.press("S")
        triage = screen.session.triage
        expected = sorted(
            screen.accounts.ids,
            key=lambda a: name_key(present(triage.account(a)).name or present(triage.account(a)).username),
        )
        await wait_until(pilot, lambda: screen.accounts.ids == expected)
        names = [name_key(present(triage.account(a)).name) for a in screen.accounts.ids]
        assert names == sorted(names) and names[0][:1] <= "b"
