"""The demo's accounts, one per network: which user, and the graph each one sees."""

from __future__ import annotations

from datetime import datetime

from followtui.demo.bluesky import BSKY_ME, generate_bluesky
from followtui.demo.generator import DEMO_ME, DEMO_SEED, DemoGraph, generate
from followtui.domain.models import Me

NETWORKS = ("x", "bluesky")
_ME = {"x": DEMO_ME, "bluesky": BSKY_ME}


def demo_me(network: str) -> Me:
    """The demo's user on ``network`` ("x" or "bluesky")."""
    return _ME[_checked(network)]


def demo_graph(network: str, now: datetime, *, hostile: bool = False, seed: int = DEMO_SEED) -> DemoGraph:
    """The demo graph of ``network`` ("x" or "bluesky") as seen at ``now``; pure, like ``generate``.

    ``hostile`` gives a few profiles the tests' attack texts (see ``generate``). X's graph is ``generate``'s,
    unchanged; Bluesky's is ``generate_bluesky``'s.
    """
    if _checked(network) == "bluesky":
        return generate_bluesky(now, seed, hostile=hostile)
    return generate(now, seed, hostile=hostile)


def _checked(network: str) -> str:
    if network not in NETWORKS:
        raise ValueError(f"no demo account on {network!r}: the demo has {' and '.join(NETWORKS)}")
    return network
