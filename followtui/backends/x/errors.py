"""X's error answers classified once, into the typed errors of ``backends.base`` (X's words kept, cleaned).

What X sends (https://docs.x.com/x-api/fundamentals/response-codes-and-errors, and the real bodies quoted in
``tests/fakex``): a 402 Problem titled ``CreditsDepleted`` when pay-per-use credits run out; a 429 Problem titled
``UsageCapExceeded`` (type ``usage-capped``, with ``period`` Daily or Monthly and ``scope`` Account or Product) for
a product cap, which is not a 15-minute rate limit; a plain 429 with ``x-rate-limit-reset``; a 403
``client-forbidden`` Problem with a ``reason``; a 400 ``invalid-request`` naming ``pagination_token`` when a cursor
is no longer accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
import tweepy

from followtui.backends.base import (
    BackendError,
    CreditsDepleted,
    Forbidden,
    NotFound,
    RateLimited,
    Refused,
    StaleCursor,
    Transient,
    UsageCapped,
)
from followtui.backends.meter import endpoint_of
from followtui.domain.text import one_line
from followtui.domain.xlimits import NO_RESET_WAIT

CREDITS = "CreditsDepleted"
USAGE_CAP = "UsageCapExceeded"


def classify(exc: tweepy.HTTPException, now: datetime) -> BackendError:
    """The backend error for one of X's error answers (a 401 is the caller's: it may refresh the token)."""
    response = exc.response
    status = response.status_code
    body = _body(response)
    title = str(body.get("title") or "")
    kind = str(body.get("type") or "").rsplit("/", 1)[-1]
    words = detail(exc, f"X refused the call ({status}).")
    if status == 402 or title == CREDITS or kind == "credits":
        return CreditsDepleted(words)
    if title == USAGE_CAP or kind == "usage-capped":
        period = str(body.get("period") or "")
        return UsageCapped(words, period, str(body.get("scope") or ""), period_end(period, now))
    if status == 429:
        reset = exc.reset_time if isinstance(exc, tweepy.TooManyRequests) else None
        if reset is None:
            return RateLimited(now + NO_RESET_WAIT, _endpoint(response), guessed=True)
        return RateLimited(datetime.fromtimestamp(reset, UTC), _endpoint(response))
    if status == 403:
        return Forbidden(words, str(body.get("reason") or ""))
    if status == 404:
        return NotFound(words)
    if status >= 500:
        return Transient(f"X had a server error ({status}); will try again")
    if status == 400 and _names_cursor(body):
        return StaleCursor(words)
    return Refused(words)


def period_end(period: str, now: datetime) -> datetime:
    """When a usage cap of ``period`` ends: the next UTC midnight (Daily) or first of the month (Monthly).

    X does not say when a billing cycle ends; the calendar month is the earliest it could, so nothing is retried
    before it (a user may still ask for a retry).
    """
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period.lower() == "daily":
        return day + timedelta(days=1)
    first = day.replace(day=1)
    return first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)


def detail(exc: tweepy.HTTPException, fallback: str) -> str:
    """X's own words for an error (``detail`` or ``message``), cleaned for display."""
    messages = [str(m) for m in exc.api_messages if m]
    text = " ".join(dict.fromkeys(messages)) or fallback
    return one_line(text, 400)


def _names_cursor(body: Mapping[str, Any]) -> bool:
    """A 400 about the ``pagination_token`` parameter (X names it in ``errors[].parameters`` or the message)."""
    for error in body.get("errors") or ():
        if not isinstance(error, Mapping):
            continue
        if "pagination_token" in (error.get("parameters") or {}) or "pagination_token" in str(error.get("message")):
            return True
    return False


def _body(response: requests.Response) -> Mapping[str, Any]:
    try:
        body = orjson.loads(response.content) if response.content else {}
    except orjson.JSONDecodeError:
        return {}
    return body if isinstance(body, dict) else {}


def _endpoint(response: requests.Response | None) -> str:
    if response is None or response.request is None:
        return ""
    return endpoint_of(response.request.method or "GET", urlsplit(response.request.url or "").path)
