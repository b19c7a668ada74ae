"""Where followtui keeps its files: ``--data-dir`` > ``$FOLLOWTUI_HOME`` > the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "followtui"
DEMO_SUBDIR = "demo"


def data_dir(explicit: Path | None = None, *, demo: bool = False) -> Path:
    """The data directory to use; the demo keeps its own subdirectory and never touches the real cache."""
    if explicit is not None:
        base = explicit
    elif home := os.environ.get("FOLLOWTUI_HOME"):
        base = Path(home)
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    base = base.expanduser()
    return base / DEMO_SUBDIR if demo else base


def config_dir() -> Path:
    """The config directory: ``$FOLLOWTUI_CONFIG_HOME`` or the platform's user config dir."""
    if explicit := os.environ.get("FOLLOWTUI_CONFIG_HOME"):
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def credentials_file() -> Path:
    return config_dir() / "credentials.json"
