"""A virtual list of accounts: it holds only IDs and paints the visible rows, so 100,000 rows cost nothing."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from contextlib import suppress

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

RowRenderer = Callable[[str, bool], Text]
"""Given an account ID and whether it is marked, the row's text."""


class AccountList(ScrollView, can_focus=True):
    """The accounts of a pane, one per line, with a cursor and marks."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("space", "toggle_mark", "Mark", tooltip="Mark or unmark for a batch action", id="mark"),
    ]

    COMPONENT_CLASSES = {"account-list--cursor", "account-list--marked", "account-list--empty"}

    DEFAULT_CSS = """
    AccountList { background: $surface; overflow-x: hidden; }
    AccountList > .account-list--cursor { background: $block-cursor-blurred-background; }
    AccountList:focus > .account-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    AccountList > .account-list--empty { color: $text-muted; text-style: italic; }
    """

    MAX_MARKS = 50
    """A batch is small and confirmed: no bulk follow churn."""

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another account (None when the list is empty)."""

        def __init__(self, account_list: AccountList, account_id: str | None) -> None:
            super().__init__()
            self.account_list = account_list
            self.account_id = account_id

        @property
        def control(self) -> AccountList:
            return self.account_list

    class MarksChanged(Message):
        def __init__(self, account_list: AccountList, count: int) -> None:
            super().__init__()
            self.account_list = account_list
            self.count = count

    def __init__(self, render_row: RowRenderer, *, empty_text: str = "Nothing here.", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._render_row = render_row
        self._ids: list[str] = []
        self._marks: dict[str, int] = {}  # marked ID -> its row, so the marks are read without a scan
        self._cache: dict[tuple[str, bool, int], Strip] = {}
        self._held = False  # the rows on screen are the previous list's, kept until the next one is set
        self._rich_style: Style | None = None
        self.empty_text = empty_text

    # -- data --------------------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[str]:
        return [] if self._held else self._ids

    @property
    def held(self) -> bool:
        return self._held

    @property
    def marked(self) -> list[str]:
        """Marked IDs in display order: O(1) without marks, O(marks) with (no scan of the rows)."""
        if not self._marks or self._held:
            return []
        return sorted(self._marks, key=self._marks.__getitem__)

    @property
    def highlighted(self) -> str | None:
        if self._held:
            return None
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    def hold(self) -> None:
        """Offer no rows (no IDs, no highlighted row, no marks) until ``set_ids``, but leave them on screen.

        For a list that is about to be replaced: unlike ``set_ids([])``, it costs no frame, so the next list
        is painted once, not after an empty one.
        """
        self._held = True
        self._marks.clear()
        self.set_reactive(AccountList.cursor, 0)  # the next list starts at the top unless told otherwise

    def set_ids(self, ids: list[str], *, keep: str | None = None) -> None:
        """Show a new list, keeping the cursor on ``keep`` (or at the same index) when possible."""
        index = self.cursor
        self._held = False
        self._ids = ids
        self._marks = _rows_of(ids, self._marks)
        self._cache.clear()
        if keep is not None:
            with suppress(ValueError):
                index = ids.index(keep)
        self.virtual_size = Size(0, len(ids))
        self.cursor = min(index, max(len(ids) - 1, 0))
        self._show_position()
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self._marks)))

    def remove_ids(self, account_ids: Sequence[str]) -> None:
        """Take decided accounts out; the cursor lands on the next one."""
        if self._held:  # the list on its way replaces these rows, and was read after the decision was saved
            return
        gone = set(account_ids)
        ids = [i for i in self._ids if i not in gone]
        if len(ids) == len(self._ids):
            return
        keep = self.highlighted
        if keep in gone:
            after = (i for i in itertools.islice(self._ids, self.cursor, None) if i not in gone)
            keep = next(after, ids[-1] if ids else None)
        for account_id in gone:
            self._marks.pop(account_id, None)
        self.set_ids(ids, keep=keep)

    def refresh_rows(self) -> None:
        """Repaint every row (their content changed)."""
        self._cache.clear()
        self.refresh()

    def clear_marks(self) -> None:
        if not self._marks:
            return
        self._marks.clear()
        self.refresh_rows()
        self.post_message(self.MarksChanged(self, 0))

    # -- cursor ------------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        if self._held:  # the rows are on their way out: the cursor keys wait for the next ones
            return self.cursor
        return max(0, min(value, len(self._ids) - 1)) if self._ids else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if self._held:
            return
        self._cache = {k: v for k, v in self._cache.items() if k[2] not in (old, new)}
        self.scroll_to(y=self._scroll_target(new), animate=False)
        self._show_position()
        self.refresh()
        self.post_message(self.Highlighted(self, self.highlighted))

    def _show_position(self) -> None:
        """``12 / 174`` on the border: the cursor's row and the rows in the list."""
        self.border_subtitle = f"{self.cursor + 1:,} / {len(self._ids):,}" if self._ids else ""

    def _scroll_target(self, row: int) -> float:
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_y
        if row < top:
            return row
        if row >= top + height:
            return row - height + 1
        return top

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._ids) - 1

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_toggle_mark(self) -> None:
        account_id = self.highlighted
        if account_id is None:
            return
        if account_id in self._marks:
            del self._marks[account_id]
        elif len(self._marks) >= self.MAX_MARKS:
            self.notify(f"At most {self.MAX_MARKS} accounts at a time.", severity="warning")
            return
        else:
            self._marks[account_id] = self.cursor
        self._cache = {k: v for k, v in self._cache.items() if k[0] != account_id}
        self.post_message(self.MarksChanged(self, len(self._marks)))
        self.cursor += 1

    def on_click(self, event: events.Click) -> None:
        self.cursor = int(self.scroll_y) + event.y

    # -- painting ----------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_y) + y
        if not self._ids:
            if y == 0:
                style = self.get_component_rich_style("account-list--empty")
                return Strip([Segment(f"  {self.empty_text}", style)]).crop_extend(0, width, self._base_style)
            return Strip.blank(width, self._base_style)
        if row >= len(self._ids):
            return Strip.blank(width, self._base_style)
        account_id = self._ids[row]
        marked = account_id in self._marks
        key = (account_id, marked, row if row == self.cursor else -1)
        strip = self._cache.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._paint(account_id, marked, row == self.cursor, width)
            self._cache[key] = strip
        return strip

    def _paint(self, account_id: str, marked: bool, cursor: bool, width: int) -> Strip:
        text = self._render_row(account_id, marked)
        text.truncate(width, overflow="ellipsis")
        base = self._base_style
        if cursor:
            base = base + self.get_component_rich_style("account-list--cursor")
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    @property
    def _base_style(self) -> Style:
        """``rich_style`` (which walks every ancestor's styles), once per style change instead of once per row."""
        if self._rich_style is None:
            self._rich_style = self.rich_style
        return self._rich_style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rich_style = None
        self._cache.clear()  # the rows carry the old styles (focus, theme)

    def on_focus(self) -> None:
        self.refresh_rows()  # the cursor row is drawn differently with and without focus

    def on_blur(self) -> None:
        self.refresh_rows()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(0, len(self._ids))


def _rows_of(ids: Sequence[str], marks: dict[str, int]) -> dict[str, int]:
    """The marks that are still in ``ids``, with their new rows (a scan only when there are marks)."""
    if not marks:
        return marks
    return {account_id: row for row, account_id in enumerate(ids) if account_id in marks}
