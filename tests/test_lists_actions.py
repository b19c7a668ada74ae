"""List management through Lists, the outbox and sync: the demo backend and the real store, calls asserted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.base import AuthError, Forbidden, NotFound
from followtui.backends.demo import DemoBackend
from followtui.backends.offline import OfflineBackend
from followtui.demo.generator import DemoGraph, generate
from followtui.domain.models import DecisionKind, ListInfo, Op, OutboxState, SyncInfo
from followtui.domain.xlimits import MAX_LIST_MEMBERS
from followtui.services.sync import Syncer
from followtui.store import Store
from tests.factories import T0, FakeClock, demo_store, present, sample_graph
from tests.tui_helpers import SIZE, demo_app, ready, screen_text, wait_until
from tests.writes import Writes, make_writes

S = OutboxState


class Recording(DemoBackend):
    """The demo backend with its list writes recorded; ``during`` runs once, inside the next list write."""

    def __init__(self, graph: DemoGraph) -> None:
        super().__init__(graph, delay=0)
        self.calls: list[tuple[Any, ...]] = []
        self.during: Callable[[], object] | None = None

    def _call(self, *call: Any) -> None:
        hook, self.during = self.during, None
        if hook is not None:
            hook()
        self.calls.append(call)

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        self._call("create", name, description, private)
        return super().create_list(name, description, private)

    def update_list(self, list_id: str, name: str, description: str) -> None:
        self._call("update", list_id, name, description)
        super().update_list(list_id, name, description)

    def delete_list(self, list_id: str) -> None:
        self._call("delete", list_id)
        super().delete_list(list_id)

    def add_list_member(self, list_id: str, account_id: str) -> None:
        self._call("add", list_id, account_id)
        super().add_list_member(list_id, account_id)

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        self._call("remove", list_id, account_id)
        super().remove_list_member(list_id, account_id)

    def list_named(self, name: str) -> ListInfo | None:
        return next((info for info in self.owned_lists() if info.name == name), None)

    def members(self, list_id: str) -> list[str]:
        return [a.id for a in self.list_members(list_id).accounts]


@pytest.fixture
def graph() -> DemoGraph:
    return generate(T0)


@pytest.fixture
def store(tmp_path: Path, graph: DemoGraph) -> Iterator[Store]:
    s = demo_store(tmp_path / "demo", graph)
    yield s
    s.close()


@pytest.fixture
def backend(graph: DemoGraph) -> Recording:
    return Recording(graph)


@pytest.fixture
def actions(store: Store, backend: Recording, clock: FakeClock) -> Writes:
    return make_writes(store, backend, clock)


@pytest.fixture
def people(graph: DemoGraph) -> list[str]:
    """Four followed accounts on none of the demo's lists."""
    listed = {m for info in graph.lists for m in info.member_ids}
    return [r.account_id for r in graph.relationships if r.following and r.account_id not in listed][:4]


def outbox(store: Store) -> list[tuple[str, str, str]]:
    return [(str(e.op), e.account_id, str(e.state)) for e in store.outbox()]


def drain(actions: Writes) -> None:
    """Send everything that is due (the demo backend answers at once)."""
    for _ in range(10):
        report = actions.outbox.process_outbox()
        if not report.sent and not report.failed:
            return


def by_name(store: Store, name: str) -> ListInfo:
    (info,) = [i for i in store.lists() if i.name == name]
    return info


# -- the exact calls ---------------------------------------------------------------------------------------


def test_create_add_three_rename_remove_one_delete_each_sent_in_turn(
    actions: Writes, backend: Recording, people: list[str]
) -> None:
    a, b, c = people[:3]
    local = actions.lists.create_list("Climbers")
    drain(actions)
    (created,) = [i for i in actions.store.lists() if i.name == "Climbers"]
    assert not created.local and backend.list_named("Climbers") is not None
    assert len(actions.lists.change_membership([a, b, c], created.id, add=True)) == 3
    drain(actions)
    actions.lists.update_list(created.id, name="Boulderers", description="On the wall")
    drain(actions)
    actions.lists.change_membership([a], created.id, add=False)
    drain(actions)
    assert backend.members(created.id) == [b, c] and backend.list_named("Boulderers") is not None
    gone = actions.lists.delete_list(created.id)
    drain(actions)
    lid = created.id
    assert backend.calls == [
        ("create", "Climbers", "", True),
        ("add", lid, a),
        ("add", lid, b),
        ("add", lid, c),
        ("update", lid, "Boulderers", "On the wall"),
        ("remove", lid, a),
        ("delete", lid),
    ]
    assert gone.name == "Boulderers" and gone.member_ids == (b, c)
    assert backend.list_named("Boulderers") is None and actions.store.list_info(lid) is None
    assert [(str(e.op), e.state) for e in actions.store.outbox()] == [
        ("list_create", S.DONE),
        ("list_add", S.DONE),
        ("list_add", S.DONE),
        ("list_add", S.DONE),
        ("list_update", S.DONE),
        ("list_remove", S.DONE),
        ("list_delete", S.DONE),
    ]
    assert actions.store.outbox()[-1].detail == "Boulderers" and local.local and local.id != lid


def test_the_same_steps_queued_before_any_is_sent_make_no_call(
    actions: Writes, backend: Recording, people: list[str]
) -> None:
    a, b, c = people[:3]
    info = actions.lists.create_list("Climbers")
    actions.lists.change_membership([a, b, c], info.id, add=True)
    actions.lists.update_list(info.id, name="Boulderers")
    actions.lists.change_membership([a], info.id, add=False)
    actions.lists.delete_list(info.id)
    drain(actions)
    assert backend.calls == []
    assert backend.list_named("Climbers") is None and backend.list_named("Boulderers") is None
    assert {e.state for e in actions.store.outbox()} == {S.CANCELLED}
    assert actions.store.list_info(info.id) is None and actions.outbox.pending_count() == 0


def test_after_the_create_is_sent_queued_edits_of_a_deleted_list_collapse_to_one_delete(
    actions: Writes, backend: Recording, people: list[str]
) -> None:
    a, b, c = people[:3]
    actions.lists.create_list("Climbers")
    drain(actions)
    lid = by_name(actions.store, "Climbers").id
    actions.lists.change_membership([a, b, c], lid, add=True)
    actions.lists.update_list(lid, name="Boulderers")
    actions.lists.change_membership([a], lid, add=False)
    actions.lists.delete_list(lid)
    drain(actions)
    assert backend.calls == [("create", "Climbers", "", True), ("delete", lid)]
    assert outbox(actions.store) == [
        ("list_create", "", "done"),
        ("list_add", a, "cancelled"),
        ("list_add", b, "cancelled"),
        ("list_add", c, "cancelled"),
        ("list_update", "", "cancelled"),
        ("list_remove", a, "cancelled"),
        ("list_delete", "", "done"),
    ]


def test_delete_of_a_list_never_sent_makes_no_call(actions: Writes, backend: Recording, people: list[str]) -> None:
    info = actions.lists.create_list("Someday")
    actions.lists.change_membership(people[:2], info.id, add=True)
    assert actions.lists.delete_list(info.id).member_ids == tuple(people[:2])
    drain(actions)
    assert backend.calls == [] and backend.meter.total_requests() == 0
    assert [e.error for e in actions.store.outbox()] == ["not sent: the list was deleted"] * 3
    assert not [e for e in actions.store.outbox() if e.op is Op.LIST_DELETE]


def test_the_local_id_a_screen_still_holds_reaches_the_list_x_created(
    actions: Writes, backend: Recording, people: list[str]
) -> None:
    local = actions.lists.create_list("Later").id
    drain(actions)
    created = backend.list_named("Later")
    assert created is not None and actions.store.list_info(local) is None
    actions.lists.change_membership(people[:1], local, add=True)
    assert actions.lists.update_list(local, name="Later on").id == created.id
    drain(actions)
    assert backend.calls[1:] == [("add", created.id, people[0]), ("update", created.id, "Later on", "")]
    assert actions.lists.delete_list(local).id == created.id


def test_a_rename_before_the_create_is_sent_goes_with_the_create(actions: Writes, backend: Recording) -> None:
    info = actions.lists.create_list("Climbrs")
    renamed = actions.lists.update_list(info.id, name="  Climbers  ", description="People on walls")
    assert (renamed.id, renamed.name, renamed.description) == (info.id, "Climbers", "People on walls")
    assert [e.op for e in actions.store.outbox()] == [Op.LIST_CREATE]
    drain(actions)
    assert backend.calls == [("create", "Climbers", "People on walls", True)]
    created = backend.list_named("Climbers")
    assert created is not None and created.description == "People on walls" and created.private


def test_a_newer_rename_supersedes_an_unsent_one(actions: Writes, backend: Recording) -> None:
    berlin = by_name(actions.store, "Berlin")
    actions.lists.update_list(berlin.id, name="Berlin A")
    actions.lists.update_list(berlin.id, description="Only the Kiez")
    actions.lists.update_list(berlin.id, name="Berlin B")
    assert outbox(actions.store) == [
        ("list_update", "", "cancelled"),
        ("list_update", "", "cancelled"),
        ("list_update", "", "pending"),
    ]
    drain(actions)
    assert backend.calls == [("update", berlin.id, "Berlin B", "Only the Kiez")]
    assert actions.lists.update_list(berlin.id, name="Berlin B", description="Only the Kiez").name == "Berlin B"
    assert len(actions.store.outbox()) == 3  # nothing changed: nothing queued


def test_the_update_sends_the_list_as_it_is_when_sent(actions: Writes, backend: Recording) -> None:
    tokyo = by_name(actions.store, "Tokyo")
    actions.lists.update_list(tokyo.id, description="")
    drain(actions)
    assert backend.calls == [("update", tokyo.id, "Tokyo", "")]
    assert backend.list_named("Tokyo") == replace(tokyo, description="", member_ids=())


# -- limits ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "message"),
    [
        ("x" * 26, None, "at most 25 characters"),
        ("   ", None, "needs a name"),
        (None, "y" * 101, "at most 100 characters"),
    ],
)
def test_an_update_x_would_refuse_writes_nothing(
    actions: Writes, name: str | None, description: str | None, message: str
) -> None:
    rust = by_name(actions.store, "Rust folks")
    before = actions.store.state_path.read_bytes()
    with pytest.raises(ValueError, match=message):
        actions.lists.update_list(rust.id, name=name, description=description)
    assert actions.store.state_path.read_bytes() == before
    assert actions.store.list_info(rust.id) == rust


def test_the_longest_name_and_description_are_fine(actions: Writes) -> None:
    info = actions.lists.update_list(by_name(actions.store, "Birding").id, name="n" * 25, description="d" * 100)
    assert (len(info.name), len(info.description)) == (25, 100)


def test_unknown_list_is_a_key_error(actions: Writes) -> None:
    for call in (
        lambda: actions.lists.update_list("404", name="x"),
        lambda: actions.lists.delete_list("404"),
        lambda: actions.lists.change_membership(["1"], "404", add=True),
    ):
        with pytest.raises(KeyError):
            call()


def test_at_most_5000_members(seeded: Store, clock: FakeClock, count_writes: Callable[[Store], list[int]]) -> None:
    full = ListInfo("55", "Big", member_ids=tuple(str(10_000 + i) for i in range(MAX_LIST_MEMBERS - 2)))
    seeded.replace_graph(**sample_graph(lists=(full,)))
    actions = make_writes(seeded, OfflineBackend(), clock)
    writes = count_writes(seeded)
    with pytest.raises(ValueError, match=r"at most 5,000 members on X: Big has 4,998, so 2 more fit \(3 chosen\)"):
        actions.lists.change_membership(["1001", "1002", "1003", "10000"], "55", add=True)  # 10000: already on it
    assert writes == [] and seeded.list_info("55") == full and seeded.outbox() == []
    assert len(actions.lists.change_membership(["1001", "1002", "10000"], "55", add=True)) == 2
    with pytest.raises(ValueError, match="so 0 more fit"):
        actions.lists.change_membership(["1003"], "55", add=True)
    assert len(present(seeded.list_info("55")).member_ids) == MAX_LIST_MEMBERS
    assert actions.lists.change_membership(["1001"], "55", add=False)
    assert actions.lists.change_membership(["1003"], "55", add=True)


def test_a_batch_is_one_write_and_skips_who_is_already_there(
    actions: Writes, people: list[str], count_writes: Callable[[Store], list[int]]
) -> None:
    birding = by_name(actions.store, "Birding")
    writes = count_writes(actions.store)
    chosen = [*people, birding.member_ids[0], people[0]]  # one already on it, one twice
    queued = actions.lists.change_membership(chosen, birding.id, add=True)
    assert len(writes) == 1
    assert [(e.op, e.account_id, e.list_id) for e in queued] == [(Op.LIST_ADD, p, birding.id) for p in people]
    assert present(actions.store.list_info(birding.id)).member_ids == (*birding.member_ids, *people)
    removed = actions.lists.change_membership([people[0], "nobody"], birding.id, add=False)
    assert len(writes) == 2 and [e.account_id for e in removed] == [people[0]]
    assert outbox(actions.store)[0] == ("list_add", people[0], "cancelled")
    assert actions.lists.change_membership(people[1:], birding.id, add=True) == [] and len(writes) == 2


# -- calls in flight ---------------------------------------------------------------------------------------


def test_a_list_deleted_while_its_creation_is_in_flight_is_deleted_on_x(actions: Writes, backend: Recording) -> None:
    info = actions.lists.create_list("Oops")
    backend.during = lambda: actions.lists.delete_list(info.id)
    drain(actions)
    new_id = next(e.list_id for e in actions.store.outbox() if e.op is Op.LIST_CREATE)
    assert new_id is not None and not new_id.startswith("local-")
    assert backend.calls == [("create", "Oops", "", True), ("delete", new_id)]
    assert backend.list_named("Oops") is None and "Oops" not in {i.name for i in actions.store.lists()}
    assert outbox(actions.store) == [("list_create", "", "done"), ("list_delete", "", "done")]


def test_a_list_renamed_while_its_creation_is_in_flight_is_renamed_on_x(actions: Writes, backend: Recording) -> None:
    info = actions.lists.create_list("Draft")
    backend.during = lambda: actions.lists.update_list(info.id, name="Final", description="for real")
    drain(actions)
    new_id = by_name(actions.store, "Final").id
    assert backend.calls == [("create", "Draft", "", True), ("update", new_id, "Final", "for real")]
    assert backend.list_named("Final") is not None and backend.list_named("Draft") is None


def test_an_add_in_flight_when_the_list_is_deleted_is_not_undone_on_the_deleted_list(
    actions: Writes, backend: Recording, people: list[str]
) -> None:
    tokyo = by_name(actions.store, "Tokyo")
    actions.lists.change_membership([people[0]], tokyo.id, add=True)
    backend.during = lambda: actions.lists.delete_list(tokyo.id)
    drain(actions)
    assert backend.calls == [("add", tokyo.id, people[0]), ("delete", tokyo.id)]
    assert outbox(actions.store) == [("list_add", people[0], "done"), ("list_delete", "", "done")]


# -- failures ----------------------------------------------------------------------------------------------


def test_deleting_a_list_x_no_longer_has_counts_as_done(actions: Writes, backend: Recording) -> None:
    birding = by_name(actions.store, "Birding")
    backend.faults["delete_list"] = [NotFound("No list.")]
    actions.lists.delete_list(birding.id)
    drain(actions)
    assert outbox(actions.store) == [("list_delete", "", "done")]


def test_a_refused_update_waits_in_the_outbox_for_a_retry(actions: Writes, backend: Recording) -> None:
    berlin = by_name(actions.store, "Berlin")
    backend.faults["update_list"] = [Forbidden("You cannot rename this list.")]
    actions.lists.update_list(berlin.id, name="Berlin ❤")
    report = actions.outbox.process_outbox()
    (failed,) = report.failed
    assert (failed.state, failed.error) == (S.FAILED, "You cannot rename this list.")
    assert present(actions.store.list_info(berlin.id)).name == "Berlin ❤"
    actions.outbox.retry(failed.id)
    drain(actions)
    assert backend.list_named("Berlin ❤") is not None and actions.outbox.pending_count() == 0


def test_signed_out_list_edits_wait(store: Store, clock: FakeClock) -> None:
    actions = make_writes(store, OfflineBackend(), clock)
    rust = by_name(store, "Rust folks")
    actions.lists.update_list(rust.id, name="Rust")
    actions.lists.delete_list(by_name(store, "Birding").id)
    report = actions.outbox.process_outbox()
    assert report.message is not None and "followtui auth" in report.message
    assert [e.state for e in store.outbox()] == [S.PENDING, S.PENDING]


def test_list_edits_are_not_undone_by_undo(actions: Writes, people: list[str]) -> None:
    actions.decisions.decide(people[0], DecisionKind.KEEP)
    info = actions.lists.create_list("Keepers")
    actions.lists.change_membership([people[0]], info.id, add=True)
    undone = actions.decisions.undo()
    assert undone is not None and undone.account_id == people[0]
    assert actions.store.list_info(info.id) is not None and actions.decisions.undo() is None
    assert present(actions.store.list_info(info.id)).member_ids == (people[0],)


# -- sync --------------------------------------------------------------------------------------------------


def sync(actions: Writes) -> None:
    Syncer(actions.store, actions.backend, actions.clock, fsync=False).run()


def test_a_sync_neither_resurrects_a_deleted_list_nor_undoes_a_rename(
    actions: Writes, backend: Recording, clock: FakeClock
) -> None:
    birding, rust = by_name(actions.store, "Birding"), by_name(actions.store, "Rust folks")
    actions.lists.delete_list(birding.id)
    actions.lists.update_list(rust.id, name="Rust", description="Crabs")
    clock.advance(minutes=5)
    sync(actions)  # X still has both as they were: the outbox has not sent anything
    names = {i.name for i in actions.store.lists()}
    assert "Birding" not in names and "Rust folks" not in names
    assert actions.store.list_info(rust.id) == replace(rust, name="Rust", description="Crabs")
    drain(actions)
    clock.advance(minutes=5)
    sync(actions)
    assert actions.store.list_info(birding.id) is None
    assert actions.store.list_info(rust.id) == replace(rust, name="Rust", description="Crabs")
    assert backend.list_named("Rust") is not None


def test_a_sync_that_read_the_lists_before_a_call_was_sent_does_not_undo_it(actions: Writes, clock: FakeClock) -> None:
    tokyo = by_name(actions.store, "Tokyo")
    stale = actions.store.lists()
    started = clock()  # the sync starts and reads the lists ...
    clock.advance(minutes=1)
    actions.lists.update_list(tokyo.id, name="東京")
    created = actions.lists.create_list("New one")
    drain(actions)  # ... a rename and a creation are sent meanwhile ...
    clock.advance(minutes=1)
    actions.store.replace_graph(**_graph(actions.store, stale, started))  # ... and it lands
    assert present(actions.store.list_info(tokyo.id)).name == "東京"
    assert "New one" in {i.name for i in actions.store.lists()} and created.local
    # a later sync that started after both calls believes X
    clock.advance(minutes=1)
    actions.store.replace_graph(**_graph(actions.store, stale, clock()))
    assert present(actions.store.list_info(tokyo.id)).name == "Tokyo"
    assert "New one" not in {i.name for i in actions.store.lists()}


def _graph(store: Store, lists: list[ListInfo], started: Any) -> dict[str, Any]:
    return {
        "me": store.me(),
        "accounts": [a for i in store.account_ids() if (a := store.account(i)) is not None],
        "relationships": list(store.relationships()),
        "mentions": store.mentions(),
        "my_posts": store.my_posts(),
        "lists": lists,
        "sync": SyncInfo(last_sync=started, source="test"),
    }


def test_membership_changes_waiting_survive_a_sync(actions: Writes, people: list[str], clock: FakeClock) -> None:
    berlin = by_name(actions.store, "Berlin")
    actions.lists.change_membership(people[:2], berlin.id, add=True)
    actions.lists.change_membership(berlin.member_ids[:1], berlin.id, add=False)
    clock.advance(minutes=1)
    sync(actions)
    assert present(actions.store.list_info(berlin.id)).member_ids == (*berlin.member_ids[1:], *people[:2])


def test_the_offline_backend_refuses_list_edits() -> None:
    with pytest.raises(AuthError):
        OfflineBackend().delete_list("1")
    with pytest.raises(AuthError):
        OfflineBackend().update_list("1", "a", "")


# -- the outbox screen -------------------------------------------------------------------------------------


async def test_the_outbox_names_a_deleted_list_and_a_renamed_one(data_dir: Path) -> None:
    app = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        session = screen.session
        backend = session.backend
        assert isinstance(backend, DemoBackend)
        backend.faults["delete_list"] = [Forbidden("X says no.")]
        backend.faults["update_list"] = [Forbidden("X says no again.")]
        session.lists.delete_list(by_name(session.store, "Birding").id)
        session.lists.update_list(by_name(session.store, "Tokyo").id, name="東京")
        session.outbox.process_outbox()
        await wait_until(pilot, lambda: {e.state for e in session.store.outbox()} == {S.FAILED})
        await pilot.press("b")
        await wait_until(pilot, lambda: app.screen.id == "outbox")
        text = screen_text(app)
        assert "delete the list Birding" in text and "X says no." in text
        assert "rename or describe the list 東京" in text and "X says no again." in text


def test_batches_are_on_disk_in_order_after_a_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "reopen"
    with Store.open(path) as store:
        store.replace_graph(**sample_graph(3))
        actions = make_writes(store, OfflineBackend(), clock)
        info = actions.lists.create_list("Many")
        many = [str(50_000 + i) for i in range(MAX_LIST_MEMBERS)]
        actions.lists.change_membership(many, info.id, add=True)
        actions.lists.change_membership(many[:10], info.id, add=False)
        actions.lists.change_membership([many[0]], info.id, add=True)
        before = [(e.id, e.op, e.account_id, e.state, e.list_id, e.error) for e in store.outbox()]
        other = by_name(store, "friends")
        actions.lists.delete_list(other.id)
        actions.lists.delete_list(info.id)
        after = [(e.id, e.op, e.account_id, e.state, e.list_id, e.error) for e in store.outbox()]
    with Store.open(path) as store:
        assert [(e.id, e.op, e.account_id, e.state, e.list_id, e.error) for e in store.outbox()] == after
        assert [i.name for i in store.lists()] == []
        actions = make_writes(store, OfflineBackend(), clock)
        assert actions.lists.create_list("Next").local and len(store.outbox()) == len(after) + 1  # doc IDs go on
    assert len(before) == 1 + MAX_LIST_MEMBERS + 10 + 1
    assert [s for *_, s, _, _ in before[1:11]] == [S.CANCELLED] * 10 and before[-1][3] is S.PENDING
    assert {s for *_, s, _, _ in after[:-1]} == {S.CANCELLED} and after[-1][1] is Op.LIST_DELETE
