"""What changed and taking it back: history, undo."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console


@app.command(rich_help_panel=PEOPLE)
def history(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many changes.")] = 20,
) -> None:
    """The latest changes, newest first; `knowwho undo ID` takes one of them back."""
    from dataclasses import asdict

    from rich.markup import escape

    from knowwho.wording import moment_ago

    kw = open_app(db)
    changes = kw.history.recent(limit=limit)
    if as_json:
        print_json([asdict(change) for change in changes])
        return
    if not changes:
        console.print("No changes yet.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column("when", style="dim")
    table.add_column("change", overflow="fold")
    now = kw.ctx.now()
    for change in changes:
        what = escape(change.description) + (" [dim](undone)[/dim]" if change.undone_at else "")
        table.add_row(str(change.id), moment_ago(change.created_at, now), what)
    console.print(table)


@app.command(rich_help_panel=PEOPLE)
def undo(
    change: Annotated[
        int | None, typer.Argument(help="The # of a change in `knowwho history` (default: the latest).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Undo the latest change of any kind, or change ID when nothing done since depends on it."""
    from rich.markup import escape

    kw = open_app(db)
    console.print(f"Undid: {escape(kw.history.undo(change))}.")
