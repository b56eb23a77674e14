"""Fixing the history: delete a logged conversation; correct one or a note (`log --edit`, `note --edit/--delete`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console
from knowwho.errors import InvalidInput

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.storage.records import InteractionRecord


def interaction_dict(done: InteractionRecord) -> dict[str, object]:
    return {"id": done.id, "at": done.occurred_at, "kind": done.kind, "direction": done.direction,
            "subject": done.subject, "notes": done.notes, "people": done.participant_ids}  # fmt: skip


@app.command(rich_help_panel=PEOPLE)
def unlog(
    interaction: Annotated[int, typer.Argument(help="The conversation's number, as `knowwho show` lists it.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete a logged conversation (undo with `knowwho undo`)."""
    kw = open_app(db)
    removed = kw.interactions.remove(interaction)
    if as_json:
        print_json(interaction_dict(removed))
        return
    console.print(f"{escape(_capital(kw.history.latest() or 'deleted'))}. `knowwho undo` brings it back.")


def edit_logged(
    kw: Knowwho,
    interaction_id: int,
    *,
    kind: str | None,
    direction: str | None,
    date: str | None,
    note: str | None,
    subject: str | None,
    as_json: bool,
) -> None:
    """`knowwho log --edit ID ...`: change what was given, keep the rest."""
    from knowwho.dates import parse_when

    if all(x is None for x in (kind, direction, date, note, subject)):
        raise InvalidInput("--edit: say what to change (--kind, --date, --note, --subject or --direction)")
    before = kw.interactions.get(interaction_id)
    when = parse_when(date, now=kw.ctx.now()) if date is not None else None
    after = kw.interactions.edit(
        interaction_id, kind=kind, direction=direction, when=when, note=note, subject=subject
    )  # fmt: skip
    if as_json:
        print_json(interaction_dict(after))
    elif after == before:
        console.print(f"Nothing to change in #{interaction_id}.")
    else:
        console.print(f"{escape(_capital(kw.history.latest() or 'edited'))}.")


def fix_note(kw: Knowwho, *, person: str | None, text: str | None, edit: int | None, delete: int | None) -> None:
    """`knowwho note [PERSON] --edit ID TEXT` and `knowwho note [PERSON] --delete ID`."""
    if edit is not None and delete is not None:
        raise InvalidInput("give --edit or --delete, not both")
    if edit is not None and person is not None and text is None:
        person, text = None, person  # `note --edit ID "new text"`: the one word given is the text
    pid = kw.people.resolve_id(person) if person is not None else None
    if delete is not None:
        if text is not None:
            raise InvalidInput("--delete takes no text")
        kw.interactions.remove_note(delete, person_id=pid)
        console.print(f"{escape(_capital(kw.history.latest() or 'deleted'))}. `knowwho undo` brings it back.")
        return
    assert edit is not None
    if text is None:
        raise InvalidInput("--edit: give the note's new text")
    before = kw.interactions.get_note(edit)
    after = kw.interactions.edit_note(edit, text, person_id=pid)
    same = after.body == before.body
    console.print(f"Nothing to change in note #{edit}." if same else f"{escape(_capital(kw.history.latest() or ''))}.")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
