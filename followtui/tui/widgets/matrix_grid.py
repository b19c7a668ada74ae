"""The list matrix: accounts against lists, painted a line at a time so 100,000 rows cost nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from followtui.domain.models import ListInfo
from followtui.domain.text import one_line

RowLabel = Callable[[str], Text]
"""Given an account ID, its handle and name (plain text, no marks)."""

LEFT = 36  # the mark, handle and name
CELL = 6  # one list's column


def abbreviate(name: str, width: int = CELL - 1) -> str:
    """A column header: the name cut to ``width`` cells (``Berlin tech`` → ``Berl…``)."""
    return one_line(name, width)


class MatrixGrid(ScrollView, can_focus=True):
    """Rows of accounts, a column per list; the cursor is a cell (column -1 is the handle column)."""

    BINDINGS = [
        Binding("down,j", "move(1, 0)", "Down", show=False, id="matrix_down"),
        Binding("up,k", "move(-1, 0)", "Up", show=False, id="matrix_up"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="matrix_right"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="matrix_left"),
        Binding("g,home", "edge(-1)", "First", show=False, id="matrix_first"),
        Binding("G,end", "edge(1)", "Last", show=False, id="matrix_last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="matrix_page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="matrix_page_up"),
        Binding(
            "space", "space", "Toggle", tooltip="Put on / take off the list (on the handle: mark)", id="matrix_toggle"
        ),
        Binding("v", "mark", "Mark", tooltip="Mark or unmark the account", id="matrix_mark"),
        Binding(
            "V", "mark_all", "Mark all", show=False, tooltip="Mark every row shown, or unmark all", id="matrix_mark_all"
        ),
    ]

    COMPONENT_CLASSES = {"matrix-grid--cursor", "matrix-grid--header", "matrix-grid--empty"}

    DEFAULT_CSS = """
    MatrixGrid { background: $surface; overflow-x: hidden; }
    MatrixGrid > .matrix-grid--cursor { background: $block-cursor-blurred-background; }
    MatrixGrid:focus > .matrix-grid--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    MatrixGrid > .matrix-grid--header { text-style: bold; color: $text-muted; }
    MatrixGrid > .matrix-grid--empty { color: $text-muted; text-style: italic; }
    """

    class Toggled(Message):
        """Space on a cell: put the account on the list, or take it off."""

        def __init__(self, account_id: str, list_id: str) -> None:
            super().__init__()
            self.account_id = account_id
            self.list_id = list_id

    class Moved(Message):
        """The cursor moved (or the marks changed)."""

    def __init__(self, label: RowLabel, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._label = label
        self.ids: list[str] = []
        self.columns: list[ListInfo] = []
        self.members: Mapping[str, set[str]] = {}
        self.marked: set[str] = set()
        self.row = 0
        self.col = 0  # -1: the handle column
        self.first_col = 0  # the leftmost list column shown
        self.empty_text = "Loading…"
        self._labels: dict[str, Text] = {}

    # -- data --------------------------------------------------------------------------------------

    def show(
        self, ids: list[str], columns: list[ListInfo], members: Mapping[str, set[str]], *, keep: str | None = None
    ) -> None:
        self.ids = ids
        self.columns = columns
        self.members = members
        self.marked &= set(ids)
        self._labels.clear()
        if keep is not None and keep in ids:
            self.row = ids.index(keep)
        self.row = max(0, min(self.row, len(ids) - 1))
        self.col = max(-1, min(self.col, len(columns) - 1))
        self.virtual_size = Size(0, len(ids) + 1)
        self._reveal()

    @property
    def account_id(self) -> str | None:
        return self.ids[self.row] if 0 <= self.row < len(self.ids) else None

    @property
    def list_info(self) -> ListInfo | None:
        return self.columns[self.col] if 0 <= self.col < len(self.columns) else None

    def marked_ids(self) -> list[str]:
        """Marked accounts in row order."""
        return [i for i in self.ids if i in self.marked]

    # -- moving ------------------------------------------------------------------------------------

    def _visible_cols(self) -> int:
        return max((self.scrollable_content_region.width - LEFT) // CELL, 1)

    def _reveal(self) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)  # minus the header line
        top = int(self.scroll_y)
        if self.row < top:
            self.scroll_to(y=self.row, animate=False)
        elif self.row >= top + height:
            self.scroll_to(y=self.row - height + 1, animate=False)
        shown = self._visible_cols()
        if self.col >= 0 and self.col < self.first_col:
            self.first_col = self.col
        elif self.col >= self.first_col + shown:
            self.first_col = self.col - shown + 1
        self.refresh()
        self.post_message(self.Moved())

    def action_move(self, rows: int, cols: int) -> None:
        self.row = max(0, min(self.row + rows, len(self.ids) - 1))
        self.col = max(-1, min(self.col + cols, len(self.columns) - 1))
        self._reveal()

    def action_edge(self, where: int) -> None:
        self.row = 0 if where < 0 else max(len(self.ids) - 1, 0)
        self._reveal()

    def action_page(self, pages: int) -> None:
        self.action_move(pages * max(self.scrollable_content_region.height - 2, 1), 0)

    def action_space(self) -> None:
        info, account_id = self.list_info, self.account_id
        if account_id is None:
            return
        if info is None:
            self.action_mark()
        else:
            self.post_message(self.Toggled(account_id, info.id))

    def action_mark(self) -> None:
        account_id = self.account_id
        if account_id is None:
            return
        self.marked ^= {account_id}
        self.action_move(1, 0)

    def action_mark_all(self) -> None:
        self.marked = set() if self.marked else set(self.ids)
        self.refresh()
        self.post_message(self.Moved())

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        self.row = max(0, min(int(self.scroll_y) + event.y - 1, len(self.ids) - 1))
        self.col = -1 if event.x < LEFT else self.first_col + (event.x - LEFT) // CELL
        self.col = min(self.col, len(self.columns) - 1)
        self._reveal()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.ids) + 1)
        self._reveal()

    # -- painting ----------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        if not self.ids:
            if y == 1:
                style = base + self.get_component_rich_style("matrix-grid--empty")
                return Strip([Segment(f"  {self.empty_text}", style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        row = int(self.scroll_y) + y - 1
        if row >= len(self.ids):
            return Strip.blank(width, base)
        return self._row(row, width, base)

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("matrix-grid--header")
        text = Text(f"{'account':<{LEFT}}", style=style, no_wrap=True)
        for index in range(self.first_col, min(self.first_col + self._visible_cols(), len(self.columns))):
            name = abbreviate(self.columns[index].name)
            text.append(f"{name:<{CELL}}", style="reverse" if index == self.col else "")
        if self.first_col + self._visible_cols() < len(self.columns):
            text.append(" →", style="dim")
        return self._strip(text, width, style)

    def _row(self, row: int, width: int, base: Style) -> Strip:
        account_id = self.ids[row]
        cursor = row == self.row
        style = base + self.get_component_rich_style("matrix-grid--cursor") if cursor else base
        label = self._labels.get(account_id)
        if label is None:
            label = self._label(account_id)
            label.truncate(LEFT - 3, overflow="ellipsis")
            self._labels[account_id] = label
        text = Text(no_wrap=True)
        marked = account_id in self.marked
        text.append("● " if marked else "  ", style="bold magenta")
        left = label.copy()
        if cursor and self.col == -1:
            left.stylize("reverse")
        text.append_text(left)
        text.append(" " * (LEFT - 2 - left.cell_len))
        for index in range(self.first_col, min(self.first_col + self._visible_cols(), len(self.columns))):
            on = account_id in self.members.get(self.columns[index].id, ())
            cell = Text(f"{'✓' if on else '·':^{CELL - 1}}", style="bold green" if on else "dim")
            if cursor and index == self.col:
                cell.stylize("reverse")
            text.append_text(cell)
            text.append(" ")
        return self._strip(text, width, style)

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        text.truncate(width, overflow="ellipsis")
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def row_label(handle: str, name: str, account_id: str = "") -> Text:
    """``@handle  Name`` for the handle column; ``ID 123  <name>`` for an account known only by its ID."""
    text = Text(no_wrap=True)
    text.append(f"@{one_line(handle, 17)}" if handle else f"ID {account_id}", style="bold" if handle else "dim")
    text.append(f"  {one_line(name, 16)}", style="dim")
    return text


__all__: Sequence[str] = ("CELL", "LEFT", "MatrixGrid", "abbreviate", "row_label")
