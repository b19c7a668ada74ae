"""Offline demo: a deterministic fake social graph per network, X's and Bluesky's (no network, no I/O)."""

from followtui.demo.bluesky import BSKY_ME, generate_bluesky
from followtui.demo.generator import DEMO_ME, DEMO_SEED, DemoGraph, generate
from followtui.demo.networks import NETWORKS, demo_graph, demo_me

__all__ = [
    "BSKY_ME",
    "DEMO_ME",
    "DEMO_SEED",
    "NETWORKS",
    "DemoGraph",
    "demo_graph",
    "demo_me",
    "generate",
    "generate_bluesky",
]
