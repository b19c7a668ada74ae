"""The ``followtui`` command: the app, and headless subcommands that reuse the same services.

Each subcommand lives in its own module with ``add_parser(sub, common)`` and ``run(args, data_dir, config)``; one
that sets ``PER_ACCOUNT = True`` finds its account first (``args.account_ref``: an ``AccountRef``, or None when
there is no account yet).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from followtui import __version__, paths
from followtui.cli import app, archive, auth, export, sync
from followtui.cli import config as config_command
from followtui.config import Config, ConfigError, load

if TYPE_CHECKING:
    from followtui.services.accounts import AccountRef

_COMMANDS = {"auth": auth, "config": config_command, "export": export, "import-archive": archive, "sync": sync}


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: a subcommand that repeats these options must not reset what was given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--data-dir", type=Path, help="where the cache lives (default: $FOLLOWTUI_HOME or the platform's data dir)"
    )
    common.add_argument(
        "--demo", action="store_true", help="use the built-in demo data set (kept apart from your cache)"
    )
    common.add_argument(
        "--account",
        metavar="HANDLE",
        help='the account to use when several are signed in: a handle, or "x:NAME" / "bluesky:NAME" '
        "(default: [ui] account, else the one used last)",
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
    for module in _COMMANDS.values():
        module.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.demo = getattr(args, "demo", False)
    args.data_dir = getattr(args, "data_dir", None)
    args.account = getattr(args, "account", None)
    command = _COMMANDS.get(args.command or "")
    try:
        config = load(paths.config_file())
    except ConfigError as error:
        if getattr(command, "NEEDS_CONFIG", True):
            print(f"followtui: {error}", file=sys.stderr)
            return 2
        config = Config()  # `followtui config` is how a broken file gets found and replaced
    data_dir = paths.data_dir(args.data_dir, demo=args.demo)
    command = command or app
    if getattr(command, "PER_ACCOUNT", False):  # the command works on one account's cache: find it
        chosen = _account(args, data_dir, config)
        if isinstance(chosen, int):
            return chosen
        args.account_ref = chosen
    try:
        status: int = command.run(args, data_dir, config)
    except BrokenPipeError:  # `followtui export ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return status


def _account(args: argparse.Namespace, base: Path, config: Config) -> AccountRef | int | None:
    """The account named (or the one used last; None: no account yet), or the exit status of a refusal."""
    from followtui.services.accounts import AccountError, resolve
    from followtui.store import StoreError

    try:
        return resolve(base, args.account or config.account or None, demo=args.demo)
    except (AccountError, StoreError) as error:
        print(f"followtui: {error}", file=sys.stderr)
        return 2 if isinstance(error, AccountError) else 1
