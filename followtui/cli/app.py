"""``followtui`` with no subcommand: the full-screen app."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

from followtui import paths
from followtui.config import Config


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.session import has_cache, open_session
    from followtui.tui.app import FollowApp

    if args.reset and not args.demo:
        print("followtui: --reset only applies to --demo (it never touches your real cache)", file=sys.stderr)
        return 2
    welcome = not args.demo and not has_cache(data_dir) and not _signed_in()
    opener = None if welcome else partial(open_session, data_dir, demo=args.demo, reset=args.reset, config=config)
    app = FollowApp(opener, config)
    app.run()
    return app.return_code or 0  # 2: the config's keymap or theme was refused (the app said why)


def _signed_in() -> bool:
    """Whether there are credentials to try (a cheap check: reading them happens in the session)."""
    from followtui.backends.x.credentials import ENV_OAUTH1, ENV_OAUTH2_TOKEN

    names = (ENV_OAUTH2_TOKEN, *ENV_OAUTH1)
    return paths.credentials_file().exists() or any(os.environ.get(name, "").strip() for name in names)
