"""The Textual application: opens the session in a worker, then shows the triage screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from followtui import __version__, gcpolicy
from followtui.config import Config, ConfigError
from followtui.tui.screens.welcome import WELCOME_BODY, WELCOME_TITLE, LoadingScreen, MessageScreen
from followtui.tui.writer import SerialWriter

# The services, the store and the triage screens take longer to import than Textual itself, and the first frame
# (the loading screen) needs none of them: ``open_session`` imports them in its worker, the rest on first use.
if TYPE_CHECKING:
    from followtui.services.accounts import AccountRef
    from followtui.services.session import Session

SessionOpener = Callable[[], "Session"]
# The main screen's workers that use the session: an account switch waits for them (never drops a paid answer).
SESSION_WORKERS = frozenset({"load", "outbox", "posts", "sync"})
LIST_KEYS = frozenset({"list_new", "list_publish", "list_edit", "list_delete", "list_remove", "matrix", "suggestions"})


class FollowApp(App[None]):
    """followtui: triage your followers from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "followtui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding(
            "a",
            "switch_account",
            "Account",
            tooltip="Switch to another account or network (shown when there is more than one)",
            id="switch_account",
        ),
        Binding("question_mark", "help", "Help", tooltip="Every key, and what it does", id="help"),
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)", id="quit"),
    ]

    def __init__(
        self, opener: SessionOpener | None, config: Config | None = None, *, write_executor: Executor | None = None
    ) -> None:
        super().__init__()
        self.opener = opener
        self.config = config or Config()
        self.session: Session | None = None
        self.writer = SerialWriter(self, write_executor)
        self._switch_to: AccountRef | None = None  # an account switch waiting for the session's workers
        self._back_to: AccountRef | None = None  # while a switch opens the other account: the one it left

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.set_keymap(self.config.keys)
        self.push_screen(MessageScreen(WELCOME_TITLE, WELCOME_BODY) if self.opener is None else LoadingScreen())
        # after the first frame: the opener's imports and file reads would hold the GIL while it is painted
        self.call_after_refresh(self.open_session)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_session(self) -> Session | None:
        """Check the keymap and the theme (a bad one ends the app at once, like a bad value), then open the cache."""
        from followtui.tui.keymap import check_config  # imports every screen: off the UI thread

        check_config(self.config)
        return self.opener() if self.opener is not None else None

    # -- switching accounts --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_account":
            from followtui.tui.screens.main import MainScreen

            session = self.session
            if session is None or len(session.accounts) < 2 or not hasattr(self.opener, "to"):
                return False  # hidden: there is nothing to switch to
            return isinstance(self.screen, MainScreen)
        return True

    def action_switch_account(self) -> None:
        from followtui.tui.screens.accounts import AccountPickerScreen
        from followtui.tui.screens.main import MainScreen

        session, screen = self.session, self.screen
        if session is None or not isinstance(screen, MainScreen):
            return
        if screen.syncing:
            self.notify("A sync is running: switch accounts when it has finished.", severity="warning")
            return
        self.push_screen(AccountPickerScreen(session.accounts, session.account), self.switch_account)

    def switch_account(self, account: AccountRef | None) -> None:
        """Close this account's session and open ``account``'s, once the requests in flight have finished."""
        if account is None or self.session is None:
            return
        self._switch_to = account
        if self._workers_busy():  # a sync page or posts in flight: seconds, not a write's milliseconds
            self.notify(f"Opening {account.label} once the requests in flight have finished.")
        self._switch_when_idle()

    def _session_busy(self) -> bool:
        """A write or a worker still uses the session (its callback would then meet a closed store)."""
        return not self.writer.idle or self._workers_busy()

    def _workers_busy(self) -> bool:
        return any(w.group in SESSION_WORKERS and not w.is_finished for w in self.workers)

    def _switch_when_idle(self) -> None:
        account, old = self._switch_to, self.session
        if account is None or old is None or self._session_busy():
            return
        self._switch_to, self.session, self._back_to = None, None, old.account
        self.run_worker(self._leave(old, account), group="switch", exit_on_error=False)

    async def _leave(self, old: Session, account: AccountRef) -> None:
        """Remove the main screen (its timers and key checks read the store), then close the session."""
        await self.switch_screen(LoadingScreen())
        self.reopen(old, account)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def reopen(self, old: Session, account: AccountRef) -> Session:
        """Close the old account's session, open the other one's."""
        old.close()
        return self._open_as(account)()

    def _open_as(self, account: AccountRef) -> SessionOpener:
        """Point the opener at ``account``; the new opener."""
        switchable = self.opener
        assert switchable is not None and hasattr(switchable, "to")
        opener: SessionOpener = switchable.to(account)  # an AccountOpener: ``to`` gives another account's
        self.opener = opener
        return opener

    def _go_back(self, account: AccountRef) -> None:
        """Open ``account`` again: a switch away from it could not open the other account."""
        self._open_as(account)
        self.switch_screen(LoadingScreen())
        self.open_session()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become messages for the user."""
        from followtui.services.session import Session
        from followtui.tui.screens.main import MainScreen

        worker = event.worker
        if self._switch_to is not None and worker.is_finished:
            self._switch_when_idle()
        if worker.group == "open" and event.state is WorkerState.SUCCESS and worker.result is not None:
            session = worker.result
            assert isinstance(session, Session)
            self.session, self._back_to = session, None
            remembered = session.ui_state.content_first  # the last `c` wins over the config's default
            content_first = self.config.content_first if remembered is None else remembered
            self.switch_screen(MainScreen(session, self.writer, content_first=content_first))
        elif event.state is WorkerState.ERROR and worker.error is not None:
            error = worker.error
            if isinstance(error, ConfigError):
                self.exit(return_code=2, message=f"followtui: {error}")
            elif worker.group == "open":
                back, self._back_to = self._back_to, None  # a switch failed: escape opens the account it left
                title = "followtui cannot open its cache"
                if back is None:
                    self.switch_screen(MessageScreen(title, _explain(error), error=True))
                else:
                    leave = f"Press escape to go back to {back.label}, q to quit."
                    screen = MessageScreen(title, _explain(error, leave), error=True, back=lambda: self._go_back(back))
                    self.switch_screen(screen)
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")

    def on_serial_writer_finished(self, message: SerialWriter.Finished) -> None:
        """A store write finished on the writer thread: run its callback here, on the UI thread."""
        self.writer.deliver(message)
        if self._switch_to is not None:
            self._switch_when_idle()

    def on_unmount(self) -> None:
        self.writer.close()
        if self.session is not None:
            self.session.close()
        gcpolicy.unfreeze()  # the main screen froze the loaded session (see load_everything): the collector may have it back

    def action_help(self) -> None:
        from followtui.tui.screens.dialogs import TextScreen

        if isinstance(self.screen, TextScreen):
            return
        self.push_screen(TextScreen(self.help_text(), page_id="help"))

    def help_text(self) -> Text:
        from followtui.tui.screens.dialogs import ListPickerScreen
        from followtui.tui.screens.main import MainScreen
        from followtui.tui.screens.matrix import MatrixScreen
        from followtui.tui.widgets.account_list import AccountList
        from followtui.tui.widgets.matrix_grid import MatrixGrid

        keymap = self.config.keys  # what on_mount handed to set_keymap
        text = Text()
        text.append(f"followtui {__version__} — keys\n\n", style="bold")
        sections = [
            ("Moving", _bindings(AccountList.BINDINGS)),
            ("Deciding", [b for b in _bindings(MainScreen.BINDINGS) if b.id not in LIST_KEYS]),
            ("App", _bindings(self.BINDINGS)),
            ("Lists", [b for b in _bindings(MainScreen.BINDINGS) if b.id in LIST_KEYS]),
            ("List picker (l)", [b for b in _bindings(ListPickerScreen.BINDINGS) if b.id]),
            ("Lists matrix (m)", _bindings([*MatrixGrid.BINDINGS, *MatrixScreen.BINDINGS])),
        ]
        for title, bindings in sections:
            text.append(f"{title}\n", style="bold underline")
            for binding in bindings:
                keys = keymap.get(binding.id or "", binding.key)
                shown = ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
                text.append(f"  {shown:<18}", style="bold cyan")
                text.append(f"{binding.tooltip or binding.description}")
                text.append(f"   [{binding.id}]\n", style="dim")
            text.append("\n")
        text.append("  ctrl+p            ", style="bold cyan")
        text.append("Command palette: every action by name\n\n")
        text.append("Remap any key by its [id] in the config file's [keys] table: ", style="dim")
        text.append(str(self.config.path or "config.toml"), style="dim")
        text.append("\nEscape or q closes this page.", style="dim")
        return text

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from followtui.tui.screens.main import MainScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in _bindings(MainScreen.BINDINGS):
                if binding.id in ("back", "next_pane", "previous_pane"):
                    continue
                action = binding.action

                def run(action: str = action) -> None:
                    self.call_later(screen.run_action, action)

                yield SystemCommand(binding.tooltip or binding.description, f"key: {binding.key}", run)


def _bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


def _explain(error: BaseException, leave: str = "Press q to quit.") -> str:
    from followtui.services.session import StoreError  # lazily: see the imports above

    what = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"  # StoreLocked…
    return f"{what}\n\nNothing was changed. {leave}"
