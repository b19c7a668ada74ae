"""``followtui import-archive PATH``: your followers, following, lists, blocks and mutes from an X data archive.

The archive (the zip X sends, or its extracted folder) is read and checked whole before the cache is opened; a
broken or foreign archive changes nothing. Exit status: 0 imported, 1 the cache could not be opened, 2 the archive
was refused (the message says why), 130 interrupted (run it again to finish).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followtui.config import Config

if TYPE_CHECKING:
    from followtui.services.accounts import AccountRef

PER_ACCOUNT = True  # the archive goes into its X account's cache (args.account_ref: the one named or used last)


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import-archive",
        parents=[common],
        help="import your X data archive (zip or folder): followers, following, lists, blocks, mutes; no API cost",
    )
    parser.add_argument("path", type=Path, help="the archive zip X sent you, or the folder it was extracted to")
    parser.add_argument("--force", action="store_true", help="import an archive older than the last sync or import")
    parser.add_argument("--restart", action="store_true", help="forget an import that stopped halfway")


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.archive import ArchiveError, read_archive
    from followtui.services import accounts
    from followtui.services.archive_import import forget_stopped_import, import_archive
    from followtui.services.hydrate import estimate
    from followtui.services.session import utc_now
    from followtui.store import Store, StoreError

    if args.demo:
        print("followtui: the demo has its own data; import your archive without --demo", file=sys.stderr)
        return 2
    name = args.path.name or str(args.path)
    try:
        archive = read_archive(args.path)
    except ArchiveError as error:
        print(f"followtui: cannot import {name}: {error}", file=sys.stderr)
        return 2
    account = _target(args, data_dir, archive.account.account_id, archive.account.username)
    if account is None:
        print(f"followtui: {args.account_ref.label} is not an X account; an X archive goes into one", file=sys.stderr)
        return 2
    try:
        store = Store.open(account.dir)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if args.restart:
            forget_stopped_import(account.dir)
        report = import_archive(store, archive, utc_now, force=args.force)
        accounts.remember(data_dir, account)
    except ArchiveError as error:
        print(f"followtui: cannot import {name}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("followtui: interrupted; run the same import again to finish it.", file=sys.stderr)
        return 130
    finally:
        store.close()
    for warning in report.warnings:
        print(f"followtui: warning: {warning}", file=sys.stderr)
    print(f"Imported {report.summary()}.")
    if report.unhydrated:
        requests, cost = estimate(report.unhydrated, config.prices)
        print(
            f"{report.unhydrated:,} accounts are known by their ID only ({report.added:,} new). The app shows them "
            f"as such; `followtui sync --hydrate` looks them up: {requests:,} request{'s' if requests != 1 else ''}, about ${cost:,.2f} under "
            "pay-per-use prices."
        )
    return 0


def _target(args: argparse.Namespace, base: Path, owner_id: str, owner_handle: str) -> AccountRef | None:
    """The X account the archive of ``owner_id`` goes into: the one named or used last (an archive of another
    account is then refused by the import, nothing changed), else a new cache for the archive's own account.
    None: a Bluesky account was named."""
    from followtui.services.accounts import AccountRef, X, account_dir

    chosen: AccountRef | None = args.account_ref
    if chosen is not None and chosen.network == X:
        return AccountRef(X, chosen.id or owner_id, chosen.handle or owner_handle, chosen.dir)
    if chosen is not None and args.account:
        return None
    return AccountRef(X, owner_id, owner_handle, account_dir(base, X, owner_id))
