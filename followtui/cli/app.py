"""``followtui`` with no subcommand: the full-screen app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from followtui.config import Config

PER_ACCOUNT = True  # args.account_ref: the account to open (None: nothing to open yet, the welcome page)


def run(args: argparse.Namespace, data_dir: Path, config: Config) -> int:
    from followtui.services.session import AccountOpener
    from followtui.tui.app import FollowApp

    if args.reset and not args.demo:
        print("followtui: --reset only applies to --demo (it never touches your real cache)", file=sys.stderr)
        return 2
    account = args.account_ref
    options = {"reset": args.reset, "config": config}
    opener = None if account is None else AccountOpener(data_dir, account, demo=args.demo, options=options)
    app = FollowApp(opener, config)
    app.run()
    return app.return_code or 0  # 2: the config's keymap or theme was refused (the app said why)
