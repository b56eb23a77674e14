"""JSON API: opportunities by stage with their people; add one, move one (the board's very data)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from knowwho.core import Knowwho
from knowwho.services.opportunities import Card, OpportunityDetail
from knowwho.web.api.params import ItemId
from knowwho.web.schemas import ConversationOut, Day, DraftOut, Strict
from knowwho.web.state import get_kw

router = APIRouter(tags=["opportunities"])
Kw = Annotated[Knowwho, Depends(get_kw)]
Stage = Literal["exploring", "applied", "interviewing", "offer", "accepted", "rejected", "withdrawn"]
Part = Literal["referrer", "recruiter", "interviewer", "hiring-manager", "contact"]


class MemberOut(BaseModel):
    id: int
    name: str
    part: str


class OpportunityOut(BaseModel):
    id: int
    organization: str
    organization_id: int | None
    role: str
    link: str
    stage: Stage
    opened_on: str | None
    closed_on: str | None
    reengage_on: str | None = Field(description="When today's list will say to get back in touch")
    reengaged_at: str | None
    people: list[MemberOut]
    next_action: str
    moves: list[Stage] = Field(description="The stages the board offers to move it to")

    @classmethod
    def of(cls, card: Card) -> OpportunityOut:
        return cls.model_validate(card.to_dict())


class OpportunityConversationOut(ConversationOut):
    people: list[str]


class OpportunityDetailOut(OpportunityOut):
    interactions: list[OpportunityConversationOut]
    reengage_draft: DraftOut | None = Field(description="After a rejection or withdrawal: what to send, and when")


class MemberIn(Strict):
    person_id: int = Field(ge=1, le=2**62)
    part: Part = "contact"


class OpportunityIn(Strict):
    organization: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=200)
    link: str = Field("", max_length=2000)
    people: list[MemberIn] = Field(default_factory=list, max_length=50)


class MoveIn(Strict):
    stage: Stage
    date: Day | None = Field(None, description="When it happened (default today)")
    reengage_days: int | None = Field(
        None, ge=1, le=3650, description="With rejected or withdrawn: days until getting back in touch (180)"
    )


@router.get("/opportunities", response_model=list[OpportunityOut], summary="Opportunities, latest moved first")
def list_opportunities(kw: Kw) -> list[OpportunityOut]:
    return [OpportunityOut.of(c) for c in kw.opportunities.cards()]


@router.post("/opportunities", response_model=OpportunityOut, status_code=201, summary="Add an opportunity")
def add_opportunity(kw: Kw, data: OpportunityIn) -> OpportunityOut:
    people: list[tuple[int, str]] = [(m.person_id, m.part) for m in data.people]
    return OpportunityOut.of(kw.opportunities.add(data.organization, data.role, people=people, link=data.link))


@router.get("/opportunities/{opportunity_id}", response_model=OpportunityDetailOut, summary="One opportunity")
def get_opportunity(kw: Kw, opportunity_id: ItemId) -> OpportunityDetailOut:
    return _detail(kw, kw.opportunities.detail(opportunity_id))


@router.post("/opportunities/{opportunity_id}/move", response_model=OpportunityOut, summary="Move to a stage")
def move_opportunity(kw: Kw, opportunity_id: ItemId, data: MoveIn) -> OpportunityOut:
    card = kw.opportunities.move(opportunity_id, data.stage, on=data.date, reengage_days=data.reengage_days)
    return OpportunityOut.of(card)


def _detail(kw: Knowwho, detail: OpportunityDetail) -> OpportunityDetailOut:
    o = detail.card.opportunity
    draft = kw.outreach.reengage_draft(o.id) if o.stage in ("rejected", "withdrawn") else None
    talks = [
        OpportunityConversationOut(id=i.id, at=i.occurred_at, kind=i.kind, subject=i.subject, notes=i.notes,
                        people=[detail.names.get(p, "") for p in i.participant_ids])
        for i in detail.interactions
    ]  # fmt: skip
    return OpportunityDetailOut(
        **OpportunityOut.of(detail.card).model_dump(), interactions=talks,
        reengage_draft=DraftOut.model_validate(draft.to_dict()) if draft else None,
    )  # fmt: skip
