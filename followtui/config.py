"""The user's config file (TOML): key remapping, snooze length, theme, X API pacing and prices, sync size.

```toml
[keys]            # binding id = "keys", e.g. follow = "F"  (ids: see `?` in the app or the README)
follow = "f"

[triage]
snooze_days = 3

[ui]
theme = "textual-dark"

[x]
client_id = "..."         # your X app's OAuth 2.0 client ID (for `followtui auth`)
timeout = 30              # seconds to wait for an answer
follows_per_day = 400     # the outbox never sends more follows in 24 hours
writes_per_15min = 50     # per endpoint (follow, unfollow, list member ...)
owned_app = false         # you own the developer app: "Owned Reads" prices apply to your own data

[x.prices]                # pay-per-use, US dollars; see followtui/backends/meter.py for every key
follows_read = 0.010

[sync]
posts_accounts = 50       # accounts in the triage panes whose recent posts a sync reads
posts_per_account = 5
mentions = 100
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followtui.backends.meter import DEFAULT_PRICES


class ConfigError(Exception):
    """The config file is unreadable or holds a bad value; the message names the file, key and line."""


@dataclass(frozen=True, slots=True)
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    snooze_days: float = 3.0
    theme: str = "textual-dark"
    client_id: str = ""
    timeout: float = 30.0
    follows_per_day: int = 400
    writes_per_15min: int = 50
    owned_app: bool = False
    prices: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    posts_accounts: int = 50
    posts_per_account: int = 5
    mentions: int = 100
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
        line = _line_of(text, key)
        where = f"{path}, line {line}" if line else str(path)
        return ConfigError(f"{where}: {key}: {message}")

    known = {"keys", "triage", "ui", "x", "sync"}
    for section in data:
        if section not in known:
            raise fail(section, f"unknown section (expected one of {', '.join(sorted(known))})")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise fail("keys", 'must be a table of binding id = "key"')
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise fail(f"keys.{binding_id}", 'must be a key string such as "f" or "ctrl+f,F"')

    def table(name: str, allowed: set[str]) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise fail(name, "must be a table")
        for key in value:
            if key not in allowed:
                raise fail(f"{name}.{key}", f"unknown key (expected one of {', '.join(sorted(allowed))})")
        return value

    def number(section: dict[str, Any], name: str, default: float, low: float, high: float, *, whole: bool) -> float:
        value = section.get(name.rsplit(".", 1)[-1], default)
        kind = int if whole else int | float
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            what = "a whole number" if whole else "a number"
            raise fail(name, f"must be {what} from {low:g} to {high:g}")
        return value

    triage = table("triage", {"snooze_days"})
    snooze = number(triage, "triage.snooze_days", 3.0, 0.01, 365, whole=False)
    ui = table("ui", {"theme"})
    theme = ui.get("theme", "textual-dark")
    if not isinstance(theme, str):
        raise fail("ui.theme", "must be a theme name string")

    x = table("x", {"client_id", "timeout", "follows_per_day", "writes_per_15min", "owned_app", "prices"})
    client_id = x.get("client_id", "")
    if not isinstance(client_id, str):
        raise fail("x.client_id", "must be a string (your X app's OAuth 2.0 client ID)")
    owned_app = x.get("owned_app", False)
    if not isinstance(owned_app, bool):
        raise fail("x.owned_app", "must be true or false")
    prices = dict(DEFAULT_PRICES)
    given = x.get("prices", {})
    if not isinstance(given, dict):
        raise fail("x.prices", "must be a table of price name = dollars")
    for key in given:
        if key not in DEFAULT_PRICES:
            raise fail(f"x.prices.{key}", f"unknown price (expected one of {', '.join(sorted(DEFAULT_PRICES))})")
        prices[key] = number(given, f"x.prices.{key}", 0, 0, 100, whole=False)
    sync = table("sync", {"posts_accounts", "posts_per_account", "mentions"})
    return Config(
        keys=dict(keys),
        snooze_days=float(snooze),
        theme=theme,
        client_id=client_id.strip(),
        timeout=float(number(x, "x.timeout", 30, 1, 600, whole=False)),
        follows_per_day=int(number(x, "x.follows_per_day", 400, 0, 400, whole=True)),
        writes_per_15min=int(number(x, "x.writes_per_15min", 50, 1, 300, whole=True)),
        owned_app=owned_app,
        prices=prices,
        posts_accounts=int(number(sync, "sync.posts_accounts", 50, 0, 10_000, whole=True)),
        posts_per_account=int(number(sync, "sync.posts_per_account", 5, 0, 100, whole=True)),
        mentions=int(number(sync, "sync.mentions", 100, 5, 800, whole=True)),
        path=path,
    )


def _line_of(text: str, dotted: str) -> int | None:
    """The line of ``dotted`` (``section.key``, ``x.prices.key`` or a bare key/section) in the TOML text."""
    section, _, key = dotted.rpartition(".")
    start, end = 0, len(text)
    if section:
        header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(section)}[ \t]*\][ \t]*(#.*)?$", re.MULTILINE).search(text)
        if header is None:
            return None
        start = header.end()
        following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
        end = following.start() if following else len(text)
    match = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", re.MULTILINE).search(text, start, end)
    if match is None and not section:  # a section name: its header
        match = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(key)}[ \t]*\]", re.MULTILINE).search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
