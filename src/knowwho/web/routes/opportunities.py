"""The Opportunities board: one column per stage; a card moves with one click (a small form, no script needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from knowwho.errors import Ambiguous, InvalidInput, KnowwhoError, NotFound
from knowwho.services.opportunities import PARTS
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done, wants_json
from knowwho.web.templating import render

router = APIRouter()
FIELDS = ("organization", "role", "link", "person", "part")  # the add form's


@router.get("/opportunities")
def opportunities_page(request: Request, kw: Kw) -> Response:
    return _board(request, kw)


def _board(
    request: Request, kw: Kw, *, typed: dict[str, str] | None = None, error: KnowwhoError | None = None
) -> Response:
    """The board; its add form empty, or sent back open and as typed with one line on what to fix."""
    return render(request, "opportunities.html", {
        "active": "opportunities", "title": "Opportunities", "columns": kw.opportunities.board(), "parts": PARTS,
        "typed": typed or dict.fromkeys(FIELDS, ""), "problem": str(error) if error else "",
    }, status=error.http_status if error else 200)  # fmt: skip


@router.post("/opportunities")
def add_opportunity(
    request: Request,
    kw: Kw,
    organization: Annotated[str, Form(min_length=1, max_length=200)],
    role: Annotated[str, Form(min_length=1, max_length=200)],
    link: Annotated[str, Form(max_length=2000)] = "",
    person: Annotated[str, Form(max_length=200)] = "",
    part: Annotated[str, Form(max_length=40)] = "contact",
) -> Response:
    try:
        people = [(kw.people.resolve_id(person), part)] if person.strip() else []
        card = kw.opportunities.add(organization, role, people=people, link=link)
    except (InvalidInput, Ambiguous, NotFound) as error:  # NotFound: nobody of that name
        if wants_json(request):
            raise
        typed = {"organization": organization, "role": role, "link": link, "person": person, "part": part}
        return _board(request, kw, typed=typed, error=error)
    return done(request, f"/opportunities#opp-{card.opportunity.id}", f"Added {card.title}.")


@router.post("/opportunities/{opportunity_id}/move")
def move_opportunity(
    request: Request, kw: Kw, opportunity_id: ItemId, stage: Annotated[str, Form(max_length=20)]
) -> Response:
    card = kw.opportunities.move(opportunity_id, stage)
    message = f"{card.title}: {card.opportunity.stage}."
    if card.opportunity.reengage_on:
        message += f" You'll be reminded to get back in touch on {card.opportunity.reengage_on}."
    return done(request, f"/opportunities#opp-{opportunity_id}", message, stage=card.opportunity.stage)
