"""The ``followtui`` command line, run as ``python -m followtui`` with every user dir pointed at a temp dir."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import platformdirs
import pytest

from followtui import __version__, paths
from followtui.domain.models import DecisionKind
from followtui.services.export import ACCOUNT_COLUMNS
from followtui.services.session import open_session
from tests.cli_helpers import isolated_env, run_followtui


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path, data="env-home")


run = run_followtui


def test_version(env: dict[str, str]) -> None:
    result = run(env, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"followtui {__version__}"


def test_help_lists_the_options_and_commands(env: dict[str, str]) -> None:
    result = run(env, "--help")
    assert result.returncode == 0, result.stderr
    for word in ("--demo", "--data-dir", "--reset", "--version", "export"):
        assert word in result.stdout


def test_export_followers_csv_from_the_demo(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(env, "export", "followers", "--demo", "--data-dir", str(data), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert tuple(rows[0]) == ACCOUNT_COLUMNS
    assert len(rows) - 1 >= 300
    # --data-dir beats $FOLLOWTUI_HOME, and the demo keeps to its own subdirectory.
    assert (data / "demo" / "x" / "1000" / "graph.jsonl").exists()  # the demo's X account, user ID 1000
    assert not (data / "x").exists() and not (data / "state.json").exists()
    assert not Path(env["FOLLOWTUI_HOME"]).exists()


def test_export_decisions_json_after_a_decision(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    session = open_session(data / "demo", demo=True, demo_delay=0.0)
    try:
        account_id = session.triage.new_followers().ids[0]
        session.decisions.decide(account_id, DecisionKind.SKIP)
        account = session.store.account(account_id)
        assert account is not None
        username = account.username
    finally:
        session.close()
    result = run(env, "export", "decisions", "--demo", "--data-dir", str(data), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["account_id"], r["username"], r["decision"]) for r in rows] == [(account_id, username, "skip")]


def test_export_csv_rows_survive_hostile_text(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, "export", "followers", "--demo", "--data-dir", str(tmp_path / "data"), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    broken = [row[:3] for row in rows if len(row) != len(ACCOUNT_COLUMNS)]
    assert broken == []


def test_global_options_before_the_subcommand_count(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, "--demo", "--data-dir", str(tmp_path / "data"), "export", "followers")
    assert result.returncode == 0, result.stderr


def test_reset_without_demo_is_refused(env: dict[str, str]) -> None:
    result = run(env, "--reset")
    assert result.returncode == 2
    assert "--reset" in result.stderr and "--demo" in result.stderr
    assert not Path(env["FOLLOWTUI_HOME"]).exists()


def test_export_without_a_cache_explains(env: dict[str, str], tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    result = run(env, "export", "followers", "--data-dir", str(empty))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no cache" in result.stderr and str(empty) in result.stderr


def test_bad_config_names_the_key_and_line(env: dict[str, str], tmp_path: Path) -> None:
    config = Path(env["FOLLOWTUI_CONFIG_HOME"]) / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[ui]\ntheme = "textual-dark"\n\n[triage]\nsnooze_days = "x"\n', encoding="utf-8")
    result = run(env, "export", "followers", "--demo", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert "triage.snooze_days" in result.stderr
    assert "line 5" in result.stderr
    assert str(config) in result.stderr
    assert not (tmp_path / "data").exists()


# -- paths.data_dir precedence (unit tests, no subprocess) -------------------------------------------


def test_data_dir_explicit_beats_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOLLOWTUI_HOME", str(tmp_path / "env"))
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert paths.data_dir(tmp_path / "explicit", demo=True) == tmp_path / "explicit" / "demo"


def test_data_dir_environment_beats_the_platform_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOLLOWTUI_HOME", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(demo=True) == tmp_path / "env" / "demo"


def test_data_dir_defaults_to_the_platform_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOLLOWTUI_HOME", raising=False)
    platform = Path(platformdirs.user_data_dir("followtui", appauthor=False))
    assert paths.data_dir() == platform
    assert paths.data_dir(demo=True) == platform / "demo"


def test_data_dir_expands_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FOLLOWTUI_HOME", "~/ft")
    assert paths.data_dir() == tmp_path / "ft"
    assert paths.data_dir(Path("~/other")) == tmp_path / "other"
