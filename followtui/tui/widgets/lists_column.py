"""The Lists pane's column of lists: which lists there are and which one the pane shows."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from followtui.domain.models import ListInfo
from followtui.domain.text import one_line
from followtui.tui.widgets.choices import Choices


class ListsColumn(Choices):
    """The lists, one entry each; the highlighted one is ``list_id``, the list whose members the pane shows.

    It owns the choice: when the user moves, or when new lists replace the shown one, it posts ``Picked``.
    """

    class Picked(Message):
        """The pane now shows ``list_id`` (``moved``: the user moved to it; else the lists changed under it)."""

        def __init__(self, list_id: str, *, moved: bool) -> None:
            super().__init__()
            self.list_id = list_id
            self.moved = moved

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lists: list[ListInfo] = []
        self.list_id: str | None = None

    @property
    def current(self) -> ListInfo | None:
        """The list the pane shows, if there is one."""
        return next((info for info in self.lists if info.id == self.list_id), None)

    def name_of(self, list_id: str | None) -> str | None:
        return next((info.name for info in self.lists if info.id == list_id), None)

    def pick(self, list_id: str) -> None:
        """Show ``list_id`` once it is among the lists (a list just created: the next ``set_lists`` has it)."""
        self.list_id = list_id

    def set_lists(self, lists: list[ListInfo]) -> None:
        """Show ``lists``; keep the list shown, or the one that took its place."""
        before = self.current
        self.lists = lists
        highlighted = self.highlighted
        with self.prevent(OptionList.OptionHighlighted):  # rebuilding is not the user moving
            self.clear_options()
            self.add_options([Option(list_label(info), id=info.id) for info in lists])
            ids = [info.id for info in lists]
            picked: str | None = None
            if self.list_id not in ids:
                # created on X meanwhile (a new ID, the same name), or deleted: the one at the same place takes over
                self.list_id = next((info.id for info in lists if before and info.name == before.name), None)
                picked = self.list_id
            if lists:
                index = ids.index(self.list_id) if self.list_id else min(highlighted or 0, len(lists) - 1)
                self.highlighted = index
                if self.list_id is None:
                    self.list_id = picked = lists[index].id
        if picked is not None:
            self.post_message(self.Picked(picked, moved=False))

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and event.option.id != self.list_id:
            self.list_id = event.option.id
            self.post_message(self.Picked(event.option.id, moved=True))


def list_label(info: ListInfo) -> Text:
    """A list's entry: name, then who sees it (here only, private, public) and size, then the description,
    each on one line."""
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append(one_line(info.name, 25), style="bold")
    size = len(info.member_ids)
    label.append(f"\n{info.visibility} · {size} member{'s' if size != 1 else ''}", style="dim")
    if info.refused:  # the members are the cached ones
        label.append(f"\nmembers unknown, X refused: {one_line(info.refused, 60)}", style="red")
    if info.description:
        label.append(f"\n{one_line(info.description, 26)}", style="dim italic")
    return label
