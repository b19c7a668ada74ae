"""The outbox dimension and the GC policy, for ``bench/bench.py --outbox`` (the one entry point).

Per outbox size (finished entries: done and cancelled calls, all in the last day so the store keeps every one of
them: the worst case for the lookups), a synthetic cache of ``FOLLOWERS`` followers is written once; then, in
rounds that visit every size in turn (so a noisy disk or a busy neighbour hits all sizes alike), a child process:

* ``decide`` (``Decisions.decide``, fsynced) and ``undo`` (``Decisions.undo`` of that decision), median of K; and
  the same with fsync off (the CPU part: the fsync of one log line is the disk's, whatever the outbox holds);
* cursor move: Pilot presses ``down`` in New followers; ms from the key to the detail panel's new text shown
  (``DetailView.show``: the panel's outbox lookup runs on the UI thread);
* ``state.json`` + ``state.log`` size with those entries, and a day later: after ``archive_outbox``, the
  time it took and the size left.

The GC figures: parsing ``graph.jsonl`` with the collector paused (``gcpolicy.paused``) or not, and one full
collection with the loaded session frozen (``gcpolicy.freeze``) or not.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import bench_app
import synth

from followtui import gcpolicy
from followtui.backends.offline import OfflineBackend
from followtui.domain.models import DecisionKind, Op, OutboxEntry, OutboxState
from followtui.services.session import open_session, write_services
from followtui.store import Store
from followtui.store.graphfile import read_graph

FOLLOWERS = 2000
WRITES = 200  # decide + undo pairs per round (sub-millisecond each: many, for a steady median)
_OPS = (Op.LIST_ADD, Op.LIST_ADD, Op.FOLLOW, Op.UNFOLLOW, Op.LIST_REMOVE)


def fill_outbox(data_dir: Path, finished: int) -> None:
    """Add ``finished`` done/cancelled entries made in the last day (list fills, follows; old decisions)."""
    with Store.open(data_dir) as store:
        ids = store.account_ids()
        entries = []
        for n in range(finished):
            at = synth.NOW - timedelta(hours=23) + timedelta(seconds=n)
            op = _OPS[n % len(_OPS)]
            entries.append(
                OutboxEntry(
                    id=uuid.uuid4().hex,
                    op=op,
                    account_id=ids[n % len(ids)],
                    created_at=at,
                    state=OutboxState.CANCELLED if n % 7 == 0 else OutboxState.DONE,
                    list_id="77" if op in (Op.LIST_ADD, Op.LIST_REMOVE) else None,
                    attempted_at=at,
                    decision_seq=None if op in (Op.LIST_ADD, Op.LIST_REMOVE) else 1_000_000 + n,
                )
            )
        store.add_outbox_many(entries)


def state_kb(data_dir: Path) -> float:
    log = data_dir / "state.log"
    return ((data_dir / "state.json").stat().st_size + (log.stat().st_size if log.exists() else 0)) / 1e3


def decide_undo(data_dir: Path, presses: int, *, fsync: bool) -> dict[str, float]:
    """Median ms of ``decide`` then ``undo`` of it, on ``presses`` undecided followers; the loaded state frozen,
    as the app's start-up does (``gcpolicy.freeze``)."""
    out: dict[str, list[float]] = {"decide": [], "undo": []}
    with Store.open(data_dir, fsync=fsync) as store:
        decisions = write_services(store, OfflineBackend(), lambda: synth.NOW)[0]
        new = [a for a in store.one_way_followers() if store.decision(a) is None][:presses]
        gcpolicy.freeze()
        for account_id in new:
            t = time.perf_counter()
            decisions.decide(account_id, DecisionKind.FOLLOW)  # queues a follow: the outbox is written too
            out["decide"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            undone = decisions.undo()
            out["undo"].append((time.perf_counter() - t) * 1000)
            assert undone is not None and undone.account_id == account_id
        gcpolicy.unfreeze()
    suffix = "" if fsync else "_cpu"
    return {key + suffix: statistics.median(values) for key, values in out.items()}


async def cursor_moves(data_dir: Path, presses: int) -> tuple[list[float], list[float]]:
    """ms from ``down`` to the detail panel's new text shown, and of building that text (``DetailView.text_for``)."""
    from followtui.tui.app import FollowApp
    from followtui.tui.screens.main import MainScreen
    from followtui.tui.widgets.account_list import AccountList
    from followtui.tui.widgets.detail import DetailView

    shown: list[float] = []
    built: list[float] = []
    real_show, real_text = DetailView.show, DetailView.text_for

    def show(panel: Any, renderable: Any) -> None:
        real_show(panel, renderable)
        shown.append(time.perf_counter())

    def detail_text(panel: Any, account_id: str) -> Any:
        t = time.perf_counter()
        text = real_text(panel, account_id)
        built.append((time.perf_counter() - t) * 1000)
        return text

    setattr(DetailView, "show", show)  # noqa: B010 - the class-level patches are the point
    setattr(DetailView, "text_for", detail_text)  # noqa: B010
    opener = partial(open_session, data_dir, demo=False, clock=lambda: synth.NOW, backend=OfflineBackend())
    app = FollowApp(opener, None)
    out: list[float] = []
    async with app.run_test(size=bench_app.SIZE) as pilot:
        deadline = time.perf_counter() + 60
        while not (isinstance(app.screen, MainScreen) and any(w.ids for w in app.screen.query(AccountList))):
            assert time.perf_counter() < deadline, "the app did not show its first page"
            await asyncio.sleep(0.005)
        await pilot.pause(0.3)
        del built[:]
        for _ in range(presses):
            n = len(shown)
            t = time.perf_counter()
            await pilot.press("down")
            while len(shown) == n:
                await asyncio.sleep(0.0005)
            out.append((shown[n] - t) * 1000)
        await pilot.press("q")
    setattr(DetailView, "show", real_show)  # noqa: B010
    setattr(DetailView, "text_for", real_text)  # noqa: B010
    return out, built


def prepare(root: Path, finished: int) -> Path:
    """The synthetic cache with ``finished`` entries in the outbox, under ``root``."""
    data = root / f"outbox_{finished}"
    synth.write_store(data, FOLLOWERS)
    fill_outbox(data, finished)
    return data


def child(data_dir: Path, presses: int) -> dict[str, Any]:
    """One round at one outbox size, in this process: medians of decide, undo and cursor moves."""
    with tempfile.TemporaryDirectory(prefix="bench_outbox_cfg_") as cfg:
        os.environ["FOLLOWTUI_CONFIG_HOME"] = cfg
        row: dict[str, Any] = {"state_kb": state_kb(data_dir)}
        writes = max(presses, WRITES)
        row.update(decide_undo(data_dir, writes, fsync=False))  # its close rewrites state.json, not fsynced:
        os.sync()  # written back now, not during the fsyncs measured next (ext4 makes an fsync wait for it)
        row.update(decide_undo(data_dir, writes, fsync=True))
        moves, built = asyncio.run(cursor_moves(data_dir, presses))
        row["cursor"], row["detail"] = statistics.median(moves), statistics.median(built)
    return row


def child_archive(data_dir: Path) -> dict[str, Any]:
    """A day later: what ``archive_outbox`` moves, how long it takes, and the state left after a restart."""
    with Store.open(data_dir) as store:
        t = time.perf_counter()
        archived = store.archive_outbox(synth.NOW + timedelta(days=1, hours=1))
        row: dict[str, Any] = {"archived": archived, "archive_ms": (time.perf_counter() - t) * 1000}
        row["kept"] = len(store.outbox())
    with Store.open(data_dir):
        pass  # compacted at close: what a restart leaves
    row["state_kb_after"] = state_kb(data_dir)
    return row


def child_gc(followers: int, runs: int) -> dict[str, float]:
    """Parse graph.jsonl with and without the pause; a full collection with and without the freeze."""
    with tempfile.TemporaryDirectory(prefix="bench_gc_") as tmp:
        data = Path(tmp) / "data"
        synth.write_store(data, followers)
        path = data / "graph.jsonl"
        out: dict[str, list[float]] = {"parse_paused": [], "parse_gc_on": [], "collect": [], "collect_frozen": []}
        for _ in range(runs):
            gc.collect()
            t = time.perf_counter()
            with gcpolicy.paused():
                graph = read_graph(path)
            out["parse_paused"].append((time.perf_counter() - t) * 1000)
            del graph
            gc.collect()
            with mock.patch.object(gcpolicy, "paused", _no_pause):  # what it costs without the policy
                t = time.perf_counter()
                graph = read_graph(path)
                out["parse_gc_on"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            gc.collect()
            out["collect"].append((time.perf_counter() - t) * 1000)
            gcpolicy.freeze()
            t = time.perf_counter()
            gc.collect()
            out["collect_frozen"].append((time.perf_counter() - t) * 1000)
            gcpolicy.unfreeze()
            del graph
    return {key: statistics.median(values) for key, values in out.items()}


class _NoPause:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _no_pause() -> _NoPause:
    return _NoPause()


KEYS = ("decide", "undo", "decide_cpu", "undo_cpu", "detail", "cursor")


def table(rows: list[dict[str, Any]], gc_row: dict[str, float] | None, gc_followers: int) -> None:
    """``rows``: per size, ``rounds`` (the children's rows) and ``archive``."""
    base = rows[0]

    def med(row: dict[str, Any], key: str) -> float:
        values: list[float] = [r[key] for r in row["rounds"]]
        return statistics.median(values)

    print(f"\n### Outbox size ({FOLLOWERS:,} followers; finished entries made in the last day, all kept)\n")
    print(f"Medians of {len(base['rounds'])} interleaved rounds; (×) is the ratio to the empty outbox.\n")
    print(
        "| finished entries | decide, ms | undo, ms | decide, fsync off | undo, fsync off | detail text, ms "
        "| cursor move → detail shown, ms "
        "| state kB | a day later: archived in ms, kept, state kB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        cells = [f"{med(row, key):.2f} ({med(row, key) / med(base, key):.2f}×)" for key in KEYS]
        a = row["archive"]
        later = f"{a['archived']:,} in {a['archive_ms']:.0f} ms, {a['kept']:,}, {a['state_kb_after']:.0f}"
        print(f"| {row['n']:,} | {' | '.join(cells)} | {row['rounds'][0]['state_kb']:,.0f} | {later} |")
    groups = (("CPU (fsync off), detail text", KEYS[2:5]), ("durable (fsynced)", KEYS[:2]), ("shown", KEYS[5:]))
    for label, keys in groups:
        worst = max(med(r, k) / med(base, k) for r in rows for k in keys)
        print(f"\nworst ratio to the empty outbox, {label}: {worst:.2f}× (target 1.2×) {'✓' if worst <= 1.2 else '✗'}")
    if gc_row is not None:
        print(f"\n### GC policy ({gc_followers:,} followers, medians)\n")
        print("| measure | ms |")
        print("|---|---:|")
        print(f"| parse graph.jsonl, collector paused (gcpolicy.paused) | {gc_row['parse_paused']:.0f} |")
        print(f"| parse graph.jsonl, collector on | {gc_row['parse_gc_on']:.0f} |")
        print(f"| one full collection, graph loaded | {gc_row['collect']:.1f} |")
        print(f"| one full collection, graph frozen (gcpolicy.freeze) | {gc_row['collect_frozen']:.1f} |")
