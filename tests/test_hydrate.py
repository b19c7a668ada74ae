"""``followtui sync --hydrate`` after ``import-archive``, in a subprocess, through the real ``tweepy.Client``, against the
spec-checked FakeX: the cost is shown and asked for first, 100 IDs per request, suspended and deleted accounts recorded,
a kill loses at most the batch in flight. And a plain sync after an import reports who is new, like a sync."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followtui.domain.models import AccountState
from followtui.store import Store
from tests.archive_builder import ArchiveSpec, build
from tests.cli_helpers import run_followtui
from tests.factories import present
from tests.fakex import FakeX, World
from tests.test_sync_x import RUN_TIMEOUT, Child, Gate, data_dir_of, make_env, running

__all__ = ["running"]  # the fixture, shared with test_sync_x

LOOKUP = "/2/users"


def world() -> World:
    return World.generate(followers=230, following=60, mutual=20, lists=1, posters=0, seed=11)


def archive_of(w: World, tmp_path: Path, *, skip_newest: int = 0, now: bool = False) -> Path:
    """The world's data archive, made a minute ago with every follower edge (the hidden suspended and deleted too),
    or (``now``) made just now with the followers X shows."""
    made = datetime.now(UTC) - timedelta(minutes=0 if now else 1)
    spec = ArchiveSpec(
        account_id=w.me_id,
        username=w.me_username,
        followers=(w.follower_ids() if now else list(w.followers))[skip_newest:],
        following=list(w.following),
        generated_at=made.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    )
    return build(spec, tmp_path / "archive.zip")


def lookups(fx: FakeX) -> list[str]:
    return [r.path for r in fx.calls("GET", LOOKUP) if r.path.rstrip("/") == LOOKUP or r.path.startswith(LOOKUP + "?")]


def imported(tmp_path: Path, running: Callable[[World], FakeX]) -> tuple[World, FakeX, dict[str, str]]:
    w = world()
    fx = running(w)
    env = make_env(tmp_path, fx)
    done = run_followtui(env, "import-archive", str(archive_of(w, tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "274 accounts are known by their ID only" in done.stdout  # 234 followers + 60 following - 20 mutual
    assert "3 requests, about $2.74" in done.stdout
    return w, fx, env


def test_hydrate_asks_first_and_refuses_without_a_terminal(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    _, fx, env = imported(tmp_path, running)
    result = run_followtui(env, "sync", "--hydrate", timeout=RUN_TIMEOUT)
    assert result.returncode == 2
    assert "274 accounts known by ID only: 3 requests to GET /2/users, estimated $2.74" in result.stdout
    assert "not asking without a terminal; pass --yes" in result.stderr
    assert lookups(fx) == []  # nothing spent


def test_hydrate_looks_everyone_up_and_records_the_gone(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    w, fx, env = imported(tmp_path, running)
    result = run_followtui(env, "sync", "--hydrate", "--yes", timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Looked up 270 accounts; 2 suspended, 2 deleted (3 requests)." in result.stdout
    assert "GET /2/users " in result.stdout  # the meter's table
    calls = lookups(fx)
    assert len(calls) == 3
    with Store.open(data_dir_of(env)) as store:
        for account_id in w.follower_ids():
            account = store.account(account_id)
            assert account is not None and account.hydrated and account.username == w.users[account_id]["username"]
        for account_id in w.suspended:
            assert present(store.account(account_id)).state is AccountState.SUSPENDED
        for account_id in w.deleted:
            assert present(store.account(account_id)).state is AccountState.DELETED
        assert store.follower_ids() == set(w.followers)  # relationships untouched
    again = run_followtui(env, "sync", "--hydrate", timeout=RUN_TIMEOUT)
    assert again.returncode == 0 and "Nothing to look up" in again.stdout
    assert len(lookups(fx)) == 3


def test_a_killed_hydrate_loses_at_most_one_batch(tmp_path: Path, running: Callable[[World], FakeX]) -> None:
    _, fx, env = imported(tmp_path, running)
    gate = Gate(fx, "GET /2/users", 2)
    child = Child(env, "--hydrate", "--yes")
    assert gate.reached.wait(RUN_TIMEOUT)
    assert child.kill() != 0
    gate.release()
    assert (data_dir_of(env) / "hydrate-journal.jsonl").exists()
    result = run_followtui(env, "sync", "--hydrate", "--yes", timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "(100 already looked up by a run that stopped)" in result.stdout
    assert "174 accounts known by ID only" in result.stdout
    assert len(lookups(fx)) == 4  # 3, plus the one in flight when killed
    with Store.open(data_dir_of(env)) as store:
        accounts = [present(store.account(i)) for i in store.account_ids()]
        assert not [a.id for a in accounts if not a.hydrated and a.state is AccountState.ACTIVE]
    assert not (data_dir_of(env) / "hydrate-journal.jsonl").exists()


@pytest.mark.parametrize("order", ["import then sync", "sync then import"])
def test_import_and_sync_diff_against_each_other(tmp_path: Path, running: Callable[[World], FakeX], order: str) -> None:
    w = world()
    fx = running(w)
    env = make_env(tmp_path, fx)
    newest = list(w.followers)[:3]
    if order == "import then sync":
        assert run_followtui(env, "import-archive", str(archive_of(w, tmp_path, skip_newest=3))).returncode == 0
        result = run_followtui(env, "sync", "-q", "--yes", timeout=RUN_TIMEOUT)
        assert result.returncode == 0, result.stderr
        # the archive listed the hidden suspended/deleted followers too: the sync tells them apart
        assert "3 new followers, 0 left, 2 suspended, 2 deleted" in result.stdout
    else:
        assert run_followtui(env, "sync", "-q", "--yes", timeout=RUN_TIMEOUT).returncode == 0
        gone = newest[0]
        w.remove_follower(gone)
        result = run_followtui(env, "import-archive", str(archive_of(w, tmp_path, now=True)))
        assert result.returncode == 0, result.stderr
        assert "0 new followers, 1 left, 0 suspended, 0 deleted" in result.stdout
        newest = []
    with Store.open(data_dir_of(env)) as store:
        from followtui.services.triage import Triage

        triage = Triage(store, lambda: datetime.now(UTC))
        assert sorted(i for i in store.follower_ids() if triage.is_new(i)) == sorted(newest)
