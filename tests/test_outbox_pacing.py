"""The outbox's pacing and daily cap, ``attempted_at``, refused and by-hand calls, and lists created here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.base import AuthError, Forbidden, NotFound, RateLimited, Refused, Transient
from followtui.domain.models import LOCAL_LIST_PREFIX, DecisionKind, ListInfo, Op, OutboxEntry, OutboxState
from followtui.domain.models import format_time as fmt
from followtui.services.outbox import OutboxReport, Pacing
from followtui.store import Store
from tests.factories import T0, FakeClock, present, sample_graph
from tests.test_actions import FakeBackend
from tests.writes import Writes, make_writes

K = DecisionKind
S = OutboxState
WINDOW = timedelta(minutes=15)
DAY = timedelta(days=1)
LOTS = 1000  # a limit that never binds


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def make(seeded: Store, backend: FakeBackend, clock: FakeClock) -> Callable[..., Writes]:
    """The write services over the seeded store with the given ``Pacing`` fields."""

    def build(**pacing: Any) -> Writes:  # ints, and window a timedelta
        return make_writes(seeded, backend, clock, pacing=Pacing(**pacing))

    return build


def ids(entries: tuple[OutboxEntry, ...] | list[OutboxEntry]) -> list[str]:
    return [e.account_id for e in entries]


def state_of(store: Store, op: Op, account_id: str) -> OutboxState:
    (entry,) = [e for e in store.outbox() if e.op is op and e.account_id == account_id]
    return entry.state


def follows(n: int, start: int = 2001) -> list[str]:
    return [str(start + i) for i in range(n)]


# -- pacing per endpoint -------------------------------------------------------------------------------


def test_pacing_holds_the_rest_until_the_window_ends(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make(writes_per_window=3, follows_per_day=LOTS)
    actions.decisions.decide_many(follows(5), K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["2001", "2002", "2003"]
    assert ids(report.waiting) == ["2004", "2005"] and report.failed == ()
    assert backend.calls == [("follow", "2001"), ("follow", "2002"), ("follow", "2003")]
    assert [e.state for e in actions.store.outbox()] == [S.DONE] * 3 + [S.PENDING] * 2
    assert all(e.attempts == 0 and e.attempted_at is None for e in actions.store.outbox()[3:])  # not tried
    assert (
        report.message
        == f"Pacing (at most 3 follow calls per 15 minutes): the next follow call waits until {fmt(T0 + WINDOW)}"
    )
    assert actions.outbox.rate_limited_until() == T0 + WINDOW
    assert actions.outbox.pending_count() == 2

    clock.advance(minutes=14, seconds=59)
    report = actions.outbox.process_outbox()
    assert report.sent == () and ids(report.waiting) == ["2004", "2005"] and len(backend.calls) == 3

    clock.now = T0 + WINDOW
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["2004", "2005"] and report.message is None
    assert actions.outbox.rate_limited_until() is None and actions.outbox.pending_count() == 0


def test_list_calls_have_their_own_larger_window(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make(writes_per_window=1, follows_per_day=LOTS)  # list calls keep X's 300
    actions.decisions.decide_many(follows(2, 2001), K.FOLLOW)
    for account_id in ("1002", "1003", "1004"):
        actions.lists.change_membership([account_id], "77", add=True)
    report = actions.outbox.process_outbox()
    assert backend.calls == [("follow", "2001"), ("add", "77", "1002"), ("add", "77", "1003"), ("add", "77", "1004")]
    assert ids(report.waiting) == ["2002"]


def test_pacing_window_slides_from_the_oldest_write(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make(writes_per_window=2, follows_per_day=LOTS)
    actions.decisions.decide("2001", K.FOLLOW)
    actions.outbox.process_outbox()
    clock.advance(minutes=5)
    actions.decisions.decide("2002", K.FOLLOW)
    actions.outbox.process_outbox()
    clock.advance(minutes=1)
    actions.decisions.decide("2003", K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert report.sent == ()
    assert actions.outbox.rate_limited_until() == T0 + WINDOW  # 15 minutes after the first write, not after the last
    clock.now = T0 + WINDOW
    assert ids(actions.outbox.process_outbox().sent) == ["2003"]
    actions.decisions.decide("2004", K.FOLLOW)  # the window now holds 2002 (T0+5m) and 2003 (T0+15m)
    assert actions.outbox.process_outbox().sent == ()
    assert actions.outbox.rate_limited_until() == T0 + timedelta(minutes=5) + WINDOW


def test_pacing_is_per_endpoint(make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock) -> None:
    actions = make(writes_per_window=2, list_writes_per_window=2, follows_per_day=LOTS)
    actions.decisions.decide_many(follows(3, 2001), K.FOLLOW)
    actions.decisions.decide_many(follows(3, 3001), K.UNFOLLOW)
    for account_id in ("1002", "1003", "1004"):
        actions.lists.change_membership([account_id], "77", add=True)
    report = actions.outbox.process_outbox()
    assert backend.calls == [
        ("follow", "2001"),
        ("follow", "2002"),
        ("unfollow", "3001"),
        ("unfollow", "3002"),
        ("add", "77", "1002"),
        ("add", "77", "1003"),
    ]
    assert ids(report.waiting) == ["2003", "3003", "1004"]
    assert report.message is not None and "2 follow calls" in report.message  # the first note of the round
    assert actions.outbox.rate_limited_until() == T0 + WINDOW


def test_unfollows_go_while_follows_are_paced(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make(writes_per_window=1, follows_per_day=LOTS)
    actions.decisions.decide_many(["2001", "2002"], K.FOLLOW)
    actions.outbox.process_outbox()
    actions.decisions.decide("3001", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["3001"] and ids(report.waiting) == ["2002"]


def test_pacing_survives_a_restart(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock, data_dir: Path
) -> None:
    actions = make(writes_per_window=3, follows_per_day=LOTS)
    actions.decisions.decide_many(follows(3), K.FOLLOW)
    assert len(actions.outbox.process_outbox().sent) == 3
    actions.decisions.decide_many(follows(2, 2004), K.FOLLOW)
    actions.store.close()
    clock.advance(minutes=10)
    with Store.open(data_dir) as store:
        assert [e.attempted_at for e in store.outbox()] == [T0] * 3 + [None] * 2
        again = make_writes(store, backend, clock, pacing=Pacing(writes_per_window=3, follows_per_day=LOTS))
        report = again.outbox.process_outbox()
        assert report.sent == () and ids(report.waiting) == ["2004", "2005"]
        assert report.message is not None and report.message.startswith("Pacing")
        assert again.outbox.rate_limited_until() == T0 + WINDOW
        clock.now = T0 + WINDOW
        assert ids(again.outbox.process_outbox().sent) == ["2004", "2005"]
    assert len(backend.calls) == 5


# -- the daily follow cap ------------------------------------------------------------------------------


def test_daily_follow_cap_counts_24_hours_from_each_follow(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make(follows_per_day=4, writes_per_window=LOTS)
    for account_id in follows(4):
        actions.decisions.decide(account_id, K.FOLLOW)
        assert ids(actions.outbox.process_outbox().sent) == [account_id]
        clock.advance(hours=1)
    actions.decisions.decide("2005", K.FOLLOW)
    actions.decisions.decide("3001", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["3001"]  # the cap is for follows only
    assert ids(report.waiting) == ["2005"]
    assert report.message == f"Pacing (at most 4 follows a day): the next follow call waits until {fmt(T0 + DAY)}"
    assert actions.outbox.rate_limited_until() == T0 + DAY

    clock.now = T0 + DAY - timedelta(seconds=1)
    assert actions.outbox.process_outbox().sent == ()
    clock.now = T0 + DAY
    assert ids(actions.outbox.process_outbox().sent) == ["2005"]
    actions.decisions.decide("2006", K.FOLLOW)  # the 24 hours now hold the follows of T0+1h, +2h, +3h and +24h
    assert actions.outbox.process_outbox().sent == ()
    assert actions.outbox.rate_limited_until() == T0 + timedelta(hours=1) + DAY


FAILURES: list[Exception] = [
    Refused("Invalid Request"),
    Forbidden("You are not permitted to follow"),
    NotFound("gone"),
    Transient("HTTP 503"),
    RuntimeError("bug"),
    RateLimited(T0 + timedelta(minutes=1)),
]


@pytest.mark.parametrize("error", FAILURES[:-1], ids=lambda e: type(e).__name__)
def test_follows_that_did_not_happen_leave_the_daily_cap_alone(
    make: Callable[..., Writes], backend: FakeBackend, error: Exception
) -> None:
    actions = make(follows_per_day=1, writes_per_window=LOTS)
    backend.fail[("follow", "2001")] = [error]
    actions.decisions.decide_many(follows(3), K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert backend.calls == [("follow", "2002")]
    assert ids(report.sent) == ["2002"] and "2003" in ids(report.waiting)
    assert report.message is not None and "at most 1 follows a day" in report.message


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__)
def test_every_attempt_counts_towards_the_window(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock, error: Exception
) -> None:
    actions = make(writes_per_window=1, follows_per_day=LOTS)
    backend.fail[("follow", "2001")] = [error]
    actions.decisions.decide_many(follows(2), K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert backend.calls == [] and report.sent == ()
    assert state_of(actions.store, Op.FOLLOW, "2002") is S.PENDING
    clock.now = T0 + WINDOW - timedelta(seconds=1)  # past any backoff or rate limit, still inside the window
    assert actions.outbox.process_outbox().sent == () and backend.calls == []
    assert actions.outbox.rate_limited_until() == T0 + WINDOW  # the failed attempt at T0 still fills the window
    clock.now = T0 + WINDOW
    assert len(actions.outbox.process_outbox().sent) == 1  # 2002, or 2001 again if it was only postponed


# -- attempted_at ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (None, S.DONE),
        (Refused("Invalid Request"), S.FAILED),
        (Forbidden("not permitted"), S.MANUAL),
        (NotFound("gone"), S.FAILED),
        (Transient("timeout"), S.PENDING),
        (RuntimeError("bug"), S.PENDING),
        (RateLimited(T0 + timedelta(hours=1)), S.PENDING),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception | type(None)) else str(v),
)
def test_attempted_at_is_set_on_every_attempt_and_stored(
    make: Callable[..., Writes],
    backend: FakeBackend,
    clock: FakeClock,
    data_dir: Path,
    error: Exception | None,
    state: OutboxState,
) -> None:
    actions = make()
    if error is not None:
        backend.fail[("follow", "2001")] = [error]
    actions.decisions.decide("2001", K.FOLLOW)
    sent_at = clock.advance(minutes=5)
    actions.outbox.process_outbox()
    (entry,) = actions.store.outbox()
    assert entry.state is state and entry.created_at == T0 and entry.attempted_at == sent_at
    actions.store.close()
    with Store.open(data_dir) as store:
        assert store.outbox() == [entry]


def test_auth_error_is_not_an_attempt(make: Callable[..., Writes], backend: FakeBackend, data_dir: Path) -> None:
    actions = make(writes_per_window=1)
    backend.fail[("follow", "2001")] = [AuthError("expired")]
    actions.decisions.decide("2001", K.FOLLOW)
    actions.outbox.process_outbox()
    (entry,) = actions.store.outbox()
    assert entry.state is S.PENDING and entry.attempted_at is None and entry.attempts == 0
    assert ids(actions.outbox.process_outbox().sent) == ["2001"]  # the refused credentials did not use the window


def test_attempted_at_follows_each_retry(make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock) -> None:
    actions = make()
    backend.fail[("follow", "2001")] = [Transient("timeout"), Transient("timeout")]
    actions.decisions.decide("2001", K.FOLLOW)
    seen = []
    for _ in range(3):
        actions.outbox.process_outbox()
        (entry,) = actions.store.outbox()
        seen.append((entry.state, entry.attempts, entry.attempted_at))
        clock.advance(minutes=1)
    assert seen == [
        (S.PENDING, 1, T0),
        (S.PENDING, 2, T0 + timedelta(minutes=1)),
        (S.DONE, 3, T0 + timedelta(minutes=2)),
    ]


def test_auth_message_wins_over_a_pacing_note(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make(writes_per_window=1)
    backend.fail[("unfollow", "3001")] = [AuthError("revoked")]
    actions.decisions.decide_many(["2001", "2002"], K.FOLLOW)
    actions.decisions.decide("3001", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["2001"]
    assert report.message == "X refused the saved sign-in: run `followtui auth`, then the pending actions will be sent."
    assert state_of(actions.store, Op.UNFOLLOW, "3001") is S.PENDING


# -- refused ------------------------------------------------------------------------------------------------


def _queue_follow(actions: Writes) -> tuple[str, str]:
    actions.decisions.decide("2001", K.FOLLOW)
    return "follow", "2001"


def _queue_unfollow(actions: Writes) -> tuple[str, str]:
    actions.decisions.decide("2001", K.UNFOLLOW)
    return "unfollow", "2001"


def _queue_list_add(actions: Writes) -> tuple[str, str]:
    actions.lists.change_membership(["2001"], "77", add=True)
    return "add", "2001"


def _queue_list_remove(actions: Writes) -> tuple[str, str]:
    actions.lists.change_membership(["1001"], "77", add=False)
    return "remove", "1001"


def _queue_list_create(actions: Writes) -> tuple[str, str]:
    actions.lists.create_list("new list")
    return "create_list", "new list"


QUEUE = {
    Op.FOLLOW: _queue_follow,
    Op.UNFOLLOW: _queue_unfollow,
    Op.LIST_ADD: _queue_list_add,
    Op.LIST_REMOVE: _queue_list_remove,
    Op.LIST_CREATE: _queue_list_create,
}


@pytest.mark.parametrize("op", list(QUEUE))
def test_refused_fails_at_once_and_is_never_retried_by_itself(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock, op: Op
) -> None:
    actions = make()
    backend.fail[QUEUE[op](actions)] = [Refused("Invalid Request: One or more parameters were invalid.")]
    report = actions.outbox.process_outbox()
    (entry,) = report.failed
    assert (entry.op, entry.state, entry.attempts) == (op, S.FAILED, 1)
    assert entry.error == "Invalid Request: One or more parameters were invalid." and entry.not_before is None
    for hours in (1, 24, 24 * 7):
        clock.now = T0 + timedelta(hours=hours)
        assert actions.outbox.process_outbox() == OutboxReport()
    assert backend.calls == [] and actions.store.outbox_entry(entry.id) == entry
    assert actions.outbox.pending_count() == 1  # still owed: the user sees it

    again = actions.outbox.retry(entry.id)
    assert (again.state, again.attempts, again.error, again.not_before) == (S.PENDING, 0, "", None)
    assert [e.id for e in actions.outbox.process_outbox().sent] == [entry.id]
    assert len(backend.calls) == 1 and actions.outbox.pending_count() == 0


# -- forbidden: by hand ----------------------------------------------------------------------------------


def test_forbidden_follow_waits_for_the_user(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock, data_dir: Path
) -> None:
    actions = make()
    detail = "You are not permitted to perform this action."
    backend.fail[("follow", "2001")] = [Forbidden(detail)]
    actions.decisions.decide_many(["2001", "2002"], K.FOLLOW)
    report = actions.outbox.process_outbox()
    (manual,) = report.failed
    assert (manual.state, manual.error, manual.attempted_at) == (S.MANUAL, detail, T0)
    assert actions.outbox.manual_entry("2001") == manual
    assert actions.outbox.manual_entry("2002") is None  # sent
    assert actions.outbox.manual_entry("1001") is None
    assert actions.outbox.pending_count() == 0  # nothing the outbox can do about it

    clock.advance(minutes=10)
    done = actions.outbox.mark_done_by_hand(manual.id)
    assert (done.id, done.state, done.error, done.attempted_at) == (
        manual.id,
        S.BY_HAND,
        "",
        T0 + timedelta(minutes=10),
    )
    assert actions.store.outbox_entry(manual.id) == done
    assert actions.outbox.manual_entry("2001") is None

    for days in (1, 2, 30):
        clock.now = T0 + timedelta(days=days)
        assert actions.outbox.process_outbox() == OutboxReport()
    assert backend.calls == [("follow", "2002")]
    with pytest.raises(ValueError, match="not failed or manual"):
        actions.outbox.retry(manual.id)
    actions.store.close()
    with Store.open(data_dir) as store:
        assert store.outbox_entry(manual.id) == done


def test_by_hand_follows_count_towards_the_daily_cap(make: Callable[..., Writes], backend: FakeBackend) -> None:
    """X's daily follow limit counts follows made on x.com too."""
    actions = make(follows_per_day=2, writes_per_window=LOTS)
    backend.fail[("follow", "2001")] = [Forbidden("not permitted")]
    actions.decisions.decide("2001", K.FOLLOW)
    (manual,) = actions.outbox.process_outbox().failed
    actions.outbox.mark_done_by_hand(manual.id)
    actions.decisions.decide_many(["2002", "2003"], K.FOLLOW)
    report = actions.outbox.process_outbox()
    assert ids(report.sent) == ["2002"] and ids(report.waiting) == ["2003"]


def test_by_hand_follows_leave_the_window_alone(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make(writes_per_window=2, follows_per_day=LOTS)
    backend.fail[("follow", "2001")] = [Forbidden("not permitted")]
    actions.decisions.decide("2001", K.FOLLOW)
    (manual,) = actions.outbox.process_outbox().failed
    actions.outbox.mark_done_by_hand(manual.id)  # its refused call no longer counts either
    actions.decisions.decide_many(["2002", "2003"], K.FOLLOW)
    assert ids(actions.outbox.process_outbox().sent) == ["2002", "2003"]


def _round(actions: Writes, backend: FakeBackend, op: Op, error: Exception | None = None) -> OutboxEntry:
    """Queue ``op`` on 2001 and send it once, failing with ``error``: the entry afterwards."""
    if error is not None:
        backend.fail[(str(op), "2001")] = [error]
    actions.decisions.decide("2001", K.FOLLOW if op is Op.FOLLOW else K.UNFOLLOW)
    actions.outbox.process_outbox()
    return actions.store.outbox()[-1]


def _cancelled(actions: Writes, backend: FakeBackend) -> OutboxEntry:
    actions.decisions.decide("2001", K.FOLLOW)
    actions.decisions.undo()
    return actions.store.outbox()[-1]


def _by_hand(actions: Writes, backend: FakeBackend) -> OutboxEntry:
    return actions.outbox.mark_done_by_hand(_round(actions, backend, Op.FOLLOW, Forbidden("no")).id)


@pytest.mark.parametrize(
    ("setup", "state"),
    [
        (lambda a, b: _round(a, b, Op.FOLLOW, AuthError("expired")), S.PENDING),
        (lambda a, b: _round(a, b, Op.FOLLOW), S.DONE),
        (lambda a, b: _round(a, b, Op.FOLLOW, Refused("no")), S.FAILED),
        (lambda a, b: _round(a, b, Op.UNFOLLOW, Forbidden("no")), S.FAILED),
        (_cancelled, S.CANCELLED),
        (_by_hand, S.BY_HAND),
    ],
    ids=["pending", "done", "failed", "forbidden unfollow", "cancelled", "by hand"],
)
def test_mark_done_by_hand_needs_a_manual_entry(
    make: Callable[..., Writes],
    backend: FakeBackend,
    setup: Callable[[Writes, FakeBackend], OutboxEntry],
    state: OutboxState,
) -> None:
    actions = make()
    entry = setup(actions, backend)
    assert entry.state is state
    before = actions.store.outbox()
    with pytest.raises(ValueError, match=f"is {state}, not waiting for a manual step"):
        actions.outbox.mark_done_by_hand(entry.id)
    assert actions.store.outbox() == before


def test_mark_done_by_hand_unknown_entry(make: Callable[..., Writes]) -> None:
    with pytest.raises(KeyError):
        make().outbox.mark_done_by_hand("nope")


@pytest.mark.parametrize("op", [Op.UNFOLLOW, Op.LIST_ADD, Op.LIST_REMOVE, Op.LIST_CREATE])
def test_forbidden_on_anything_but_a_follow_fails(make: Callable[..., Writes], backend: FakeBackend, op: Op) -> None:
    actions = make()
    backend.fail[QUEUE[op](actions)] = [Forbidden("You are not allowed to do this.")]
    (entry,) = actions.outbox.process_outbox().failed
    assert (entry.op, entry.state, entry.error) == (op, S.FAILED, "You are not allowed to do this.")
    assert actions.store.outbox([S.MANUAL]) == []
    assert actions.outbox.manual_entry(entry.account_id) is None


def test_manual_entry_is_only_for_follows(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make()
    backend.fail[("follow", "2001")] = [Forbidden("no")]
    backend.fail[("unfollow", "2002")] = [Forbidden("no")]
    actions.decisions.decide("2001", K.FOLLOW)
    actions.decisions.decide("2002", K.UNFOLLOW)
    actions.outbox.process_outbox()
    manual = actions.outbox.manual_entry("2001")
    assert manual is not None and manual.op is Op.FOLLOW
    assert actions.outbox.manual_entry("2002") is None
    actions.decisions.decide("2001", K.SKIP)  # changing one's mind cancels the manual step
    assert actions.outbox.manual_entry("2001") is None
    assert present(actions.store.outbox_entry(manual.id)).state is S.CANCELLED


# -- lists created here ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "message"),
    [
        ("", "", "A list needs a name."),
        (" \t\n ", "", "A list needs a name."),
        ("x" * 26, "", "A list name can have at most 25 characters on X (26 given)."),
        ("  " + "x" * 13 + " " + "y" * 12 + "  ", "", "A list name can have at most 25 characters on X (26 given)."),
        ("ok", "d" * 101, "A list description can have at most 100 characters on X (101 given)."),
    ],
    ids=["empty", "blank", "26 chars", "26 chars after collapsing", "101 char description"],
)
def test_create_list_refuses(make: Callable[..., Writes], name: str, description: str, message: str) -> None:
    actions = make()
    before = actions.store.lists()
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        actions.lists.create_list(name, description)
    assert actions.store.lists() == before and actions.store.outbox() == []


@pytest.mark.parametrize(
    ("name", "description", "stored_name", "stored_description"),
    [
        ("x" * 25, "d" * 100, "x" * 25, "d" * 100),
        ("  my \t  list \n", "  a   b\n c ", "my list", "a b c"),
        ("a" + " " * 30 + "b", "", "a b", ""),  # collapsed before counting
    ],
    ids=["limits", "whitespace", "long only before collapsing"],
)
def test_create_list_accepts(
    make: Callable[..., Writes], name: str, description: str, stored_name: str, stored_description: str
) -> None:
    actions = make()
    info = actions.lists.create_list(name, description)
    assert (info.name, info.description) == (stored_name, stored_description)
    assert actions.store.list_info(info.id) == info


def test_created_list_is_usable_at_once(make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends", "people I know")
    assert info.id.startswith(LOCAL_LIST_PREFIX) and info.local
    assert (info.name, info.description, info.private, info.member_ids) == ("Close friends", "people I know", True, ())
    assert [i.id for i in actions.store.lists()] == ["77", info.id]
    (create,) = actions.store.outbox()
    assert (create.op, create.account_id, create.list_id, create.state) == (Op.LIST_CREATE, "", info.id, S.PENDING)
    assert actions.outbox.pending_count() == 1

    [added] = actions.lists.change_membership(["1002"], info.id, add=True)
    assert (added.op, added.list_id) == (Op.LIST_ADD, info.id)
    assert present(actions.store.list_info(info.id)).member_ids == ("1002",)
    assert actions.lists.change_membership(["1002"], info.id, add=True) == []
    assert not actions.lists.create_list("Public", private=False).private


def test_membership_waits_for_the_list_to_exist_on_x(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends", "people I know", private=False)
    actions.lists.change_membership(["1002"], info.id, add=True)
    actions.lists.change_membership(["1004"], info.id, add=True)
    backend.fail[("create_list", "Close friends")] = [Transient("HTTP 503")]
    report = actions.outbox.process_outbox()
    assert backend.calls == []  # the additions did not go ahead of the creation
    assert [(e.op, e.state) for e in report.waiting] == [(Op.LIST_CREATE, S.PENDING), *[(Op.LIST_ADD, S.PENDING)] * 2]
    assert actions.outbox.process_outbox().sent == ()  # backing off: the additions still wait

    clock.advance(minutes=1)
    actions.outbox.process_outbox()  # one round creates the list and fills it
    assert backend.calls == [("create_list", "Close friends"), ("add", "99", "1002"), ("add", "99", "1004")]
    assert actions.store.list_info(info.id) is None
    assert actions.store.list_info("99") == ListInfo("99", "Close friends", "people I know", False, ("1002", "1004"))
    assert [i.id for i in actions.store.lists()] == ["77", "99"]
    assert all(e.state is S.DONE for e in actions.store.outbox())
    assert [e.list_id for e in actions.store.outbox() if e.op is Op.LIST_ADD] == ["99", "99"]
    assert actions.outbox.pending_count() == 0


def test_list_created_and_filled_in_one_round(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends")
    actions.lists.change_membership(["1002"], info.id, add=True)
    report = actions.outbox.process_outbox()
    assert backend.calls == [("create_list", "Close friends"), ("add", "99", "1002")]
    assert [e.op for e in report.sent] == [Op.LIST_CREATE, Op.LIST_ADD]


def test_no_entry_keeps_the_local_list_id(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends")
    actions.lists.change_membership(["1002"], info.id, add=True)
    actions.outbox.process_outbox()
    actions.outbox.process_outbox()
    assert backend.calls == [("create_list", "Close friends"), ("add", "99", "1002")]
    assert [e.list_id for e in actions.store.outbox()] == ["99", "99"]


def test_failed_creation_keeps_the_list_local_and_its_members_waiting(
    make: Callable[..., Writes], backend: FakeBackend, clock: FakeClock
) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends")
    actions.lists.change_membership(["1002"], info.id, add=True)
    backend.fail[("create_list", "Close friends")] = [Forbidden("You cannot create more lists.")]
    report = actions.outbox.process_outbox()
    (create,) = report.failed
    assert (create.op, create.state, create.error) == (Op.LIST_CREATE, S.FAILED, "You cannot create more lists.")
    for days in (1, 7):
        clock.now = T0 + timedelta(days=days)
        report = actions.outbox.process_outbox()
        assert [(e.op, e.state, e.list_id) for e in report.waiting] == [(Op.LIST_ADD, S.PENDING, info.id)]
    assert backend.calls == []
    assert actions.store.list_info(info.id) == ListInfo(info.id, "Close friends", member_ids=("1002",))
    assert actions.outbox.pending_count() == 2

    actions.outbox.retry(create.id)
    actions.outbox.process_outbox()
    actions.outbox.process_outbox()
    assert backend.calls == [("create_list", "Close friends"), ("add", "99", "1002")]
    assert actions.store.list_info("99") is not None and actions.store.list_info(info.id) is None


def test_sync_keeps_a_list_x_has_not_created_yet(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make()
    info = actions.lists.create_list("Close friends")
    actions.lists.change_membership(["1002"], info.id, add=True)
    actions.lists.change_membership(["1004"], "77", add=True)
    actions.store.replace_graph(**sample_graph(lists=(ListInfo("77", "friends", member_ids=("1001",)),)))
    assert actions.store.lists() == [
        ListInfo("77", "friends", member_ids=("1001", "1004")),  # pending addition overlaid
        ListInfo(info.id, "Close friends", member_ids=("1002",)),
    ]
    actions.outbox.process_outbox()
    actions.outbox.process_outbox()
    assert ("create_list", "Close friends") in backend.calls and ("add", "99", "1002") in backend.calls
    # once X has it, a sync brings it back under X's ID and the local one is gone
    synced = ListInfo("99", "Close friends", member_ids=("1002",))
    actions.store.replace_graph(**sample_graph(lists=(ListInfo("77", "friends", member_ids=("1001", "1004")), synced)))
    assert [i.id for i in actions.store.lists()] == ["77", "99"]


@pytest.mark.parametrize("existing", [999, 1000])
def test_at_most_1000_lists(make: Callable[..., Writes], existing: int) -> None:
    actions = make()
    lists = tuple(ListInfo(str(5000 + i), f"list {i}") for i in range(existing))
    actions.store.replace_graph(**sample_graph(lists=lists))
    if existing < 1000:
        assert actions.lists.create_list("one more").local
        assert len(actions.store.lists()) == 1000
    with pytest.raises(ValueError, match="X allows at most 1,000 lists"):
        actions.lists.create_list("too many")
    assert len(actions.store.lists()) == 1000
    assert [e.op for e in actions.store.outbox()] == [Op.LIST_CREATE] * (1000 - existing)


# -- configuration edge --------------------------------------------------------------------------------


def test_zero_follows_per_day_holds_follows(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make(follows_per_day=0)
    actions.decisions.decide("2001", K.FOLLOW)
    actions.decisions.decide("3001", K.UNFOLLOW)
    report = actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "3001")]
    assert ids(report.waiting) == ["2001"]


def test_undoing_a_follow_done_by_hand_queues_the_unfollow(make: Callable[..., Writes], backend: FakeBackend) -> None:
    actions = make()
    backend.fail[("follow", "2001")] = [Forbidden("not permitted")]
    actions.decisions.decide("2001", K.FOLLOW)
    (manual,) = actions.outbox.process_outbox().failed
    actions.outbox.mark_done_by_hand(manual.id)
    undone = actions.decisions.undo()
    assert undone is not None and undone.queued is not None
    assert (undone.queued.op, undone.queued.account_id) == (Op.UNFOLLOW, "2001")
    actions.outbox.process_outbox()
    assert backend.calls == [("unfollow", "2001")]


def test_a_lost_answer_to_a_list_creation_makes_no_duplicate(
    make: Callable[..., Writes], backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X created the list but the answer was lost: the retry finds it among the owned lists."""
    created_on_x = ListInfo("4242", "Close friends")
    monkeypatch.setattr(backend, "owned_lists", lambda: [created_on_x])
    actions = make()
    info = actions.lists.create_list("Close friends")
    actions.lists.change_membership(["1002"], info.id, add=True)
    backend.fail[("create_list", "Close friends")] = [Transient("read timed out")]
    actions.outbox.process_outbox()
    create = next(e for e in actions.store.outbox() if e.op is Op.LIST_CREATE)
    actions.store.update_outbox(replace(create, not_before=None))  # its backoff is over
    actions.outbox.process_outbox()
    assert backend.calls == [("add", "4242", "1002")]  # no second create_list
    assert actions.store.list_info("4242") is not None and actions.store.list_info(info.id) is None
