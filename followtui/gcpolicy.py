"""The cyclic garbage collector's switches, in one place (the only module that calls ``gc.disable``/``freeze``).

Two policies, both measured in ``bench/bench_outbox.py`` (see docs/PERFORMANCE.md):

* **Pauses** while many containers are built that have no cycles (parsing the graph, building it, a sync that
  holds 100,000 accounts until it writes them): every automatic full collection would rescan them all.
  ``paused()`` (a block) and ``Pause`` (the sync's long hold, with ``collect_young`` and ``resumed``) share one
  hold count under one lock: the collector is switched off by the first hold and back on by the last release,
  whichever threads they are on, and only if it was on when the first hold began (a host that switched it off
  keeps it off). The switch is process-wide: a pause on a worker thread pauses the UI thread's collections too,
  which is why the hold count, not each caller, decides when it ends.
* **Freezing** the loaded session (``freeze``/``unfreeze``): the app's start-up moves the graph, its indexes and
  the signals out of the collector's sight once they are built; reference counting still frees them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

_lock = threading.Lock()
_holds = 0
_restore = False  # whether the last release switches the collector back on


def _acquire() -> None:
    global _holds, _restore
    with _lock:
        if _holds == 0:
            _restore = gc.isenabled()
            gc.disable()
        _holds += 1


def _release() -> None:
    global _holds
    with _lock:
        if _holds <= 0:
            raise RuntimeError("gcpolicy: release without a hold")
        _holds -= 1
        if _holds == 0 and _restore:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collections during the block (nor, process-wide, on other threads)."""
    _acquire()
    try:
        yield
    finally:
        _release()


class Pause:
    """A long hold (``with``) that can let the collector run meanwhile: the sync's, from its entry point.

    ``collect_young`` collects the two young generations (what was made since the last call) without rescanning
    the old ones; ``resumed`` gives up this hold for a block (a wait) and takes it again after.
    """

    def __init__(self) -> None:
        self._held = False

    def __enter__(self) -> Pause:
        _acquire()
        self._held = True
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._held:
            self._held = False
            _release()

    def collect_young(self) -> None:
        if self._held:
            gc.collect(1)

    @contextmanager
    def resumed(self) -> Iterator[None]:
        if not self._held:
            yield
            return
        self._held = False
        _release()
        try:
            yield
        finally:
            _acquire()
            self._held = True


def freeze() -> None:
    """Move every object alive now out of the collector's sight (the loaded session, at the app's start-up)."""
    with _lock:
        gc.freeze()


def unfreeze() -> None:
    """Hand the frozen objects back to the collector (the app is ending, or its session is replaced)."""
    with _lock:
        gc.unfreeze()
