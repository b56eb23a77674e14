"""Commands about who knows whom: knows, role, me role, path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import CAREER, NETWORK, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console, print_item

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.services.network import Acquaintance, Stint
    from knowwho.services.paths.service import PathAnswer
    from knowwho.storage.records import RoleRecord

PersonArg = Annotated[str, typer.Argument(help="A name, part of a name, an email, or #id.")]
OrgArg = Annotated[str, typer.Argument(help="The organization's name (created if new).")]
TitleOption = Annotated[str, typer.Option("--title", help="The job title.")]
FromOption = Annotated[str | None, typer.Option("--from", help="When it began: 2019, 2019-05 or 2019-05-14.")]
ToOption = Annotated[str | None, typer.Option("--to", help="When it ended (leave out for a current job).")]

me_app = typer.Typer(help="What you record about yourself: your own jobs.", no_args_is_help=True)
app.add_typer(me_app, name="me", rich_help_panel=CAREER)


@app.command(rich_help_panel=NETWORK)
def knows(
    person_a: PersonArg,
    person_b: PersonArg,
    how: Annotated[str, typer.Option("--how", help="How they know each other: 'her aunt', 'college friends'.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that two people know each other (used to find warm paths)."""
    from rich.markup import escape

    kw = open_app(db)
    a, b = kw.people.resolve_id(person_a), kw.people.resolve_id(person_b)
    new = kw.network.knows(a, b, how=how)
    names = [p.display_name for p in kw.people.get_many([a, b])]
    if as_json:
        print_json({"person_a": a, "person_b": b, "how": how.strip(), "new": new})
        return
    said = "Recorded" if new else "Already recorded"
    console.print(
        f"{said}: {escape(names[0])} knows {escape(names[1])}"
        + (f" ({escape(how.strip())})" if how.strip() else "")
        + "."
    )


@app.command(rich_help_panel=NETWORK)
def role(
    person: PersonArg,
    organization: OrgArg,
    title: TitleOption = "",
    start: FromOption = None,
    end: ToOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a job of a person, current or past (colleagues at the same time are found from it)."""
    from rich.markup import escape

    kw = open_app(db)
    pid = kw.people.resolve_id(person)
    recorded = kw.network.add_role(pid, organization, title=title, start=start, end=end)
    if as_json:
        print_json({"person_id": pid, **job_dict(recorded)})
        return
    name = kw.people.get(pid).display_name
    console.print(f"{escape(name)}: {escape(_job_words(recorded))}.")


@me_app.command("role")
def my_role(
    organization: OrgArg,
    title: TitleOption = "",
    start: FromOption = None,
    end: ToOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record one of your own jobs: people who worked there with you become warm paths."""
    from rich.markup import escape

    kw = open_app(db)
    recorded = kw.network.add_my_role(organization, title=title, start=start, end=end)
    if as_json:
        print_json(job_dict(recorded))
        return
    console.print(f"You: {escape(_job_words(recorded))}.")


@me_app.command("roles")
def my_roles(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List your own jobs, current first."""
    from rich.markup import escape

    kw = open_app(db)
    roles = kw.network.my_roles()
    if as_json:
        print_json([job_dict(r) for r in roles])
        return
    if not roles:
        console.print("No jobs of yours recorded yet: `knowwho me role ORG --title T --from 2019`.")
        return
    for r in roles:
        console.print(escape(_job_words(r)))


@app.command(rich_help_panel=NETWORK)
def path(
    org: Annotated[str | None, typer.Option("--org", help="An organization to get into.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="A person to reach.")] = None,
    field: Annotated[str | None, typer.Option("--field", help="A field: a title, tag, offer or note ('data').")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", "-k", min=1, max=50, help="At most this many routes.")] = 5,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Warm paths: who you know who can get you into an organization, or to a person or a field."""
    from knowwho.services.paths.service import answer_dict

    kw = open_app(db)
    answer = kw.paths.find(organization=org, person=person, field_text=field, limit=limit)
    if as_json:
        print_json(answer_dict(answer))
        return
    _print_routes(answer)


def _print_routes(answer: PathAnswer) -> None:
    from rich.markup import escape

    target = escape(answer.target.name)
    if not answer.routes:
        from knowwho.errors import NotFound

        raise NotFound(
            f"no route to {answer.target.name} within three steps; record who knows whom (`knowwho knows A B`) "
            "and people's jobs (`knowwho role`) to find one"
        )
    console.print(f"[bold]Routes to {target}[/bold], best first:")
    for number, route in enumerate(answer.routes, 1):
        chain = " → ".join(f"{escape(s.name)} [dim]({escape(s.tie)})[/dim]" for s in route.steps)
        print_item(number, f"you → {chain}  [dim]score {route.score:.2f}[/dim]", route.why)


def _job_words(job: RoleRecord | Stint) -> str:
    """'Engineer at Globex 2019–2021', 'at Acme since 2024'."""
    what = f"{job.title} at {job.organization}" if job.title else f"at {job.organization}"
    if job.is_current:
        return what + (f" since {job.start_on}" if job.start_on else " now")
    return what + f" {job.start_on or '?'}–{job.end_on or '?'}"


def job_dict(r: RoleRecord | Stint) -> dict[str, object]:
    """A job, mine or a person's, as --json prints it."""
    return {"organization_id": r.organization_id, "organization": r.organization, "title": r.title,
            "start_on": r.start_on, "end_on": r.end_on, "current": r.is_current}  # fmt: skip


def acquaintance_dict(a: Acquaintance) -> dict[str, object]:
    return {"person_id": a.person_id, "name": a.name, "how": a.how, "source": a.source, "confidence": a.confidence}


def print_knows(kw: Knowwho, person_id: int) -> None:
    """One line under `show`: 'knows 3 of your contacts: Ana Lima (colleague at Acme 2019–2021), …'."""
    from knowwho.services.paths.ties import summary

    line = summary(kw.network.acquaintances(person_id))
    if line:
        console.print(f"  {line[:1].upper()}{line[1:]}", markup=False)


@app.command(rich_help_panel=CAREER)
def target(
    organization: Annotated[
        str | None,
        typer.Argument(help="The organization: a name, part of one, or #id. Leave out to list your targets."),
    ] = None,
    interest: Annotated[
        int | None, typer.Option("--interest", min=1, max=5, help="How much you want in: 1 to 5.")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="No longer a target.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark an organization you want to join: today's list then suggests someone there to ask, one a day."""
    from rich.markup import escape

    from knowwho.wording import plural

    kw = open_app(db)
    if organization is None:
        if interest is not None or remove:
            from knowwho.errors import InvalidInput

            raise InvalidInput("say which organization: `knowwho target NAME --interest 4`")
        _print_targets(kw, as_json=as_json)
        return
    org_id = kw.organizations.resolve_id(organization)
    organizations = kw.organizations
    marked = organizations.set_target(org_id, False) if remove else organizations.mark_target(org_id, interest)
    if as_json:
        print_json({"id": marked.id, "name": marked.name, "target": marked.is_target, "interest": marked.interest})
        return
    if remove:
        console.print(f"{escape(marked.name)} is no longer a target.")
        return
    wanted = f" (interest {marked.interest}/5)" if marked.interest else ""
    inside = kw.organizations.people_there_now(marked.id)
    there = (
        f"there now, {plural(inside, 'person', 'people')} on record; today offers one a day to ask"
        if inside
        else "nobody on record works there yet"
    )
    console.print(
        f"{escape(marked.name)} is a target{wanted}: {there}. `knowwho path --org '#{marked.id}'` shows every way in."
    )


def _print_targets(kw: Knowwho, *, as_json: bool) -> None:
    from rich.markup import escape

    from knowwho.wording import plural

    targets = kw.organizations.targets()
    if as_json:
        print_json([{"id": o.id, "name": o.name, "interest": o.interest, "people_now": n} for o, n in targets])
        return
    if not targets:
        console.print("No targets yet: `knowwho target NAME` marks an organization you want to join.")
        return
    for org, inside in targets:
        wanted = f" · interest {org.interest}/5" if org.interest else ""
        console.print(
            f"#{org.id}  {escape(org.name)}  [dim]{plural(inside, 'person', 'people')} there now{wanted}[/dim]"
        )
