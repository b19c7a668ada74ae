"""Offline demo: a deterministic fake social graph (no network, no I/O)."""

from followtui.demo.generator import DEMO_ME, DEMO_SEED, DemoGraph, generate

__all__ = ["DEMO_ME", "DEMO_SEED", "DemoGraph", "generate"]
