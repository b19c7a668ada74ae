"""Untrusted profile text: escape sequences, control characters, bidi overrides and emoji glue."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from followtui.domain.text import clean, one_line


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


@pytest.mark.parametrize(
    "sequence",
    [
        "🧑🏿\u200d🔬",
        "👩🏽\u200d💻",
        "🏳️\u200d🌈",
        "❤️\u200d🔥",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
)
def test_joined_emoji_become_plain_emoji_of_predictable_width(sequence: str) -> None:
    cleaned = clean(sequence)
    assert "\u200d" not in cleaned and "\ufe0f" not in cleaned
    assert cell_len(cleaned) == sum(cell_len(char) for char in cleaned)
    assert cleaned


def test_one_line_cuts_with_an_ellipsis() -> None:
    assert one_line("a long line of text", 10) == "a long li…"
    assert one_line("short", 10) == "short"
    assert one_line("multi\nline\x1b[31m", None) == "multi line"
