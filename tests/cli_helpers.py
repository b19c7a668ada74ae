"""Running ``python -m followtui`` in a child process, with every user dir pointed under a temp dir."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def isolated_env(tmp_path: Path, *, data: str = "data", config: str = "config") -> dict[str, str]:
    """An environment whose home, data and config dirs all live under ``tmp_path``."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "FOLLOWTUI_HOME": str(tmp_path / data),
        "FOLLOWTUI_CONFIG_HOME": str(tmp_path / config),
        "PYTHONIOENCODING": "utf-8",
    }


def run_followtui(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the command; stdout is decoded without newline translation, so stray ``\\r`` in data stay visible."""
    raw = subprocess.run(
        [sys.executable, "-m", "followtui", *args], capture_output=True, env=env, timeout=timeout, check=False
    )
    return subprocess.CompletedProcess(
        raw.args, raw.returncode, raw.stdout.decode("utf-8"), raw.stderr.decode("utf-8", "replace")
    )


def cache_dir(base: Path, network: str = "x") -> Path:
    """The cache directory of the one account on ``network`` under the data dir ``base`` (by its account.json)."""
    from followtui.services.accounts import known_accounts

    found = [ref.dir for ref in known_accounts(base) if ref.network == network]
    assert len(found) == 1, f"expected one {network} account under {base}, found {found}"
    return found[0]
