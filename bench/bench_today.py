"""Benchmark: the whole `knowwho today` process on demo networks of 10,000 and 100,000 people.

For each size it builds (once, cached under bench/data/, rebuilt when older
than two days since the demo is relative to "now") a demo database with
`knowwho demo`, then measures in the same run:

1. `knowwho today` as a subprocess of the installed console script: one
   warm-up, then the median of --runs runs; wall time, CPU time (user +
   system: on a busy machine wall time also counts waiting for a CPU) and
   peak resident memory of that process (wait4's rusage);
2. the naive baseline `bench/naive_today.py`, which loads every interaction
   into Python and computes the same reply-owed and keep-in-touch lists;
   measured the same way.

It checks that both produce the same lists, prints both figures, their
ratio, and pass/fail against the targets: under 0.15 s at 10,000 people,
under 0.3 s at 100,000, under 500 MB. With --profile it also shows where
`knowwho today` spends its time (import times and a cProfile of the run).

With --before DIR (a source tree of another version, e.g. an export of the
main branch: `git archive main | tar -x -C DIR`) it also times `today` from
that tree and from this one, in alternating runs of the same command, so
that both see the same machine load.

Each run may write the .pyc files of what it imports, as a user's first run
does (PYTHONDONTWRITEBYTECODE is left out of its environment): otherwise
every run would compile knowwho's modules again.

Run: python bench/bench_today.py [--sizes 10000,100000] [--runs 7] [--seed 1] [--rebuild] [--profile] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
TARGET_SECONDS = {10_000: 0.15, 100_000: 0.3}
TARGET_MIB = 500
MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mib: float


@dataclass(frozen=True)
class Figures:
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(r.rss_mib for r in self.runs)

    def spread(self) -> str:
        walls = sorted(r.wall for r in self.runs)
        return f"{walls[0]:.3f}-{walls[-1]:.3f}"


def run_once(command: list[str], source: Path | None = None) -> Run:
    """Wall time, CPU time and peak RSS of one process (its own rusage, not the sum of all children).

    `source`: run the knowwho of that source tree (on PYTHONPATH) instead of the installed one.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"COLUMNS": "120"}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()}")
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=usage.ru_maxrss / 1024)


def measure(command: list[str], runs: int) -> Figures:
    run_once(command)  # warm-up: page cache, .pyc files
    return Figures([run_once(command) for _ in range(runs)])


def before_and_after(db: Path, before: Path, runs: int) -> None:
    """`today` from another source tree and from this one, in alternating runs: wall, CPU and modules loaded."""
    here = Path(__file__).resolve().parent.parent / "src"
    trees = {"before": before / "src" if (before / "src").is_dir() else before, "now": here}
    command = [sys.executable, "-c", "from knowwho.cli import main; main()", "today", "--db", str(db)]
    for tree in trees.values():
        run_once(command, tree)  # warm-up: page cache, .pyc files
    load = os.getloadavg()[0]
    runs_of: dict[str, list[Run]] = {name: [] for name in trees}
    for _ in range(runs):
        for name, tree in trees.items():
            runs_of[name].append(run_once(command, tree))
    print(f"\n-- before and now, alternating, {runs} runs each, on {db.name} (load average {load:.1f} to "
          f"{os.getloadavg()[0]:.1f}); medians, wall (cpu)")  # fmt: skip
    figures = {name: Figures(r) for name, r in runs_of.items()}
    for name, tree in trees.items():
        f = figures[name]
        print(f"  {name:>6}: {f.wall:.3f} s ({f.cpu:.3f} s), runs {f.spread()} s, {loaded(tree, db)}")
    ratio = figures["now"].cpu / figures["before"].cpu
    print(f"  now / before: {figures['now'].wall / figures['before'].wall:.2f}x wall, {ratio:.2f}x CPU")


def loaded(source: Path, db: Path) -> str:
    """How many modules `today` loads from that source tree (knowwho's own, and all)."""
    script = (
        "import io, sys\nfrom knowwho.cli.app import app, run\nout, sys.stdout = sys.stdout, io.StringIO()\n"
        f"run(app, ['today', '--db', {str(db)!r}])\nsys.stdout = out\n"
        "print(sum(m.startswith('knowwho') for m in sys.modules), len(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(source)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    own, every = result.stdout.split()
    return f"{own} knowwho modules, {every} in all"


def demo_database(people: int, seed: int, rebuild: bool) -> Path:
    """The cached demo database of this size, built with `knowwho demo` when missing or stale."""
    path = DATA / f"today-{people}-seed{seed}.db"
    if path.exists() and not rebuild:
        conn = sqlite3.connect(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()
        finally:
            conn.close()
        made = datetime.fromisoformat(json.loads(row[0])["generated_at"]).replace(tzinfo=UTC) if row else None
        if made and datetime.now(UTC) - made < MAX_AGE:
            return path
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    # A network as busy as the targets say: 100,000 people and about 2,000,000 conversations.
    command = [str(BIN / "knowwho"), "demo", "--people", str(people), "--seed", str(seed), "--busyness", "8"]
    command += ["--db", str(path), "--json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"knowwho demo failed: {result.stderr}")
    summary = json.loads(result.stdout)
    print(
        f"built {path.name}: {summary['people']:,} people, {summary['interactions']:,} interactions "
        f"in {time.perf_counter() - started:.1f} s (whole `knowwho demo` process)",
        flush=True,
    )
    return path


def same_lists(db: Path) -> str:
    """Do `knowwho today` and the baseline agree? (replies owed; the top of keep-in-touch)."""
    app = subprocess.run(
        [str(BIN / "knowwho"), "today", "--json", "--limit", "1000000", "--db", str(db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    items = json.loads(app.stdout)
    naive = json.loads(
        subprocess.run(
            [sys.executable, str(HERE / "naive_today.py"), str(db), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    replies = sorted(i["person"] for i in items if i["action"] == "reply")
    keep = [i["person"] for i in items if i["action"] == "keep-in-touch"][:20]
    names = dict(sqlite3.connect(db).execute("SELECT id, display_name FROM people").fetchall())
    naive_replies = sorted(names[p] for p in naive["reply"])
    naive_keep = [names[p] for p in naive["keep-in-touch"][:20]]
    if replies == naive_replies and keep == naive_keep:
        return f"same lists ({len(replies)} replies owed, {len(naive['keep-in-touch']):,} keep-in-touch)"
    return f"LISTS DIFFER: replies {len(replies)} vs {len(naive_replies)}; keep-in-touch top 20 equal: {keep == naive_keep}"


def stages(db: Path, runs: int) -> None:
    """Whole-process time of growing prefixes of `knowwho today`, so differences show each stage's cost."""
    python = sys.executable
    steps = [
        ("bare python", [python, "-c", "pass"]),
        ("+ import the CLI (typer, click)", [python, "-c", "import knowwho.cli.app"]),
        ("+ the today command module", [python, "-c", "import knowwho.cli.app, knowwho.cli.agenda"]),
        (
            "+ knowwho.core (services load on first use)",
            [python, "-c", "import knowwho.cli.app, knowwho.cli.agenda, knowwho.core"],
        ),
        ("knowwho today --json (no table)", [str(BIN / "knowwho"), "today", "--json", "--db", str(db)]),
        ("knowwho today", [str(BIN / "knowwho"), "today", "--db", str(db)]),
    ]
    print(f"\n-- stages of `knowwho today` on {db.name} (median of {runs}; wall, cpu)")
    for label, command in steps:
        figures = measure(command, runs)
        print(f"  {figures.wall * 1000:6.0f} ms {figures.cpu * 1000:6.0f} ms  {label}")


def profile(db: Path) -> None:
    """Where the time of one `knowwho today` goes: module imports, then the command itself."""
    stages(db, 7)
    print(f"\n-- profile of `knowwho today` on {db.name}")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from knowwho.cli import main; main()", "today", "--db", str(db)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            _, cumulative, name = line.split("|")
            rows.append((int(cumulative), name.rstrip()))
    top_level = [(us, name) for us, name in rows if not name.startswith("  ")]
    print(f"imports: {sum(us for us, _ in top_level) / 1000:.0f} ms in all; largest top-level modules:")
    for us, name in sorted(top_level, reverse=True)[:8]:
        print(f"  {us / 1000:7.1f} ms  {name.strip()}")
    script = (
        "import cProfile, pstats, sys\n"
        "from knowwho.cli.app import app, load_commands, run\n"
        "load_commands(['today'])\n"
        "profiler = cProfile.Profile()\n"
        f"profiler.runcall(run, app, ['today', '--db', {str(db)!r}])\n"
        "pstats.Stats(profiler, stream=sys.stderr).sort_stats('cumulative').print_stats(20)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    print(result.stderr[-7000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="Comma-separated network sizes (people).")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs of `knowwho today` per size.")
    parser.add_argument("--naive-runs", type=int, default=3, help="Timed runs of the baseline per size.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="Regenerate the demo databases.")
    parser.add_argument("--profile", action="store_true", help="Also show where `knowwho today` spends its time.")
    parser.add_argument(
        "--before", type=Path, help="A source tree of another version: time it and this one, alternating."
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    results = []
    for size in sizes:
        db = demo_database(size, args.seed, args.rebuild)
        app = measure([str(BIN / "knowwho"), "today", "--db", str(db)], args.runs)
        naive = measure([sys.executable, str(HERE / "naive_today.py"), str(db)], args.naive_runs)
        results.append((size, app, naive, same_lists(db)))
        if args.profile:
            profile(db)
        if args.before:
            before_and_after(db, args.before, args.runs)
    print(f"\n{'people':>8}  {'knowwho today':>24}  {'naive baseline':>24}  {'ratio':>6}  {'target':>15}  result")
    print(f"{'':>8}  {'wall (cpu) s, peak MiB':>24}  {'wall (cpu) s, peak MiB':>24}")
    failed = False
    for size, app, naive, check in results:
        target = TARGET_SECONDS.get(size, 0.3 if size > 10_000 else 0.15)
        ok = app.wall < target and app.rss_mib < TARGET_MIB
        failed |= not ok
        print(
            f"{size:>8,}  {app.wall:>7.3f} ({app.cpu:.3f}) {app.rss_mib:>6.0f}  "
            f"{naive.wall:>7.3f} ({naive.cpu:.3f}) {naive.rss_mib:>6.0f}  {naive.wall / app.wall:>5.1f}x  "
            f"<{target:g} s, <{TARGET_MIB} MiB  {'PASS' if ok else 'FAIL'}"
        )
        print(f"{'':>8}  runs {app.spread()} s; naive {naive.spread()} s; {check}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
