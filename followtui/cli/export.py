"""``followtui export``: the cache as JSON or CSV, to stdout or a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from followtui.config import Config


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from followtui.services.export import EXPORT_KINDS

    export = sub.add_parser(
        "export", parents=[common], help="write followers, following, the queues, decisions or notes to stdout"
    )
    export.add_argument("kind", choices=EXPORT_KINDS)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.export import export
    from followtui.services.session import has_cache, open_session, utc_now
    from followtui.store import StoreError

    if not args.demo and not has_cache(data_dir):
        print(f"followtui: no cache in {data_dir} (try --demo, or sync first)", file=sys.stderr)
        return 1
    try:
        session = open_session(data_dir, demo=args.demo, config=config)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if args.output:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                export(session.store, args.kind, args.format, out, utc_now, session.triage)
        else:
            export(session.store, args.kind, args.format, sys.stdout, utc_now, session.triage)
    finally:
        session.close()
    return 0
