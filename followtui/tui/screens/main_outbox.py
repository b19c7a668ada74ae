"""The main screen's outbox: sending queued calls in the background, and the outbox view (``b``)."""

from __future__ import annotations

import webbrowser

from textual import work

from followtui.domain.models import OutboxEntry, OutboxState
from followtui.domain.text import one_line
from followtui.services.accounts import X
from followtui.services.outbox import OutboxReport
from followtui.tui.screens.dialogs import ConfirmScreen
from followtui.tui.screens.main_base import MainBase
from followtui.tui.screens.outbox import SHOWN, OutboxChoice, OutboxScreen


class OutboxMixin(MainBase):
    """``b`` shows the outbox; a timer sends what is due; each round says what changed (``Changed``)."""

    def action_outbox(self) -> None:
        entries = self.session.outbox.entries(SHOWN)
        self.app.push_screen(OutboxScreen(entries, self._describe, self.session.network_name), self._outbox_choice)

    def _outbox_choice(self, choice: OutboxChoice | None) -> None:
        if choice is None:
            return
        entry = self.session.outbox.entry(choice.entry_id)
        if entry is None:
            return
        if choice.action == "by_hand":
            self._follow_by_hand(entry)
            return

        def retried(_entry: OutboxEntry) -> None:
            self.notify(f"Trying again: {self._describe(entry)}")
            self.changed((), send=True)  # the status bar's counts

        self._submit(lambda: self.session.outbox.retry(entry.id), retried)

    def _follow_by_hand(self, refused: OutboxEntry) -> None:
        """X refused the follow through the API: the user follows on x.com, and says so here."""
        url = f"https://x.com/intent/follow?user_id={refused.account_id}"
        opened = "Opened" if webbrowser.open(url) else "No browser found here: open"
        who = self._handle(refused.account_id)
        self.app.push_screen(
            ConfirmScreen(
                f"Did you follow {who} on x.com?",
                f"X refused the follow through the API ({one_line(refused.error, 120)}). "
                f"{opened} {url}. Once you have followed there, press y: the next sync confirms it.",
                yes="I followed",
            ),
            lambda yes: (
                self._submit(lambda: self.session.outbox.mark_done_by_hand(refused.id), self._by_hand) if yes else None
            ),
        )

    def _by_hand(self, entry: OutboxEntry) -> None:
        self.notify("✓ Recorded: followed by hand on x.com; the next sync confirms it.")
        self.changed([entry.account_id])

    def _tick_outbox(self) -> None:
        self.process_outbox()

    @work(thread=True, exclusive=True, group="outbox", exit_on_error=False)
    def process_outbox(self) -> None:
        outbox = self.session.outbox
        requested = outbox.requested_ids()  # a sync confirms or drops them: looked at on every tick
        if requested != self.requested:
            self.app.call_from_thread(self._requested_changed, requested)
        if outbox.pending_count() == 0:
            return
        report = outbox.process_outbox()
        self.app.call_from_thread(self._after_outbox, report, outbox.requested_ids())

    def _requested_changed(self, requested: frozenset[str]) -> None:
        if requested != self.requested:
            self.requested = requested
            self.accounts.refresh_rows()

    def _after_outbox(self, report: OutboxReport, requested: frozenset[str]) -> None:
        self._requested_changed(requested)
        if report.message and report.message != self._outbox_message:
            self.notify(report.message, severity="warning", timeout=6)  # once, not on every retry round
        self._outbox_message = report.message
        for entry in report.guarded:
            self.notify(f"Not sent: {self._describe(entry)}: {one_line(entry.error, 120)}", severity="warning")
        for entry in report.failed:
            what = self._describe(entry)
            by_hand = entry.state is OutboxState.MANUAL and self.session.network == X
            hint = " Press o (or b, then o) to follow on x.com." if by_hand else ""
            network = self.session.network_name
            self.notify(
                f"{network} refused to {what}: {one_line(entry.error, 160)}.{hint}", severity="error", timeout=10
            )
        self.changed()
