"""The write services: decisions, undo, lists, and the outbox against a scripted fake backend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from followtui.backends.base import (
    AuthError,
    Backend,
    FollowState,
    Forbidden,
    NotFound,
    Page,
    RateLimited,
    Transient,
)
from followtui.backends.meter import RequestMeter
from followtui.domain.models import DecisionKind, ListInfo, Me, Op, OutboxState, Post
from followtui.services.decisions import UndoEffect
from followtui.services.outbox import MAX_ATTEMPTS, OutboxReport
from followtui.store import Store
from tests.factories import FakeClock, present
from tests.writes import Writes, make_writes

K = DecisionKind
S = OutboxState


class FakeBackend:
    """Records write calls; ``fail`` maps (method, account_id) to an exception raised once per entry."""

    name = "fake"
    network_name = "X"

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.meter = RequestMeter()
        self.fail: dict[tuple[str, str], list[Exception]] = {}
        self.before_call: Callable[[], object] | None = None

    def _call(self, method: str, *args: str) -> None:
        hook, self.before_call = self.before_call, None  # runs once, during the next call
        if hook:
            hook()
        errors = self.fail.get((method, args[-1]))
        if errors:
            raise errors.pop(0)
        self.calls.append((method, *args))

    def me(self) -> Me:
        return Me(id="1", username="me")

    def followers(self, cursor: str | None = None) -> Page:
        return Page([])

    def following(self, cursor: str | None = None) -> Page:
        return Page([])

    def lookup(self, account_ids: Sequence[str]) -> Page:
        return Page([])

    def owned_lists(self) -> list[ListInfo]:
        return []

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        return Page([])

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        return []

    def mentions(self, limit: int = 100) -> list[Post]:
        return []

    def my_posts(self, limit: int = 100) -> list[Post]:
        return []

    def follow(self, account_id: str) -> FollowState:
        self._call("follow", account_id)
        return FollowState.FOLLOWING

    def follow_state(self, account_id: str) -> FollowState:
        self._call("follow_state", account_id)
        return FollowState.NONE

    def unfollow(self, account_id: str) -> None:
        self._call("unfollow", account_id)

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        self._call("create_list", name)
        return ListInfo(id="99", name=name, description=description, private=private)

    def add_list_member(self, list_id: str, account_id: str) -> None:
        self._call("add", list_id, account_id)

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        self._call("remove", list_id, account_id)

    def update_list(self, list_id: str, name: str, description: str) -> None:
        self._call("update_list", list_id, name)

    def delete_list(self, list_id: str) -> None:
        self._call("delete_list", list_id)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def actions(seeded: Store, backend: FakeBackend, clock: FakeClock) -> Writes:
    return make_writes(seeded, backend, clock, snooze_days=2)


def ops(store: Store) -> list[tuple[str, str, str]]:
    return [(str(e.op), e.account_id, str(e.state)) for e in store.outbox()]


def test_fake_backend_is_a_backend(backend: FakeBackend) -> None:
    assert isinstance(backend, Backend)


@pytest.mark.parametrize("kind", list(DecisionKind))
def test_every_kind(actions: Writes, clock: FakeClock, kind: DecisionKind) -> None:
    d = actions.decisions.decide("1002", kind)
    assert actions.store.decision("1002") == d
    assert d.decided_at == clock.now and d.seq == 1
    assert d.until == (clock.now + timedelta(days=2) if kind is K.SNOOZE else None)
    expected = {K.FOLLOW: [("follow", "1002", "pending")], K.UNFOLLOW: [("unfollow", "1002", "pending")]}
    assert ops(actions.store) == expected.get(kind, [])
    assert actions.outbox.pending_count() == len(expected.get(kind, []))


def test_decide_is_durable(actions: Writes, data_dir: Path) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.store.close()
    with Store.open(data_dir) as store:
        assert present(store.decision("1002")).kind is K.FOLLOW
        assert ops(store) == [("follow", "1002", "pending")]


def test_redecide_cancels_unsent_op(actions: Writes) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1002", K.SKIP)
    assert ops(actions.store) == [("follow", "1002", "cancelled")]
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1002", K.UNFOLLOW)
    assert [s for *_, s in ops(actions.store)] == ["cancelled", "cancelled", "pending"]
    assert present(actions.store.decision("1002")).seq == 4
    assert [d.kind for d in actions.store.decision_history("1002")] == [K.FOLLOW, K.SKIP, K.FOLLOW]


def test_decide_many_one_write(actions: Writes, count_writes: Callable[[Store], list[int]]) -> None:
    writes = count_writes(actions.store)
    out = actions.decisions.decide_many(["1002", "1004", "1002"], K.FOLLOW)
    assert [d.account_id for d in out] == ["1002", "1004"]
    assert [d.seq for d in out] == [1, 2]
    assert len(writes) == 1
    assert actions.outbox.pending_count() == 2


def test_undo_nothing(actions: Writes) -> None:
    assert actions.decisions.undo() is None


def test_undo_cancels_pending(actions: Writes) -> None:
    d = actions.decisions.decide("1002", K.FOLLOW)
    undone = actions.decisions.undo()
    assert undone is not None
    assert (undone.account_id, undone.undone, undone.restored) == ("1002", d, None)
    assert undone.effect is UndoEffect.CANCELLED
    assert actions.store.decision("1002") is None
    assert ops(actions.store) == [("follow", "1002", "cancelled")]
    assert actions.decisions.undo() is None


def test_undo_sent_enqueues_inverse(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1003", K.UNFOLLOW)
    assert len(actions.outbox.process_outbox().sent) == 1
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.INVERSE
    assert undone.queued is not None and undone.queued.op is Op.FOLLOW
    actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "1003"), ("follow", "1003")]


def test_undo_walks_back(actions: Writes) -> None:
    actions.decisions.decide("1002", K.SKIP)
    actions.decisions.decide("1004", K.KEEP)
    actions.decisions.decide("1002", K.FOLLOW)
    first = actions.decisions.undo()
    assert first is not None and first.restored is not None and first.restored.kind is K.SKIP
    assert present(actions.store.decision("1002")).kind is K.SKIP
    second = actions.decisions.undo()
    assert second is not None and second.account_id == "1004" and second.effect is UndoEffect.NOTHING
    third = actions.decisions.undo()
    assert third is not None and third.account_id == "1002" and third.restored is None
    assert actions.store.decisions() == {}
    assert actions.decisions.undo() is None


def test_undo_requeues_restored_op(actions: Writes) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1002", K.SKIP)  # cancels the follow
    undone = actions.decisions.undo()
    assert undone is not None and undone.effect is UndoEffect.REQUEUED
    assert ops(actions.store)[-1] == ("follow", "1002", "pending")
    assert actions.outbox.pending_count() == 1
    again = actions.decisions.undo()  # and undoing the follow cancels the requeued call
    assert again is not None and again.effect is UndoEffect.CANCELLED
    assert actions.outbox.pending_count() == 0


def test_list_add_remove(actions: Writes, backend: FakeBackend) -> None:
    assert actions.lists.change_membership(["1001"], "77", add=True) == []  # already a member
    [added] = actions.lists.change_membership(["1002"], "77", add=True)
    assert added.op is Op.LIST_ADD and added.list_id == "77"
    assert present(actions.store.list_info("77")).member_ids == ("1001", "1002")
    [removed] = actions.lists.change_membership(["1002"], "77", add=False)
    assert removed.op is Op.LIST_REMOVE
    assert present(actions.store.list_info("77")).member_ids == ("1001",)
    assert ops(actions.store) == [("list_add", "1002", "cancelled"), ("list_remove", "1002", "pending")]
    assert actions.lists.change_membership(["1002"], "77", add=False) == []
    with pytest.raises(KeyError):
        actions.lists.change_membership(["1002"], "nope", add=True)
    actions.outbox.process_outbox()
    assert backend.calls == [("remove", "77", "1002")]


def test_process_success_in_order(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1003", K.UNFOLLOW)
    actions.lists.change_membership(["1004"], "77", add=True)
    report = actions.outbox.process_outbox(max_items=2)
    assert [e.account_id for e in report.sent] == ["1002", "1003"]
    assert [e.account_id for e in report.waiting] == ["1004"]
    report = actions.outbox.process_outbox()
    assert [e.op for e in report.sent] == [Op.LIST_ADD]
    assert all(e.state is S.DONE and e.attempts == 1 for e in actions.store.outbox())
    assert backend.calls == [("follow", "1002"), ("unfollow", "1003"), ("add", "77", "1004")]
    assert actions.outbox.process_outbox() == type(report)()


def test_rate_limited(actions: Writes, backend: FakeBackend, clock: FakeClock) -> None:
    reset = clock.now + timedelta(minutes=15)
    backend.fail[("follow", "1002")] = [RateLimited(reset)]
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1004", K.FOLLOW)
    actions.decisions.decide("1003", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    assert [e.account_id for e in report.sent] == ["1003"]  # another op kind still goes
    assert {e.account_id for e in report.waiting} == {"1002", "1004"}
    first = actions.store.outbox()[0]
    assert first.state is S.PENDING and first.not_before == reset and first.attempts == 0
    assert actions.outbox.rate_limited_until() == reset
    assert report.message is not None and "rate limit" in report.message
    assert actions.outbox.process_outbox().sent == ()  # no tight retry
    clock.now = reset
    assert [e.account_id for e in actions.outbox.process_outbox().sent] == ["1002", "1004"]
    assert actions.outbox.rate_limited_until() is None


def test_transient_backoff_then_failed(actions: Writes, backend: FakeBackend, clock: FakeClock) -> None:
    backend.fail[("follow", "1002")] = [Transient("timeout")] * MAX_ATTEMPTS
    actions.decisions.decide("1002", K.FOLLOW)
    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        report = actions.outbox.process_outbox()
        (entry,) = report.waiting
        assert entry.state is S.PENDING and entry.error == "timeout"
        assert actions.outbox.process_outbox().sent == ()  # not due yet
        not_before = present(entry.not_before)
        delays.append((not_before - clock.now).total_seconds())
        clock.now = not_before
    assert delays[:3] == [2, 4, 8] and max(delays) <= 15 * 60
    report = actions.outbox.process_outbox()
    (entry,) = report.failed
    assert entry.state is S.FAILED and entry.attempts == MAX_ATTEMPTS and "timeout" in entry.error
    assert actions.outbox.pending_count() == 1  # failed still counts as owed
    actions.outbox.retry(entry.id)
    assert [e.account_id for e in actions.outbox.process_outbox().sent] == ["1002"]


def test_auth_error_stops(actions: Writes, backend: FakeBackend) -> None:
    backend.fail[("follow", "1002")] = [AuthError("expired")]
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1004", K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert report.message is not None and "followtui auth" in report.message
    assert report.sent == () and backend.calls == []
    assert all(e.state is S.PENDING and e.attempts == 0 for e in actions.store.outbox())
    assert len(actions.outbox.process_outbox().sent) == 2


def test_forbidden_follow_is_manual(actions: Writes, backend: FakeBackend) -> None:
    backend.fail[("follow", "1002")] = [Forbidden("tier does not allow follows")]
    backend.fail[("unfollow", "1003")] = [Forbidden("nope")]
    actions.decisions.decide("1002", K.FOLLOW)
    actions.decisions.decide("1003", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    follow, unfollow = report.failed
    assert (follow.state, follow.error) == (S.MANUAL, "tier does not allow follows")
    assert (unfollow.state, unfollow.error) == (S.FAILED, "nope")
    assert actions.outbox.pending_count() == 1
    actions.outbox.retry(follow.id)
    assert actions.outbox.process_outbox().sent[0].account_id == "1002"
    with pytest.raises(ValueError, match="not failed"):
        actions.outbox.retry(follow.id)


def test_not_found(actions: Writes, backend: FakeBackend) -> None:
    backend.fail[("follow", "1002")] = [NotFound("gone")]
    actions.decisions.decide("1002", K.FOLLOW)
    (entry,) = actions.outbox.process_outbox().failed
    assert entry.state is S.FAILED and entry.error == "account no longer exists"


def test_unexpected_error_backs_off(actions: Writes, backend: FakeBackend) -> None:
    backend.fail[("follow", "1002")] = [RuntimeError("bug")]
    actions.decisions.decide("1002", K.FOLLOW)
    (entry,) = actions.outbox.process_outbox().waiting
    assert entry.attempts == 1 and "unexpected error: bug" in entry.error


def test_pending_survives_restart(actions: Writes, backend: FakeBackend, clock: FakeClock, data_dir: Path) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    actions.store.close()
    with Store.open(data_dir) as store:
        report = make_writes(store, backend, clock).outbox.process_outbox()
    assert [e.account_id for e in report.sent] == ["1002"]


def test_cancelled_while_in_flight(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    # the user skips while the follow call is on the wire: the follow happened, so it must be undone
    backend.before_call = lambda: actions.decisions.decide("1002", K.SKIP)
    report = actions.outbox.process_outbox()
    assert [e.state for e in report.sent] == [S.DONE]
    assert ops(actions.store) == [("follow", "1002", "done"), ("unfollow", "1002", "pending")]
    actions.outbox.process_outbox()
    assert backend.calls == [("follow", "1002"), ("unfollow", "1002")]


def test_cancelled_in_flight_superseded_by_newer_op(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    backend.before_call = lambda: actions.decisions.decide("1002", K.UNFOLLOW)
    actions.outbox.process_outbox(max_items=1)
    assert ops(actions.store) == [("follow", "1002", "done"), ("unfollow", "1002", "pending")]


def test_concurrent_round_refused(actions: Writes, backend: FakeBackend) -> None:
    actions.decisions.decide("1002", K.FOLLOW)
    inner: list[OutboxReport] = []
    backend.before_call = lambda: inner.append(actions.outbox.process_outbox())
    actions.outbox.process_outbox()
    assert inner[0].message == "the outbox is already being sent"


def test_rate_limit_remembered_after_restart(
    actions: Writes, backend: FakeBackend, clock: FakeClock, data_dir: Path
) -> None:
    reset = clock.now + timedelta(minutes=15)
    backend.fail[("follow", "1002")] = [RateLimited(reset)]
    actions.decisions.decide("1002", K.FOLLOW)
    actions.outbox.process_outbox()
    actions.store.close()
    with Store.open(data_dir) as store:
        assert make_writes(store, backend, clock).outbox.rate_limited_until() == reset


def test_rate_limit_reset_in_the_past_still_waits(actions: Writes, backend: FakeBackend, clock: FakeClock) -> None:
    backend.fail[("follow", "1002")] = [RateLimited(clock.now - timedelta(seconds=1))]
    actions.decisions.decide("1002", K.FOLLOW)
    (entry,) = actions.outbox.process_outbox().waiting
    assert entry.not_before is not None and entry.not_before > clock.now
