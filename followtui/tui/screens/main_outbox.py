"""The main screen's outbox: sending queued calls in the background, the outbox view and the status bar."""

from __future__ import annotations

import webbrowser
from datetime import timedelta

from rich.text import Text
from textual import work

from followtui.domain.models import OutboxEntry, OutboxState
from followtui.domain.text import one_line
from followtui.services.outbox import OutboxReport
from followtui.tui import format as fmt
from followtui.tui.screens.dialogs import ConfirmScreen
from followtui.tui.screens.main_base import DEFAULT_ORDERS, MainBase
from followtui.tui.screens.outbox import SHOWN, OutboxChoice, OutboxScreen
from followtui.tui.widgets.panels import StatusBar

NEED_YOU = (OutboxState.FAILED, OutboxState.MANUAL)


class OutboxMixin(MainBase):
    """``b`` shows the outbox; a timer sends what is due; the status bar says what is owed."""

    def action_outbox(self) -> None:
        entries = self.session.store.outbox(SHOWN)
        self.app.push_screen(OutboxScreen(entries, self._describe, self.session.network_name), self._outbox_choice)

    def _outbox_choice(self, choice: OutboxChoice | None) -> None:
        if choice is None:
            return
        entry = self.session.store.outbox_entry(choice.entry_id)
        if entry is None:
            return
        if choice.action == "by_hand":
            self._follow_by_hand(entry)
            return

        def retried(_entry: OutboxEntry) -> None:
            self.notify(f"Trying again: {self._describe(entry)}")
            self._refresh_status()
            self.process_outbox()

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

    def _by_hand(self, entry: object) -> None:
        self.notify("✓ Recorded: followed by hand on x.com; the next sync confirms it.")
        self._refresh_status()
        self._show_detail()

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
            hint = " Press o (or b, then o) to follow on x.com." if entry.state is OutboxState.MANUAL else ""
            self.notify(f"X refused to {what}: {one_line(entry.error, 160)}.{hint}", severity="error", timeout=10)
        self._refresh_status()
        self._show_detail()

    def _refresh_status(self) -> None:
        outbox = self.session.outbox
        now = self.session.clock()
        sync = self.session.store.sync_info()
        text = Text()
        pending = outbox.pending_count()
        text.append(f" {pending} pending" if pending else " nothing pending", style="bold yellow" if pending else "")
        triaged = self.session.history.progress.count()
        if triaged is not None:
            text.append(f"  ·  triaged today: {triaged}")
        stuck = len(self.session.store.outbox(NEED_YOU))
        if stuck:
            text.append("  ·  ")
            text.append(f"{stuck} need you (b)", style="bold red")
        text.append("  ·  ")
        text.append(f"last sync {fmt.ago(sync.last_sync, now)}" if sync.last_sync else "never synced")
        waiting = outbox.rate_limited_until()
        if waiting is not None and waiting > now:
            text.append("  ·  ")
            when = waiting.astimezone()
            text.append(
                f"writes wait until {when:%Y-%m-%d %H:%M}"
                if waiting - now > timedelta(hours=20)
                else f"writes wait until {when:%H:%M}",
                style="bold red",
            )
        if self.sync_message:
            text.append("  ·  ")
            text.append(one_line(self.sync_message, 60), style="bold cyan")
        meter = self.session.meter
        if meter.total_requests():
            text.append("  ·  ")
            text.append(f"{self.session.network_name} {meter.compact(now)}", style="dim")
        if self.content_first:
            text.append("  ·  ")
            text.append("content first", style="green")
        if self.marked_count:
            text.append("  ·  ")
            text.append(f"{self.marked_count} marked", style="bold magenta")
        if self.filters[self.pane]:
            text.append("  ·  ")
            text.append(f"filter: {one_line(self.filters[self.pane], 30)}", style="cyan")
        if self.orders[self.pane] is not DEFAULT_ORDERS[self.pane]:
            text.append("  ·  ")
            text.append(f"sorted {self.orders[self.pane].value}", style="cyan")
        if self.last_keypress_ms is not None:
            text.append(f"  ·  saved in {self.last_keypress_ms:.0f} ms", style="dim")
        self.query_one(StatusBar).show_text(text)
