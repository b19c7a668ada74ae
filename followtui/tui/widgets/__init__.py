"""Widgets of the triage screen."""
