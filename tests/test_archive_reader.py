"""Reading X data archives: zip and folder, split parts, both list forms, and every kind of broken archive."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followtui.archive import Archive, ArchiveError, Limits, read_archive
from tests.archive_builder import (
    ArchiveSpec,
    archive_files,
    build,
    ids,
    js,
    pre2020_files,
    write_folder,
    write_zip,
    write_zip_dated,
)

SPEC = ArchiveSpec(
    followers=ids(1000, 25),
    following=ids(1020, 10),
    lists=["https://twitter.com/me/lists/1696117177802211514", "https://x.com/me/lists/my-close_friends"],
    blocked=["7777"],
    muted=["1001", "1021"],
    parts=3,
)


@pytest.mark.parametrize("zipped", [True, False])
def test_reads_everything_from_zip_and_folder(tmp_path: Path, zipped: bool) -> None:
    archive = read_archive(build(SPEC, tmp_path / ("a.zip" if zipped else "a"), zipped=zipped))
    assert archive.account.account_id == "100"
    assert archive.account.username == "me"
    assert archive.followers == tuple(SPEC.followers)  # every part, in order
    assert archive.following == tuple(SPEC.following)
    assert archive.blocked == {"7777"}
    assert archive.muted == {"1001", "1021"}
    assert [(x.id, x.name, x.numeric) for x in archive.lists] == [
        ("1696117177802211514", "list 1696117177802211514", True),
        ("slug:me/my-close_friends", "my close friends", False),
    ]
    assert archive.generated_at is not None and archive.generated_at.isoformat() == "2025-03-02T12:00:00+00:00"
    assert archive.warnings == ()


def test_zip_and_folder_give_the_same_archive(tmp_path: Path) -> None:
    a = read_archive(build(SPEC, tmp_path / "a.zip"))
    b = read_archive(build(SPEC, tmp_path / "a"))
    assert a.fingerprint == b.fingerprint and a.followers == b.followers


def test_folder_can_be_given_as_its_data_dir_and_zip_may_have_a_top_folder(tmp_path: Path) -> None:
    folder = build(SPEC, tmp_path / "x", zipped=False)
    assert read_archive(folder / "data").followers == tuple(SPEC.followers)
    nested = write_zip(archive_files(SPEC), tmp_path / "n.zip", prefix="twitter-2025-03-02-abc/")
    assert read_archive(nested).following == tuple(SPEC.following)


OLD = ArchiveSpec(
    account_id="42",
    username="old_timer",
    followers=ids(5000, 4),
    following=ids(6000, 3),
    lists=["https://twitter.com/old_timer/lists/11", "https://twitter.com/old_timer/lists/12"],
    blocked=["5003"],
    muted=["6001"],
)


def _assert_old(archive: Archive) -> None:
    assert archive.account.account_id == "42" and archive.account.username == "old_timer"
    assert archive.followers == tuple(OLD.followers)
    assert archive.following == tuple(OLD.following)
    assert [x.id for x in archive.lists] == ["11", "12"]
    assert archive.blocked == {"5003"} and archive.muted == {"6001"}


@pytest.mark.parametrize("under_data", [False, True])
def test_a_pre_2020_zip_without_manifest_is_dated_by_its_files(tmp_path: Path, under_data: bool) -> None:
    files = pre2020_files(OLD, under_data=under_data)
    assert not any(name.endswith("manifest.js") for name in files)
    archive = read_archive(write_zip_dated(files, tmp_path / "twitter-2019-05-04.zip", (2019, 5, 4, 9, 30, 0)))
    _assert_old(archive)
    assert archive.generated_at == datetime(2019, 5, 4, 9, 30, tzinfo=UTC)
    assert archive.warnings == ("no manifest (an archive from before 2020): taken as made on 2019-05-04",)


def test_a_pre_2020_folder_at_its_root_and_one_level_deeper(tmp_path: Path) -> None:
    files = pre2020_files(OLD)
    flat = write_folder(files, tmp_path / "flat")
    _assert_old(read_archive(flat))
    deep = write_folder(files, tmp_path / "deep" / "twitter-2019-05-04")
    _assert_old(read_archive(tmp_path / "deep"))
    assert read_archive(deep).fingerprint == read_archive(tmp_path / "deep").fingerprint


def test_a_folder_extracted_one_level_too_deep(tmp_path: Path) -> None:
    write_folder(archive_files(SPEC), tmp_path / "twitter-2025-03-02-abc" / "twitter-2025-03-02-abc")
    archive = read_archive(tmp_path / "twitter-2025-03-02-abc")
    assert archive.followers == tuple(SPEC.followers)
    assert archive.fingerprint == read_archive(build(SPEC, tmp_path / "a.zip")).fingerprint
    assert archive.warnings == ()


def test_older_urls_list_form_and_link_only_rows(tmp_path: Path) -> None:
    spec = ArchiveSpec(
        followers=["5", "6"],
        lists=["https://twitter.com/me/lists/11", "https://twitter.com/me/lists/12"],
        lists_form="urls",
        link_only=True,
        pretty=False,
    )
    archive = read_archive(build(spec, tmp_path / "a.zip"))
    assert [x.id for x in archive.lists] == ["11", "12"]
    assert archive.followers == ("5", "6")


def test_parts_not_in_the_manifest_are_found_next_to_the_first(tmp_path: Path) -> None:
    files = archive_files(ArchiveSpec(followers=ids(10, 6), parts=2))
    manifest = files["data/manifest.js"].decode()
    files["data/manifest.js"] = manifest.replace('"follower": {', '"followerX": {').encode()
    assert read_archive(write_zip(files, tmp_path / "a.zip")).followers == tuple(ids(10, 6))


def test_a_wrong_count_in_the_manifest_is_a_warning(tmp_path: Path) -> None:
    files = archive_files(ArchiveSpec(followers=["5", "6"]))
    files["data/manifest.js"] = files["data/manifest.js"].replace(b'"count": "2"', b'"count": "3"', 1)
    archive = read_archive(write_zip(files, tmp_path / "a.zip"))
    assert any("data/follower.js holds 2 entries, the manifest says 3" in w for w in archive.warnings)


def test_a_bad_list_url_is_skipped_with_a_warning(tmp_path: Path) -> None:
    archive = read_archive(
        build(ArchiveSpec(lists=["https://example.com/nope", "https://twitter.com/me/lists/9"]), tmp_path / "a.zip")
    )
    assert [x.id for x in archive.lists] == ["9"]
    assert any("not a list URL" in w for w in archive.warnings)


# -- broken archives: one clear message naming the file ---------------------------------------------------------


def broken(tmp_path: Path, change: str) -> Path:
    files = archive_files(ArchiveSpec(followers=ids(1000, 5), following=ids(2000, 3), parts=2))
    if change == "no manifest":
        del files["data/manifest.js"], files["data/account.js"]
    elif change == "no account":
        del files["data/account.js"]
    elif change == "no follower part":
        del files["data/follower-part1.js"]
    elif change == "no following":
        del files["data/following.js"]
    elif change == "wrong wrapper":
        files["data/follower.js"] = files["data/follower.js"].replace(b"window.YTD.follower.part0", b"var followers")
    elif change == "other global":
        files["data/follower.js"] = files["data/follower.js"].replace(b"YTD.follower.part0", b"YTD.following.part0")
    elif change == "bad json":
        files["data/following.js"] = files["data/following.js"][:-5]
    elif change == "not a list":
        files["data/following.js"] = js("YTD.following.part0", {"following": {"accountId": "1"}})
    elif change == "bad row":
        files["data/follower.js"] = js("YTD.follower.part0", [{"follower": {"accountId": "01x"}}])
    elif change == "duplicate":
        files["data/follower-part1.js"] = js("YTD.follower.part1", [{"follower": {"accountId": "1000"}}])
    elif change == "other account":
        files["data/account.js"] = files["data/account.js"].replace(b'"accountId": "100"', b'"accountId": "200"')
    elif change == "escape":
        files["data/manifest.js"] = files["data/manifest.js"].replace(b'"data/block.js"', b'"../../etc/passwd"')
    elif change == "not utf8":
        files["data/account.js"] = b"window.YTD.account.part0 = [\xff]"
    return write_zip(files, tmp_path / "broken.zip")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no manifest", "data/manifest.js is missing, and there is no account.js either: is broken.zip an X data"),
        ("no account", "data/account.js is missing (the manifest lists it): the archive is incomplete"),
        ("no follower part", "data/follower-part1.js is missing (the manifest lists it)"),
        ("no following", "data/following.js is missing"),
        ("wrong wrapper", "data/follower.js: does not start with `window.<name> = `"),
        ("other global", "data/follower.js: holds window.YTD.following.part0, expected window.YTD.follower.partN"),
        ("bad json", "data/following.js: is not valid JSON after `window.YTD.following.part0 =`"),
        ("not a list", "data/following.js: should hold a list"),
        ("bad row", "data/follower.js: entry 1 has no valid account ID ('01x')"),
        ("duplicate", "data/follower-part1.js: account 1000 is listed twice (also in data/follower.js)"),
        ("other account", "data/manifest.js: the manifest is for account 100 but data/account.js for 200"),
        ("escape", "data/manifest.js: lists a file outside data/: '../../etc/passwd'"),
        ("not utf8", "data/account.js: is not UTF-8 text"),
    ],
)
def test_broken_archives_say_which_file(tmp_path: Path, change: str, message: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        read_archive(broken(tmp_path, change))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_not_a_zip_and_a_truncated_zip(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("just some text")
    with pytest.raises(ArchiveError, match=re.escape("notes.zip is not a zip archive, or it is truncated")):
        read_archive(text)
    whole = build(SPEC, tmp_path / "whole.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ArchiveError, match=re.escape("cut.zip is not a zip archive, or it is truncated")):
        read_archive(cut)
    with pytest.raises(ArchiveError, match="does not exist"):
        read_archive(tmp_path / "missing.zip")


def test_a_damaged_member_is_reported(tmp_path: Path) -> None:
    path = build(ArchiveSpec(followers=ids(1, 300)), tmp_path / "a.zip")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("data/follower.js")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    raw[start : start + 20] = bytes(20)  # flip compressed bytes: a CRC or inflate error
    path.write_bytes(bytes(raw))
    with pytest.raises(ArchiveError, match=r"data/follower.js: (is damaged in the zip|is not valid JSON|is not UTF-8)"):
        read_archive(path)


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    files = archive_files(SPEC)
    files["data/follower.js"] = js("YTD.follower.part0", []) + b" " * (3 * 1024 * 1024)  # compresses to almost nothing
    path = write_zip(files, tmp_path / "bomb.zip")
    assert path.stat().st_size < 100_000
    with pytest.raises(
        ArchiveError, match=re.escape("data/follower.js: is 3.0 MiB uncompressed, more than the 1.0 MiB allowed")
    ):
        read_archive(path, Limits(file_bytes=1024 * 1024))


def test_a_zip_that_lies_about_its_size_is_stopped_while_reading(tmp_path: Path) -> None:
    """A member claiming 100 bytes but inflating to 3 MiB: never more than the claim is read, and it fails."""
    files = archive_files(SPEC)
    files["data/follower.js"] = js("YTD.follower.part0", []) + b" " * (3 * 1024 * 1024)
    path = write_zip(files, tmp_path / "liar.zip")
    raw = bytearray(path.read_bytes())
    record = raw.find(b"data/follower.js", raw.find(b"PK\x01\x02")) - 46  # its central directory record
    assert raw[record : record + 4] == b"PK\x01\x02"
    raw[record + 24 : record + 28] = (100).to_bytes(4, "little")  # the declared uncompressed size
    path.write_bytes(bytes(raw))
    with pytest.raises(ArchiveError, match=re.escape("data/follower.js: is damaged in the zip")):
        read_archive(path, Limits(file_bytes=1024 * 1024))


def test_a_huge_file_in_a_folder_is_refused(tmp_path: Path) -> None:
    files = archive_files(SPEC)
    files["data/following.js"] = js("YTD.following.part0", []) + b" " * 20_000
    folder = write_folder(files, tmp_path / "a")
    with pytest.raises(ArchiveError, match=re.escape("data/following.js: is 20,")):
        read_archive(folder, Limits(file_bytes=10_000))
    with pytest.raises(ArchiveError, match="add up to more than 9,000 bytes"):
        read_archive(folder, Limits(file_bytes=30_000, total_bytes=9000))
