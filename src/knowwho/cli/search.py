"""Finding people: `find` searches everything you wrote; `people` lists them with filters and sort orders."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, current_organization, marked_text, person_dict

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.storage.records import PersonRecord

SORT_HELP = "name, recent (last spoke), strength, added (newest), overdue (to keep in touch)."


@app.command(rich_help_panel=PEOPLE)
def find(
    query: Annotated[
        str, typer.Argument(help="Words to look for: names, emails, job titles, organizations, tags, notes.")
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="At most this many people.")] = 30,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search people by name, email, organization, tag or note.

    Past conversations are searched too; when nobody matches, close names are suggested.
    `knowwho people` lists everyone.
    """
    if not query.strip():
        from knowwho.errors import InvalidInput

        raise InvalidInput("find: give words to look for, e.g. `knowwho find ana`; `knowwho people` lists everyone")
    kw = open_app(db)
    result = kw.search.find(query, limit=limit)
    if as_json:
        print_json({
            "query": query,
            "hits": [{**person_dict(h.person), "matched": h.matched.as_dict()} for h in result.hits],
            "suggestions": [_suggestion_dict(p) for p in result.suggestions],
        })  # fmt: skip
        return
    if not result.hits:
        console.print(_nobody(query, result.suggestions), markup=False)
        raise typer.Exit(1)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("#", "name", "now", "matched"):
        table.add_column(column)
    for hit in result.hits:
        person = hit.person
        table.add_row(str(person.id), Text(person.display_name), Text(current_organization(person)),
                      marked_text(hit.matched))  # fmt: skip
    console.print(table)


def _nobody(query: str, suggestions: list[PersonRecord]) -> str:
    message = f"Nobody matches {query.strip()!r}."
    if suggestions:
        names = [f"{p.display_name} (#{p.id})" for p in suggestions]
        message += " Did you mean " + (", ".join(names[:-1]) + " or " if len(names) > 1 else "") + names[-1] + "?"
    return message


def _suggestion_dict(person: PersonRecord) -> dict[str, Any]:
    return {"id": person.id, "name": person.display_name, "organization": current_organization(person)}


@app.command(rich_help_panel=PEOPLE)
def people(
    ctx: typer.Context,
    tag: Annotated[str, typer.Option("--tag", "-t", help="Only people with this tag.")] = "",
    org: Annotated[str, typer.Option("--org", help="Only people working there now (a name or #id).")] = "",
    tier: Annotated[
        str, typer.Option("--tier", help="Only ties of this strength: strong, moderate, weak, dormant.")
    ] = "",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only people overdue to keep in touch.")] = False,
    everyone: Annotated[bool, typer.Option("--everyone", help="Include people known only through others.")] = False,
    sort: Annotated[str, typer.Option("--sort", help=SORT_HELP)] = "name",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many people.")] = 30,
    cursor: Annotated[
        str, typer.Option("--cursor", help="Where the next page starts (the last page's hint, or its next_cursor).")
    ] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List people, filtered and sorted as on the People page.

    Filter by tag, organization, tie strength or overdue contact; sort by name, last spoke, strength, newest
    or most overdue; page with --limit and --cursor.
    """
    from knowwho.services.browse import BrowseQuery, BrowseService

    kw = open_app(db)
    organization_id = _organization_id(kw, org) if org.strip() else None
    query = BrowseQuery(tag=tag, organization_id=organization_id, tier=tier.strip().lower(), overdue=overdue,
                        everyone=everyone, sort=sort.strip().lower(), cursor=cursor, limit=limit)  # fmt: skip
    page = BrowseService(kw.ctx, kw.search).long_page(query)
    if as_json:
        print_json({"people": [person_dict(p) for p in page.people], "total": page.total,
                    "next_cursor": page.next_cursor})  # fmt: skip
        return
    if not page.people:
        if not (tag or org or tier or overdue):
            console.print("No people yet: `knowwho add NAME`, `knowwho import FILE` or `knowwho demo`.", markup=False)
            return
        console.print("Nobody matches these filters.")
        raise typer.Exit(1)
    _print_people(page.people, today=kw.ctx.today())
    if page.next_cursor:
        shown = f"{len(page.people)}{' more' if cursor else ''} of {page.total:,} people"
        next_page = _next_page(ctx, page.next_cursor)
        console.print(f"{shown} · next: {next_page}", style="dim", markup=False, soft_wrap=True)  # one line to copy


def _next_page(ctx: typer.Context, cursor: str) -> str:
    """The command that prints the next page: this one with the same options, from `cursor`."""
    import shlex

    words = ctx.command_path.split()
    for param in ctx.command.params:
        value = ctx.params[param.name or ""]
        if param.param_type_name == "option" and param.name not in ("cursor", "as_json") and value != param.default:
            words += [param.opts[0]] if value is True else [param.opts[0], str(value)]
    return shlex.join([*words, "--cursor", cursor])


def _organization_id(kw: Knowwho, ref: str) -> int:
    return kw.organizations.resolve(ref.strip()).id


def _print_people(found: list[PersonRecord], *, today: date) -> None:
    from rich.table import Table

    from knowwho.services.tie_strength import tier_of
    from knowwho.wording import days_ago

    table = Table(box=None, pad_edge=False)
    for column in ("#", "name", "now", "tie", "last spoke", "tags"):
        table.add_column(column)
    for p in found:
        last = days_ago((today - _day(p.last_interaction_at)).days) if p.last_interaction_at else "never"
        table.add_row(str(p.id), Text(p.display_name), Text(current_organization(p)), tier_of(p.tie_strength),
                      last, Text(", ".join(p.tags[:4])))  # fmt: skip
    console.print(table)


def _day(stamp: str) -> date:
    return date.fromisoformat(stamp[:10])
