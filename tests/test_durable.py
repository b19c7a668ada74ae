"""followtui.durable, the one durable writer: replace a file (old or new, never half) and append whole lines."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from followtui import durable
from followtui.durable import append_lines, remove_stray_tmp, replacing


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was fsynced or fdatasynced, by kind: "dir" or "file"."""
    out: list[str] = []

    def record(fd: int) -> None:
        out.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")

    monkeypatch.setattr(os, "fsync", record)
    monkeypatch.setattr(durable, "_datasync", record)  # fdatasync where there is one
    return out


@pytest.mark.usefixtures("no_umask")
def test_replacing_writes_the_new_content_privately_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    with replacing(path) as fh:
        fh.write(b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_replacing_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(path) as fh:
        fh.write(b"half")
        raise RuntimeError("killed")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_replacing_syncs_the_file_then_the_directory(tmp_path: Path, synced: list[str]) -> None:
    with replacing(tmp_path / "a.json") as fh:
        fh.write(b"{}")
    assert synced == ["file", "dir"]
    synced.clear()
    with replacing(tmp_path / "a.json", fsync=False) as fh:
        fh.write(b"[]")
    assert synced == []


def test_a_killed_writers_temp_files_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    (tmp_path / "state.json.abc123.tmp").write_bytes(b"half")
    (tmp_path / "other.json.abc123.tmp").write_bytes(b"not ours")
    path.write_bytes(b"{}")
    remove_stray_tmp(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.json.abc123.tmp", "state.json"]


@pytest.mark.usefixtures("no_umask")
def test_append_lines_creates_a_private_file_and_adds_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    append_lines(path, b"1\n2\n")
    append_lines(path, b"3\n")
    assert path.read_bytes() == b"1\n2\n3\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("torn", [b'{"id": "e3", "op": "fol', b"x", b"\x00\x00\x00"])
def test_append_lines_cuts_a_torn_last_line_first(tmp_path: Path, torn: bytes) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"1\n2\n" + torn)  # a writer killed mid-append
    append_lines(path, b"3\n")
    assert path.read_bytes() == b"1\n2\n3\n"
    path.write_bytes(torn)  # nothing complete at all
    append_lines(path, b"4\n")
    assert path.read_bytes() == b"4\n"


def test_append_lines_syncs_each_append_and_a_new_name(tmp_path: Path, synced: list[str]) -> None:
    path = tmp_path / "history.jsonl"
    append_lines(path, b"1\n")
    assert synced == ["file", "dir"]  # created: its directory entry too
    append_lines(path, b"2\n")
    assert synced == ["file", "dir", "file"]
    append_lines(path, b"3\n", fsync=False)
    assert synced == ["file", "dir", "file"] and path.read_bytes() == b"1\n2\n3\n"
