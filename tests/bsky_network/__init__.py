"""A real local AT Protocol network (PLC, PDS, AppView from ``@atproto/dev-env``) for integration tests.

``.ci/bsky-network.sh`` installs Node 22 and the dev-env under ``$FOLLOWTUI_BSKY_HOME`` (default
``<repo>/.bsky-network``, ignored by git). ``BskyNetwork.start()`` runs PostgreSQL as a non-root user in a temp
dir and ``network.mjs``; ``missing()`` names what is not installed, so the tests can skip (or fail, with
``FOLLOWTUI_REQUIRE_BSKY=1``).
"""
