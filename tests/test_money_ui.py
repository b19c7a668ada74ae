"""In the app, on the demo (its simulated prices): ``r`` says what a sync costs and asks, ``[x] confirm_above`` lets a
cheap one run, and ``[x] budget_per_month`` stops syncs and the outbox with a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.app import App

from followtui.config import Config
from followtui.domain.models import OutboxState
from followtui.tui.screens.dialogs import ConfirmScreen
from tests.tui_helpers import DEMO_NOW, SIZE, demo_app, ready, screen_text, wait_until


def notified(app: App[Any], words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def test_r_says_what_the_sync_costs_and_no_spends_nothing(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        meter = screen.session.meter
        before = (meter.total_requests(), meter.total_cost())
        for _ in range(2):  # two presses of r: two questions, not $19 gone
            await pilot.press("r")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert "Sync with X now?" in screen_text(app)
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            assert dialog.detail.startswith("A sync makes up to ") and "requests, estimated at most $" in dialog.detail
            await pilot.press("n")
            await wait_until(pilot, lambda: not screen.syncing)
        assert notified(app, "No sync: nothing spent.")
        assert (meter.total_requests(), meter.total_cost()) == before
        assert not screen.session.store.sync_info().extra.get("sync_id")

        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(screen.session.store.sync_info().extra.get("sync_id")))
        assert meter.total_requests() > before[0]


async def test_a_sync_below_confirm_above_just_runs_and_says_its_cost(data_dir: Path) -> None:
    app = demo_app(data_dir, Config(confirm_above=1000))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(screen.session.store.sync_info().extra.get("sync_id")))
        assert not any(isinstance(s, ConfirmScreen) for s in app.screen_stack)  # it would still be waiting
        assert notified(app, "A sync makes up to") and notified(app, "✓ Synced")


async def test_the_monthly_budget_stops_the_sync_and_the_outbox(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "spend.json").write_text(json.dumps({"month": f"{DEMO_NOW:%Y-%m}", "spent": 4.99}))
    app = demo_app(data_dir, Config(budget_per_month=5, confirm_above=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "$0.01 of this month's $5.00 budget is left; the sync stops when it is spent." in dialog.detail
        await pilot.press("y")
        await wait_until(pilot, lambda: notified(app, "Sync stopped"))
        assert notified(app, "this month's X budget is spent")
        assert not screen.session.store.sync_info().extra.get("sync_id")
        spent = json.loads((data_dir / "spend.json").read_text())["spent"]
        assert spent >= 5  # the one request that passed the budget, and none after it

        await pilot.press("f")  # a follow is saved, and waits: nothing is sent past the budget
        await wait_until(pilot, lambda: notified(app, "Not sent: this month's X budget is spent"))
        assert [e.state for e in screen.session.store.outbox()] == [OutboxState.PENDING]
