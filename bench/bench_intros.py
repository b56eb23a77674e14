"""Benchmark: introduction suggestions on the 100,000-person demo, beside a naive all-pairs baseline.

1. `knowwho intros` as a whole process on the 100,000-person demo (built with
   `knowwho demo --people 100000` if missing; about 4% of people have a
   situation, 3% needs, 3% offers), by words alone (the baseline,
   KNOWWHO_MEANING=off), by meaning and words (the comparison of the texts
   kept by the previous run, and again with it dropped, as when a text
   changed: kept vectors, no model), taking turns: wall and CPU
   time of each of --runs runs, the peak resident memory of each process, and
   the load average. With --before SRC, an earlier version (its `src` folder,
   say from `git archive`) takes its turn too.
2. The same matching on a 5,000-person sample (the first 5,000 contacts with
   a situation, needs or offers; their three texts as one document): the
   inverted index knowwho uses (a common term pairs only its 100 strongest
   ties) beside a naive loop scoring every pair. Both must find the same best
   score.

Run: python bench/bench_intros.py [--db bench/data/intros-100000-seed1.db] [--runs 3] [--sample 5000] [--before SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

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


def one_run(
    db: Path, *, meaning: bool, source: Path | None, forget: bool = False
) -> tuple[float, float, float, dict[str, Any]]:
    """`knowwho intros` as its own process: wall s, CPU s (user + sys), peak resident MB, and its answer.

    With `forget` the comparisons kept by earlier runs are dropped first, as when a text changed (the vectors stay).
    """
    if forget:
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM settings WHERE key LIKE 'cache.meaning.matches.%'")
    env = {**os.environ, "KNOWWHO_MEANING": "on" if meaning else "off"}
    if source is not None:  # an earlier version's `src` folder, imported before the installed one
        env["PYTHONPATH"] = str(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, "intros", "--limit", "10", "--json", "--db", str(db)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(done.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, float(done.stderr.strip().splitlines()[-1]), json.loads(done.stdout)


def process_benchmark(db: Path, runs: int, before: Path | None) -> None:
    """Each run in its own process, the variants taking turns: words alone (KNOWWHO_MEANING=off), meaning and
    words, and with --before the same by an earlier version's source."""
    variants = {
        "words alone": (False, None, False),
        "meaning and words": (True, None, False),
        "meaning and words, a text changed (comparison not kept)": (True, None, True),
    }
    if before is not None:
        variants["meaning and words, before"] = (True, before, False)
    measured: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    answers: dict[str, dict[str, Any]] = {}
    for _ in range(runs):
        for name, (meaning, source, forget) in variants.items():
            wall, cpu, peak, answers[name] = one_run(db, meaning=meaning, source=source, forget=forget)
            measured[name].append((wall, cpu, peak))
    for name, rows in measured.items():
        walls, cpus = (", ".join(f"{row[n]:.2f}" for row in rows) for n in (0, 1))
        print(f"knowwho intros, {name} ({answers[name]['matched_by']}): wall {walls} s, CPU {cpus} s, "
              f"peak {max(row[2] for row in rows):.0f} MB (targets < {TARGET_S:g} s, < {TARGET_MB} MB)")  # fmt: skip
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for s in answers["meaning and words"]["suggestions"][:3]:
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
    parser.add_argument("--before", type=Path, help="an earlier version's src folder, measured in turn (git archive)")
    args = parser.parse_args()
    ensure_db(args.db)
    process_benchmark(args.db, args.runs, args.before)
    sample_benchmark(args.db, args.sample)


if __name__ == "__main__":
    main()
