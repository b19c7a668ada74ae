"""The key bar: Textual's Footer, without rebuilding every key whenever a key is enabled or disabled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Footer

# The one import of a private Textual module in followtui. Textual has no public way to restyle a footer key;
# ``tests/test_textual_internals.py`` fails loudly when an upgrade moves any of what this module relies on.
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

TESTED_TEXTUAL = "8.2"
"""The Textual minor version whose Footer internals this module was written against (pinned in constraints.txt)."""

KeyShape = tuple[str, str, str, str, str, object]
"""What a key looks like apart from being enabled: key, key display, description, action, tooltip, group."""


class KeyBar(Footer):
    """A Footer that recomposes only when the set of shown keys changes.

    Textual's Footer removes and mounts every key on each ``refresh_bindings()`` (tens of ms, on every cursor
    move and pane switch, since ``check_action`` enables and disables the keys). Here the refreshes of one frame
    are coalesced, and when the shown keys are the same, only the keys whose state changed are restyled.
    It leans on the Footer's internals as of Textual 8.2 (``FooterKey``, its ``_disabled`` flag, the Footer's
    ``_bindings_ready`` reactive and its ``bindings_changed`` hook), and nothing else in followtui does:
    ``tests/test_textual_internals.py`` checks each of them and ``tests/test_app_latency.py`` the behaviour.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shapes: list[KeyShape] | None = None
        self._update_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._update_pending:
            return
        if self.is_attached and screen is self.screen:
            self._update_pending = True
            self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        self._update_pending = False
        if not self.is_attached:
            return
        shapes, enabled = self._shown_keys()
        if shapes != self._shapes:
            self._shapes = shapes
            await self.recompose()
            self._fit()
            return
        changed = []
        for key in self.query_children(FooterKey):
            on = enabled.get(key.action)
            if on is not None and key._disabled == on:  # the key reads its own flag on a click
                key._disabled = not on
                key.set_class(not on, "-disabled", update=False)
                changed.append(key)
        if changed:  # one pass for all of them: the keys share their CSS rules (a pass per key costs ~1 ms)
            self.app.stylesheet.update_nodes(changed, animate=False)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Show the keys that fit the width: ``?`` and ``q`` always, then the enabled keys (those the screen's
        ``footer_first`` names first), then the disabled ones; the rest are hidden (help and the command palette
        still list them). The shown keys keep their order."""
        keys = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        width = self.size.width
        if not keys or width <= 0:
            return
        palette = sum(_key_width(k) + 1 for k in self.query_children(FooterKey) if k.has_class("-command-palette"))
        room = width - palette - sum(_key_width(k) for k in keys if k.action in ESSENTIAL_ACTIONS)
        shown = {id(k) for k in keys if k.action in ESSENTIAL_ACTIONS}
        others = [k for k in keys if k.action not in ESSENTIAL_ACTIONS]
        first: frozenset[str] = getattr(self.screen, "footer_first", frozenset())  # the screen's own keys first
        ranked = sorted(others, key=lambda k: (k._disabled, k.action not in first))  # stable: in order otherwise
        for key in ranked:
            if _key_width(key) <= room:
                shown.add(id(key))
                room -= _key_width(key)
        for key in keys:
            if key.display != (id(key) in shown):  # a cursor move changes nothing here: no restyle
                key.display = id(key) in shown

    def _shown_keys(self) -> tuple[list[KeyShape], dict[str, bool]]:
        """The shape of every key ``compose`` would show, in order, and whether each action is enabled."""
        active = self.screen.active_bindings
        shapes: list[KeyShape] = []
        enabled: dict[str, bool] = {}
        for _, binding, on, tooltip in active.values():
            if binding.show and binding.action not in enabled:
                enabled[binding.action] = on
                display = self.app.get_key_display(binding)
                shapes.append((binding.key, display, binding.description, binding.action, tooltip, binding.group))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, on, tooltip = palette
            enabled.setdefault(binding.action, on)
            display = self.app.get_key_display(binding)
            shapes.append((binding.key, display, binding.description, binding.action, tooltip, None))
        return shapes, enabled


ESSENTIAL_ACTIONS = frozenset({"help", "quit", "app.help", "app.quit"})
"""Keys the bar never hides, however narrow the terminal."""


def _key_width(key: FooterKey) -> int:
    """The cells a key takes: `` f Follow `` (its padding as Textual's Footer draws it, not compact)."""
    return cell_len(key.key_display) + cell_len(key.description) + 3
