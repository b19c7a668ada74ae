"""Key remaps and the theme are checked at start (issue 15): a remap that takes another action's key, leaves an
action with no key or gives a priority action a key the filter types is refused with the file, line and both ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from followtui.config import ConfigError, load
from followtui.domain.models import DecisionKind
from followtui.tui.keymap import check_config, printable
from tests.tui_helpers import SIZE, demo_app, ready, wait_until

ROOT = Path(__file__).resolve().parents[1]


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    path = config_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        check_config(load(path))
    message = str(caught.value)
    assert message.startswith(f"{path}, line ")
    return message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[keys]\nfollow = "F"\nskip = "x,s"\n', 3, ["keys.skip", '"x"', "never", "never would have no key left"]),
        ('[keys]\nquit = "f"\n', 2, ["keys.quit", '"f"', "follow", "the main screen"]),
        ('[keys]\n\nundo = "tab"\n', 3, ["keys.undo", '"tab"', "next_pane"]),
        ('[keys]\nnext_pane = "t"\n', 2, ["keys.next_pane", '"t"', "filter"]),
        ('[keys]\npicker_toggle = "space,t"\n', 2, ["keys.picker_toggle", '"t"', "filter"]),
        ('[keys]\nskip = " , "\n', 2, ["keys.skip", "skip would have no key left"]),
        ('[keys]\nfolow = "F"\n', 2, ["keys.folow", "unknown binding id", "follow"]),
        ('[ui]\ncontent_first = true\ntheme = "nrod"\n', 3, ["ui.theme", "unknown theme", "nord"]),
    ],
)
def test_a_bad_remap_or_theme_is_refused_with_the_line_and_both_ids(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    message = refusal(tmp_path, text)
    assert f", line {line}: " in message
    for word in words:
        assert word in message


def test_remaps_that_leave_every_action_a_key_are_fine(tmp_path: Path) -> None:
    text = '[keys]\nskip = "x,s"\nnever = "X"\nfollow = "F,f"\nnext_pane = "ctrl+n,tab"\ncursor_down = "down,j"\n'
    check_config(load(config_file(tmp_path, text)))
    check_config(load(config_file(tmp_path, '[ui]\ntheme = "nord"\n')))


def test_the_readme_example_is_accepted(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[keys]" in block)
    config = load(config_file(tmp_path, example))
    assert len(config.keys) >= 2
    check_config(config)


def test_printable_keys() -> None:
    assert all(printable(key) for key in ("x", "G", "space", "slash", "question_mark", "1"))
    assert not any(printable(key) for key in ("tab", "ctrl+t", "f2", "escape", "enter", "shift+tab"))


async def test_the_app_refuses_to_start_with_a_clashing_remap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, '[keys]\nskip = "x,s"\n')
    app = demo_app(tmp_path / "demo", load(path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.return_code == 2)
    said = "".join(capsys.readouterr().err.split())  # wrapped at the console's width, maybe inside the path
    assert "".join(f"followtui: {path}, line 2: keys.skip:".split()) in said and "never" in said


async def test_an_accepted_remap_works(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[keys]\nskip = "x,s"\nnever = "X"\n')
    app = demo_app(tmp_path / "demo", load(path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first = screen.accounts.highlighted
        assert first is not None
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.session.store.decision(first) is not None)
        decision = screen.session.store.decision(first)
        assert decision is not None and decision.kind is DecisionKind.SKIP
