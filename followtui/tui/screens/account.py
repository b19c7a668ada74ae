"""The account in full (``enter``): the page, with the keys that work on this account and nothing else."""

from __future__ import annotations

from collections.abc import Collection

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from followtui.tui.screens.dialogs import TextScreen

# (key, binding id, footer label, the main screen's action): the same ids as on the main screen, so a remap
# changes the key in both places
ACTS = (
    ("f", "follow", "Follow", "decide('follow')"),
    ("s", "skip", "Skip", "decide('skip')"),
    ("w", "wait", "Wait", "decide('snooze')"),
    ("u", "unfollow", "Unfollow", "decide('unfollow')"),
    ("p", "pin", "Pin", "decide('keep')"),
    ("x", "never", "Never", "decide('never')"),
    ("l", "add_to_list", "List", "pick_list"),
    ("n", "note", "Note", "edit_note"),
    ("o", "open_in_browser", "Browser", "open_in_browser"),
)


class AccountScreen(TextScreen):
    """The page of one account. A key of ``ACTS`` closes it with the main screen's action for that key, which the
    main screen then runs on the account; only the actions the main screen allows for it are bound and shown."""

    BINDINGS = [
        *(Binding(key, f'act("{action}")', label, id=binding_id) for key, binding_id, label, action in ACTS),
        Binding("escape,q,enter", "close", "Close", id="close_page"),
    ]

    def __init__(self, body: RenderableType, allowed: Collection[str]) -> None:
        super().__init__(body, page_id="account-page")
        self.allowed = frozenset(allowed)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(self.body)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return bool(parameters) and parameters[0] in self.allowed  # False: not bound, not in the footer
        return True

    def action_act(self, action: str) -> None:
        self.dismiss(action)
