"""`knowwho dupes` and `knowwho merge A B`: people recorded twice, and making them one."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, person_line

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]


@app.command()
def dupes(
    limit: Annotated[int, typer.Option("--limit", help="At most this many pairs.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List people who may be recorded twice, with a score and the evidence; merge with `knowwho merge`."""
    from rich.table import Table

    kw = open_app(db)
    pairs = kw.duplicates.candidates(limit=limit)
    if as_json:
        print_json([
            {"keep": {"id": p.keep_id, "name": p.keep_name}, "other": {"id": p.other_id, "name": p.other_name},
             "score": p.score, "evidence": p.evidence, "merge": f"knowwho merge '#{p.keep_id}' '#{p.other_id}'"}
            for p in pairs
        ])  # fmt: skip
        return
    if not pairs:
        console.print("No likely duplicates.")
        return
    table = Table("score", "keep", "merge into it", "evidence", box=None, pad_edge=False)
    for p in pairs:
        table.add_row(f"{p.score:.2f}", f"#{p.keep_id} {p.keep_name}", f"#{p.other_id} {p.other_name}",
                      "; ".join(p.evidence))  # fmt: skip
    console.print(table)
    first = pairs[0]
    console.print(
        f"Merge a pair with e.g. `knowwho merge '#{first.keep_id}' '#{first.other_id}'` (undo: `knowwho undo`)."
    )


@app.command()
def merge(keep: PersonArg, other: PersonArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Merge OTHER into KEEP: every email, phone, role, note and conversation of both is kept."""
    from knowwho.cli.render import person_dict

    kw = open_app(db)
    keep_id, other_id = kw.people.resolve_id(keep), kw.people.resolve_id(other)
    other_name = kw.people.get(other_id).display_name
    merged = kw.duplicates.merge(keep_id, other_id)
    if as_json:
        print_json(person_dict(merged))
        return
    console.print(f"Merged {other_name} (#{other_id}) into #{merged.id} {person_line(merged)}.", markup=False)
    console.print("`knowwho undo` separates them again.")
