"""A fake Bluesky (PDS + AppView) on loopback, checked against the vendored lexicons, for the real SDK client.

with FakeBsky(World.generate(followers=500)) as fb:
    backend = BlueskyBackend.connect(session_for(fb))
    backend.followers()
assert not fb.violations
"""

from __future__ import annotations

from tests.fakebsky.server import FakeBsky, Recorded, XrpcFailure
from tests.fakebsky.world import Profile, World

__all__ = ["FakeBsky", "Profile", "Recorded", "World", "XrpcFailure"]
