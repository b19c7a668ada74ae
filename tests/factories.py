"""Test data shared by many test modules: a fixed start time, a clock that moves when told, a small graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from followtui.demo.generator import DemoGraph
from followtui.domain.models import Account, ListInfo, Me, Post, Relationship, SyncInfo
from followtui.store import Store

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

_T = TypeVar("_T")


def present(value: _T | None) -> _T:
    """``value``, asserted not None: a lookup the test expects to find something (``store.account(i)``)."""
    assert value is not None
    return value


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def sample_graph(n: int = 6, *, lists: tuple[ListInfo, ...] = ()) -> dict[str, Any]:
    """``replace_graph`` keyword arguments: accounts 1001.. ; even ones follow the user, every third is followed."""
    accounts = [
        Account(
            id=str(1000 + i),
            username=f"user{i}",
            name=f"User {i}",
            description=f"bio {i}",
            created_at=T0 - timedelta(days=100 + i),
            followers_count=i * 10,
        )
        for i in range(1, n + 1)
    ]
    rels = [
        Relationship(
            account_id=a.id,
            follower=i % 2 == 0,
            following=i % 3 == 0,
            follower_first_seen=T0 if i % 2 == 0 else None,
        )
        for i, a in enumerate(accounts, 1)
    ]
    return {
        "me": Me(id="1", username="me", name="Me"),
        "accounts": accounts,
        "relationships": rels,
        "mentions": [Post(id="900", author_id="1002", text="hi @me", created_at=T0, mentioned_ids=("1",))],
        "my_posts": [Post(id="901", author_id="1", text="hello", created_at=T0)],
        "lists": list(lists) or [ListInfo(id="77", name="friends", member_ids=("1001",))],
        "sync": SyncInfo(last_sync=T0, source="test"),
    }


def demo_store(path: Path, graph: DemoGraph) -> Store:
    """The store at ``path`` holding the demo ``graph`` (written once: a reopened store keeps its state)."""
    store = Store.open(path)
    if store.graph_empty():
        store.replace_graph(
            me=graph.me,
            accounts=graph.accounts,
            relationships=graph.relationships,
            mentions=graph.mentions,
            my_posts=graph.my_posts,
            lists=graph.lists,
            sync=SyncInfo(last_sync=graph.last_sync, source="demo"),
        )
    return store
