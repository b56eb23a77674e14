"""Informational interviews: `ask` drafts the request, `brief` prepares the talk."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from knowwho.cli.app import CAREER, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console
from knowwho.services.leads import INFORMATIONAL, InterviewNotes

if TYPE_CHECKING:
    from knowwho.core import Knowwho

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]


@app.command(rich_help_panel=CAREER)
def ask(
    person: PersonArg,
    about: Annotated[
        str, typer.Option("--about", help="What you want to learn, e.g. 'moving from research to data science'.")
    ] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draft a request for an informational interview: 20 minutes to learn, never a job (nothing is logged)."""
    kw = open_app(db)
    draft = kw.outreach.ask(kw.people.resolve_id(person), about=about)
    if as_json:
        return print_json({"to": draft.to, "subject": draft.subject, "body": draft.body, "mailto": draft.mailto})
    to = f"To: {', '.join(draft.to)}\n" if draft.to else ""
    console.print(f"{to}Subject: {draft.subject}\n\n{draft.body}", markup=False)


@app.command(rich_help_panel=CAREER)
def brief(person: PersonArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Before a talk: their roles, notes on them and their organization, shared contacts, past talks, questions."""
    kw = open_app(db)
    found = kw.outreach.brief(kw.people.resolve_id(person))
    if as_json:
        return print_json(found.to_dict())
    p = found.person
    console.print(f"[bold]Brief: {escape(p.display_name)}[/bold]  #{p.id}")
    console.print(f"  {found.found_through}", markup=False)
    _section("Roles", [
        f"{r.title + ' at ' if r.title else ''}{r.organization}{'' if r.is_current else ' (before)'}"
        for r in found.roles
    ])  # fmt: skip
    _section("Notes on them", [f"{n.created_at[:10]}  {n.body}" for n in found.notes])
    _section("Notes on their organization", [f"{org}: {note}" for org, note in found.organization_notes])
    _section("Shared contacts", [f"{a.name} ({a.how})" for a in found.shared])
    _section("Met at the same events", [f"{a.name}: also {a.how}" for a in found.also_met])
    _section("Past conversations", [
        f"{i.occurred_at[:10]}  {i.kind}  {' — '.join(x for x in (i.subject, i.notes) if x)}".rstrip()
        for i in found.conversations
    ])  # fmt: skip
    console.print("\n[bold]Questions[/bold]")
    for topic, questions in found.questions:
        console.print(f"  [italic]{escape(topic)}[/italic]")
        for q in questions:
            console.print(f"    - {q}", markup=False)


def _section(title: str, lines: list[str]) -> None:
    if lines:
        console.print(f"\n[bold]{escape(title)}[/bold]")
        for line in lines:
            console.print(f"  {line}", markup=False)


# -- used by `add --referred-by`, `log --opp/--did/...` and `show` (in people.py) ----------------------------
def add_lead(kw: Knowwho, name: str, *, referred_by: str, as_json: bool, **details: Any) -> None:
    """`knowwho add NAME --referred-by PERSON`: a lead, remembered with who sent the user, and a follow-up."""
    from knowwho.cli.render import person_dict, person_line

    person = kw.outreach.leads.add(name, referred_by=kw.people.resolve_id(referred_by), **details)
    if as_json:
        return print_json(person_dict(person))
    console.print(f"Added #{person.id} {person_line(person)}, {person.how_met}", markup=False)
    console.print(f"  follow-up in 3 days: reach out, mentioning {person.how_met.removeprefix('referred by ')}",
                  markup=False)  # fmt: skip


def log_structured(kw: Knowwho, ids: list[int], *, kind: str, opp: int | None, notes: InterviewNotes,
                   when: datetime | None, direction: str | None, subject: str, as_json: bool) -> bool:  # fmt: skip
    """`log` for an opportunity or with informational-interview notes; False when neither applies."""
    from knowwho.errors import InvalidInput
    from knowwho.services.interactions import check_kind

    kind = check_kind(kind)
    structured = not notes.is_empty()
    if structured and kind != INFORMATIONAL:
        raise InvalidInput("--did, --advice, --learned and --next go with --kind informational-interview")
    if opp is None and not structured:
        return False
    leads: list[str] = []
    if opp is not None:
        if structured:
            raise InvalidInput("--opp: an informational interview is not part of an opportunity; log it without --opp")
        done = kw.opportunities.log(
            opp, ids, kind=kind, direction=direction, when=when, note=notes.note, subject=subject
        )  # fmt: skip
    else:
        logged = kw.outreach.leads.log_informational(ids, notes, when=when, subject=subject, direction=direction)
        done, leads = logged.interaction, [p.display_name for p in logged.leads]
    if as_json:
        print_json({"id": done.id, "at": done.occurred_at, "kind": done.kind, "direction": done.direction,
                    "people": done.participant_ids, "opportunity_id": done.opportunity_id, "notes": done.notes,
                    "leads": leads})  # fmt: skip
        return True
    names = ", ".join(p.display_name for p in kw.people.get_many(ids))
    where = f" for opportunity #{opp}" if opp is not None else ""
    console.print(f"Logged {done.kind} with {names}{where} at {done.occurred_at[:16]} UTC", markup=False)
    for lead in leads:
        console.print(f"  lead: {lead} (reach out in 3 days, mentioning {names})", markup=False)
    if structured:
        console.print("  an update is planned in 6 weeks: “I took your advice…”", markup=False)
    return True


def referral_lines(kw: Knowwho, person_id: int) -> list[str]:
    """Who sent the user to this person, and whom they sent the user to (shown on both people)."""
    lines = []
    for r in kw.outreach.leads.referrals(person_id):
        if r.lead_id == person_id:
            lines.append(f"referred by {r.referrer} (#{r.referrer_id}) on {r.created_at[:10]}")
        else:
            lines.append(f"referred you to {r.lead} (#{r.lead_id}) on {r.created_at[:10]}")
    return lines
