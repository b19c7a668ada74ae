"""Nothing is spent unasked: ``followtui sync`` says what it would cost and asks first (``--yes`` does not), and
``[x] budget_per_month`` stops it; end to end through the real ``tweepy.Client`` against the spec-checked FakeX."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followtui.cli import main
from tests.fakex import FakeX, World
from tests.test_sync_x import JOURNAL, TOKEN, data_dir_of, make_env, run_sync

ESTIMATE = re.compile(r"A sync makes up to ([\d,]+) requests?, estimated at most \$([\d,.]+) at X's pay-per-use prices")
ACTUAL = re.compile(r"^([\d,]+) requests, estimated \$([\d,.]+) under pay-per-use prices$", re.M)


@pytest.fixture
def fx() -> Iterator[FakeX]:
    world = World.generate(followers=300, following=60, mutual=20, lists=2, posters=30, seed=5)
    world.add_user_token(TOKEN, world.me_id)
    with FakeX(world) as running:
        yield running
        running.check()


def configure(env: dict[str, str], text: str) -> None:
    (Path(env["FOLLOWTUI_CONFIG_HOME"]) / "config.toml").write_text(text, encoding="utf-8")


def test_a_first_sync_asks_before_spending_and_without_a_terminal_spends_nothing(tmp_path: Path, fx: FakeX) -> None:
    env = make_env(tmp_path, fx)
    refused = run_sync(env, yes=False)
    assert refused.returncode == 2
    assert "the number of your followers is not known yet, and each one read costs money" in refused.stderr
    assert "not asking without a terminal; pass --yes to sync" in refused.stderr
    assert list(fx.requests) == []  # not one request: nothing spent
    assert not (data_dir_of(env) / JOURNAL).exists()

    done = run_sync(env)  # --yes
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Synced @")


def test_a_known_graph_is_estimated_on_the_high_side_and_confirm_above_decides(tmp_path: Path, fx: FakeX) -> None:
    env = make_env(tmp_path, fx, config="[sync]\nposts_accounts = 3\n")
    assert run_sync(env).returncode == 0

    configure(env, "[x]\nconfirm_above = 1000\n[sync]\nposts_accounts = 3\n")
    before = len(fx.requests)
    quiet = run_sync(env, yes=False)  # under the threshold: it just runs, and says what it costs
    assert quiet.returncode == 0, quiet.stderr
    estimate = ESTIMATE.search(quiet.stderr)
    actual = ACTUAL.search(quiet.stdout)
    assert estimate is not None and actual is not None, quiet.stderr
    requests, cost = int(estimate[1].replace(",", "")), float(estimate[2].replace(",", ""))
    assert requests >= int(actual[1].replace(",", "")) == len(fx.requests) - before
    assert cost >= float(actual[2].replace(",", "")) > 0

    configure(env, "[x]\nconfirm_above = 0.5\n")  # the default: $3.60 for 360 accounts asks
    before = len(fx.requests)
    asked = run_sync(env, yes=False)
    assert asked.returncode == 2
    assert ESTIMATE.search(asked.stderr) and "pass --yes to sync" in asked.stderr
    assert len(fx.requests) == before


def test_the_monthly_budget_stops_the_sync_and_every_later_run(tmp_path: Path, fx: FakeX) -> None:
    env = make_env(tmp_path, fx, config="[x]\nbudget_per_month = 0.5\n")
    stopped = run_sync(env)
    assert stopped.returncode == 1
    assert "this month's X budget is spent ($3.01 of $0.50 in" in stopped.stderr
    assert "budget_per_month under [x] in the config" in stopped.stderr
    # me, then the followers page that passed the budget; nothing after it
    assert [r.route for r in fx.requests] == ["GET /2/users/me", "GET /2/users/:id/followers"]
    spend = json.loads((data_dir_of(env) / "spend.json").read_text())
    assert spend == {"month": f"{datetime.now(UTC):%Y-%m}", "spent": 3.01}
    assert (data_dir_of(env) / JOURNAL).exists()  # the pages paid for are kept

    again = run_sync(env)
    assert again.returncode == 1 and "this month's X budget is spent" in again.stderr
    assert len(fx.requests) == 2  # refused before any request


class _Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answer typed in."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "status"), [("n\n", 2), ("y\n", 0)])
def test_the_demo_asks_on_a_terminal_with_its_simulated_prices(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: str,
    status: int,
) -> None:
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    assert main(["sync", "--demo", "--data-dir", str(tmp_path / "data")]) == status
    out = capsys.readouterr()
    assert ESTIMATE.search(out.err), out.err
    assert "Sync now? [y/N]" in out.out
    assert ("Synced @" in out.out) is (status == 0)
    assert ("Nothing spent." in out.out) is (status == 2)
