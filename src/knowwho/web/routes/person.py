"""The Person page: header, timeline, quick log, notes, follow-ups, edit in place, remove with undo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.errors import AlreadyKnown, InvalidInput, NotFound
from knowwho.services.birthdays import describe as describe_birthday
from knowwho.services.interactions import KINDS, MISSED
from knowwho.services.ledger import KINDS as LEDGER_KINDS
from knowwho.services.normalize import normalize_phone, normalize_tag
from knowwho.storage.records import InteractionRecord, NoteRecord, PersonRecord
from knowwho.web import actions
from knowwho.web.api.params import ItemId, PersonId
from knowwho.web.numbers import whole_number
from knowwho.web.routes.common import FormText, Kw, done, form_model, labelled_form_model, split_list, wants_json
from knowwho.web.schemas import FollowupAct, FollowupIn, InteractionIn, InteractionPatch, PersonPatch
from knowwho.web.state import state_of
from knowwho.web.templating import render, render_kept

router = APIRouter()
Short = Annotated[str, Form(max_length=300)]
Long = Annotated[str, Form(max_length=10000)]


@dataclass(frozen=True, slots=True)
class Entry:
    at: str
    interaction: InteractionRecord | None = None
    note: NoteRecord | None = None
    others: tuple[int, ...] = ()  # who else took part: worked out here, cheaper than a filter in the template


TIMELINE = 30
TIMELINE_ALL = 1000


@router.get("/people/{person_id}")
def person_page(
    request: Request, kw: Kw, person_id: PersonId, everything: bool = False, fixed: bool = False,
    edit: Annotated[str, Query(max_length=24, pattern=r"^([in][0-9]+)?$")] = "",
) -> Response:  # fmt: skip
    """`edit`: the conversation (i<id>) or note (n<id>) whose edit form is open, one at a time."""
    latest = kw.history.latest_change() if fixed else None  # after a fix on this page: say what, offer undo
    undo_label = latest.description if latest else None
    if undo_label or edit:
        notice = undo_label[:1].upper() + undo_label[1:] + ". You can undo it." if undo_label else ""
        return render(request, "person.html", {
            **_person_page_data(kw, person_id, everything), "active": "people", "kinds": KINDS,
            "undo_label": undo_label, "undo_id": latest.id if latest else None, "notice": notice, "editing": edit,
        })  # fmt: skip
    # The same for everyone until anything changes: a page opened again is neither worked out nor drawn again.
    return render_kept(
        request, state_of(request).person_pages, kw, ("person", person_id, everything), "person.html",
        lambda: {**_person_page_data(kw, person_id, everything), "active": "people", "kinds": KINDS, "notice": "",
                 "undo_label": None, "editing": ""},
    )  # fmt: skip


def _person_page_data(kw: Kw, person_id: int, everything: bool) -> dict[str, object]:
    """What a person page shows (the same whoever opens it, until the data changes)."""
    detail = kw.people.detail(person_id, interactions=TIMELINE_ALL if everything else TIMELINE)
    timeline = [
        Entry(i.occurred_at, interaction=i, others=tuple(o for o in i.participant_ids if o != detail.person.id))
        for i in detail.interactions
    ]
    timeline += [Entry(n.created_at, note=n) for n in detail.notes]
    timeline.sort(key=lambda e: e.at, reverse=True)
    ties = kw.network.ties(person_id)  # listed and drawn: worked out once
    acquaintances, also_met = kw.network.contacts_known(ties)
    return {
        "title": detail.person.display_name, "detail": detail, "timeline": timeline, "today": kw.ctx.today(),
        "birthday": describe_birthday(detail.person.birthday, today=kw.ctx.today()),
        "hidden": max(0, detail.person.interaction_count - len(detail.interactions)),
        "paths": kw.paths.to_person(person_id), "acquaintances": acquaintances, "also_met": also_met,
        "picture": kw.network.picture(person_id, ties, name=detail.person.display_name),
        "balance": kw.ledger.balance(person_id),
        "ledger_kinds": LEDGER_KINDS,
    }  # fmt: skip


@router.post("/people/{person_id}/log")
def log(
    request: Request, kw: Kw, person_id: PersonId, kind: Short, direction: Short = "", when: Short = "",
    note: Long = "", subject: Short = "", missed: Short = "",
) -> Response:  # fmt: skip
    typed = {"kind": kind, "direction": direction or None, "when": when or None, "note": note, "subject": subject,
             "missed": missed == "true"}  # fmt: skip
    try:
        logged = actions.log_interaction(kw, person_id, form_model(InteractionIn, **typed))
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _page_again(request, kw, person_id, log_problem=str(error), log_form=typed)
    what = "missed call" if logged.channel == MISSED else logged.kind
    return done(request, f"/people/{person_id}", f"Logged the {what}.")


def _page_again(
    request: Request, kw: Kw, person_id: int, *, log_problem: str = "", log_form: Mapping[str, object] | None = None,
    edit_problem: str = "", edit_form: Mapping[str, str] | None = None, ledger_problem: str = "",
    followup_problem: str = "", followup_form: Mapping[str, str] | None = None, editing: str = "",
    entry_problem: str = "", entry_form: Mapping[str, str] | None = None,
) -> Response:  # fmt: skip
    """The page with a form sent back: what was wrong beside it, and what was typed in it (`editing`: the
    conversation or note whose correction was refused, its form open)."""
    return render(request, "person.html", {
        **_person_page_data(kw, person_id, False), "active": "people", "kinds": KINDS, "notice": "",
        "undo_label": None, "editing": editing, "log_problem": log_problem, "log_form": log_form or {},
        "edit_problem": edit_problem, "edit_form": edit_form or {}, "ledger_problem": ledger_problem,
        "followup_problem": followup_problem, "followup_form": followup_form or {},
        "entry_problem": entry_problem, "entry_form": entry_form or {},
    }, status=422)  # fmt: skip


@router.post("/people/{person_id}/ledger")
def record_give_and_take(
    request: Request, kw: Kw, person_id: PersonId, what: Short,
    direction: Annotated[Literal["gave", "received"], Form()], kind: Short = "advice",
) -> Response:  # fmt: skip
    """Something given to or got from this person, as `knowwho gave` / `knowwho got` record it (undoable)."""
    kw.people.get(person_id)
    try:
        if not what.strip():
            raise InvalidInput("what it was: say what you gave or got, e.g. 'an intro to Raj'")
        kw.ledger.record(person_id, direction, what, kind=kind)
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _page_again(request, kw, person_id, ledger_problem=str(error))
    return _fixed(request, kw, person_id, "#ledger")


@router.post("/people/{person_id}/note")
def note(request: Request, kw: Kw, person_id: PersonId, body: Long) -> Response:
    kw.people.get(person_id)
    kw.interactions.add_note(person_id, body)
    return done(request, f"/people/{person_id}", "Noted.")


@router.post("/people/{person_id}/interactions/{interaction_id}/edit")
def edit_interaction(
    request: Request, kw: Kw, person_id: PersonId, interaction_id: ItemId, kind: Short = "", direction: Short = "",
    when: Short = "", subject: Short = "", note: Long = "",
) -> Response:  # fmt: skip
    before = _interaction_of(kw, person_id, interaction_id)
    moved = when.strip() and when.strip() != before.occurred_at[:10]  # the day shown in the form, left as it was
    patch = InteractionPatch(
        kind=kind or None, direction=direction or None, when=when if moved else None, note=note, subject=subject
    )
    try:
        actions.edit_interaction(kw, interaction_id, patch)
    except InvalidInput as error:
        if wants_json(request):
            raise
        typed = {"kind": kind, "direction": direction, "when": when, "subject": subject, "note": note}
        return _page_again(request, kw, person_id, editing=f"i{interaction_id}", entry_problem=str(error),
                           entry_form=typed)  # fmt: skip
    return _fixed(request, kw, person_id)


@router.post("/people/{person_id}/interactions/{interaction_id}/delete")
def remove_interaction(request: Request, kw: Kw, person_id: PersonId, interaction_id: ItemId) -> Response:
    _interaction_of(kw, person_id, interaction_id)
    kw.interactions.remove(interaction_id)
    return _fixed(request, kw, person_id)


@router.post("/people/{person_id}/notes/{note_id}/edit")
def edit_note(request: Request, kw: Kw, person_id: PersonId, note_id: ItemId, body: Long) -> Response:
    try:
        kw.interactions.edit_note(note_id, body, person_id=person_id)
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _page_again(request, kw, person_id, editing=f"n{note_id}", entry_problem=str(error),
                           entry_form={"body": body})  # fmt: skip
    return _fixed(request, kw, person_id)


@router.post("/people/{person_id}/notes/{note_id}/delete")
def remove_note(request: Request, kw: Kw, person_id: PersonId, note_id: ItemId) -> Response:
    kw.interactions.remove_note(note_id, person_id=person_id)
    return _fixed(request, kw, person_id)


def _interaction_of(kw: Kw, person_id: int, interaction_id: int) -> InteractionRecord:
    found = kw.interactions.get(interaction_id)
    if person_id not in found.participant_ids:
        raise NotFound(f"no conversation #{interaction_id} with this person")
    return found


def _fixed(request: Request, kw: Kw, person_id: int, where: str = "#timeline") -> Response:
    what = kw.history.latest() or "saved"
    return done(request, f"/people/{person_id}?fixed=true{where}", what[:1].upper() + what[1:] + ".")


@router.post("/people/{person_id}/followups")
def add_followup(request: Request, kw: Kw, person_id: PersonId, when: Short, note: Short = "") -> Response:
    try:
        created = actions.add_followup(kw, person_id, FollowupIn(when=when, note=note))
    except InvalidInput as error:
        if wants_json(request):
            raise
        typed = {"when": when, "note": note}
        return _page_again(request, kw, person_id, followup_problem=str(error), followup_form=typed)
    return done(request, f"/people/{person_id}", f"Follow-up planned for {created.due_on}.")


@router.post("/followups/{followup_id}")
def act_on_followup(request: Request, kw: Kw, followup_id: ItemId, op: Short) -> Response:
    action, _, until = op.partition(":")
    if action not in ("done", "dismiss", "snooze", "reopen"):
        raise InvalidInput(f"unknown action {action!r}")
    changed = actions.act_on_followup(kw, followup_id, FollowupAct(action=action, until=until or None))
    words = {"done": "Done.", "dismiss": "Dismissed.", "reopen": "Reopened.", "snooze": f"Moved to {changed.due_on}."}
    return done(request, f"/people/{changed.person_id}" if changed.person_id else "/", words[action])


# What the edit form calls the PersonPatch fields it fills, for its messages.
_EDIT_LABELS = {
    "add_emails": "emails", "remove_emails": "emails", "add_phones": "phones", "remove_phones": "phones",
    "add_tags": "tags", "remove_tags": "tags", "add_links": "link", "situation": "going through",
    "how_met": "how you met", "cadence": "keep in touch every",
}  # fmt: skip


@router.post("/people/{person_id}/edit")
def edit(
    request: Request, kw: Kw, person_id: PersonId, name: FormText = "", organization: FormText = "",
    title: FormText = "", location: FormText = "", situation: FormText = "", needs: FormText = "",
    offers: FormText = "", how_met: FormText = "", tags: FormText = "", emails: FormText = "", phones: FormText = "",
    add_link: FormText = "", closeness: FormText = "", cadence: FormText = "", advocate: FormText = "",
    advocate_shown: FormText = "", birthday: FormText = "",
) -> Response:  # fmt: skip
    before = kw.people.get(person_id)
    form = {key: value for key, value in locals().items() if isinstance(value, str)}
    try:
        actions.edit_person(kw, person_id, _patch(before, form))
    except (InvalidInput, AlreadyKnown) as error:
        if wants_json(request):
            raise
        return _page_again(request, kw, person_id, edit_problem=_labelled(str(error)), edit_form=form)
    return done(request, f"/people/{person_id}", "Saved.")


def _labelled(message: str) -> str:
    """A refusal naming a field ("cadence: ...") as the edit form labels it ("keep in touch every: ...")."""
    field, sep, rest = message.partition(": ")
    return f"{_EDIT_LABELS[field]}: {rest}" if sep and field in _EDIT_LABELS else message


def _patch(before: PersonRecord, form: dict[str, str]) -> PersonPatch:
    """The changes between the person and the submitted form (an unchanged field is left alone)."""
    text = {k: v.strip() for k, v in form.items()}
    role = before.roles[0] if before.roles and before.roles[0].is_current else None
    new_org = text["organization"]
    moved = bool(new_org) and (role is None or new_org.lower() != role.organization.lower())
    title_changed = text["title"] != (role.title if role else "")
    emails = [e.lower() for e in split_list(text["emails"])]
    phones = [normalize_phone(x) for x in split_list(text["phones"])]
    tags = [t for t in (normalize_tag(x) for x in split_list(text["tags"])) if t]
    closeness = whole_number(text["closeness"])
    if text["closeness"] and closeness is None:
        raise InvalidInput("closeness is a number from 1 to 5")
    return labelled_form_model(
        PersonPatch,
        _EDIT_LABELS,
        name=text["name"] if text["name"] != before.display_name else None,
        location=_changed(text["location"], before.location), situation=_changed(text["situation"], before.situation),
        needs=_changed(text["needs"], before.needs), offers=_changed(text["offers"], before.offers),
        how_met=_changed(text["how_met"], before.how_met), birthday=_changed(text["birthday"], before.birthday or ""),
        closeness=closeness,
        advocate=(text["advocate"] == "true") if text["advocate_shown"] else None,
        organization=new_org if moved else None, title=text["title"] if (moved or title_changed) else None,
        add_emails=[e for e in emails if e not in before.emails],
        remove_emails=[e for e in before.emails if e not in emails],
        add_phones=[p for p in phones if p not in before.phones],
        remove_phones=[p for p in before.phones if p not in phones],
        add_tags=[t for t in tags if t not in before.tags],
        remove_tags=[t for t in before.tags if t not in tags],
        add_links=[text["add_link"]] if text["add_link"] else [],
        cadence=text["cadence"] if text["cadence"] != _cadence_text(before) else None,
    )  # fmt: skip


def _changed(new: str, old: str) -> str | None:
    return new if new != old else None


def _cadence_text(person: PersonRecord) -> str:
    if person.cadence_days:
        return f"{person.cadence_days}d"
    return "none" if person.cadence_days == 0 else ""


@router.post("/people/{person_id}/delete")
def remove(request: Request, kw: Kw, person_id: PersonId) -> Response:
    if (gone := kw.people.gone(person_id)) is not None:  # the button pressed twice: say it is done, not missing
        return done(request, f"/people?removed={person_id}", f"{gone.display_name} was already removed.")
    removed = kw.people.remove(person_id)
    return done(request, f"/people?removed={person_id}", f"Removed {removed.display_name}.")
