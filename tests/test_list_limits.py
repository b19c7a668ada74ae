"""Each network's list limits: X counts 25 characters a name and caps members; Bluesky counts 64 UTF-8 bytes a
name and 300 graphemes a description, and caps no list's members. Through the domain checks, the lists service
and the list form on the Bluesky demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from followtui.backends.offline import OfflineBackend
from followtui.domain.list_limits import BLUESKY_LISTS, X_LISTS
from followtui.domain.models import ListInfo
from followtui.domain.text import graphemes
from followtui.services.accounts import BLUESKY
from followtui.store import Store
from followtui.tui.screens.dialogs import NEW_LIST, ListPickerScreen
from followtui.tui.screens.list_form import ListFormScreen
from tests.factories import FakeClock, present, sample_graph
from tests.test_app_bluesky_demo import bluesky_demo_app, named
from tests.test_lists_pane import lists_pane
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until
from tests.writes import make_writes

THUMBS = "\U0001f44d\U0001f3fd"  # a thumbs up with a skin tone: one grapheme, two code points, eight bytes


def test_x_counts_characters_and_bluesky_counts_bytes_in_a_name() -> None:
    assert X_LISTS.name_problem("n" * 25) is None
    assert "at most 25 characters on X (26 given)" in (X_LISTS.name_problem("n" * 26) or "")
    assert BLUESKY_LISTS.name_problem("n" * 64) is None
    assert "at most 64 bytes on Bluesky (66 given)" in (BLUESKY_LISTS.name_problem("é" * 33) or "")
    assert X_LISTS.name_problem("é" * 25) is None  # X counts the characters
    assert X_LISTS.name_problem("") == BLUESKY_LISTS.name_problem("") == "A list needs a name."


def test_bluesky_counts_graphemes_and_bytes_in_a_description() -> None:
    assert graphemes(THUMBS * 3) == 3 and graphemes("e\u0301") == 1 and graphemes("\U0001f1f3\U0001f1f4") == 1
    assert BLUESKY_LISTS.description_problem(THUMBS * 300) is None  # 2,400 bytes, 300 graphemes
    assert "at most 300 characters on Bluesky (301 given)" in (BLUESKY_LISTS.description_problem("d" * 301) or "")
    glued = "e" + "\u0301" * 20  # one grapheme of 41 bytes: 100 of them are over 3,000 bytes
    assert "at most 3,000 bytes on Bluesky (4,100 given)" in (BLUESKY_LISTS.description_problem(glued * 100) or "")
    assert X_LISTS.description_problem("d" * 101) is not None and X_LISTS.description_problem("d" * 100) is None


def test_the_bluesky_lists_service_takes_bluesky_names_and_has_no_member_cap(seeded: Store, clock: FakeClock) -> None:
    many = ListInfo("55", "Big", member_ids=tuple(str(10_000 + i) for i in range(5_000)))
    seeded.replace_graph(**sample_graph(lists=(many,)))

    lists = make_writes(seeded, OfflineBackend(), clock, network=BLUESKY).lists
    made = lists.create_list("Teachers and librarians of the Oslo area", THUMBS * 300)
    assert made.name == "Teachers and librarians of the Oslo area" and made.kept_here
    with pytest.raises(ValueError, match="at most 64 bytes on Bluesky"):
        lists.update_list(made.id, name="n" * 65)
    lists.change_membership(["1001", "1002"], "55", add=True)  # past X's 5,000
    assert len(present(seeded.list_info("55")).member_ids) == 5_002
    x_lists = make_writes(seeded, OfflineBackend(), clock).lists
    with pytest.raises(ValueError, match="at most 25 characters on X"):
        x_lists.create_list("Teachers and librarians of the Oslo area")


async def test_the_list_form_counts_against_bluesky_limits(tmp_path: Path) -> None:
    app, _backend = bluesky_demo_app(tmp_path / "bsky")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await lists_pane(pilot, screen)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        name = "Teachers and librarians of the Oslo area"  # 40: too long for X, fine for Bluesky
        await pilot.press(*name)
        await wait_until(pilot, lambda: f"{len(name)}/64" in screen_text(app))
        assert "0/300" in screen_text(app)
        await pilot.press(*"x" * 25)
        await wait_until(pilot, lambda: "at most 64 bytes on Bluesky" in screen_text(app))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ListFormScreen)  # refused: nothing written
        await pilot.press(*["backspace"] * 25, "enter", "enter")
        await wait_until(pilot, lambda: named(screen, name) is not None)


@pytest.mark.parametrize("on_x", [True, False], ids=["x", "bluesky"])
async def test_the_picker_offers_a_name_by_the_networks_limit(tmp_path: Path, on_x: bool) -> None:
    """A 31-character name (the picker's filter takes no spaces): too long for a new list on X, fine on Bluesky."""
    name = "teachers-and-librarians-of-oslo"
    app = demo_app(tmp_path / "x") if on_x else bluesky_demo_app(tmp_path / "bsky")[0]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*name)
        await wait_until(pilot, lambda: app.screen.query_one(Input).value == name)
        create = app.screen.query_one(OptionList).get_option(NEW_LIST)
        assert create.disabled is on_x
        assert ("(too long: at most 25 characters)" in str(create.prompt)) is on_x
