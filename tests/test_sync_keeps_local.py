"""A sync never loses what the user did here: decisions, notes, lists and their members, follows and unfollows.

Each case makes one kind of change in a demo session, sends its call (``done``) or leaves it in the outbox
(``pending``), closes the session, and syncs from a new one, as ``followtui sync --demo`` does in a new process
(the demo graph generated afresh). The change must still be there after the sync, and the outbox entry as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from followtui.domain.models import DecisionKind, OutboxState
from followtui.services.session import Session, open_session
from followtui.services.sync import Syncer
from followtui.services.triage import MatrixScope
from followtui.tui.harness import fixed_clock
from tests.cli_helpers import isolated_env, run_followtui

Check = Callable[[Session], None]


@dataclass(frozen=True)
class Ctx:
    """What a case may use: a few undecided followers and a few followed accounts of the demo, and a list."""

    followers: list[str]
    followed: list[str]
    list_id: str
    list_name: str


def _open(data: Path, *, later: bool = False) -> Session:
    """A demo session at the harness's clock, or an hour later (a sync after the calls were sent, not during)."""
    clock = (lambda: fixed_clock() + timedelta(hours=1)) if later else fixed_clock
    return open_session(data, demo=True, clock=clock, demo_delay=0)


def _send_all(session: Session) -> None:
    while session.actions.process_outbox().sent:
        pass
    assert not session.store.outbox([OutboxState.PENDING]), "the demo sends everything"


def _ctx(session: Session) -> Ctx:
    followers = session.triage.new_followers().ids[:4]
    followed = _active_followed(session)[:4]
    info = sorted(session.store.lists(), key=lambda i: i.name)[0]
    return Ctx(followers, followed, info.id, info.name)


def _active_followed(session: Session) -> list[str]:
    """Followed accounts still on X (a suspended one stays followed whatever the sync reads)."""
    return [i for i in sorted(session.store.followed()) if (a := session.store.account(i)) and a.state == "active"]


def _lists_by_name(session: Session) -> dict[str, tuple[str, ...]]:
    return {info.name: info.member_ids for info in session.store.lists()}


# -- the cases: each does one change and returns how to check it after the sync -----------------------------------


def _decision(kind: DecisionKind) -> Callable[[Session, Ctx], Check]:
    def do(session: Session, ctx: Ctx) -> Check:
        target = ctx.followed[0] if kind in (DecisionKind.KEEP, DecisionKind.UNFOLLOW) else ctx.followers[0]
        session.actions.decide(target, kind)

        def check(after: Session) -> None:
            decision = after.store.decision(target)
            assert decision is not None and decision.kind is kind

        return check

    return do


def _note(session: Session, ctx: Ctx) -> Check:
    session.notes.set(ctx.followers[0], "met at #pycon, talk again")

    def check(after: Session) -> None:
        note = after.store.note(ctx.followers[0])
        assert note is not None and note.text == "met at #pycon, talk again"

    return check


def _list_create(session: Session, ctx: Ctx) -> Check:
    info = session.actions.create_list("Made in the app", "by hand")
    session.actions.change_membership(ctx.followers[:2], info.id, add=True)

    def check(after: Session) -> None:
        lists = _lists_by_name(after)
        assert set(lists["Made in the app"]) == set(ctx.followers[:2])

    return check


def _list_rename(session: Session, ctx: Ctx) -> Check:
    session.actions.update_list(ctx.list_id, name="Renamed here", description="new words")

    def check(after: Session) -> None:
        info = after.store.list_info(ctx.list_id)
        assert info is not None and (info.name, info.description) == ("Renamed here", "new words")
        assert ctx.list_name not in _lists_by_name(after)

    return check


def _list_delete(session: Session, ctx: Ctx) -> Check:
    session.actions.delete_list(ctx.list_id)

    def check(after: Session) -> None:
        assert after.store.list_info(ctx.list_id) is None
        assert ctx.list_name not in _lists_by_name(after)

    return check


def _list_add(session: Session, ctx: Ctx) -> Check:
    session.actions.change_membership(ctx.followers[:2], ctx.list_id, add=True)

    def check(after: Session) -> None:
        info = after.store.list_info(ctx.list_id)
        assert info is not None and set(ctx.followers[:2]) <= set(info.member_ids)

    return check


def _list_remove(session: Session, ctx: Ctx) -> Check:
    info = session.store.list_info(ctx.list_id)
    assert info is not None and info.member_ids
    gone = info.member_ids[:2]
    session.actions.change_membership(gone, ctx.list_id, add=False)

    def check(after: Session) -> None:
        now = after.store.list_info(ctx.list_id)
        assert now is not None and not set(gone) & set(now.member_ids)
        assert len(now.member_ids) == len(info.member_ids) - 2

    return check


def _follow_back(session: Session, ctx: Ctx) -> Check:
    target = ctx.followers[0]
    session.actions.decide(target, DecisionKind.FOLLOW)

    def check(after: Session) -> None:
        decision = after.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.FOLLOW
        assert target not in after.triage.new_followers().ids  # decided: it does not come back to the queue

    return check


def _unfollow(session: Session, ctx: Ctx) -> Check:
    target = ctx.followed[1]
    session.actions.decide(target, DecisionKind.UNFOLLOW)

    def check(after: Session) -> None:
        decision = after.store.decision(target)
        assert decision is not None and decision.kind is DecisionKind.UNFOLLOW
        assert target not in after.triage.unfollow_candidates().ids

    return check


CASES: dict[str, Callable[[Session, Ctx], Check]] = {
    **{f"decision-{kind.value}": _decision(kind) for kind in DecisionKind},
    "note": _note,
    "list-create": _list_create,
    "list-rename": _list_rename,
    "list-delete": _list_delete,
    "list-add": _list_add,
    "list-remove": _list_remove,
    "follow-back": _follow_back,
    "unfollow": _unfollow,
}


@pytest.mark.parametrize("sent", [False, True], ids=["pending", "done"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_sync_keeps_the_change(tmp_path: Path, case: str, sent: bool) -> None:
    data = tmp_path / "demo"
    session = _open(data)
    try:
        ctx = _ctx(session)
        check = CASES[case](session, ctx)
        if sent:
            _send_all(session)
        open_before = {e.id: e.state for e in session.store.outbox()}
        decisions_before = session.store.decisions()
    finally:
        session.close()
    after = _open(data, later=True)  # a new process: the demo graph is generated again
    try:
        Syncer(after.store, after.backend, after.clock, fsync=False).run()
        after.triage.reload()
        check(after)
        assert {e.id: e.state for e in after.store.outbox()} == open_before  # no call dropped or resent
        assert after.store.decisions() == decisions_before
    finally:
        after.close()


def test_a_sent_follow_back_shows_as_followed_after_the_sync(tmp_path: Path) -> None:
    """The bug: the account followed back in the app vanished from every pane after `followtui sync --demo`."""
    data = tmp_path / "demo"
    session = _open(data)
    try:
        target = session.triage.new_followers().ids[0]
        session.actions.decide(target, DecisionKind.FOLLOW)
        _send_all(session)
    finally:
        session.close()
    after = _open(data, later=True)
    try:
        Syncer(after.store, after.backend, after.clock, fsync=False).run()
        after.triage.reload()
        rel = after.store.relationship(target)
        assert rel is not None and rel.following and rel.follower
        assert target in after.triage.matrix(MatrixScope.FOLLOWING).ids
    finally:
        after.close()


def test_a_sent_unfollow_stays_unfollowed_after_the_sync(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    session = _open(data)
    try:
        target = _active_followed(session)[0]
        session.actions.decide(target, DecisionKind.UNFOLLOW)
        _send_all(session)
    finally:
        session.close()
    after = _open(data, later=True)
    try:
        Syncer(after.store, after.backend, after.clock, fsync=False).run()
        rel = after.store.relationship(target)
        assert rel is None or not rel.following
        assert target not in after.store.followed()
    finally:
        after.close()


def test_followtui_sync_demo_keeps_what_the_app_did(tmp_path: Path) -> None:
    """The issue's repro, through the command: lists made in the app, two members and a follow-back survive."""
    env = isolated_env(tmp_path, data="env-home")
    base = tmp_path / "data"
    session = _open(base / "demo")
    try:
        followers = session.triage.new_followers().ids[:3]
        info = session.actions.create_list("Made here")
        session.actions.change_membership(followers[1:3], info.id, add=True)
        session.actions.decide(followers[0], DecisionKind.FOLLOW)
        _send_all(session)
    finally:
        session.close()
    result = run_followtui(env, "sync", "--demo", "--data-dir", str(base), "--quiet")
    assert result.returncode == 0, result.stderr
    after = _open(base / "demo", later=True)
    try:
        assert set(_lists_by_name(after)["Made here"]) == set(followers[1:3])
        rel = after.store.relationship(followers[0])
        assert rel is not None and rel.following
    finally:
        after.close()


def test_a_follow_sent_while_the_sync_ran_is_kept(tmp_path: Path) -> None:
    """X did the follow after the sync read the following pages: the sync still counts it as followed."""
    from followtui.services.merge import with_follows_since

    data = tmp_path / "demo"
    session = _open(data)
    try:
        target = session.triage.new_followers().ids[0]
        followed = _active_followed(session)[0]
        session.actions.decide(target, DecisionKind.FOLLOW)
        session.actions.decide(followed, DecisionKind.UNFOLLOW)
        _send_all(session)
        entries = session.store.outbox()
        started = min(e.attempted_at for e in entries if e.attempted_at is not None)
        read = [followed, "123"]  # what the sync read before the calls went through
        assert with_follows_since(read, entries, started) == [target, "123"]
        assert with_follows_since(read, entries, started + timedelta(days=1)) == read  # sent before it started
    finally:
        session.close()
