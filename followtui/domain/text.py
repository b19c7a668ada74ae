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

# Emoji joiners, skin-tone modifiers, variation selectors and tag characters. A well-formed sequence on a wide
# emoji (🧑🏿‍🔬, 👍🏽, 🏳️‍🌈, a subdivision flag) is one glyph of 2 cells, as Textual (Rich) measures it and current
# terminals draw it, so it is kept whole; so is a flag (two regional indicators, 1 cell each to Rich). Anything
# else, a joiner between letters or a sequence on a narrow base such as 🏳‍🌈 (1 cell to Rich, 2 on screen), loses
# its glue and becomes plain characters of a width everyone agrees on.
_EMOJI_GLUE = dict.fromkeys([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400), *range(0xE0000, 0xE0080)], None)
_GLUE = "\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f"
_PART = f"[^{_GLUE}](?:\ufe0f|[\U0001f3fb-\U0001f3ff])*"
_CLUSTER = re.compile(
    f"[\U0001f1e6-\U0001f1ff]{{2}}"  # a flag
    f"|{_PART}(?:\u200d{_PART})*(?:[\U000e0020-\U000e007e]+\U000e007f)?"  # a joined sequence, or one character
    f"|[{_GLUE}]"  # glue on its own
)
_JOINS = re.compile(f"[{_GLUE}\U0001f1e6-\U0001f1ff]")  # without any of these, every character is a glyph

_WHITESPACE_RUN = re.compile(r"[ \t]+")


def clean(text: str | None, *, keep_newlines: bool = True) -> str:
    """Strip escape sequences, control characters and bidi overrides from untrusted text.

    Tabs become spaces; newlines are kept (or folded into spaces with ``keep_newlines=False``); a joined emoji
    sequence is kept whole where it is one 2-cell glyph, and split into plain characters otherwise.
    """
    if not text:
        return ""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_BIDI_AND_SEPARATORS)
    if _JOINS.search(text):
        text = _CLUSTER.sub(_join_or_split, text)
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
    for glyph in glyphs(result):  # never cut inside a joined emoji
        width = glyph_cells(glyph)
        if used + width > limit - 1:
            break
        out.append(glyph)
        used += width
    return "".join(out).rstrip() + "…"


def _join_or_split(match: re.Match[str]) -> str:
    cluster = match.group(0)
    if len(cluster) == 1:
        return "" if ord(cluster) in _EMOJI_GLUE else cluster
    return cluster if _one_glyph(cluster) else cluster.translate(_EMOJI_GLUE)


def _one_glyph(cluster: str) -> bool:
    """A flag, or a sequence on a wide emoji (or on a symbol made wide by U+FE0F, like ❤️): 2 cells to Rich and on
    screen."""
    base = cluster[0]
    if "\U0001f1e6" <= base <= "\U0001f1ff":
        return True
    if unicodedata.east_asian_width(base) in ("W", "F"):
        return True
    return cluster[1] == "\ufe0f" and unicodedata.category(base) == "So"


def glyphs(text: str) -> list[str]:
    """``text`` (cleaned) as what a terminal draws: a joined emoji or a flag is one item, anything else a character."""
    return _CLUSTER.findall(text) if _JOINS.search(text) else list(text)


def glyph_cells(glyph: str) -> int:
    """The cells one item of ``glyphs`` takes."""
    return 2 if len(glyph) > 1 and _one_glyph(glyph) else sum(map(char_cells, glyph))


def char_cells(char: str) -> int:
    """How many terminal cells one character takes: 2 for wide (CJK, emoji), 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """The cells ``text`` (cleaned) takes in the terminal, as Textual measures it."""
    if text.isascii():
        return len(text)
    return sum(map(glyph_cells, glyphs(text)))


def name_key(name: str) -> str:
    """A name as it sorts for people: without case, accents or what comes before its first letter or digit
    ("Émile", "emile" and "😊 Emile" sort together, between "Dana" and "Zoë")."""
    if name.isascii():
        return name.lower().lstrip("".join(c for c in name if not c.isalnum()))
    folded = unicodedata.normalize("NFKD", name).casefold()
    letters = "".join(char for char in folded if not unicodedata.combining(char))
    start = next((i for i, char in enumerate(letters) if char.isalnum()), len(letters))
    return letters[start:]


def graphemes(text: str) -> int:
    """About how many characters a person sees: combining marks, emoji modifiers and what a joiner joins do not
    count, nor the second half of a flag."""
    count, joined, flag = 0, False, False
    for c in text:
        if unicodedata.combining(c) or c in _GRAPHEME_GLUE:
            joined = c == "\u200d"
            continue
        if "\U0001f1e6" <= c <= "\U0001f1ff":  # a regional indicator: two make a flag
            flag = not flag
            count += flag
        elif not joined:
            count += 1
        joined = False
    return count


_GRAPHEME_GLUE = frozenset("\u200d\ufe0e\ufe0f" + "".join(map(chr, range(0x1F3FB, 0x1F400))))
