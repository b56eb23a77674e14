"""Benchmark: `knowwho import linkedin` of a generated 30,000-connection Connections.csv.

Generates bench/data/linkedin-<N>/Connections.csv (with the "Notes:" preamble
real exports start with, a profile URL for everyone, an email for one in
five, a few thousand companies) unless it is already there, then measures in
the same run, on the same (page-cached) file:

1. the whole `knowwho import linkedin` command (start-up, parse and store into a fresh database), as a subprocess;
2. the baseline: the standard library's `csv.DictReader` parse alone of the same file.

Target: the whole import under 3 s. Prints both figures and their ratio.

Run: .venv/bin/python bench/bench_linkedin.py [--connections 30000] [--regenerate] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
TARGET_SECONDS = 3.0
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    'their email address using this setting https://www.linkedin.com/psettings/privacy/email."\n\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
_FIRST = ("Ana Ben Chloé Dmitri Emma Farid Grace Hiro Inès Jonas Kofi Lena Marta Nils Olga Pavel Quinn Rosa Sven "  # noqa: SIM905
          "Tariq Uma Vera Wen Ximena Yusuf Zoë Laura Matthew Nathan Caroline").split()  # fmt: skip
_LAST = ("Almeida Brandt Castillo Dubois Eriksen Fischer García Haddad Ivanova Jensen Kowalski Lindqvist Müller "  # noqa: SIM905
         "Novak Okafor Petrov Quispe Rossi Schmidt Tanaka Urban Varga Weber Yilmaz Zhang Cooper").split()  # fmt: skip
_TITLES = ("Software Engineer", "Staff Engineer", "Product Manager", "Data Scientist", "Recruiter", "Designer",
           "Engineering Manager", "Postdoctoral Researcher", "Consultant", "Founder")  # fmt: skip


def generate(path: Path, count: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    companies = [
        f"{rng.choice(_LAST)} {rng.choice(('Labs', 'Inc.', 'GmbH', 'Systems', 'Partners'))} {i}" for i in range(3000)
    ]
    start = date(2008, 1, 1)
    buffer = io.StringIO()
    buffer.write(PREAMBLE)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for n in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        slug = f"{first}-{last}-{n:x}".lower().encode("ascii", "ignore").decode()
        email = f"{slug}@example.com" if rng.random() < 0.2 else ""
        connected = start + timedelta(days=n * 6000 // count)
        writer.writerow([first, last, f"https://www.linkedin.com/in/{slug}", email, rng.choice(companies),
                         rng.choice(_TITLES), connected.strftime("%d %b %Y")])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


def time_import(csv_path: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of the whole `knowwho import linkedin` process into a fresh database, and its summary.

    CPU time (user + system of the child) is printed beside wall time: on a
    busy machine the wall clock also counts time spent waiting for a CPU.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        command = [sys.executable, "-m", "knowwho", "import", "linkedin", str(csv_path), "--db", str(db)]
        cpu_before = _children_cpu()
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - began
        cpu = _children_cpu() - cpu_before
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, cpu, done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_dictreader(csv_path: Path) -> float:
    """Seconds for csv.DictReader to read every row of the same file (after skipping the preamble)."""
    began = time.perf_counter()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        for line in handle:
            if line.startswith("First Name,"):
                break
        header = next(csv.reader([line]))
        rows = sum(1 for _ in csv.DictReader(handle, fieldnames=header))
    elapsed = time.perf_counter() - began
    assert rows > 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs of each")
    args = parser.parse_args()
    path = DATA / f"linkedin-{args.connections}" / "Connections.csv"
    if args.regenerate or not path.exists():
        generate(path, args.connections)
    time_dictreader(path)  # warm the page cache
    imports = [time_import(path) for _ in range(args.runs)]
    whole, cpu, summary = min(imports)
    parse = min(time_dictreader(path) for _ in range(args.runs))
    load = os.getloadavg()[0]
    print(f"{args.connections:,} connections ({path.stat().st_size / 1e6:.1f} MB), best of {args.runs}, "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"  knowwho import linkedin (whole process): {whole:6.2f} s wall, {cpu:.2f} s CPU  "
          f"({args.connections / whole:,.0f} connections/s)  target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if whole < TARGET_SECONDS else 'MISSED'}")  # fmt: skip
    print(f"  csv.DictReader parse alone (baseline):   {parse:6.2f} s  ({args.connections / parse:,.0f} rows/s)")
    print(f"  ratio whole import / parse alone: {whole / parse:.1f}x")
    print(f"  import said: {summary}")


if __name__ == "__main__":
    main()
