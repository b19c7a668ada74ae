"""The data behind FakeBsky: one signed-in user's repository and the AppView's view of everyone else."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

B32 = "234567abcdefghijklmnopqrstuvwxyz"
LIST_PURPOSE = "app.bsky.graph.defs#curatelist"


def make_did(rng: random.Random) -> str:
    return "did:plc:" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(24))


@dataclass
class Profile:
    did: str
    handle: str
    display_name: str = ""
    description: str = ""
    avatar: str = ""
    created_at: str | None = "2024-05-01T10:00:00.000Z"
    followers: int = 10
    follows: int = 12
    posts: int = 30
    state: str = "active"  # or takendown, deactivated, deleted


@dataclass
class World:
    me: Profile
    app_password: str = "abcd-efgh-ijkl-mnop"
    main_password: str = "main-password"
    profiles: dict[str, Profile] = field(default_factory=dict)
    followers: list[str] = field(default_factory=list)  # newest first, as getFollowers orders them
    repo: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # collection -> rkey -> value
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # author DID -> postViews, newest first
    notifications: list[dict[str, Any]] = field(default_factory=list)
    clock: int = 0
    _follow_index: dict[object, str] | None = None

    @classmethod
    def generate(cls, followers: int = 50, following: int = 10, seed: int = 1) -> World:
        rng = random.Random(seed)
        me = Profile(make_did(rng), "maria.bsky.social", "Maria", followers=followers, follows=following)
        world = cls(me)
        world.profiles[me.did] = me
        for i in range(max(followers, following)):
            did = make_did(rng)
            world.profiles[did] = Profile(did, f"user{i}.bsky.social", f"User {i}", f"I teach class {i}.")
            if i < followers:
                world.followers.append(did)
        for did in world.followers[:following]:
            world.put(
                "app.bsky.graph.follow",
                {"$type": "app.bsky.graph.follow", "subject": did, "createdAt": "2025-01-01T00:00:00.000Z"},
            )
        return world

    def next_rkey(self) -> str:
        """A TID-shaped record key, increasing (newest sorts last)."""
        self.clock += 1
        n = (1_700_000_000_000_000 + self.clock) << 10
        out = ""
        for _ in range(13):
            out = B32[n & 31] + out
            n >>= 5
        return out

    def put(self, collection: str, value: dict[str, Any], rkey: str | None = None) -> str:
        rkey = rkey or self.next_rkey()
        self.repo.setdefault(collection, {})[rkey] = value
        self._follow_index = None
        return f"at://{self.me.did}/{collection}/{rkey}"

    def delete(self, collection: str, rkey: str) -> None:
        self.repo.get(collection, {}).pop(rkey, None)
        self._follow_index = None

    def records(self, collection: str) -> list[tuple[str, dict[str, Any]]]:
        """(rkey, value), newest first."""
        items = self.repo.get(collection, {})
        return [(k, items[k]) for k in sorted(items, reverse=True)]

    def follow_uri(self, did: str) -> str | None:
        """The URI of the user's newest follow record for ``did`` (an index, rebuilt after each write)."""
        if self._follow_index is None:
            self._follow_index = {}
            for rkey, value in reversed(self.records("app.bsky.graph.follow")):
                self._follow_index[value.get("subject")] = f"at://{self.me.did}/app.bsky.graph.follow/{rkey}"
        return self._follow_index.get(did)

    def served(self, did: str) -> bool:
        profile = self.profiles.get(did)
        return profile is not None and profile.state == "active"
