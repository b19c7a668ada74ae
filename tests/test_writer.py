"""The writer hands every result back to the UI thread, however fast the write finishes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from functools import partial
from pathlib import Path
from typing import Any

from followtui.domain.models import DecisionKind
from followtui.tui.app import FollowApp
from followtui.tui.writer import SerialWriter
from tests.tui_helpers import SIZE, demo_app, ready, wait_until


class InlineExecutor(Executor):
    """Runs the job inside ``submit``: the future is done before ``add_done_callback`` is called."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the future, as a real executor does
            future.set_exception(error)
        return future


async def test_a_write_finished_before_submit_returns_still_delivers() -> None:
    app = FollowApp(None)
    writer = SerialWriter(app, InlineExecutor())
    results: list[int] = []
    errors: list[BaseException] = []
    async with app.run_test() as pilot:
        writer.submit(lambda: 41 + 1, results.append, errors.append)
        writer.submit(lambda: 1 // 0, results.append, errors.append)
        await wait_until(pilot, lambda: len(results) + len(errors) == 2)
    assert results == [42]
    assert isinstance(errors[0], ZeroDivisionError)


async def test_results_arrive_in_submission_order_from_the_writer_thread() -> None:
    app = FollowApp(None)
    writer = SerialWriter(app)
    seen: list[int] = []
    errors: list[BaseException] = []
    async with app.run_test() as pilot:
        for n in range(50):
            writer.submit(partial(int, n), seen.append, errors.append)
        await wait_until(pilot, lambda: len(seen) == 50)
    writer.close()
    assert seen == list(range(50)) and not errors


async def test_a_decision_saved_at_once_still_leaves_the_queue_and_toasts(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo", write_executor=InlineExecutor())
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first = screen.accounts.ids[0]
        await pilot.press("s")
        await wait_until(pilot, lambda: first not in screen.accounts.ids)
        await wait_until(pilot, lambda: any(str(n.message).startswith("✓ Skip") for n in app._notifications))
        decision = screen.session.store.decision(first)
        assert decision is not None and decision.kind is DecisionKind.SKIP
