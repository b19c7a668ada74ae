"""Followers over time: the per-day series, its export, and the stats view (``t``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import Sparkline

from followtui.domain.models import Relationship
from followtui.services.export import export
from followtui.services.growth import HISTORY_COLUMNS, follower_growth
from followtui.services.session import Session
from followtui.tui.screens.stats import SHOWN_DAYS, StatsScreen
from tests.cli_helpers import isolated_env, run_followtui
from tests.tui_helpers import DEMO_NOW, SIZE, demo_app, main_screen, ready, screen_text, wait_until

FIRST = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _rel(i: int, follower: bool, first: datetime | None, last: datetime | None) -> Relationship:
    return Relationship(str(i), follower, False, first, last, None, None)


def test_gained_and_lost_per_day_with_the_followers_at_each_end() -> None:
    day = timedelta(days=1)
    rels = [
        _rel(1, True, FIRST, FIRST + 3 * day),  # there at the first sync: the baseline, not a gain
        _rel(2, True, FIRST, FIRST + 3 * day),
        _rel(3, False, FIRST, FIRST + day),  # left: last seen on 11-02
        _rel(4, True, FIRST + day, FIRST + 3 * day),  # gained on 11-02
        _rel(5, True, FIRST + 3 * day, FIRST + 3 * day),  # gained on 11-04
        _rel(6, False, FIRST + 2 * day, FIRST + 2 * day),  # came and went on 11-03
        _rel(7, False, None, None),  # never a follower
    ]
    growth = follower_growth(rels, FIRST, date(2026, 11, 5))
    rows = [(d.day.day, d.gained, d.lost, d.followers) for d in growth.days]
    assert rows == [(2, 1, 1, 3), (3, 1, 1, 3), (4, 1, 0, 4), (5, 0, 0, 4)]
    assert growth.followers == 4 and (growth.gained, growth.lost) == (3, 2)
    assert [d.net for d in growth.days] == [0, 0, 1, 0]


def test_no_changes_no_days() -> None:
    growth = follower_growth([_rel(1, True, FIRST, FIRST)], FIRST, date(2026, 11, 5))
    assert growth.days == () and growth.followers == 1


def test_export_history_is_the_same_series(demo_session: Session) -> None:
    store = demo_session.store
    growth = follower_growth(store.relationships(), store.sync_info().first_sync, DEMO_NOW.date())
    assert growth.gained > 0 and growth.lost > 0, "the demo has followers coming and going"
    out = io.StringIO()
    count = export(store, "history", "csv", out, lambda: DEMO_NOW)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == len(growth.days)
    assert tuple(rows[0]) == HISTORY_COLUMNS
    assert rows[-1]["date"] == DEMO_NOW.date().isoformat() and int(rows[-1]["followers"]) == growth.followers
    assert sum(int(r["gained"]) for r in rows) == growth.gained and sum(int(r["lost"]) for r in rows) == growth.lost
    out = io.StringIO()
    export(store, "history", "json", out, lambda: DEMO_NOW)
    assert json.loads(out.getvalue()) == [d.to_row() for d in growth.days]


def test_followtui_export_history(tmp_path: Path) -> None:
    env = isolated_env(tmp_path, data="env-home")
    result = run_followtui(env, "export", "history", "--demo", "--data-dir", str(tmp_path / "d"), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(int(r["net"]) == int(r["gained"]) - int(r["lost"]) for r in rows)
    assert sum(int(r["gained"]) for r in rows) > 0


async def test_stats_view_plots_the_last_days(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.growth is not None)
        stats = app.screen
        assert isinstance(stats, StatsScreen) and stats.growth is not None
        days = stats.growth.last(SHOWN_DAYS)
        store = screen.session.store
        expected = follower_growth(store.relationships(), store.sync_info().first_sync, DEMO_NOW.date())
        assert days == expected.last(SHOWN_DAYS)
        assert list(stats.query_one("#stats-gained", Sparkline).data or []) == [d.gained for d in days]
        assert list(stats.query_one("#stats-lost", Sparkline).data or []) == [d.lost for d in days]
        await pilot.pause()
        text = screen_text(app)
        assert f"+{sum(d.gained for d in days):,} gained" in text
        assert f"−{sum(d.lost for d in days):,} lost" in text
        assert f"{DEMO_NOW:%Y-%m-%d}" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main_screen(app))


async def test_stats_in_the_command_palette(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Followers over time: gained and lost per day" in titles
