"""Writing to people: `draft N [--open]`, `templates`, `template list|show|edit NAME`, and the weekly `goal`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import DAILY, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.services.templates import Template

template_app = typer.Typer(
    help="The outreach templates drafts are written from (Jinja2: {{ first }}, {{ updates }}...).",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip
app.add_typer(template_app, name="template", rich_help_panel=DAILY)

TemplateArg = Annotated[str, typer.Argument(help="The template: nice-to-meet, thank-you, keep-in-touch...")]


@app.command(rich_help_panel=DAILY)
def draft(
    number: Annotated[int, typer.Argument(help="The number of the item in the last `knowwho today` listing.")],
    open_it: Annotated[bool, typer.Option("--open", help="Open it in your mail app (a mailto: link).")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the drafted message for an item of today's list (an introduction: the two asking each side, a list
    in --json); nothing is logged until `knowwho done N`."""
    from rich.markup import escape

    from knowwho.services.drafts import for_item

    kw = open_app(db)
    key, _label = kw.agenda.listed(number)
    found = for_item(kw.people, key)
    if open_it:
        import webbrowser

        for one in found:
            webbrowser.open(one.mailto)
    if as_json:
        print_json(found[0].to_dict() if len(found) == 1 else [one.to_dict() for one in found])
        return
    for one in found:
        console.print(f"[dim]To:[/dim] {escape(', '.join(one.to) or '(no email known)')}")
        console.print(f"[dim]Subject:[/dim] {escape(one.subject)}\n")
        console.print(escape(one.body))
    console.print(f"[dim]Sent {'them' if len(found) > 1 else 'it'}? `knowwho done {number}` logs it.[/dim]")


@template_app.command("list")
@app.command("templates", rich_help_panel=DAILY)
def template_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The outreach templates drafts are written from, and which you have made your own."""
    from rich.markup import escape

    templates = open_app(db).templates.all()
    if as_json:
        print_json([t.to_dict() for t in templates])
        return
    for t in templates:
        own = " [dim](yours)[/dim]" if t.edited else ""
        console.print(f"{t.key:<24} {escape(t.name)}{own}")


@template_app.command("show")
def template_show(name: TemplateArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A template's subject and body, as you would edit them."""
    _show(open_app(db).templates.get(name), as_json)


@template_app.command("edit")
def template_edit(
    name: TemplateArg,
    subject: Annotated[str | None, typer.Option("--subject", help="The new subject line.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="The new body.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the new body from this file.", dir_okay=False)
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Go back to the shipped text.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rewrite a template (undo with `knowwho undo`); it is checked by rendering it first."""
    from knowwho.errors import InvalidInput

    if body is not None and file is not None:
        raise InvalidInput("give --body or --file, not both")
    if file is not None:
        try:
            body = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InvalidInput(f"{file}: cannot be read as UTF-8 text") from None
    templates = open_app(db).templates
    if reset:
        _show(templates.reset(name), as_json)
        return
    if subject is None and body is None:
        raise InvalidInput("give --subject, --body or --file (or --reset)")
    _show(templates.edit(name, subject=subject, body=body), as_json)


def _show(template: Template, as_json: bool) -> None:
    from rich.markup import escape

    if as_json:
        print_json(template.to_dict())
        return
    own = "your version" if template.edited else "as shipped"
    console.print(f"[bold]{escape(template.name)}[/bold] [dim]({template.key}, {own})[/dim]")
    console.print(f"[dim]Subject:[/dim] {escape(template.subject)}")
    console.print(escape(template.body), end="")


@app.command(rich_help_panel=DAILY)
def goal(
    conversations: Annotated[int | None, typer.Option("--conversations", help="Conversations a week.")] = None,
    new_people: Annotated[int | None, typer.Option("--new-people", help="New people met a week.")] = None,
    max_old_replies: Annotated[
        int | None, typer.Option("--max-old-replies", help="At most this many replies owed over 2 days.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set weekly goals (-1 clears one), or see this week's progress; shown on top of `today`."""
    from rich.markup import escape

    kw = open_app(db)
    if (conversations, new_people, max_old_replies) != (None, None, None):
        kw.goals.set(conversations=conversations, new_people=new_people, max_old_replies=max_old_replies)
    progress = kw.goals.progress()
    if as_json:
        print_json(progress.to_dict() if progress else {"goals": None})
        return
    if progress is None:
        console.print("No weekly goals yet: `knowwho goal --conversations 3 --new-people 2 --max-old-replies 0`.")
        return
    console.print(escape(progress.line()))
