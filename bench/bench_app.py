"""App benchmark: start-up, keypress -> durable decision, pane switch and filter, on the demo data set.

    python bench/bench_app.py [--runs 5] [--presses 50] [--switches 20] [--filters 20] [--synthetic 10000]

Start-up runs ``followtui.cli.main(["--demo", ...])`` in a fresh child process per run, headless at 130x40
(``App.run`` is patched to ``headless=True``), so interpreter start-up and every import count. Times are
``time.perf_counter()`` (CLOCK_MONOTONIC, shared by parent and child) from just before the parent spawns
the child. "Paint" is the first ``App._display`` call with a compositor update, i.e. the moment Textual
would write the frame to the terminal (headless skips only the write itself).

The interactive numbers drive one app in-process with Pilot at the tests' fixed clock. Not run in CI.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import subprocess
import sys
import tempfile
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
        from textual.app import App

        from followtui.services.actions import Actions
        from followtui.tui.screens.main import MainScreen
        from followtui.tui.widgets.account_list import AccountList

        rec = self
        display, set_ids = App._display, AccountList.set_ids
        decide_many, on_decided = Actions.decide_many, MainScreen._on_decided

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

        def _decide_many(actions: Any, account_ids: Any, kind: Any) -> Any:
            ids = list(account_ids)
            start = time.perf_counter()
            out = decide_many(actions, ids, kind)
            rec.writes.append((start, time.perf_counter(), ids))
            return out

        def _on_decided(screen: Any, decided: Any) -> None:
            on_decided(screen, decided)
            rec.decided_ui.append(time.perf_counter())

        setattr(App, "_display", _display)  # noqa: B010 - the class-level patches are the point
        setattr(AccountList, "set_ids", _set_ids)  # noqa: B010
        setattr(Actions, "decide_many", _decide_many)  # noqa: B010
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
        rec.install()
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


def spawn(kind: str, data_dir: Path, env: dict[str, str]) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "_startup", kind, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {kind} failed:\n{proc.stderr[-3000:]}")
    marks = json.loads(proc.stdout.strip().splitlines()[-1])
    return {k: (v - t0) * 1000 for k, v in marks.items()}


def startup(runs: int, synthetic_dir: Path | None) -> list[tuple[str, dict[str, float]]]:
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench_app_") as tmp:
        base = Path(tmp)
        env = {**os.environ, "FOLLOWTUI_CONFIG_HOME": str(base / "config"), "PYTHONPATH": str(ROOT)}
        spawn("blank", base / "x", env)  # warm the OS file cache and the .pyc files once
        spawn("demo", base / "warm", env)  # ... and write the warm demo cache
        cases: list[tuple[str, str, Any]] = [
            ("blank Textual app (Header+Footer)", "blank", lambda i: base / "x"),
            ("demo, cold (generates the demo data)", "demo", lambda i: base / f"cold{i}"),
            ("demo, warm (cache on disk)", "demo", lambda i: base / "warm"),
        ]
        if synthetic_dir is not None:
            cases.append((f"synthetic {synthetic_dir.name}, warm", "real", lambda i: synthetic_dir))
        results: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in cases}
        for i in range(runs):  # interleaved, so drift hits every case alike
            for label, kind, where in cases:
                results[label].append(spawn(kind, where(i), env))
        for label, _, _ in cases:
            keys = results[label][0].keys()
            rows.append((label, {k: statistics.median(r[k] for r in results[label]) for k in keys}))
    return rows


# ------------------------------------------------------------------------------------------------- interactive


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def interactive(
    opener: Any, rec: Recorder, presses: int, switches: int, filters: int, needle: str
) -> dict[str, list[float]]:
    import asyncio

    from followtui.domain.queues import Pane
    from followtui.tui.app import FollowApp
    from followtui.tui.screens.main import MainScreen
    from followtui.tui.widgets.account_list import AccountList

    app = FollowApp(opener, None)
    out: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        out.setdefault(key, []).append(value * 1000)

    async with app.run_test(size=SIZE) as pilot:

        async def until(condition: Any, timeout: float = 20.0) -> None:
            deadline = time.perf_counter() + timeout
            while not condition():
                if time.perf_counter() > deadline:
                    raise AssertionError("timed out")
                await asyncio.sleep(0.001)

        await until(lambda: isinstance(app.screen, MainScreen) and any(w.ids for w in app.screen.query(AccountList)))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await until(lambda: None not in screen.counts.values())
        await pilot.pause(0.3)
        state_path = screen.session.store.state_path

        def fill_after(t: float, pane: str, text: str) -> tuple[float, int] | None:
            for ft, fpane, ftext, n in rec.fills:
                if ft > t and fpane == pane and ftext == text and n > 0:
                    return ft, n
            return None

        # keypress -> durable decision
        for _ in range(presses):
            target = screen.accounts.highlighted
            assert target is not None
            n_writes, n_ui = len(rec.writes), len(rec.decided_ui)
            t0 = time.perf_counter()
            await pilot.press("s")
            await until(lambda n_ui=n_ui: len(rec.decided_ui) > n_ui)
            await pilot.pause()
            await until(lambda: rec.painted_after(rec.decided_ui[-1]))
            start, end, ids = rec.writes[n_writes]
            assert ids == [target] and target in state_path.read_text(encoding="utf-8")
            add("press_to_write_start", start - t0)
            add("write", end - start)
            add("press_to_disk", end - t0)
            add("press_to_paint", rec.paint_after(rec.decided_ui[-1]) - t0)
            await pilot.pause(0.02)

        # pane switch: 3 (unfollow) and back with 1 (new followers)
        for _ in range(switches):
            for key, pane in (("3", Pane.UNFOLLOW), ("1", Pane.NEW_FOLLOWERS)):
                t0 = time.perf_counter()
                await pilot.press(key)
                await until(lambda pane=pane, t0=t0: fill_after(t0, pane.value, "") is not None)
                filled = fill_after(t0, pane.value, "")
                assert filled is not None
                await until(lambda f=filled[0]: rec.painted_after(f))
                add(f"switch_{key}_fill", filled[0] - t0)
                add(f"switch_{key}_paint", rec.paint_after(filled[0]) - t0)
                await pilot.pause(0.05)

        # filter: type the needle, measure from the last keystroke until the list shows the filtered result
        await pilot.press("1")
        await pilot.pause(0.3)
        for _ in range(filters):
            await pilot.press("slash", *needle[:-1])
            t0 = time.perf_counter()
            await pilot.press(needle[-1])
            await until(lambda t0=t0: fill_after(t0, "new", needle) is not None)
            filled = fill_after(t0, "new", needle)
            assert filled is not None
            await until(lambda f=filled[0]: rec.painted_after(f))
            add("filter_fill", filled[0] - t0)
            add("filter_paint", rec.paint_after(filled[0]) - t0)
            out.setdefault("filter_matches", []).append(filled[1])
            t1 = time.perf_counter()
            await pilot.press("escape")
            await until(lambda t1=t1: fill_after(t1, "new", "") is not None)
            await pilot.pause(0.05)
        await pilot.press("q")
    return out


def run_interactive(opener: Any, args: argparse.Namespace) -> dict[str, list[float]]:
    import asyncio

    rec = Recorder()
    rec.install()
    return asyncio.run(interactive(opener, rec, args.presses, args.switches, args.filters, args.needle))


def child_interactive(kind: str, data_dir: str, args: argparse.Namespace) -> None:
    from datetime import UTC, datetime
    from functools import partial

    from followtui.services.session import open_session

    def clock() -> datetime:
        return datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    demo = kind == "demo"
    opener = partial(open_session, Path(data_dir), demo=demo, reset=demo, clock=clock, demo_delay=0.0)
    print(json.dumps(run_interactive(opener, args)))


def make_synthetic(n: int, data_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import random

    from bench_store import synthetic

    from followtui.store import Store

    with Store.open(data_dir) as store:
        store.replace_graph(**synthetic(n, random.Random(n)))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------- report


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_startup":
        child_startup(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="start-up runs per case (median)")
    ap.add_argument("--presses", type=int, default=50)
    ap.add_argument("--switches", type=int, default=20)
    ap.add_argument("--filters", type=int, default=20)
    ap.add_argument("--needle", default="berlin", help="the filter text typed")
    ap.add_argument("--synthetic", type=int, default=0, help="also a synthetic store of this many accounts")
    ap.add_argument("--_interactive", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._interactive:
        child_interactive(args._interactive[0], args._interactive[1], args)
        return

    with tempfile.TemporaryDirectory(prefix="bench_app_syn_") as tmp:
        synthetic_dir = None
        if args.synthetic:
            synthetic_dir = Path(tmp) / f"{args.synthetic}"
            make_synthetic(args.synthetic, synthetic_dir)

        print(f"## Start-up (ms from spawning the child; median of {args.runs}; headless {SIZE[0]}x{SIZE[1]})\n")
        print("| case | imports done | first paint | list has ids | first page painted | paint / blank |")
        print("|---|---:|---:|---:|---:|---:|")
        rows = startup(args.runs, synthetic_dir)
        blank = rows[0][1]["paint"]
        for label, m in rows:
            cells = [m.get("imported"), m.get("paint"), m.get("ids"), m.get("page")]
            shown = " | ".join("—" if c is None else f"{c:.0f}" for c in cells)
            print(f"| {label} | {shown} | {m['paint'] / blank:.2f}× |", flush=True)

        cases = [("demo", str(Path(tmp) / "demo"))]
        if synthetic_dir is not None:
            cases.append(("real", str(synthetic_dir)))
        for kind, where in cases:
            cmd = [sys.executable, __file__, "--_interactive", kind, where]
            cmd += ["--presses", str(args.presses), "--switches", str(args.switches)]
            cmd += ["--filters", str(args.filters), "--needle", args.needle]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr[-3000:])
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            title = "demo" if kind == "demo" else f"synthetic {synthetic_dir.name if synthetic_dir else ''}"
            print(f"\n## Interactive, {title} (Pilot, in one process; ms)\n")
            print("| measure | n | median | p95 |")
            print("|---|---:|---:|---:|")
            labels = [
                ("press_to_disk", "`s` pressed → decide_many returned (fsynced state.json)"),
                ("press_to_write_start", "  of which: press → write starts on the writer thread"),
                ("write", "  of which: decide_many itself"),
                ("press_to_paint", "`s` pressed → row gone, frame painted"),
                ("switch_3_fill", "`3` pressed → unfollow list filled"),
                ("switch_3_paint", "`3` pressed → unfollow list painted"),
                ("switch_1_fill", "`1` pressed → new-followers list filled"),
                (
                    "filter_fill",
                    f"last key of '{args.needle}' → list filtered (incl. {DEBOUNCE_S * 1000:.0f} ms debounce)",
                ),
                ("filter_paint", "last key → filtered list painted (incl. debounce)"),
            ]
            for key, text in labels:
                values = res[key]
                print(f"| {text} | {len(values)} | {statistics.median(values):.1f} | {pct(values, 0.95):.1f} |")
            f = res["filter_fill"]
            print(
                f"| filter work after the debounce (filter_fill − {DEBOUNCE_S * 1000:.0f}) | {len(f)} | "
                f"{statistics.median(f) - DEBOUNCE_S * 1000:.1f} | {pct(f, 0.95) - DEBOUNCE_S * 1000:.1f} |"
            )
            print(f"\n(filter '{args.needle}' matched {int(statistics.median(res['filter_matches']))} accounts)")


if __name__ == "__main__":
    main()
