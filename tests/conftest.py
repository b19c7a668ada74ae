"""Shared fixtures: a fixed clock, an open store, and a small synthetic graph."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from followtui.store import Store
from tests.factories import FakeClock, sample_graph

if TYPE_CHECKING:
    from followtui.services.session import Session
    from tests.fakex import FakeX, World


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture
def seeded(store: Store) -> Store:
    """The store with ``sample_graph()`` in it."""
    store.replace_graph(**sample_graph())
    return store


@pytest.fixture
def no_umask() -> Iterator[None]:
    """Umask 0 for the test: a file made 0600 is so by its own mode, not by the umask."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def count_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[Store], list[int]]:
    """Count the file writes of a store's state.json from now on."""

    def install(store: Store) -> list[int]:
        writes: list[int] = []
        storage = store._state
        real = storage._write_file

        def counting(data: dict[str, Any]) -> None:
            writes.append(1)
            real(data)

        monkeypatch.setattr(storage, "_write_file", counting)
        return writes

    return install


@pytest.fixture
def demo_session(tmp_path: Path) -> Iterator[Session]:
    """A session on the demo data at the harness's fixed clock, with no fake network latency."""
    from followtui.services.session import open_session
    from tests.harness import fixed_clock

    session = open_session(tmp_path / "demo", demo=True, clock=fixed_clock, demo_delay=0)
    yield session
    session.close()


# -- FakeX: a fake X API v2 on loopback, checked against X's OpenAPI spec (tests/fakex) ------------------------------


@pytest.fixture
def fakex_world() -> World:
    """A small deterministic X (seed 7) to mutate freely: 120 followers and 80 following (30 mutual) of
    ``fakex_world.me_id``, 2 suspended and 2 deleted accounts hidden in the follower edges, 3 lists, posts for up
    to 40 accounts and mentions of me. ``fakex_world.app_token`` is the app-only Bearer token."""
    from tests.fakex import World

    return World.generate(followers=120, following=80, mutual=30, lists=3, posters=40, seed=7)


@pytest.fixture
def fakex(fakex_world: World) -> Iterator[FakeX]:
    """A running ``FakeX`` over ``fakex_world``; the test fails at teardown if any exchange broke the spec.

    Point a ``tweepy.Client`` at it with ``tests.fakex.point_client_at(client, fakex.base_url)``; inject faults
    with ``fakex.fail(route, kind)``; inspect ``fakex.requests`` / ``fakex.calls(method, prefix)``. A test that
    provokes violations on purpose must clear ``fakex.violations`` itself.
    """
    from tests.fakex import FakeX

    with FakeX(fakex_world) as fx:
        yield fx
    if fx.violations:
        pytest.fail("FakeX saw X API spec violations:\n  " + "\n  ".join(fx.violations), pytrace=False)


from tests.bsky_network.fixture import bsky_network  # noqa: E402,F401  (the real local AT Protocol network)
