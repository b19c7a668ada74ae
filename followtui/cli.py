"""The ``followtui`` command: the app, and headless subcommands that reuse the same services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from followtui import __version__, paths
from followtui.config import Config, ConfigError, load


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: a subcommand that repeats these options must not reset what was given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--data-dir", type=Path, help="where the cache lives (default: $FOLLOWTUI_HOME or the platform's data dir)"
    )
    common.add_argument(
        "--demo", action="store_true", help="use the built-in demo data set (kept apart from your cache)"
    )

    parser = argparse.ArgumentParser(
        prog="followtui",
        description="Triage the people you follow and the people who follow you, judged by what they post.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"followtui {__version__}")
    parser.add_argument(
        "--reset", action="store_true", help="with --demo: regenerate the demo data and forget its decisions"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = sub.add_parser("export", parents=[common], help="write followers, following or decisions to stdout")
    export.add_argument("kind", choices=["followers", "following", "decisions"])
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.demo = getattr(args, "demo", False)
    args.data_dir = getattr(args, "data_dir", None)
    try:
        config = load(paths.config_file())
    except ConfigError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 2
    data_dir = paths.data_dir(args.data_dir, demo=args.demo)
    if args.command == "export":
        return _export(args, data_dir)
    if args.reset and not args.demo:
        print("followtui: --reset only applies to --demo (it never touches your real cache)", file=sys.stderr)
        return 2
    return _run_app(args, data_dir, config)


def _run_app(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.session import has_cache, open_session
    from followtui.tui.app import FollowApp

    welcome = not args.demo and not has_cache(data_dir) and not paths.credentials_file().exists()
    opener = (
        None
        if welcome
        else partial(open_session, data_dir, demo=args.demo, reset=args.reset, snooze_days=config.snooze_days)
    )
    FollowApp(opener, config).run()
    return 0


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from followtui.services.export import export
    from followtui.services.session import has_cache, open_session, utc_now
    from followtui.store import StoreError

    if not args.demo and not has_cache(data_dir):
        print(f"followtui: no cache in {data_dir} (try --demo, or sync first)", file=sys.stderr)
        return 1
    try:
        session = open_session(data_dir, demo=args.demo)
    except StoreError as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 1
    try:
        if args.output:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                export(session.store, args.kind, args.format, out, utc_now)
        else:
            export(session.store, args.kind, args.format, sys.stdout, utc_now)
    finally:
        session.close()
    return 0
