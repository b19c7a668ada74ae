"""The main screen's background sync: ``r`` says what it costs (asking above ``[x] confirm_above``), then runs it in
a thread; progress goes to the status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import work

from followtui.services.spend import SyncEstimate
from followtui.services.sync import SyncError, SyncProgress, SyncReport
from followtui.tui.screens.dialogs import ConfirmScreen
from followtui.tui.screens.main_base import MainBase
from followtui.tui.widgets.panels import PaneTabs

T = TypeVar("T")


class SyncMixin(MainBase):
    """``action_sync`` and the worker behind it; the sync stops at its next request when the screen goes."""

    @property
    def syncing(self) -> bool:
        return self.sync_message is not None

    def on_unmount(self) -> None:
        self._sync_cancel.set()  # a running sync stops at its next request; it resumes next time

    def action_sync(self) -> None:
        if self.syncing:
            self.notify("A sync is already running.")
            return
        self.sync_message = "sync: estimating what it costs"
        self.plan_sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def plan_sync(self) -> None:
        """What the sync would cost (the graph may need loading for it: off the UI thread)."""
        session = self.session
        estimate = session.sync_estimate()
        self._from_sync_thread(self._sync_planned, (estimate, session.money.question(estimate, session.meter)))

    def _sync_planned(self, planned: tuple[SyncEstimate, str]) -> None:
        estimate, question = planned
        if not estimate.needs_asking(self.session.money.confirm_above):
            self.notify(question, timeout=6)
            self._start_sync()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_sync()
                return
            self.sync_message = None
            self.notify("No sync: nothing spent.")

        self.app.push_screen(ConfirmScreen("Sync with X now?", question, yes="Sync"), answered)

    def _start_sync(self) -> None:
        self.sync_message = "sync: starting"
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def run_sync(self) -> None:
        session = self.session
        syncer = session.syncer(
            lambda progress: self._from_sync_thread(self._sync_progress, progress), self._sync_cancel
        )
        try:
            report = syncer.run()
        except SyncError as error:
            self._from_sync_thread(self._sync_failed, str(error))
            return
        except Exception as error:  # a bug, or the disk: say it, keep the app
            self._from_sync_thread(self._sync_failed, f"unexpected error: {error}")
            raise
        session.triage.reload()
        self._from_sync_thread(self._sync_done, report)

    def _from_sync_thread(self, callback: Callable[[T], None], value: T) -> None:
        if not self._sync_cancel.is_set():
            self.app.call_from_thread(callback, value)

    def _sync_progress(self, progress: SyncProgress) -> None:
        self.sync_message = f"sync: {progress.message}"
        self.changed(())  # no account changed yet; its requests count in the meter

    def _sync_failed(self, message: str) -> None:
        self.sync_message = None
        self.notify(f"Sync stopped: {message}", severity="error", timeout=12)
        self.changed(())

    def _sync_done(self, report: SyncReport) -> None:
        self.sync_message = None
        self.query_one(PaneTabs).set_who(self.session.who(), self.session.who(short=True))
        self.notify(f"✓ Synced {report.summary()}", timeout=8)
        self.changed(reload=True)
