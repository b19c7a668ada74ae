"""First contact (issue 15): with no cache, the welcome offers the free path first (the archive), then the demo,
then signing in; centred, wrapped to the terminal (no line broken by hand), whole at 80×24."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from followtui.tui.app import FollowApp
from followtui.tui.screens.welcome import WELCOME_BODY, MessageScreen
from tests.tui_helpers import screen_text, wait_until


@pytest.mark.parametrize("size", [(80, 24), (130, 40)])
async def test_the_welcome_offers_the_archive_then_the_demo_then_sign_in(size: tuple[int, int]) -> None:
    app = FollowApp(None)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen) and "Press q" in screen_text(app))
        text = screen_text(app)
        flat = " ".join(text.replace("█", " ").split())
        archive, demo, auth = (flat.index(s) for s in ("import-archive", "followtui --demo", "followtui auth"))
        assert archive < demo < auth
        box = [line for line in text.splitlines() if "█" in line]
        assert box and "Press q to quit." in text  # all of it on screen
        top = box[0]
        left, right = len(top) - len(top.lstrip()), len(top) - len(top.rstrip())
        assert abs(left - right) <= 1  # centred
        await pilot.press("q")
    assert app.return_code == 0


def test_no_line_is_broken_by_hand() -> None:
    for paragraph in WELCOME_BODY.split("\n"):
        assert not paragraph or re.search(r"[.:)]$|\.zip$|--demo$|sync$", paragraph), paragraph


ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_quick_start_makes_a_venv_and_ci_runs_its_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    block = quick[quick.index("```sh\n") + 6 : quick.index("```", quick.index("```sh\n") + 6)]
    app, tests = [line for line in block.splitlines() if line.strip()]
    for line in (app, tests):
        assert line.startswith("python3 -m venv .venv && .venv/bin/pip install ")  # Debian 12 refuses a bare pip
    assert app.endswith(".venv/bin/followtui --demo")
    assert tests.endswith(".venv/bin/python -m pytest") and "constraints.txt" in tests
    assert "a few minutes" in quick[: quick.index("###")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci  # the very same command, on a line of its own
