"""Open everything the app needs (store, backend, actions, triage) for a data directory or the demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from followtui import paths
from followtui.backends.base import Backend
from followtui.backends.meter import RequestMeter
from followtui.backends.offline import OfflineBackend
from followtui.config import Config
from followtui.domain.models import FIRST_SYNC, SyncInfo, format_time, parse_time
from followtui.services.actions import Actions, Pacing
from followtui.services.history import History
from followtui.services.notes import Notes
from followtui.services.sync import SyncOptions
from followtui.services.triage import Triage
from followtui.services.undo import UndoStack
from followtui.store import Store
from followtui.store.store import CACHE_FILES, STATE_FILE

Clock = Callable[[], datetime]

DEMO_GENERATED_AT = "demo_generated_at"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Session:
    """An open data directory with its backend; close it when done."""

    store: Store
    backend: Backend
    actions: Actions
    triage: Triage
    clock: Clock
    meter: RequestMeter
    sync_options: SyncOptions
    notes: Notes
    history: History
    undo: UndoStack
    demo: bool = False
    notice: str | None = None  # said once when the app opens (e.g. unreadable credentials)

    def close(self) -> None:
        self.store.close()


def open_session(
    data_dir: Path,
    *,
    demo: bool = False,
    reset: bool = False,
    clock: Clock = utc_now,
    config: Config | None = None,
    demo_delay: float = 0.15,
    backend: Backend | None = None,
) -> Session:
    """Open the cache in ``data_dir``; with ``demo``, fill it with the demo graph first (again with ``reset``).

    The backend is the demo's, or X's when there are credentials (environment or ``followtui auth``), or else
    the offline one that keeps every action waiting. Blocking (file I/O, and generating the demo graph): call it
    from a worker thread.
    """
    config = config or Config()
    if demo and reset:
        _remove_cache(data_dir)
    store = Store.open(data_dir)
    try:
        meter = backend.meter if backend else RequestMeter(prices=config.prices, owned_app=config.owned_app)
        notice = None
        if backend is None and demo:
            backend = _demo_backend(store, clock, demo_delay, meter)
        elif backend is None:
            backend, notice = _x_backend(config, meter)
        pacing = Pacing(
            follows_per_day=config.follows_per_day,
            writes_per_window=config.writes_per_15min,
            list_writes_per_window=config.list_writes_per_15min,
        )
        actions = Actions(store, backend, clock, snooze_days=config.snooze_days, pacing=pacing)
        options = SyncOptions(
            posts_accounts=config.posts_accounts, posts_per_account=config.posts_per_account, mentions=config.mentions
        )
        triage = Triage(store, clock, config.rules)
        notes = Notes(store, clock)
        history = History(store, clock)
        undo = UndoStack(store, actions, clock, history.progress)
        return Session(
            store, backend, actions, triage, clock, meter, options, notes, history, undo, demo=demo, notice=notice
        )
    except BaseException:
        store.close()
        raise


def _x_backend(config: Config, meter: RequestMeter) -> tuple[Backend, str | None]:
    """X's backend when there are credentials; else the offline one, with the reason when it is an error."""
    from followtui.backends.x.connect import x_backend
    from followtui.backends.x.credentials import CredentialsError, load_credentials

    path = paths.credentials_file()
    try:
        creds = load_credentials(path)
        if creds is None:
            return OfflineBackend(meter), None
        return x_backend(creds, path=path, timeout=config.timeout, meter=meter), None
    except (CredentialsError, ValueError) as error:
        return OfflineBackend(meter), f"{error}. Actions wait until this is fixed (`followtui auth`)."


def has_cache(data_dir: Path) -> bool:
    """Whether ``data_dir`` already holds a cache (a cheap check for the welcome screen)."""
    return (data_dir / STATE_FILE).exists()


def _demo_backend(store: Store, clock: Clock, delay: float, meter: RequestMeter) -> Backend:
    from followtui.backends.demo import DemoBackend
    from followtui.demo.generator import generate

    generated_at = parse_time(str(store.sync_info().extra.get(DEMO_GENERATED_AT) or ""))
    if store.graph_empty() or generated_at is None:
        generated_at = clock()
        graph = generate(generated_at)
        store.replace_graph(
            me=graph.me,
            accounts=graph.accounts,
            relationships=graph.relationships,
            mentions=graph.mentions,
            my_posts=graph.my_posts,
            lists=graph.lists,
            sync=SyncInfo(
                last_sync=graph.last_sync,
                previous_sync=graph.previous_sync,
                source="demo",
                extra={DEMO_GENERATED_AT: format_time(generated_at), FIRST_SYNC: format_time(graph.previous_sync)},
            ),
        )
    else:
        graph = generate(generated_at)
    return DemoBackend(graph, delay=delay, meter=meter)


def _remove_cache(data_dir: Path) -> None:
    """Delete the demo cache files (the lock is taken first, so a running demo is never pulled away)."""
    Store.open(data_dir).close()  # raises StoreLocked while another demo runs
    for name in CACHE_FILES:
        (data_dir / name).unlink(missing_ok=True)
