"""The benchmark: every issue-7 measure at each size, side by side, with the targets. Not a test, not in CI.

    python bench/bench.py --sizes 1000 10000 100000 [--runs 3] [--presses 40] [--no-sync] [--sync-runs 3]
    python bench/bench.py --outbox 0 5000 20000 50000 [--presses 40]   # the outbox dimension and the GC policy

Per size, a synthetic cache (``bench/synth.py``: N followers + 5,000 following) is written to a temp dir, then:

* start-up: a fresh child process per run (``bench_app.child_startup``), the app and a blank Textual app with a
  Header and Footer interleaved; ms from spawning the child to its first paint, and to the first page of New
  followers painted (the list has IDs, so its keys act on them);
* interactive: one child drives the app with Pilot: ``s`` → decision fsynced (median, p95), pane switch, filter
  (work after the 150 ms typing debounce), ``end`` → last row painted; and the child's peak RSS;
* sync: a full sync of N followers from the fake X API (tests/fakex) over loopback, pages of 1,000, through
  tweepy; wall time and the sync thread's own CPU time (``bench_sync.run``);
* Bluesky sync, beside X's: a full sync of N followers from the lexicon-checked fake XRPC server (tests/fakebsky),
  pages of 100 and profiles 25 a call, through the atproto SDK; requests, wall time, own CPU time (``bench_bsky``);
* file sizes of graph.jsonl and state.json.

``--outbox``: decide, undo and a cursor move at each number of finished outbox entries, the state's size, what
archiving moves out a day later, and the GC policy's effect (``bench/bench_outbox.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import bench_app  # noqa: E402
import bench_outbox  # noqa: E402
import synth  # noqa: E402

SIZE = bench_app.SIZE
DEBOUNCE_MS = bench_app.DEBOUNCE_S * 1000
BUDGET = {  # target per measure at the largest size (None: reported, no target)
    "paint_ratio": 1.5,
    "page_ratio": 3.0,
    "disk_med": 10.0,
    "disk_vs_1k": 1.2,
    "filter": 100.0,
    "switch": 100.0,
    "sync_cpu": 5.0,
    "rss": 400.0,
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# ------------------------------------------------------------------------------------------------- children


def spawn(args: list[str], env: dict[str, str] | None = None) -> tuple[dict[str, Any], float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), t0


def startup(data_dir: Path, runs: int) -> dict[str, float]:
    """Median ms from spawn: blank paint, app paint, first page painted."""
    with tempfile.TemporaryDirectory(prefix="bench_cfg_") as cfg:
        env = {**os.environ, "FOLLOWTUI_CONFIG_HOME": cfg, "PYTHONPATH": str(ROOT)}
        samples: dict[str, list[float]] = {"blank": [], "paint": [], "page": [], "imported": []}
        spawn(["_startup", "blank", str(data_dir)], env)  # warm the page cache and .pyc files
        spawn(["_startup", "real", str(data_dir)], env)
        for _ in range(runs):  # interleaved, so load drift hits both alike
            marks, t0 = spawn(["_startup", "blank", str(data_dir)], env)
            samples["blank"].append((marks["paint"] - t0) * 1000)
            marks, t0 = spawn(["_startup", "real", str(data_dir)], env)
            for key in ("paint", "page", "imported"):
                samples[key].append((marks[key] - t0) * 1000)
    return {k: statistics.median(v) for k, v in samples.items()}


async def drive(data_dir: Path, presses: int, rounds: int) -> dict[str, Any]:
    """Pilot session on the cache in ``data_dir``: decisions, pane switches, filters, scroll to the end."""
    from functools import partial

    from followtui.domain.queues import Pane
    from followtui.services.session import open_session
    from followtui.tui.app import FollowApp
    from followtui.tui.screens.main import MainScreen
    from followtui.tui.widgets.account_list import AccountList

    rec = bench_app.Recorder()
    rec.install()
    opener = partial(open_session, data_dir, demo=False, clock=lambda: synth.NOW)
    app = FollowApp(opener, None)
    out: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        out.setdefault(key, []).append(value * 1000)

    async def until(condition: Any, timeout: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise AssertionError("timed out")
            await asyncio.sleep(0.001)

    def fill_after(t: float, pane: str, text: str) -> tuple[float, int] | None:
        for ft, fpane, ftext, n in rec.fills:
            if ft > t and fpane == pane and ftext == text and n > 0:
                return ft, n
        return None

    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, MainScreen) and any(w.ids for w in app.screen.query(AccountList)))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await until(lambda: None not in screen.counts.values())
        await pilot.pause(0.5)
        state_path = screen.session.store.state_path

        for _ in range(presses):  # keypress -> decision durable on disk
            target = screen.accounts.highlighted
            assert target is not None
            n_writes, n_ui = len(rec.writes), len(rec.decided_ui)
            t0 = time.perf_counter()
            await pilot.press("s")
            await until(lambda n_ui=n_ui: len(rec.decided_ui) > n_ui)
            start, end, ids = rec.writes[n_writes]
            assert ids == [target] and target in on_disk(state_path)
            add("disk", end - t0)
            add("write", end - start)
            await until(lambda: rec.painted_after(rec.decided_ui[-1]))
            add("press_paint", rec.paint_after(rec.decided_ui[-1]) - t0)
            await pilot.pause(0.02)

        for _ in range(rounds):  # pane switch: 3 (unfollow) and back with 1 (new followers)
            for key, pane in (("3", Pane.UNFOLLOW), ("1", Pane.NEW_FOLLOWERS)):
                t0 = time.perf_counter()
                await pilot.press(key)
                await until(lambda pane=pane, t0=t0: fill_after(t0, pane.value, "") is not None)
                filled = fill_after(t0, pane.value, "")
                assert filled is not None
                await until(lambda f=filled[0]: rec.painted_after(f))
                add("switch", rec.paint_after(filled[0]) - t0)
                await pilot.pause(0.05)

        needle = synth.NEEDLE
        for _ in range(rounds):  # filter: from the last keystroke to the filtered list painted, minus the debounce
            await pilot.press("slash", *needle[:-1])
            t0 = time.perf_counter()
            await pilot.press(needle[-1])
            await until(lambda t0=t0: fill_after(t0, "new", needle) is not None)
            filled = fill_after(t0, "new", needle)
            assert filled is not None
            await until(lambda f=filled[0]: rec.painted_after(f))
            add("filter", rec.paint_after(filled[0]) - t0 - bench_app.DEBOUNCE_S)
            out.setdefault("matches", []).append(filled[1])
            t1 = time.perf_counter()
            await pilot.press("escape", "escape")
            await until(lambda t1=t1: fill_after(t1, "new", "") is not None)
            await pilot.pause(0.05)

        for _ in range(rounds):  # scroll to the end of the pane and back
            accounts = screen.accounts
            t0 = time.perf_counter()
            await pilot.press("end")
            await until(lambda a=accounts: a.highlighted == a.ids[-1])
            await pilot.pause()  # the frame with the last row is out when the message queue is idle
            await until(lambda t0=t0: rec.painted_after(t0))
            add("scroll_end", rec.paints[-1] - t0)
            await pilot.press("home")
            await pilot.pause(0.05)
        await pilot.press("q")
    result: dict[str, Any] = dict(out)
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def on_disk(state_path: Path) -> str:
    """What the state file and its log hold (a keypress appends to the log)."""
    log = state_path.with_suffix(".log")
    return state_path.read_text(encoding="utf-8") + (log.read_text(encoding="utf-8") if log.exists() else "")


def child_sync(n: int, runs: int) -> dict[str, Any]:
    import bench_sync

    results = [bench_sync.run(n) for _ in range(runs)]
    _, requests, _, _, _, journal, _ = results[0]
    return {
        "requests": requests,
        "wall": statistics.median(r[2] for r in results),
        "cpu": statistics.median(r[3] for r in results),
        "cpu_runs": [r[3] for r in results],
        "journal_mb": journal,
        "resync_cpu": statistics.median(r[6] for r in results),
    }


def child_bsky(n: int, runs: int) -> dict[str, Any]:
    import bench_bsky

    results = [bench_bsky.run(n) for _ in range(runs)]
    return {
        "requests": results[0]["requests"],
        "wall": statistics.median(r["wall"] for r in results),
        "cpu": statistics.median(r["cpu"] for r in results),
    }


# ------------------------------------------------------------------------------------------------- report


def measure(n: int, args: argparse.Namespace) -> dict[str, Any]:
    row: dict[str, Any] = {"n": n}
    with tempfile.TemporaryDirectory(prefix=f"bench_{n}_") as tmp:
        data = Path(tmp) / "data"
        t = time.perf_counter()
        synth.write_store(data, n)
        row["write_s"] = time.perf_counter() - t
        row["graph_mb"] = (data / "graph.jsonl").stat().st_size / 1e6
        row["state_kb"] = (data / "state.json").stat().st_size / 1e3
        row["startup"] = startup(data, args.runs)
        row["ui"], _ = spawn(["_drive", str(data), str(args.presses), str(args.rounds)])
    if not args.no_sync:
        row["sync"], _ = spawn(["_sync", str(n), str(args.sync_runs)])
        row["bsky"], _ = spawn(["_bsky", str(n), str(args.sync_runs)])
    return row


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {pct(values, 0.95):.1f}"


def table(row: dict[str, Any]) -> None:
    s, ui = row["startup"], row["ui"]
    print(f"\n### {row['n']:,} followers + {synth.FOLLOWING:,} following\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| blank Textual app (Header+Footer): first paint, ms | {s['blank']:.0f} |")
    print(f"| app: imports done, ms | {s['imported']:.0f} |")
    print(f"| app: first paint, ms (× blank) | {s['paint']:.0f} ({s['paint'] / s['blank']:.2f}×) |")
    print(
        f"| app: first page of New followers painted, ms (× blank) | {s['page']:.0f} ({s['page'] / s['blank']:.2f}×) |"
    )
    print(f"| `s` → decision fsynced, ms (median / p95) | {ms(ui['disk'])} |")
    print(f"| … of which the write itself (``decide_many``), ms (median / p95) | {ms(ui['write'])} |")
    print(f"| `s` → row gone, painted, ms (median / p95) | {ms(ui['press_paint'])} |")
    print(f"| pane switch → list painted, ms (median / p95) | {ms(ui['switch'])} |")
    matches = int(statistics.median(ui["matches"]))
    print(f"| filter '{synth.NEEDLE}' → painted, after the debounce, ms ({matches:,} matches) | {ms(ui['filter'])} |")
    print(f"| `end` → last row painted, ms (median / p95) | {ms(ui['scroll_end'])} |")
    print(f"| peak RSS of the app process, MiB | {ui['rss']:.0f} |")
    print(f"| graph.jsonl MB / state.json kB | {row['graph_mb']:.1f} / {row['state_kb']:.0f} |")
    if "sync" in row:
        y = row["sync"]
        rate = row["n"] / y["wall"]
        print(
            f"| sync (median of {len(y['cpu_runs'])}): requests of two syncs, wall s, own CPU s, followers/s | "
            f"{y['requests']:,}, {y['wall']:.1f}, {y['cpu']:.1f}, {rate:,.0f} |"
        )
        print(f"| … own CPU s of each run | {', '.join(f'{c:.1f}' for c in y['cpu_runs'])} |")
        print(f"| sync again (same followers, cache full): own CPU s, median | {y['resync_cpu']:.1f} |")
    if "bsky" in row:
        b = row["bsky"]
        print(
            "| Bluesky sync (fake XRPC, pages of 100, profiles 25 a call), median: requests, wall s, own CPU s, "
            f"followers/s | {b['requests']:,}, {b['wall']:.1f}, {b['cpu']:.1f}, {row['n'] / b['wall']:,.0f} |"
        )
    sys.stdout.flush()


def summary(rows: list[dict[str, Any]]) -> None:
    base = rows[0]
    big = rows[-1]
    print(f"\n### Targets at {big['n']:,} followers (decision ratio vs {base['n']:,})\n")
    print("| target | limit | measured | |")
    print("|---|---:|---:|---|")
    s, ui = big["startup"], big["ui"]
    disk = statistics.median(ui["disk"])
    checks: list[tuple[str, str, float, float, str]] = [
        ("first paint / blank app", "1.5×", s["paint"] / s["blank"], BUDGET["paint_ratio"], "{:.2f}×"),
        ("first page of New followers / blank app", "3×", s["page"] / s["blank"], BUDGET["page_ratio"], "{:.2f}×"),
        ("decision durable, median", "10 ms", disk, BUDGET["disk_med"], "{:.1f} ms"),
        (
            f"decision durable, median vs {base['n']:,}",
            "1.2×",
            disk / statistics.median(base["ui"]["disk"]),
            BUDGET["disk_vs_1k"],
            "{:.2f}×",
        ),
        (
            "filter (after the debounce), median",
            "100 ms",
            statistics.median(ui["filter"]),
            BUDGET["filter"],
            "{:.0f} ms",
        ),
        ("pane switch, median", "100 ms", statistics.median(ui["switch"]), BUDGET["switch"], "{:.0f} ms"),
        ("peak memory (RSS)", "400 MB", ui["rss"] * 1.048576, BUDGET["rss"], "{:.0f} MB"),
    ]
    if "sync" in big:
        checks.append(("full sync, own CPU time", "5 s", big["sync"]["cpu"], BUDGET["sync_cpu"], "{:.1f} s"))
    for label, limit, value, budget, fmt in checks:
        print(f"| {label} | {limit} | {fmt.format(value)} | {'✓' if value <= budget else '✗'} |")


def outbox(sizes: list[int], args: argparse.Namespace) -> None:
    """The outbox dimension: caches written once, then ``--runs`` rounds visiting every size in turn."""
    with tempfile.TemporaryDirectory(prefix="bench_outbox_") as tmp:
        dirs = {n: bench_outbox.prepare(Path(tmp), n) for n in sizes}
        rows: list[dict[str, Any]] = [{"n": n, "rounds": []} for n in sizes]
        for _ in range(args.runs):
            for row in rows:
                row["rounds"].append(spawn(["_outbox", str(dirs[row["n"]]), str(args.presses)])[0])
        for row in rows:
            row["archive"] = spawn(["_archive", str(dirs[row["n"]])])[0]
    gc_followers = max(args.sizes)
    gc_row, _ = spawn(["_gc", str(gc_followers), str(args.runs)])
    bench_outbox.table(rows, gc_row, gc_followers)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_startup":
        bench_app.child_startup(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_drive":
        print(json.dumps(asyncio.run(drive(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_sync":
        print(json.dumps(child_sync(int(sys.argv[2]), int(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_bsky":
        print(json.dumps(child_bsky(int(sys.argv[2]), int(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_outbox":
        print(json.dumps(bench_outbox.child(Path(sys.argv[2]), int(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_archive":
        print(json.dumps(bench_outbox.child_archive(Path(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_gc":
        print(json.dumps(bench_outbox.child_gc(int(sys.argv[2]), int(sys.argv[3]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3, help="start-up runs per case (median)")
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=8, help="pane switches, filters and scrolls")
    ap.add_argument("--no-sync", action="store_true", help="skip the syncs against the fake X and Bluesky APIs")
    ap.add_argument("--sync-runs", type=int, default=3, help="syncs per size (median)")
    ap.add_argument("--outbox", type=int, nargs="+", help="finished outbox entries: only the outbox dimension")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f}")
    if args.outbox:
        outbox(sorted(args.outbox), args)
        return
    rows = []
    for n in sorted(args.sizes):
        rows.append(measure(n, args))
        table(rows[-1])
    summary(rows)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
