"""The user's config file (TOML): key remapping, snooze length, theme, X API pacing and prices, sync size, and
the triage rules.

``followtui config init`` writes every key with its default and a comment (``default_text``); the short form:

```toml
[keys]            # binding id = "keys", e.g. follow = "F"  (ids: see `?` in the app or the README)
follow = "f"

[triage]
snooze_days = 3

[ui]
theme = "textual-dark"
content_first = false     # hide follower and following counts and ratios everywhere
account = ""              # the account to open when several are signed in, e.g. "bluesky:maria.bsky.social"

[x]
client_id = "..."         # your X app's OAuth 2.0 client ID (for `followtui auth`)
timeout = 30              # seconds to wait for an answer
follows_per_day = 400     # the outbox never sends more follows in 24 hours
writes_per_15min = 50     # follows, and unfollows, in any 15 minutes (X: 50)
list_writes_per_15min = 300  # per list endpoint (create, edit, delete, add or remove members; X: 300)
owned_app = false         # you own the developer app: "Owned Reads" prices apply to your own data
confirm_above = 0.50      # a sync estimated above this many dollars asks first (`followtui sync --yes` does not)
budget_per_month = 0      # dollars a calendar month; reads and writes stop there (0: no budget)
posts_per_day = 200       # accounts whose posts the app reads when you look at them, per day

[x.prices]                # pay-per-use, US dollars; see followtui/backends/meter.py for every key
follows_read = 0.010

[bluesky]                 # the outbox's pace on Bluesky (its PDS: 5,000 write points an hour, 3 per record)
follows_per_day = 400
writes_per_15min = 50
list_writes_per_15min = 300

[sync]
posts_accounts = 50       # accounts in the triage panes whose recent posts a sync of X reads
bluesky_posts_accounts = 1000  # the same on Bluesky, where reads are free
posts_per_account = 5
mentions = 100

[signals]                 # every limit behind the triage signals (see followtui/domain/signals.py: Rules)
inactive_days = 365
concerning_below = -0.3   # a signal this strong against (or stronger) makes an unfollow candidate

[signals.weights]         # a multiplier per signal kind; 0 switches it off
egg = 1.0
```
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from followtui.backends.meter import DEFAULT_PRICES
from followtui.domain.signals import Rules, SignalKind
from followtui.domain.xlimits import FOLLOWS_PER_DAY, FOLLOWS_PER_WINDOW, LIST_WRITES_PER_WINDOW


class ConfigError(Exception):
    """The config file is unreadable or holds a bad value; the message names the file, key and line."""


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, with its default: the one place defaults live (``DEFAULTS``; the services' own defaults and
    ``default_text`` read them from here)."""

    keys: dict[str, str] = field(default_factory=dict)
    snooze_days: float = 3.0
    theme: str = "textual-dark"
    content_first: bool = False
    account: str = ""
    client_id: str = ""
    timeout: float = 30.0
    follows_per_day: int = FOLLOWS_PER_DAY  # X's own limits
    writes_per_15min: int = FOLLOWS_PER_WINDOW
    list_writes_per_15min: int = LIST_WRITES_PER_WINDOW
    owned_app: bool = False
    confirm_above: float = 0.50
    budget_per_month: float = 0.0
    posts_per_day: int = 200
    bluesky_follows_per_day: int = 400
    bluesky_writes_per_15min: int = 50
    bluesky_list_writes_per_15min: int = 300
    prices: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    posts_accounts: int = 50
    bluesky_posts_accounts: int = 1000
    posts_per_account: int = 5
    mentions: int = 100
    rules: Rules = field(default_factory=Rules)
    path: Path | None = field(default=None, compare=False)  # where it was read from; not part of its value


DEFAULTS = Config()

# dotted key -> (lowest, highest, whole number only)
_LIMITS: dict[str, tuple[float, float, bool]] = {
    "triage.snooze_days": (0.01, 365, False),
    "x.timeout": (1, 600, False),
    "x.follows_per_day": (0, FOLLOWS_PER_DAY, True),
    "x.writes_per_15min": (1, 300, True),
    "x.list_writes_per_15min": (1, LIST_WRITES_PER_WINDOW, True),
    "x.confirm_above": (0, 100_000, False),
    "x.budget_per_month": (0, 1_000_000, False),
    "x.posts_per_day": (0, 10_000, True),
    # A Bluesky PDS allows 5,000 write points an hour and 35,000 a day per account, 3 per record created: at most
    # 1,666 creates an hour (416 in 15 minutes) and 11,666 a day (docs.bsky.app, advanced guides: rate limits).
    "bluesky.follows_per_day": (0, 11_000, True),
    "bluesky.writes_per_15min": (1, 400, True),
    "bluesky.list_writes_per_15min": (1, 400, True),
    "sync.posts_accounts": (0, 10_000, True),
    "sync.bluesky_posts_accounts": (0, 100_000, True),
    "sync.posts_per_account": (0, 100, True),
    "sync.mentions": (5, 800, True),
    "signals.newcomer_days": (0, 3650, True),
    "signals.newcomer_followers": (0, 100_000_000, True),
    "signals.egg_posts": (0, 1_000_000, True),
    "signals.inactive_days": (1, 3650, True),
    "signals.conversation_days": (1, 3650, True),
    "signals.checkin_share": (0.01, 1, False),
    "signals.checkin_min": (1, 100, True),
    "signals.high_volume_per_day": (1, 100_000, False),
    "signals.concerning_below": (-1, -0.01, False),
}
_PRICE_LIMITS = (0.0, 100.0, False)
_WEIGHT_LIMITS = (0.0, 10.0, False)
RULE_KEYS = tuple(f.name for f in fields(Rules) if f.name != "weights")


def load(path: Path) -> Config:
    """Read the config at ``path``; a missing file gives the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    return _parse(data, path, text)


def _parse(data: dict[str, Any], path: Path, text: str) -> Config:
    d = Config()  # the defaults: one place, the dataclass (``default_text`` writes the same)

    def fail(key: str, message: str) -> ConfigError:
        return _error(path, text, key, message)

    known = {"keys", "triage", "ui", "x", "bluesky", "sync", "signals"}
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

    def number(
        section: dict[str, Any], name: str, default: float, limits: tuple[float, float, bool] | None = None
    ) -> float:
        low, high, whole = limits or _LIMITS[name]
        value = section.get(name.rsplit(".", 1)[-1], default)
        kind = int if whole else int | float
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            what = "a whole number" if whole else "a number"
            raise fail(name, f"must be {what} from {_num(low)} to {_num(high)}")
        return value

    def boolean(section: dict[str, Any], name: str) -> bool:
        value = section.get(name.rsplit(".", 1)[-1], False)
        if not isinstance(value, bool):
            raise fail(name, "must be true or false")
        return value

    triage = table("triage", {"snooze_days"})
    snooze = number(triage, "triage.snooze_days", d.snooze_days)
    ui = table("ui", {"theme", "content_first", "account"})
    theme = ui.get("theme", d.theme)
    if not isinstance(theme, str):
        raise fail("ui.theme", "must be a theme name string")
    content_first = boolean(ui, "ui.content_first")
    account = ui.get("account", d.account)
    if not isinstance(account, str):
        raise fail("ui.account", 'must be an account name string, e.g. "maria.bsky.social" or "x:maria"')

    x = table(
        "x",
        {
            "client_id",
            "timeout",
            "follows_per_day",
            "writes_per_15min",
            "list_writes_per_15min",
            "owned_app",
            "prices",
            "confirm_above",
            "budget_per_month",
            "posts_per_day",
        },
    )
    client_id = x.get("client_id", d.client_id)
    if not isinstance(client_id, str):
        raise fail("x.client_id", "must be a string (your X app's OAuth 2.0 client ID)")
    owned_app = boolean(x, "x.owned_app")
    prices = dict(DEFAULT_PRICES)
    given = x.get("prices", {})
    if not isinstance(given, dict):
        raise fail("x.prices", "must be a table of price name = dollars")
    for key in given:
        if key not in DEFAULT_PRICES:
            raise fail(f"x.prices.{key}", f"unknown price (expected one of {', '.join(sorted(DEFAULT_PRICES))})")
        prices[key] = float(number(given, f"x.prices.{key}", 0, _PRICE_LIMITS))
    bluesky = table("bluesky", {"follows_per_day", "writes_per_15min", "list_writes_per_15min"})
    sync = table("sync", {"posts_accounts", "bluesky_posts_accounts", "posts_per_account", "mentions"})

    def rules() -> Rules:
        signals = table("signals", {*RULE_KEYS, "weights"})
        defaults = Rules()
        values: dict[str, Any] = {}
        for key in RULE_KEYS:
            default = getattr(defaults, key)
            value = number(signals, f"signals.{key}", default)
            values[key] = int(value) if isinstance(default, int) else float(value)
        given = signals.get("weights", {})
        if not isinstance(given, dict):
            raise fail("signals.weights", "must be a table of signal kind = multiplier")
        weights = dict(defaults.weights)
        kinds = sorted(str(kind) for kind in SignalKind)
        for key in given:
            if key not in kinds:
                raise fail(f"signals.weights.{key}", f"unknown signal (expected one of {', '.join(kinds)})")
            weights[SignalKind(key)] = float(number(given, f"signals.weights.{key}", 1.0, _WEIGHT_LIMITS))
        return Rules(**values, weights=weights)

    return Config(
        keys=dict(keys),
        snooze_days=float(snooze),
        theme=theme,
        content_first=content_first,
        account=account.strip(),
        client_id=client_id.strip(),
        timeout=float(number(x, "x.timeout", d.timeout)),
        follows_per_day=int(number(x, "x.follows_per_day", d.follows_per_day)),
        writes_per_15min=int(number(x, "x.writes_per_15min", d.writes_per_15min)),
        list_writes_per_15min=int(number(x, "x.list_writes_per_15min", d.list_writes_per_15min)),
        owned_app=owned_app,
        confirm_above=float(number(x, "x.confirm_above", d.confirm_above)),
        budget_per_month=float(number(x, "x.budget_per_month", d.budget_per_month)),
        posts_per_day=int(number(x, "x.posts_per_day", d.posts_per_day)),
        bluesky_follows_per_day=int(number(bluesky, "bluesky.follows_per_day", d.bluesky_follows_per_day)),
        bluesky_writes_per_15min=int(number(bluesky, "bluesky.writes_per_15min", d.bluesky_writes_per_15min)),
        bluesky_list_writes_per_15min=int(
            number(bluesky, "bluesky.list_writes_per_15min", d.bluesky_list_writes_per_15min)
        ),
        prices=prices,
        posts_accounts=int(number(sync, "sync.posts_accounts", d.posts_accounts)),
        bluesky_posts_accounts=int(number(sync, "sync.bluesky_posts_accounts", d.bluesky_posts_accounts)),
        posts_per_account=int(number(sync, "sync.posts_per_account", d.posts_per_account)),
        mentions=int(number(sync, "sync.mentions", d.mentions)),
        rules=rules(),
        path=path,
    )


def _error(path: Path | None, text: str, key: str, message: str) -> ConfigError:
    """A bad value, named by the file, its line and its key."""
    line = _line_of(text, key) if text else None
    where = f"{path}, line {line}" if line else str(path or "config")
    return ConfigError(f"{where}: {key}: {message}")


# -- the keymap and the theme, checked against what the app has -------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyAction:
    """A key binding as the keymap check sees it: its id (or its action, for one without), keys and priority.

    A priority binding takes its keys before a focused text field does (a filter could not type them).
    """

    name: str
    keys: tuple[str, ...]
    priority: bool = False
    remappable: bool = True


def key_list(keys: str) -> tuple[str, ...]:
    """``"x, s"`` → ``("x", "s")``, as Textual splits a binding's keys."""
    return tuple(key.strip() for key in keys.split(",") if key.strip())


def check_ui(
    config: Config,
    scopes: dict[str, list[KeyAction]],
    *,
    printable: Callable[[str], bool],
    themes: Collection[str],
) -> None:
    """Refuse a remap that takes another action's key, leaves an action with no key, or gives a priority action a
    key the filter needs for typing; refuse a theme the app does not have. ``scopes``: the bindings active
    together on each screen, by the screen's name. The errors name the file, the line and both action ids.
    """
    path = config.path
    try:
        text = path.read_text(encoding="utf-8") if path else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    known = {a.name for actions in scopes.values() for a in actions if a.remappable}
    remapped: dict[str, tuple[str, ...]] = {}
    for binding_id, value in config.keys.items():
        where = f"keys.{binding_id}"
        if binding_id not in known:
            raise _error(path, text, where, f"unknown binding id (expected one of {', '.join(sorted(known))})")
        remapped[binding_id] = key_list(value)
        if not remapped[binding_id]:
            raise _error(path, text, where, f"{binding_id} would have no key left")
    for scope, actions in scopes.items():
        keys = {a.name: remapped.get(a.name, a.keys) if a.remappable else a.keys for a in actions}
        defaults = {a.name: a.keys for a in actions}
        for action in actions:
            if action.name not in remapped:
                continue
            for key in remapped[action.name]:
                if key in defaults[action.name]:
                    continue  # its own key already
                if action.priority and printable(key):
                    raise _error(
                        path,
                        text,
                        f"keys.{action.name}",
                        f'"{key}" is typed into the filter (filter), and {action.name} would take it first: '
                        "give it a key with ctrl+ or alt+, or a function key",
                    )
                other = next((a for a in actions if a.name != action.name and key in keys[a.name]), None)
                if other is not None:
                    left = [k for k in keys[other.name] if k not in remapped[action.name]]
                    lost = f"; {other.name} would have no key left" if not left else ""
                    raise _error(
                        path,
                        text,
                        f"keys.{action.name}",
                        f'"{key}" is the key of {other.name} in {scope}: {action.name} and {other.name} cannot '
                        f"share it{lost} (remap {other.name} too, or pick another key)",
                    )
    if themes and config.theme not in themes:
        raise _error(path, text, "ui.theme", f"unknown theme (expected one of {', '.join(sorted(themes))})")


def _line_of(text: str, dotted: str) -> int | None:
    """The line of ``dotted`` (``section.key``, ``x.prices.key`` or a bare key/section) in the TOML text.

    A key in an inline table (``weights = { egg = -1 }``) is found by its table's line.
    """
    section, _, key = dotted.rpartition(".")
    start, end = 0, len(text)
    if section:
        header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(section)}[ \t]*\][ \t]*(#.*)?$", re.MULTILINE).search(text)
        if header is None:
            return _line_of(text, section)
        start = header.end()
        following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
        end = following.start() if following else len(text)
    match = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", re.MULTILINE).search(text, start, end)
    if match is None and not section:  # a section name: its header
        match = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(key)}[ \t]*\]", re.MULTILINE).search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# -- the default file -----------------------------------------------------------------------------------------

_PRICE_HELP: dict[str, str] = {
    "follows_read": "per account read in followers / following",
    "owned_read": 'per resource of your own ("Owned Reads", with owned_app = true)',
    "user_read": "per account looked up (or a list member)",
    "post_read": "per post read",
    "list_read": "per list read",
    "list_create": "per list created",
    "list_manage": "per list renamed or deleted, or member added or removed",
    "interaction_create": "per follow",
    "interaction_delete": "per unfollow",
}

_WEIGHT_HELP: dict[SignalKind, str] = {
    SignalKind.CONVERSATION: "you and they reply to or mention each other (0.5 or more keeps them out of the "
    "unfollow candidates)",
    SignalKind.NEWCOMER: "a young or small account: a reason to welcome, never a penalty",
    SignalKind.EGG: "default avatar, empty bio, almost no posts",
    SignalKind.ORGANISATION: "a brand, not a person: verified business or government, an organisation's bio, a "
    "shop link",
    SignalKind.CHECKIN: "most recent posts are Foursquare/Swarm check-ins",
    SignalKind.INACTIVE: "no post for inactive_days",
    SignalKind.GONE: "suspended or deleted",
    SignalKind.PROTECTED: "protected, with no post you can see (counts neither way)",
    SignalKind.NOT_FOLLOWING_BACK: "you follow them; they do not follow you (or unfollowed you)",
    SignalKind.HIGH_VOLUME: "posts high_volume_per_day times a day or more: likely automated",
    SignalKind.FOLLOW_BAIT: '"follow back", "#TeamFollowBack", "DM for promo" in the bio',
}

_RULE_HELP: dict[str, str] = {
    "newcomer_days": "An account younger than this many days is a newcomer: a reason to welcome, never a penalty.",
    "newcomer_followers": "An account with fewer followers than this is small: judged by its posts, never its "
    "numbers (a newcomer too).",
    "egg_posts": 'A default-avatar account with fewer lifetime posts than this (and under 3 seen) has "almost no '
    'posts".',
    "inactive_days": "No post for this many days makes an account quiet.",
    "conversation_days": "Replies and mentions between you and them in the last this-many days are a conversation.",
    "checkin_share": "A check-in auto-poster: at least this share of the recent posts are Foursquare/Swarm "
    "check-ins ...",
    "checkin_min": "... and at least this many of them.",
    "high_volume_per_day": "This many posts a day since joining, or more, is likely automated.",
    "concerning_below": "A signal this strong against (strengths run from -1 to +1), or stronger, is a concern: it "
    "makes an account you follow an unfollow candidate.",
}


def default_text() -> str:
    """The full config file with every key at its default, each with a comment; ``load`` reads it as ``Config()``."""
    d = Config()
    out = [
        "# followtui's config file: every key at its default. Change what you like; a deleted line keeps the default.",
        "# A bad value is reported with this file, the key and its line, and the app does not start with it.",
        "",
        "[keys]",
        '# Remap a key by its binding id: id = "key", several keys comma-separated. `?` in the app and the README',
        "# list the ids. For example:",
        '# follow = "F"',
        '# skip = "s,backspace"',
    ]

    def section(name: str, note: str = "") -> None:
        out.append("")
        out.extend(_comment(note))
        out.append(f"[{name}]")

    def key(name: str, value: object, note: str, limits: tuple[float, float, bool] | None = None) -> None:
        if limits is not None:
            low, high, whole = limits
            note += f" {'Whole number' if whole else 'Number'} from {_num(low)} to {_num(high)}."
        out.extend(_comment(f"{note} Default: {_toml(value)}."))
        out.append(f"{name} = {_toml(value)}")

    section("triage")
    key(
        "snooze_days",
        d.snooze_days,
        '"Wait a bit" brings an account back after this many days.',
        _LIMITS["triage.snooze_days"],
    )
    section("ui")
    key("theme", d.theme, 'A Textual theme name, such as "nord", "gruvbox" or "textual-light".')
    key("content_first", d.content_first, "true: hide follower and following counts and ratios everywhere.")
    key(
        "account",
        d.account,
        'The account to open when several are signed in: a handle, or "x:maria" / "bluesky:maria.bsky.social"'
        " (--account wins; empty: the one opened last).",
    )
    section("x", "Your X account and how the outbox paces its calls.")
    key(
        "client_id", d.client_id, "Your X app's OAuth 2.0 client ID, for `followtui auth` ($FOLLOWTUI_X_CLIENT_ID too)."
    )
    key("timeout", d.timeout, "Seconds to wait for an answer from X.", _LIMITS["x.timeout"])
    key(
        "follows_per_day",
        d.follows_per_day,
        "The outbox never sends more follows in 24 hours (X's own limit).",
        _LIMITS["x.follows_per_day"],
    )
    key(
        "writes_per_15min",
        d.writes_per_15min,
        "Follows, and unfollows, in any 15 minutes (each; X allows 50).",
        _LIMITS["x.writes_per_15min"],
    )
    key(
        "list_writes_per_15min",
        d.list_writes_per_15min,
        "Calls per list endpoint (create, edit, delete, add or remove a member) in any 15 minutes (X allows 300).",
        _LIMITS["x.list_writes_per_15min"],
    )
    key("owned_app", d.owned_app, 'true: you own the developer app, so "Owned Reads" prices apply to your own data.')
    key(
        "confirm_above",
        d.confirm_above,
        "A sync estimated to cost more dollars than this asks first (`followtui sync --yes` skips the question).",
        _LIMITS["x.confirm_above"],
    )
    key(
        "budget_per_month",
        d.budget_per_month,
        "Dollars a calendar month (UTC): reads and writes stop when it is spent. 0: no budget.",
        _LIMITS["x.budget_per_month"],
    )
    key(
        "posts_per_day",
        d.posts_per_day,
        "Accounts a day whose recent posts the app reads when you look at them and none are cached.",
        _LIMITS["x.posts_per_day"],
    )
    section("x.prices", "X's pay-per-use prices in US dollars, for the cost estimates (0 to 100 each).")
    for name, price in d.prices.items():
        key(name, price, _sentence(_PRICE_HELP.get(name, "US dollars")))
    section(
        "bluesky",
        "How the outbox paces its calls to Bluesky (its PDS allows 5,000 write points an hour, 3 per record made).",
    )
    key(
        "follows_per_day",
        d.bluesky_follows_per_day,
        "The outbox never sends more follows in 24 hours: triage, not churn.",
        _LIMITS["bluesky.follows_per_day"],
    )
    key(
        "writes_per_15min",
        d.bluesky_writes_per_15min,
        "Follows, and unfollows, in any 15 minutes (each).",
        _LIMITS["bluesky.writes_per_15min"],
    )
    key(
        "list_writes_per_15min",
        d.bluesky_list_writes_per_15min,
        "Each kind of list change (publish, edit, delete, add or remove a member) in any 15 minutes.",
        _LIMITS["bluesky.list_writes_per_15min"],
    )
    section("sync", "How much a sync reads (on X each post read is billed; Bluesky's reads are free).")
    key(
        "posts_accounts",
        d.posts_accounts,
        "Accounts in the triage panes whose recent posts a sync of X reads.",
        _LIMITS["sync.posts_accounts"],
    )
    key(
        "bluesky_posts_accounts",
        d.bluesky_posts_accounts,
        "The same for Bluesky (free: bounded only by its rate limits; the rest are read when you look at them).",
        _LIMITS["sync.bluesky_posts_accounts"],
    )
    key("posts_per_account", d.posts_per_account, "Recent posts read per account.", _LIMITS["sync.posts_per_account"])
    key("mentions", d.mentions, "Your recent mentions read per sync.", _LIMITS["sync.mentions"])
    section("signals", "The triage rules: what makes each signal. Follower counts never count against anyone.")
    for name in RULE_KEYS:
        key(name, getattr(d.rules, name), _RULE_HELP[name], _LIMITS[f"signals.{name}"])
    section(
        "signals.weights",
        "How much each signal counts: its strength (-1 to +1) times this, clamped to -1..+1; 0 switches it off. "
        f"{_num(_WEIGHT_LIMITS[0])} to {_num(_WEIGHT_LIMITS[1])} each.",
    )
    for kind in SignalKind:
        key(str(kind), d.rules.weight(kind), _sentence(_WEIGHT_HELP[kind]))
    return "\n".join(out) + "\n"


def _comment(note: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(note, 116)] if note else []


def _sentence(note: str) -> str:
    return note[:1].upper() + note[1:] + "."


def _num(value: float) -> str:
    """A limit for people: 100000000, not 1e+08."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _toml(value: object) -> str:
    """A default value as TOML: true/false, a number, or a quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)
