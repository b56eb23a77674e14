"""Run every benchmark in turn (`make bench`); each prints its figures beside its baseline.

The first run builds the demo databases and generated files under bench/data/
(several minutes at 100,000 people); later runs reuse them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = (
    "bench_today.py", "bench_privacy.py", "bench_web.py", "bench_linkedin.py", "bench_mail.py", "bench_journal.py",
)  # fmt: skip


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    print(f"\n{len(BENCHMARKS) - len(failed)} met their targets; missed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
