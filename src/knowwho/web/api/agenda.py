"""JSON API: today's actions, acting on them, and drafting the message they call for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from knowwho.core import Knowwho
from knowwho.services.drafts import draft, for_item
from knowwho.web import actions
from knowwho.web.schemas import AgendaAct, AgendaItemOut, DraftOut, TodayOut
from knowwho.web.state import get_kw, state_of

router = APIRouter(tags=["today"])
Kw = Annotated[Knowwho, Depends(get_kw)]
Action = Annotated[str, Query(pattern="^(reply|thank-you|follow-up|nice-to-meet|keep-in-touch|re-engage)$")]


@router.get("/today", response_model=TodayOut, summary="Today's ranked actions with their reasons")
def today(
    request: Request,
    kw: Kw,
    limit: Annotated[
        int | None, Query(ge=1, le=10_000, description="The first N actions of all; none: the day's list")
    ] = None,
) -> TodayOut:
    agenda = state_of(request).cache.today(kw, limit=limit)
    return TodayOut(items=[AgendaItemOut.of(i) for i in agenda.items], more=agenda.more, rest=agenda.rest)


@router.post(
    "/today/act",
    summary="Done (logging the conversation), dismiss or snooze an item of Today (by its key)",
    responses={404: {"description": "No such action"}},
)
def act(kw: Kw, data: AgendaAct) -> dict[str, str]:
    return {"message": actions.act_on_today(kw, data)}


@router.get(
    "/today/drafts",
    response_model=list[DraftOut],
    summary="The drafts an item of Today (by its key) calls for: an introduction's two, one otherwise",
    responses={404: {"description": "No such action"}},
)
def item_drafts(kw: Kw, key: Annotated[str, Query(min_length=1, max_length=300)]) -> list[DraftOut]:
    return [DraftOut(to=d.to, subject=d.subject, body=d.body, mailto=d.mailto) for d in for_item(kw.people, key)]


@router.get("/today/draft", response_model=DraftOut, summary="A first draft of the message an action calls for")
def make_draft(kw: Kw, action: Action, person_id: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> DraftOut:
    found = draft(kw.people, action, person_id)
    return DraftOut(to=found.to, subject=found.subject, body=found.body, mailto=found.mailto)
