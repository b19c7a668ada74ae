"""``followtui sync``: read your graph from X or Bluesky into the cache, with a progress bar and a summary.

A sync that stops (Ctrl-C, a crash, a network outage, a rate limit longer than a window) resumes where it
stopped the next time. ``--hydrate`` instead looks up the accounts known by ID only (after ``import-archive``),
saying first how many requests that takes and what it would cost, and asking. A sync says the same first and asks
when its estimate passes ``[x] confirm_above`` (or the size of the graph is not known yet); ``--yes`` does not ask.
Exit status: 0 done, 1 stopped with an error, 2 not confirmed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followtui.config import Config

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from followtui.backends.meter import RequestMeter
    from followtui.services.session import Session
    from followtui.services.sync import SyncProgress


PER_ACCOUNT = True
NOT_SIGNED_IN = "followtui: not signed in: run `followtui auth` (X) or `followtui auth bluesky` first (or try --demo)."


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser(
        "sync",
        parents=[common],
        help="read your followers, following, lists and recent posts from X or Bluesky into the cache (resumable)",
    )
    sync.add_argument("--restart", action="store_true", help="forget a stopped sync and start from the beginning")
    sync.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    sync.add_argument(
        "--hydrate",
        action="store_true",
        help="only look up the accounts known by ID only (from import-archive), 100 per request, after asking",
    )
    sync.add_argument("--yes", "-y", action="store_true", help="do not ask before spending (for scripts)")


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.session import open_account, utc_now
    from followtui.services.sync import JOURNAL_FILE, SyncCancelled, Syncer, SyncError
    from followtui.store import StoreError

    if args.account_ref is None:
        print(NOT_SIGNED_IN, file=sys.stderr)
        return 1
    try:
        session = open_account(data_dir, args.account_ref, demo=args.demo, config=config, demo_delay=0.0)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if session.notice:
            print(f"followtui: {session.notice}", file=sys.stderr)
            return 1
        if session.backend.name == "offline":
            print(NOT_SIGNED_IN, file=sys.stderr)
            return 1
        if args.hydrate:
            return _hydrate(session, yes=args.yes, quiet=args.quiet)
        if args.restart:
            (args.account_ref.dir / JOURNAL_FILE).unlink(missing_ok=True)
        estimate = session.sync_estimate()
        ask = estimate.needs_asking(session.money.confirm_above) and not args.yes
        if ask or not args.quiet:
            print(session.money.question(estimate, session.meter), file=sys.stderr)
        if ask and (refused := _refused("Sync now?", "to sync")) is not None:
            return refused
        with _Reporter(quiet=args.quiet) as reporter:
            syncer = Syncer(session.store, session.backend, utc_now, options=session.sync_options, progress=reporter)
            try:
                report = syncer.run()
            except SyncCancelled as error:
                reporter.stop()
                print(f"followtui: {error}", file=sys.stderr)
                return 130
            except SyncError as error:
                reporter.stop()
                print(f"followtui: sync stopped: {error}", file=sys.stderr)
                _print_meter(session.meter)
                return 1
            except KeyboardInterrupt:
                reporter.stop()
                print("followtui: interrupted; run `followtui sync` again to resume where it stopped.", file=sys.stderr)
                return 130
        print(f"Synced {report.summary()}.")
        _print_meter(session.meter)
        return 0
    finally:
        session.close()


def _hydrate(session: Session, *, yes: bool, quiet: bool) -> int:
    """Look up the accounts known by ID only, after saying what it costs and asking (``--yes`` skips that)."""
    from followtui.services.hydrate import PRICE, HydrateError, Hydrator

    hydrator = Hydrator(session.store, session.backend, session.clock, progress=_HydrateProgress(quiet=quiet))
    try:
        plan = hydrator.plan()
        if not plan.ids and not plan.done:
            print("Nothing to look up: every account in the cache has its profile.")
            return 0
        resumed = f" ({plan.done:,} already looked up by a run that stopped)" if plan.done else ""
        print(
            f"{len(plan.ids):,} accounts known by ID only{resumed}: {plan.requests:,} requests to GET /2/users, "
            f"estimated ${plan.cost:,.2f} under pay-per-use prices (${session.meter.prices.get(PRICE, 0.0):.3f} "
            "per account)."
        )
        if plan.ids and not yes and (refused := _refused("Look them up?", "to look them up")) is not None:
            return refused
        report = hydrator.run(plan)
    except HydrateError as error:
        print(f"followtui: {error}", file=sys.stderr)
        _print_meter(session.meter)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("\nfollowtui: interrupted; `followtui sync --hydrate` goes on where it stopped.", file=sys.stderr)
        return 130
    finally:
        hydrator.close()
    print(
        f"Looked up {report.looked_up:,} accounts; {report.suspended:,} suspended, {report.deleted:,} deleted "
        f"({report.requests:,} requests)."
        + (
            f" X would not show {report.hidden:,} (protected, or blocking you): asked again next time."
            if report.hidden
            else ""
        )
    )
    _print_meter(session.meter)
    return 0


def _refused(question: str, purpose: str) -> int | None:
    """Ask ``question`` on the terminal: None when the answer is yes, else the exit status (2)."""
    if not sys.stdin.isatty():
        print(f"followtui: not asking without a terminal; pass --yes {purpose}.", file=sys.stderr)
        return 2
    try:
        answer = input(f"{question} [y/N] ").strip().casefold()
    except EOFError:
        answer = ""
    if answer not in ("y", "yes"):
        print("Nothing spent.")
        return 2
    return None


class _HydrateProgress:
    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, done: int, total: int) -> None:
        if not self.quiet:
            print(f"Looking up: {done:,} of {total:,}", file=sys.stderr, flush=True)


def _print_meter(meter: RequestMeter) -> None:
    rows = meter.table()
    if not rows:
        return
    widths = [max(len(row[i]) for row in [*rows, _HEADER]) for i in range(len(_HEADER))]
    for row in [_HEADER, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())
    total = f"{meter.total_requests()} requests, estimated ${meter.total_cost():,.2f} under pay-per-use prices"
    print(total)


_HEADER = ("endpoint", "requests", "resources", "left", "est. cost")


class _Reporter:
    """Progress on stderr: a live bar on a terminal, one line per step otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty() and not quiet
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _Reporter:
        if self.live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __call__(self, progress: SyncProgress) -> None:
        if self.quiet:
            return
        if self._progress is None:
            print(progress.message, file=sys.stderr, flush=True)
            return
        if progress.phase in ("waiting", "start", "saving"):
            self._progress.console.print(progress.message)
            return
        task = self._tasks.get(progress.phase)
        if task is None:
            task = self._tasks[progress.phase] = self._progress.add_task(progress.phase.capitalize(), total=None)
        self._progress.update(
            task, completed=progress.done, total=progress.total, description=progress.message.split(":")[0]
        )
