"""Make untrusted profile text safe, and equally wide, in any terminal.

Names, bios, locations and posts come from strangers. They may hold terminal escape sequences (which could
clear the screen, retitle the window or hide text), C0/C1 control characters, and bidirectional overrides
(which can reorder the rest of a line). ``clean`` removes all of them and keeps every printable character,
including CJK, Arabic, emoji and combining marks. Markup is not this module's concern: the UI renders text
as literal content, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-initiated sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P|X|^|_ ... ST), two-byte escapes (ESC + one char), and the 8-bit CSI and OSC forms.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?     # OSC, terminated by BEL or ST (or cut off)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?          # DCS, SOS, PM, APC
    | \x9b[0-?]*[ -/]*[@-~]                 # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?         # 8-bit OSC
    | \x1b[@-_]?                            # any other escape, or a lone ESC
    """,
    re.VERBOSE,
)

# Explicit bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) and the
# line/paragraph separators: they can reorder or break the lines around them.
_BIDI_AND_SEPARATORS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029], None)

# Emoji joiners, skin-tone modifiers, variation selectors and tag characters. Terminals disagree on how wide a
# joined sequence such as 🧑🏿‍🔬 is (2 cells in some, 6 in others), which shifts every border after it; without
# them each emoji is a plain wide character that every terminal draws at the same width.
_EMOJI_GLUE = dict.fromkeys([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400), *range(0xE0000, 0xE0080)], None)

_WHITESPACE_RUN = re.compile(r"[ \t]+")


def clean(text: str | None, *, keep_newlines: bool = True) -> str:
    """Strip escape sequences, control characters and bidi overrides from untrusted text.

    Tabs become spaces; newlines are kept (or folded into spaces with ``keep_newlines=False``); joined emoji
    sequences are split into their plain emoji, so the text is equally wide in every terminal.
    """
    if not text:
        return ""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_BIDI_AND_SEPARATORS).translate(_EMOJI_GLUE)
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("\n" if keep_newlines else " ")
        elif char in "\t\r\v\f":
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            continue
        else:
            out.append(char)
    result = "".join(out)
    if not keep_newlines:
        result = _WHITESPACE_RUN.sub(" ", result).strip()
    return result


def one_line(text: str | None, limit: int | None = None) -> str:
    """Clean text folded onto one line, optionally cut to ``limit`` terminal cells with an ellipsis."""
    result = clean(text, keep_newlines=False)
    if limit is None or cells(result) <= limit:
        return result
    out: list[str] = []
    used = 0
    for char in result:
        width = char_cells(char)
        if used + width > limit - 1:
            break
        out.append(char)
        used += width
    return "".join(out).rstrip() + "…"


def char_cells(char: str) -> int:
    """How many terminal cells one character takes: 2 for wide (CJK, emoji), 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    return sum(char_cells(char) for char in text)
