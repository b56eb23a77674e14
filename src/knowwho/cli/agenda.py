"""Today's list and acting on it: today, done, snooze, dismiss."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

NumberArg = Annotated[int, typer.Argument(help="The number of the item in the last `knowwho today` listing.")]


@app.command()
def today(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many actions.")] = 20,
) -> None:
    """What to do today: replies owed, follow-ups, thank-yous, keep-in-touch, re-engage."""
    kw = open_app(db)
    agenda = kw.agenda.today(limit=limit)
    if as_json:
        print_json([item.to_dict() for item in agenda.items])
        return
    if not agenda.items:
        console.print("Nothing to do today. Add people with `knowwho add`, or explore with `knowwho demo`.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column("action", style="cyan")
    table.add_column("person")
    table.add_column("why", overflow="fold")
    for item in agenda.items:
        table.add_row(str(item.number), item.action, item.person, item.reason)
    console.print(table)
    more = f"  ({agenda.more} more; --limit to see them)" if agenda.more else ""
    console.print(f"[dim]knowwho done N · snooze N WHEN · dismiss N{more}[/dim]")


@app.command()
def done(number: NumberArg, db: DbOption = None) -> None:
    """Mark an item of today's list as done."""
    kw = open_app(db)
    key, label = kw.agenda.listed(number)
    kw.agenda.done(key)
    console.print(f"Done: {label}.")


@app.command()
def dismiss(number: NumberArg, db: DbOption = None) -> None:
    """Drop an item of today's list without doing it."""
    kw = open_app(db)
    key, label = kw.agenda.listed(number)
    kw.agenda.dismiss(key)
    console.print(f"Dismissed: {label}.")


@app.command()
def snooze(
    number: NumberArg,
    when: Annotated[str, typer.Argument(help="Until when: tomorrow, 'in 3 days', 'next monday'.")],
    db: DbOption = None,
) -> None:
    """Hide an item of today's list until a later day."""
    from knowwho.dates import parse_day

    kw = open_app(db)
    key, label = kw.agenda.listed(number)
    until = parse_day(when, now=kw.ctx.now())
    kw.agenda.snooze(key, until)
    console.print(f"Snoozed until {until}: {label}.")
