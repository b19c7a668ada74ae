"""gcpolicy: one hold count for every pause, whichever thread holds it; the host's own switch respected."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from followtui import gcpolicy


@pytest.fixture(autouse=True)
def gc_on() -> Iterator[None]:
    gc.enable()
    yield
    assert gc.isenabled()


def test_overlapping_pauses_on_two_threads_end_with_the_last() -> None:
    """Thread A pauses, B pauses, A ends: the collector stays off until B ends too (it did not before)."""
    b_paused, b_may_end = threading.Event(), threading.Event()
    seen: list[bool] = []

    def b() -> None:
        with gcpolicy.paused():
            b_paused.set()
            b_may_end.wait(5)
            seen.append(gc.isenabled())

    worker = threading.Thread(target=b)
    with gcpolicy.paused():
        worker.start()
        assert b_paused.wait(5)
    assert not gc.isenabled()  # B still holds its pause
    b_may_end.set()
    worker.join(5)
    assert seen == [False] and gc.isenabled()


def test_a_host_that_switched_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        with gcpolicy.paused(), gcpolicy.Pause() as pause:
            with pause.resumed():
                assert not gc.isenabled()
            pause.collect_young()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_sync_pause_resumes_only_when_no_one_else_holds_one() -> None:
    with gcpolicy.Pause() as pause:
        assert not gc.isenabled()
        with pause.resumed():
            assert gc.isenabled()  # a wait: the collector runs
            with gcpolicy.paused():  # someone else pauses meanwhile
                assert not gc.isenabled()
            assert gc.isenabled()
        assert not gc.isenabled()
        with gcpolicy.paused(), pause.resumed():
            assert not gc.isenabled()  # the other hold keeps it off
    assert gc.isenabled()


def test_an_error_in_the_block_still_releases() -> None:
    with pytest.raises(RuntimeError), gcpolicy.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="without a hold"):
        gcpolicy._release()


def test_freeze_and_unfreeze() -> None:
    gcpolicy.freeze()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gcpolicy.unfreeze()
    assert gc.get_freeze_count() == 0
