"""Commands about people: add, show, edit, log, followup, cadence, rm (`find` and `people` are in search.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, person_dict, person_line

KIND_HELP = "email, call, message, meeting, coffee, interview, informational-interview, event, intro."
BIRTHDAY_HELP = "Their birthday: 1990-03-14, 'March 14' or --03-14 without the year."
PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]


@app.command(rich_help_panel=PEOPLE)
def add(
    name: Annotated[str, typer.Argument(help="Their name, e.g. 'Ana Lima'.")],
    email: Annotated[list[str] | None, typer.Option("--email", "-e", help="An email address (repeatable).")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", "-p", help="A phone number (repeatable).")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Where they work now.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Their job title there.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).")] = None,
    met: Annotated[
        str,
        typer.Option("--met", help="How or where you met (--met-on says when), or when: --met today, --met yesterday."),
    ] = "",
    met_on: Annotated[str | None, typer.Option("--met-on", help="When you met, if not today.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="A first note about them.")] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="A profile URL (repeatable).")] = None,
    closeness: Annotated[int | None, typer.Option("--closeness", min=1, max=5, help="How close, 1-5.")] = None,
    birthday: Annotated[str | None, typer.Option("--birthday", help=BIRTHDAY_HELP)] = None,
    merge: Annotated[
        bool, typer.Option("--merge", help="If their email or profile URL is known, add these details to that person.")
    ] = False,
    via: Annotated[str | None, typer.Option("--via", help="Someone you don't know yourself: who knows them.")] = None,
    how: Annotated[str, typer.Option("--how", help="With --via: how they know them ('her aunt').")] = "",
    referred_by: Annotated[
        str | None, typer.Option("--referred-by", help="Who sent you to them; plans reaching out in 3 days.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a person you know or just met (someone whose email or profile URL is known is refused: see --merge)."""
    import sys

    from knowwho.dates import date_word, parse_day

    kw = open_app(db)
    if referred_by:  # a lead: remembered with who sent the user, on both people
        from knowwho.cli.outreach import add_lead

        return add_lead(kw, name, referred_by=referred_by, as_json=as_json, organization=org, title=title,
                        emails=email, links=link, tags=tag, note=note)  # fmt: skip
    if via:  # known through a contact: kept apart from your own contacts
        person = kw.network.add_through(name, via=kw.people.resolve_id(via), how=how, organization=org, title=title,
                                        tags=tag)  # fmt: skip
        if as_json:
            return print_json(person_dict(person))
        return console.print(f"Added #{person.id} {person_line(person)}, known through {via}", markup=False)
    first_met = parse_day(met_on, now=kw.ctx.now()).isoformat() if met_on else None
    met_day = date_word(met, now=kw.ctx.now()) if met and not met_on else None
    if met_day is not None:  # `--met yesterday` says when, not where
        first_met, met = met_day.isoformat(), ""
    known = kw.people.known_matches(email or [], link or []) if merge else []
    likely = [] if known else kw.people.likely_matches(name, emails=email, links=link, organization=org or "")
    person = kw.people.add(
        name, emails=email, phones=phone, organization=org, title=title, tags=tag, how_met=met,
        first_met_on=first_met, note=note, links=link, closeness=closeness, birthday=birthday,
        on_match="merge" if merge else "refuse",
    )  # fmt: skip
    for match in likely:  # added all the same: a warning, with the way to merge if it is them
        sys.stderr.write(
            f"knowwho: #{person.id} may be #{match.person_id} {match.name} ({', '.join(match.evidence)}); "
            f"if so: knowwho merge '#{match.person_id}' '#{person.id}'\n"
        )
    sys.stderr.flush()
    if as_json:
        print_json(person_dict(person))
    elif known:
        console.print(f"Added to #{person.id} {person_line(person)} (already known by {known[0].key})", markup=False)
    else:
        console.print(f"Added #{person.id} {person_line(person)}", markup=False)


@app.command(rich_help_panel=PEOPLE)
def show(person: PersonArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show a person: roles, contact details, tie strength, timeline, notes and follow-ups."""
    from knowwho.cli.network import acquaintance_dict, print_knows
    from knowwho.cli.outreach import referral_lines
    from knowwho.cli.person_view import render_detail

    kw = open_app(db)
    detail = kw.people.detail(kw.people.resolve_id(person))
    if as_json:
        data = person_dict(detail.person)
        data["birthday"] = detail.person.birthday
        data["tie"] = {"score": detail.tie.score, "tier": detail.tie.tier, "parts": detail.tie.parts}
        data["interactions"] = [
            {"id": i.id, "at": i.occurred_at, "kind": i.kind, "direction": i.direction, "subject": i.subject,
             "notes": i.notes}
            for i in detail.interactions
        ]  # fmt: skip
        data["notes"] = [{"id": n.id, "at": n.created_at, "body": n.body} for n in detail.notes]
        data["followups"] = [{"id": f.id, "due_on": f.due_on, "note": f.note} for f in detail.followups]
        data["referrals"] = referral_lines(kw, detail.person.id)
        data["knows"] = [acquaintance_dict(a) for a in kw.network.acquaintances(detail.person.id)]
        print_json(data)
    else:
        render_detail(detail, today=kw.ctx.today())
        for line in referral_lines(kw, detail.person.id):
            console.print(f"  {line}", markup=False)
        print_knows(kw, detail.person.id)


@app.command(rich_help_panel=PEOPLE)
def edit(
    person: PersonArg,
    name: Annotated[str | None, typer.Option("--name", help="A new display name.")] = None,
    add_email: Annotated[list[str] | None, typer.Option("--email", help="Add an email.")] = None,
    remove_email: Annotated[list[str] | None, typer.Option("--remove-email", help="Remove an email.")] = None,
    add_phone: Annotated[list[str] | None, typer.Option("--phone", help="Add a phone.")] = None,
    remove_phone: Annotated[list[str] | None, typer.Option("--remove-phone", help="Remove a phone.")] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag.")] = None,
    remove_tag: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.")] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="Add a profile URL.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="They moved: their new organization.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Their (new) title.")] = None,
    location: Annotated[str | None, typer.Option("--location")] = None,
    situation: Annotated[str | None, typer.Option("--situation", help="What they are going through now.")] = None,
    needs: Annotated[str | None, typer.Option("--needs", help="What they are looking for.")] = None,
    offers: Annotated[str | None, typer.Option("--offers", help="What they can help others with.")] = None,
    met: Annotated[str | None, typer.Option("--met", help="How you met.")] = None,
    closeness: Annotated[int | None, typer.Option("--closeness", min=1, max=5, help="How close, 1-5.")] = None,
    advocate: Annotated[bool | None, typer.Option("--advocate/--no-advocate", help="Would vouch for you.")] = None,
    birthday: Annotated[str | None, typer.Option("--birthday", help=BIRTHDAY_HELP + " 'none' clears it.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change what you know about a person (undo with `knowwho undo`)."""
    from knowwho.services.people import PersonChanges

    kw = open_app(db)
    changes = PersonChanges(
        name=name, location=location, situation=situation, needs=needs, offers=offers, how_met=met,
        closeness=closeness, is_advocate=advocate, organization=org, title=title, birthday=birthday,
        add_emails=add_email or [], remove_emails=remove_email or [], add_phones=add_phone or [],
        remove_phones=remove_phone or [], add_tags=add_tag or [], remove_tags=remove_tag or [], add_links=link or [],
    )  # fmt: skip
    updated = kw.people.edit(kw.people.resolve_id(person), changes)
    if as_json:
        print_json(person_dict(updated))
    else:
        console.print(f"Updated #{updated.id} {person_line(updated)}", markup=False)


@app.command(rich_help_panel=PEOPLE)
def log(
    person: Annotated[list[str] | None, typer.Argument(help="Who (one or more names, emails or #ids).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=KIND_HELP)] = None,
    direction: Annotated[str | None, typer.Option("--direction", "-d", help="in, out or mutual.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="When: 2026-03-14, yesterday, '3 days ago'.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="What you talked about.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="A subject line.")] = None,
    opp: Annotated[int | None, typer.Option("--opp", help="The opportunity it is about (an interview...).")] = None,
    did: Annotated[str, typer.Option("--did", help="Informational interview: what they do.")] = "",
    advice: Annotated[str, typer.Option("--advice", help="Informational interview: their advice.")] = "",
    learned: Annotated[
        str, typer.Option("--learned", help="Informational interview: what you learned ('not for me' too).")
    ] = "",
    next_people: Annotated[
        list[str] | None, typer.Option("--next", help="Informational interview: whom to talk to next (repeatable).")
    ] = None,
    edit_id: Annotated[
        int | None, typer.Option("--edit", help="Correct logged conversation #ID (numbers from `show`) instead.")
    ] = None,
    missed: Annotated[
        bool, typer.Option("--missed", help="A call of theirs you missed (or a voicemail): a call back is owed.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log a conversation: an email, a call, a coffee, an interview... (`--edit ID` corrects one)."""
    from knowwho.dates import parse_when
    from knowwho.errors import InvalidInput

    kw = open_app(db)
    if edit_id is not None:
        from knowwho.cli.timeline import edit_logged

        if person:
            raise InvalidInput("--edit: give no person; the conversation keeps its people")
        extra = [name for name, given in (("--opp", opp is not None), ("--did", did), ("--advice", advice),
                                          ("--learned", learned), ("--next", next_people)) if given]  # fmt: skip
        if extra:
            raise InvalidInput(f"--edit corrects --kind, --date, --note, --subject or --direction, not {extra[0]}; "
                               "log a new conversation for that")  # fmt: skip
        edit_logged(kw, edit_id, kind=kind, direction=direction, date=date, note=note, subject=subject, as_json=as_json)
        return
    if not person:
        raise InvalidInput("log: say with whom (a name, an email or #id)")
    if kind is None:
        raise InvalidInput(f"log: give --kind: {KIND_HELP}")
    ids = [kw.people.resolve_id(p) for p in person]
    when = parse_when(date, now=kw.ctx.now()) if date else None
    from knowwho.cli.outreach import InterviewNotes, log_structured

    notes = InterviewNotes(did=did, advice=advice, learned=learned, talk_to=next_people or [], note=note or "")
    if missed and (opp is not None or not notes.is_empty()):
        raise InvalidInput("--missed logs a call that did not take place: no --opp or interview notes")
    if log_structured(kw, ids, kind=kind, opp=opp, notes=notes, when=when, direction=direction,
                      subject=subject or "", as_json=as_json):  # fmt: skip
        return
    done = kw.interactions.log(
        ids, kind=kind, direction=direction, when=when, note=note or "", subject=subject or "", missed=missed
    )  # fmt: skip
    if as_json:
        print_json({"id": done.id, "at": done.occurred_at, "kind": done.kind, "direction": done.direction,
                    "people": done.participant_ids})  # fmt: skip
    else:
        names = ", ".join(p.display_name for p in kw.people.get_many(ids))
        console.print(
            f"Logged {done.kind} ({done.direction}) with {names} at {done.occurred_at[:16]} UTC", markup=False
        )


@app.command(rich_help_panel=PEOPLE)
def note(
    person: Annotated[str | None, typer.Argument(help="A name, part of a name, an email, or #id.")] = None,
    text: Annotated[str | None, typer.Argument(help="The note.")] = None,
    edit_id: Annotated[int | None, typer.Option("--edit", help="Rewrite note #ID (numbers from `show`).")] = None,
    delete_id: Annotated[int | None, typer.Option("--delete", help="Delete note #ID (undo with `undo`).")] = None,
    db: DbOption = None,
) -> None:
    """Add a note to a person (what you learned: culture, needs, family...); `--edit ID` / `--delete ID` fix one."""
    from knowwho.errors import InvalidInput

    kw = open_app(db)
    if edit_id is not None or delete_id is not None:
        from knowwho.cli.timeline import fix_note

        fix_note(kw, person=person, text=text, edit=edit_id, delete=delete_id)
        return
    if person is None or text is None:
        raise InvalidInput("note: give the person and the note, e.g. knowwho note ana 'moving to Berlin'")
    pid = kw.people.resolve_id(person)
    kw.interactions.add_note(pid, text)
    console.print(f"Noted on {kw.people.get(pid).display_name}.", markup=False)


@app.command(rich_help_panel=PEOPLE)
def followup(
    person: PersonArg,
    when: Annotated[str, typer.Argument(help="When: 'in 2 weeks', 'next tuesday', 2026-12-01.")],
    note: Annotated[str, typer.Option("--note", "-n", help="What to do.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan a follow-up with a person."""
    from knowwho.dates import parse_day

    kw = open_app(db)
    pid = kw.people.resolve_id(person)
    created = kw.followups.add(pid, parse_day(when, now=kw.ctx.now()), note=note)
    if as_json:
        print_json({"id": created.id, "person_id": pid, "due_on": created.due_on, "note": created.note})
    else:
        console.print(f"Follow-up with {kw.people.get(pid).display_name} on {created.due_on}.", markup=False)


@app.command(rich_help_panel=PEOPLE)
def cadence(
    person: PersonArg,
    every: Annotated[str, typer.Argument(help="How often to keep in touch: 30d, 6w, 3m, 1y, or none.")],
    db: DbOption = None,
) -> None:
    """Set how often you want to keep in touch with a person."""
    from knowwho.dates import parse_duration_days

    kw = open_app(db)
    days = parse_duration_days(every)
    updated = kw.people.set_cadence(kw.people.resolve_id(person), days)
    what = f"every {days} days" if days else "no keep-in-touch reminders"
    console.print(f"{updated.display_name}: {what}.", markup=False)


@app.command(rich_help_panel=PEOPLE)
def rm(person: PersonArg, db: DbOption = None) -> None:
    """Remove a person (undo with `knowwho undo`)."""
    kw = open_app(db)
    removed = kw.people.remove(kw.people.resolve_id(person))
    console.print(f"Removed {removed.display_name}. `knowwho undo` brings them back.", markup=False)
