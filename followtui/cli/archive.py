"""``followtui import-archive PATH``: your followers, following, lists, blocks and mutes from an X data archive.

The archive (the zip X sends, or its extracted folder) is read and checked whole before the cache is opened; a
broken or foreign archive changes nothing. Exit status: 0 imported, 1 the cache could not be opened, 2 the archive
was refused (the message says why), 130 interrupted (run it again to finish).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from followtui.config import Config


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
    try:
        store = Store.open(data_dir)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if args.restart:
            forget_stopped_import(data_dir)
        report = import_archive(store, archive, utc_now, force=args.force)
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
