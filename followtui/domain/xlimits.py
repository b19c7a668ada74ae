"""X's own limits, in one place: page sizes, list sizes, write rates, waits.

Sources: the page sizes and list field sizes are the ``max_results`` and ``maxLength`` of the X API v2 OpenAPI
spec vendored at ``tests/fakex/openapi.json``; the per-15-minute write rates are the per-user column of
https://docs.x.com/x-api/fundamentals/rate-limits (July 2026); 400 follows a day and 5,000 members a list are
help.x.com "About following" and X's list-members introduction; 1,000 lists an account is a third-party figure.

Pure data: the X adapter, the sync, the hydrate, the outbox and the forms all read them from here. Trust the
``x-rate-limit-*`` headers of an answer over the per-window numbers below: they are X's documented defaults.
"""

from __future__ import annotations

from datetime import timedelta

# -- page sizes (max_results)
FOLLOWS_PAGE = 1000  # GET /2/users/:id/followers and /following
LISTS_PAGE = 100  # GET /2/users/:id/owned_lists and /2/lists/:id/members
LOOKUP_BATCH = 100  # GET /2/users?ids=
POSTS_PAGE_MIN = 5  # GET /2/users/:id/tweets and /mentions serve 5 to 100 per page
POSTS_PAGE_MAX = 100

# -- lists
MAX_LIST_NAME = 25
MAX_LIST_DESCRIPTION = 100
MAX_LIST_MEMBERS = 5000
MAX_LISTS = 1000

# -- writes
FOLLOWS_PER_DAY = 400  # per account (help.x.com "About following")
FOLLOWS_PER_WINDOW = 50  # POST and DELETE /2/users/:id/following, each, per user
LIST_WRITES_PER_WINDOW = 300  # each list write endpoint, per user
RATE_WINDOW = timedelta(minutes=15)

# -- waiting
NO_RESET_WAIT = timedelta(minutes=1)  # a 429 without x-rate-limit-reset: wait this long (shown), at most
MAX_RATE_WAIT = RATE_WINDOW + timedelta(minutes=1)  # a reset further off stops a sync instead of waiting
MAX_RATE_WAITS = 3  # in a row for one request (a clock far off X's keeps hitting the limit)
MAX_RETRIES = 5  # network errors and 5xx, with exponential backoff from RETRY_BASE
RETRY_BASE = timedelta(seconds=2)
