"""You: `me` (profile, emails, updates, jobs), `me set` and `me update TEXT`; `me role` lives with the network commands."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import DbOption, JsonOption, open_app, print_json
from knowwho.cli.network import job_dict, me_app
from knowwho.cli.render import console

NAME_HINT = 'Set your name for the sign-off of drafts: knowwho me set --name "Your Name"'


@me_app.callback(
    invoke_without_command=True, no_args_is_help=False,
    help="You: your profile, emails, updates and jobs. Updates feed your keep-in-touch and re-engage drafts.",
)  # fmt: skip
def me(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rich.markup import escape

    kw = open_app(db)
    profile = kw.me.profile()
    roles = kw.network.my_roles()
    if as_json:
        print_json(profile.to_dict() | {"roles": [job_dict(r) for r in roles]})
        return
    console.print(
        f"[bold]{escape(profile.name or 'You')}[/bold]" + (f" · {escape(profile.headline)}" if profile.headline else "")
    )
    if not profile.name:
        console.print(NAME_HINT, markup=False, highlight=False)
    if profile.emails:
        console.print("Emails: " + escape(", ".join(profile.emails)))
    for r in roles:
        what = f"{r.title} at {r.organization}" if r.title else f"at {r.organization}"
        console.print(
            "Job: " + escape(what + (" (now)" if r.is_current else f" {r.start_on or '?'}–{r.end_on or '?'}"))
        )
    if profile.interests:
        console.print("Interests: " + escape(profile.interests))
    if profile.targets:
        console.print("Targets: " + escape(profile.targets))
    if not profile.updates:
        console.print('No updates yet: `knowwho me update "gave a talk on search at PyData"`.')
        return
    console.print("[bold]Updates[/bold]")
    for u in profile.updates:
        tags = f" [dim]#{' #'.join(u.tags)}[/dim]" if u.tags else ""
        console.print(f"  {u.happened_on}  {escape(u.title)}{tags}")


@me_app.command("set")
def me_set(
    name: Annotated[str | None, typer.Option("--name", help="Your name: it signs your drafts.")] = None,
    headline: Annotated[
        str | None, typer.Option("--headline", help="One line: 'Data scientist moving into climate tech'.")
    ] = None,
    interests: Annotated[
        str | None, typer.Option("--interests", help="What you care about: 'search, climate'.")
    ] = None,
    targets: Annotated[
        str | None, typer.Option("--targets", help="Where you want to go: organizations, roles.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set your name, headline, interests or targets (an option left out stays as it is; `knowwho undo` takes it back)."""
    from rich.markup import escape

    from knowwho.errors import InvalidInput

    if name is None and headline is None and interests is None and targets is None:
        raise InvalidInput("say what to set: --name, --headline, --interests or --targets")
    profile = open_app(db).me.set_profile(name=name, headline=headline, interests=interests, targets=targets)
    if as_json:
        print_json({"name": profile.name, "headline": profile.headline, "interests": profile.interests,
                    "targets": profile.targets})  # fmt: skip
        return
    console.print("Saved your profile:")
    for label, text in (("Name", profile.name), ("Headline", profile.headline), ("Interests", profile.interests),
                        ("Targets", profile.targets)):  # fmt: skip
        console.print(f"  {label}: " + (escape(text) if text else "[dim]—[/dim]"))


@me_app.command("update")
def me_update(
    text: Annotated[str, typer.Argument(help="What you did: 'gave a talk on search at PyData Berlin'.")],
    when: Annotated[str | None, typer.Option("--date", help="When (default today): 2026-11-02, 'last friday'.")] = None,
    tags: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable): talk, skill, project.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record something you did: it goes into "here's what I've been up to" drafts."""
    from rich.markup import escape

    from knowwho.dates import parse_day

    kw = open_app(db)
    day = parse_day(when, now=kw.ctx.now()) if when else None
    update = kw.me.add_update(text, on=day, tags=tags or [])
    if as_json:
        print_json({"id": update.id, "date": update.happened_on, "text": update.title, "tags": update.tags})
        return
    console.print(f"Noted for {update.happened_on}: {escape(update.title)}.")
