"""Today's list and acting on it: today, done, snooze, dismiss."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import DAILY, DbOption, JsonOption, app, open_app, print_json

if TYPE_CHECKING:
    from knowwho.cli.plain import Terminal
    from knowwho.core import Knowwho
    from knowwho.services.agenda import Agenda

NumberArg = Annotated[int, typer.Argument(help="The number of the item in the last `knowwho today` listing.")]
EVERYTHING = 1_000_000_000


@app.command(rich_help_panel=DAILY)
def today(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="The first N actions of all, in order.")
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every action, not just today's share.")] = False,
) -> None:
    """What to do today: replies owed, follow-ups, thank-yous, birthdays, re-engage, keep in touch."""
    kw = open_app(db)
    agenda = kw.agenda.today(limit=EVERYTHING if show_all else limit)
    if as_json:
        print_json([item.to_dict() for item in agenda.items])
        return
    show_agenda(kw, agenda)


def show_agenda(kw: Knowwho, agenda: Agenda) -> None:
    """The listing, in plain text (`cli.plain`): the command run most starts without loading Rich."""
    from knowwho.cli.plain import BOLD, CYAN, DIM, Terminal
    from knowwho.services.agenda_reasons import counted

    out = Terminal.detect()
    progress = kw.goals.progress()
    if progress is not None:
        out.line(progress.line(), BOLD)
    if not agenda.items:
        _say_nothing_to_do(out, kw.people.count())
        return
    rows = [(str(item.number or ""), item.action, item.person, item.reason) for item in agenda.items]
    out.table(("#", "action", "person", "why"), rows, styles=(BOLD, CYAN, "", ""), right=(0,))
    if not all(item.number for item in agenda.items):
        out.line("Another program is writing to the database: the new items get their numbers "
                 "when you run `knowwho today` once it has finished.", DIM)  # fmt: skip
    if agenda.more:
        shown = len(agenda.items)
        out.line(f"{agenda.more:,} more: {counted(agenda.rest)} · `knowwho today --all` or `--limit {shown + 20}`")
    if any(item.default_cadence for item in agenda.items):
        out.line("Keep in touch on a default cadence: set your own with `knowwho cadence NAME 60d`.", DIM)
    out.line("knowwho done N (logs the conversation; --kind call, --note, --no-log) · snooze N WHEN · dismiss N", DIM)


def _say_nothing_to_do(out: Terminal, people: int) -> None:
    """An empty list: a welcome with no one recorded yet, else why nothing is due and what fills the list."""
    if not people:
        out.line("Nothing to do today. Add people with `knowwho add`, or explore with `knowwho demo`.")
        return
    out.line("Nothing to do today: no replies owed, no follow-ups due, nobody overdue for a catch-up.")
    out.line(
        "Had a conversation? `knowwho log NAME`. Replies owed come from mail you import or sync "
        "(`knowwho import mail`, `knowwho sync`); `knowwho cadence NAME 60d` sets whom to keep up with; "
        "`knowwho target ORG` offers someone to ask there, one a day."
    )


@app.command(rich_help_panel=DAILY)
def done(
    number: NumberArg,
    db: DbOption = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="The conversation to log: email, message, call, coffee, meeting...")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="A note on the logged conversation.")] = "",
    no_log: Annotated[bool, typer.Option("--no-log", help="Only mark it done; log no conversation.")] = False,
) -> None:
    """Mark an item of today's list as done; a conversation (a reply, a catch-up...) is logged with it."""
    from rich.markup import escape

    from knowwho.cli.render import console

    kw = open_app(db)
    key, _label = kw.agenda.listed(number)
    did = kw.agenda.done(key, log=not no_log, kind=kind, note=note)
    console.print(escape(did[:1].upper() + did[1:] + "."))


@app.command(rich_help_panel=DAILY)
def dismiss(number: NumberArg, db: DbOption = None) -> None:
    """Drop an item of today's list without doing it."""
    from rich.markup import escape

    from knowwho.cli.render import console

    kw = open_app(db)
    key, label = kw.agenda.listed(number)
    kw.agenda.dismiss(key)
    console.print(f"Dismissed: {escape(label)}.")


@app.command(rich_help_panel=DAILY)
def snooze(
    number: NumberArg,
    when: Annotated[str, typer.Argument(help="Until when: tomorrow, 'in 3 days', 'next monday'.")],
    db: DbOption = None,
) -> None:
    """Hide an item of today's list until a later day."""
    from rich.markup import escape

    from knowwho.cli.render import console
    from knowwho.dates import parse_day

    kw = open_app(db)
    key, label = kw.agenda.listed(number)
    until = parse_day(when, now=kw.ctx.now())
    kw.agenda.snooze(key, until)
    console.print(f"Snoozed until {until}: {escape(label)}.")
