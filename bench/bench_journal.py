"""Benchmark: what keeping an import undoable costs, and what undoing it takes.

Imports the same generated mbox (bench_mail's generator) into two fresh
databases in this process: once as knowwho does (the whole import one
journaled change), once with the journal switched off for the run (the
baseline), then undoes the journaled import. Prints each time and the ratios (medians of
`--runs`, in alternating order so that both meet the same load).

Run: make bench, or .venv/bin/python bench/bench_journal.py [--messages 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent))

from bench_mail import DATA, ME, generate
from knowwho.core import Knowwho
from knowwho.services.imports import run_import
from knowwho.storage.database import Database


@contextlib.contextmanager
def _not_journaled(self: Database, description: str, now: str) -> Iterator[int]:
    yield 0


def timed_import(mbox: Path, db: Path, *, journaled: bool) -> tuple[float, Knowwho]:
    kw = Knowwho.open(db)
    patch = contextlib.nullcontext() if journaled else mock.patch.object(Database, "journaled", _not_journaled)
    with patch:
        start = time.perf_counter()
        run_import(kw, "mail", mbox, me=[ME])
        return time.perf_counter() - start, kw


def one_round(mbox: Path) -> tuple[float, float, float, int, int]:
    """(import without the journal, journaled import, undo of it) in seconds, rows journaled, conversations left."""
    with tempfile.TemporaryDirectory() as folder:
        base, plain = timed_import(mbox, Path(folder) / "plain.db", journaled=False)
        plain.close()
        took, kw = timed_import(mbox, Path(folder) / "journaled.db", journaled=True)
        rows = kw.history.recent(limit=1)[0].rows
        start = time.perf_counter()
        kw.history.undo()
        undo = time.perf_counter() - start
        left = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
        kw.close()
    return base, took, undo, rows, left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    mbox = DATA / f"mail-{args.messages}.mbox"
    if not mbox.exists():
        generate(mbox, args.messages)
    rounds = [one_round(mbox) for _ in range(args.runs)]
    base, took, undo = (statistics.median(r[i] for r in rounds) for i in range(3))
    rows, left = rounds[-1][3], rounds[-1][4]
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.runs}")
    print(f"import mail, {args.messages:,} messages: journaled {took:.2f} s, without the journal {base:.2f} s "
          f"(ratio {took / base:.2f}); {rows:,} rows journaled")  # fmt: skip
    print(f"undo of that import: {undo:.2f} s, {undo / took:.2f}x the import ({left} conversations left)")


if __name__ == "__main__":
    main()
