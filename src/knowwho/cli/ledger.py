"""Commands about give and take: gave, got, advocates."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import NETWORK, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]
WhatArg = Annotated[str, typer.Argument(help="What it was: 'an intro to Raj', 'feedback on my CV'.")]
KindOption = Annotated[str, typer.Option("--kind", help="intro, article, reference, advice or referral.")]


def _record(person: str, what: str, kind: str, direction: str, db: DbOption, as_json: bool) -> None:
    from dataclasses import asdict

    from rich.markup import escape

    kw = open_app(db)
    pid = kw.people.resolve_id(person)
    entry = kw.ledger.record(pid, direction, what, kind=kind)
    balance = kw.ledger.balance(pid, limit=0)
    if as_json:
        print_json({**asdict(entry), "given": balance.given, "received": balance.received})
        return
    name = kw.people.get(pid).display_name
    verb = "Gave" if direction == "gave" else "Got from"
    console.print(f"{verb} {escape(name)}: {entry.what}, {escape(entry.note)}. With {escape(name)} {balance.words}.")


@app.command(rich_help_panel=NETWORK)
def gave(
    person: PersonArg, what: WhatArg, kind: KindOption = "advice", db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Record something you gave someone (an intro, an article, a reference, advice, a referral)."""
    _record(person, what, kind, "gave", db, as_json)


@app.command(rich_help_panel=NETWORK)
def got(
    person: PersonArg, what: WhatArg, kind: KindOption = "advice", db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Record something someone gave you; today suggests giving back where you got much and gave little."""
    _record(person, what, kind, "received", db, as_json)


@app.command(rich_help_panel=NETWORK)
def advocates(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Who would vouch for you, for what, when you last asked each, and when they last heard from you."""
    from rich.markup import escape
    from rich.table import Table

    kw = open_app(db)
    found = kw.ledger.advocates()
    if as_json:
        print_json([a.to_dict() for a in found])
        return
    if not found:
        console.print(
            "Nobody marked as an advocate yet: `knowwho edit NAME --advocate` for someone who would vouch for you."
        )
        return
    table = Table(box=None)
    for column in ("person", "for what", "last asked", "last heard from you"):
        table.add_column(column)
    for a in found:
        table.add_row(escape(a.name), escape(a.for_what), a.last_asked_on or "never", a.last_heard_from_you or "never")
    console.print(table)
