"""Suggested lists (``i``): nothing happens unasked; enter makes the list and puts its people on it."""

from __future__ import annotations

from pathlib import Path

from followtui.domain.models import Op
from followtui.domain.queues import Pane
from followtui.tui.screens.suggestions import SuggestionsScreen
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


async def test_enter_creates_the_suggested_list_with_its_people(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        store = screen.session.store
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS)
        lists_before = {info.id for info in store.lists()}
        outbox_before = {e.id for e in store.outbox()}
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, SuggestionsScreen) and app.screen.loaded)
        page = app.screen
        assert isinstance(page, SuggestionsScreen)
        first = next(s for s in page.suggestions if s.kind == "place")  # places come first on the page
        assert first.list_id is None
        text = screen_text(app)
        assert "Places" in text and first.name in text and first.reason in text
        assert {info.id for info in store.lists()} == lists_before and {e.id for e in store.outbox()} == outbox_before
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(info.name == first.name for info in store.lists()))
        await wait_until(pilot, lambda: first not in page.suggestions)
        created = next(info for info in store.lists() if info.name == first.name)
        assert created.private
        assert set(created.member_ids) == set(first.account_ids)
        new_entries = [e for e in store.outbox() if e.id not in outbox_before]
        assert sorted(e.op for e in new_entries) == sorted([Op.LIST_CREATE] + [Op.LIST_ADD] * len(first.account_ids))
        assert first.name not in [s.name for s in page.suggestions]
        await pilot.press("escape")
        await wait_until(pilot, lambda: any(info.name == first.name for info in screen.lists))
