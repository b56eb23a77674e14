"""Commands about introductions and sharing: intros, intro, share, shared."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import NETWORK, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, print_item

if TYPE_CHECKING:
    from knowwho.services.intros.service import Introduction

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]


@app.command(rich_help_panel=NETWORK)
def intros(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500, help="At most this many pairs.")] = 10,
    dormant: Annotated[bool, typer.Option("--dormant", help="Include people you barely know (dormant ties).")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pairs of your contacts worth introducing, best first, each with its reason (matched by meaning and words)."""
    from rich.markup import escape

    kw = open_app(db)
    found = kw.intros.suggestions(limit=limit, include_dormant=dormant)
    why_none = "" if found else kw.intros.why_none()
    if as_json:
        print_json(
            {"matched_by": kw.intros.matched_by(), "suggestions": [s.to_dict() for s in found], "why_none": why_none}
        )
        return
    if not found:
        console.print(f"No introductions to suggest: {escape(why_none)}.")
        return
    for number, s in enumerate(found, 1):
        pair = f"[bold]{escape(s.person_a)}[/bold] (#{s.person_a_id}) ↔ [bold]{escape(s.person_b)}[/bold] (#{s.person_b_id})"
        print_item(number, f"{pair}  [dim]score {s.score:.2f}[/dim]", s.reason)
    console.print("[dim]Start one with `knowwho intro A B`: it drafts the message asking each.[/dim]")
    if kw.intros.matched_by() == "words":
        console.print("[dim]Matched by words alone: the meaning extra (pip install '.[meaning]') adds meaning.[/dim]")


@app.command(rich_help_panel=NETWORK)
def intro(
    first: Annotated[str | None, typer.Argument(help="Person A (or an introduction's number, with --stage).")] = None,
    second: Annotated[str | None, typer.Argument(help="Person B.")] = None,
    note: Annotated[str, typer.Option("--note", help="Why they should meet (else the suggestion's reason).")] = "",
    stage: Annotated[
        str | None, typer.Option("--stage", help="Move introduction ID on: asked-a, asked-b, made or declined.")
    ] = None,
    show_list: Annotated[bool, typer.Option("--list", help="List the open introductions.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Introduce two people with a double opt-in: ask each first, then introduce them (`--stage made`)."""
    from knowwho.errors import InvalidInput
    from knowwho.services.normalize import record_id

    kw = open_app(db)
    if show_list or first is None:
        listing = kw.intros.listing(open_only=True)
        if as_json:
            print_json([i.to_dict() for i in listing])
        else:
            _print_list(listing)
        return
    if stage is not None:
        number = record_id(first, bare=True)
        if second is not None or number is None:
            raise InvalidInput("--stage takes one introduction number: knowwho intro 3 --stage made")
        done = kw.intros.set_stage(number, stage)
    else:
        if second is None:
            raise InvalidInput("name two people (knowwho intro A B), or an introduction's number with --stage")
        done = kw.intros.introduce(kw.people.resolve_id(first), kw.people.resolve_id(second), note=note)
    if as_json:
        print_json(done.to_dict())
        return
    _print_intro(done)


def _print_intro(i: Introduction) -> None:
    from rich.markup import escape

    console.print(
        f"Introduction #{i.id}: [bold]{escape(i.person_a)}[/bold] ↔ [bold]{escape(i.person_b)}[/bold] — {i.stage}"
    )
    if i.reason:
        console.print(f"  {escape(i.reason)}")
    if i.stage in ("suggested", "asked-a", "asked-b"):
        console.print(f"\n[bold]Ask {escape(i.person_a)}:[/bold]\n{escape(i.drafts['a'])}")
        console.print(f"\n[bold]Ask {escape(i.person_b)}:[/bold]\n{escape(i.drafts['b'])}")
        console.print(f"\n[dim]Then: knowwho intro {i.id} --stage asked-a / asked-b / made / declined[/dim]")
    elif i.stage == "made":
        console.print(f"\n[bold]The introduction:[/bold]\n{escape(i.drafts['made'])}")
        console.print("[dim]Logged as an intro with both, and in your ledger as given.[/dim]")


def _print_list(listing: list[Introduction]) -> None:
    from rich.markup import escape

    if not listing:
        console.print("No open introductions. `knowwho intros` suggests some.")
        return
    for i in listing:
        console.print(f"#{i.id} {escape(i.person_a)} ↔ {escape(i.person_b)} — {i.stage} [dim]{escape(i.reason)}[/dim]")


@app.command(rich_help_panel=NETWORK)
def share(
    url: Annotated[str, typer.Argument(help="The link to share (or '' with --title for something without one).")],
    title: Annotated[str, typer.Option("--title", help="Its title (else taken from the link).")] = "",
    tags: Annotated[list[str] | None, typer.Option("--tag", help="A topic; repeat for several.")] = None,
    summary: Annotated[str, typer.Option("--summary", help="A line about it.")] = "",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="At most this many people.")] = 10,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Keep an article or link to share, and see which contacts it fits, best first."""
    from rich.markup import escape

    kw = open_app(db)
    item = kw.sharing.add(url, title=title, tags=tags or [], summary=summary)
    fits = kw.sharing.fits(item.id, limit=limit)
    if as_json:
        print_json({"item": item.to_dict(), "fits": [f.to_dict() for f in fits]})
        return
    console.print(f"Item #{item.id}: {escape(item.title)}")
    if not fits:
        console.print("Nobody it clearly fits yet (people's situations, needs and tags decide).")
        return
    for number, fit in enumerate(fits, 1):
        console.print(f"{number:>2}. {escape(fit.name)} (#{fit.person_id})  [dim]{escape(fit.why)}[/dim]")
    console.print(f"[dim]Sent it? knowwho shared {item.id} NAME...[/dim]")


@app.command(rich_help_panel=NETWORK)
def shared(
    item_id: Annotated[int, typer.Argument(help="The item's number (from `knowwho share`).")],
    people: Annotated[list[str], typer.Argument(help="Who you sent it to.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log an item sent: an outbound message to each person (it keeps you in touch) and a 'gave' entry."""
    from rich.markup import escape

    kw = open_app(db)
    ids = [kw.people.resolve_id(p) for p in people]
    names = kw.sharing.shared(item_id, ids)
    if as_json:
        print_json({"item_id": item_id, "person_ids": ids, "names": names})
        return
    console.print(f"Logged #{item_id} sent to {escape(', '.join(names))}.")
