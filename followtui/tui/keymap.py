"""The keymap check at start: every screen's bindings (with the app's and its widgets'), handed to the config's
check, with the theme names Textual has. Imported in the session worker, never before the first frame."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from textual.binding import Binding
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from followtui.config import Config, KeyAction, check_ui, key_list

SCREEN_NAMES = {
    "MainScreen": "the main screen",
    "ListPickerScreen": "the list picker",
    "MatrixScreen": "the lists matrix",
    "SuggestionsScreen": "the suggestions",
    "OutboxScreen": "the outbox",
    "AccountScreen": "the account page",
    "TextScreen": "the help page",
}


def screen_widgets() -> dict[str, tuple[type[Widget], ...]]:
    """The widgets with bindings of their own that a screen holds (their keys count on that screen)."""
    from followtui.tui.widgets.account_list import AccountList
    from followtui.tui.widgets.choices import Choices
    from followtui.tui.widgets.matrix_grid import MatrixGrid

    return {
        "MainScreen": (AccountList, Choices),
        "ListPickerScreen": (Choices,),
        "MatrixScreen": (MatrixGrid,),
        "SuggestionsScreen": (Choices,),
        "OutboxScreen": (Choices,),
    }


def scopes() -> dict[str, list[KeyAction]]:
    """Every followtui screen's bindings, with the app's and those of the widgets it holds, by screen."""
    from followtui.tui import screens
    from followtui.tui.app import FollowApp

    for module in pkgutil.iter_modules(screens.__path__, f"{screens.__name__}."):
        importlib.import_module(module.name)
    widgets = screen_widgets()
    found: dict[str, list[KeyAction]] = {}
    order = list(SCREEN_NAMES)
    known = sorted(
        _subclasses(Screen), key=lambda s: (order.index(s.__name__) if s.__name__ in order else 99, s.__name__)
    )
    for screen in known:
        if not screen.__module__.startswith("followtui.") or "BINDINGS" not in vars(screen):
            continue
        classes = (FollowApp, screen, *widgets.get(screen.__name__, ()))
        actions = [_action(b) for cls in classes for b in vars(cls).get("BINDINGS", []) if isinstance(b, Binding)]
        found[SCREEN_NAMES.get(screen.__name__, screen.__name__)] = actions
    return found


def check_config(config: Config) -> None:
    """Raise ``ConfigError`` for a remap or a theme the app cannot use (see ``followtui.config.check_ui``)."""
    check_ui(config, scopes(), printable=printable, themes=BUILTIN_THEMES.keys())


def printable(key: str) -> bool:
    """Whether ``key`` types a character into a text field (``x``, ``G``, ``space``, ``slash``)."""
    character = key_to_character(REPLACED_KEYS.get(key, key))
    return character is not None and character.isprintable()


def _action(binding: Binding) -> KeyAction:
    return KeyAction(binding.id or binding.action, key_list(binding.key), binding.priority, binding.id is not None)


def _subclasses(cls: type[Screen[object]]) -> Iterator[type[Screen[object]]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
