"""Open everything the app needs (store, backend, the write services, triage) for a data directory or the demo."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followtui import paths
from followtui.backends.base import Backend
from followtui.backends.meter import RequestMeter
from followtui.backends.offline import OfflineBackend
from followtui.config import DEFAULTS, Config
from followtui.domain.models import FIRST_SYNC, OutboxEntry, OutboxState, SyncInfo, format_time, parse_time
from followtui.domain.text import one_line
from followtui.services import accounts
from followtui.services.accounts import AccountRef
from followtui.services.decisions import Decisions
from followtui.services.growth import Growth, follower_growth
from followtui.services.history import History
from followtui.services.lists import Lists
from followtui.services.notes import Notes
from followtui.services.outbox import OutboxSender, Pacing
from followtui.services.posts import POSTS_FILE, OnDemandPosts
from followtui.services.queue import OutboxQueue
from followtui.services.spend import SPEND_FILE, Money, SyncEstimate, estimate_sync, guarded
from followtui.services.sync import Syncer, SyncOptions, SyncProgress
from followtui.services.triage import Triage
from followtui.services.ui_state import UiState
from followtui.services.undo import UndoStack
from followtui.store import Store
from followtui.store import StoreError as StoreError  # what opening a session raises (re-exported for the UI)
from followtui.store.store import CACHE_FILES, STATE_FILE

if TYPE_CHECKING:
    from followtui.backends.bluesky.credentials import BlueskySession

Clock = Callable[[], datetime]

DEMO_GENERATED_AT = "demo_generated_at"
FREE_POSTS_PER_DAY = 1_000_000  # Bluesky: looking at accounts reads their posts without a daily budget
DEMO_HOSTILE = "demo_hostile"  # the demo graph was made with the tests' attack texts


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Session:
    """An open data directory with its backend; close it when done."""

    store: Store
    backend: Backend
    decisions: Decisions
    lists: Lists
    outbox: OutboxSender
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
    account: AccountRef | None = None  # None: a bare data dir (the tests), taken as X
    accounts: tuple[AccountRef, ...] = ()  # every account there is to switch to, this one included

    def close(self) -> None:
        self.store.close()

    @property
    def network(self) -> str:
        return self.account.network if self.account else accounts.X

    @property
    def network_name(self) -> str:
        """``X`` or ``Bluesky``."""
        return accounts.network_name(self.network)

    def who(self, *, short: bool = False) -> str:
        """The tab bar's ``X @ada`` or ``Bluesky @maria.bsky.social``, with ``demo ·`` before it in the demo
        (not when ``short``). Reads the store's ``me`` (cached in memory)."""
        me = self.store.me()
        handle = (me.username if me else "") or (self.account.handle if self.account else "")
        name = self.network_name
        return ("demo · " if self.demo and not short else "") + (f"{name} @{one_line(handle)}" if handle else name)

    def follower_growth(self) -> Growth:
        """Followers gained and lost per day since the first sync. Blocking: it loads the graph."""
        return follower_growth(self.store.relationships(), self.store.sync_info().first_sync, self.clock().date())

    def syncer(self, progress: Callable[[SyncProgress], None], cancel: threading.Event) -> Syncer:
        """A sync of this session's graph through its backend, with its options (run it in a worker)."""
        return Syncer(self.store, self.backend, self.clock, options=self.sync_options, progress=progress, cancel=cancel)

    def sync_estimate(self) -> SyncEstimate:
        """What ``r`` or ``followtui sync`` would cost, from what the cache knows (no request made). Blocking: it
        may load the graph."""
        if self.network == accounts.BLUESKY:
            return SyncEstimate(0, 0.0, free=True)
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
    account: AccountRef | None = None,
) -> Session:
    """Open the cache in ``data_dir``; with ``demo``, fill it with the demo graph first (again with ``reset``).

    The backend is the demo's, or X's when there are credentials (environment or ``followtui auth``), or else
    the offline one that keeps every action waiting; for a Bluesky ``account``, its saved session. Blocking (file I/O, and generating the demo graph): call it
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
        network = account.network if account is not None else accounts.X
        if backend is None and demo:
            backend = _demo_backend(store, clock, demo_delay, meter, hostile=demo_hostile, network=network)
        elif backend is None and account is not None and account.network == accounts.BLUESKY:
            backend, notice = _bluesky_backend(account, meter)
        elif backend is None:
            backend, notice = _x_backend(config, meter)
        free = account is not None and account.network == accounts.BLUESKY  # no money to guard, no daily cap
        backend, money = guarded(backend, data_dir, clock, 0.0 if free else config.budget_per_month)
        posts_per_day = FREE_POSTS_PER_DAY if free else config.posts_per_day
        money = replace(money, confirm_above=config.confirm_above, posts_per_day=posts_per_day)
        pacing = Pacing(  # the config's [bluesky] or [x] table
            follows_per_day=config.bluesky_follows_per_day if free else config.follows_per_day,
            writes_per_window=config.bluesky_writes_per_15min if free else config.writes_per_15min,
            list_writes_per_window=config.bluesky_list_writes_per_15min if free else config.list_writes_per_15min,
        )
        decisions, lists, outbox = write_services(
            store, backend, clock, snooze_days=config.snooze_days, pacing=pacing, network=network
        )
        options = SyncOptions(
            posts_accounts=config.bluesky_posts_accounts if free else config.posts_accounts,
            posts_per_account=config.posts_per_account,
            mentions=config.mentions,
        )
        triage = Triage(store, clock, config.rules)
        posts = OnDemandPosts(data_dir, backend, clock, per_day=posts_per_day, per_account=config.posts_per_account)
        posts.load(store.mentions())
        triage.more_posts = posts.posts
        notes = Notes(store, clock)
        history = History(store, clock)
        undo = UndoStack(store, decisions, lists, clock, history.progress)
        session = Session(
            store,
            backend,
            decisions,
            lists,
            outbox,
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
            account=account,
        )
        session.ui_state = UiState.load(data_dir)
        return session
    except BaseException:
        store.close()
        raise


def write_services(
    store: Store,
    backend: Backend,
    clock: Clock,
    *,
    snooze_days: float = DEFAULTS.snooze_days,
    pacing: Pacing | None = None,
    network: str = accounts.X,
) -> tuple[Decisions, Lists, OutboxSender]:
    """The three services that write: decisions, lists and the outbox sender, over one queue. The lists own
    the map of local list IDs to the network's; the sender reaches it through ``Lists.adopt``."""
    queue = OutboxQueue(store)
    lists = Lists(store, queue, clock, network)
    decisions = Decisions(store, queue, clock, snooze_days)
    return decisions, lists, OutboxSender(store, queue, backend, clock, adopt=lists.adopt, pacing=pacing)


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


def open_named(base: Path, name: str | None = None, *, demo: bool = False, **options: Any) -> Session:
    """Open the account ``name`` (else the one opened last) under the data dir ``base``; ``options`` go to
    ``open_session``. Raises AccountError when there is no such account. Blocking (the app calls it in a worker)."""
    account = accounts.resolve(base, name, demo=demo)
    if account is None:
        raise accounts.AccountError("no account yet: sign in with `followtui auth` or `followtui auth bluesky`")
    return open_account(base, account, demo=demo, **options)


def open_account(base: Path, account: AccountRef, *, demo: bool = False, **options: Any) -> Session:
    """``open_session`` on the account's directory under the data dir ``base``. The account's ID and handle are
    then updated from the cache's ``me``, it is remembered as the account opened last, and ``session.accounts``
    lists every account to switch to. Blocking."""
    session = open_session(account.dir, account=account, demo=demo, **options)
    try:
        me = session.store.me()
        if me is not None and (me.username, me.id) != (account.handle, account.id or me.id):
            session.account = replace(account, id=account.id or me.id, handle=me.username or account.handle)
        current = session.account or account
        accounts.remember(base, current)
        known = accounts.list_accounts(base, demo=demo)
        session.accounts = tuple(current if ref.dir == current.dir else ref for ref in known)
    except BaseException:
        session.close()
        raise
    return session


@dataclass(frozen=True, slots=True)
class AccountOpener:
    """What the app calls to open its session: one account under the data dir ``base``, and the same options
    for any account it switches to (``to``)."""

    base: Path
    account: AccountRef
    demo: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    opened: frozenset[Path] = frozenset()  # the accounts opened before in this run (``reset`` spares them)

    def __call__(self) -> Session:
        return open_account(self.base, self.account, demo=self.demo, **self.options)

    def to(self, account: AccountRef) -> AccountOpener:
        """The opener of another account: the demo's ``--reset`` resets each account once, on its first open."""
        opened = self.opened | {self.account.dir}
        options = {k: v for k, v in self.options.items() if k != "reset" or account.dir not in opened}
        return replace(self, account=account, options=options, opened=opened)


def _bluesky_backend(account: AccountRef, meter: RequestMeter) -> tuple[Backend, str | None]:
    """The Bluesky backend on the account's saved session; else the offline one, with the reason."""
    from followtui.backends.bluesky.backend import BlueskyBackend
    from followtui.backends.bluesky.credentials import credentials_file, load_sessions, save_session
    from followtui.backends.x.credentials import CredentialsError

    path = credentials_file()
    try:
        saved = load_sessions(path).get(account.id)
    except CredentialsError as error:
        offline = OfflineBackend(meter, network_name=accounts.network_name(accounts.BLUESKY))
        return offline, f"{error}. Actions wait until this is fixed."
    if saved is None:
        advice = (
            f"run `followtui auth bluesky --handle {account.handle}`"
            if account.handle
            else "run `followtui auth bluesky`"
        )
        notice = f"Not signed in to Bluesky as this account: {advice}. Actions wait until then."
        return OfflineBackend(meter, network_name=accounts.network_name(accounts.BLUESKY)), notice

    def keep(fresh: BlueskySession) -> None:  # a refreshed session replaces the saved one (mode 0600)
        save_session(fresh, path)

    return BlueskyBackend.connect(saved, on_session=keep, meter=meter), None


def has_cache(data_dir: Path) -> bool:
    """Whether ``data_dir`` already holds a cache (a cheap check for the welcome screen)."""
    return (data_dir / STATE_FILE).exists()


def _demo_backend(
    store: Store, clock: Clock, delay: float, meter: RequestMeter, *, hostile: bool, network: str = accounts.X
) -> Backend:
    from followtui.backends.demo import DemoBackend
    from followtui.demo import demo_graph

    extra = store.sync_info().extra
    generated_at = parse_time(str(extra.get(DEMO_GENERATED_AT) or ""))
    if store.graph_empty() or generated_at is None:
        generated_at = clock()
        graph = demo_graph(network, generated_at, hostile=hostile)
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
        graph = demo_graph(network, generated_at, hostile=bool(extra.get(DEMO_HOSTILE)))  # as the cache was made
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
