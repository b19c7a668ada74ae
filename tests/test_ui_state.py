"""Content first (``c``) is remembered across restarts (issue 15), in ``ui-state.json`` next to the cache."""

from __future__ import annotations

import json
from pathlib import Path

from followtui.config import Config
from followtui.services.ui_state import UI_STATE_FILE, UiState
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until


async def test_content_first_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert not screen.content_first and "· followers " in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: (data_dir / UI_STATE_FILE).exists())
        assert json.loads((data_dir / UI_STATE_FILE).read_text()) == {"content_first": True}
        await pilot.press("q")
    again = demo_app(data_dir)
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.content_first
        await wait_until(pilot, lambda: "content first" in screen_text(again))
        assert "· followers " not in screen_text(again)  # the detail shows no counts


async def test_the_last_toggle_beats_the_config(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    app = demo_app(data_dir, Config(content_first=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.content_first
        await pilot.press("c")
        await wait_until(pilot, lambda: UiState.load(data_dir).content_first is False)
    again = demo_app(data_dir, Config(content_first=True))
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert not screen.content_first


def test_a_broken_file_gives_the_default(tmp_path: Path) -> None:
    (tmp_path / UI_STATE_FILE).write_text("{not json", encoding="utf-8")
    assert UiState.load(tmp_path).content_first is None
    (tmp_path / UI_STATE_FILE).write_text('{"content_first": "yes"}', encoding="utf-8")
    assert UiState.load(tmp_path).content_first is None
