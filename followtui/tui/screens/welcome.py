"""Screens shown instead of the triage: while the cache opens, with nothing to show yet, or after an error."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text("Opening your cache…", style="bold"), id="loading-text")
        yield LoadingIndicator()


class MessageScreen(Screen[None]):
    """A full-screen message: the welcome, or an error the user must act on."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="quit_message")]

    def __init__(self, title: str, body: str, *, error: bool = False) -> None:
        super().__init__(classes="-error" if error else "")
        self.heading = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Middle(), Center(id="message-box"):
            yield Static(Text(self.heading, style="bold"), id="message-title")
            yield Static(Text(self.body), id="message-body")
        yield Footer()


WELCOME_TITLE = "Welcome to followtui"
WELCOME_BODY = """\
followtui helps you triage who follows you and whom you follow: judge people by what they post and how
they talk with you, not by their numbers.

There is nothing in your cache yet. To start:

  • Try it now, offline, on a made-up graph:     followtui --demo
  • Sign in to X and sync your graph:             followtui auth, then followtui sync
    (or press r in the app once signed in; the README says what an X developer app needs)

Press q to quit."""
