"""One retry policy for the services that read X at length (sync, hydrate): wait out rate limits, back off.

``Retrier.call`` waits out a ``RateLimited`` until its reset (shown through ``on_wait``; a reset X did not send is
a short guess of the adapter's, shown as such), never more than ``MAX_RATE_WAIT`` and ``MAX_RATE_WAITS`` times in a
row, and retries ``Transient`` errors with exponential backoff up to ``MAX_RETRIES``. What stops the service
(waiting longer is not worth it, credentials refused, credits depleted, a usage cap) is raised as the service's own
error (``stop``) with X's words; retrying those would spend money or time for nothing. Refusals and other backend
errors are the caller's to act on, raised as they are. A cancel (the event) is honoured before each call and
during each wait (``cancelled``).

tenacity was considered: its stop/wait strategies fit, but a rate-limit wait comes from the error itself, every
wait has to be shown and cancellable, and the two error kinds keep separate counters; the loop is shorter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from followtui.backends.base import AuthError, Blocked, RateLimited, Transient
from followtui.domain.xlimits import MAX_RATE_WAIT, MAX_RATE_WAITS, MAX_RETRIES, RETRY_BASE

T = TypeVar("T")


class Retrier:
    """Calls with waits and retries; blocking (a worker thread or a CLI command)."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        cancel: threading.Event,
        *,
        stop: Callable[[str], Exception],
        cancelled: Callable[[], Exception],
        resume: str,
        on_wait: Callable[[str], None] = lambda _message: None,
        before_call: Callable[[], None] = lambda: None,
        sleep: Callable[[timedelta], None] | None = None,
    ) -> None:
        self.clock = clock
        self.cancel = cancel
        self._stop = stop
        self._cancelled = cancelled
        self._resume = resume
        self._on_wait = on_wait
        self._before_call = before_call
        self._sleep = sleep or self.wait

    def call(self, what: str, call: Callable[[], T]) -> T:
        """``call()``, waiting out rate limits and retrying network errors; ``stop`` errors when it cannot go on."""
        try:
            return self._call(what, call)
        except (AuthError, Blocked) as exc:
            raise self._stop(str(exc)) from None

    def _call(self, what: str, call: Callable[[], T]) -> T:
        attempt = 0
        rate_waits = 0
        while True:
            if self.cancel.is_set():
                raise self._cancelled()
            self._before_call()
            try:
                return call()
            except RateLimited as exc:
                wait = exc.reset_at - self.clock()
                rate_waits += 1
                if wait > MAX_RATE_WAIT or rate_waits > MAX_RATE_WAITS:
                    reset = f"{exc.reset_at.astimezone():%H:%M}"
                    raise self._stop(f"X's rate limit for {what} resets at {reset}. {self._resume}") from None
                until = f"{exc.reset_at.astimezone():%H:%M:%S}"
                guess = " (X sent no reset time)" if exc.guessed else ""
                self._on_wait(f"X rate limit for {what}: waiting until {until}{guess}")
                self._sleep(max(wait, timedelta(seconds=1)))
            except Transient as exc:
                attempt += 1
                if attempt > MAX_RETRIES:
                    raise self._stop(f"Could not read {what}: {exc}. {self._resume}") from None
                delay = RETRY_BASE * 2 ** (attempt - 1)
                self._on_wait(f"{exc} (retry in {delay.seconds} s)")
                self._sleep(delay)

    def wait(self, delay: timedelta) -> None:
        """Sleep ``delay`` unless cancelled meanwhile (then the ``cancelled`` error)."""
        if self.cancel.wait(delay.total_seconds()):
            raise self._cancelled()
