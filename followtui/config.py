"""The user's config file (TOML): key remapping, snooze length, theme.

```toml
[keys]            # binding id = "keys", e.g. follow = "F"  (ids: see `?` in the app or the README)
follow = "f"

[triage]
snooze_days = 3

[ui]
theme = "textual-dark"
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """The config file is unreadable or holds a bad value; the message names the file, key and line."""


@dataclass(frozen=True, slots=True)
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    snooze_days: float = 3.0
    theme: str = "textual-dark"
    path: Path | None = None


def load(path: Path) -> Config:
    """Read the config at ``path``; a missing file gives the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    return _parse(data, path, text)


def _parse(data: dict[str, Any], path: Path, text: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        line = _line_of(text, key.rsplit(".", 1)[-1])
        where = f"{path}, line {line}" if line else str(path)
        return ConfigError(f"{where}: {key}: {message}")

    known = {"keys", "triage", "ui"}
    for section in data:
        if section not in known:
            raise fail(section, f"unknown section (expected one of {', '.join(sorted(known))})")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise fail("keys", 'must be a table of binding id = "key"')
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise fail(f"keys.{binding_id}", 'must be a key string such as "f" or "ctrl+f,F"')
    triage = data.get("triage", {})
    snooze = triage.get("snooze_days", 3.0)
    if isinstance(snooze, bool) or not isinstance(snooze, int | float) or not 0 < snooze <= 365:
        raise fail("triage.snooze_days", "must be a number of days between 0 and 365")
    ui = data.get("ui", {})
    theme = ui.get("theme", "textual-dark")
    if not isinstance(theme, str):
        raise fail("ui.theme", "must be a theme name string")
    return Config(keys=dict(keys), snooze_days=float(snooze), theme=theme, path=path)


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
