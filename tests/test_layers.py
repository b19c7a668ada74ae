"""Layering: everything below the TUI imports without Textual (checked in a fresh interpreter), and the TUI reaches
the store and the backends only through the services."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import followtui

PACKAGE = Path(followtui.__file__).parent
TUI = PACKAGE / "tui"
# What the TUI may import from the package: the services, the domain types, the config, and itself.
TUI_MAY_IMPORT = (
    "followtui.services",
    "followtui.domain",
    "followtui.config",
    "followtui.tui",
    "followtui.gcpolicy",
    "followtui.__version__",
)

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(leaked))
"""


def core_modules() -> list[str]:
    """Every module of the package except the TUI and the entry points that start it."""
    names = [info.name for info in pkgutil.walk_packages([str(PACKAGE)], prefix="followtui.")]
    return [name for name in names if not name.startswith(("followtui.tui", "followtui.__main__"))]


def test_the_probe_covers_the_layers() -> None:
    modules = core_modules()
    for layer in ("domain", "store", "backends.x", "backends.bluesky", "services.session", "archive", "demo", "cli"):
        assert any(name.startswith(f"followtui.{layer}") for name in modules), layer
    assert len(modules) > 50


def test_core_layers_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *core_modules()], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"textual imported by the core layers: {result.stdout.strip()}"


def tui_imports() -> list[tuple[str, str]]:
    """(file, module) for every ``followtui`` import in ``tui/``, top-level and lazy alike."""
    found: list[tuple[str, str]] = []
    for path in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "followtui":  # from followtui import gcpolicy
                names = [f"followtui.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [(path.name, name) for name in names if name.split(".")[0] == "followtui"]
    return found


def test_the_tui_reaches_the_store_and_backends_only_through_services() -> None:
    imports = tui_imports()
    assert ("app.py", "followtui.services.session") in imports  # the scan sees lazy imports
    strays = [(file, name) for file, name in imports if not name.startswith(TUI_MAY_IMPORT)]
    assert strays == []


def test_the_tui_never_touches_the_sessions_store() -> None:
    reaches = [
        f"{path.name}:{node.lineno}"
        for path in sorted(TUI.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in {"store", "backend"}
    ]
    assert reaches == []


def test_every_message_the_tui_defines_has_a_handler() -> None:
    """A message posted with no handler is dropped without a word (the lists column's ``Picked`` once was)."""
    sources = {path: path.read_text(encoding="utf-8") for path in TUI.rglob("*.py")}
    everything = "\n".join(sources.values())
    found, unhandled = [], []
    for path, source in sources.items():
        for owner in ast.walk(ast.parse(source)):
            if not isinstance(owner, ast.ClassDef):
                continue
            for message in owner.body:
                if not isinstance(message, ast.ClassDef) or not any(
                    isinstance(base, ast.Name) and base.id == "Message" for base in message.bases
                ):
                    continue
                found.append(f"{owner.name}.{message.name}")
                handler = f"def on_{_snake(owner.name)}_{_snake(message.name)}("
                decorated = re.compile(rf"@on\({owner.name}\.{message.name}[,)]")
                if handler not in everything and not decorated.search(everything):
                    unhandled.append(f"{path.relative_to(PACKAGE)}: {owner.name}.{message.name}")
    assert {"ListsColumn.Picked", "MainScreen.PaneLoaded", "AccountList.Highlighted"} <= set(found)
    assert unhandled == []


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
