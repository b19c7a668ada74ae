"""Open everything the app needs (store, backend, actions, triage) for a data directory or the demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from followtui import paths
from followtui.backends.base import Backend
from followtui.backends.meter import RequestMeter
from followtui.backends.offline import OfflineBackend
from followtui.config import Config
from followtui.domain.models import FIRST_SYNC, OutboxEntry, OutboxState, SyncInfo, format_time, parse_time
from followtui.services.actions import Actions, Pacing
from followtui.services.history import History
from followtui.services.notes import Notes
from followtui.services.posts import POSTS_FILE, OnDemandPosts
from followtui.services.spend import SPEND_FILE, Money, SyncEstimate, estimate_sync, guarded
from followtui.services.sync import SyncOptions
from followtui.services.triage import Triage
from followtui.services.ui_state import UiState
from followtui.services.undo import UndoStack
from followtui.store import Store
from followtui.store.store import CACHE_FILES, STATE_FILE

Clock = Callable[[], datetime]

DEMO_GENERATED_AT = "demo_generated_at"
DEMO_HOSTILE = "demo_hostile"  # the demo graph was made with the tests' attack texts


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
    money: Money = field(default_factory=Money)
    posts: OnDemandPosts | None = None  # recent posts read when an account is looked at
    ui_state: UiState = field(default_factory=UiState)  # remembered UI settings (content first)

    def close(self) -> None:
        self.store.close()

    def sync_estimate(self) -> SyncEstimate:
        """What ``r`` or ``followtui sync`` would cost, from what the cache knows (no request made). Blocking: it
        may load the graph."""
        options = self.sync_options
        store = self.store
        me = store.me()
        followers = following = None
        if me is not None:  # the counts X said last, or those of the cache (an import, the demo)
            followers = max(me.followers_count, len(store.follower_ids()))
            following = max(me.following_count, len(store.following_ids()))
        return estimate_sync(
            followers,
            following,
            store.lists(),
            prices=self.meter.prices,
            owned_app=self.meter.owned_app,
            posts_accounts=options.posts_accounts,
            posts_per_account=options.posts_per_account,
            mentions=options.mentions,
            my_posts=options.my_posts,
        )


def open_session(
    data_dir: Path,
    *,
    demo: bool = False,
    reset: bool = False,
    clock: Clock = utc_now,
    config: Config | None = None,
    demo_delay: float = 0.15,
    backend: Backend | None = None,
    demo_hostile: bool = False,
) -> Session:
    """Open the cache in ``data_dir``; with ``demo``, fill it with the demo graph first (again with ``reset``).

    The backend is the demo's, or X's when there are credentials (environment or ``followtui auth``), or else
    the offline one that keeps every action waiting. Blocking (file I/O, and generating the demo graph): call it
    from a worker thread. ``demo_hostile``: a new demo graph carries the tests' attack texts (see ``generate``).
    """
    config = config or Config()
    if demo and reset:
        _remove_cache(data_dir)
    store = Store.open(data_dir)
    try:
        store.archive_outbox(clock())  # finished calls no longer needed move to the history file
        meter = backend.meter if backend else RequestMeter(prices=config.prices, owned_app=config.owned_app)
        notice = None
        if backend is None and demo:
            backend = _demo_backend(store, clock, demo_delay, meter, hostile=demo_hostile)
        elif backend is None:
            backend, notice = _x_backend(config, meter)
        backend, money = guarded(backend, data_dir, clock, config.budget_per_month)
        money = replace(money, confirm_above=config.confirm_above, posts_per_day=config.posts_per_day)
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
        posts = OnDemandPosts(
            data_dir, backend, clock, per_day=config.posts_per_day, per_account=config.posts_per_account
        )
        posts.load(store.mentions())
        triage.more_posts = posts.posts
        notes = Notes(store, clock)
        history = History(store, clock)
        undo = UndoStack(store, actions, clock, history.progress)
        session = Session(
            store,
            backend,
            actions,
            triage,
            clock,
            meter,
            options,
            notes,
            history,
            undo,
            demo=demo,
            notice=notice,
            money=money,
            posts=posts,
        )
        session.ui_state = UiState.load(data_dir)
        return session
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


def _demo_backend(store: Store, clock: Clock, delay: float, meter: RequestMeter, *, hostile: bool) -> Backend:
    from followtui.backends.demo import DemoBackend
    from followtui.demo.generator import generate

    extra = store.sync_info().extra
    generated_at = parse_time(str(extra.get(DEMO_GENERATED_AT) or ""))
    if store.graph_empty() or generated_at is None:
        generated_at = clock()
        graph = generate(generated_at, hostile=hostile)
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
                extra={
                    DEMO_GENERATED_AT: format_time(generated_at),
                    DEMO_HOSTILE: hostile,
                    FIRST_SYNC: format_time(graph.previous_sync),
                },
            ),
        )
    else:
        graph = generate(generated_at, hostile=bool(extra.get(DEMO_HOSTILE)))  # as the cache was made
    backend = DemoBackend(graph, delay=delay, meter=meter)
    backend.replay(sent_calls(store), {info.id: info for info in store.lists()})
    return backend


def sent_calls(store: Store) -> list[OutboxEntry]:
    """The calls X has seen (done, or done by hand on x.com), in the order they were made: the outbox's and
    those already moved to its history file (the demo's X must remember a list made weeks ago)."""
    seen = (OutboxState.DONE, OutboxState.BY_HAND)
    kept = store.outbox(seen)
    ids = {entry.id for entry in kept}
    sent = kept + [e for e in store.outbox_history() if e.state in seen and e.id not in ids]
    return sorted(sent, key=lambda e: e.attempted_at or e.created_at)  # stable: creation order breaks ties


def _remove_cache(data_dir: Path) -> None:
    """Delete the demo cache files (the lock is taken first, so a running demo is never pulled away)."""
    Store.open(data_dir).close()  # raises StoreLocked while another demo runs
    for name in (*CACHE_FILES, POSTS_FILE, SPEND_FILE):
        (data_dir / name).unlink(missing_ok=True)
