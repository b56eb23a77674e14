"""Benchmark: `knowwho today` on the 10,000-person demo, plain and encrypted (SQLCipher), in the same run.

The encrypted database is a copy of bench_today's cached demo, encrypted with
`knowwho encrypt --key-file` (a raw 256-bit key: no key derivation on open).
Runs alternate plain and encrypted, one warm-up each, then the median of
--runs; wall and CPU time of the whole process. Target: encrypted at most
1.3x plain. Also shown: what the keyring costs a process that takes its key
from there (importing `keyring` and choosing its backend), measured alone.

Run: python bench/bench_privacy.py [--people 10000] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_today import BIN, Figures, demo_database, run_once

TARGET_RATIO = 1.3


def encrypted_copy(plain: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of `plain` encrypted with a new key file: (database, key file)."""
    copy, key = folder / "encrypted.db", folder / "encrypted.key"
    shutil.copyfile(plain, copy)
    command = [str(BIN / "knowwho"), "encrypt", "--key-file", str(key), "--db", str(copy)]
    subprocess.run(command, check=True, capture_output=True)
    return copy, key


def alternate(plain: list[str], encrypted: list[str], runs: int) -> tuple[Figures, Figures]:
    """Both commands, in turns, so that both meet the same load on a shared machine."""
    run_once(plain), run_once(encrypted)  # warm-up: page cache, .pyc files
    pairs = [(run_once(plain), run_once(encrypted)) for _ in range(runs)]
    return Figures([p for p, _ in pairs]), Figures([e for _, e in pairs])


def keyring_costs(runs: int = 7) -> tuple[float, float]:
    """CPU a process spends finding the keyring's backend, as knowwho loads it and as keyring does by itself
    (alternated), less an empty interpreter's."""
    ours = "from knowwho.services.keyrings import keyring_module; keyring_module().get_keyring()"
    theirs = "import keyring; keyring.get_keyring()"
    cpu: dict[str, list[float]] = {ours: [], theirs: [], "pass": []}
    for _ in range(runs):
        for code, figures in cpu.items():
            figures.append(run_once([sys.executable, "-c", code]).cpu)
    empty = statistics.median(cpu["pass"])
    return statistics.median(cpu[ours]) - empty, statistics.median(cpu[theirs]) - empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    plain = demo_database(args.people, args.seed, rebuild=False)
    with tempfile.TemporaryDirectory() as folder:
        encrypted, key = encrypted_copy(plain, Path(folder))
        today = [str(BIN / "knowwho"), "today"]
        os.environ["KNOWWHO_KEY_FILE"] = str(key)  # the plain run ignores it: it never looks for a key
        plain_figures, encrypted_figures = alternate(
            [*today, "--db", str(plain)], [*today, "--db", str(encrypted)], args.runs
        )
    keyring_cost, raw_keyring_cost = keyring_costs()
    ratio_wall = encrypted_figures.wall / plain_figures.wall
    ratio_cpu = encrypted_figures.cpu / plain_figures.cpu
    print(f"\n`knowwho today`, {args.people:,} people, median of {args.runs} (wall, cpu):")
    print(f"  plain      {plain_figures.wall:.3f} s ({plain_figures.cpu:.3f} s)  runs {plain_figures.spread()}")
    print(
        f"  encrypted  {encrypted_figures.wall:.3f} s ({encrypted_figures.cpu:.3f} s)  runs {encrypted_figures.spread()}"
    )
    print(f"  ratio      {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x cpu  (target <= {TARGET_RATIO}x)")
    print(
        f"  a key from the keyring adds about {keyring_cost * 1000:.0f} ms of CPU (importing keyring, its backend; "
        f"{raw_keyring_cost * 1000:.0f} ms as keyring loads by itself, same runs)"
    )
    ok = ratio_cpu <= TARGET_RATIO
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
