"""The sync estimate and the month's spend ledger (pure parts of ``services.spend``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followtui.backends.meter import DEFAULT_PRICES
from followtui.domain.models import ListInfo
from followtui.services.spend import SPEND_FILE, SpendLedger, estimate_sync


def test_the_estimate_counts_pages_and_resources_at_the_prices() -> None:
    lists = [ListInfo("1", "a", member_ids=tuple(str(i) for i in range(150)))]
    sizes = {"posts_accounts": 50, "posts_per_account": 5, "mentions": 100, "my_posts": 100}
    plain = estimate_sync(2500, 10, lists, prices=DEFAULT_PRICES, owned_app=False, **sizes)
    # me, 3 + 1 follow pages, owned lists, 2 member pages, 50 post reads, mentions and own posts
    assert plain.requests == 1 + 3 + 1 + 1 + 2 + 50 + 2 and plain.known
    expected = 0.010 + 2510 * 0.010 + 1 * 0.005 + 150 * 0.010 + 250 * 0.005 + 200 * 0.005
    assert plain.cost == pytest.approx(expected)
    owned = estimate_sync(2500, 10, lists, prices=DEFAULT_PRICES, owned_app=True, **sizes)
    assert owned.cost < plain.cost / 3  # "Owned Reads" for your own followers, lists and posts
    unknown = estimate_sync(None, None, [], prices=DEFAULT_PRICES, owned_app=False, **sizes)
    assert not unknown.known and unknown.needs_asking(1000.0) and "not known yet" in unknown.text()
    assert not plain.needs_asking(100.0) and plain.needs_asking(0.5)


def test_the_ledger_carries_the_month_across_runs_and_starts_again_in_a_new_one(tmp_path: Path) -> None:
    now = [datetime(2026, 11, 30, 23, 0, tzinfo=UTC)]
    ledger = SpendLedger(tmp_path / SPEND_FILE, lambda: now[0], fsync=False)
    ledger.save(1.25)  # this run's meter says $1.25
    assert json.loads((tmp_path / SPEND_FILE).read_text()) == {"month": "2026-11", "spent": 1.25}
    later = SpendLedger(tmp_path / SPEND_FILE, lambda: now[0], fsync=False)
    assert later.spent(0.5) == pytest.approx(1.75)  # the earlier run's, and this one's
    now[0] = datetime(2026, 12, 1, 0, 5, tzinfo=UTC)
    assert later.spent(0.5) == 0.0  # December starts from nothing, whatever the meter counted in November
    assert later.spent(0.75) == pytest.approx(0.25)
    assert SpendLedger(tmp_path / "none.json", lambda: now[0]).spent(0.0) == 0.0
