"""Small display widgets: the pane tabs, the detail panel and the status bar."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from followtui.domain.queues import Pane

PANE_KEYS = {Pane.NEW_FOLLOWERS: "1", Pane.LISTS: "2", Pane.UNFOLLOW: "3"}


class OneLine(Static):
    """A one-line bar: repainted only when its text changes, and never re-laid out (its size is fixed)."""

    DEFAULT_CSS = """
    OneLine { height: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text: Text | None = None

    def show_text(self, text: Text) -> None:
        if text == self._text:
            return
        self._text = text
        self.update(text, layout=False)


class PaneTabs(OneLine):
    """``◆ followtui  1 New followers 42 │ 2 Lists 6 │ 3 Unfollow candidates 57   @me``, the active pane lit."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._active = Pane.NEW_FOLLOWERS
        self._counts: dict[Pane, int | None] = dict.fromkeys(Pane)
        self.who = ""

    def show(self, active: Pane, counts: dict[Pane, int | None]) -> None:
        self._active = active
        self._counts = dict(counts)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("◆ followtui  ", style="bold")
        for index, pane in enumerate(Pane):
            if index:
                text.append("  │  ", style="dim")
            count = self._counts.get(pane)
            label = f" {PANE_KEYS[pane]} {pane.heading} {'…' if count is None else count} "
            text.append(label, style="reverse bold" if pane is active else "")
        if self.who:
            text.append(f"   {self.who}", style="dim")
        self.show_text(text)


class DetailPanel(VerticalScroll):
    """The highlighted account, in full."""

    DEFAULT_CSS = """
    DetailPanel > Static { width: 1fr; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show(self, text: RenderableType) -> None:
        self.query_one("#detail-body", Static).update(text)
        self.scroll_home(animate=False)


class StatusBar(OneLine):
    """Pending actions, last sync, rate-limit waits and the active filter."""
