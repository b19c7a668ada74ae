"""Layering: everything below the TUI imports without Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = (
    "followtui.domain",
    "followtui.store",
    "followtui.backends",
    "followtui.backends.demo",
    "followtui.services.session",
    "followtui.services.queue",
    "followtui.services.decisions",
    "followtui.services.lists",
    "followtui.services.outbox",
    "followtui.services.triage",
    "followtui.services.export",
    "followtui.services.archive_import",
    "followtui.services.hydrate",
    "followtui.archive",
    "followtui.demo",
    "followtui.config",
    "followtui.paths",
)

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(leaked))
"""


def test_core_layers_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *CORE_MODULES], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"textual imported by the core layers: {result.stdout.strip()}"
