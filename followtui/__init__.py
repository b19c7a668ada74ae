"""followtui: triage the people you follow and the people who follow you."""

__version__ = "0.1.0"
