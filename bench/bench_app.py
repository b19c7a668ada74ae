"""The app's start-up probe and paint/fill/write hooks, used by ``bench/bench.py`` (the one entry point).

``child_startup`` runs in a fresh process: ``followtui.cli.main`` headless at 130x40 (``App.run`` is patched to
``headless=True``), so interpreter start-up and every import count; or a blank Textual app with a Header and
Footer. It prints ``time.perf_counter()`` marks (CLOCK_MONOTONIC, shared with the parent) as JSON. "Paint" is the
first ``App._display`` call with a compositor update, i.e. the moment Textual would write the frame to the
terminal (headless skips only the write itself).
"""

from __future__ import annotations

import bisect
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZE = (130, 40)
DEBOUNCE_S = 0.15  # MainScreen._filter_changed waits this long before it reloads the pane


# ------------------------------------------------------------------------------------------------- hooks


class Recorder:
    """Class-level patches that timestamp paints, list fills, decision writes and UI updates."""

    def __init__(self) -> None:
        self.paints: list[float] = []
        self.fills: list[tuple[float, str, str, int]] = []  # (t, pane, filter, len(ids))
        self.writes: list[tuple[float, float, list[str]]] = []  # decide_many (start, end, ids)
        self.decided_ui: list[float] = []  # MainScreen._on_decided ran on the UI thread
        self.on_fill: Any = None
        self.on_paint: Any = None

    def install(self) -> None:
        """Every hook (the Pilot drive)."""
        self.install_paints()
        self.install_writes()

    def install_paints(self) -> None:
        """Only the paint and list-fill hooks: what start-up needs, importing no more than the app does by then."""
        from textual.app import App

        from followtui.tui.widgets.account_list import AccountList

        rec = self
        display, set_ids = App._display, AccountList.set_ids

        def _display(app: Any, screen: Any, renderable: Any) -> None:
            display(app, screen, renderable)
            if renderable is not None and not app._batch_count:
                rec.paints.append(time.perf_counter())
                if rec.on_paint is not None:
                    rec.on_paint(app)

        def _set_ids(widget: Any, ids: list[str], *, keep: str | None = None) -> None:
            set_ids(widget, ids, keep=keep)
            screen = widget.screen
            pane = getattr(getattr(screen, "pane", None), "value", "")
            needle = getattr(screen, "filters", {}).get(getattr(screen, "pane", None), "")
            rec.fills.append((time.perf_counter(), pane, needle, len(ids)))
            if rec.on_fill is not None:
                rec.on_fill(widget)

        setattr(App, "_display", _display)  # noqa: B010 - the class-level patches are the point
        setattr(AccountList, "set_ids", _set_ids)  # noqa: B010

    def install_writes(self) -> None:
        """The decision hooks: the write itself, and the UI thread's handling of its result."""
        from followtui.services.decisions import Decisions
        from followtui.tui.screens.main import MainScreen

        rec = self
        decide_many, on_decided = Decisions.decide_many, MainScreen._on_decided

        def _decide_many(decisions: Any, account_ids: Any, kind: Any, **kwargs: Any) -> Any:
            ids = list(account_ids)
            start = time.perf_counter()
            out = decide_many(decisions, ids, kind, **kwargs)
            rec.writes.append((start, time.perf_counter(), ids))
            return out

        def _on_decided(screen: Any, decided: Any) -> None:
            on_decided(screen, decided)
            rec.decided_ui.append(time.perf_counter())

        setattr(Decisions, "decide_many", _decide_many)  # noqa: B010
        setattr(MainScreen, "_on_decided", _on_decided)  # noqa: B010

    def paint_after(self, t: float) -> float:
        i = bisect.bisect_right(self.paints, t)
        return self.paints[i] if i < len(self.paints) else float("nan")

    def painted_after(self, t: float) -> bool:
        return bool(self.paints) and self.paints[-1] > t


# ------------------------------------------------------------------------------------------------- start-up child


def child_startup(kind: str, data_dir: str) -> None:
    """Runs in a fresh process: start the app (or a blank one), print perf_counter marks as JSON."""
    marks: dict[str, float] = {}
    if kind == "blank":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header

        class Blank(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Footer()

            def _display(self, screen: Any, renderable: Any) -> None:
                super()._display(screen, renderable)
                if renderable is not None and not self._batch_count and "paint" not in marks:
                    marks["paint"] = time.perf_counter()
                    self.exit()

        marks["imported"] = time.perf_counter()
        Blank().run(headless=True, size=SIZE)
    else:
        from textual.app import App

        from followtui import cli

        rec = Recorder()
        rec.install_paints()
        marks["imported"] = time.perf_counter()

        def on_fill(widget: Any) -> None:
            if widget.ids and "ids" not in marks:
                marks["ids"] = time.perf_counter()

        def on_paint(app: Any) -> None:
            marks.setdefault("paint", time.perf_counter())
            if "ids" in marks and "page" not in marks:
                marks["page"] = time.perf_counter()
                app.exit()

        rec.on_fill, rec.on_paint = on_fill, on_paint
        run = App.run
        setattr(App, "run", lambda self, **_: run(self, headless=True, size=SIZE))  # noqa: B010
        argv = ["--data-dir", data_dir] + (["--demo"] if kind == "demo" else [])
        cli.main(argv)
    print(json.dumps(marks))
