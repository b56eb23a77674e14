"""Informational interviews on the web: the request to send (with what to learn) and the brief before the talk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from knowwho.web.api.params import PersonId
from knowwho.web.routes.common import Kw
from knowwho.web.templating import render

router = APIRouter()
About = Annotated[str, Query(max_length=300, description="What you want to learn from them")]


@router.get("/people/{person_id}/ask")
def ask_page(request: Request, kw: Kw, person_id: PersonId, about: About = "") -> Response:
    """The request re-renders with what the user wants to learn: a plain GET form, no script needed."""
    draft = kw.outreach.ask(person_id, about=about)
    person = kw.people.get(person_id)
    return render(request, "ask.html", {
        "active": "people", "title": f"Ask {person.display_name}", "person": person, "draft": draft, "about": about,
    })  # fmt: skip


@router.get("/people/{person_id}/brief")
def brief_page(request: Request, kw: Kw, person_id: PersonId) -> Response:
    brief = kw.outreach.brief(person_id)
    return render(request, "brief.html", {
        "active": "people", "title": f"Brief: {brief.person.display_name}", "brief": brief,
    })  # fmt: skip
