"""``followtui config``: write the default config file (``init``), or say where it lives (``path``).

Both work while the config file is broken: they are how it gets found and replaced.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from followtui import paths
from followtui.config import Config, ConfigError, default_text, load

NEEDS_CONFIG = False  # `followtui` runs this command even when the config file does not load


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser("config", help="write the default config file, or show where it lives")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", help="write every setting with its default and a comment to the config file (see `config path`)"
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing config file")
    actions.add_parser("path", help="print where the config file lives, and say whether it exists")


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    path = paths.config_file()
    if args.config_action == "init":
        return _init(path, force=args.force)
    return _path(path)


def _init(path: Path, *, force: bool) -> int:
    """Write the default file; an existing one only with ``force`` (through a temporary file and a rename)."""
    text = default_text()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not force:
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
        else:
            from followtui.durable import replacing

            with replacing(path, prefix=f".{path.name}.") as fh:
                fh.write(text.encode("utf-8"))
    except FileExistsError:
        print(f"followtui: {path} already exists; `followtui config init --force` overwrites it.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"followtui: cannot write {path}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote the default config to {path}")
    return 0


def _path(path: Path) -> int:
    """The path on stdout (for scripts); whether it exists, or what is wrong with it, on stderr."""
    print(path)
    if not path.exists():
        print(
            "followtui: it does not exist yet (the defaults apply); `followtui config init` writes it.", file=sys.stderr
        )
        return 0
    try:
        load(path)
    except ConfigError as error:
        print(f"followtui: it exists but does not load: {error}", file=sys.stderr)
        return 2
    print("followtui: it exists.", file=sys.stderr)
    return 0
