"""JSON API: people, their conversations, notes and follow-ups, search, quick capture and undo."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from knowwho.core import Knowwho
from knowwho.dates import parse_day
from knowwho.services.browse import BrowseQuery
from knowwho.web import actions
from knowwho.web.api.params import ItemId, PersonId, browse_query
from knowwho.web.schemas import (
    CaptureIn,
    FollowupAct,
    FollowupIn,
    FollowupOut,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    MarkedOut,
    NoteIn,
    NoteOut,
    PeoplePageOut,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    SearchHitOut,
    SearchOut,
    SuggestionOut,
)
from knowwho.web.state import get_kw

router = APIRouter(tags=["people"])
Kw = Annotated[Knowwho, Depends(get_kw)]


@router.get("/people", response_model=PeoplePageOut, summary="List people (search, filters, sort, paging)")
def list_people(kw: Kw, query: Annotated[BrowseQuery, Depends(browse_query)]) -> PeoplePageOut:
    page = actions.browse(kw).page(query)
    return PeoplePageOut(
        people=[PersonOut.of(p) for p in page.people], total=page.total, next_cursor=page.next_cursor,
        matched={p.id: MarkedOut.of(page.matched[p.id]) for p in page.people if p.id in page.matched},
        suggestions=[SuggestionOut.of(p) for p in page.suggestions],
    )  # fmt: skip


@router.post("/people", response_model=PersonOut, status_code=201, summary="Add a person")
def add_person(kw: Kw, data: PersonIn) -> PersonOut:
    return PersonOut.of(actions.add_person(kw, data))


@router.get("/people/{person_id}", response_model=PersonDetailOut, summary="A person with timeline and follow-ups")
def get_person(kw: Kw, person_id: PersonId) -> PersonDetailOut:
    return PersonDetailOut.of_detail(kw.people.detail(person_id), knows=kw.network.acquaintances(person_id))


@router.patch("/people/{person_id}", response_model=PersonOut, summary="Change what you know about a person")
def edit_person(kw: Kw, person_id: PersonId, patch: PersonPatch) -> PersonOut:
    return PersonOut.of(actions.edit_person(kw, person_id, patch))


@router.delete("/people/{person_id}", response_model=PersonOut, summary="Remove a person (undo with POST /api/undo)")
def remove_person(kw: Kw, person_id: PersonId) -> PersonOut:
    return PersonOut.of(kw.people.remove(person_id))


@router.get("/people/{person_id}/interactions", response_model=list[InteractionOut], summary="A person's timeline")
def person_interactions(
    kw: Kw,
    person_id: PersonId,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[InteractionOut]:
    kw.people.get(person_id)
    return [InteractionOut.of(i) for i in kw.interactions.for_person(person_id, limit=limit, offset=offset)]


@router.post(
    "/people/{person_id}/interactions", response_model=InteractionOut, status_code=201, summary="Log a conversation"
)
def log_interaction(kw: Kw, person_id: PersonId, data: InteractionIn) -> InteractionOut:
    return InteractionOut.of(actions.log_interaction(kw, person_id, data))


@router.post("/people/{person_id}/notes", response_model=NoteOut, status_code=201, summary="Add a note")
def add_note(kw: Kw, person_id: PersonId, data: NoteIn) -> NoteOut:
    kw.people.get(person_id)
    return NoteOut.of(kw.interactions.add_note(person_id, data.body))


@router.patch("/interactions/{interaction_id}", response_model=InteractionOut, summary="Correct a logged conversation")
def edit_interaction(kw: Kw, interaction_id: ItemId, patch: InteractionPatch) -> InteractionOut:
    return InteractionOut.of(actions.edit_interaction(kw, interaction_id, patch))


@router.delete(
    "/interactions/{interaction_id}", response_model=InteractionOut, summary="Delete a logged conversation (undoable)"
)
def remove_interaction(kw: Kw, interaction_id: ItemId) -> InteractionOut:
    return InteractionOut.of(kw.interactions.remove(interaction_id))


@router.patch("/notes/{note_id}", response_model=NoteOut, summary="Rewrite a note")
def edit_note(kw: Kw, note_id: ItemId, data: NoteIn) -> NoteOut:
    return NoteOut.of(kw.interactions.edit_note(note_id, data.body))


@router.delete("/notes/{note_id}", response_model=NoteOut, summary="Delete a note (undoable)")
def remove_note(kw: Kw, note_id: ItemId) -> NoteOut:
    return NoteOut.of(kw.interactions.remove_note(note_id))


@router.get("/people/{person_id}/followups", response_model=list[FollowupOut], summary="A person's follow-ups")
def person_followups(kw: Kw, person_id: PersonId, open_only: bool = True) -> list[FollowupOut]:
    kw.people.get(person_id)
    return [FollowupOut.of(f) for f in kw.followups.for_person(person_id, open_only=open_only)]


@router.post("/people/{person_id}/followups", response_model=FollowupOut, status_code=201, summary="Plan a follow-up")
def add_followup(kw: Kw, person_id: PersonId, data: FollowupIn) -> FollowupOut:
    return FollowupOut.of(actions.add_followup(kw, person_id, data))


@router.get("/followups", response_model=list[FollowupOut], summary="Open follow-ups due by a date, soonest first")
def open_followups(
    kw: Kw,
    until: Annotated[str, Query(max_length=40, description="A date or 'in 2 weeks' (default: a year ahead)")] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[FollowupOut]:
    last = parse_day(until, now=kw.ctx.now()) if until.strip() else kw.ctx.today() + timedelta(days=366)
    return [FollowupOut.of(f) for f in kw.followups.open_until(last, limit=limit, offset=offset)]


@router.post("/followups/{followup_id}", response_model=FollowupOut, summary="Done, dismiss, snooze or reopen")
def act_on_followup(kw: Kw, followup_id: ItemId, data: FollowupAct) -> FollowupOut:
    return FollowupOut.of(actions.act_on_followup(kw, followup_id, data))


@router.get("/search", response_model=SearchOut, summary="Find people by anything you remember")
def search(
    kw: Kw,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words; when nobody matches, close names")],
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
) -> SearchOut:
    found = kw.search.find(q, limit=limit)
    return SearchOut(
        query=q, hits=[SearchHitOut(person=PersonOut.of(h.person), matched=MarkedOut.of(h.matched)) for h in found.hits],
        suggestions=[SuggestionOut.of(p) for p in found.suggestions],
    )  # fmt: skip


@router.post("/capture", response_model=PersonOut, status_code=201, summary="Quick capture of someone just met")
def capture(kw: Kw, data: CaptureIn) -> PersonOut:
    return PersonOut.of(actions.capture(kw, data).person)


@router.post("/undo", summary="Undo the latest change of any kind (see /api/history)")
def undo(kw: Kw) -> dict[str, str]:
    return {"undone": kw.history.undo()}
