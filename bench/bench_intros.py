"""Benchmark: introduction suggestions on the 100,000-person demo, beside a naive all-pairs baseline.

1. `knowwho intros` as a whole process on the 100,000-person demo (built with
   `knowwho demo --people 100000` if missing; about 4% of people have a
   situation, 3% needs, 3% offers): wall time of each of --runs runs and the
   peak resident memory of the process (resource.getrusage of the child).
2. The same matching on a 5,000-person sample (the first 5,000 contacts with
   a situation, needs or offers; their three texts as one document): the
   inverted index knowwho uses (a common term pairs only its 100 strongest
   ties) beside a naive loop scoring every pair. Both must find the same best
   score.

Run: python bench/bench_intros.py [--db bench/data/intros-100000-seed1.db] [--runs 3] [--sample 5000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
TARGET_S = 5.0
TARGET_MB = 500


def ensure_db(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    made = HERE / "data" / "today-100000-seed1.db"  # the same demo, made by bench_today.py
    if made.exists():
        shutil.copy(made, path)
    else:
        subprocess.run([BIN / "knowwho", "demo", "--people", "100000", "--seed", "1", "--db", str(path)], check=True)
    subprocess.run([BIN / "knowwho", "--db", str(path), "today"], check=True, capture_output=True)  # migrations


def process_benchmark(db: Path, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [BIN / "knowwho", "intros", "--limit", "10", "--db", str(db)], capture_output=True, text=True
        )
        times.append(time.perf_counter() - started)
        if done.returncode:
            raise SystemExit(done.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first = done.stdout.splitlines()[:2]
    print(f"knowwho intros, 100,000-person demo: {', '.join(f'{t:.2f}' for t in times)} s "
          f"(best {min(times):.2f} s, target < {TARGET_S:g} s); peak memory {peak_mb:.0f} MB (target < {TARGET_MB} MB)")  # fmt: skip
    print("  best suggestion:", " / ".join(line.strip() for line in first))


def sample_benchmark(db: Path, size: int) -> None:
    from knowwho.core import Knowwho
    from knowwho.services.intros import matching
    from knowwho.services.intros.suggestions import PER_TERM
    from knowwho.storage import intros as store

    kw = Knowwho.open(db)
    rows = store.intent_people(kw.db.conn)[:size]
    docs = {r.id: matching.terms(f"{r.situation} {r.needs} {r.offers}") for r in rows}
    weights = matching.idf(docs.values())
    vectors = {pid: matching.vector(d, weights) for pid, d in docs.items()}
    strength = {r.id: r.tie_strength for r in rows}
    # Both score match × the geometric mean of ties; the index pairs a common term's strongest ties, as knowwho does.
    started = time.perf_counter()
    indexed = matching.pair_scores(vectors, vectors, strength=strength, per_term=PER_TERM)
    best_indexed = max(
        indexed.items(), key=lambda kv: kv[1] * matching.tie_mean(strength[kv[0][0]], strength[kv[0][1]])
    )
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    best_score = -1.0
    for a, b in combinations(vectors, 2):
        score = matching.cosine(vectors[a], vectors[b]) * matching.tie_mean(strength[a], strength[b])
        if score > best_score:
            best_score = score
    naive_s = time.perf_counter() - started
    pairs = len(rows) * (len(rows) - 1) // 2
    print(f"{len(rows):,}-person sample ({pairs:,} pairs): inverted index {index_s:.2f} s, "
          f"all pairs {naive_s:.2f} s, ratio {naive_s / index_s:.1f}×")  # fmt: skip
    same = (
        abs(best_score - indexed[best_indexed[0]] * matching.tie_mean(*(strength[i] for i in best_indexed[0]))) < 1e-9
    )
    print(f"  same best score both ways: {same}")
    kw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=HERE / "data" / "intros-100000-seed1.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5000)
    args = parser.parse_args()
    ensure_db(args.db)
    process_benchmark(args.db, args.runs)
    sample_benchmark(args.db, args.sample)


if __name__ == "__main__":
    main()
