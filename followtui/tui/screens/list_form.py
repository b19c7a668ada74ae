"""A small form for a list's name and description, with live limit counters and X's refusal shown in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from followtui.domain.list_limits import ListLimits


@dataclass(frozen=True, slots=True)
class ListForm:
    name: str
    description: str


def _tidy(text: str) -> str:
    return " ".join(text.split())  # as the service stores it


class ListFormScreen(ModalScreen[ListForm | None]):
    """``enter`` in the last field or ``ctrl+s`` saves; ``escape`` cancels. The form closes once ``save`` worked.

    ``save(form, done, failed)`` runs the write off the UI thread and calls ``done()`` or ``failed(message)``.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="list_form_save", priority=True),
        Binding("escape", "cancel", "Cancel", id="list_form_cancel"),
    ]

    def __init__(
        self,
        title: str,
        save: Callable[[ListForm, Callable[[], None], Callable[[str], None]], None],
        limits: ListLimits,
        *,
        name: str = "",
        description: str = "",
        new: bool = False,
    ) -> None:
        super().__init__(id="list-form")
        self.title_text = title
        self.initial = ListForm(name, description)
        self._save = save
        self.limits = limits  # the network's: X counts 25 characters a name, Bluesky 64 bytes
        self._saving = False
        self._new = new  # a new list with a suggested name: saving it unchanged still makes it

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="form-label")
                yield Input(self.initial.name, placeholder="Berlin, Rust, …", id="list-name", select_on_focus=False)
                yield Static(id="name-count", classes="form-count")
            with Horizontal(classes="form-row"):
                yield Label("About", classes="form-label")
                yield Input(
                    self.initial.description,
                    placeholder="optional description",
                    id="list-description",
                    select_on_focus=False,
                )
                yield Static(id="description-count", classes="form-count")
            yield Static(id="list-form-error")
            yield Static(Text("enter: next / save   ctrl+s: save   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#list-name", Input).focus()
        self._count()

    @property
    def form(self) -> ListForm:
        return ListForm(
            _tidy(self.query_one("#list-name", Input).value), _tidy(self.query_one("#list-description", Input).value)
        )

    def _count(self) -> str | None:
        """Update the counters; the problem with the form, if any."""
        form, limits = self.form, self.limits
        for widget_id, length, limit in (
            ("#name-count", limits.name_length(form.name), limits.name),
            ("#description-count", limits.description_length(form.description), limits.description),
        ):
            over = length > limit
            self.query_one(widget_id, Static).update(
                Text(f"{length}/{limit}", style="bold red" if over else "dim" if length < limit * 0.8 else "yellow")
            )
        return limits.name_problem(form.name) or limits.description_problem(form.description)

    def on_input_changed(self) -> None:
        problem = self._count()
        self.show_error(problem if problem and problem != "A list needs a name." else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "list-name":
            self.query_one("#list-description", Input).focus()
        else:
            self.action_save()

    def show_error(self, message: str) -> None:
        self.query_one("#list-form-error", Static).update(Text(message, style="bold red"))

    def action_save(self) -> None:
        if self._saving:
            return
        problem = self._count()
        if problem:
            self.show_error(problem)
            return
        form = self.form
        if (
            form == ListForm(_tidy(self.initial.name), _tidy(self.initial.description))
            and self.initial.name
            and not self._new
        ):
            self.dismiss(None)  # nothing changed
            return
        self._saving = True

        def failed(message: str) -> None:
            self._saving = False
            self.show_error(message)

        def done() -> None:
            self.dismiss(form)

        self._save(form, done, failed)

    def action_cancel(self) -> None:
        self.dismiss(None)
