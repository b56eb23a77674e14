"""The `knowwho` command line: thin commands over the service layer."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from knowwho.cli.app import app, exit_status, run

    sys.exit(exit_status(lambda: run(app, argv)))
