"""The TOML config: defaults, every [x] and [sync] key, and errors that name the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from followtui.backends.meter import DEFAULT_PRICES
from followtui.config import Config, ConfigError, load
from followtui.services.session import open_session


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load(tmp_path / "absent.toml")
    assert config == Config()
    assert (config.follows_per_day, config.writes_per_15min, config.timeout) == (400, 50, 30.0)
    assert (config.posts_accounts, config.posts_per_account, config.mentions) == (50, 5, 100)
    assert config.prices == DEFAULT_PRICES and config.owned_app is False


def test_every_x_and_sync_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[x]
client_id = "  abc123  "
timeout = 12.5
follows_per_day = 100
writes_per_15min = 10
owned_app = true

[x.prices]
follows_read = 0.002

[sync]
posts_accounts = 0
posts_per_account = 20
mentions = 800
""",
    )
    config = load(path)
    assert config.client_id == "abc123"
    assert (config.timeout, config.follows_per_day, config.writes_per_15min, config.owned_app) == (12.5, 100, 10, True)
    assert config.prices["follows_read"] == 0.002
    assert config.prices["user_read"] == DEFAULT_PRICES["user_read"]
    assert (config.posts_accounts, config.posts_per_account, config.mentions) == (0, 20, 800)


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("[x]\nfollows_per_day = 401\n", "x.follows_per_day", 2),
        ("[x]\nfollows_per_day = 1.5\n", "x.follows_per_day", 2),
        ("[x]\nwrites_per_15min = 0\n", "x.writes_per_15min", 2),
        ("[x]\n\ntimeout = true\n", "x.timeout", 3),
        ("[x]\nowned_app = 1\n", "x.owned_app", 2),
        ("[x]\nclient_id = 5\n", "x.client_id", 2),
        ("[x]\nfrobnicate = 5\n", "x.frobnicate", 2),
        ("[x.prices]\nfollows_read = -1\n", "x.prices.follows_read", 2),
        ("[x.prices]\ncoffee = 1\n", "x.prices.coffee", 2),
        ("[sync]\nposts_per_account = 101\n", "sync.posts_per_account", 2),
        ("[sync]\nmentions = 4\n", "sync.mentions", 2),
        ("x = 3\n", "x", 1),
        ("[nonsense]\n", "nonsense", None),
    ],
)
def test_a_bad_value_names_the_key_and_the_line(tmp_path: Path, text: str, key: str, line: int | None) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert str(path) in message and f"{key}:" in message
    if line is not None:
        assert f"line {line}" in message


def test_the_config_reaches_the_services(tmp_path: Path) -> None:
    config = load(
        write(
            tmp_path,
            "[triage]\nsnooze_days = 5\n[x]\nfollows_per_day = 7\nwrites_per_15min = 3\nowned_app = true\n"
            "[x.prices]\npost_read = 1.0\n[sync]\nposts_accounts = 9\n",
        )
    )
    session = open_session(tmp_path / "demo", demo=True, demo_delay=0, config=config)
    try:
        assert session.actions.snooze_days == 5
        assert (session.actions.pacing.follows_per_day, session.actions.pacing.writes_per_window) == (7, 3)
        assert session.sync_options.posts_accounts == 9
        assert session.meter.owned_app is True and session.meter.prices["post_read"] == 1.0
        assert session.backend.meter is session.meter  # type: ignore[attr-defined]
    finally:
        session.close()
