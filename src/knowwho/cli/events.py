"""Conferences and meetups: `events`, `event add|list|show` and `met NAME --at EVENT`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.storage.events import EventRecord

event_app = typer.Typer(
    help="Conferences and meetups, and whom you met at each.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(event_app, name="event", rich_help_panel=PEOPLE)

EventArg = Annotated[str, typer.Argument(help="The event's name, part of it, or #id.")]


@event_app.command("add")
def event_add(
    name: Annotated[str, typer.Argument(help="The event's name: 'RecSys Summit 2026'.")],
    when: Annotated[str, typer.Option("--date", help="When it starts: 2026-11-20, today, 'next friday'.")],
    until: Annotated[str | None, typer.Option("--until", help="Its last day, for an event of several days.")] = None,
    place: Annotated[str, typer.Option("--place", help="Where it is held.")] = "",
    yearly: Annotated[
        bool, typer.Option("--yearly", help="It comes back every year: remind me before the next.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a conference or meetup, to log whom you meet there."""
    from rich.markup import escape

    from knowwho.dates import parse_day

    kw = open_app(db)
    now = kw.ctx.now()
    event = kw.events.add(
        name, starts_on=parse_day(when, now=now), ends_on=parse_day(until, now=now) if until else None,
        place=place, yearly=yearly,
    )  # fmt: skip
    if as_json:
        print_json(_event_dict(event))
        return
    console.print(f"Added #{event.id} {escape(event.name)} ({escape(_when(event))}). "
                  f"Log whom you meet: `knowwho met NAME --at {event.id}`.")  # fmt: skip


@event_app.command("list")
@app.command("events", rich_help_panel=PEOPLE)
def event_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Your events, the latest first, with how many people you met at each."""
    from rich.markup import escape
    from rich.table import Table

    events = open_app(db).events.all()
    if as_json:
        print_json([_event_dict(e) for e in events])
        return
    if not events:
        console.print("No events yet: `knowwho event add NAME --date WHEN`.")
        return
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("#", "event", "when", "place", "met"):
        table.add_column(column, justify="right" if column in ("#", "met") else "left")
    for e in events:
        yearly = " [dim](yearly)[/dim]" if e.recurrence == "yearly" else ""
        table.add_row(str(e.id), escape(e.name) + yearly, _when(e), escape(e.place), str(e.people_count))
    console.print(table)


@event_app.command("show")
def event_show(event: EventArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Everyone you met at an event, with what you noted."""
    from rich.markup import escape

    kw = open_app(db)
    detail = kw.events.detail(kw.events.resolve(event).id)
    if as_json:
        people = [{"person_id": m.person_id, "name": m.name, "note": m.note, "conversations": m.conversations}
                  for m in detail.people]  # fmt: skip
        print_json(_event_dict(detail.event) | {"people": people})
        return
    e = detail.event
    place = f" · {escape(e.place)}" if e.place else ""
    console.print(f"[bold]{escape(e.name)}[/bold] · {_when(e)}{place}")
    if not detail.people:
        console.print(f"Nobody logged yet: `knowwho met NAME --at {e.id}`.")
    for m in detail.people:
        noted = [n for n in [*m.note.splitlines(), *m.conversations] if n.strip()]
        said = f" — {escape('; '.join(dict.fromkeys(noted)))}" if noted else ""
        console.print(f"  #{m.person_id} {escape(m.name)}{said}")


@app.command(rich_help_panel=PEOPLE)
def met(
    name: Annotated[str, typer.Argument(help="Who you met: a name (found if known, else added).")],
    at: Annotated[str, typer.Option("--at", help="The event: its name, part of it, or #id.")],
    email: Annotated[str, typer.Option("--email", help="Their email (an email already known is that person).")] = "",
    org: Annotated[str, typer.Option("--org", help="Their organization.")] = "",
    note: Annotated[str, typer.Option("--note", help="One line to remember them by.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log someone you met at an event: one line per person; a "nice to meet you" comes on today's list."""
    kw = open_app(db)
    _met(kw, name, at=at, email=email, org=org, note=note, as_json=as_json)


def _met(kw: Knowwho, name: str, *, at: str, email: str, org: str, note: str, as_json: bool) -> None:
    from rich.markup import escape

    event = kw.events.resolve(at)
    done = kw.events.met(name, event_id=event.id, email=email, organization=org, note=note)
    if as_json:
        print_json({"person_id": done.person_id, "name": done.name, "new": done.new, "event_id": event.id,
                    "event": event.name, "nice_to_meet": done.nice_to_meet})  # fmt: skip
        return
    who = "Added" if done.new else "Found"
    console.print(f"{who} #{done.person_id} {escape(done.name)}: met at {escape(event.name)}. "
                  f"{done.nice_to_meet_line()}")  # fmt: skip


def _when(event: EventRecord) -> str:
    return event.starts_on + (f" to {event.ends_on}" if event.ends_on and event.ends_on != event.starts_on else "")


def _event_dict(event: EventRecord) -> dict[str, object]:
    return {"id": event.id, "name": event.name, "starts_on": event.starts_on, "ends_on": event.ends_on,
            "place": event.place, "yearly": event.recurrence == "yearly", "series": event.series,
            "people_count": event.people_count}  # fmt: skip
