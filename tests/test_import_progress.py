"""The import progress line counts what a person reads: megabytes and their rate, or records."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from knowwho.cli.imports import _progress_columns


def _line(kind: str, done: int, total: int) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with Progress(*_progress_columns(kind), console=console, transient=False, auto_refresh=False) as bar:
        bar.update(bar.add_task("importing", total=total), completed=done)
    return out.getvalue()


def test_mail_progress_is_in_megabytes_not_raw_bytes() -> None:
    line = _line("mail", 9_437_184, 233_578_974)
    assert "9.4/233.6 MB" in line and "9437184" not in line


def test_contact_progress_counts_records() -> None:
    assert "1200/30000 records" in _line("csv", 1200, 30000)
