"""``followtui config init`` and ``followtui config path``, run as ``python -m followtui`` in a temp config dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from followtui.config import Config, default_text, load
from tests.cli_helpers import isolated_env, run_followtui


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path, config="config dir")


@pytest.fixture
def config_file(env: dict[str, str]) -> Path:
    return Path(env["FOLLOWTUI_CONFIG_HOME"]) / "config.toml"


run = run_followtui


def test_path_before_and_after_init(env: dict[str, str], config_file: Path) -> None:
    before = run(env, "config", "path")
    assert before.returncode == 0, before.stderr
    assert before.stdout == f"{config_file}\n"  # the path alone on stdout, for `$EDITOR "$(followtui config path)"`
    assert "does not exist" in before.stderr and "config init" in before.stderr
    assert not config_file.exists()

    init = run(env, "config", "init")
    assert init.returncode == 0, init.stderr
    assert str(config_file) in init.stdout
    assert config_file.read_text(encoding="utf-8") == default_text()
    assert load(config_file) == Config()

    after = run(env, "config", "path")
    assert after.returncode == 0 and after.stdout == f"{config_file}\n"
    assert "exists" in after.stderr and "not" not in after.stderr


def test_init_never_overwrites_without_force(env: dict[str, str], config_file: Path) -> None:
    config_file.parent.mkdir(parents=True)
    mine = "[triage]\nsnooze_days = 7\n"
    config_file.write_text(mine, encoding="utf-8")

    refused = run(env, "config", "init")
    assert refused.returncode == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert config_file.read_text(encoding="utf-8") == mine

    forced = run(env, "config", "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert load(config_file) == Config()
    assert [p.name for p in config_file.parent.iterdir()] == ["config.toml"]  # no temporary file left behind


def test_a_broken_config_is_found_and_replaced_by_the_config_command(env: dict[str, str], config_file: Path) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text("[signals]\ninactive_days = 365\n\n[signals.weights]\negg = -2\n", encoding="utf-8")

    other = run(env, "export", "followers", "--demo")  # every other command refuses to start with it
    assert other.returncode == 2
    assert f"{config_file}, line 5: signals.weights.egg: must be a number from 0 to 10" in other.stderr

    path = run(env, "config", "path")
    assert path.returncode == 2 and path.stdout == f"{config_file}\n"
    assert "line 5" in path.stderr and "signals.weights.egg" in path.stderr

    assert run(env, "config", "init").returncode == 1  # still not without --force
    forced = run(env, "config", "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert run(env, "export", "followers", "--demo").returncode == 0


def test_config_needs_an_action(env: dict[str, str]) -> None:
    result = run(env, "config")
    assert result.returncode == 2 and "ACTION" in result.stderr
    help_text = run(env, "config", "--help").stdout
    assert "init" in help_text and "path" in help_text
    assert "config" in run(env, "--help").stdout
