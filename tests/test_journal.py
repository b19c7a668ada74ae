"""The sync journal: JSON lines appended durably, a torn tail cut off when it is opened."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson
import pytest

from followtui.store.errors import StoreError
from followtui.store.journal import Journal

RECORDS: list[dict[str, Any]] = [
    {"t": "start", "v": 1, "sync_id": "abc", "started_at": "2026-05-01T12:00:00.000Z"},
    {
        "t": "page",
        "phase": "followers",
        "cursor": None,
        "next": "demo-32",
        "accounts": [{"id": "12", "name": "Zoë 🦊"}],
    },
    {"t": "page", "phase": "followers", "cursor": "demo-32", "next": None, "gone": {"13": "suspended"}},
    {"t": "lists", "lists": [], "nested": {"a": [1, 2.5, True, None, '\u05e9\u05dc\u05d5\u05dd\n\t"q"']}},
]


def line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sync-journal.jsonl"


def read(path: Path) -> list[dict[str, Any]]:
    journal = Journal.open(path, fsync=False)
    journal.close()
    return journal.records


def write(path: Path, records: list[dict[str, Any]]) -> bytes:
    """Append ``records`` through a journal and return the file's bytes."""
    journal = Journal.open(path, fsync=False)
    for record in records:
        journal.append(record)
    journal.close()
    return path.read_bytes()


def test_new_journal_is_empty_and_created(path: Path) -> None:
    journal = Journal.open(path, fsync=False)
    try:
        assert journal.records == []
        assert path.exists() and path.read_bytes() == b""
    finally:
        journal.close()


def test_records_round_trip(path: Path) -> None:
    journal = Journal.open(path, fsync=False)
    for record in RECORDS:
        journal.append(record)
    assert journal.records == RECORDS  # what was appended is there at once
    journal.close()
    reopened = Journal.open(path, fsync=False)
    try:
        assert reopened.records == RECORDS
        assert path.read_bytes() == b"".join(line(r) for r in RECORDS)
    finally:
        reopened.close()


def test_appended_record_is_a_copy(path: Path) -> None:
    record: dict[str, Any] = {"t": "me", "n": 1}
    journal = Journal.open(path, fsync=False)
    journal.append(record)
    record["n"] = 2
    assert journal.records == [{"t": "me", "n": 1}]
    journal.close()


def test_each_append_is_on_disk_before_it_returns(path: Path) -> None:
    """No buffering: a kill right after ``append`` loses nothing (read the file while the journal is open)."""
    journal = Journal.open(path, fsync=False)
    try:
        for n, record in enumerate(RECORDS, 1):
            journal.append(record)
            assert path.read_bytes() == b"".join(line(r) for r in RECORDS[:n])
    finally:
        journal.close()


def test_appends_after_reopen_go_to_the_end(path: Path) -> None:
    write(path, RECORDS[:2])
    write(path, RECORDS[2:])
    assert read(path) == RECORDS


GOOD = RECORDS[:2]

TORN_TAILS: dict[str, bytes] = {
    "bytes without newline": b"\x00\x01garbage",
    "half a JSON line": line(RECORDS[2])[:25],
    "complete JSON without its newline": orjson.dumps(RECORDS[2]),
    "half a JSON line with a newline": line(RECORDS[2])[:25] + b"\n",
    "a JSON value that is not an object": b"[1, 2, 3]\n",
    "an empty line": b"\n",
    "invalid UTF-8": b'{"t": "\xff\xfe"}\n',
    "a cut multi-byte character": '{"t": "🦊'.encode()[:-2],
}


@pytest.mark.parametrize("tail", TORN_TAILS.values(), ids=TORN_TAILS.keys())
def test_torn_tail_is_cut_off_and_truncated(path: Path, tail: bytes) -> None:
    good = write(path, GOOD)
    with path.open("ab") as f:
        f.write(tail)
    journal = Journal.open(path, fsync=False)
    assert journal.records == GOOD
    assert path.read_bytes() == good  # truncated at open, before anything is appended
    journal.append(RECORDS[3])  # the next append starts a clean line
    journal.close()
    assert read(path) == [*GOOD, RECORDS[3]]


def test_garbage_in_the_middle_drops_everything_after_it(path: Path) -> None:
    good = write(path, GOOD)
    with path.open("ab") as f:
        f.write(b"{not json}\n" + line(RECORDS[2]) + line(RECORDS[3]))
    journal = Journal.open(path, fsync=False)
    assert journal.records == GOOD
    assert path.read_bytes() == good
    journal.append(RECORDS[3])
    journal.close()
    assert read(path) == [*GOOD, RECORDS[3]]


def test_all_garbage_gives_an_empty_journal(path: Path) -> None:
    path.write_bytes(b"\xde\xad\xbe\xef")
    journal = Journal.open(path, fsync=False)
    assert journal.records == []
    assert path.read_bytes() == b""
    journal.append(RECORDS[0])
    journal.close()
    assert read(path) == [RECORDS[0]]


@pytest.mark.usefixtures("no_umask")
def test_new_journal_is_private(path: Path) -> None:
    """0600 whatever the umask: the journal holds the user's graph."""
    Journal.open(path, fsync=False).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_parent_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "journal.jsonl"
    journal = Journal.open(path, fsync=False)
    journal.append(RECORDS[0])
    journal.close()
    assert read(path) == [RECORDS[0]]


def test_unreadable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot read"):
        Journal.open(tmp_path, fsync=False)  # a directory


def test_restart_drops_what_was_there_and_begins_with_the_header(path: Path) -> None:
    write(path, RECORDS)
    journal = Journal.open(path, fsync=False)
    header = {"t": "start", "v": 2}
    journal.restart(header)
    assert journal.records == [header]
    assert path.read_bytes() == line(header)  # on disk when restart returns
    journal.append(RECORDS[1])
    journal.close()
    assert read(path) == [header, RECORDS[1]]


def test_restart_is_one_fsync(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(path, RECORDS)
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    journal = Journal.open(path)
    journal.restart(RECORDS[0])  # the truncation and the header, made durable together
    journal.close()
    assert len(synced) == 1 and read(path) == [RECORDS[0]]


def test_discard_removes_the_file(path: Path) -> None:
    journal = Journal.open(path, fsync=False)
    journal.append(RECORDS[0])
    journal.discard()
    assert not path.exists()
    fresh = Journal.open(path, fsync=False)
    assert fresh.records == []
    fresh.discard()
    assert not path.exists()


def test_discard_of_a_file_already_gone(path: Path) -> None:
    journal = Journal.open(path, fsync=False)
    path.unlink()
    journal.discard()  # no error
    assert not path.exists()


def test_fsync_on_every_append(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    journal = Journal.open(path)  # new file: its directory entry is synced too
    assert len(synced) == 1
    for n, record in enumerate(RECORDS, 2):
        journal.append(record)
        assert len(synced) == n
    journal.discard()  # the deletion is made durable (the directory)
    assert len(synced) == len(RECORDS) + 2

    synced.clear()
    quiet = Journal.open(path, fsync=False)
    quiet.append(RECORDS[0])
    quiet.discard()
    assert synced == []


def test_truncation_is_synced(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(path, GOOD)
    with path.open("ab") as f:
        f.write(b"torn")
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    journal = Journal.open(path)
    assert len(synced) == 1  # the truncation (an existing file's directory entry needs none)
    journal.close()
