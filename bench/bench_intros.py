"""Benchmark: introduction suggestions on the 100,000-person demo, beside a naive all-pairs baseline.

1. `knowwho intros` as a whole process on the 100,000-person demo (built with
   `knowwho demo --people 100000` if missing; about 4% of people have a
   situation, 3% needs, 3% offers), first by words alone (the baseline,
   KNOWWHO_MEANING=off), then by meaning and words (the embedding model
   loaded and every text embedded): wall time of each of --runs runs and the
   peak resident memory of each process.
2. The same matching on a 5,000-person sample (the first 5,000 contacts with
   a situation, needs or offers; their three texts as one document): the
   inverted index knowwho uses (a common term pairs only its 100 strongest
   ties) beside a naive loop scoring every pair. Both must find the same best
   score.

Run: python bench/bench_intros.py [--db bench/data/intros-100000-seed1.db] [--runs 3] [--sample 5000]
"""

from __future__ import annotations

import argparse
import json
import os
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
# `knowwho ARGS` in this process, then its own peak resident memory (each run measured alone) on stderr.
PEAK = (
    "import resource, sys\n"
    "from knowwho.cli import main\n"
    "sys.argv = ['knowwho', *sys.argv[1:]]\n"
    "try:\n    main()\n"
    "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n"
)


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


def process_benchmark(db: Path, runs: int, *, meaning: bool) -> None:
    """Each run in its own process: with meaning (the model loaded, texts embedded) or words alone (the baseline)."""
    env = {**os.environ, "KNOWWHO_MEANING": "on" if meaning else "off"}
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", PEAK, "intros", "--limit", "10", "--json", "--db", str(db)],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
        if done.returncode:
            raise SystemExit(done.stderr)
        peaks.append(float(done.stderr.strip().splitlines()[-1]))
    answer = json.loads(done.stdout)
    print(f"knowwho intros ({answer['matched_by']}), 100,000-person demo: {', '.join(f'{t:.2f}' for t in times)} s "
          f"(best {min(times):.2f} s, target < {TARGET_S:g} s); peak memory {max(peaks):.0f} MB (target < {TARGET_MB} MB)")  # fmt: skip
    for s in answer["suggestions"][:3]:
        print(f"  {s['person_a']} / {s['person_b']}: {s['reason']}")


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
    process_benchmark(args.db, args.runs, meaning=False)
    process_benchmark(args.db, args.runs, meaning=True)
    sample_benchmark(args.db, args.sample)


if __name__ == "__main__":
    main()
