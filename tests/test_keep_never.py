"""Keep and never, enforced by the write services on every path: unit tests per path, and a hypothesis state machine."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from followtui.backends.base import Forbidden, RateLimited, Transient
from followtui.domain.models import (
    DecisionKind,
    ListInfo,
    Op,
    OutboxEntry,
    OutboxState,
    Relationship,
)
from followtui.services.decisions import UndoEffect
from followtui.services.queue import Guarded
from followtui.store import Store
from followtui.store.codec import entry_from_doc, entry_to_doc
from tests.factories import T0, FakeClock, present, sample_graph
from tests.test_actions import FakeBackend
from tests.writes import Writes, make_writes

K = DecisionKind
S = OutboxState
OPEN = (S.PENDING, S.FAILED, S.MANUAL)
FORBIDS = {Op.UNFOLLOW: K.KEEP, Op.FOLLOW: K.NEVER}  # the call each decision forbids without an override

# sample_graph(): 1001.. ; 1002, 1004, 1006 follow the user; 1003 and 1006 are followed (no first-seen time)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def actions(seeded: Store, backend: FakeBackend, clock: FakeClock) -> Writes:
    return make_writes(seeded, backend, clock)


def ops(store: Store) -> list[tuple[str, str, str]]:
    return [(str(e.op), e.account_id, str(e.state)) for e in store.outbox()]


def state(store: Store) -> tuple[Any, ...]:
    return store.decisions(), store.outbox(), [store.decision_history(a) for a in store.account_ids()]


def foreign(actions: Writes, op: Op, account_id: str, state: OutboxState = S.PENDING, **kw: Any) -> OutboxEntry:
    """An entry no path of this version would leave owed (an older version's, say): the backstops must hold."""
    entry = OutboxEntry(f"x-{op}-{account_id}", op, account_id, actions.clock(), state=state, **kw)
    actions.store.add_outbox(entry)
    return entry


def sync(store: Store, following: set[str], seen_at: datetime) -> None:
    """A sync that sees the user following ``following`` (first-seen times kept while a side lasts)."""
    graph = sample_graph()
    old = {r.account_id: r for r in store.relationships()}
    rels = []
    for rel in graph["relationships"]:
        was = old.get(rel.account_id, rel)
        now = rel.account_id in following
        first = was.following_first_seen if was.following and now else (seen_at if now else None)
        rels.append(replace(rel, following=now, following_first_seen=first, following_last_seen=seen_at))
    store.replace_graph(**(graph | {"relationships": rels, "lists": store.lists()}))


# -- guarded() and decide ------------------------------------------------------------------------------


@pytest.mark.parametrize("current", [None, *DecisionKind])
@pytest.mark.parametrize("kind", list(DecisionKind))
def test_guarded_only_unfollow_of_kept_and_follow_of_never(
    actions: Writes, current: DecisionKind | None, kind: DecisionKind
) -> None:
    if current is not None:
        actions.decisions.decide("1002", current)
    why = actions.decisions.guarded("1002", kind)
    if (current, kind) == (K.KEEP, K.UNFOLLOW):
        assert why == "@user2 is kept (pinned), so it is not unfollowed"
    elif (current, kind) == (K.NEVER, K.FOLLOW):
        assert why == "@user2 is marked never follow, so it is not followed"
    else:
        assert why is None
        actions.decisions.decide("1002", kind)  # goes through


def test_guarded_names_an_unknown_account_by_id(actions: Writes) -> None:
    actions.decisions.decide("4242", K.KEEP)
    assert actions.decisions.guarded("4242", K.UNFOLLOW) == "account 4242 is kept (pinned), so it is not unfollowed"


@pytest.mark.parametrize(("pin", "kind"), [(K.KEEP, K.UNFOLLOW), (K.NEVER, K.FOLLOW)])
def test_decide_refuses_and_writes_nothing(
    actions: Writes, count_writes: Callable[[Store], list[int]], pin: DecisionKind, kind: DecisionKind
) -> None:
    actions.decisions.decide("1003", pin)
    before = state(actions.store)
    writes = count_writes(actions.store)
    with pytest.raises(Guarded) as raised:
        actions.decisions.decide("1003", kind)
    assert raised.value.account_ids == ("1003",) and str(raised.value) == actions.decisions.guarded("1003", kind)
    assert "@user3" in str(raised.value)
    assert state(actions.store) == before and writes == []


def test_decide_many_is_all_or_nothing(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.KEEP)
    actions.decisions.decide("1006", K.KEEP)
    before = state(actions.store)
    with pytest.raises(Guarded) as raised:
        actions.decisions.decide_many(["1001", "1003", "1005", "1006", "1003"], K.UNFOLLOW)
    assert raised.value.account_ids == ("1003", "1006")
    assert str(raised.value) == "; ".join(raised.value.reasons) and len(raised.value.reasons) == 2
    assert "@user3" in raised.value.reasons[0] and "@user6" in raised.value.reasons[1]
    assert state(actions.store) == before  # not even 1001 and 1005

    out = actions.decisions.decide_many(["1001", "1003", "1006"], K.UNFOLLOW, override=True)
    assert [d.kind for d in out] == [K.UNFOLLOW] * 3
    assert [(e.account_id, e.override) for e in actions.store.outbox()] == [
        ("1001", False),  # it overrode nothing
        ("1003", True),
        ("1006", True),
    ]
    assert len(actions.outbox.process_outbox().sent) == 3
    assert backend.calls == [("unfollow", "1001"), ("unfollow", "1003"), ("unfollow", "1006")]


@pytest.mark.parametrize(("pin", "kind", "op"), [(K.KEEP, K.UNFOLLOW, Op.UNFOLLOW), (K.NEVER, K.FOLLOW, Op.FOLLOW)])
def test_override_replaces_the_decision_and_survives_a_restart(
    actions: Writes,
    backend: FakeBackend,
    clock: FakeClock,
    data_dir: Path,
    pin: DecisionKind,
    kind: DecisionKind,
    op: Op,
) -> None:
    actions.decisions.decide("1002", pin)
    d = actions.decisions.decide("1002", kind, override=True)
    assert actions.store.decision("1002") == d
    assert [h.kind for h in actions.store.decision_history("1002")] == [pin]
    actions.store.close()
    with Store.open(data_dir) as store:
        (entry,) = store.outbox()
        assert (entry.op, entry.override, entry.decision_seq) == (op, True, d.seq)
        again = make_writes(store, backend, clock)
        assert again.outbox.process_outbox().sent[0].id == entry.id
    assert backend.calls == [(str(op), "1002")]


def test_codec_override_round_trip_and_default() -> None:
    entry = OutboxEntry("e1", Op.UNFOLLOW, "1002", T0, override=True)
    assert entry_from_doc(entry_to_doc(entry)) == entry
    old = entry_to_doc(entry)
    del old["override"]  # written before the field existed
    assert entry_from_doc(old).override is False


def test_never_makes_no_call_cancels_a_follow_and_leaves_the_new_followers_queue(actions: Writes) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    d = actions.decisions.decide("1002", K.NEVER)
    assert ops(actions.store) == [("follow", "1002", "cancelled")] and actions.outbox.pending_count() == 0
    assert K.NEVER.label == "never follow"
    rel = actions.store.relationship("1002")
    assert rel is not None and rel.follower and not rel.following
    assert d.active(T0 + timedelta(days=365))  # never expires: out of New followers for good


def test_decide_keep_or_never_cancels_a_failed_or_manual_call(actions: Writes, backend: FakeBackend) -> None:
    backend.fail[("unfollow", "1003")] = [Forbidden("no")]
    backend.fail[("follow", "1002")] = [Forbidden("no")]
    actions.decisions.decide("1003", K.UNFOLLOW)
    actions.decisions.decide("1002", K.FOLLOW)
    failed, manual = actions.outbox.process_outbox().failed
    assert (failed.state, manual.state) == (S.FAILED, S.MANUAL)
    actions.decisions.decide("1003", K.KEEP)
    actions.decisions.decide("1002", K.NEVER)
    assert ops(actions.store) == [("unfollow", "1003", "cancelled"), ("follow", "1002", "cancelled")]
    with pytest.raises(ValueError, match="cancelled"):
        actions.outbox.retry(failed.id)
    with pytest.raises(ValueError, match="cancelled"):
        actions.outbox.mark_done_by_hand(manual.id)


# -- undo ----------------------------------------------------------------------------------------------


def test_undo_of_a_sent_follow_back_to_keep_does_not_unfollow(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.KEEP)  # not followed as far as the store knows
    actions.decisions.decide("1002", K.FOLLOW)
    actions.outbox.process_outbox()
    undone = actions.decisions.undo()
    assert undone is not None and undone.restored is not None and undone.restored.kind is K.KEEP
    assert (undone.effect, undone.queued) == (UndoEffect.GUARDED, None)
    actions.outbox.process_outbox()
    assert backend.calls == [("follow", "1002")]


def test_undo_of_a_sent_unfollow_back_to_never_does_not_follow(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.NEVER)
    actions.decisions.decide("1003", K.UNFOLLOW)
    actions.outbox.process_outbox()
    undone = actions.decisions.undo()
    assert undone is not None and (undone.effect, undone.queued) == (UndoEffect.GUARDED, None)
    actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "1003")]


def test_undo_of_an_overriding_follow_unfollows_a_never_account(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.NEVER)
    actions.decisions.decide("1002", K.FOLLOW, override=True)
    actions.outbox.process_outbox()
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.INVERSE
    actions.outbox.process_outbox()
    assert backend.calls == [("follow", "1002"), ("unfollow", "1002")]


def test_undo_of_a_follow_of_an_account_already_followed_unfollows_nothing(
    actions: Writes, backend: FakeBackend, clock: FakeClock
) -> None:
    sync(actions.store, {"1002"}, T0)  # seen followed before the follow was decided
    clock.advance(hours=1)
    actions.decisions.decide("1002", K.FOLLOW)
    actions.outbox.process_outbox()
    sync(actions.store, {"1002"}, clock.advance(hours=1))
    undone = actions.decisions.undo()
    assert undone is not None and (undone.effect, undone.queued) == (UndoEffect.NOTHING, None)
    assert backend.calls == [("follow", "1002")] and actions.outbox.pending_count() == 0


def test_undo_of_a_follow_seen_by_a_later_sync_unfollows(
    actions: Writes, backend: FakeBackend, clock: FakeClock
) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.outbox.process_outbox()
    sync(actions.store, {"1002"}, clock.advance(hours=1))  # first seen followed after the follow: it made it
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.INVERSE
    assert undone.queued is not None and undone.queued.op is Op.UNFOLLOW


def test_undo_back_to_keep_cancels_a_stray_unfollow(actions: Writes, backend: FakeBackend) -> None:
    """KEEP, FOLLOW (skipped while in flight: its unfollow queued), undo SKIP, undo FOLLOW: no unfollow."""
    actions.decisions.decide("1002", K.KEEP)
    actions.decisions.decide("1002", K.FOLLOW)
    backend.before_call = lambda: actions.decisions.decide("1002", K.SKIP)
    actions.outbox.process_outbox()
    assert ops(actions.store)[-1] == ("unfollow", "1002", "pending")  # the skip came while the follow was sent
    first = actions.decisions.undo()
    assert first is not None and first.restored is not None and first.restored.kind is K.FOLLOW
    second = actions.decisions.undo()
    assert second is not None and second.restored is not None and second.restored.kind is K.KEEP
    assert second.effect is UndoEffect.GUARDED
    assert second.cancelled is not None and second.cancelled.op is Op.UNFOLLOW
    assert second.cancelled.error == "not sent: @user2 is kept (pinned), so it is not unfollowed"
    actions.outbox.process_outbox()
    assert backend.calls == [("follow", "1002")] and actions.outbox.pending_count() == 0


def test_undo_of_keep_requeues_the_unfollow_it_cancelled(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.UNFOLLOW)
    actions.decisions.decide("1003", K.KEEP)
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.REQUEUED
    actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "1003")]


def test_undo_requeue_keeps_the_override(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.KEEP)
    actions.decisions.decide("1003", K.UNFOLLOW, override=True)
    actions.decisions.decide("1003", K.SNOOZE)  # cancels the unfollow
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.REQUEUED
    assert undone.queued is not None and undone.queued.override


# -- calls in flight -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "meanwhile", "calls"),
    [
        (K.FOLLOW, K.KEEP, [("follow", "1002")]),  # pinned while the follow was on the wire: stays followed
        (K.UNFOLLOW, K.NEVER, [("unfollow", "1002")]),  # never-follow while unfollowing: not followed again
        (K.UNFOLLOW, K.KEEP, [("unfollow", "1002"), ("follow", "1002")]),  # pinned: the unfollow is undone
        (K.FOLLOW, K.SKIP, [("follow", "1002"), ("unfollow", "1002")]),
    ],
)
def test_decided_while_in_flight(
    actions: Writes, backend: FakeBackend, first: DecisionKind, meanwhile: DecisionKind, calls: list[tuple[str, str]]
) -> None:
    actions.decisions.decide("1002", first)
    backend.before_call = lambda: actions.decisions.decide("1002", meanwhile)
    actions.outbox.process_outbox()
    actions.outbox.process_outbox()
    assert backend.calls == calls and actions.outbox.pending_count() == 0


# -- the send-time check, retry, by hand ---------------------------------------------------------------


@pytest.mark.parametrize(("pin", "op"), [(K.KEEP, Op.UNFOLLOW), (K.NEVER, Op.FOLLOW)])
def test_send_time_check_cancels_whatever_queued_it(
    actions: Writes, backend: FakeBackend, pin: DecisionKind, op: Op
) -> None:
    actions.decisions.decide("1002", pin)
    stray = foreign(actions, op, "1002")
    report = actions.outbox.process_outbox()
    (refused,) = report.guarded
    assert (refused.id, refused.state) == (stray.id, S.CANCELLED) and report.sent == report.failed == ()
    assert refused.error == f"not sent: {actions.decisions.guarded('1002', K(str(op)))}"
    assert actions.store.outbox_entry(stray.id) == refused and backend.calls == []


def test_send_time_check_lets_an_override_through(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.KEEP)
    foreign(actions, Op.UNFOLLOW, "1002", override=True)
    assert len(actions.outbox.process_outbox().sent) == 1 and backend.calls == [("unfollow", "1002")]


def test_send_time_check_after_a_restart(
    actions: Writes, backend: FakeBackend, clock: FakeClock, data_dir: Path
) -> None:
    actions.decisions.decide("1003", K.KEEP)
    foreign(actions, Op.UNFOLLOW, "1003")
    actions.store.close()
    with Store.open(data_dir) as store:
        assert len(make_writes(store, backend, clock).outbox.process_outbox().guarded) == 1
    assert backend.calls == []


def test_retry_refuses_a_guarded_entry(actions: Writes, count_writes: Callable[[Store], list[int]]) -> None:
    actions.decisions.decide("1003", K.KEEP)
    stray = foreign(actions, Op.UNFOLLOW, "1003", S.FAILED, error="nope")
    writes = count_writes(actions.store)
    with pytest.raises(Guarded) as raised:
        actions.outbox.retry(stray.id)
    assert raised.value.account_ids == ("1003",) and "kept" in str(raised.value)
    assert actions.store.outbox_entry(stray.id) == stray and writes == []
    with_override = foreign(actions, Op.UNFOLLOW, "1006", S.FAILED, override=True)
    actions.decisions.decide("1006", K.KEEP)  # cancels it: an override is for the decision it came with
    assert present(actions.store.outbox_entry(with_override.id)).state is S.CANCELLED


def test_retry_of_an_overriding_unfollow(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.KEEP)
    backend.fail[("unfollow", "1003")] = [Forbidden("no")]
    actions.decisions.decide("1003", K.UNFOLLOW, override=True)
    (failed,) = actions.outbox.process_outbox().failed
    assert actions.outbox.retry(failed.id).state is S.PENDING
    actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "1003")]


def test_mark_done_by_hand_records_what_the_user_did(actions: Writes, backend: FakeBackend) -> None:
    """No call is made, so it is not guarded (a never-follow account's manual follow is cancelled anyway)."""
    actions.decisions.decide("1002", K.NEVER)
    manual = foreign(actions, Op.FOLLOW, "1002", S.MANUAL)
    assert actions.outbox.mark_done_by_hand(manual.id).state is S.BY_HAND
    actions.outbox.process_outbox()
    assert backend.calls == []


def test_sync_in_between_changes_nothing(actions: Writes, backend: FakeBackend, clock: FakeClock) -> None:
    actions.decisions.decide("1002", K.KEEP)
    actions.decisions.decide("1002", K.FOLLOW)
    actions.outbox.process_outbox()
    sync(actions.store, {"1002", "1003"}, clock.advance(hours=1))  # the follow looks new: its undo would unfollow
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.GUARDED  # but 1002 is kept again
    sync(actions.store, set(), clock.advance(hours=1))
    with pytest.raises(Guarded):
        actions.decisions.decide("1002", K.UNFOLLOW)
    actions.outbox.process_outbox()
    assert backend.calls == [("follow", "1002")]


# -- the state machine ---------------------------------------------------------------------------------

ACCOUNTS = ("1001", "1002", "1003")  # 1002 follows the user, the user follows 1003: collisions are frequent
LIST_ID = "77"
OUTCOMES = ("ok", "transient", "forbidden", "rate_limited", "lost")  # "lost": it went through, the answer did not
RAM_DIR = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # ~6000 atomic renames per run: 20x faster there
KINDS = st.sampled_from([K.FOLLOW, K.UNFOLLOW, K.KEEP, K.NEVER] * 2 + [K.SKIP, K.SNOOZE])  # mostly the ones at stake


class World(FakeBackend):
    """X as the machine's backend: follows and list members change with each call that goes through.

    ``followed`` is who the user follows on X (not ``following``, the Backend's call it would shadow); ``outcomes``
    scripts the next calls; ``meanwhile`` runs once during the next call (a keypress while it is on the wire), given
    its account; ``check`` sees every call as it arrives.
    """

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.followed = {"1003"}
        self.members = {"1001"}
        self.outcomes: list[str] = []
        self.meanwhile: Callable[[str], None] | None = None
        self.check: Callable[[str, str], None] = lambda method, account_id: None

    def _call(self, method: str, *args: str) -> None:
        account_id = args[-1]
        self.check(method, account_id)
        hook, self.meanwhile = self.meanwhile, None
        if hook is not None:
            hook(account_id)
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome == "transient":
            raise Transient("timeout")
        if outcome == "forbidden":
            raise Forbidden("not permitted")
        if outcome == "rate_limited":
            raise RateLimited(self.clock() + timedelta(minutes=5))
        self.calls.append((method, *args))
        if method == "follow":
            self.followed.add(account_id)
        elif method == "unfollow":
            self.followed.discard(account_id)
        if method in ("add", "remove"):
            (self.members.add if method == "add" else self.members.discard)(account_id)
        if outcome == "lost":
            raise Transient("read timed out")


def _graph(store: Store | None, world: World, seen_at: datetime) -> dict[str, Any]:
    graph = sample_graph(len(ACCOUNTS), lists=(ListInfo(LIST_ID, "friends", member_ids=tuple(sorted(world.members))),))
    old = {r.account_id: r for r in store.relationships()} if store is not None else {}
    rels: list[Relationship] = []
    for rel in graph["relationships"]:
        was = old.get(rel.account_id)
        now = rel.account_id in world.followed
        first = was.following_first_seen if was is not None and was.following and now else seen_at
        rels.append(replace(rel, following=now, following_first_seen=first if now else None))
    return graph | {"relationships": rels}


class KeepNeverMachine(RuleBasedStateMachine):
    """Random decisions, undos, list changes, outbox rounds (failing at random), retries, syncs and restarts.

    After every step, and at every call the backend receives: no unfollow of a kept account and no follow of a
    never-follow one unless the call's entry carries an override; and no such call is even owed.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="keep-never-", dir=RAM_DIR))
        self.clock = FakeClock(T0)
        self.world = World(self.clock)
        self.world.check = self._check_call
        self.violations: list[str] = []
        self.store = Store.open(self.dir, fsync=False)
        self.store.replace_graph(**_graph(None, self.world, T0 - timedelta(days=1)))
        self.actions = make_writes(self.store, self.world, self.clock)

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- checks

    def _check_call(self, method: str, account_id: str) -> None:
        if method not in ("follow", "unfollow"):
            return
        op = Op(method)
        sending = [e for e in self.store.outbox([S.PENDING]) if e.op is op and e.account_id == account_id]
        decision = self.store.decision(account_id)
        if len(sending) != 1:
            self.violations.append(f"{method}({account_id}) sent with pending entries {sending}")
        elif decision is not None and decision.kind is FORBIDS[op] and not sending[0].override:
            self.violations.append(f"{method}({account_id}) sent while its decision is {decision.kind}")

    def _forbidden(self, account_id: str, kind: DecisionKind) -> bool:
        decision = self.store.decision(account_id)
        op = {K.FOLLOW: Op.FOLLOW, K.UNFOLLOW: Op.UNFOLLOW}.get(kind)
        return op is not None and decision is not None and decision.kind is FORBIDS[op]

    def _state(self) -> tuple[Any, ...]:
        return self.store.decisions(), self.store.outbox(), [self.store.decision_history(a) for a in ACCOUNTS]

    @invariant()
    def no_guarded_call_sent_or_owed(self) -> None:
        assert not self.violations, self.violations
        owed: dict[str, list[OutboxEntry]] = {}
        for entry in self.store.outbox(OPEN):
            if entry.op in FORBIDS:
                owed.setdefault(entry.account_id, []).append(entry)
                decision = self.store.decision(entry.account_id)
                forbidden = decision is not None and decision.kind is FORBIDS[entry.op]
                assert entry.override or not forbidden, f"{entry} owed while the decision is {decision}"
        assert all(len(entries) == 1 for entries in owed.values()), owed

    # -- rules

    def _decide(self, account_ids: list[str], kind: DecisionKind, override: bool) -> None:
        refused = {a for a in account_ids if self._forbidden(a, kind)}
        before = self._state()
        try:
            self.actions.decisions.decide_many(account_ids, kind, override=override)
        except Guarded as exc:
            assert refused and not override and set(exc.account_ids) == refused
            assert self._state() == before
        else:
            assert override or not refused, f"{kind} of {refused} went through without an override"
            assert all(present(self.store.decision(a)).kind is kind for a in account_ids)

    @rule(account=st.sampled_from(ACCOUNTS), kind=KINDS, override=st.booleans(), send=st.booleans())
    def decide(self, account: str, kind: DecisionKind, override: bool, send: bool) -> None:
        self._decide([account], kind, override)
        if send:  # as the app does after each decision
            self.actions.outbox.process_outbox()

    @rule(
        accounts=st.lists(st.sampled_from(ACCOUNTS), min_size=1, max_size=5),
        kind=KINDS,
        override=st.booleans(),
        send=st.booleans(),
    )
    def decide_many(self, accounts: list[str], kind: DecisionKind, override: bool, send: bool) -> None:
        self._decide(accounts, kind, override)
        if send:
            self.actions.outbox.process_outbox()

    @precondition(lambda self: bool(self.store.decisions()))
    @rule(send=st.booleans())
    def undo(self, send: bool) -> None:
        self.actions.decisions.undo()
        if send:
            self.actions.outbox.process_outbox()

    @rule(account=st.sampled_from(ACCOUNTS), add=st.booleans())
    def change_list(self, account: str, add: bool) -> None:
        if add:
            self.actions.lists.change_membership([account], LIST_ID, add=True)
        else:
            self.actions.lists.change_membership([account], LIST_ID, add=False)

    @rule(
        wait=st.sampled_from([0, 1, 16, 60 * 25]),  # minutes: past backoffs, rate limits, the pacing window, a day
        outcomes=st.lists(st.sampled_from(OUTCOMES), min_size=1, max_size=4),
        meanwhile=st.one_of(st.none(), st.none(), st.just("undo"), st.tuples(KINDS, st.booleans())),
    )
    def process_outbox(self, wait: int, outcomes: list[str], meanwhile: str | tuple[DecisionKind, bool] | None) -> None:
        self.clock.advance(minutes=wait)
        self.world.outcomes = list(outcomes)

        def during(account_id: str) -> None:
            try:
                if meanwhile == "undo":
                    self.actions.decisions.undo()
                elif isinstance(meanwhile, tuple):
                    self._decide([account_id], *meanwhile)
            except Exception as exc:  # the outbox would swallow it as a network error
                self.violations.append(f"while a call was in flight: {exc!r}")

        self.world.meanwhile = during if meanwhile is not None else None
        self.actions.outbox.process_outbox()
        self.world.meanwhile = None

    @precondition(lambda self: bool(self.store.outbox([S.FAILED, S.MANUAL])))
    @rule(index=st.integers(0, 10))
    def retry(self, index: int) -> None:
        entries = self.store.outbox([S.FAILED, S.MANUAL])
        entry = entries[index % len(entries)]
        decision = self.store.decision(entry.account_id)
        forbidden = entry.op in FORBIDS and decision is not None and decision.kind is FORBIDS[entry.op]
        before = self._state()
        try:
            self.actions.outbox.retry(entry.id)
        except Guarded:
            assert forbidden and not entry.override and self._state() == before
        else:
            assert not forbidden or entry.override

    @precondition(lambda self: bool(self.store.outbox([S.MANUAL])))
    @rule(index=st.integers(0, 10))
    def follow_by_hand(self, index: int) -> None:
        entries = self.store.outbox([S.MANUAL])
        entry = self.actions.outbox.mark_done_by_hand(entries[index % len(entries)].id)
        self.world.followed.add(entry.account_id)  # on x.com: no call

    @rule()
    def sync(self) -> None:
        self.store.replace_graph(**_graph(self.store, self.world, self.clock()))

    @rule()
    def restart(self) -> None:
        self.store.close()
        self.store = Store.open(self.dir, fsync=False)
        self.actions = make_writes(self.store, self.world, self.clock)


KeepNeverMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None, database=None)
TestKeepNeverMachine = KeepNeverMachine.TestCase
