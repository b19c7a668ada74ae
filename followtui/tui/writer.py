"""One writer thread for the user's commands, so decisions reach the store in the order they were made."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from textual.app import App

T = TypeVar("T")


class SerialWriter:
    """Runs store writes one at a time off the UI thread and hands each result back on the UI thread."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="followtui-writer")

    def submit(self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None]) -> None:
        def finished(future: Future[T]) -> None:
            error = future.exception()
            try:
                if error is not None:
                    self._app.call_from_thread(failed, error)
                else:
                    self._app.call_from_thread(done, future.result())
            except RuntimeError:
                pass  # the app is closing: the write itself is done and durable

        self._executor.submit(job).add_done_callback(finished)

    def close(self) -> None:
        """Wait for every queued write (called as the app exits, so no confirmed decision is dropped)."""
        self._executor.shutdown(wait=True)
