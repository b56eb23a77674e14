"""What the importer and duplicate tests share: a whole-database snapshot and the CLI as users run it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from knowwho.cli.app import app, run
from knowwho.core import Knowwho

_runner = CliRunner()


def snapshot(kw: Knowwho) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the user's data, to show what a command changed or did not.

    Left out: full-text indexes, the undo journal, the network's change feed and SQLite's own counters.
    """
    conn = kw.db.conn
    tables = [
        r[0]
        for r in conn.execute(
            """SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'
               AND name NOT GLOB 'undo_*' AND name NOT GLOB 'sqlite_*' AND name != 'network_changes' ORDER BY name"""
        )
    ]
    return {t: sorted(tuple(row) for row in conn.execute(f"SELECT * FROM {t}")) for t in tables}


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    """Run a command the way `knowwho` does (same error handling and exit codes), capturing its output."""
    return run_argv([*args, "--db", str(db)])


def run_argv(argv: list[str]) -> tuple[int, str, str]:
    """`knowwho ARGV...` as typed: its exit code, stdout and stderr."""
    with _runner.isolation() as streams:
        code = run(app, argv)
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return code, out, err
