"""The TOML config: defaults, every [x], [sync] and [signals] key, errors that name the key and its line, and
the default file that `followtui config init` writes."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from followtui.backends.meter import DEFAULT_PRICES
from followtui.config import RULE_KEYS, Config, ConfigError, default_text, load
from followtui.domain.signals import Rules, SignalKind
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
    assert config.rules == Rules() and config.content_first is False
    assert all(config.rules.weight(kind) == 1.0 for kind in SignalKind)


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
        ("[bluesky]\nwrites_per_15min = 417\n", "bluesky.writes_per_15min", 2),
        ("[bluesky]\nfollows_per_day = 20000\n", "bluesky.follows_per_day", 2),
        ("[bluesky]\nposts_per_day = 5\n", "bluesky.posts_per_day", 2),
        ("[sync]\nmentions = 4\n", "sync.mentions", 2),
        ("x = 3\n", "x", 1),
        ("[nonsense]\n", "nonsense", None),
        ('[ui]\ncontent_first = "yes"\n', "ui.content_first", 2),
        ("signals = 3\n", "signals", 1),
        ("[signals]\nnewcomer_days = -1\n", "signals.newcomer_days", 2),
        ("[signals]\n\ninactive_days = 0\n", "signals.inactive_days", 3),
        ("[signals]\ninactive_days = 30.5\n", "signals.inactive_days", 2),
        ('[signals]\nconversation_days = "180"\n', "signals.conversation_days", 2),
        ("[signals]\ncheckin_share = 1.5\n", "signals.checkin_share", 2),
        ("[signals]\ncheckin_min = 0\n", "signals.checkin_min", 2),
        ("[signals]\nhigh_volume_per_day = true\n", "signals.high_volume_per_day", 2),
        ("[signals]\nnewcomer_followers = 1e12\n", "signals.newcomer_followers", 2),
        ("[signals]\negg_posts = -5\n", "signals.egg_posts", 2),
        ("[signals]\nconcerning_below = 0.3\n", "signals.concerning_below", 2),
        ("[signals]\nconcerning_below = 0\n", "signals.concerning_below", 2),
        ("[signals]\ninactive_days = 400\nfollower_ratio = 2\n", "signals.follower_ratio", 3),
        ("[signals]\nweights = 2\n", "signals.weights", 2),
        ("[signals.weights]\negg = -1\n", "signals.weights.egg", 2),
        ("[signals.weights]\negg = 1\ninactive = 11\n", "signals.weights.inactive", 3),
        ("[signals.weights]\nfollowers = 0\n", "signals.weights.followers", 2),
        ('[signals]\ninactive_days = 30\n\n[signals.weights]\n\ngone = "off"\n', "signals.weights.gone", 6),
        ("[signals]\ninactive_days = 30\nweights = { egg = 1, gone = -2 }\n", "signals.weights.gone", 3),
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
        assert session.decisions.snooze_days == 5
        assert (session.outbox.pacing.follows_per_day, session.outbox.pacing.writes_per_window) == (7, 3)
        assert session.sync_options.posts_accounts == 9
        assert session.meter.owned_app is True and session.meter.prices["post_read"] == 1.0
        assert session.backend.meter is session.meter
    finally:
        session.close()


def test_every_signals_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[ui]
content_first = true

[signals]
newcomer_days = 30
newcomer_followers = 0
egg_posts = 3
inactive_days = 730
conversation_days = 60
checkin_share = 0.8
checkin_min = 4
high_volume_per_day = 100
concerning_below = -0.6

[signals.weights]
egg = 0
not_following_back = 0.5
conversation = 2
""",
    )
    config = load(path)
    assert config.content_first is True
    rules = config.rules
    assert (rules.newcomer_days, rules.newcomer_followers, rules.egg_posts) == (30, 0, 3)
    assert (rules.inactive_days, rules.conversation_days, rules.checkin_min) == (730, 60, 4)
    assert (rules.checkin_share, rules.high_volume_per_day, rules.concerning_below) == (0.8, 100.0, -0.6)
    assert isinstance(rules.high_volume_per_day, float) and isinstance(rules.inactive_days, int)
    assert rules.weight(SignalKind.EGG) == 0.0 and rules.weight(SignalKind.NOT_FOLLOWING_BACK) == 0.5
    assert rules.weight(SignalKind.CONVERSATION) == 2.0 and rules.weight(SignalKind.GONE) == 1.0


def test_a_bluesky_account_is_paced_by_the_bluesky_table(tmp_path: Path) -> None:
    from followtui.services.accounts import BLUESKY, AccountRef, account_dir
    from followtui.services.session import open_account

    config = load(
        write(
            tmp_path,
            "[x]\nfollows_per_day = 7\n[bluesky]\nfollows_per_day = 900\nwrites_per_15min = 400\n"
            "list_writes_per_15min = 120\n",
        )
    )
    assert (config.bluesky_follows_per_day, config.bluesky_writes_per_15min) == (900, 400)
    did = "did:plc:abcdefghijklmnopqrstuvwx"
    ref = AccountRef(BLUESKY, did, "maria.bsky.social", account_dir(tmp_path / "data", BLUESKY, did))
    session = open_account(tmp_path / "data", ref, config=config)
    try:
        pacing = session.outbox.pacing
        assert (pacing.follows_per_day, pacing.writes_per_window, pacing.list_writes_per_window) == (900, 400, 120)
    finally:
        session.close()


def test_the_default_file_loads_back_as_the_defaults(tmp_path: Path) -> None:
    text = default_text()
    config = load(write(tmp_path, text))
    assert config == Config()
    assert config.rules == Rules() and config.keys == {}


def test_the_default_file_has_every_key_with_a_comment() -> None:
    text = default_text()
    lines = text.splitlines()
    assert all(len(line) <= 120 for line in lines)
    sections = re.findall(r"^\[([\w.]+)\]$", text, re.MULTILINE)
    assert sections == ["keys", "triage", "ui", "x", "x.prices", "bluesky", "sync", "signals", "signals.weights"]
    settings = [i for i, line in enumerate(lines) if re.match(r"^\w+ = ", line)]
    for i in settings:  # a comment says what it does, and its default
        assert lines[i - 1].startswith("# ") and f"Default: {lines[i].split(' = ', 1)[1]}." in lines[i - 1], lines[i]
    names = {lines[i].split(" = ", 1)[0] for i in settings}
    paced = {f.name.removeprefix("bluesky_") for f in fields(Config) if f.name.endswith(("_per_day", "_15min"))}
    assert {f.name for f in fields(Config) if not f.name.endswith(("_per_day", "_15min"))} - {
        "keys",
        "prices",
        "rules",
        "path",
    } <= names
    assert paced <= names
    assert set(RULE_KEYS) <= names and set(DEFAULT_PRICES) <= names
    assert {str(kind) for kind in SignalKind} <= names
    assert set(RULE_KEYS) == {f.name for f in fields(Rules)} - {"weights"}


def test_a_key_left_out_keeps_its_default(tmp_path: Path) -> None:
    text = default_text().replace("inactive_days = 365\n", "").replace("egg = 1.0\n", "egg = 0.0\n")
    rules = load(write(tmp_path, text)).rules
    assert rules.inactive_days == 365 and rules.weight(SignalKind.EGG) == 0.0


def test_the_rules_reach_triage(tmp_path: Path) -> None:
    config = load(write(tmp_path, "[signals]\ninactive_days = 700\n[signals.weights]\negg = 0\n"))
    session = open_session(tmp_path / "demo", demo=True, demo_delay=0, config=config)
    try:
        assert session.triage.rules == config.rules
        assert session.triage.rules.inactive_days == 700
    finally:
        session.close()


def unfollow_pane(tmp_path: Path, text: str | None) -> list[str]:
    config = load(write(tmp_path, text)) if text is not None else Config()
    session = open_session(tmp_path / "demo", demo=True, demo_delay=0, config=config)
    try:
        return session.triage.unfollow_candidates().ids
    finally:
        session.close()


@pytest.mark.parametrize(
    ("text", "gone_kind"),
    [
        ("[signals]\ninactive_days = 3650\n", SignalKind.INACTIVE),  # nobody is quiet for ten years
        ("[signals.weights]\ninactive = 0\n", SignalKind.INACTIVE),
        ("[signals]\nconcerning_below = -0.9\n", None),  # only the gone are concerning
    ],
)
def test_a_changed_rule_changes_the_unfollow_pane(tmp_path: Path, text: str, gone_kind: SignalKind | None) -> None:
    default = unfollow_pane(tmp_path, None)
    changed = unfollow_pane(tmp_path, text)
    assert changed != default and set(changed) < set(default)
    session = open_session(tmp_path / "demo", demo=True, demo_delay=0)
    try:
        for account_id in set(default) - set(changed):
            kinds = {s.kind for s in session.triage.signals(account_id) if s.concerning}
            assert gone_kind is None or gone_kind in kinds
        for account_id in changed:
            assert gone_kind is None or any(
                s.concerning and s.kind is not gone_kind for s in session.triage.signals(account_id)
            )
            if gone_kind is None:
                assert any(s.strength <= -0.9 for s in session.triage.signals(account_id))
    finally:
        session.close()
