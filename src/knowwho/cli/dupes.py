"""`knowwho dupes` and `knowwho merge A B`: people recorded twice, and making them one (or keeping them apart)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knowwho.cli.app import FILES, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, person_line

if TYPE_CHECKING:
    from knowwho.storage.records import PersonRecord

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]


@app.command(rich_help_panel=FILES)
def dupes(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many pairs.")] = 50,
    different: Annotated[
        tuple[str, str] | None,
        typer.Option("--not", help="Two people who are NOT the same person: never propose them again (undoable)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List people who may be recorded twice, side by side with the evidence; merge with `knowwho merge`."""
    from rich.markup import escape
    from rich.table import Table

    kw = open_app(db)
    if different:
        a, b = kw.duplicates.mark_different(*(kw.people.resolve_id(ref) for ref in different))
        if as_json:
            print_json({"different": [a.id, b.id]})
        else:
            console.print(f"#{a.id} {a.display_name} and #{b.id} {b.display_name} are different "
                          "people: they will not be proposed again (undo: `knowwho undo`).", markup=False)  # fmt: skip
        return
    pairs = kw.duplicates.candidates(limit=limit)
    if as_json:
        print_json([
            {"keep": _side_dict(p.keep_id, p.keep_name, p.keep), "other": _side_dict(p.other_id, p.other_name, p.other),
             "score": p.score, "evidence": p.evidence, "merge": f"knowwho merge '#{p.keep_id}' '#{p.other_id}'",
             "not": f"knowwho dupes --not '#{p.keep_id}' '#{p.other_id}'"}
            for p in pairs
        ])  # fmt: skip
        return
    if not pairs:
        console.print("No likely duplicates.")
        return
    today = kw.ctx.today()
    table = Table("score", "keep", "merge into it", "evidence", box=None, pad_edge=False, show_lines=True)
    for p in pairs:
        table.add_row(f"{p.score:.2f}", escape(_side_text(p.keep_id, p.keep_name, p.keep, today)),
                      escape(_side_text(p.other_id, p.other_name, p.other, today)), escape("; ".join(p.evidence)))  # fmt: skip
    console.print(table)
    first = pairs[0]
    console.print(
        f"Merge a pair with e.g. `knowwho merge '#{first.keep_id}' '#{first.other_id}'`, or keep them apart with "
        f"`knowwho dupes --not '#{first.keep_id}' '#{first.other_id}'` (undo: `knowwho undo`).",
        markup=False,
    )


def _side_text(pid: int, name: str, person: PersonRecord | None, today: date) -> str:
    """One record as lines: name, emails, phones, organizations, last contact and conversations."""
    from knowwho.wording import days_ago, plural

    lines = [f"#{pid} {name}"]
    if person is None:
        return lines[0]
    lines += [", ".join(person.emails)] if person.emails else []
    lines += [", ".join(person.phones)] if person.phones else []
    lines += [(f"{r.title} at " if r.title else "") + r.organization + ("" if r.is_current else " (before)")
              for r in person.roles]  # fmt: skip
    last = person.last_interaction_at
    spoke = f"last spoke {days_ago((today - date.fromisoformat(last[:10])).days)}" if last else "never spoke"
    lines.append(f"{spoke} · {plural(person.interaction_count, 'conversation')}")
    return "\n".join(lines)


def _side_dict(pid: int, name: str, person: PersonRecord | None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": pid, "name": name}
    if person is not None:
        data.update(
            emails=person.emails, phones=person.phones,
            organizations=[{"name": r.organization, "title": r.title, "current": r.is_current} for r in person.roles],
            last_contact=person.last_interaction_at, conversations=person.interaction_count,
        )  # fmt: skip
    return data


@app.command(rich_help_panel=FILES)
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
