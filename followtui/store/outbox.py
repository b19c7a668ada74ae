"""The outbox in memory (entries with indexes) and its history file (finished entries moved out of the state).

``OutboxIndex`` holds the entries the state keeps, in creation order (by doc ID), and indexes the unfinished ones
(pending, failed, manual, by hand) by account and by list, and every entry by its decision's sequence number: the
lookups of a keypress (``decide``, ``undo``, the detail panel) cost the same however many finished entries there
are.

Finished entries (done, cancelled) would pile up forever: ``retire`` picks those no one reads any more (older
than ``KEEP_FINISHED`` and not the call of a decision undo can still reach), and ``History`` appends them to
``outbox-history.jsonl`` (one fsynced write) before the store deletes them from the state. A kill between the two
leaves them in both: the next run appends them again, so the reader keeps the last line of each entry ID.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from followtui.domain.models import OutboxEntry, OutboxState
from followtui.durable import append_lines
from followtui.store import codec
from followtui.store.errors import StoreCorrupt

FINISHED = frozenset({OutboxState.DONE, OutboxState.CANCELLED})
UNFINISHED = frozenset(OutboxState) - FINISHED
KEEP_FINISHED = timedelta(days=1)  # the longest pacing window (follows per day) and a sync's overlap
HISTORY_FILE = "outbox-history.jsonl"


class OutboxIndex:
    """The kept entries by ID in creation order, with the unfinished ones indexed by account and by list."""

    def __init__(self, entries: Iterable[tuple[int, OutboxEntry]] = ()) -> None:
        self._entries: dict[str, tuple[int, OutboxEntry]] = {}
        self._unfinished: dict[str, int] = {}  # entry ID -> doc ID
        self._by_account: dict[str, set[str]] = {}
        self._by_list: dict[str, set[str]] = {}
        self._by_seq: dict[int, tuple[int, str]] = {}  # decision seq -> the newest entry's (doc ID, ID)
        for doc_id, entry in sorted(entries, key=lambda pair: pair[0]):
            self.set(doc_id, entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def doc_id(self, entry_id: str) -> int | None:
        hit = self._entries.get(entry_id)
        return hit[0] if hit else None

    def get(self, entry_id: str) -> OutboxEntry | None:
        hit = self._entries.get(entry_id)
        return hit[1] if hit else None

    def set(self, doc_id: int, entry: OutboxEntry) -> None:
        """Add an entry (a new doc ID must be the highest yet) or replace the one with its ID."""
        old = self._entries.get(entry.id)
        if old is not None:
            self._unindex(old[1])
        self._entries[entry.id] = (doc_id, entry)
        if entry.state in UNFINISHED:
            self._unfinished[entry.id] = doc_id
            self._by_account.setdefault(entry.account_id, set()).add(entry.id)
            if entry.list_id:
                self._by_list.setdefault(entry.list_id, set()).add(entry.id)
        if entry.decision_seq is not None:
            newest = self._by_seq.get(entry.decision_seq)
            if newest is None or newest[0] <= doc_id:
                self._by_seq[entry.decision_seq] = (doc_id, entry.id)

    def drop(self, entry_id: str) -> None:
        hit = self._entries.pop(entry_id, None)
        if hit is None:
            return
        self._unindex(hit[1])
        seq = hit[1].decision_seq
        if seq is not None and self._by_seq.get(seq, (0, ""))[1] == entry_id:
            del self._by_seq[seq]  # dropped by ``retire`` only: undo no longer reaches this decision

    def _unindex(self, entry: OutboxEntry) -> None:
        if self._unfinished.pop(entry.id, None) is None:
            return
        _discard(self._by_account, entry.account_id, entry.id)
        if entry.list_id:
            _discard(self._by_list, entry.list_id, entry.id)

    def all(self, states: Collection[OutboxState] | None = None) -> list[OutboxEntry]:
        """Entries in creation order, optionally only those in ``states`` (unfinished ones: from the index)."""
        if states is not None and UNFINISHED.issuperset(states):
            return [e for e in self._ordered(self._unfinished) if e.state in states]
        entries = (entry for _, entry in self._entries.values())
        if states is None:
            return list(entries)
        return [entry for entry in entries if entry.state in states]

    def unfinished(self, account_id: str | None = None, list_id: str | None = None) -> list[OutboxEntry]:
        """The unfinished entries of an account, of a list, or of both (creation order)."""
        if account_id is None and list_id is None:
            return self._ordered(self._unfinished)
        ids: set[str] = set()
        if account_id is not None:
            ids = self._by_account.get(account_id, set())
        if list_id is not None:
            of_list = self._by_list.get(list_id, set())
            ids = ids & of_list if account_id is not None else of_list
        return self._ordered(ids)

    def for_seq(self, seq: int) -> OutboxEntry | None:
        """The newest entry made for the decision with this sequence number."""
        hit = self._by_seq.get(seq)
        return self._entries[hit[1]][1] if hit else None

    def _ordered(self, ids: Iterable[str]) -> list[OutboxEntry]:
        pairs = sorted(self._entries[i] for i in ids)  # doc IDs are unique: entries never compared
        return [entry for _, entry in pairs]

    def retire(self, now: datetime, reachable_seqs: Collection[int]) -> list[OutboxEntry]:
        """The finished entries the state no longer needs: older than ``KEEP_FINISHED`` (by when they were last
        sent, else made) and not the call of a decision in ``reachable_seqs`` (what undo can still go back to)."""
        cutoff = now - KEEP_FINISHED
        return [
            entry
            for _, entry in self._entries.values()
            if entry.state in FINISHED
            and (entry.attempted_at or entry.created_at) < cutoff
            and (entry.decision_seq is None or entry.decision_seq not in reachable_seqs)
        ]


def _discard(index: dict[str, set[str]], key: str, entry_id: str) -> None:
    ids = index.get(key)
    if ids is not None:
        ids.discard(entry_id)
        if not ids:
            del index[key]


class History:
    """``outbox-history.jsonl``: one line per finished entry moved out of the state (append-only, fsynced)."""

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        self._fsync = fsync

    def append(self, entries: Sequence[OutboxEntry]) -> None:
        """Add ``entries`` in one write, durable when this returns; a torn last line (a kill) is skipped on read."""
        if not entries:
            return
        payload = b"".join(orjson.dumps(codec.entry_to_doc(entry)) + b"\n" for entry in entries)
        append_lines(self.path, payload, fsync=self._fsync)

    def read(self) -> list[OutboxEntry]:
        """Every entry moved out, oldest first, each once (its last line)."""
        return list({entry.id: entry for entry in self._lines()}.values())

    def _lines(self) -> Iterator[OutboxEntry]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreCorrupt(self.path, f"cannot read it: {exc.strerror or exc}") from exc
        lines = raw.split(b"\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield codec.entry_from_doc(orjson.loads(line))
            except (orjson.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                if number == len(lines):
                    continue  # cut short by a kill (no newline yet): its entries are still in the state
                raise StoreCorrupt(self.path, f"line {number} is damaged ({exc})") from exc
