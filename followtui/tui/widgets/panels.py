"""Small display widgets: the pane tabs and the status bar."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from followtui.domain.queues import Pane
from followtui.domain.text import one_line
from followtui.services.status import StatusReadings
from followtui.tui import format as fmt

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
    """``◆ followtui  1 New followers 42 │ 2 Lists 6 │ 3 Unfollow candidates 57   @me``, the active pane lit.

    It owns what it shows: the pane lit (``light``) and each pane's count (``count``, ``set_counts``; None: not
    counted yet, shown as ``…``). Every change repaints it; nobody paints it by hand.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._active = Pane.NEW_FOLLOWERS
        self._counts: dict[Pane, int | None] = dict.fromkeys(Pane)
        self.who = ""
        self.who_short = ""  # the account without "demo ·", for a terminal too narrow for ``who``

    @property
    def counts(self) -> Mapping[Pane, int | None]:
        return MappingProxyType(self._counts)

    def count(self, pane: Pane) -> int | None:
        return self._counts[pane]

    def set_who(self, who: str, short: str) -> None:
        """Name the account on the right; ``short`` where ``who`` does not fit."""
        self.who, self.who_short = who, short
        self._paint()

    def light(self, pane: Pane) -> None:
        """Light ``pane``'s tab: its rows are on screen."""
        self._active = pane
        self._paint()

    def set_counts(self, counts: Mapping[Pane, int | None]) -> None:
        """Count these panes again (None: counting)."""
        self._counts.update(counts)
        self._paint()

    def _paint(self) -> None:
        room = self.content_size.width
        text = self._label(short=False)
        if room and text.cell_len > room:  # a narrow terminal: short names, every count still there
            text = self._label(short=True)
        if room and text.cell_len > room:
            text = self._label(short=True, who=self.who_short)
        self.show_text(text)

    def on_resize(self) -> None:
        self._paint()

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


class StatusBar(Widget):
    """Pending actions, last sync, rate-limit waits and the active filter: rendered from its reactives, which the
    main screen binds to its own (``data_bind``); nobody paints it by hand."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    readings: reactive[StatusReadings] = reactive(StatusReadings)
    sync_message: reactive[str | None] = reactive(None)
    content_first = reactive(False)
    marked_count = reactive(0)
    filter_text = reactive("")
    sorted_by = reactive("")  # the pane's order when it is not the pane's default one
    last_keypress_ms: reactive[float | None] = reactive(None)

    def render(self) -> Text:
        readings = self.readings
        now = readings.now
        text = Text()
        pending = readings.pending
        text.append(f" {pending} pending" if pending else " nothing pending", style="bold yellow" if pending else "")
        if readings.triaged is not None:
            text.append(f"  ·  triaged today: {readings.triaged}")
        if readings.need_you:
            text.append("  ·  ")
            text.append(f"{readings.need_you} need you (b)", style="bold red")
        text.append("  ·  ")
        last_sync = readings.last_sync
        text.append(f"last sync {fmt.ago(last_sync, now)}" if last_sync and now else "never synced")
        waiting = readings.writes_wait_until
        if waiting is not None and now is not None and waiting > now:
            text.append("  ·  ")
            when = waiting.astimezone()
            text.append(
                f"writes wait until {when:%Y-%m-%d %H:%M}"
                if waiting - now > timedelta(hours=20)
                else f"writes wait until {when:%H:%M}",
                style="bold red",
            )
        if self.sync_message:
            text.append("  ·  ")
            text.append(one_line(self.sync_message, 60), style="bold cyan")
        if readings.meter:
            text.append("  ·  ")
            text.append(readings.meter, style="dim")
        if self.content_first:
            text.append("  ·  ")
            text.append("content first", style="green")
        if self.marked_count:
            text.append("  ·  ")
            text.append(f"{self.marked_count} marked", style="bold magenta")
        if self.filter_text:
            text.append("  ·  ")
            text.append(f"filter: {one_line(self.filter_text, 30)}", style="cyan")
        if self.sorted_by:
            text.append("  ·  ")
            text.append(f"sorted {self.sorted_by}", style="cyan")
        if self.last_keypress_ms is not None:
            text.append(f"  ·  saved in {self.last_keypress_ms:.0f} ms", style="dim")
        return text
