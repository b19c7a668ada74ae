"""Reasons that fit the stance (issue 15): having unfollowed you alone makes no unfollow candidate of an account
that posts; an account that is gone is never told "unfollowed you" nor offered "List instead"."""

from __future__ import annotations

from pathlib import Path

from followtui.domain.models import AccountState, DecisionKind
from followtui.domain.queues import Pane
from followtui.domain.signals import SignalKind
from followtui.services.session import Session
from followtui.tui.screens.dialogs import UnfollowScreen
from tests.tui_helpers import SIZE, demo_app, only_candidate, ready, screen_text, wait_until


def test_unfollowed_you_alone_makes_no_candidate_of_an_account_that_posts(demo_session: Session) -> None:
    triage, store = demo_session.triage, demo_session.store
    candidates = set(triage.unfollow_candidates().ids)
    assert candidates
    for account_id in candidates:
        concerns = [s for s in triage.signals(account_id) if triage.rules.concerning(s)]
        assert {s.kind for s in concerns} - {SignalKind.NOT_FOLLOWING_BACK}, triage.reasons(account_id, Pane.UNFOLLOW)
    unfollowed = [
        a
        for a in store.followed()
        if (rel := store.relationship(a)) is not None
        and rel.left
        and not rel.follower
        and "Unfollowed you." in [s.sentence for s in triage.signals(a)]
    ]
    posting = [a for a in unfollowed if a not in candidates]
    assert posting  # they are in the demo: active, posting, and no longer candidates for that alone
    for account_id in posting:
        account = store.account(account_id)
        assert account is not None and account.state is AccountState.ACTIVE


def test_a_gone_account_never_unfollowed_you(demo_session: Session) -> None:
    triage, store = demo_session.triage, demo_session.store
    gone = [
        a
        for a in {*store.followed(), *triage.new_followers("is:left").ids}
        if (account := store.account(a)) is not None and account.state is not AccountState.ACTIVE
    ]
    assert gone
    for account_id in gone:
        for pane in Pane:
            said = " ".join(triage.reasons(account_id, pane))
            assert "nfollowed you" not in said and "stopped following you" not in said, said


async def test_unfollowing_a_deleted_account_offers_no_list_instead(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        deleted = await only_candidate(pilot, screen, AccountState.DELETED)
        await wait_until(pilot, lambda: "the account is gone from X" in screen_text(app))
        assert "not follow you" not in screen_text(app) and "nfollowed you" not in screen_text(app)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen) and "Unfollow (y)" in screen_text(app))
        assert "List instead" not in screen_text(app)
        await pilot.press("l")  # not offered: nothing happens
        assert isinstance(app.screen, UnfollowScreen)
        await pilot.press("y")
        store = screen.session.store
        await wait_until(pilot, lambda: (d := store.decision(deleted)) is not None and d.kind is DecisionKind.UNFOLLOW)
