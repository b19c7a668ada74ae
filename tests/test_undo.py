"""The undo stack (services/undo.py) against the demo backend: each kind of step undone as a whole, its calls
cancelled while queued and answered by the opposite call once sent, and the stack kept across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followtui.demo.generator import DemoGraph
from followtui.domain.models import DecisionKind, Op, OutboxState
from followtui.services.history import History
from followtui.services.undo import UNDO_LIMIT, UndoStack
from followtui.store import Store
from tests.factories import FakeClock, demo_store
from tests.test_lists_actions import Recording, actions, backend, by_name, drain, graph, people
from tests.writes import Writes, make_writes, undo_stack

__all__ = ["actions", "backend", "graph", "people"]  # fixtures

K = DecisionKind
S = OutboxState


@pytest.fixture
def store(tmp_path: Path, graph: DemoGraph) -> Iterator[Store]:
    s = demo_store(tmp_path / "demo", graph)
    yield s
    s.close()


@pytest.fixture
def undo(store: Store, actions: Writes, clock: FakeClock) -> UndoStack:
    return undo_stack(actions)


@pytest.fixture
def fans(graph: DemoGraph) -> list[str]:
    """Three followers the user does not follow."""
    return [r.account_id for r in graph.relationships if r.follower and not r.following][:3]


def states(store: Store, op: Op) -> list[str]:
    return [str(e.state) for e in store.outbox() if e.op is op]


def test_a_batch_of_decisions_is_one_step(undo: UndoStack, store: Store, fans: list[str]) -> None:
    undo.decide(fans, K.SKIP)
    result = undo.undo()
    assert result is not None and result.what == "skipped of 3 accounts"
    assert all(store.decision(a) is None for a in fans)
    assert undo.undo() is None


def test_undo_goes_back_in_the_order_of_the_actions_whatever_their_kind(
    undo: UndoStack, store: Store, fans: list[str], people: list[str]
) -> None:
    info = store.lists()[0]
    undo.decide([fans[0]], K.SNOOZE)
    undo.change_membership([people[0]], info.id, add=True)
    undo.change_membership([people[0]], info.id, add=False)  # the `-` of the issue
    first = undo.undo()
    assert first is not None and first.what.startswith("removing")
    assert people[0] in by_name(store, info.name).member_ids
    assert store.decision(fans[0]) is not None  # the older snooze is untouched
    second = undo.undo()
    assert second is not None and second.what.startswith("adding")
    assert people[0] not in by_name(store, info.name).member_ids
    third = undo.undo()
    assert third is not None and store.decision(fans[0]) is None


def test_a_queued_follow_is_cancelled_a_sent_one_answered_by_an_unfollow(
    undo: UndoStack, actions: Writes, store: Store, backend: Recording, fans: list[str]
) -> None:
    undo.decide([fans[0]], K.FOLLOW)
    undo.undo()
    assert states(store, Op.FOLLOW) == ["cancelled"] and states(store, Op.UNFOLLOW) == []
    undo.decide([fans[1]], K.FOLLOW)
    drain(actions)
    result = undo.undo()
    assert result is not None and result.sends
    assert states(store, Op.UNFOLLOW) == ["pending"]


def test_membership_queued_is_cancelled_sent_is_reversed(
    undo: UndoStack, actions: Writes, store: Store, backend: Recording, people: list[str]
) -> None:
    info = store.lists()[0]
    undo.change_membership(people[:2], info.id, add=True)
    result = undo.undo()
    assert result is not None and not result.sends
    assert states(store, Op.LIST_ADD) == ["cancelled", "cancelled"] and states(store, Op.LIST_REMOVE) == [
        "cancelled",
        "cancelled",
    ]
    undo.change_membership(people[:2], info.id, add=True)
    drain(actions)
    undo.undo()
    drain(actions)
    assert backend.calls[-2:] == [("remove", info.id, people[0]), ("remove", info.id, people[1])]
    assert not set(people[:2]) & set(backend.members(info.id))


def test_undoing_a_remove_that_replaced_a_queued_add_still_adds(
    undo: UndoStack, actions: Writes, store: Store, backend: Recording, people: list[str]
) -> None:
    info = store.lists()[0]
    undo.change_membership([people[0]], info.id, add=True)
    undo.change_membership([people[0]], info.id, add=False)  # cancels the add before it was sent
    undo.undo()
    drain(actions)
    assert people[0] in backend.members(info.id)


def test_list_create_rename_delete_each_undone(
    undo: UndoStack, actions: Writes, store: Store, backend: Recording, people: list[str]
) -> None:
    created = undo.apply_list(people[:2], None, "Birders", add=True)
    assert by_name(store, "Birders").member_ids == tuple(people[:2])
    undo.undo()  # never sent: gone, and no call at all
    assert store.list_info(created) is None
    drain(actions)
    assert backend.calls == []

    info = undo.create_list("Walkers")
    drain(actions)
    walkers = by_name(store, "Walkers")
    undo.change_membership(people[:3], walkers.id, add=True)
    undo.update_list(walkers.id, name="Hikers", description="on foot")
    drain(actions)
    result = undo.undo()
    assert result is not None and result.what == "the edit of the list Walkers"
    drain(actions)
    assert backend.calls[-1] == ("update", walkers.id, "Walkers", "")

    undo.delete_list(walkers.id)
    drain(actions)
    assert backend.list_named("Walkers") is None
    result = undo.undo()  # sent: made again, with its members
    assert result is not None and result.what == "deleting the list Walkers (3 members back)"
    assert by_name(store, "Walkers").member_ids == tuple(people[:3])
    drain(actions)
    again = backend.list_named("Walkers")
    assert again is not None and again.id != info.id and sorted(backend.members(again.id)) == sorted(people[:3])


def test_a_delete_still_queued_is_cancelled_by_undo(
    undo: UndoStack, actions: Writes, store: Store, backend: Recording, people: list[str]
) -> None:
    info = store.lists()[0]
    undo.change_membership([people[0]], info.id, add=True)  # unsent when the list is deleted
    undo.delete_list(info.id)
    undo.undo()
    assert store.list_info(info.id) is not None and states(store, Op.LIST_DELETE) == ["cancelled"]
    drain(actions)
    assert [c[0] for c in backend.calls] == ["add"]  # the add the delete had cancelled, and no delete


def test_a_note_is_undone_to_its_previous_text(undo: UndoStack, store: Store, fans: list[str]) -> None:
    undo.set_note(fans[0], "met at #pycon")
    undo.set_note(fans[0], "")
    undo.undo()
    note = store.note(fans[0])
    assert note is not None and note.text == "met at #pycon"
    result = undo.undo()
    assert result is not None and result.what.startswith("the note on @") and store.note(fans[0]) is None


def test_the_stack_survives_a_restart(tmp_path: Path, graph: DemoGraph, clock: FakeClock, fans: list[str]) -> None:
    path = tmp_path / "demo"
    with demo_store(path, graph) as store:
        undo_stack(make_writes(store, Recording(graph), clock)).decide(fans, K.NEVER)
    with demo_store(path, graph) as store:
        result = undo_stack(make_writes(store, Recording(graph), clock)).undo()
        assert result is not None and result.what == "never follow of 3 accounts"
        assert all(store.decision(a) is None for a in fans)
    with demo_store(path, graph) as store:
        assert store.last_undo() is None


def test_the_stack_is_bounded(undo: UndoStack, store: Store, fans: list[str]) -> None:
    for i in range(UNDO_LIMIT + 5):
        undo.set_note(fans[0], f"note {i}")
    steps = store.undo_steps()
    assert len(steps) == UNDO_LIMIT and steps[0].data["previous"]["text"] == f"note {UNDO_LIMIT + 3}"


def test_undo_from_the_history_leaves_the_rest_of_the_batch(
    undo: UndoStack, store: Store, fans: list[str], clock: FakeClock
) -> None:
    history = History(store, clock)
    undo.progress = history.progress
    assert history.progress.seed() == 0
    undo.decide(fans, K.SKIP)
    assert history.progress.count() == 3
    undo.undo_decision(fans[1])
    assert store.decision(fans[1]) is None and history.progress.count() == 2
    result = undo.undo()
    assert result is not None and result.account_ids == (fans[0], fans[2])
    assert history.progress.count() == 0


def test_history_newest_first_filtered_and_snoozes_soonest_first(
    undo: UndoStack, store: Store, fans: list[str], clock: FakeClock, actions: Writes
) -> None:
    history = History(store, clock)
    undo.decide([fans[0]], K.SNOOZE)
    clock.advance(hours=1)
    undo.decide([fans[1]], K.SNOOZE)
    undo.decide([fans[0]], K.SKIP)  # replaces the first snooze
    rows = history.decisions()
    assert [(r.decision.account_id, r.decision.kind, r.current) for r in rows] == [
        (fans[0], K.SKIP, True),
        (fans[1], K.SNOOZE, True),
        (fans[0], K.SNOOZE, False),
    ]
    assert [r.decision.account_id for r in history.decisions("wait")] == [fans[1], fans[0]]
    account = store.account(fans[1])
    assert account is not None
    assert [r.decision.account_id for r in history.decisions(f"@{account.username}")] == [fans[1]]
    assert [r.decision.account_id for r in history.snoozed()] == [fans[1]]
