"""Bluesky lists are public, so a new one is kept on this machine until the user publishes it: no call about it
leaves this machine before, and undo takes a publication back. Through Lists, UndoStack, the outbox and sync,
on the Bluesky demo graph, calls asserted."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from followtui.demo import demo_graph
from followtui.demo.generator import DemoGraph
from followtui.domain.models import LOCAL_LIST_PREFIX, ListInfo, Op, OutboxState
from followtui.services.accounts import BLUESKY
from followtui.services.export import export
from followtui.services.sync import Syncer
from followtui.services.undo import UndoStack
from followtui.store import Store
from tests.factories import T0, FakeClock, demo_store
from tests.test_lists_actions import Recording, drain
from tests.writes import Writes, make_writes, undo_stack

S = OutboxState


@pytest.fixture
def graph() -> DemoGraph:
    return demo_graph(BLUESKY, T0)


@pytest.fixture
def store(tmp_path: Path, graph: DemoGraph) -> Iterator[Store]:
    s = demo_store(tmp_path / "bsky", graph)
    yield s
    s.close()


@pytest.fixture
def backend(graph: DemoGraph) -> Recording:
    return Recording(graph)


@pytest.fixture
def actions(store: Store, backend: Recording, clock: FakeClock) -> Writes:
    return make_writes(store, backend, clock, network=BLUESKY)


@pytest.fixture
def undo(store: Store, actions: Writes, clock: FakeClock) -> UndoStack:
    return undo_stack(actions)


@pytest.fixture
def people(graph: DemoGraph) -> list[str]:
    """Four followed accounts on none of the demo's lists."""
    listed = {m for info in graph.lists for m in info.member_ids}
    return [r.account_id for r in graph.relationships if r.following and r.account_id not in listed][:4]


def calls(store: Store) -> list[tuple[Op, str, OutboxState]]:
    return [(e.op, e.account_id, e.state) for e in store.outbox()]


def test_a_new_list_on_bluesky_stays_here_whatever_is_done_to_it(
    actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    a, b, c = people[:3]
    info = actions.lists.create_list("Teachers", "people who teach")
    assert info.kept_here and info.local and info.private and info.visibility == "here only"
    assert actions.lists.change_membership([a, b, c], info.id, add=True) == []
    assert actions.lists.change_membership([b], info.id, add=False) == []
    actions.lists.update_list(info.id, name="Teachers nearby", description="by place")
    assert store.list_info(info.id) == ListInfo(info.id, "Teachers nearby", "by place", True, (a, c), kept_here=True)
    assert store.outbox() == []
    drain(actions)
    assert backend.calls == [] and backend.list_named("Teachers nearby") is None
    actions.lists.delete_list(info.id)
    drain(actions)
    assert store.list_info(info.id) is None and store.outbox() == [] and backend.calls == []


def test_on_x_a_new_list_is_created_there_as_before(store: Store, backend: Recording, clock: FakeClock) -> None:
    actions = make_writes(store, backend, clock)  # X, the default
    assert not actions.lists.keeps_new_lists_here
    info = actions.lists.create_list("Jazz")
    assert not info.kept_here and info.private and info.visibility == "private"
    assert calls(store) == [(Op.LIST_CREATE, "", S.PENDING)]


def test_publish_sends_the_creation_then_every_member_and_the_list_becomes_public(
    actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    a, b = people[:2]
    info = actions.lists.create_list("Teachers", "people who teach")
    actions.lists.change_membership([a, b], info.id, add=True)
    published, queued = actions.lists.publish_list(info.id)
    assert not published.kept_here and not published.private and published.visibility == "public"
    assert [(e.op, e.account_id) for e in queued] == [(Op.LIST_CREATE, ""), (Op.LIST_ADD, a), (Op.LIST_ADD, b)]
    with pytest.raises(ValueError, match="published already"):
        actions.lists.publish_list(info.id)
    drain(actions)
    made = backend.list_named("Teachers")
    assert made is not None and made.id.startswith("at://did:plc:") and not made.private
    assert backend.calls == [
        ("create", "Teachers", "people who teach", False),
        ("add", made.id, a),
        ("add", made.id, b),
    ]
    assert backend.members(made.id) == [a, b]
    assert store.list_info(info.id) is None
    now = store.list_info(made.id)
    assert now is not None and now.member_ids == (a, b) and not now.kept_here and now.visibility == "public"
    assert {e.state for e in store.outbox()} == {S.DONE}


def test_undo_of_an_unsent_publish_cancels_every_call(
    undo: UndoStack, actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    info = undo.create_list("Teachers")
    undo.change_membership(people[:2], info.id, add=True)
    undo.publish_list(info.id)
    result = undo.undo()
    assert result is not None and "nothing had been sent" in result.what and not result.sends
    assert store.list_info(info.id) == ListInfo(info.id, "Teachers", "", True, tuple(people[:2]), kept_here=True)
    assert {e.state for e in store.outbox()} == {S.CANCELLED}
    drain(actions)
    assert backend.calls == []
    # the older steps still find the list by its ID: the members, then the list itself, are undone
    assert (members := undo.undo()) is not None and "adding 2 accounts to Teachers" in members.what
    assert store.list_info(info.id) is not None and store.list_info(info.id).member_ids == ()  # type: ignore[union-attr]
    assert (created := undo.undo()) is not None and not created.sends
    assert store.list_info(info.id) is None and backend.calls == []


def test_undo_of_a_sent_publish_deletes_it_on_bluesky_and_keeps_it_here(
    undo: UndoStack, actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    info = undo.create_list("Teachers")
    undo.change_membership(people[:2], info.id, add=True)
    undo.publish_list(info.id)
    drain(actions)
    made = backend.list_named("Teachers")
    assert made is not None
    result = undo.undo()
    assert result is not None and result.sends
    assert "it was public on Bluesky already, so its deletion there is queued" in result.what
    kept = store.list_info(info.id)
    assert kept == ListInfo(info.id, "Teachers", "", True, tuple(people[:2]), kept_here=True)
    assert store.list_info(made.id) is None
    drain(actions)
    assert backend.calls[-1] == ("delete", made.id) and backend.list_named("Teachers") is None
    # kept here again: a change goes nowhere, and it can be published again
    actions.lists.change_membership(people[2:3], info.id, add=True)
    assert [e for e in store.outbox() if e.state is S.PENDING] == []
    undo.publish_list(info.id)
    drain(actions)
    again = backend.list_named("Teachers")
    assert again is not None and again.id != made.id and backend.members(again.id) == people[:3]


def test_a_publish_taken_back_while_its_creation_is_sent_is_deleted_when_the_answer_comes(
    undo: UndoStack, actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    info = undo.create_list("Teachers")
    undo.change_membership(people[:1], info.id, add=True)
    undo.publish_list(info.id)
    taken_back: list[str] = []

    def take_back() -> None:
        result = undo.undo()
        assert result is not None
        taken_back.append(result.what)

    backend.during = take_back  # inside the create call: the store says it is being sent
    drain(actions)
    assert "its creation was being sent: if it reached Bluesky, it is deleted there" in taken_back[0]
    kept = store.list_info(info.id)
    assert kept is not None and kept.kept_here and kept.member_ids == tuple(people[:1])  # not given the new ID
    made = [call for call in backend.calls if call[0] == "create"]
    assert len(made) == 1
    assert [call[0] for call in backend.calls] == ["create", "delete"]  # no member was sent; the list is gone
    assert backend.list_named("Teachers") is None


def test_undo_of_a_kept_list_creation_deletion_and_members_queues_nothing(
    undo: UndoStack, actions: Writes, backend: Recording, store: Store, people: list[str]
) -> None:
    made = undo.apply_list(people[:2], None, "Teachers", add=True)  # the picker's new list, with its people
    assert store.outbox() == []
    deleted = undo.delete_list(made)
    assert store.list_info(made) is None
    back = undo.undo()
    assert back is not None and not back.sends and back.account_ids == tuple(people[:2])
    assert store.list_info(made) == ListInfo(made, "Teachers", "", True, tuple(people[:2]), kept_here=True)
    assert deleted.kept_here
    gone = undo.undo()
    assert gone is not None and not gone.sends and store.list_info(made) is None
    drain(actions)
    assert store.outbox() == [] and backend.calls == []


def test_a_sync_keeps_the_lists_kept_here_with_their_members(
    actions: Writes, backend: Recording, store: Store, people: list[str], graph: DemoGraph, clock: FakeClock
) -> None:
    demo_kept = [info for info in graph.lists if info.kept_here]
    assert demo_kept and all(store.list_info(info.id) == info for info in demo_kept)
    info = actions.lists.create_list("Teachers")
    actions.lists.change_membership(people[:3], info.id, add=True)
    Syncer(store, backend, clock, fsync=False).run()
    assert store.list_info(info.id) == ListInfo(info.id, "Teachers", "", True, tuple(people[:3]), kept_here=True)
    assert all(store.list_info(i.id) == i for i in demo_kept)
    assert {i.id for i in backend.owned_lists()}.isdisjoint({info.id, *(i.id for i in demo_kept)})


def test_a_list_doc_of_an_older_cache_is_one_waiting_to_be_created() -> None:
    old = {"id": f"{LOCAL_LIST_PREFIX}abc", "name": "Jazz", "description": "", "private": True, "member_ids": ["1"]}
    info = ListInfo.from_doc(old)
    assert info.local and not info.kept_here and info.visibility == "private"
    assert info.to_doc() == old  # written as before: no new key for an ordinary list
    kept = ListInfo.from_doc({**old, "kept_here": True})
    assert kept.kept_here and kept.to_doc()["kept_here"] is True and kept.visibility == "here only"


def test_an_old_caches_waiting_list_on_x_is_still_created_there(tmp_path: Path, clock: FakeClock) -> None:
    x_graph = demo_graph("x", T0)
    backend = Recording(x_graph)
    with demo_store(tmp_path / "x", x_graph) as store:
        waiting = make_writes(store, backend, clock).lists.create_list("Jazz")  # as an older version left it
        reopened = make_writes(store, backend, clock)
        assert store.list_info(waiting.id) == waiting and not waiting.kept_here
        drain(reopened)
        assert backend.list_named("Jazz") is not None and store.list_info(waiting.id) is None


def test_publish_of_a_list_that_is_not_kept_here_is_refused(actions: Writes, graph: DemoGraph) -> None:
    published = next(info for info in graph.lists if not info.kept_here)
    with pytest.raises(ValueError):
        actions.lists.publish_list(published.id)
    with pytest.raises(KeyError):
        actions.lists.publish_list("local-nothere")


def test_export_tells_a_list_kept_here_from_a_published_one(store: Store, clock: FakeClock) -> None:
    out = io.StringIO()
    export(store, "lists", "json", out, clock)
    rows = {row["list_name"]: row for row in json.loads(out.getvalue())}
    assert rows["Birding"]["kept_here"] is True and rows["Birding"]["list_id"].startswith(LOCAL_LIST_PREFIX)
    assert rows["Berlin"]["kept_here"] is False and rows["Berlin"]["private"] is False
    assert len(rows["Birding"]["members"]) == rows["Birding"]["member_count"] > 0
