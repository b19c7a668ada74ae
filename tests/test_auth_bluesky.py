"""``followtui auth bluesky``: app-password sign-in against FakeBsky, the 0600 session file, --status, --logout."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from followtui.cli import main
from tests.fakebsky import FakeBsky, World


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBsky]:
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("FOLLOWTUI_HOME", str(tmp_path / "data"))
    with FakeBsky(World.generate(followers=3)) as fb:
        yield fb
        assert not fb.violations


def sign_in(fb: FakeBsky, monkeypatch: pytest.MonkeyPatch, password: str) -> int:
    monkeypatch.setenv("FOLLOWTUI_BSKY_APP_PASSWORD", password)
    return main(["auth", "bluesky", "--handle", "@maria.bsky.social", "--service", fb.base_url])


def test_sign_in_saves_the_session_0600_without_the_password(
    fake: FakeBsky, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sign_in(fake, monkeypatch, fake.world.app_password) == 0
    out = capsys.readouterr().out
    assert (
        "never your main password" in out and f"Signed in to Bluesky as @maria.bsky.social ({fake.world.me.did}" in out
    )
    path = tmp_path / "config" / "bluesky-credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert fake.world.app_password not in text
    (account,) = json.loads(text)["accounts"].values()
    assert account["pds"] == fake.base_url and account["refresh_jwt"]

    assert main(["auth", "--status"]) == 0
    status = capsys.readouterr().out
    assert f"Bluesky: @maria.bsky.social ({fake.world.me.did}) on {fake.base_url}" in status
    assert "eyJ" not in status  # no token shown

    assert main(["auth", "bluesky", "--logout"]) == 0
    assert not path.exists()
    assert main(["auth", "--status"]) == 1


def test_the_main_password_is_refused(
    fake: FakeBsky, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sign_in(fake, monkeypatch, fake.world.main_password) == 1
    assert "main password" in capsys.readouterr().err
    assert not (tmp_path / "config" / "bluesky-credentials.json").exists()
