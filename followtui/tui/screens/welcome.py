"""Screens shown instead of the triage: while the cache opens, with nothing to show yet, or after an error."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text("Opening your cache…", style="bold"), id="loading-text")
        yield LoadingIndicator()


class MessageScreen(Screen[None]):
    """A full-screen message: the welcome, or an error the user must act on."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back_message"),  # only with somewhere to go back to
        Binding("q,escape", "app.quit", "Quit", id="quit_message"),
    ]

    def __init__(self, title: str, body: str, *, error: bool = False, back: Callable[[], None] | None = None) -> None:
        super().__init__(classes="-error" if error else "")
        self.heading = title
        self.body = body
        self._back = back  # what escape does (go back to where the user was); without it escape quits

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._back is not None if action == "back" else True

    def action_back(self) -> None:
        if self._back is not None:
            self._back()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="message-box"):  # centred by the screen's CSS; scrolls when the terminal is small
            yield Static(Text(self.heading, style="bold"), id="message-title")
            yield Static(Text(self.body), id="message-body")
        yield Footer()


WELCOME_TITLE = "Welcome to followtui"
# Paragraphs and list items only, no line broken by hand: the text wraps to the box, at any terminal width.
WELCOME_BODY = "\n".join(
    [
        "followtui helps you triage who follows you and whom you follow: judge people by what they post and how they "
        "talk with you, not by their numbers.",
        "",
        "There is nothing in your cache yet. Three ways to start:",
        "",
        "1. Free, from your X data archive (x.com → Settings → Your account → Download an archive of your data), no "
        "sign-in needed:  followtui import-archive ~/Downloads/twitter-….zip",
        "",
        "2. Try it now, offline, on a made-up graph:  followtui --demo",
        "",
        "3. Sign in and sync: Bluesky is free (with an app password):  followtui auth bluesky; X bills each read, "
        "about $0.010 per account (the README says what an X developer app needs):  followtui auth; then  "
        "followtui sync",
        "",
        "Press q to quit.",
    ]
)
