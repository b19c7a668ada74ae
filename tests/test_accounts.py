"""One cache per account: finding the accounts, naming one, moving an old cache, and switching in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from followtui.backends.meter import RequestMeter
from followtui.backends.offline import OfflineBackend
from followtui.cli import main
from followtui.config import Config
from followtui.demo import BSKY_ME, DEMO_ME
from followtui.domain.models import DecisionKind
from followtui.services import accounts
from followtui.services.accounts import (
    BLUESKY,
    AccountError,
    AccountRef,
    X,
    account_dir,
    adopt_legacy_cache,
    choose,
    known_accounts,
    remember,
)
from followtui.services.session import FREE_POSTS_PER_DAY, open_account, open_session
from followtui.store import Store
from followtui.store.lock import DirLock
from followtui.tui.screens.accounts import AccountPickerScreen
from followtui.tui.screens.dialogs import TextScreen
from followtui.tui.screens.welcome import MessageScreen
from tests.factories import sample_graph
from tests.harness import demo_accounts_app
from tests.tui_helpers import SIZE, main_screen, ready, screen_text, wait_until

DID = "did:plc:abcdefghijklmnopqrstuvwx"


@pytest.fixture(autouse=True)
def no_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No X or Bluesky credentials but what a test writes (the config dir holds both files)."""
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("FOLLOWTUI_X_OAUTH2_TOKEN", "FOLLOWTUI_X_CONSUMER_KEY"):
        monkeypatch.delenv(name, raising=False)


def legacy_cache(base: Path) -> set[str]:
    """A cache from before accounts, its files directly in ``base`` (me: ID 1, @me); the names of its files."""
    with Store.open(base, fsync=False) as store:
        store.replace_graph(**sample_graph())
    session = open_session(base, backend=OfflineBackend(RequestMeter()))
    session.decisions.decide("1002", DecisionKind.SKIP)
    session.close()
    return {p.name for p in base.iterdir() if p.name != "followtui.lock"}


def test_an_account_is_named_by_handle_id_or_network_and_handle(tmp_path: Path) -> None:
    x = AccountRef(X, "42", "maria", account_dir(tmp_path, X, "42"))
    sky = AccountRef(BLUESKY, DID, "maria.bsky.social", account_dir(tmp_path, BLUESKY, DID))
    assert sky.dir == tmp_path / "bluesky" / "did_plc_abcdefghijklmnopqrstuvwx"  # no colons in a file name
    both = [x, sky]
    assert choose(both, "@maria") is x and choose(both, "42") is x and choose(both, "x:maria") is x
    assert choose(both, "maria.bsky.social") is sky and choose(both, DID) is sky
    assert choose(both, "bluesky:@Maria.bsky.social") is sky
    assert choose(both, None, last=sky.key) is sky and choose(both, None) is x  # the last used, else X first
    with pytest.raises(AccountError, match="is not an account followtui knows; the accounts: x:maria, bluesky:"):
        choose(both, "nobody")
    assert choose([], None) is None


def test_accounts_come_from_the_sign_ins_and_the_caches_on_disk(tmp_path: Path) -> None:
    cached = AccountRef(BLUESKY, "did:plc:other", "old.bsky.social", account_dir(tmp_path, BLUESKY, "did:plc:other"))
    remember(tmp_path, cached)
    found = known_accounts(tmp_path, x_id="42", x_handle="ada", bluesky=[(DID, "maria.bsky.social")])
    assert [(ref.network, ref.id, ref.handle) for ref in found] == [
        (X, "42", "ada"),
        (BLUESKY, DID, "maria.bsky.social"),
        (BLUESKY, "did:plc:other", "old.bsky.social"),  # signed out, but its cache is there
    ]
    assert known_accounts(tmp_path, x_id=None) == [cached]  # not signed in to X: no X account


def test_an_old_cache_moves_whole_and_a_stopped_move_is_finished(tmp_path: Path) -> None:
    base, target = tmp_path / "data", tmp_path / "data" / "x" / "1"
    base.mkdir()
    names = legacy_cache(base)
    assert "state.json" in names and "graph.jsonl" in names
    (target).mkdir(parents=True)
    (base / "graph.jsonl").replace(target / "graph.jsonl")  # a kill after the first rename
    moved = adopt_legacy_cache(base, target)
    assert moved[-1] == "state.json"  # the marker of the old cache moves last
    assert {p.name for p in target.iterdir()} == names
    assert not (base / "state.json").exists()
    with Store.open(target) as store:
        me = store.me()
        assert me is not None and me.id == "1" and store.decision("1002") is not None


def test_an_old_cache_is_never_moved_over_a_file(tmp_path: Path) -> None:
    base, target = tmp_path / "data", tmp_path / "data" / "x" / "1"
    base.mkdir()
    legacy_cache(base)
    target.mkdir(parents=True)
    (target / "state.json").write_text("{}")
    with pytest.raises(AccountError, match=r"state\.json is there already; nothing lost"):
        adopt_legacy_cache(base, target)
    assert (base / "state.json").exists() and (target / "state.json").read_text() == "{}"


def test_the_first_command_moves_an_old_cache_into_its_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "data"
    base.mkdir()
    names = legacy_cache(base)
    assert main(["export", "decisions", "--data-dir", str(base), "--format", "json"]) == 0
    assert '"1002"' in capsys.readouterr().out  # the decision made before the move is there
    cache = account_dir(base, X, "1")
    assert names <= {p.name for p in cache.iterdir()}
    assert not (base / "state.json").exists() and not (base / "graph.jsonl").exists()
    assert accounts.read_last(base) == "x:me"
    assert main(["export", "decisions", "--data-dir", str(base), "--account", "nobody"]) == 2
    assert "'nobody' is not an account followtui knows; the accounts: x:me" in capsys.readouterr().err


def test_a_bluesky_account_reads_for_free_and_waits_offline_until_signed_in(tmp_path: Path) -> None:
    ref = AccountRef(BLUESKY, DID, "maria.bsky.social", account_dir(tmp_path, BLUESKY, DID))
    session = open_account(tmp_path, ref, config=Config(budget_per_month=5.0))
    try:
        assert isinstance(session.backend, OfflineBackend)
        assert session.notice is not None and "followtui auth bluesky --handle maria.bsky.social" in session.notice
        estimate = session.sync_estimate()
        assert estimate.free and estimate.cost == 0
        assert session.money.budget_per_month == 0 and session.money.posts_per_day == FREE_POSTS_PER_DAY
        assert session.who() == "Bluesky @maria.bsky.social" and session.accounts == (ref,)
    finally:
        session.close()


async def test_a_switches_to_the_demo_bluesky_account_and_back_keeping_each_decision(tmp_path: Path) -> None:
    app = demo_accounts_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert "demo · X @ada_demo" in screen_text(app) and "a Account" in screen_text(app)
        followed = screen.accounts.highlighted
        assert followed is not None
        await pilot.press("f")  # queued on the writer: the switch must wait for it
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountPickerScreen))
        text = screen_text(app)
        assert "X @ada_demo  (open now)" in text and "Bluesky @maria.bsky.social" in text
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: "demo · Bluesky @maria.bsky.social" in screen_text(app))
        sky = await ready(pilot)
        assert sky.session.network == BLUESKY and (sky.accounts.highlighted or "").startswith("did:plc:")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountPickerScreen))
        await pilot.press("escape")  # stay
        await wait_until(pilot, lambda: app.screen is sky)
        assert main_screen(app).session is sky.session
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountPickerScreen))
        await pilot.press("k", "enter")  # back to X: its cache as it was left, the follow still decided
        await wait_until(pilot, lambda: "demo · X @ada_demo" in screen_text(app))
        back = await ready(pilot)
        decision = back.session.store.decision(followed)
        assert decision is not None and decision.kind is DecisionKind.FOLLOW
    with Store.open(account_dir(tmp_path, X, DEMO_ME.id)) as store:
        decision = store.decision(followed)
        assert decision is not None and decision.kind is DecisionKind.FOLLOW
    assert accounts.read_last(tmp_path) == f"x:{DEMO_ME.username}"


async def test_a_switch_that_cannot_open_the_other_cache_goes_back_with_escape(tmp_path: Path) -> None:
    """Another followtui holds the Bluesky account's cache: the error says so, and escape reopens X as it was."""
    app = demo_accounts_app(tmp_path)
    held = account_dir(tmp_path, BLUESKY, BSKY_ME.id)
    held.mkdir(parents=True)
    lock = DirLock(held)
    lock.acquire()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(pilot)
            followed = screen.accounts.highlighted
            assert followed is not None
            await pilot.press("f", "a")
            await wait_until(pilot, lambda: isinstance(app.screen, AccountPickerScreen))
            await pilot.press("j", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen))
            await wait_until(pilot, lambda: "Press escape to go back to X @ada_demo, q to quit." in screen_text(app))
            assert "cannot open its cache" in screen_text(app) and "esc Back" in screen_text(app)
            await pilot.press("escape")
            await wait_until(pilot, lambda: "demo · X @ada_demo" in screen_text(app))
            back = await ready(pilot)
            decision = back.session.store.decision(followed)
            assert decision is not None and decision.kind is DecisionKind.FOLLOW
            assert app.is_running
    finally:
        lock.release()


async def test_a_is_not_offered_with_one_account(tmp_path: Path) -> None:
    from tests.harness import demo_app

    app = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "a Account" not in screen_text(app)
        await pilot.press("a", "question_mark")  # a does nothing; the next key is the help's
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        assert not any(isinstance(s, AccountPickerScreen) for s in app.screen_stack)
