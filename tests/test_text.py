"""Untrusted profile text: escape sequences, control characters, bidi overrides and emoji glue."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from followtui.demo.generator import generate
from followtui.domain.text import cells, clean, glyphs, one_line
from tests.harness import DEMO_NOW


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[2J\x1b[31mred\x1b[0m", "red"),
        ("\x1b]0;pwned\x07title", "title"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b[?1049lgone", "gone"),
        ("\x9b31mC1\x1b[0m", "C1"),
        ("bell\x07 null\x00 del\x7f", "bell null del"),
        ("a\rb", "a b"),
        ("\u202eevil\u202c", "evil"),
        ("\u2066iso\u2069", "iso"),
        ("lone\x1b", "lone"),
        ("[bold red]x[/] [link=https://e.example]y[/link]", "[bold red]x[/] [link=https://e.example]y[/link]"),
        ("陈静 عمر خليل Zoë Z̷a̷l̷g̷o̷", "陈静 عمر خليل Zoë Z̷a̷l̷g̷o̷"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_keeps_or_folds_newlines() -> None:
    assert clean("one\ntwo") == "one\ntwo"
    assert clean("one\n\ttwo", keep_newlines=False) == "one two"


JOINED = [
    "🧑🏿\u200d🔬",
    "👩🏽\u200d💻",
    "🏳️\u200d🌈",
    "❤️\u200d🔥",
    "👨\u200d👩\u200d👧\u200d👦",
    "👍🏽",
    "🇳🇬",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
]


@pytest.mark.parametrize("sequence", JOINED)
def test_joined_emoji_stay_one_glyph_of_two_cells_as_textual_measures_them(sequence: str) -> None:
    """Issue 15: they were split into their parts (👩💻 for 👩‍💻)."""
    assert clean(sequence) == sequence
    assert glyphs(sequence) == [sequence]
    assert cells(sequence) == cell_len(sequence) == 2
    assert one_line(f"ab {sequence}{sequence} cd", 6) == f"ab {sequence}…"  # never cut inside one


@pytest.mark.parametrize(
    ("sequence", "split"),
    [
        ("🏳\u200d🌈", "🏳🌈"),  # no U+FE0F: 1 cell to Textual, 2 on screen; split, both agree on 3
        ("a\u200db", "ab"),
        ("x\ufe0f", "x"),
        ("\u200d\ufe0f", ""),
        ("1\ufe0f\u20e3", "1\u20e3"),
    ],
)
def test_glue_that_makes_no_wide_glyph_is_dropped(sequence: str, split: str) -> None:
    assert clean(sequence) == split
    assert cells(split) == cell_len(split)


def test_widths_agree_with_textual_on_every_demo_text() -> None:
    graph = generate(DEMO_NOW)
    texts = [t for a in graph.accounts for t in (a.name, a.description, a.location)]
    assert any("\u200d" in clean(t) for t in texts)  # the demo has joined emoji
    for text in texts:
        line = one_line(text)
        assert cells(line) == cell_len(line), line


def test_one_line_cuts_with_an_ellipsis() -> None:
    assert one_line("a long line of text", 10) == "a long li…"
    assert one_line("short", 10) == "short"
    assert one_line("multi\nline\x1b[31m", None) == "multi line"
