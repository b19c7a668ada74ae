"""Store benchmark: open, replace_graph, keypress -> durable decision, one outbox send, sizes, peak RSS.

    python bench/bench_store.py [--sizes 1000 10000 100000] [--decisions 200]

Each size runs in a fresh child process so peak RSS is that size's alone. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from followtui.domain.models import (  # noqa: E402
    Account,
    DecisionKind,
    ListInfo,
    Me,
    Post,
    Relationship,
    SyncInfo,
)
from followtui.services.actions import Actions  # noqa: E402
from followtui.store import Store  # noqa: E402

T0 = datetime(2025, 3, 1, tzinfo=UTC)
WORDS = [
    "coffee",
    "rust",
    "python",
    "dogs",
    "runner",
    "dad",
    "music",
    "travel",
    "design",
    "startup",
    "founder",
    "crypto",
    "art",
]


class NullBackend:
    """Accepts every write instantly."""

    name = "null"

    def follow(self, account_id: str) -> None:
        pass

    def unfollow(self, account_id: str) -> None:
        pass

    def add_list_member(self, list_id: str, account_id: str) -> None:
        pass

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        pass


def synthetic(n: int, rng: random.Random) -> dict[str, object]:
    accounts, rels = [], []
    for i in range(n):
        aid = str(10_000_000 + i)
        desc = " ".join(rng.choices(WORDS, k=rng.randint(0, 20)))[:160]
        posts = tuple(
            Post(id=str(1_800_000_000_000_000_000 + i * 10 + k), author_id=aid, text=desc[:100], created_at=T0)
            for k in range(rng.choice((0, 0, 1, 2)))
        )
        accounts.append(
            Account(
                id=aid,
                username=f"user_{i}",
                name=f"User {i}",
                description=desc,
                location=rng.choice(("", "Berlin", "Lagos", "São Paulo")),
                created_at=T0 - timedelta(days=rng.randint(1, 5000)),
                profile_image_url=f"https://pbs.twimg.com/profile_images/{i}/x_normal.jpg",
                followers_count=rng.randint(0, 100_000),
                following_count=rng.randint(0, 5000),
                tweet_count=rng.randint(0, 50_000),
                posts=posts,
            )
        )
        follower, following = rng.random() < 0.7, rng.random() < 0.4
        rels.append(
            Relationship(
                aid,
                follower=follower,
                following=following or not follower,
                follower_first_seen=T0 if follower else None,
                follower_last_seen=T0 if follower else None,
                following_first_seen=T0 if following else None,
                following_last_seen=T0 if following else None,
            )
        )
    return {
        "me": Me("1", "me"),
        "accounts": accounts,
        "relationships": rels,
        "mentions": [],
        "my_posts": [],
        "lists": [ListInfo("77", "friends")],
        "sync": SyncInfo(last_sync=T0, source="bench"),
    }


def worker(n: int, decisions: int) -> dict[str, float]:
    rng = random.Random(n)
    out: dict[str, float] = {}
    graph = synthetic(n, rng)
    with tempfile.TemporaryDirectory(prefix="bench_store_") as tmp:
        data = Path(tmp) / "data"
        with Store.open(data) as store:
            t = time.perf_counter()
            store.replace_graph(**graph)  # type: ignore[arg-type]
            out["replace_s"] = time.perf_counter() - t
        ids = [a.id for a in graph["accounts"]]  # type: ignore[attr-defined]
        del graph
        t = time.perf_counter()
        store = Store.open(data)
        out["open_s"] = time.perf_counter() - t
        actions = Actions(store, NullBackend(), lambda: datetime.now(UTC))  # type: ignore[arg-type]
        actions.decide_many(rng.sample(ids, min(1000, n)), DecisionKind.SKIP)  # a used state file
        kinds = list(DecisionKind)
        times = []
        for i in range(decisions):
            t = time.perf_counter()
            actions.decide(rng.choice(ids), kinds[i % len(kinds)])
            times.append(time.perf_counter() - t)
        times.sort()
        out["decide_med_ms"] = statistics.median(times) * 1000
        out["decide_p95_ms"] = times[int(len(times) * 0.95) - 1] * 1000
        sends = []
        for _ in range(5):
            actions.decide(rng.choice(ids), DecisionKind.FOLLOW)
            t = time.perf_counter()
            report = actions.process_outbox(max_items=1)
            sends.append(time.perf_counter() - t)
            assert len(report.sent) == 1
        out["send_one_ms"] = statistics.median(sends) * 1000
        out["graph_mb"] = store.graph_path.stat().st_size / 2**20
        out["state_kb"] = store.state_path.stat().st_size / 2**10
        store.close()
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        print(json.dumps(worker(int(sys.argv[2]), int(sys.argv[3]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--decisions", type=int, default=200)
    args = ap.parse_args()
    cols = [
        ("open_s", "open s", "{:.2f}"),
        ("replace_s", "replace_graph s", "{:.2f}"),
        ("decide_med_ms", "decide med ms", "{:.1f}"),
        ("decide_p95_ms", "decide p95 ms", "{:.1f}"),
        ("send_one_ms", "send 1 ms", "{:.1f}"),
        ("graph_mb", "graph.json MB", "{:.1f}"),
        ("state_kb", "state.json KB", "{:.0f}"),
        ("peak_rss_mib", "peak RSS MiB", "{:.0f}"),
    ]
    print("| accounts | " + " | ".join(c[1] for c in cols) + " |")
    print("|---:|" + "---:|" * len(cols))
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "_worker", str(n), str(args.decisions)],
            capture_output=True,
            text=True,
            check=True,
        )
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"| {n:,} | " + " | ".join(fmt.format(res[key]) for key, _, fmt in cols) + " |", flush=True)


if __name__ == "__main__":
    main()
