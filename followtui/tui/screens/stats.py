"""Followers over time (``t``): gained and lost per day as two sparklines, with the numbers of the last days.

The series is computed once, in a worker thread (``services.growth``, one pass over the relationships); the
widgets only get the finished numbers. ``followtui export history`` writes the same series.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Sparkline, Static

from followtui.services.growth import Growth
from followtui.services.session import Session

SHOWN_DAYS = 90
TABLE_DAYS = 5


class StatsScreen(ModalScreen[None]):
    """Followers gained and lost per day over the last ``SHOWN_DAYS`` days; escape closes."""

    BINDINGS = [Binding("escape,t,q", "close", "Close", id="stats_close", tooltip="Back to triage")]

    class Loaded(Message):
        def __init__(self, growth: Growth) -> None:
            super().__init__()
            self.growth = growth

    def __init__(self, session: Session) -> None:
        super().__init__(id="stats")
        self.session = session
        self.growth: Growth | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text("Followers over time", style="bold"), id="stats-title")
            yield Static(Text("Counting…", style="dim italic"), id="stats-summary")
            yield Label(Text("gained per day", style="green"), classes="stats-label")
            yield Sparkline([], id="stats-gained")
            yield Label(Text("lost per day", style="red"), classes="stats-label")
            yield Sparkline([], id="stats-lost")
            yield Static(id="stats-axis")
            yield Static(id="stats-table")
            hint = "escape closes · from each sync's first and last sighting · `followtui export history`"
            yield Static(Text(hint, style="dim"), id="stats-hint")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.session.follower_growth()))

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        self.growth = growth = message.growth
        days = growth.last(SHOWN_DAYS)
        summary = self.query_one("#stats-summary", Static)
        if not days:
            summary.update(Text("No follower has come or gone since your first sync yet.", style="italic"))
            return
        gained, lost = sum(d.gained for d in days), sum(d.lost for d in days)
        summary.update(
            Text.assemble(
                f"Last {len(days)} days: ",
                (f"+{gained:,} gained", "green"),
                ", ",
                (f"−{lost:,} lost", "red"),
                f"; {growth.followers:,} followers now",
            )
        )
        self.query_one("#stats-gained", Sparkline).data = [float(d.gained) for d in days]
        self.query_one("#stats-lost", Sparkline).data = [float(d.lost) for d in days]
        axis = Table.grid(expand=True)
        axis.add_column(justify="left")
        axis.add_column(justify="right")
        axis.add_row(Text(f"{days[0].day:%Y-%m-%d}", style="dim"), Text(f"{days[-1].day:%Y-%m-%d}", style="dim"))
        self.query_one("#stats-axis", Static).update(axis)
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for column in ("day", "gained", "lost", "followers"):
            table.add_column(column, justify="left" if column == "day" else "right")
        for day in reversed(days[-TABLE_DAYS:]):
            table.add_row(f"{day.day:%a %m-%d}", f"+{day.gained}", f"−{day.lost}", f"{day.followers:,}")
        self.query_one("#stats-table", Static).update(table)

    def action_close(self) -> None:
        self.dismiss(None)
