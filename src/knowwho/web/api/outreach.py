"""JSON API: the informational-interview request to a person, and the brief before the talk (the pages' data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from knowwho.core import Knowwho
from knowwho.web.api.params import PersonId
from knowwho.web.schemas import ConversationOut, DraftOut
from knowwho.web.state import get_kw

router = APIRouter(tags=["outreach"])
Kw = Annotated[Knowwho, Depends(get_kw)]


class BriefRoleOut(BaseModel):
    organization: str
    title: str
    current: bool
    start_on: str | None
    end_on: str | None


class BriefNoteOut(BaseModel):
    at: str
    body: str


class OrganizationNoteOut(BaseModel):
    organization: str
    note: str


class SharedContactOut(BaseModel):
    id: int
    name: str
    how: str


class BriefOut(BaseModel):
    id: int
    name: str
    found_through: str = Field(description="How you came to them: who referred you, how you met, a contact in common")
    roles: list[BriefRoleOut]
    notes: list[BriefNoteOut]
    organization_notes: list[OrganizationNoteOut]
    shared_contacts: list[SharedContactOut] = Field(description="Your contacts who know them")
    also_met: list[SharedContactOut] = Field(
        description="Your contacts only known to have been at the same events (weak evidence, not a shared contact)"
    )
    conversations: list[ConversationOut] = Field(description="The latest conversations, newest first")
    questions: dict[str, list[str]] = Field(description="Questions to ask, by topic")


@router.get(
    "/people/{person_id}/ask", response_model=DraftOut, summary="Draft a request for an informational interview"
)
def ask(
    kw: Kw,
    person_id: PersonId,
    about: Annotated[str, Query(max_length=300, description="What you want to learn from them")] = "",
) -> DraftOut:
    """Twenty minutes to learn, never a job; nothing is logged until you say it was sent."""
    draft = kw.outreach.ask(person_id, about=about)
    return DraftOut.model_validate(draft.to_dict())


@router.get("/people/{person_id}/brief", response_model=BriefOut, summary="What to know before talking to someone")
def brief(kw: Kw, person_id: PersonId) -> BriefOut:
    return BriefOut.model_validate(kw.outreach.brief(person_id).to_dict())
