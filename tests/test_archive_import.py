"""Importing an archive into the real store: unhydrated accounts, lists, blocks and mutes, diffs like a sync,
all-or-nothing on every broken archive (store hashes unchanged), a crash between the two files, and the app."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from followtui.archive import ArchiveError, Limits, read_archive
from followtui.archive import reader as archive_reader
from followtui.backends.meter import RequestMeter
from followtui.backends.offline import OfflineBackend
from followtui.cli import main
from followtui.config import Config
from followtui.domain.models import FIRST_SYNC, Account, SyncInfo
from followtui.services import archive_import
from followtui.services.accounts import X, account_dir
from followtui.services.archive_import import JOURNAL_FILE, LIST_NOTE, import_archive
from followtui.services.session import open_session
from followtui.services.triage import Triage
from followtui.store import Store
from followtui.store.atomic import open_db, storage_of
from tests.archive_builder import ArchiveSpec, archive_files, build, ids, js, pre2020_files, write_zip, write_zip_dated
from tests.cli_helpers import cache_dir
from tests.factories import T0, FakeClock, present, sample_graph

GEN = "2025-03-02T12:00:00.000Z"  # a day after the sample graph's sync (T0)
LATER = "2025-03-05T12:00:00.000Z"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))


def spec(**kw: Any) -> ArchiveSpec:
    base: dict[str, Any] = {"account_id": "1", "username": "me", "generated_at": GEN}
    return ArchiveSpec(**(base | kw))


def do_import(store: Store, path: Path, clock: FakeClock, **kw: Any) -> archive_import.ImportReport:
    return import_archive(store, read_archive(path), clock, fsync=False, **kw)


def hashes(data_dir: Path) -> dict[str, str]:
    return {n: hashlib.sha256((data_dir / n).read_bytes()).hexdigest() for n in ("graph.jsonl", "state.json")}


def state_on_disk(data_dir: Path) -> dict[str, Any]:
    """The state as a fresh open would see it: state.json with state.log replayed."""
    db = open_db(data_dir / "state.json", fsync=False, log=True)
    try:
        return dict(storage_of(db).read() or {})
    finally:
        db.close()


# -- what an import stores ------------------------------------------------------------------------------------


def test_first_import_into_an_empty_cache(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=3))
    path = build(
        spec(
            followers=ids(5000, 6),
            following=ids(5004, 4),
            lists=["https://twitter.com/me/lists/77", "https://twitter.com/me/lists/old-friends"],
            blocked=["5005"],
            muted=["5001"],
            parts=2,
        ),
        tmp_path / "a.zip",
    )
    report = do_import(store, path, clock)
    assert report.changes.first_sync
    assert report.followers == 5 and report.blocked_dropped == 1  # 5005 is blocked: not a follower
    assert store.follower_ids() == {"5000", "5001", "5002", "5003", "5004"}
    assert store.following_ids() == set(ids(5004, 4))
    fresh = store.account("5002")
    assert fresh == Account("5002", "", hydrated=False)
    assert fresh.profile_url == "https://x.com/i/user/5002"
    muted = store.account("5001")
    assert muted is not None and muted.muted
    assert present(store.me()).username == "me"
    lists = {info.id: info for info in store.lists()}
    assert lists["77"].member_ids == () and lists["77"].description == LIST_NOTE
    assert lists["slug:me/old-friends"].name == "old friends"
    info = store.sync_info()
    assert info.source == "archive" and info.extra[FIRST_SYNC] == GEN and info.last_sync is not None
    assert not (store.data_dir / JOURNAL_FILE).exists()
    assert "first import" in report.summary()


def test_a_pre_2020_archive_imports_and_an_older_one_is_refused_by_its_date(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = pre2020_files(spec(followers=ids(5000, 3), following=ids(5002, 2)))
    old = write_zip_dated(files, tmp_path / "twitter-2019.zip", (2019, 5, 4, 9, 30, 0))
    assert main(["import-archive", str(old), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr()
    assert "3 followers, 2 following" in out.out
    with Store.open(cache_dir(data_dir)) as store:
        assert store.follower_ids() == set(ids(5000, 3))
        assert present(store.sync_info().last_sync).year == 2019
    older = write_zip_dated(files, tmp_path / "twitter-2018.zip", (2018, 1, 1, 0, 0, 0))
    assert main(["import-archive", str(older), "--data-dir", str(data_dir)]) == 2
    assert "before the cache's last sync or import" in capsys.readouterr().err


def test_what_the_cache_knows_is_kept(seeded: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=3))
    path = build(spec(followers=["1002", "1004", "4242"], following=["1003"]), tmp_path / "a.zip")
    report = do_import(seeded, path, clock)
    known = seeded.account("1002")
    assert known is not None and known.username == "user2" and known.hydrated
    assert seeded.account("4242") == Account("4242", "", hydrated=False)
    assert report.added == 1 and report.unhydrated == 1
    assert report.changes.new_followers == ("4242",)
    assert report.changes.left == ("1006",)
    assert seeded.mentions() and seeded.my_posts()  # an archive holds none: the cached ones stay
    assert [i.id for i in seeded.lists()] == []  # the archive lists no lists: none are owned any more


def test_import_after_import_reports_like_a_sync(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=10))
    do_import(store, build(spec(followers=ids(10, 5), following=["10"]), tmp_path / "a.zip"), clock)
    second = build(spec(followers=ids(12, 5), following=["10", "99"], generated_at=LATER), tmp_path / "b.zip")
    report = do_import(store, second, clock)
    c = report.changes
    assert not c.first_sync
    assert c.new_followers == ("15", "16") and c.left == ("10", "11")
    assert c.followed == ("99",) and c.unfollowed == ()
    assert "2 new followers, 2 left, 0 suspended, 0 deleted" in report.summary()
    triage = Triage(store, clock)
    assert triage.is_new("15") and not triage.is_new("12")
    assert "15" in triage.new_followers().ids
    assert set(triage.new_followers("is:left").ids) == {"10", "11"}


def test_import_after_a_sync_is_a_diff_against_it(seeded: Store, tmp_path: Path) -> None:
    graph = sample_graph()
    seeded.replace_graph(
        **graph | {"sync": SyncInfo(last_sync=T0, source="x", extra={FIRST_SYNC: "2025-01-01T00:00:00.000Z"})}
    )
    clock = FakeClock(T0 + timedelta(days=3))
    report = do_import(seeded, build(spec(followers=["1002", "1004", "1006", "5"]), tmp_path / "a.zip"), clock)
    assert report.changes.new_followers == ("5",)
    assert seeded.sync_info().previous_sync == T0
    assert seeded.sync_info().extra[FIRST_SYNC] == "2025-01-01T00:00:00.000Z"  # kept: the first sync was earlier
    assert Triage(seeded, clock).is_new("5")


def test_blocked_followers_never_reach_the_queue_and_mutes_follow_the_archive(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=10))
    do_import(store, build(spec(followers=["3", "4"], blocked=["4"], muted=["3"]), tmp_path / "a.zip"), clock)
    assert Triage(store, clock).new_followers().ids == ["3"]
    assert present(store.account("3")).muted
    do_import(store, build(spec(followers=["3", "4"], muted=[], generated_at=LATER), tmp_path / "b.zip"), clock)
    assert not present(store.account("3")).muted


# -- refusals, all or nothing --------------------------------------------------------------------------------


def broken_archive(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = archive_files(spec(followers=ids(3000, 4), following=ids(3002, 3), parts=2))
    if kind == "not a zip":
        path = tmp_path / "x.zip"
        path.write_bytes(b"%PDF-1.4 not a zip")
        return path
    if kind == "truncated zip":
        whole = write_zip(files, tmp_path / "whole.zip").read_bytes()
        path = tmp_path / "x.zip"
        path.write_bytes(whole[: len(whole) - 200])
        return path
    if kind == "wrong wrapper":
        files["data/following.js"] = files["data/following.js"].replace(
            b"window.YTD.following.part0 =", b"module.exports ="
        )
    elif kind == "missing follower":
        del files["data/follower.js"]
    elif kind == "missing manifest":
        del files["data/manifest.js"], files["data/account.js"]
    elif kind == "huge file":
        monkeypatch.setattr(archive_reader, "DEFAULT_LIMITS", Limits(file_bytes=64 * 1024))
        files["data/follower.js"] = js("YTD.follower.part0", []) + b" " * (1024 * 1024)
    elif kind == "duplicate ids":
        files["data/follower-part1.js"] = js("YTD.follower.part1", [{"follower": {"accountId": "3000"}}])
    elif kind == "other account":
        files = archive_files(replace(spec(followers=["5"]), account_id="2", username="someone"))
    elif kind == "older than the cache":
        files = archive_files(spec(followers=["5"], generated_at="2025-02-01T00:00:00.000Z"))
    return write_zip(files, tmp_path / "x.zip")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not a zip", "x.zip is not a zip archive, or it is truncated"),
        ("truncated zip", "x.zip is not a zip archive, or it is truncated"),
        ("wrong wrapper", "data/following.js: does not start with `window.<name> = `"),
        ("missing follower", "data/follower.js is missing"),
        ("missing manifest", "data/manifest.js is missing"),
        ("huge file", "data/follower.js: is 1.0 MiB uncompressed, more than the 65,536 bytes allowed per file"),
        ("duplicate ids", "data/follower-part1.js: account 3000 is listed twice"),
        ("other account", "this archive is @someone's (ID 2) but the cache in"),
        ("older than the cache", "before the cache's last sync or import"),
    ],
)
def test_a_refused_archive_leaves_the_store_byte_for_byte(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    message: str,
) -> None:
    with Store.open(data_dir) as store:
        store.replace_graph(**sample_graph())
    before = hashes(data_dir)
    path = broken_archive(tmp_path, kind, monkeypatch)
    assert main(["import-archive", str(path), "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1  # one line
    moved = cache_dir(data_dir)  # the cache from before accounts moved into its account's directory, unchanged
    assert moved == account_dir(data_dir, X, "1") and hashes(moved) == before
    assert not (moved / JOURNAL_FILE).exists()


def test_a_stopped_sync_must_be_finished_first(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        store.replace_graph(**sample_graph())
    (data_dir / "sync-journal.jsonl").write_text("")
    before = hashes(data_dir)
    path = build(spec(followers=["5"]), tmp_path / "a.zip")
    assert main(["import-archive", str(path), "--data-dir", str(data_dir)]) == 2
    assert "a sync stopped halfway" in capsys.readouterr().err
    assert hashes(cache_dir(data_dir)) == before


def test_force_imports_an_older_archive(seeded: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=3))
    old = build(spec(followers=["1002"], generated_at="2025-02-01T00:00:00.000Z"), tmp_path / "a.zip")
    with pytest.raises(ArchiveError):
        do_import(seeded, old, clock)
    report = do_import(seeded, old, clock, force=True)
    assert seeded.sync_info().last_sync == clock.now  # forced: "seen" now, so no time runs backwards
    assert set(report.changes.left) == {"1004", "1006"}


# -- a crash between graph.jsonl and state.json ------------------------------------------------------------------


def test_a_crash_between_the_two_files_is_finished_by_running_it_again(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(T0 + timedelta(days=10))
    first = build(spec(followers=ids(10, 5)), tmp_path / "a.zip")
    second = build(spec(followers=ids(12, 5), generated_at=LATER), tmp_path / "b.zip")
    with Store.open(data_dir, fsync=False) as store:
        do_import(store, first, clock)
        state_before = state_on_disk(data_dir)

        def killed(self: Store, info: SyncInfo) -> None:
            raise KeyboardInterrupt  # dies after graph.jsonl was replaced, before state.json

        with monkeypatch.context() as m:
            m.setattr(Store, "set_sync_info", killed)
            with pytest.raises(KeyboardInterrupt):
                do_import(store, second, clock)
    assert state_on_disk(data_dir) == state_before  # the state half never happened
    assert (data_dir / JOURNAL_FILE).exists()
    with Store.open(data_dir, fsync=False) as store:
        assert store.follower_ids() == set(ids(12, 5))  # the graph half did
        with pytest.raises(ArchiveError, match="stopped before it finished"):
            do_import(store, first, clock)  # another archive: finish the stopped one first
        report = do_import(store, second, clock)
        assert report.resumed
        assert report.changes.new_followers == ("15", "16") and report.changes.left == ("10", "11")
        assert present(store.sync_info().last_sync).isoformat().startswith("2025-03-05")
    assert not (data_dir / JOURNAL_FILE).exists()


def test_restart_forgets_a_stopped_import(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = account_dir(data_dir, X, "1")  # the archive's own account (spec)
    cache.mkdir(parents=True)
    (cache / JOURNAL_FILE).write_text(
        '{"t":"start","v":1,"import_id":"x","fingerprint":"f","file":"old.zip","seen_at":""}\n'
    )
    path = build(spec(followers=["5"]), tmp_path / "a.zip")
    assert main(["import-archive", str(path), "--data-dir", str(data_dir)]) == 2
    assert "an import of old.zip stopped before it finished" in capsys.readouterr().err
    assert main(["import-archive", str(path), "--data-dir", str(data_dir), "--restart"]) == 0
    out = capsys.readouterr().out
    assert "Imported @me: 1 followers, 0 following, 0 lists; first import" in out
    assert "1 accounts are known by their ID only (1 new)" in out and "1 request, about $0.01" in out


# -- the app shows accounts known by ID only ---------------------------------------------------------------------


async def test_the_app_shows_unhydrated_accounts_with_a_link(data_dir: Path, tmp_path: Path) -> None:
    from followtui.tui.app import FollowApp
    from tests.tui_helpers import SIZE, fixed_clock, ready, screen_text, wait_until

    clock = FakeClock(fixed_clock() - timedelta(days=1))
    with Store.open(data_dir, fsync=False) as store:
        do_import(
            store,
            build(spec(followers=ids(7000, 3), generated_at="2026-11-01T00:00:00.000Z"), tmp_path / "a.zip"),
            clock,
        )
        later = spec(followers=[*ids(7000, 3), "7003"], muted=["7001"], generated_at="2026-11-10T00:00:00.000Z")
        do_import(store, build(later, tmp_path / "b.zip"), clock)
    opener = partial(open_session, data_dir, clock=fixed_clock, backend=OfflineBackend(RequestMeter()))
    app = FollowApp(opener, Config())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "ID 7003 · not looked up yet" in text
        assert "NEW" in text.split("ID 7003", 1)[1].splitlines()[0]
        assert "ID 7001 · not looked up yet" in text and "muted" in text
        await wait_until(pilot, lambda: "Known only by its ID" in screen_text(app))
        text = screen_text(app)
        assert "https://x.com/i/user/7003" in text
        assert "egg" not in text  # no judgement on an empty profile
        assert "posts and followers not known" in text and "last post not known" in text
        assert "0 posts" not in text and "followers 0" not in text and "never" not in text
