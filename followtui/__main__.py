"""``python -m followtui``."""

from followtui.cli import main

raise SystemExit(main())
