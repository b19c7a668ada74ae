"""``followtui export``: the cache as JSON or CSV, to stdout or a file.

``--output FILE`` is written to a temporary file (mode 0600) next to it, fsynced and renamed over ``FILE``: a
reader never sees half an export, and a failed export leaves the old file as it was.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from followtui.config import Config

PER_ACCOUNT = True


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from followtui.services.export import EXPORT_KINDS

    export = sub.add_parser(
        "export", parents=[common], help="write followers, following, the queues, decisions, lists or notes to stdout"
    )
    export.add_argument("kind", choices=EXPORT_KINDS)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument(
        "--output", "-o", type=Path, help="write to this file (atomically, mode 0600) instead of stdout"
    )


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.export import export
    from followtui.services.session import has_cache, open_account, utc_now
    from followtui.store import StoreError

    account = args.account_ref
    if account is None or (not args.demo and not has_cache(account.dir)):
        where = f"for {account.label} in {account.dir}" if account else f"in {data_dir}"
        print(f"followtui: no cache {where} (try --demo, or sync first)", file=sys.stderr)
        return 1
    try:
        session = open_account(data_dir, account, demo=args.demo, config=config)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if args.output:
            try:
                write_atomic(
                    args.output, lambda out: export(session.store, args.kind, args.format, out, utc_now, session.triage)
                )
            except OSError as error:
                print(f"followtui: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
                return 1
        else:
            export(session.store, args.kind, args.format, sys.stdout, utc_now, session.triage)
    finally:
        session.close()
    return 0


def write_atomic(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write ``path`` through a 0600 temp file in its directory: fsynced, then renamed over it."""
    from followtui.durable import replacing  # the store is not imported at start-up

    with replacing(path, prefix=f".{path.name}.") as fh:
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        write(out)
        out.flush()
        out.detach()
