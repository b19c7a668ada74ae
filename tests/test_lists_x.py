"""List management through the real ``tweepy.Client`` against the spec-checked fake X API: the exact requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.base import Forbidden, NotFound, RateLimited
from followtui.backends.x.backend import XBackend
from followtui.domain.models import ListInfo, OutboxState
from followtui.services.sync import Syncer
from followtui.store import Store
from tests.factories import FakeClock, present
from tests.fakex import FakeX, World, make_user
from tests.test_x_backend import Tokens
from tests.writes import Writes, make_writes

TOKEN = "lists-user-token-4b1c"


@pytest.fixture
def backend(fakex: FakeX) -> XBackend:
    fakex.world.add_user_token(TOKEN, fakex.world.me_id)
    return XBackend.oauth2(Tokens(TOKEN), user_id=fakex.world.me_id, base=fakex.base_url, timeout=(2, 2))


@pytest.fixture
def actions(tmp_path: Path, backend: XBackend, fakex: FakeX, clock: FakeClock) -> Iterator[Writes]:
    """The write services over a store filled by a real sync from the fake X; the requests so far are forgotten."""
    store = Store.open(tmp_path / "data")
    Syncer(store, backend, clock, fsync=False).run()
    fakex.requests.clear()
    yield make_writes(store, backend, clock)
    store.close()


def writes(fakex: FakeX) -> list[tuple[str, str, Any]]:
    return [(r.method, r.path, r.body) for r in fakex.requests if r.method != "GET"]


def drain(actions: Writes) -> None:
    for _ in range(10):
        report = actions.outbox.process_outbox()
        if not report.sent and not report.failed:
            return


def people(world: World, n: int) -> list[str]:
    return world.following_ids()[:n]


def mine(actions: Writes, name: str) -> ListInfo:
    (info,) = [i for i in actions.store.lists() if i.name == name]
    return info


# -- the backend -------------------------------------------------------------------------------------------


def test_update_and_delete_send_exactly_put_and_delete(backend: XBackend, fakex: FakeX) -> None:
    world = fakex.world
    xl = world.add_list("Old name", description="old", private=True)
    backend.update_list(xl.id, "New name", "")
    assert (xl.name, xl.description, xl.private) == ("New name", "", True)
    backend.delete_list(xl.id)
    assert xl.id not in world.lists
    assert writes(fakex) == [
        ("PUT", f"/2/lists/{xl.id}", {"name": "New name", "description": ""}),
        ("DELETE", f"/2/lists/{xl.id}", None),
    ]
    assert [r.status for r in fakex.requests if r.method != "GET"] == [200, 200]
    usage = {u.endpoint: u for u in backend.meter.usage()}
    assert usage["PUT /2/lists/:id"].requests == 1 and usage["DELETE /2/lists/:id"].requests == 1
    assert usage["PUT /2/lists/:id"].cost == pytest.approx(0.005)


def test_lists_that_are_gone_or_not_mine_are_refused(backend: XBackend, fakex: FakeX) -> None:
    theirs = fakex.world.add_list("Theirs", owner_id=fakex.world.add_user(make_user("777", "someone")))
    with pytest.raises(NotFound):
        backend.update_list("1999999999999999999", "x", "")
    with pytest.raises(NotFound):
        backend.delete_list("1999999999999999999")
    with pytest.raises(Forbidden, match="not allowed"):
        backend.delete_list(theirs.id)
    assert theirs.id in fakex.world.lists


def test_a_rate_limited_update_gives_the_reset_time(backend: XBackend, fakex: FakeX) -> None:
    xl = fakex.world.add_list("Mine")
    fakex.fail("PUT /2/lists/:id", "429", reset_in=120)
    with pytest.raises(RateLimited) as caught:
        backend.update_list(xl.id, "Renamed", "")
    assert caught.value.endpoint == "PUT /2/lists/:id" and xl.name == "Mine"


# -- through the outbox ------------------------------------------------------------------------------------


def test_create_add_three_rename_remove_one_delete(actions: Writes, fakex: FakeX) -> None:
    world = fakex.world
    a, b, c = people(world, 3)
    actions.lists.create_list("Climbers")
    drain(actions)
    lid = mine(actions, "Climbers").id
    actions.lists.change_membership([a, b, c], lid, add=True)
    drain(actions)
    actions.lists.update_list(lid, name="Boulderers", description="On the wall")
    drain(actions)
    actions.lists.change_membership([a], lid, add=False)
    drain(actions)
    assert list(world.lists[lid].members) == [c, b]  # newest first
    actions.lists.delete_list(lid)
    drain(actions)
    assert writes(fakex) == [
        ("POST", "/2/lists", {"name": "Climbers", "private": True}),
        ("POST", f"/2/lists/{lid}/members", {"user_id": a}),
        ("POST", f"/2/lists/{lid}/members", {"user_id": b}),
        ("POST", f"/2/lists/{lid}/members", {"user_id": c}),
        ("PUT", f"/2/lists/{lid}", {"name": "Boulderers", "description": "On the wall"}),
        ("DELETE", f"/2/lists/{lid}/members/{a}", None),
        ("DELETE", f"/2/lists/{lid}", None),
    ]
    assert lid not in world.lists and actions.store.list_info(lid) is None
    assert {e.state for e in actions.store.outbox()} == {OutboxState.DONE}


def test_deleting_a_list_never_created_on_x_sends_nothing(actions: Writes, fakex: FakeX) -> None:
    info = actions.lists.create_list("Maybe later", "a description")
    actions.lists.change_membership(people(fakex.world, 2), info.id, add=True)
    actions.lists.delete_list(info.id)
    drain(actions)
    assert fakex.requests == []
    assert "Maybe later" not in {x.name for x in fakex.world.lists.values()}


def test_a_rename_before_the_create_is_sent_needs_no_put(actions: Writes, fakex: FakeX) -> None:
    info = actions.lists.create_list("Birdrs", private=False)
    actions.lists.update_list(info.id, name="Birders", description="Gulls, mostly")
    actions.lists.change_membership([people(fakex.world, 1)[0]], info.id, add=True)
    drain(actions)
    lid = mine(actions, "Birders").id
    assert writes(fakex) == [
        ("POST", "/2/lists", {"name": "Birders", "description": "Gulls, mostly", "private": False}),
        ("POST", f"/2/lists/{lid}/members", {"user_id": people(fakex.world, 1)[0]}),
    ]
    xl = fakex.world.lists[lid]
    assert (xl.name, xl.description, xl.private) == ("Birders", "Gulls, mostly", False)


def test_a_sync_before_the_delete_is_sent_does_not_bring_the_list_back(
    actions: Writes, backend: XBackend, fakex: FakeX, clock: FakeClock
) -> None:
    victim, renamed = sorted(x.id for x in fakex.world.lists.values() if x.owner_id == fakex.world.me_id)[:2]
    actions.lists.delete_list(victim)
    actions.lists.update_list(renamed, name="Renamed here")
    clock.advance(minutes=1)
    Syncer(actions.store, backend, clock, fsync=False).run()
    assert actions.store.list_info(victim) is None
    assert present(actions.store.list_info(renamed)).name == "Renamed here"
    fakex.requests.clear()
    drain(actions)
    assert writes(fakex) == [
        ("DELETE", f"/2/lists/{victim}", None),
        ("PUT", f"/2/lists/{renamed}", {"name": "Renamed here", "description": fakex.world.lists[renamed].description}),
    ]
    assert victim not in fakex.world.lists and fakex.world.lists[renamed].name == "Renamed here"
