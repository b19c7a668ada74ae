"""X constants the command line needs without importing the OAuth stack (tweepy, requests, oauthlib)."""

from __future__ import annotations

DEFAULT_REDIRECT = "http://127.0.0.1:8765/callback"
"""The callback URI ``followtui auth`` catches on the loopback unless ``--redirect-uri`` says otherwise."""
