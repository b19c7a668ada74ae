"""A sync never loses what the user did here: decisions, notes, lists and their members, follows and unfollows.

Each case makes one kind of change in a demo session, sends its call (``done``) or leaves it in the outbox
(``pending``), closes the session, and syncs from a new one, as ``followtui sync --demo`` does in a new process
(the demo graph generated afresh). The change must still be there after the sync, and the outbox entry as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from followtui.domain.models import DecisionKind, OutboxState, parse_time
from followtui.services.session import Session, open_session
from followtui.services.sync import Syncer
from followtui.services.triage import MatrixScope
from tests.cli_helpers import cache_dir, isolated_env, run_followtui
from tests.harness import fixed_clock

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


@contextmanager
def _session(data: Path) -> Iterator[Session]:
    session = _open(data)
    try:
        yield session
    finally:
        session.close()


@contextmanager
def _synced(data: Path) -> Iterator[Session]:
    """A new session an hour later (a new process: the demo graph generated again), after a sync."""
    after = _open(data, later=True)
    try:
        Syncer(after.store, after.backend, after.clock, fsync=False).run()
        after.triage.reload()
        yield after
    finally:
        after.close()


def _send_all(session: Session) -> None:
    while session.outbox.process_outbox().sent:
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
        session.decisions.decide(target, kind)

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
    info = session.lists.create_list("Made in the app", "by hand")
    session.lists.change_membership(ctx.followers[:2], info.id, add=True)

    def check(after: Session) -> None:
        lists = _lists_by_name(after)
        assert set(lists["Made in the app"]) == set(ctx.followers[:2])

    return check


def _list_rename(session: Session, ctx: Ctx) -> Check:
    session.lists.update_list(ctx.list_id, name="Renamed here", description="new words")

    def check(after: Session) -> None:
        info = after.store.list_info(ctx.list_id)
        assert info is not None and (info.name, info.description) == ("Renamed here", "new words")
        assert ctx.list_name not in _lists_by_name(after)

    return check


def _list_delete(session: Session, ctx: Ctx) -> Check:
    session.lists.delete_list(ctx.list_id)

    def check(after: Session) -> None:
        assert after.store.list_info(ctx.list_id) is None
        assert ctx.list_name not in _lists_by_name(after)

    return check


def _list_add(session: Session, ctx: Ctx) -> Check:
    session.lists.change_membership(ctx.followers[:2], ctx.list_id, add=True)

    def check(after: Session) -> None:
        info = after.store.list_info(ctx.list_id)
        assert info is not None and set(ctx.followers[:2]) <= set(info.member_ids)

    return check


def _list_remove(session: Session, ctx: Ctx) -> Check:
    info = session.store.list_info(ctx.list_id)
    assert info is not None and info.member_ids
    gone = info.member_ids[:2]
    session.lists.change_membership(gone, ctx.list_id, add=False)

    def check(after: Session) -> None:
        now = after.store.list_info(ctx.list_id)
        assert now is not None and not set(gone) & set(now.member_ids)
        assert len(now.member_ids) == len(info.member_ids) - 2

    return check


def _follow_call(kind: DecisionKind) -> Callable[[Session, Ctx], Check]:
    """Follow back a follower, or unfollow a followed account: the decision stands, and the pane stays left."""

    def do(session: Session, ctx: Ctx) -> Check:
        follow = kind is DecisionKind.FOLLOW
        target = ctx.followers[0] if follow else ctx.followed[1]
        session.decisions.decide(target, kind)

        def check(after: Session) -> None:
            decision = after.store.decision(target)
            assert decision is not None and decision.kind is kind
            pane = after.triage.new_followers() if follow else after.triage.unfollow_candidates()
            assert target not in pane.ids  # decided: it does not come back to the queue

        return check

    return do


CASES: dict[str, Callable[[Session, Ctx], Check]] = {
    **{f"decision-{kind.value}": _decision(kind) for kind in DecisionKind},
    "note": _note,
    "list-create": _list_create,
    "list-rename": _list_rename,
    "list-delete": _list_delete,
    "list-add": _list_add,
    "list-remove": _list_remove,
    "follow-back": _follow_call(DecisionKind.FOLLOW),
    "unfollow": _follow_call(DecisionKind.UNFOLLOW),
}


@pytest.mark.parametrize("sent", [False, True], ids=["pending", "done"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_sync_keeps_the_change(tmp_path: Path, case: str, sent: bool) -> None:
    data = tmp_path / "demo"
    with _session(data) as session:
        check = CASES[case](session, _ctx(session))
        if sent:
            _send_all(session)
        calls_before = {e.id: e.state for e in session.store.outbox()}
        decisions_before = session.store.decisions()
    with _synced(data) as after:
        check(after)
        assert {e.id: e.state for e in after.store.outbox()} == calls_before  # no call dropped or resent
        assert after.store.decisions() == decisions_before


def test_a_sent_follow_back_shows_as_followed_after_the_sync(tmp_path: Path) -> None:
    """The bug: the account followed back in the app vanished from every pane after `followtui sync --demo`."""
    data = tmp_path / "demo"
    with _session(data) as session:
        target = session.triage.new_followers().ids[0]
        session.decisions.decide(target, DecisionKind.FOLLOW)
        _send_all(session)
    with _synced(data) as after:
        rel = after.store.relationship(target)
        assert rel is not None and rel.following and rel.follower
        assert target in after.triage.matrix(MatrixScope.FOLLOWING).ids


def test_a_sent_unfollow_stays_unfollowed_after_the_sync(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    with _session(data) as session:
        target = _active_followed(session)[0]
        session.decisions.decide(target, DecisionKind.UNFOLLOW)
        _send_all(session)
    with _synced(data) as after:
        rel = after.store.relationship(target)
        assert rel is None or not rel.following
        assert target not in after.store.followed()


def test_followtui_sync_demo_keeps_what_the_app_did(tmp_path: Path) -> None:
    """The issue's repro, through the command: lists made in the app, two members and a follow-back survive."""
    env = isolated_env(tmp_path, data="env-home")
    base = tmp_path / "data"
    with _session(base / "demo") as session:
        followers = session.triage.new_followers().ids[:3]
        info = session.lists.create_list("Made here")
        session.lists.change_membership(followers[1:3], info.id, add=True)
        session.decisions.decide(followers[0], DecisionKind.FOLLOW)
        _send_all(session)
    result = run_followtui(env, "sync", "--demo", "--data-dir", str(base), "--quiet", "--yes")
    assert result.returncode == 0, result.stderr
    after = _open(cache_dir(base / "demo"), later=True)  # the demo cache moved into its account's directory
    try:
        assert set(_lists_by_name(after)["Made here"]) == set(followers[1:3])
        rel = after.store.relationship(followers[0])
        assert rel is not None and rel.following
    finally:
        after.close()


def test_a_follow_sent_while_the_sync_ran_is_kept(tmp_path: Path) -> None:
    """X did the follow after the sync read the following pages: the sync still counts it as followed."""
    from followtui.services.merge import with_follows_since

    with _session(tmp_path / "demo") as session:
        target = session.triage.new_followers().ids[0]
        followed = _active_followed(session)[0]
        session.decisions.decide(target, DecisionKind.FOLLOW)
        session.decisions.decide(followed, DecisionKind.UNFOLLOW)
        _send_all(session)
        entries = session.store.outbox()
        started = min(e.attempted_at for e in entries if e.attempted_at is not None)
        read = [followed, "123"]  # what the sync read before the calls went through
        assert with_follows_since(read, entries, started) == [target, "123"]
        assert with_follows_since(read, entries, started + timedelta(days=1)) == read  # sent before it started


def test_calls_sent_while_the_sync_ran_survive_its_merge(tmp_path: Path) -> None:
    """A follow and a list add that X did after the sync had read past them (a backend that never saw them,
    a sync started before they were sent) are still there after the sync."""
    from followtui.backends.demo import DemoBackend
    from followtui.demo.generator import generate
    from followtui.services.session import DEMO_GENERATED_AT

    data = tmp_path / "demo"
    with _session(data) as session:
        ctx = _ctx(session)
        session.decisions.decide(ctx.followers[0], DecisionKind.FOLLOW)
        session.lists.change_membership([ctx.followers[1]], ctx.list_id, add=True)
        _send_all(session)
        generated = session.store.sync_info().extra[DEMO_GENERATED_AT]
        stale = DemoBackend(generate(parse_time(str(generated)) or fixed_clock()), delay=0)  # X before the calls
        started = fixed_clock() - timedelta(seconds=1)
        Syncer(session.store, stale, lambda: started, fsync=False).run()
        rel = session.store.relationship(ctx.followers[0])
        assert rel is not None and rel.following
        info = session.store.list_info(ctx.list_id)
        assert info is not None and ctx.followers[1] in info.member_ids
