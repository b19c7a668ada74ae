"""Apply an X data archive to the cache, like a sync that read the two follow lists from a file.

The archive gives IDs only: an account the cache does not know yet is stored unhydrated (``Account.hydrated``
False, no name) until ``followtui sync --hydrate`` or a sync looks it up; what the cache already knows about an
account is kept. The previous snapshot and the archive are folded by ``services.merge.merge``, so new followers,
who left and ``first_sync`` mean exactly what they mean after a sync. The snapshot time is the archive's
generation date (an archive older than the last sync or import is refused: it would undo newer knowledge).

Blocked accounts are dropped from the followers (X removes a blocked follower; they never reach the
new-followers queue); muted ones get ``Account.muted``. Lists become owned lists with unknown members (the
archive does not hold them) until a sync reads them.

All or nothing: everything is validated before anything is written. The two files are written by
``Store.replace_graph`` (graph.jsonl, then state.json); an import journal written before holds the changes, so an
import killed between the two files is finished by running it again, reporting the same changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from followtui.archive import Archive, ArchiveError
from followtui.domain.models import FIRST_SYNC, Account, ListInfo, Me, SyncInfo, format_time, parse_time
from followtui.services.merge import Changes, Fetched, changes_from_doc, merge
from followtui.store.journal import Journal
from followtui.store.store import Store

JOURNAL_FILE = "import-journal.jsonl"
SYNC_JOURNAL_FILE = "sync-journal.jsonl"  # services.sync.JOURNAL_FILE (not imported: that pulls in the backends)
JOURNAL_VERSION = 1
ARCHIVE_KEY = "archive"  # SyncInfo.extra: what the last import was
SOURCE = "archive"
LIST_NOTE = "From your data archive: members unknown until `followtui sync` reads them."
SLUG_NOTE = "From your data archive, named by its old URL only: `followtui sync` reads the real list."


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, for the command's summary."""

    me: Me
    followers: int
    following: int
    lists: int
    blocked_dropped: int  # blocked accounts the archive also listed as followers
    muted: int  # muted accounts among the followers and following
    unhydrated: int  # accounts known by ID only, after the import
    added: int  # of those, new with this import
    generated_at: datetime
    changes: Changes
    resumed: bool
    warnings: tuple[str, ...]

    def summary(self) -> str:
        counts = (self.followers, self.following, self.lists)
        parts = self.changes.summary(
            self.me, counts, "first import (new followers are marked from the next sync or import on)"
        )
        if self.blocked_dropped:
            parts.append(f"{self.blocked_dropped:,} blocked left out of the followers")
        if self.muted:
            parts.append(f"{self.muted:,} muted")
        if self.resumed:
            parts.append("finished an import that had stopped")
        return "; ".join(parts)


def import_archive(
    store: Store,
    archive: Archive,
    clock: Callable[[], datetime],
    *,
    force: bool = False,
    journal_path: Path | None = None,
    fsync: bool = True,
) -> ImportReport:
    """Fold ``archive`` into ``store``; raises ``ArchiveError`` (nothing written) when it does not fit the cache."""
    journal_path = journal_path or store.data_dir / JOURNAL_FILE
    previous = store.sync_info()
    me = store.me()
    owner = archive.account
    if me is not None and me.id != owner.account_id:
        raise ArchiveError(
            f"this archive is @{owner.username}'s (ID {owner.account_id}) but the cache in {store.data_dir} is "
            f"@{me.username}'s (ID {me.id}); use another --data-dir for another account"
        )
    if (store.data_dir / SYNC_JOURNAL_FILE).exists():
        raise ArchiveError(
            "a sync stopped halfway: finish it (`followtui sync`) or drop it (`followtui sync --restart`) first"
        )
    now = clock()
    generated = min(archive.generated_at or now, now)
    stale = previous.last_sync is not None and generated < previous.last_sync
    if stale and not force:
        raise ArchiveError(
            f"this archive was made on {generated:%Y-%m-%d %H:%M}, before the cache's last sync or import "
            f"({previous.last_sync:%Y-%m-%d %H:%M}): it would undo newer data (--force imports it anyway)"
        )
    # the snapshot time: when the archive was made (forced over newer data: now, so no time runs backwards)
    journal, header, recorded, resumed = _open_journal(journal_path, archive, store, now if stale else generated, fsync)
    try:
        seen_at = parse_time(str(header.get("seen_at"))) or generated
        first_sync = previous.last_sync is None or store.graph_empty()
        fetched, added = _fetched(store, archive)
        merged = merge(
            previous_accounts=store,
            previous_relationships=store.relationships(),
            previous_mentions=store.mentions(),
            previous_my_posts=store.my_posts(),
            fetched=fetched,
            seen_at=seen_at,
            first_sync=first_sync,
        )
        if recorded is None:
            # Remember what changed before writing: a crash between graph.jsonl and state.json makes the next run
            # merge over the new graph, which gives the same graph but no changes.
            journal.append({"t": "merged", "changes": asdict(merged.changes)})
        changes = recorded or merged.changes
        extra = dict(previous.extra)
        extra[ARCHIVE_KEY] = {
            "import_id": header["import_id"],
            "generated_at": format_time(generated),
            "imported_at": format_time(now),
            "file": Path(archive.source).name,
            "blocked": len(archive.blocked),
            "muted": len(archive.muted),
        }
        if first_sync:
            extra[FIRST_SYNC] = format_time(seen_at)
        store.replace_graph(
            me=fetched.me,
            accounts=merged.accounts,
            relationships=merged.relationships,
            mentions=merged.mentions,
            my_posts=merged.my_posts,
            lists=fetched.lists,
            sync=SyncInfo(
                last_sync=seen_at,
                previous_sync=None if first_sync else previous.last_sync,
                source=SOURCE,
                extra=extra,
            ),
        )
    except BaseException:
        journal.close()
        raise
    journal.discard()
    return ImportReport(
        me=fetched.me,
        followers=len(fetched.followers),
        following=len(fetched.following),
        lists=len(fetched.lists),
        blocked_dropped=len(archive.blocked.intersection(archive.followers)),
        muted=sum(1 for a in merged.accounts if a.muted),
        unhydrated=sum(1 for a in merged.accounts if not a.hydrated),
        added=added,
        generated_at=generated,
        changes=changes,
        resumed=resumed,
        warnings=archive.warnings,
    )


def forget_stopped_import(data_dir: Path) -> bool:
    """Drop the journal of an import that stopped (``--restart``); True if there was one."""
    path = data_dir / JOURNAL_FILE
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def _fetched(store: Store, archive: Archive) -> tuple[Fetched, int]:
    """The archive as a sync's ``Fetched``: accounts new to the cache, or whose muted flag changed (the rest are
    left out, so ``merge`` keeps what the cache knows about them); and how many are new."""
    owner = archive.account
    old_me = store.me()
    followers = [i for i in archive.followers if i not in archive.blocked]
    following = list(archive.following)
    accounts: dict[str, Account] = {}
    added = 0
    for account_id in dict.fromkeys([*followers, *following]):
        muted = account_id in archive.muted
        doc = store.account_doc(account_id)
        if doc is None:
            accounts[account_id] = Account(account_id, "", hydrated=False, muted=muted)
            added += 1
        elif bool(doc.get("muted")) != muted and (known := store.account(account_id)) is not None:
            accounts[account_id] = replace(known, muted=muted)
    lists = [
        store.list_info(item.id) or ListInfo(item.id, item.name, LIST_NOTE if item.numeric else SLUG_NOTE)
        for item in archive.lists
    ]
    me = Me(
        id=owner.account_id,
        username=owner.username or (old_me.username if old_me else ""),
        name=owner.display_name or (old_me.name if old_me else ""),
        followers_count=len(followers),
        following_count=len(following),
    )
    fetched = Fetched(me=me, followers=followers, following=following, accounts=accounts, lists=lists, mutes_known=True)
    return fetched, added


def _open_journal(
    path: Path, archive: Archive, store: Store, seen_at: datetime, fsync: bool
) -> tuple[Journal, dict[str, Any], Changes | None, bool]:
    """The journal of this import: the one of the same archive's import that stopped, or a new one.

    Returns it with its header, the changes it recorded (if it got that far) and whether it is resumed.
    """
    journal = Journal.open(path, fsync=fsync)
    if journal.records:
        header = journal.records[0]
        done = store.sync_info().extra.get(ARCHIVE_KEY, {}).get("import_id") == header.get("import_id")
        if not done and header.get("v") == JOURNAL_VERSION and header.get("fingerprint") == archive.fingerprint:
            merged = [r for r in journal.records if r.get("t") == "merged"]
            return journal, header, changes_from_doc(merged[0]["changes"]) if merged else None, True
        if not done:
            journal.close()
            raise ArchiveError(
                f"an import of {header.get('file', 'another archive')} stopped before it finished: import that "
                "archive again to finish it, or pass --restart to forget it"
            )
        # else it had finished: the crash came after both files were written, and it is started over
    header = {
        "t": "start",
        "v": JOURNAL_VERSION,
        "import_id": uuid.uuid4().hex,
        "fingerprint": archive.fingerprint,
        "file": Path(archive.source).name,
        "seen_at": format_time(seen_at),
    }
    journal.restart(header)
    return journal, header, None, False
