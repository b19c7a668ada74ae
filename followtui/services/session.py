"""Open everything the app needs (store, backend, actions, triage) for a data directory or the demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from followtui.backends.base import Backend
from followtui.backends.offline import OfflineBackend
from followtui.domain.models import SyncInfo, format_time, parse_time
from followtui.services.actions import Actions
from followtui.services.triage import Triage
from followtui.store import Store

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
    demo: bool = False

    def close(self) -> None:
        self.store.close()


def open_session(
    data_dir: Path,
    *,
    demo: bool = False,
    reset: bool = False,
    clock: Clock = utc_now,
    snooze_days: float = 3.0,
    demo_delay: float = 0.15,
) -> Session:
    """Open the cache in ``data_dir``; with ``demo``, fill it with the demo graph first (again with ``reset``).

    Blocking (file I/O, and generating the demo graph): call it from a worker thread.
    """
    if demo and reset:
        _remove_cache(data_dir)
    store = Store.open(data_dir)
    try:
        backend: Backend = _demo_backend(store, clock, demo_delay) if demo else OfflineBackend()
        actions = Actions(store, backend, clock, snooze_days=snooze_days)
        return Session(store, backend, actions, Triage(store, clock), clock, demo=demo)
    except BaseException:
        store.close()
        raise


def has_cache(data_dir: Path) -> bool:
    """Whether ``data_dir`` already holds a cache (a cheap check for the welcome screen)."""
    return (data_dir / "graph.json").exists()


def _demo_backend(store: Store, clock: Clock, delay: float) -> Backend:
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
                extra={DEMO_GENERATED_AT: format_time(generated_at)},
            ),
        )
    else:
        graph = generate(generated_at)
    return DemoBackend(graph, delay=delay)


def _remove_cache(data_dir: Path) -> None:
    """Delete the demo cache files (the lock is taken first, so a running demo is never pulled away)."""
    Store.open(data_dir).close()  # raises StoreLocked while another demo runs
    for name in ("graph.json", "state.json"):
        (data_dir / name).unlink(missing_ok=True)
