"""One writer thread for the user's commands, so decisions reach the store in the order they were made."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from textual.app import App
from textual.message import Message

T = TypeVar("T")


class SerialWriter:
    """Runs store writes one at a time off the UI thread and hands each result back to the UI thread.

    The result travels as a message on the app's queue. ``post_message`` is safe from any thread, including the
    UI thread itself: a job can finish before ``submit`` has returned (then ``add_done_callback`` runs the
    callback at once, on the caller's thread), and the result must still arrive.
    """

    class Finished(Message):
        """A write finished: ``deliver`` runs its ``done`` or ``failed`` callback on the UI thread."""

        def __init__(self, deliver: Callable[[], None]) -> None:
            super().__init__()
            self.deliver = deliver

    def __init__(self, app: App[Any], executor: Executor | None = None) -> None:
        self._app = app
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="followtui-writer")
        self._owed = 0  # writes submitted whose callback has not run yet (read and written on the UI thread only)

    def submit(self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None]) -> None:
        """Queue ``job``; ``done`` or ``failed`` then runs on the UI thread (call ``submit`` from the UI thread)."""
        self._owed += 1

        def finished(future: Future[T]) -> None:
            error = future.exception()
            deliver = partial(failed, error) if error is not None else partial(done, future.result())
            # False only when the app is closing: the write itself is done and durable.
            self._app.post_message(self.Finished(deliver))

        self._executor.submit(job).add_done_callback(finished)

    def deliver(self, message: Finished) -> None:
        """Run a finished write's callback (the app calls this on the UI thread for each ``Finished``)."""
        self._owed -= 1
        message.deliver()

    @property
    def idle(self) -> bool:
        """No write queued or running, and every callback run: the UI no longer waits on the store."""
        return self._owed == 0

    def close(self) -> None:
        """Wait for every queued write (called as the app exits, so no confirmed decision is dropped)."""
        self._executor.shutdown(wait=True)
