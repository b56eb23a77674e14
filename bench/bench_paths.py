"""Benchmark: warm paths, the bounded route search beside networkx, and `knowwho path` on the 100,000-person demo.

1. The search itself, on a generated power-law graph of about 1,000,000 edges
   (Barabási–Albert, 200,000 people × 5): 2,000 random people are "yours"
   (routes end at them), and for each of --queries random targets each
   finds every route of at most 3 people from one of yours to the target,
   walking only through people you don't know: knowwho's plain walk
   (`services.paths.search.walk_paths`, what a search runs over the few
   thousand people around a target), igraph (`candidate_paths`) and
   networkx (`all_simple_paths` to your people, cutoff 2), on the same
   directed graph. All must find the same routes. A plain bounded
   3-hop neighbourhood (everyone within 3 steps) is timed too.
2. `knowwho path --org NAME` as a subprocess on the 100,000-person demo
   (`knowwho demo --people 100000 --db /tmp/big.db`, built if missing), for
   the largest organization and for a smaller one, and `--person` for
   someone known only through others: median wall time of --runs runs;
   then the answer alone, in process, read from the database (as a command
   does) and from the network the server keeps in memory.

Run: python bench/bench_paths.py [--queries 30] [--runs 5] [--db /tmp/big.db] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET_RATIO = 10.0
TARGET_QUERY_S = 0.1
TARGET_PROCESS_S = 1.5


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def search_benchmark(queries: int, seed: int) -> None:
    import igraph
    import networkx as nx

    from knowwho.services.paths.search import build_graph, candidate_paths, walk_paths

    rng = random.Random(seed)
    started = time.perf_counter()
    undirected = igraph.Graph.Barabasi(200_000, 5, directed=False)
    n, edges = undirected.vcount(), undirected.get_edgelist()
    mine = [False] * n
    for v in rng.sample(range(n), 2_000):
        mine[v] = True
    graph = build_graph(n, edges, mine)
    nxg = nx.DiGraph()
    nxg.add_nodes_from(range(n))
    nxg.add_edges_from(graph.get_edgelist())
    undirected_nx = nx.Graph(edges)
    print(f"graph: {n:,} people, {len(edges):,} edges (power law), built in {time.perf_counter() - started:.1f} s")
    targets = [v for v in rng.sample(range(n), queries * 3) if not mine[v]][:queries]
    mine_set = {v for v in range(n) if mine[v]}
    arcs: dict[int, list[int]] = {}
    for u, v in graph.get_edgelist():
        arcs.setdefault(u, []).append(v)
    ig_times, nx_times, walk_times, found = [], [], [], 0
    for goal in targets:
        t0 = time.perf_counter()
        ours = candidate_paths(graph, [goal], mine, 3)
        t1 = time.perf_counter()
        theirs = [p[::-1] for p in nx.all_simple_paths(nxg, goal, mine_set, cutoff=2)]
        t2 = time.perf_counter()
        walked = walk_paths(arcs, [goal], mine_set, 3)
        t3 = time.perf_counter()
        assert sorted(map(tuple, ours)) == sorted(map(tuple, theirs)) == sorted(map(tuple, walked)), goal
        found += len(ours)
        ig_times.append(t1 - t0)
        nx_times.append(t2 - t1)
        walk_times.append(t3 - t2)
    ig_ms, nx_ms = _median_ms(ig_times), _median_ms(nx_times)
    print(f"routes of ≤3 people to a target ({queries} targets, {found:,} routes, same in all three):")
    print(f"  walk     {_median_ms(walk_times):8.2f} ms median   (max {max(walk_times) * 1000:.1f} ms, plain Python)")
    print(f"  igraph   {ig_ms:8.2f} ms median   (max {max(ig_times) * 1000:.1f} ms)")
    print(f"  networkx {nx_ms:8.2f} ms median   → {nx_ms / ig_ms:.1f}× (target ≥ {TARGET_RATIO:.0f}×, < 100 ms)")
    ig_times, nx_times = [], []
    for goal in targets:
        t0 = time.perf_counter()
        reach = len(undirected.neighborhood(goal, order=3))
        t1 = time.perf_counter()
        reach_nx = len(nx.single_source_shortest_path_length(undirected_nx, goal, cutoff=3))
        t2 = time.perf_counter()
        assert reach == reach_nx
        ig_times.append(t1 - t0)
        nx_times.append(t2 - t1)
    ig_ms, nx_ms = _median_ms(ig_times), _median_ms(nx_times)
    print("everyone within 3 steps (bounded BFS):")
    print(f"  igraph   {ig_ms:8.2f} ms median")
    print(f"  networkx {nx_ms:8.2f} ms median   → {nx_ms / ig_ms:.1f}×")


def process_benchmark(db: Path, runs: int) -> None:
    if not db.exists():
        print(f"building the 100,000-person demo at {db} …", flush=True)
        subprocess.run([str(BIN / "knowwho"), "demo", "--people", "100000", "--db", str(db)], check=True)
    conn = sqlite3.connect(db)
    big, big_n = conn.execute(
        """SELECT o.name, COUNT(*) n FROM roles r JOIN organizations o ON o.id = r.organization_id
           GROUP BY o.id ORDER BY n DESC LIMIT 1"""
    ).fetchone()
    small, small_n = conn.execute(
        """SELECT o.name, COUNT(*) n FROM roles r JOIN organizations o ON o.id = r.organization_id
           GROUP BY o.id HAVING n BETWEEN 5 AND 40 ORDER BY o.id LIMIT 1"""
    ).fetchone()
    second = conn.execute("SELECT id FROM people WHERE is_contact = 0 AND deleted_at IS NULL LIMIT 1").fetchone()[0]
    counts = conn.execute(
        """SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM people WHERE is_contact = 0),
                  (SELECT COUNT(*) FROM knows), (SELECT COUNT(*) FROM roles), (SELECT COUNT(*) FROM roles WHERE is_current = 0)"""
    ).fetchone()
    conn.close()
    print(f"demo: {counts[0]:,} people ({counts[1]:,} known through others), {counts[2]:,} knows edges, "
          f"{counts[3]:,} roles ({counts[4]:,} past)")  # fmt: skip
    for label, args in (
        (f"--org {big!r} ({big_n:,} roles)", ["--org", big]),
        (f"--org {small!r} ({small_n} roles)", ["--org", small]),
        (f"--person #{second} (known through others)", ["--person", f"#{second}"]),
    ):
        command = [str(BIN / "knowwho"), "path", *args, "--db", str(db), "--json"]
        subprocess.run(command, check=True, capture_output=True)  # warm the file cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        verdict = "ok" if med < TARGET_PROCESS_S else "SLOW"
        print(f"  knowwho path {label}: {med:.2f} s median of {runs} (target < {TARGET_PROCESS_S} s: {verdict})")
    _in_process(db, big, small)


def _in_process(db: Path, *orgs: str) -> None:
    """The answer alone, as a command reads it (the database) and as the server does (the network in memory)."""
    import tracemalloc

    from knowwho.core import Knowwho
    from knowwho.services.paths.memory import NetworkMemory

    kw = Knowwho.open(db)
    memory = NetworkMemory()
    started = time.perf_counter()
    with memory.current(kw.db.conn):
        pass
    loaded = time.perf_counter() - started
    tracemalloc.start()  # a second reading, traced (tracing slows it): how much memory the network takes
    with NetworkMemory().current(kw.db.conn):
        held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"  the server reads the network into memory once: {loaded:.2f} s, {held / 1e6:.0f} MB")
    queries = [{"organization": name} for name in orgs] + [{"field_text": "data"}]
    for reader, held_memory in (("database", None), ("memory", memory)):
        kw.network_memory = held_memory
        kw.__dict__.pop("paths", None)  # a PathService over this reader
        for query in queries:
            kw.paths.find(**query)
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                kw.paths.find(**query)
                times.append(time.perf_counter() - t0)
            times.sort()
            label = next(iter(query.values()))
            print(f"  answer for {label!r} from the {reader}: median {_median_ms(times):.1f} ms, "
                  f"p95 {times[18] * 1000:.1f} ms")  # fmt: skip
    kw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, default=Path("/tmp/big.db"))
    parser.add_argument("--skip-demo", action="store_true", help="Only the graph search.")
    args = parser.parse_args()
    search_benchmark(args.queries, args.seed)
    if not args.skip_demo:
        process_benchmark(args.db, args.runs)


if __name__ == "__main__":
    main()
