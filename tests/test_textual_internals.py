"""Fails loudly when a Textual upgrade moves the private pieces ``tui/widgets/footer.py`` relies on.

followtui uses Textual's public API everywhere else; the key bar alone restyles Footer keys in place (rebuilding
them costs tens of ms per cursor move). If one of these fails after an upgrade, re-read Textual's
``widgets/_footer.py``, adapt ``KeyBar``, then bump ``TESTED_TEXTUAL`` and ``constraints.txt``.
"""

from __future__ import annotations

import inspect

import textual
from textual.reactive import Reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from followtui.tui.widgets import footer


def test_the_installed_textual_is_the_one_the_key_bar_was_written_for() -> None:
    assert textual.__version__.startswith(footer.TESTED_TEXTUAL + "."), (
        f"Textual {textual.__version__} is installed; KeyBar was written against {footer.TESTED_TEXTUAL}: "
        "re-check followtui/tui/widgets/footer.py against textual/widgets/_footer.py"
    )


def test_footer_key_still_keeps_its_disabled_flag_and_class() -> None:
    key = FooterKey("f", "f", "Follow", "follow", disabled=True)
    assert key._disabled is True
    assert key.has_class("-disabled")
    assert (key.key, key.key_display, key.description, key.action) == ("f", "f", "Follow", "follow")
    assert "self._disabled" in inspect.getsource(FooterKey.on_mouse_down), "a click no longer reads the flag"


def test_footer_still_gates_compose_on_bindings_ready_and_calls_bindings_changed() -> None:
    assert isinstance(Footer.__dict__.get("_bindings_ready"), Reactive)
    assert "self._bindings_ready" in inspect.getsource(Footer.compose)
    assert "bindings_changed" in inspect.getsource(Footer.on_mount), "the Footer no longer subscribes this hook"
