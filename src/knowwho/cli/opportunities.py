"""`knowwho opp`: job opportunities by stage, with the people in each (interviewing is networking)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from knowwho.cli.app import CAREER, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.services.opportunities import Card

opp_app = typer.Typer(
    help="Job opportunities: add one, move it through its stages, see them all.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(opp_app, name="opp", rich_help_panel=CAREER)

STAGE_HELP = "exploring, applied, interviewing, offer, accepted, rejected or withdrawn."
PERSON_HELP = (
    "PERSON:PART, e.g. 'Ana Lima:referrer' (parts: referrer, recruiter, interviewer, hiring-manager); repeatable."
)
IdArg = Annotated[int, typer.Argument(help="The opportunity's number (from `knowwho opps`).", min=1)]


@opp_app.command("add")
def add(
    org: Annotated[str, typer.Argument(help="The organization (created if new).")],
    role: Annotated[str, typer.Argument(help="The role, e.g. 'Data scientist'.")],
    person: Annotated[list[str] | None, typer.Option("--person", "-p", help=PERSON_HELP)] = None,
    link: Annotated[str, typer.Option("--link", help="The job posting's URL.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an opportunity you are exploring (undo with `knowwho undo`)."""
    kw = open_app(db)
    people = [_person_part(kw, text) for text in person or []]
    card = kw.opportunities.add(org, role, people=people, link=link)
    if as_json:
        return print_json(card.to_dict())
    console.print(f"Added opportunity #{card.opportunity.id}: {escape(card.title)} (exploring)")
    _people_lines(card)


@opp_app.command("move")
def move(
    opportunity: IdArg,
    stage: Annotated[str, typer.Argument(help=STAGE_HELP)],
    date: Annotated[str | None, typer.Option("--date", help="When it happened, if not today.")] = None,
    reengage: Annotated[
        str | None,
        typer.Option("--reengage", help="With rejected or withdrawn: get back in touch after this long (default 6m)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move an opportunity to a stage; a rejection or a withdrawal plans getting back in touch months later."""
    from knowwho.dates import parse_day, parse_duration_days
    from knowwho.errors import InvalidInput

    kw = open_app(db)
    days = parse_duration_days(reengage) if reengage else None
    if reengage and days is None:
        raise InvalidInput("--reengage: give a duration such as 4m or 90d")
    on = parse_day(date, now=kw.ctx.now()) if date else None
    card = kw.opportunities.move(opportunity, stage, on=on, reengage_days=days)
    if as_json:
        return print_json(card.to_dict())
    console.print(f"#{card.opportunity.id} {escape(card.title)}: {card.opportunity.stage}")
    console.print(f"  next: {escape(card.next_action)}", markup=False)


@opp_app.command("list")
@app.command("opps", rich_help_panel=CAREER)
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every opportunity with its stage, people and next action."""
    kw = open_app(db)
    cards = kw.opportunities.cards()
    if as_json:
        return print_json([c.to_dict() for c in cards])
    if not cards:
        console.print("No opportunities yet. Add one: knowwho opp add ORG ROLE --person 'NAME:referrer'", markup=False)
        return
    table = Table(box=None, pad_edge=False)
    for column in ("#", "stage", "opportunity", "people", "next"):
        table.add_column(column)
    for card in cards:
        people = ", ".join(f"{m.name} ({m.part})" for m in card.people)
        table.add_row(
            str(card.opportunity.id), card.opportunity.stage, escape(card.title), escape(people),
            escape(card.next_action),
        )  # fmt: skip
    console.print(table)


@opp_app.command("show")
def show(opportunity: IdArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One opportunity: its people, its conversations and, once closed, the re-engage note."""
    kw = open_app(db)
    detail = kw.opportunities.detail(opportunity)
    o = detail.card.opportunity
    draft = kw.outreach.reengage_draft(o.id) if o.stage in ("rejected", "withdrawn") else None
    if as_json:
        data = detail.card.to_dict()
        data["interactions"] = [
            {"id": i.id, "at": i.occurred_at, "kind": i.kind, "subject": i.subject, "notes": i.notes,
             "people": [detail.names.get(p, "") for p in i.participant_ids]}
            for i in detail.interactions
        ]  # fmt: skip
        data["reengage_draft"] = {"to": draft.to, "subject": draft.subject, "body": draft.body} if draft else None
        return print_json(data)
    console.print(f"[bold]{escape(detail.card.title)}[/bold]  #{o.id}  ·  {o.stage}")
    facts = [("link", o.link), ("opened", o.opened_on or ""), ("closed", o.closed_on or ""),
             ("re-engage", o.reengage_on or ""), ("next", detail.card.next_action)]  # fmt: skip
    for label, value in facts:
        if value:
            console.print(f"  [dim]{label:9}[/dim] {escape(value)}")
    _people_lines(detail.card)
    if detail.interactions:
        console.print("\n[bold]Conversations[/bold]")
        for i in detail.interactions:
            who = ", ".join(detail.names.get(p, "") for p in i.participant_ids)
            text = " — ".join(x for x in (i.subject, i.notes) if x)
            console.print(f"  {i.occurred_at[:10]}  {i.kind} with {who}{'  ' + text if text else ''}", markup=False)
    if draft:
        console.print(f"\n[bold]Re-engage note[/bold] (due {escape(o.reengage_on or '')})")
        console.print(f"Subject: {draft.subject}\n\n{draft.body}", markup=False)


def _people_lines(card: Card) -> None:
    for m in card.people:
        console.print(f"  {m.part:15} {m.name}  #{m.person_id}", markup=False)


def _person_part(kw: Knowwho, text: str) -> tuple[int, str]:
    """'Ana Lima:referrer' -> (Ana's id, 'referrer'); a name without a part is a contact."""
    from knowwho.services.opportunities import check_part

    name, sep, part = text.rpartition(":")
    if not sep:
        name, part = text, "contact"
    return kw.people.resolve_id(name), check_part(part)
