"""Importing an X data archive: ``followtui import-archive`` as a user runs it, in a child process per step.

Usage: ``python bench/bench_import.py [FOLLOWERS [FOLLOWING]]`` (default 100000 5000). Builds the archive zip
(follower.js split in parts of 50,000 like X's large files), then runs, each in a fresh ``python -m followtui``:
a first import into an empty cache, a second import of a later archive (1% of followers changed: a diff), and
``followtui export followers --format csv``. Prints wall time and the child's peak RSS (``ru_maxrss``) per step,
and the sizes of the archive and the cache. Not a test: CI does not run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.archive_builder import ArchiveSpec, build  # noqa: E402

PART = 50_000


def ids(start: int, count: int) -> list[str]:
    return [str(start + i) for i in range(count)]


_RUN = (
    "import resource, sys\n"
    "from followtui.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "sys.stderr.write(f'\\nRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
    "sys.exit(rc)\n"
)


def child(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Wall seconds, the child's own peak RSS in MiB, and stdout of one ``followtui`` command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, *args], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"followtui {' '.join(args)} failed: {done.stderr}")
    rss_kib = int(done.stderr.rstrip().rsplit("RSS ", 1)[1])
    return wall, rss_kib / 1024, done.stdout


def main() -> None:
    followers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    following = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = 10**17
        parts = max(1, -(-followers // PART))
        start = time.perf_counter()
        first = build(
            ArchiveSpec(
                followers=ids(base, followers),
                following=ids(base + followers - following // 2, following),  # half of them mutual
                parts=parts,
                generated_at="2026-11-01T00:00:00.000Z",
            ),
            root / "first.zip",
        )
        changed = followers // 100
        second = build(
            ArchiveSpec(
                followers=ids(base + changed, followers),  # `changed` left, `changed` new
                following=ids(base + followers - following // 2, following),
                parts=parts,
                generated_at="2026-11-08T00:00:00.000Z",
            ),
            root / "second.zip",
        )
        rows.append(("build both archives (test helper)", f"{time.perf_counter() - start:.2f} s", "-"))
        env = dict(os.environ) | {"FOLLOWTUI_HOME": str(root / "data"), "FOLLOWTUI_CONFIG_HOME": str(root / "config")}
        for label, args in (
            ("first import (empty cache)", ("import-archive", str(first))),
            (f"second import ({changed:,} new, {changed:,} left)", ("import-archive", str(second))),
            ("export followers --format csv", ("export", "followers", "--format", "csv", "-o", str(root / "f.csv"))),
        ):
            wall, rss, out = child(env, *args)
            rows.append((label, f"{wall:.2f} s", f"{rss:,.0f} MiB"))
            if out.startswith("Imported"):
                print(out.splitlines()[0])
        sizes = (
            f"archive zip {first.stat().st_size / 2**20:.1f} MiB; graph.jsonl "
            f"{(root / 'data' / 'graph.jsonl').stat().st_size / 2**20:.1f} MiB"
        )
    print(f"\n{followers:,} followers + {following:,} following ({parts} follower parts); {sizes}\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'step'.ljust(width)}  {'wall':>9}  {'peak RSS':>10}")
    for label, wall_s, rss_s in rows:
        print(f"{label.ljust(width)}  {wall_s:>9}  {rss_s:>10}")


if __name__ == "__main__":
    main()
