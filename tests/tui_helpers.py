"""Helpers for driving the app with Pilot on the demo data at a fixed clock."""

from __future__ import annotations

from followtui.tui.app import FollowApp
from followtui.tui.screens.main import MainScreen
from tests.harness import DEMO_NOW, demo_app, fixed_clock, ready, wait_until

__all__ = ["DEMO_NOW", "SIZE", "demo_app", "fixed_clock", "main_screen", "ready", "screen_text", "wait_until"]

SIZE = (130, 40)


def main_screen(app: FollowApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


def screen_text(app: FollowApp) -> str:
    """Everything the top screen shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
