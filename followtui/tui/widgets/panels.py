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
        self.who_short = ""  # the account without "demo ·", for a terminal too narrow for ``who``

    def set_who(self, who: str, short: str) -> None:
        """Name the account on the right; ``short`` where ``who`` does not fit."""
        self.who, self.who_short = who, short
        self.show(self._active, self._counts)

    def show(self, active: Pane, counts: dict[Pane, int | None]) -> None:
        self._active = active
        self._counts = dict(counts)
        room = self.content_size.width
        text = self._label(short=False)
        if room and text.cell_len > room:  # a narrow terminal: short names, every count still there
            text = self._label(short=True)
        if room and text.cell_len > room:
            text = self._label(short=True, who=self.who_short)
        self.show_text(text)

    def on_resize(self) -> None:
        self.show(self._active, self._counts)

    def _label(self, *, short: bool, who: str | None = None) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("◆ " if short else "◆ followtui  ", style="bold")
        for index, pane in enumerate(Pane):
            if index:
                text.append(" │ " if short else "  │  ", style="dim")
            count = self._counts.get(pane)
            heading = SHORT_HEADINGS[pane] if short else pane.heading
            label = f" {PANE_KEYS[pane]} {heading} {'…' if count is None else count} "
            text.append(label, style="reverse bold" if pane is self._active else "")
        who = self.who if who is None else who
        if who:
            text.append(f"  {who}" if short else f"   {who}", style="dim")
        return text


SHORT_HEADINGS = {Pane.NEW_FOLLOWERS: "New", Pane.LISTS: "Lists", Pane.UNFOLLOW: "Unfollow"}


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
